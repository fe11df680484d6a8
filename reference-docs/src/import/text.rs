//! Editing a hand-written spec file as text, by JSON pointer, so that an
//! import changes the lines of the pieces it touches and nothing else:
//! comments, folding and order elsewhere stay as the maintainer wrote them.
//!
//! This reads the block style the specs are written in (mappings and `- `
//! sequences by indentation, keys plain or quoted); a pointer into a flow
//! collection (`[a, b]`) or anything else it cannot follow is `None`, and the
//! caller falls back to reporting instead of editing.

use generator::error::pointer_unescape;
use generator::spec::document::Node;

use super::yaml;

/// The lines of one node: `start..end`, the indentation of its key (or of
/// its `- `), and whether it is a sequence item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub indent: usize,
    pub item: bool,
    /// A mapping entry written on the `- ` line of its item.
    pub on_dash: bool,
}

/// A view of one line inside a block: its indentation and text after it
/// (the first line of an item is seen without its `- `).
#[derive(Debug, Clone, Copy)]
struct View<'a> {
    line: usize,
    indent: usize,
    text: &'a str,
    on_dash: bool,
}

/// A YAML file's lines, edited in place.
#[derive(Debug, Clone)]
pub struct Text {
    lines: Vec<String>,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The key a mapping line starts with (`key:` or `"key":`).
fn key_of(text: &str) -> Option<String> {
    if let Some(rest) = text.strip_prefix('"') {
        let mut key = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => key.push(chars.next()?),
                '"' => {
                    return chars.as_str().starts_with(':').then_some(key);
                }
                c => key.push(c),
            }
        }
        return None;
    }
    if let Some(rest) = text.strip_prefix('\'') {
        let end = rest.find('\'')?;
        return rest[end + 1..]
            .starts_with(':')
            .then(|| rest[..end].to_string());
    }
    let at = text
        .match_indices(':')
        .find(|(i, _)| text[i + 1..].is_empty() || text[i + 1..].starts_with(' '))?
        .0;
    Some(text[..at].trim_end().to_string())
}

impl Text {
    pub fn new(text: &str) -> Text {
        Text {
            lines: text.lines().map(str::to_string).collect(),
        }
    }

    /// The lines inside a block: everything after its header line, and the
    /// header itself (without `- `) when the block is an item.
    fn inside(&self, span: Option<Span>) -> Vec<View<'_>> {
        let (from, to) = match span {
            None => (0, self.lines.len()),
            Some(s) => (s.start + 1, s.end),
        };
        let mut views = Vec::new();
        if let Some(s) = span.filter(|s| s.item) {
            let line = &self.lines[s.start];
            let text = line.trim_start()[1..].trim_start();
            if !text.is_empty() {
                views.push(View {
                    line: s.start,
                    indent: line.len() - text.len(),
                    text,
                    on_dash: true,
                });
            }
        }
        for i in from..to {
            let line = &self.lines[i];
            if is_blank(line) {
                continue;
            }
            views.push(View {
                line: i,
                indent: indent_of(line),
                text: line.trim_start(),
                on_dash: false,
            });
        }
        views
    }

    /// The children of a block: mapping entries or sequence items, each
    /// with its key (`None` for items).
    fn children(&self, span: Option<Span>) -> Vec<(Option<String>, Span)> {
        let views = self.inside(span);
        let Some(first) = views.first() else {
            return Vec::new();
        };
        let indent = first.indent;
        let item = first.text == "-" || first.text.starts_with("- ");
        let mut out: Vec<(Option<String>, Span)> = Vec::new();
        let end_of_block = span.map_or(self.lines.len(), |s| s.end);
        for (k, v) in views.iter().enumerate() {
            if v.indent != indent {
                continue;
            }
            let key = if item {
                if !(v.text == "-" || v.text.starts_with("- ")) {
                    continue;
                }
                None
            } else {
                match key_of(v.text) {
                    Some(key) => Some(key),
                    None => continue,
                }
            };
            let next = views[k + 1..]
                .iter()
                .find(|w| w.indent <= indent)
                .map_or(end_of_block, |w| w.line);
            let mut end = next;
            while end > v.line + 1 && is_blank(&self.lines[end - 1]) {
                end -= 1;
            }
            out.push((
                key,
                Span {
                    start: v.line,
                    end,
                    indent,
                    item,
                    on_dash: v.on_dash,
                },
            ));
        }
        out
    }

    /// The block of the node at `pointer`, `None` for the whole document.
    pub fn find(&self, pointer: &str) -> Option<Option<Span>> {
        let mut at: Option<Span> = None;
        if pointer.is_empty() {
            return Some(None);
        }
        for token in pointer.trim_start_matches('/').split('/') {
            let token = pointer_unescape(token);
            let children = self.children(at);
            let next = match children.first() {
                Some((None, _)) => {
                    let n: usize = token.parse().ok()?;
                    children.get(n).map(|(_, s)| *s)
                }
                _ => children
                    .iter()
                    .find(|(k, _)| k.as_deref() == Some(token.as_str()))
                    .map(|(_, s)| *s),
            }?;
            at = Some(next);
        }
        Some(at)
    }

    /// Replaces the node at `span` with `node` (as the same key or item).
    pub fn replace(&mut self, span: Span, key: Option<&str>, node: &Node) {
        let text = match (span.item, key) {
            (true, _) | (false, None) => yaml::item(node, span.indent),
            (false, Some(k)) => yaml::entry(k, node, span.indent),
        };
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        if span.on_dash
            && let Some(first) = lines.first_mut()
        {
            let dash = span.indent - 2;
            *first = format!("{}- {}", " ".repeat(dash), &first[span.indent..]);
        }
        self.lines.splice(span.start..span.end, lines);
    }

    /// Removes the node at `span`, with the blank line before it when it
    /// was separated from its neighbours by one.
    pub fn delete(&mut self, span: Span) {
        let mut start = span.start;
        if start > 0 && self.lines[start - 1].trim().is_empty() {
            start -= 1;
        }
        self.lines.drain(start..span.end);
    }

    /// Adds `node` under `key` (a mapping) or as a new item (`key` `None`)
    /// at the end of the block at `pointer`, creating the block inside its
    /// parent when it does not exist. Returns false when the place cannot
    /// be found.
    pub fn insert(&mut self, pointer: &str, key: Option<&str>, node: &Node) -> bool {
        let Some(container) = self.find(pointer) else {
            let Some((parent, last)) = pointer.rsplit_once('/') else {
                return false;
            };
            let wrapped = match key {
                Some(k) => Node::Object(vec![(k.to_string(), node.clone())]),
                None => Node::Array(vec![node.clone()]),
            };
            return self.insert(parent, Some(&pointer_unescape(last)), &wrapped);
        };
        let children = self.children(container);
        let (indent, at, spaced) = match children.last() {
            Some((_, last)) => {
                let spaced = children.len() > 1 && {
                    let prev = children[children.len() - 1].1.start;
                    prev > 0 && self.lines[prev - 1].trim().is_empty()
                };
                (last.indent, last.end, spaced)
            }
            None => {
                let header = container.map_or(0, |s| s.indent + if s.item { 4 } else { 2 });
                (header, container.map_or(self.lines.len(), |s| s.end), false)
            }
        };
        let text = match key {
            Some(k) => yaml::entry(k, node, indent),
            None => yaml::item(node, indent),
        };
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        if spaced {
            lines.insert(0, String::new());
        }
        self.lines.splice(at..at, lines);
        true
    }

    pub fn into_string(self) -> String {
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "paths:\n  /v2/{project_id}/tasks:\n    get:\n      operationId: A\n      parameters:\n        - $ref: \"x\"\n        - name: limit\n          in: query\n      responses:\n        \"200\":\n          description: ok\n\n  /v2/b:\n    get:\n      operationId: B\ncomponents:\n  schemas:\n    A:\n      type: object\n";

    #[test]
    fn finds_items_and_quoted_keys() {
        let t = Text::new(SPEC);
        let limit = t
            .find("/paths/~1v2~1{project_id}~1tasks/get/parameters/1")
            .unwrap()
            .unwrap();
        assert_eq!((limit.start, limit.end, limit.item), (6, 8, true));
        let ok = t
            .find("/paths/~1v2~1{project_id}~1tasks/get/responses/200")
            .unwrap()
            .unwrap();
        assert_eq!((ok.start, ok.end), (9, 11));
        let name = t
            .find("/paths/~1v2~1{project_id}~1tasks/get/parameters/1/name")
            .unwrap()
            .unwrap();
        assert!(name.on_dash);
        assert!(t.find("/paths/~1v2~1c").is_none());
    }

    #[test]
    fn edits_keep_everything_else() {
        let mut t = Text::new(SPEC);
        let limit = t
            .find("/paths/~1v2~1{project_id}~1tasks/get/parameters/1")
            .unwrap()
            .unwrap();
        let node = Node::Object(vec![
            ("name".into(), Node::String("offset".into())),
            ("in".into(), Node::String("query".into())),
        ]);
        t.replace(limit, None, &node);
        assert!(t.insert(
            "/components/schemas",
            Some("B"),
            &Node::Object(vec![("type".into(), Node::String("object".into()))])
        ));
        assert!(t.insert(
            "/paths/~1v2~1b/get",
            Some("tags"),
            &Node::Array(vec![Node::String("T".into())])
        ));
        let out = t.into_string();
        let back: serde_json::Value = serde_yaml::from_str(&out).unwrap();
        assert_eq!(
            back.pointer("/paths/~1v2~1{project_id}~1tasks/get/parameters/1/name")
                .unwrap(),
            "offset"
        );
        assert_eq!(
            back.pointer("/components/schemas/B/type").unwrap(),
            "object"
        );
        assert_eq!(back.pointer("/paths/~1v2~1b/get/tags/0").unwrap(), "T");
        assert!(out.contains("\n\n  /v2/b:\n"));
    }
}
