//! Reading spec files, once each: the YAML text parsed into a document that
//! keeps its keys in the order the authors wrote them ([`Source`]), and the
//! `serde_json::Value` the pipeline works on derived from it, with errors that
//! name the file.
//!
//! Keys become JSON keys as JSON has them: a string as it is, a number or a
//! boolean as its canonical text (`200:` is `"200"`). Any other key (null, a
//! list, a mapping) and a YAML tag are refused with the file and pointer:
//! OpenAPI has no place for them.

use std::path::Path;

use serde_json::{Map, Number, Value};

use crate::error::{Error, SpecError, pointer_join};

/// One spec file as read: both forms of the one parse.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file in source order, for output people read.
    pub ordered: serde_yaml::Value,
    /// The same document as JSON, for the pipeline.
    pub value: Value,
}

/// Reads and parses one YAML file. A syntax error names the file, the line and
/// the column (there is no JSON pointer yet for text that does not parse).
pub fn load_yaml(path: &Path) -> Result<Value, Error> {
    Ok(load_source(path)?.value)
}

/// Reads one YAML file into both forms.
pub fn load_source(path: &Path) -> Result<Source, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_source(path, &text)
}

/// Parses YAML text read from `path`.
pub fn parse_yaml(path: &Path, text: &str) -> Result<Value, Error> {
    Ok(parse_source(path, text)?.value)
}

/// Parses YAML text read from `path` into both forms.
pub fn parse_source(path: &Path, text: &str) -> Result<Source, Error> {
    let ordered = serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| {
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
    let value = to_json(&ordered, "")
        .map_err(|(pointer, message)| Error::from(SpecError::new(path, pointer, message)))?;
    Ok(Source { ordered, value })
}

/// A YAML mapping key as the JSON key it becomes (`None`: it cannot be one).
pub fn json_key(key: &serde_yaml::Value) -> Option<String> {
    match key {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The JSON value of a parsed YAML value; an error is (pointer, message).
fn to_json(value: &serde_yaml::Value, pointer: &str) -> Result<Value, (String, String)> {
    Ok(match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(*b),
        serde_yaml::Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::from(u)
            } else if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                // Not finite (`.nan`, `.inf`): JSON has no such number.
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s.clone()),
        serde_yaml::Value::Sequence(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| to_json(item, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        serde_yaml::Value::Mapping(mapping) => {
            let mut out = Map::new();
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
                out.insert(name, to_json(item, &at)?);
            }
            Value::Object(out)
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

    fn parse(text: &str) -> Result<Source, Error> {
        parse_source(Path::new("spec/x.yaml"), text)
    }

    #[test]
    fn one_parse_gives_the_json_value_and_the_key_order() {
        let text = "b: 1\na:\n  200:\n    d: [1, -2, 2.5, .nan, true, null, x]\n  true: y\n";
        let source = parse(text).unwrap();
        assert_eq!(
            source.value,
            serde_json::json!({"b": 1, "a": {"200": {"d": [1, -2, 2.5, null, true, null, "x"]}, "true": "y"}})
        );
        let keys: Vec<String> = source
            .ordered
            .as_mapping()
            .unwrap()
            .keys()
            .filter_map(json_key)
            .collect();
        assert_eq!(keys, ["b", "a"]);
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
