//! House rules every service spec must follow before code is generated.
//!
//! - the document parses as OpenAPI 3.0.x;
//! - every operation has an operationId (unique across all specs), a summary, a
//!   description and a tag;
//! - every parameter, property and named schema is described;
//! - every error response (4xx, 5xx, default) uses one shared schema, and every
//!   response declares the `X-Request-Id` header;
//! - every embedded example is valid against its schema;
//! - every `x-hwc-` extension is known, well placed and well formed.
//!
//! All problems are collected and reported together.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{SpecError, pointer_join};
use crate::spec::bundle::Bundle;
pub mod examples;
pub mod extensions;

use crate::spec::walk::{OperationAt, deref, operations};
use crate::spec::walk::{SchemaSite, visit_schemas};

/// Parses a bundled document into openapiv3's model, naming the pointer of the
/// first structural problem.
pub fn parse(bundle: &Bundle) -> Result<openapiv3::OpenAPI, SpecError> {
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&bundle.document).map_err(|e| {
        let pointer = path_to_pointer(&e.path().to_string());
        bundle.error(
            &pointer,
            format!("not a valid OpenAPI document: {}", e.inner()),
        )
    })
}

/// Runs every house rule on one bundled document.
pub fn check(bundle: &Bundle) -> Vec<SpecError> {
    let doc = &bundle.document;
    let mut errors = Vec::new();
    if let Err(e) = parse(bundle) {
        errors.push(e);
        return errors;
    }
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !version.starts_with("3.0.") {
        errors.push(bundle.error(
            "/openapi",
            format!("expected OpenAPI 3.0.x, found `{version}`"),
        ));
    }
    check_operations(bundle, &mut errors);
    check_unique_operation_ids(bundle, &mut errors);
    check_descriptions(bundle, &mut errors);
    check_responses(bundle, &mut errors);
    check_security(bundle, &mut errors);
    check_patterns(bundle, &mut errors);
    errors.extend(extensions::check(bundle));
    errors.extend(examples::check(bundle));
    errors
}

/// operationIds must be unique within a service: they name its generated
/// builder methods. Services may share names (the official SDKs of several
/// services all have a `ListBackgroundTasks`); each has its own module.
fn check_unique_operation_ids(bundle: &Bundle, errors: &mut Vec<SpecError>) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for OperationAt { pointer, op, .. } in operations(&bundle.document) {
        if let Some(id) = op.get("operationId").and_then(Value::as_str)
            && let Some(first) = seen.insert(id.to_string(), pointer.clone())
        {
            errors.push(bundle.error(
                &pointer_join(&pointer, "operationId"),
                format!("operationId `{id}` is already used at {first}"),
            ));
        }
    }
}

fn check_operations(bundle: &Bundle, errors: &mut Vec<SpecError>) {
    for OperationAt { pointer, op, .. } in operations(&bundle.document) {
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if id.is_empty() {
            errors.push(bundle.error(&pointer, "operation has no operationId"));
        } else if !id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            || !id.chars().all(|c| c.is_ascii_alphanumeric())
        {
            errors.push(bundle.error(
                &pointer_join(&pointer, "operationId"),
                format!("operationId `{id}` must be alphanumeric, starting with a letter"),
            ));
        }
        for key in ["summary", "description"] {
            if !non_empty(op.get(key)) {
                errors.push(bundle.error(&pointer, format!("operation `{id}` has no {key}")));
            }
        }
        if op
            .get("tags")
            .and_then(Value::as_array)
            .is_none_or(|t| t.is_empty())
        {
            errors.push(bundle.error(&pointer, format!("operation `{id}` has no tag")));
        }
        if let Some(Value::Array(params)) = op.get("parameters") {
            for (i, p) in params.iter().enumerate() {
                let p = deref(&bundle.document, p);
                if !non_empty(p.get("description")) {
                    let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
                    errors.push(bundle.error(
                        &format!("{pointer}/parameters/{i}"),
                        format!("parameter `{name}` has no description"),
                    ));
                }
            }
        }
    }
    if let Some(Value::Object(params)) = bundle.document.pointer("/components/parameters") {
        for (name, p) in params {
            if !non_empty(p.get("description")) {
                errors.push(bundle.error(
                    &pointer_join("/components/parameters", name),
                    format!("parameter `{name}` has no description"),
                ));
            }
        }
    }
}

fn check_descriptions(bundle: &Bundle, errors: &mut Vec<SpecError>) {
    let doc = &bundle.document;
    visit_schemas(doc, &mut |pointer, schema, site| {
        let described = non_empty(schema.get("description"))
            || non_empty(deref(doc, schema).get("description"));
        match site {
            SchemaSite::Component(name) if !described => {
                errors.push(bundle.error(pointer, format!("schema `{name}` has no description")))
            }
            SchemaSite::Property(name) if !described => errors.push(bundle.error(
                pointer,
                format!("property `{name}` has no description (inline or on the $ref target)"),
            )),
            _ => {}
        }
    });
}

fn check_responses(bundle: &Bundle, errors: &mut Vec<SpecError>) {
    let doc = &bundle.document;
    let mut error_schema: Option<(String, String)> = None;
    for OperationAt { pointer, op, .. } in operations(doc) {
        let Some(Value::Object(responses)) = op.get("responses") else {
            errors.push(bundle.error(&pointer, "operation has no responses"));
            continue;
        };
        if !responses
            .keys()
            .any(|c| c.starts_with('4') || c.starts_with('5'))
        {
            errors.push(bundle.error(&pointer, "operation documents no error response"));
        }
        for (code, response) in responses {
            let at = pointer_join(&pointer_join(&pointer, "responses"), code);
            let response = deref(doc, response);
            if response.pointer("/headers/X-Request-Id").is_none() {
                errors.push(bundle.error(
                    &at,
                    format!("response {code} does not declare the X-Request-Id header"),
                ));
            }
            let is_error = code.starts_with('4') || code.starts_with('5') || code == "default";
            if !is_error {
                continue;
            }
            let schema_ref = response
                .pointer("/content/application~1json/schema/$ref")
                .and_then(Value::as_str)
                .unwrap_or("(inline or none)")
                .to_string();
            match &error_schema {
                None => error_schema = Some((schema_ref, at)),
                Some((first, first_at)) if *first != schema_ref => errors.push(bundle.error(
                    &at,
                    format!(
                        "error response {code} uses {schema_ref}, but error responses must share \
                         one schema ({first} at {first_at})"
                    ),
                )),
                Some(_) => {}
            }
        }
    }
}

fn non_empty(value: Option<&Value>) -> bool {
    value
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

/// Turns serde_path_to_error's `a.b[0].c` into `/a/b/0/c`.
fn path_to_pointer(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    let mut out = String::new();
    for part in path.split('.') {
        let mut rest = part;
        while let Some(open) = rest.find('[') {
            let (name, tail) = rest.split_at(open);
            if !name.is_empty() {
                out = pointer_join(&out, name);
            }
            let close = tail.find(']').unwrap_or(tail.len());
            out = pointer_join(&out, &tail[1..close]);
            rest = tail.get(close + 1..).unwrap_or("");
        }
        if !rest.is_empty() {
            out = pointer_join(&out, rest);
        }
    }
    out
}

/// Every security requirement must name a scheme the document defines.
fn check_security(bundle: &Bundle, errors: &mut Vec<SpecError>) {
    let doc = &bundle.document;
    let defined = doc.pointer("/components/securitySchemes");
    let mut places: Vec<(String, &Value)> = Vec::new();
    if let Some(s) = doc.get("security") {
        places.push(("/security".into(), s));
    }
    for OperationAt { pointer, op, .. } in operations(doc) {
        if let Some(s) = op.get("security") {
            places.push((pointer_join(&pointer, "security"), s));
        }
    }
    if places.is_empty() {
        errors.push(bundle.error("", "the document declares no security requirement"));
    }
    for (pointer, requirements) in places {
        for (i, requirement) in requirements.as_array().into_iter().flatten().enumerate() {
            for name in requirement.as_object().into_iter().flat_map(|m| m.keys()) {
                if defined.and_then(|d| d.get(name)).is_none() {
                    errors.push(bundle.error(
                        &format!("{pointer}/{i}"),
                        format!(
                            "security scheme `{name}` is not defined in components.securitySchemes"
                        ),
                    ));
                }
            }
        }
    }
}

/// Patterns are checked at run time against arguments, so they must compile
/// as ECMAScript (what OpenAPI specifies, for other teams' generators) and with
/// regex-lite, the client's matcher, chosen because it builds quickly.
fn check_patterns(bundle: &Bundle, errors: &mut Vec<SpecError>) {
    visit_schemas(&bundle.document, &mut |pointer, schema, _| {
        let Some(pattern) = schema.get("pattern").and_then(Value::as_str) else {
            return;
        };
        let problem = match (
            regress::Regex::new(pattern),
            regex_lite::Regex::new(pattern),
        ) {
            (Err(e), _) => format!("pattern `{pattern}` does not compile as ECMAScript: {e}"),
            (Ok(_), Err(e)) => format!(
                "pattern `{pattern}` uses syntax the client's matcher (regex-lite) \
                 does not support: {e}"
            ),
            (Ok(_), Ok(_)) => return,
        };
        errors.push(bundle.error(&pointer_join(pointer, "pattern"), problem));
    });
}
