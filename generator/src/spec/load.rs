//! Reading spec files: YAML text into JSON values, with errors that name the file.

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, SpecError};

/// Reads and parses one YAML file. A syntax error names the file, the line and
/// the column (there is no JSON pointer yet for text that does not parse).
pub fn load_yaml(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_yaml(path, &text)
}

/// Parses YAML text read from `path`.
pub fn parse_yaml(path: &Path, text: &str) -> Result<Value, Error> {
    serde_yaml::from_str::<Value>(text).map_err(|e| {
        let place = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        SpecError::new(path, "", format!("invalid YAML{place}: {e}")).into()
    })
}

/// Looks up an RFC 6901 pointer in a value.
pub fn resolve_pointer<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    value.pointer(pointer)
}
