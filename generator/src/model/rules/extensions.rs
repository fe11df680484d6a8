//! Checking every `x-hwc-` key of a document: a known extension, in the place
//! it is allowed, with a value valid against its published JSON Schema
//! ([`crate::model::extensions`]), and fitting the schema it annotates.
//!
//! Reading the values into typed form is the model's job; this stage only
//! says what is wrong and where.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{SpecError, pointer_join};
use crate::model::extensions::{EXTENSIONS, PREFIX, Place, Scalar, place_of, schema_of};
use crate::spec::bundle::Bundle;
use crate::spec::walk::{SchemaSite, operations, visit_schemas};

/// Checks every `x-hwc-` key of a bundled document.
pub fn check(bundle: &Bundle) -> Vec<SpecError> {
    let doc = &bundle.document;
    let mut errors = Vec::new();
    let mut schemas = BTreeSet::new();
    let mut components = BTreeSet::new();
    visit_schemas(doc, &mut |pointer, schema, site| {
        schemas.insert(pointer.to_string());
        if matches!(site, SchemaSite::Component(_)) {
            components.insert(pointer.to_string());
        }
        check_fit(bundle, pointer, schema, &mut errors);
    });
    let ops: BTreeSet<String> = operations(doc).into_iter().map(|o| o.pointer).collect();
    let params = parameter_pointers(doc);
    let validators: BTreeMap<&str, Option<jsonschema::Validator>> = EXTENSIONS
        .iter()
        .map(|(key, _)| {
            let validator = schema_of(key).and_then(|s| jsonschema::draft7::new(&s).ok());
            (*key, validator)
        })
        .collect();
    walk_extension_keys(doc, "", &mut |parent, key, value| {
        let at = pointer_join(parent, key);
        let Some(place) = place_of(key) else {
            let known: Vec<&str> = EXTENSIONS.iter().map(|(k, _)| *k).collect();
            errors.push(bundle.error(
                &at,
                format!("unknown extension `{key}` (known: {})", known.join(", ")),
            ));
            return;
        };
        let placed = match place {
            Place::Document => parent.is_empty(),
            Place::Server => parent == "/servers/0",
            Place::Operation => ops.contains(parent),
            Place::ComponentSchema => components.contains(parent),
            Place::Schema => schemas.contains(parent),
            Place::Documented => {
                ops.contains(parent) || params.contains(parent) || schemas.contains(parent)
            }
        };
        if !placed {
            let hint = if place == Place::ComponentSchema && schemas.contains(parent) {
                " (it becomes a named type; move the schema to #/components/schemas and $ref it)"
            } else {
                ""
            };
            errors.push(bundle.error(
                &at,
                format!(
                    "{key} is not allowed here: only on {}{hint}",
                    place.phrase()
                ),
            ));
            return;
        }
        let Some(Some(validator)) = validators.get(key) else {
            errors.push(bundle.error(&at, format!("the schema of {key} does not compile")));
            return;
        };
        for e in validator.iter_errors(value) {
            let inside = e.instance_path().to_string();
            errors.push(bundle.error(&format!("{at}{inside}"), format!("{key}: {e}")));
        }
    });
    errors
}

/// An extension must fit the schema it annotates: a scalar its type, an open
/// list a plain string or integer with values of that type.
fn check_fit(bundle: &Bundle, pointer: &str, schema: &Value, errors: &mut Vec<SpecError>) {
    let ty = schema.get("type").and_then(Value::as_str);
    if let Some(scalar) = schema
        .get("x-hwc-scalar")
        .and_then(|v| serde_json::from_value::<Scalar>(v.clone()).ok())
    {
        let one_of: Vec<&str> = schema
            .get("oneOf")
            .and_then(Value::as_array)
            .map(|m| {
                m.iter()
                    .filter_map(|s| s.get("type").and_then(Value::as_str))
                    .collect()
            })
            .unwrap_or_default();
        if !scalar.fits(ty, &one_of) {
            errors.push(bundle.error(
                &pointer_join(pointer, "x-hwc-scalar"),
                format!(
                    "x-hwc-scalar `{}` does not fit this schema's type",
                    scalar.spec_name()
                ),
            ));
        }
    }
    if schema.get("x-hwc-open-enum").is_some() {
        let at = pointer_join(pointer, "x-hwc-open-enum");
        let values = schema
            .get("x-hwc-open-enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let fits = |v: &Value| match ty {
            Some("string") => v.is_string(),
            Some("integer") => v.is_i64(),
            _ => false,
        };
        if !matches!(ty, Some("string" | "integer")) {
            errors.push(bundle.error(
                &at,
                "x-hwc-open-enum needs `type: string` or `type: integer`",
            ));
        } else if let Some(bad) = values.into_iter().find(|v| !fits(v)) {
            errors.push(bundle.error(
                &at,
                format!(
                    "value {bad} does not fit `type: {}`: list {}",
                    ty.unwrap_or_default(),
                    if ty == Some("string") {
                        "strings"
                    } else {
                        "integers"
                    }
                ),
            ));
        }
        if schema.get("enum").is_some() {
            errors.push(bundle.error(
                &at,
                "an open enum must not also have a closed `enum`; keep the values in \
                 x-hwc-open-enum",
            ));
        }
    }
}

/// The pointer of every parameter object: named components and those
/// written on a path or an operation.
fn parameter_pointers(doc: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(Value::Object(named)) = doc.pointer("/components/parameters") {
        for name in named.keys() {
            out.insert(pointer_join("/components/parameters", name));
        }
    }
    let mut listed = |at: &str, item: &Value| {
        if let Some(Value::Array(list)) = item.get("parameters") {
            for i in 0..list.len() {
                out.insert(format!("{at}/parameters/{i}"));
            }
        }
    };
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for (path, item) in paths {
            listed(&pointer_join("/paths", path), item);
        }
    }
    for op in operations(doc) {
        listed(&op.pointer, op.op);
    }
    out
}

/// Calls `f(parent_pointer, key, value)` for every `x-hwc-` key outside
/// examples.
fn walk_extension_keys(value: &Value, pointer: &str, f: &mut dyn FnMut(&str, &str, &Value)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let p = pointer_join(pointer, key);
                if key.starts_with(PREFIX) {
                    f(pointer, key, child);
                } else if key != "example" && key != "examples" {
                    walk_extension_keys(child, &p, f);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk_extension_keys(child, &format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}
