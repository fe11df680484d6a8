//! Writing the ordered document as YAML that reads back as the same value.
//!
//! [`Node::to_yaml`] writes block-style YAML that every YAML 1.1 and 1.2
//! parser reads back as the same JSON value: a string is written plain only
//! when it cannot be mistaken for anything else, otherwise double-quoted.

use std::fmt::Write;

use super::document::Node;

impl Node {
    /// Block-style YAML, keys in order, ending with a newline.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        match self {
            Node::Object(pairs) if !pairs.is_empty() => write_pairs(&mut out, pairs, 0, false),
            Node::Array(items) if !items.is_empty() => write_items(&mut out, items, 0),
            scalar => {
                out.push_str(&yaml_scalar(scalar));
                out.push('\n');
            }
        }
        out
    }
}

fn write_pairs(out: &mut String, pairs: &[(String, Node)], indent: usize, first_inline: bool) {
    for (i, (key, value)) in pairs.iter().enumerate() {
        if !(first_inline && i == 0) {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&yaml_string(key));
        out.push(':');
        write_value(out, value, indent);
    }
}

fn write_items(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match item {
            Node::Object(pairs) if !pairs.is_empty() => {
                out.push(' ');
                write_pairs(out, pairs, indent + 2, true);
            }
            Node::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_items(out, inner, indent + 2);
            }
            scalar => {
                out.push(' ');
                out.push_str(&yaml_scalar(scalar));
                out.push('\n');
            }
        }
    }
}

/// Writes what follows `key:`.
fn write_value(out: &mut String, value: &Node, indent: usize) {
    match value {
        Node::Object(pairs) if !pairs.is_empty() => {
            out.push('\n');
            write_pairs(out, pairs, indent + 2, false);
        }
        Node::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_items(out, items, indent + 2);
        }
        scalar => {
            out.push(' ');
            out.push_str(&yaml_scalar(scalar));
            out.push('\n');
        }
    }
}

/// A scalar as YAML (collections as their empty forms).
pub fn yaml_scalar(node: &Node) -> String {
    match node {
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Number(n) => n.to_string(),
        Node::String(s) => yaml_string(s),
        Node::Array(_) => "[]".into(),
        Node::Object(_) => "{}".into(),
    }
}

/// A string as a YAML scalar: plain when no YAML 1.1 or 1.2 reader could take
/// it for anything but this string, double-quoted otherwise.
pub fn yaml_string(s: &str) -> String {
    if is_plain_safe(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_safe(s: &str) -> bool {
    const WORDS: [&str; 9] = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"];
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '$' || c == '_')
        && s.bytes().all(|b| (0x20..0x7f).contains(&b))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([':', ' '])
        && !WORDS.contains(&s.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    #[test]
    fn strings_that_could_be_read_otherwise_are_quoted() {
        for s in [
            "200",
            "on",
            "No",
            "null",
            "2023-06-17T08:18:06.597Z",
            "",
            " x",
            "a: b",
            "a #b",
            "x:",
            "`code`",
            "/v2/{project_id}/tasks",
            "0.125",
            "é",
            "line\nbreak",
        ] {
            let written = yaml_string(s);
            assert!(written.starts_with('"'), "{s:?} written as {written}");
            let read: String = serde_yaml::from_str(&written).unwrap();
            assert_eq!(read, s);
        }
        for s in [
            "Tasks",
            "application/json",
            "a4d31cb6",
            "Format `x`, ok.",
            "$ref",
        ] {
            assert_eq!(yaml_string(s), s);
        }
    }

    #[test]
    fn yaml_reads_back_as_the_same_value() {
        let value = serde_json::json!({
            "b": [1, 2.5, {"x": null, "y": [], "z": {}}, [true, "on"]],
            "a": {"200": "ok", "k": "multi\nline"},
            "c": "",
        });
        let node = Node::sorted(&value);
        let yaml = node.to_yaml();
        let read: Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(read, value, "{yaml}");
    }
}
