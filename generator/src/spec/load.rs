//! Reading spec files, once each: the YAML text parsed into the ordered
//! document ([`Node`]) every later stage derives from, with errors that name
//! the file.
//!
//! Keys become JSON keys as JSON has them: a string as it is, a number or a
//! boolean as its canonical text (`200:` is `"200"`; should two keys become
//! the same text, the first one's place and the last one's value are kept, as
//! a JSON object would have them). Any other key (null, a list, a mapping) and
//! a YAML tag are refused with the file and pointer: OpenAPI has no place for
//! them.

use std::path::Path;

use serde_json::{Number, Value};

use crate::error::{Error, SpecError, pointer_join};
use crate::spec::document::Node;

/// Reads and parses one YAML file as JSON. A syntax error names the file,
/// the line and the column (there is no JSON pointer yet for text that does
/// not parse).
pub fn load_yaml(path: &Path) -> Result<Value, Error> {
    Ok(load_document(path)?.to_value())
}

/// Reads one YAML file into its ordered document.
pub fn load_document(path: &Path) -> Result<Node, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_document(path, &text)
}

/// Parses YAML text read from `path` as JSON.
pub fn parse_yaml(path: &Path, text: &str) -> Result<Value, Error> {
    Ok(parse_document(path, text)?.to_value())
}

/// Parses YAML text read from `path` into its ordered document.
pub fn parse_document(path: &Path, text: &str) -> Result<Node, Error> {
    let yaml = serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| {
        let place = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        Error::from(SpecError::new(
            path,
            "",
            format!("invalid YAML{place}: {e}"),
        ))
    })?;
    to_node(&yaml, "")
        .map_err(|(pointer, message)| Error::from(SpecError::new(path, pointer, message)))
}

/// A YAML mapping key as the JSON key it becomes (`None`: it cannot be one).
fn json_key(key: &serde_yaml::Value) -> Option<String> {
    match key {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The ordered document of a parsed YAML value; an error is (pointer, message).
fn to_node(value: &serde_yaml::Value, pointer: &str) -> Result<Node, (String, String)> {
    Ok(match value {
        serde_yaml::Value::Null => Node::Null,
        serde_yaml::Value::Bool(b) => Node::Bool(*b),
        serde_yaml::Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Node::Number(u.into())
            } else if let Some(i) = n.as_i64() {
                Node::Number(i.into())
            } else {
                // Not finite (`.nan`, `.inf`): JSON has no such number.
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map_or(Node::Null, Node::Number)
            }
        }
        serde_yaml::Value::String(s) => Node::String(s.clone()),
        serde_yaml::Value::Sequence(items) => Node::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| to_node(item, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        serde_yaml::Value::Mapping(mapping) => {
            let mut out = Node::Object(Vec::with_capacity(mapping.len()));
            for (key, item) in mapping {
                let Some(name) = json_key(key) else {
                    return Err((
                        pointer.to_string(),
                        format!(
                            "a mapping key must be a string, a number or a boolean, not {}",
                            serde_yaml::to_string(key).unwrap_or_default().trim_end()
                        ),
                    ));
                };
                let at = pointer_join(pointer, &name);
                let item = to_node(item, &at)?;
                out.insert(name, item);
            }
            out
        }
        serde_yaml::Value::Tagged(tagged) => {
            return Err((
                pointer.to_string(),
                format!("YAML tags are not supported (`{}`)", tagged.tag),
            ));
        }
    })
}

/// Looks up an RFC 6901 pointer in a value.
pub fn resolve_pointer<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    value.pointer(pointer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Node, Error> {
        parse_document(Path::new("spec/x.yaml"), text)
    }

    #[test]
    fn one_parse_gives_the_json_value_and_the_key_order() {
        let text =
            "b: 1\na:\n  200:\n    d: [1, -2, 2.5, .nan, true, null, x]\n  true: y\n  '200': z\n";
        let doc = parse(text).unwrap();
        assert_eq!(
            doc.to_value(),
            serde_json::json!({"b": 1, "a": {"200": "z", "true": "y"}})
        );
        let keys: Vec<&str> = doc.entries().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
        let inner: Vec<&str> = doc
            .get("a")
            .unwrap()
            .entries()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(inner, ["200", "true"], "the first place, the last value");
        let numbers = parse("d: [1, -2, 2.5, .nan, true, null, x]\n").unwrap();
        assert_eq!(
            numbers.to_value(),
            serde_json::json!({"d": [1, -2, 2.5, null, true, null, "x"]})
        );
    }

    #[test]
    fn keys_and_tags_json_cannot_hold_are_refused_with_their_place() {
        let keyed = parse("paths:\n  /a:\n    ? [1, 2]\n    : x\n").unwrap_err();
        let text = keyed.to_string();
        assert!(
            text.contains("spec/x.yaml") && text.contains("/paths/~1a"),
            "{text}"
        );
        assert!(text.contains("a mapping key must be"), "{text}");
        let tagged = parse("info: !thing x\n").unwrap_err().to_string();
        assert!(
            tagged.contains("/info") && tagged.contains("YAML tags"),
            "{tagged}"
        );
        let broken = parse("a: [\n").unwrap_err().to_string();
        assert!(broken.contains("invalid YAML (line"), "{broken}");
    }
}
