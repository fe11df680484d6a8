//! The regions file's YAML as a small tree that remembers where each value
//! starts, built from `saphyr-parser`'s events.
//!
//! The file needs only mappings, lists and text, and every error must name
//! the line, so the tree is this module's rather than a general YAML value:
//! the parser alone builds in a fraction of the time a serde YAML stack
//! takes, and this crate is compiled by every program that uses it.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// A value of the document and where it starts.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub value: Value,
    /// 1-based line and column of the value's first character.
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug)]
pub(crate) enum Value {
    /// `~`, `null`, or nothing at all after a key.
    Null,
    Text(String),
    List(Vec<Node>),
    /// Entries in the file's order; keys are text.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// "line L column C", for error messages.
    pub fn place(&self) -> String {
        format!("line {} column {}", self.line, self.column)
    }

    /// What kind of value this is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Text(_) => "a text",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A collection being built, with the anchor it will be stored under.
enum Open {
    List(Node, usize),
    /// The pending key, once read, waits for its value.
    Map(Node, usize, Option<(String, Node)>),
}

/// Parses one YAML document; `Ok(None)` when the text holds none.
pub(crate) fn parse(text: &str) -> Result<Option<Node>, String> {
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut document: Option<Node> = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            format!(
                "{} at line {} column {}",
                e.info(),
                e.marker().line(),
                e.marker().col() + 1
            )
        })?;
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, _) => (scalar(&text, style, &span), anchor),
            Event::Alias(id) => {
                let node = anchors.get(&id).cloned().ok_or_else(|| {
                    format!("unknown alias at {}", at_with(&span, Value::Null).place())
                })?;
                (node, 0)
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Open::List(at_with(&span, Value::List(Vec::new())), anchor));
                continue;
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Open::Map(
                    at_with(&span, Value::Map(Vec::new())),
                    anchor,
                    None,
                ));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::List(node, anchor) | Open::Map(node, anchor, _)) => (node, anchor),
                None => continue,
            },
            Event::DocumentStart(_) if document.is_some() => {
                return Err(format!(
                    "a second YAML document at {}; the file holds one",
                    at_with(&span, Value::Null).place()
                ));
            }
            _ => continue,
        };
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => document = Some(node),
            Some(Open::List(list, _)) => {
                if let Value::List(items) = &mut list.value {
                    items.push(node);
                }
            }
            Some(Open::Map(map, _, pending)) => match pending.take() {
                Some((key, key_node)) => {
                    let Value::Map(entries) = &mut map.value else {
                        continue;
                    };
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(format!("duplicate key `{key}` at {}", key_node.place()));
                    }
                    entries.push((key, node));
                }
                None => match node.value {
                    Value::Text(ref key) => *pending = Some((key.clone(), node)),
                    _ => {
                        return Err(format!(
                            "a key must be a text, found {} at {}",
                            node.kind(),
                            node.place()
                        ));
                    }
                },
            },
        }
    }
    Ok(document)
}

fn scalar(text: &str, style: ScalarStyle, span: &Span) -> Node {
    let null = style == ScalarStyle::Plain && matches!(text, "" | "~" | "null" | "Null" | "NULL");
    at_with(
        span,
        if null {
            Value::Null
        } else {
            Value::Text(text.to_string())
        },
    )
}

fn at_with(span: &Span, value: Value) -> Node {
    Node {
        value,
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(node: &Node) -> &str {
        match &node.value {
            Value::Text(t) => t,
            other => panic!("not a text: {other:?}"),
        }
    }

    #[test]
    fn mappings_lists_and_places() {
        let doc = parse("DCS:\n  - id: 'a'\n    endpoints: [x, \"y\"]\n  - id: b\n    endpoint:\n")
            .unwrap()
            .unwrap();
        let Value::Map(services) = &doc.value else {
            panic!("{doc:?}")
        };
        let (key, entries) = &services[0];
        assert_eq!(key, "DCS");
        let Value::List(entries) = &entries.value else {
            panic!()
        };
        assert_eq!((entries[1].line, entries[1].column), (4, 5));
        let Value::Map(first) = &entries[0].value else {
            panic!()
        };
        assert_eq!(text(&first[0].1), "a");
        let Value::List(endpoints) = &first[1].1.value else {
            panic!()
        };
        assert_eq!(endpoints.iter().map(text).collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!((endpoints[1].line, endpoints[1].column), (3, 20));
        let Value::Map(second) = &entries[1].value else {
            panic!()
        };
        assert!(matches!(second[1].1.value, Value::Null));
    }

    #[test]
    fn anchors_quoted_null_and_empty() {
        let doc = parse("a: &e {id: x}\nb: *e\nc: 'null'\n").unwrap().unwrap();
        let Value::Map(entries) = &doc.value else {
            panic!()
        };
        assert!(matches!(&entries[1].1.value, Value::Map(m) if text(&m[0].1) == "x"));
        assert_eq!(text(&entries[2].1), "null");
        assert!(parse("").unwrap().is_none());
        assert!(parse("# only a comment\n").unwrap().is_none());
    }

    #[test]
    fn errors_name_the_place() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert!(e.contains("duplicate key `a` at line 2 column 1"), "{e}");
        // An unclosed quote is reported where it opens.
        let e = parse("a: 1\nb: \"open\n").unwrap_err();
        assert!(e.contains("quoted scalar"), "{e}");
        assert!(e.contains("line 2 column 4"), "{e}");
        let e = parse("[x]: 1\n").unwrap_err();
        assert!(
            e.contains("a key must be a text, found a list at line 1"),
            "{e}"
        );
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.contains("second YAML document at line 2"), "{e}");
    }

    #[test]
    fn damaged_text_is_an_error_or_a_tree_never_a_panic() {
        let good = "DCS:\n  - id: &r 'cn-north-9'\n    endpoints: [\"https://a\", b]\n  - {id: *r, endpoint: ~}\n# end\n";
        let replacements = [
            '\t', ':', '-', '"', '\'', '[', '{', '&', '*', '#', '|', '>', '\n', ' ', '\u{feff}',
        ];
        for (at, _) in good.char_indices() {
            let (head, tail) = good.split_at(at);
            let rest = &tail[tail.chars().next().map_or(0, char::len_utf8)..];
            let _ = parse(&format!("{head}{rest}"));
            for c in replacements {
                let _ = parse(&format!("{head}{c}{rest}"));
                let _ = parse(&format!("{head}{c}{tail}"));
            }
        }
    }
}
