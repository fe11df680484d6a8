//! YAML in the house style of `spec/`: two-space indentation, quoted `$ref`s
//! and status codes, short scalar lists in flow style, long prose folded
//! (`>-`) at the width the hand-written specs use.
//!
//! Imported pieces are spliced into hand-written files, so they must look
//! like their neighbours; every string is written so that any YAML reader
//! reads back exactly the same value.

use generator::spec::document::Node;
use generator::spec::yaml::{yaml_scalar, yaml_string};

/// The column prose is folded at.
const WIDTH: usize = 86;

/// A single-line value may run to this column before it is folded.
const LONG: usize = 100;

/// `key: value` at `indent`, with everything nested under it.
pub fn entry(key: &str, value: &Node, indent: usize) -> String {
    let mut out = String::new();
    write_entry(&mut out, key, value, indent, false);
    out
}

/// `- value` at `indent` (a sequence item), with everything nested under it.
pub fn item(value: &Node, indent: usize) -> String {
    let mut out = String::new();
    write_item(&mut out, value, indent);
    out
}

/// A whole document: its top-level keys, one blank line before `paths` and
/// `components` and between their entries, as the hand-written specs do.
pub fn document(root: &Node) -> String {
    let mut out = String::new();
    let Node::Object(pairs) = root else {
        return yaml_scalar(root);
    };
    for (key, value) in pairs {
        match (key.as_str(), value) {
            ("paths", Node::Object(paths)) => {
                out.push_str("paths:\n");
                for (i, (path, item)) in paths.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    write_entry(&mut out, path, item, 2, false);
                }
                out.push('\n');
            }
            ("components", Node::Object(sections)) => {
                out.push_str("components:\n");
                for (name, section) in sections {
                    match section {
                        Node::Object(entries) if name == "schemas" => {
                            out.push_str("  schemas:\n");
                            for (i, (schema, body)) in entries.iter().enumerate() {
                                if i > 0 {
                                    out.push('\n');
                                }
                                write_entry(&mut out, schema, body, 4, false);
                            }
                        }
                        _ => write_entry(&mut out, name, section, 2, false),
                    }
                }
            }
            _ => write_entry(&mut out, key, value, 0, false),
        }
    }
    out
}

fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

fn write_entry(out: &mut String, key: &str, value: &Node, indent: usize, inline: bool) {
    if !inline {
        out.push_str(&pad(indent));
    }
    let key_text = yaml_string(key);
    out.push_str(&key_text);
    out.push(':');
    match value {
        Node::Object(pairs) if !pairs.is_empty() => {
            out.push('\n');
            for (k, v) in pairs {
                write_entry(out, k, v, indent + 2, false);
            }
        }
        Node::Array(items) if !items.is_empty() => match flow(items) {
            Some(text) if indent + key_text.len() + 2 + text.len() <= LONG => {
                out.push(' ');
                out.push_str(&text);
                out.push('\n');
            }
            _ => {
                out.push('\n');
                for i in items {
                    write_item(out, i, indent + 2);
                }
            }
        },
        other => {
            let at = indent + key_text.len() + 2;
            let text = if key == "$ref" {
                quoted(other)
            } else {
                yaml_scalar(other)
            };
            out.push_str(&folded_or(text, other, at, indent));
            out.push('\n');
        }
    }
}

fn write_item(out: &mut String, value: &Node, indent: usize) {
    out.push_str(&pad(indent));
    out.push('-');
    match value {
        Node::Object(pairs) if !pairs.is_empty() => {
            out.push(' ');
            for (i, (k, v)) in pairs.iter().enumerate() {
                write_entry(out, k, v, indent + 2, i == 0);
            }
        }
        Node::Array(items) if !items.is_empty() => {
            out.push('\n');
            for i in items {
                write_item(out, i, indent + 2);
            }
        }
        other => {
            out.push(' ');
            out.push_str(&folded_or(yaml_scalar(other), other, indent + 2, indent));
            out.push('\n');
        }
    }
}

/// ` text` after a key (the value starting at column `at`), or a
/// folded/literal block (continued at `indent` + 2) when the string is too
/// long for the line or spans several lines.
fn folded_or(text: String, value: &Node, at: usize, indent: usize) -> String {
    let Node::String(s) = value else {
        return format!(" {text}");
    };
    if s.contains('\n') && literal_safe(s) {
        let mut out = String::from(" |-");
        for line in s.lines() {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad(indent + 2));
                out.push_str(line);
            }
        }
        return out;
    }
    if at + text.len() > LONG && fold_safe(s) {
        let mut out = String::from(" >-");
        let mut line = String::new();
        for word in s.split(' ') {
            if !line.is_empty() && indent + 2 + line.len() + 1 + word.len() > WIDTH {
                out.push('\n');
                out.push_str(&pad(indent + 2));
                out.push_str(&line);
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push('\n');
        out.push_str(&pad(indent + 2));
        out.push_str(&line);
        return out;
    }
    format!(" {text}")
}

/// Whether a folded block reads back as this string: single spaces between
/// words, nothing at either end, no character folding would change.
fn fold_safe(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && !s.chars().any(|c| c.is_control() || c == '\u{feff}')
}

/// Whether a literal block reads back as this string.
fn literal_safe(s: &str) -> bool {
    !s.starts_with([' ', '\n'])
        && !s.ends_with('\n')
        && !s.contains("\n\n\n")
        && s.lines().all(|l| !l.ends_with(' ') && !l.starts_with(' '))
        && !s
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{feff}')
}

/// A flow sequence (`[a, b]`) when every item is a short plain scalar.
fn flow(items: &[Node]) -> Option<String> {
    let mut parts = Vec::new();
    for i in items {
        let text = match i {
            Node::String(s) => {
                let t = yaml_string(s);
                if t.contains([',', '[', ']', '{', '}']) || t.starts_with('"') && s.len() > 12 {
                    return None;
                }
                t
            }
            Node::Number(n) => n.to_string(),
            Node::Bool(b) => b.to_string(),
            _ => return None,
        };
        parts.push(text);
    }
    Some(format!("[{}]", parts.join(", ")))
}

/// A string in double quotes whatever it holds (`$ref`s are written so).
fn quoted(node: &Node) -> String {
    match node {
        Node::String(s) => {
            let plain = yaml_string(s);
            if plain.starts_with('"') {
                plain
            } else {
                format!("\"{s}\"")
            }
        }
        other => yaml_scalar(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Node {
        Node::String(v.into())
    }

    fn obj(pairs: Vec<(&str, Node)>) -> Node {
        Node::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    #[test]
    fn reads_back_the_same_value() {
        let long = "A description long enough that it has to be folded over more than one line of the house width, with words.";
        let node = obj(vec![
            (
                "$ref",
                s("shared/common.yaml#/components/parameters/ProjectId"),
            ),
            ("tags", Node::Array(vec![s("Tasks")])),
            ("description", s(long)),
            ("multi", s("Options:\nEXTEND: a\nBindEip: b")),
            (
                "parameters",
                Node::Array(vec![obj(vec![("name", s("limit")), ("in", s("query"))])]),
            ),
            ("200", obj(vec![("description", s("OK: yes"))])),
        ]);
        let text = entry("op", &node, 4);
        assert!(text.contains("$ref: \"shared/common.yaml#/components/parameters/ProjectId\""));
        assert!(text.contains("tags: [Tasks]"));
        assert!(text.contains("description: >-\n"));
        assert!(text.contains("- name: limit\n"));
        assert!(text.lines().all(|l| l.len() <= WIDTH || !l.contains(' ')));
        let back: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back["op"], node.to_value());
    }
}
