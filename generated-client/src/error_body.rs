//! Reading error bodies in every shape the services use.
//!
//! Keys, first match wins: `error_code`/`error_msg`, `errorCode`/`errorMsg`,
//! `code`/`message`, at the top level or nested one level down (for example
//! under `error`). A body that is not JSON is the message itself.

use serde_json::Value;

/// Code and message of an error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedError {
    pub code: Option<String>,
    pub message: String,
}

const PAIRS: [(&str, &str); 3] = [
    ("error_code", "error_msg"),
    ("errorCode", "errorMsg"),
    ("code", "message"),
];

/// Parses an error body.
pub fn parse(body: &[u8]) -> ParsedError {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|value| {
            let nested = value
                .as_object()
                .into_iter()
                .flat_map(|m| m.values())
                .filter(|v| v.is_object());
            std::iter::once(&value).chain(nested).find_map(pair)
        })
        .unwrap_or_else(|| ParsedError {
            code: None,
            message: String::from_utf8_lossy(body)
                .trim()
                .chars()
                .take(512)
                .collect(),
        })
}

fn pair(value: &Value) -> Option<ParsedError> {
    let map = value.as_object()?;
    PAIRS.iter().find_map(|(code_key, message_key)| {
        let code = map.get(*code_key).and_then(scalar_text);
        let message = map.get(*message_key).and_then(scalar_text);
        (code.is_some() || message.is_some()).then(|| ParsedError {
            code,
            message: message.unwrap_or_default(),
        })
    })
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
