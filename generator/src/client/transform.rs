//! Prepares a checked document for progenitor.
//!
//! progenitor turns schemas into closed enums, strict scalars and range-typed
//! integers, which break on the values the services really send. So before
//! handing the document over, the generator:
//! - points every `x-hwc-scalar` schema at a synthetic component that is
//!   replaced by a tolerant runtime type (`crate::scalars::...`);
//! - replaces every `x-hwc-open-enum` component by the open enum the generator
//!   writes itself;
//! - drops `nullable` (an optional field is an `Option` and accepts `null`
//!   anyway; typify would wrap nullable components in a newtype), except on
//!   arrays, which would otherwise be a `Vec` that rejects `null`;
//! - hands over as bytes the 2xx responses of an operation that answers a
//!   body or none, which the generated `call()` decodes into an `Option`;
//! - leaves out error responses (4xx, 5xx, default): the runtime reads those
//!   bodies itself, raw, in every error shape the services use, instead of
//!   progenitor decoding them into one schema and dropping the rest;
//! - removes validation keywords (`pattern`, bounds, lengths): responses are
//!   decoded tolerantly, and arguments are checked at run time from the
//!   constraint table generated beside the client, with messages that name the
//!   parameter, the value and the allowed range.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::error::pointer_join;
use crate::model::{Scalar, Service};

/// The document progenitor sees, and the type replacements it must apply.
pub struct Prepared {
    pub document: Value,
    /// Component name → Rust type path.
    pub replacements: BTreeMap<String, String>,
}

const VALIDATION_KEYWORDS: [&str; 9] = [
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
];

/// Rewrites a bundled, checked document. Open enums are replaced by the type
/// generated in the module's `types`, mounted at `crate::<module>`.
pub fn prepare(document: &Value, service: &Service) -> Prepared {
    let mut document = document.clone();
    let mut replacements = BTreeMap::new();
    let mut used = Vec::new();
    let mut implicit = Vec::new();
    let module_path = format!("crate::{}", service.module);

    // Every plain list becomes its open enum: inline ones by reference to a
    // component of that name, which the enum replaces.
    let mut lists: Vec<(&String, &String)> = service
        .implicit_enums
        .iter()
        .map(|(pointer, e)| (pointer, &e.name))
        .collect();
    // Deepest first, so an outer schema is replaced after the ones inside.
    lists.sort_by_key(|(pointer, _)| std::cmp::Reverse(pointer.matches('/').count()));
    for (pointer, name) in lists {
        if let Some(schema) = document.pointer_mut(pointer) {
            *schema = json!({ "$ref": format!("#/components/schemas/{name}") });
        }
        replacements.insert(name.clone(), format!("{module_path}::types::{name}"));
        implicit.push(name.clone());
    }
    if let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") {
        for name in &implicit {
            schemas.insert(name.clone(), json!({ "type": "string" }));
        }
        for (name, schema) in schemas.iter_mut() {
            let pointer = pointer_join("/components/schemas", name);
            if implicit.contains(name) {
                continue;
            }
            if service.open_enum(name).is_some() {
                replacements.insert(name.clone(), format!("{module_path}::types::{name}"));
                *schema = json!({ "type": "string" });
            } else if let Some(scalar) = service.scalar_at(&pointer) {
                replacements.insert(name.clone(), scalar.rust_type().to_string());
                *schema = json!({ "type": "string" });
            }
        }
    }
    drop_error_responses(&mut document);
    raw_optional_bodies(&mut document, service);
    rewrite(&mut document, "", service, &mut used, false);
    let schemas =
        ensure_object(&mut document, "components").and_then(|c| ensure_object_in(c, "schemas"));
    if let Some(schemas) = schemas {
        for scalar in used {
            schemas.insert(
                scalar.component_name().to_string(),
                json!({ "type": "string" }),
            );
            replacements.insert(
                scalar.component_name().to_string(),
                scalar.rust_type().to_string(),
            );
        }
    }
    Prepared {
        document,
        replacements,
    }
}

/// Walks the whole document; inline scalar schemas become references, vendor
/// keys and validation keywords go away.
fn rewrite(
    value: &mut Value,
    pointer: &str,
    service: &Service,
    used: &mut Vec<Scalar>,
    in_example: bool,
) {
    match value {
        Value::Object(map) => {
            if !in_example {
                // Named scalar components are replaced whole (see `prepare`).
                let component = pointer.starts_with("/components/schemas/")
                    && pointer.matches('/').count() == 3;
                if let Some(scalar) = service.scalar_at(pointer).filter(|_| !component) {
                    if !used.contains(&scalar) {
                        used.push(scalar);
                    }
                    let reference = format!("#/components/schemas/{}", scalar.component_name());
                    *value = json!({ "$ref": reference });
                    return;
                }
                map.retain(|k, _| !k.starts_with("x-") && k != "nullable");
                // Optional arrays become `Option<Vec<_>>` so `null` decodes;
                // everything else optional is already an `Option`.
                if map.get("type").and_then(Value::as_str) == Some("array") {
                    map.insert("nullable".into(), Value::Bool(true));
                }
                if map.contains_key("type") || map.contains_key("oneOf") {
                    for k in VALIDATION_KEYWORDS {
                        map.remove(k);
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                let example = in_example || key == "example" || key == "examples";
                rewrite(child, &pointer_join(pointer, key), service, used, example);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                rewrite(child, &format!("{pointer}/{i}"), service, used, in_example);
            }
        }
        _ => {}
    }
}

fn ensure_object<'a>(value: &'a mut Value, key: &str) -> Option<&'a mut Map<String, Value>> {
    ensure_object_in(value.as_object_mut()?, key)
}

fn ensure_object_in<'a>(
    map: &'a mut Map<String, Value>,
    key: &str,
) -> Option<&'a mut Map<String, Value>> {
    map.entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

fn drop_error_responses(document: &mut Value) {
    let Some(Value::Object(paths)) = document.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        let Value::Object(methods) = item else {
            continue;
        };
        for op in methods.values_mut() {
            if let Some(Value::Object(responses)) = op.get_mut("responses") {
                responses.retain(|code, _| {
                    code.starts_with('1') || code.starts_with('2') || code.starts_with('3')
                });
            }
        }
    }
}

/// An operation whose 2xx statuses answer a body or none is handed to
/// progenitor as answering bytes (progenitor gives one operation one
/// response type); the generated `call()` decodes them into an `Option`.
fn raw_optional_bodies(document: &mut Value, service: &Service) {
    for op in service
        .operations
        .iter()
        .filter(|op| op.success.body_optional)
    {
        for status in &op.success.statuses {
            let at = format!("{}/responses/{status}", op.pointer);
            if let Some(response) = document.pointer_mut(&at) {
                *response = json!({
                    "description": "A body or none.",
                    "content": { "application/octet-stream": {} },
                });
            }
        }
    }
}
