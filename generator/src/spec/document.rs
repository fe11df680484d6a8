//! The one ordered document of a spec.
//!
//! A spec is read once ([`super::load`]) into a [`Node`]: a JSON value whose
//! objects keep their keys in the order the authors wrote them. Bundling
//! ([`super::bundle`]) works on it, so the bundled document keeps that order
//! too: every key where its file has it, and the pieces bundling adds (an
//! imported component, a `components` group the service did not have) after
//! the keys written there, sorted by name. Same spec, same order, same bytes.
//!
//! The checks, the model and progenitor read the bundled document as a
//! `serde_json::Value` ([`Node::to_value`], made once per bundle): its
//! objects sort their keys, and nothing that reads it depends on the order.
//! The order lives here rather than in serde_json's `preserve_order` feature
//! because Cargo unifies features across the workspace: that feature would
//! also change the maps of the client crate the tests build beside the
//! generator, so the client would behave differently in the workspace than
//! for its users.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

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

    /// Sets the member `key` of an object: in its place when it is there,
    /// after the others when it is new (nothing on a value that is not an
    /// object).
    pub fn insert(&mut self, key: String, value: Node) {
        if let Node::Object(pairs) = self {
            match pairs.iter_mut().find(|(k, _)| *k == key) {
                Some((_, slot)) => *slot = value,
                None => pairs.push((key, value)),
            }
        }
    }

    /// The member `key` of an object, made an empty object first when the
    /// object has no such member (`None` on a value that is not an object).
    pub fn entry_object(&mut self, key: &str) -> Option<&mut Node> {
        let Node::Object(pairs) = self else {
            return None;
        };
        let at = match pairs.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                pairs.push((key.to_string(), Node::Object(Vec::new())));
                pairs.len() - 1
            }
        };
        Some(&mut pairs[at].1)
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

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Node::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&serde_json::Number> {
        match self {
            Node::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The string member `key` of an object, if it is one.
    pub fn text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Node::as_str).map(str::to_string)
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
