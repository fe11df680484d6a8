//! Small constructors for the spec nodes an import writes.

use generator::spec::document::Node;

pub fn s(text: &str) -> Node {
    Node::String(text.to_string())
}

pub fn obj(pairs: Vec<(&str, Node)>) -> Node {
    Node::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

pub fn described(text: &str, fallback: &str) -> String {
    let t = text.trim();
    if t.is_empty() || t == "-" {
        fallback.to_string()
    } else {
        t.to_string()
    }
}
