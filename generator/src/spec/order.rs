//! A bundled document with its keys in the order the spec's authors wrote them.
//!
//! The pipeline works on `serde_json::Value`, whose objects sort their keys.
//! Published documents are read by people, so [`Node`] keeps an explicit key
//! order: for every object, the keys as they appear in the YAML file the piece
//! came from (found through [`Bundle::locate`], and read from the file as the
//! bundle parsed it, [`Bundle::source`]: no file is read twice), then any
//! other keys (pieces the bundler added) sorted. Same spec, same order, same
//! bytes.
//!
//! [`Node::to_yaml`] writes YAML that every YAML 1.1 and 1.2 parser reads back
//! as the same JSON value: a string is written plain only when it cannot be
//! mistaken for anything else, otherwise double-quoted.

use std::fmt::Write;
use std::path::Path;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use crate::error::pointer_join;
use crate::spec::bundle::Bundle;
use crate::spec::load::json_key;

/// A JSON value whose objects keep their key order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    /// The bundled document of `bundle`, keys in source order.
    pub fn from_bundle(bundle: &Bundle) -> Node {
        convert(bundle, &bundle.document, "")
    }

    /// A value with every object's keys sorted (for values with no source).
    pub fn sorted(value: &Value) -> Node {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n.clone()),
            Value::String(s) => Node::String(s.clone()),
            Value::Array(items) => Node::Array(items.iter().map(Node::sorted).collect()),
            Value::Object(map) => Node::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Node::sorted(v)))
                    .collect(),
            ),
        }
    }

    /// The same value without the key order.
    pub fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::String(s) => Value::String(s.clone()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(pairs) => Value::Object(
                pairs
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Looks up an RFC 6901 pointer.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut node = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = crate::error::pointer_unescape(token);
            node = match node {
                Node::Object(_) => node.get(&token)?,
                Node::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Follows a local `$ref` (if this is one) within `root`.
    pub fn deref<'a>(&'a self, root: &'a Node) -> &'a Node {
        match self
            .get("$ref")
            .and_then(Node::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(target) => root.pointer(target).unwrap_or(self),
            None => self,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Node::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match self {
            Node::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members of an object, in order.
    pub fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Object(pairs) => pairs,
            _ => &[],
        }
    }

    /// A string for a scalar (numbers and booleans as JSON), JSON otherwise.
    pub fn to_text(&self) -> String {
        match self {
            Node::String(s) => s.clone(),
            other => serde_json::to_string(other).unwrap_or_default(),
        }
    }

    /// Pretty JSON, keys in order.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

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

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Number(n) => n.serialize(serializer),
            Node::String(s) => serializer.serialize_str(s),
            Node::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(pairs) => {
                let mut map = serializer.serialize_map(Some(pairs.len()))?;
                for (k, v) in pairs {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// The piece of the bundled document at `pointer`, each object's keys in the
/// order of the file the piece came from.
fn convert(bundle: &Bundle, value: &Value, pointer: &str) -> Node {
    match value {
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(convert(bundle, item, &format!("{pointer}/{i}")));
            }
            Node::Array(out)
        }
        Value::Object(map) => {
            let (file, source_pointer) = bundle.locate(pointer);
            let mut keys: Vec<&String> = Vec::with_capacity(map.len());
            for key in keys_at(bundle, &file, &source_pointer) {
                if let Some((k, _)) = map.get_key_value(&key)
                    && !keys.contains(&k)
                {
                    keys.push(k);
                }
            }
            for k in map.keys() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            let mut pairs = Vec::with_capacity(keys.len());
            for k in keys {
                let child = convert(bundle, &map[k], &pointer_join(pointer, k));
                pairs.push((k.clone(), child));
            }
            Node::Object(pairs)
        }
        scalar => Node::sorted(scalar),
    }
}

/// The keys of the mapping at `pointer` in `file`, in file order (none if
/// there is no mapping there, or the bundle did not read the file).
fn keys_at(bundle: &Bundle, file: &Path, pointer: &str) -> Vec<String> {
    let Some(mut node) = bundle.source(file) else {
        return Vec::new();
    };
    if !pointer.is_empty() {
        for token in pointer.trim_start_matches('/').split('/') {
            let token = crate::error::pointer_unescape(token);
            let next = match node {
                serde_yaml::Value::Mapping(m) => m
                    .iter()
                    .find(|(k, _)| json_key(k).as_deref() == Some(token.as_str()))
                    .map(|(_, v)| v),
                serde_yaml::Value::Sequence(s) => {
                    token.parse::<usize>().ok().and_then(|i| s.get(i))
                }
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => return Vec::new(),
            }
        }
    }
    match node {
        serde_yaml::Value::Mapping(m) => m.keys().filter_map(json_key).collect(),
        _ => Vec::new(),
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
