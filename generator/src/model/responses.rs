//! The success responses of an operation: their statuses and the one
//! named schema of their bodies.

use serde_json::Value;

use super::Success;
use crate::error::{SpecError, pointer_join};
use crate::spec::bundle::Bundle;
use crate::spec::walk::{OperationAt, deref};

/// The 2xx responses: their statuses and the one named schema of their JSON
/// bodies.
pub(super) fn success(
    bundle: &Bundle,
    at: &OperationAt<'_>,
    errors: &mut Vec<SpecError>,
) -> Option<Success> {
    let responses = at.op.get("responses").and_then(Value::as_object)?;
    let found: Vec<(&String, &Value)> = responses
        .iter()
        .filter(|(code, _)| code.starts_with('2'))
        .collect();
    if found.is_empty() {
        errors.push(bundle.error(&at.pointer, "operation documents no 2xx response"));
        return None;
    }
    let before = errors.len();
    let mut statuses = Vec::new();
    let mut bodies: Vec<(String, Option<String>)> = Vec::new();
    for (code, response) in found {
        let at_response = pointer_join(&pointer_join(&at.pointer, "responses"), code);
        let Ok(status) = code.parse::<u16>() else {
            errors.push(bundle.error(
                &at_response,
                format!("`{code}` is not a status code: write each 2xx status (200, 204...)"),
            ));
            continue;
        };
        let Some(schema) = success_body(
            bundle,
            &at_response,
            deref(&bundle.document, response),
            errors,
        ) else {
            continue;
        };
        if status == 204 && schema.is_some() {
            errors.push(bundle.error(&at_response, "a 204 response has no body"));
            continue;
        }
        statuses.push(status);
        bodies.push((at_response, schema));
    }
    let named: Vec<&(String, Option<String>)> =
        bodies.iter().filter(|(_, s)| s.is_some()).collect();
    if let Some((first_at, first)) = named.first()
        && let Some((other_at, other)) = named.iter().find(|(_, s)| s != first)
    {
        errors.push(bundle.error(
            other_at,
            format!(
                "2xx responses answer different bodies ({} here, {} at {first_at}): the client \
                 returns one shape; give them one schema",
                other.as_deref().unwrap_or_default(),
                first.as_deref().unwrap_or_default()
            ),
        ));
    }
    if errors.len() != before {
        return None;
    }
    let schema = named.first().and_then(|(_, s)| s.clone());
    let body_optional = schema.is_some() && named.len() < bodies.len();
    if statuses.is_empty() {
        return None;
    }
    Some(Success {
        statuses,
        schema,
        body_optional,
    })
}

/// The named schema of one success response's JSON body (`Some(None)` for
/// none), or `None` after reporting a body the client cannot read.
fn success_body(
    bundle: &Bundle,
    at_response: &str,
    response: &Value,
    errors: &mut Vec<SpecError>,
) -> Option<Option<String>> {
    let content = match response.get("content").and_then(Value::as_object) {
        None => return Some(None),
        Some(content) if content.is_empty() => return Some(None),
        Some(content) => content,
    };
    let named = content
        .get("application/json")
        .and_then(|m| m.pointer("/schema/$ref"))
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"));
    match named {
        Some(name) if content.len() == 1 => Some(Some(name.to_string())),
        _ => {
            errors.push(bundle.error(
                &pointer_join(at_response, "content"),
                "a success body must be application/json with a $ref to a named \
                 component schema (or no content at all)",
            ));
            None
        }
    }
}
