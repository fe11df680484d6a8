//! Every example embedded in a spec must be valid against its own schema.
//!
//! OpenAPI 3.0 schemas are close to JSON Schema draft 7; the differences that
//! matter here (`nullable`, component references, vendor keys) are translated,
//! then the `jsonschema` crate validates. A wrong example is reported at the
//! example's pointer plus the path of the offending value inside it.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::error::{SpecError, pointer_join};
use crate::spec::bundle::Bundle;
use crate::spec::walk::visit_schemas;

/// Validates parameter, media-type and schema examples of a bundled document.
pub fn check(bundle: &Bundle) -> Vec<SpecError> {
    let doc = &bundle.document;
    let definitions: Map<String, Value> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), to_json_schema(v)))
                .collect()
        })
        .unwrap_or_default();
    let mut errors = Vec::new();
    // Compiled validators by schema: many examples share a schema (every
    // operation's paging parameters), and each validator only carries the
    // definitions its schema reaches, so the check stays linear in the size
    // of the document.
    let mut compiled: HashMap<String, Option<jsonschema::Validator>> = HashMap::new();
    let mut validate = |schema: &Value, example: &Value, example_pointer: &str| {
        let key = schema.to_string();
        let validator = compiled.entry(key).or_insert_with(|| {
            let mut root = to_json_schema(schema);
            let reached = reachable_definitions(&root, &definitions);
            if let Value::Object(map) = &mut root {
                map.insert("definitions".into(), Value::Object(reached));
            }
            jsonschema::draft7::new(&root).ok()
        });
        let Some(validator) = validator else {
            errors.push(bundle.error(example_pointer, "the schema of this example is not valid"));
            return;
        };
        for e in validator.iter_errors(example) {
            let inside = e.instance_path().to_string();
            errors.push(bundle.error(
                &format!("{example_pointer}{inside}"),
                format!("example does not match its schema: {e}"),
            ));
        }
    };

    // Schema-level examples.
    visit_schemas(doc, &mut |pointer, schema, _| {
        if let Some(example) = schema.get("example") {
            validate(schema, example, &pointer_join(pointer, "example"));
        }
    });
    // Parameter and media-type examples.
    let mut pairs: Vec<(Value, Value, String)> = Vec::new();
    collect_examples(doc, "", &mut pairs);
    for (schema, example, pointer) in &pairs {
        validate(schema, example, pointer);
    }
    errors
}

/// Finds objects that have both `schema` and `example` (parameters, headers,
/// media types) or `examples` maps.
fn collect_examples(value: &Value, pointer: &str, out: &mut Vec<(Value, Value, String)>) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            for (i, child) in items.iter().enumerate() {
                collect_examples(child, &format!("{pointer}/{i}"), out);
            }
        }
        return;
    };
    if let Some(schema) = map.get("schema") {
        if let Some(example) = map.get("example") {
            out.push((
                schema.clone(),
                example.clone(),
                pointer_join(pointer, "example"),
            ));
        }
        if let Some(Value::Object(examples)) = map.get("examples") {
            for (name, ex) in examples {
                if let Some(v) = ex.get("value") {
                    let p = pointer_join(
                        &pointer_join(&pointer_join(pointer, "examples"), name),
                        "value",
                    );
                    out.push((schema.clone(), v.clone(), p));
                }
            }
        }
    }
    for (key, child) in map {
        if key == "example" || key == "examples" || key == "schema" {
            continue;
        }
        collect_examples(child, &pointer_join(pointer, key), out);
    }
}

/// Translates an OpenAPI 3.0 schema into JSON Schema draft 7.
pub fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            let mut nullable = false;
            for (key, value) in map {
                match key.as_str() {
                    "$ref" => {
                        let r = value.as_str().unwrap_or_default();
                        let target = r
                            .strip_prefix("#/components/schemas/")
                            .map(|name| format!("#/definitions/{name}"))
                            .unwrap_or_else(|| r.to_string());
                        out.insert(key.clone(), Value::String(target));
                    }
                    "nullable" => nullable = value.as_bool().unwrap_or(false),
                    "example" | "discriminator" | "xml" | "externalDocs" | "deprecated"
                    | "readOnly" | "writeOnly" => {}
                    k if k.starts_with("x-") => {}
                    "properties" => {
                        let props = value
                            .as_object()
                            .map(|p| {
                                p.iter()
                                    .map(|(k, v)| (k.clone(), to_json_schema(v)))
                                    .collect()
                            })
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Object(props));
                    }
                    "items" | "additionalProperties" | "not" => {
                        out.insert(key.clone(), to_json_schema(value));
                    }
                    "oneOf" | "anyOf" | "allOf" => {
                        let members = value
                            .as_array()
                            .map(|m| m.iter().map(to_json_schema).collect())
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Array(members));
                    }
                    _ => {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            if nullable {
                json!({ "anyOf": [Value::Object(out), { "type": "null" }] })
            } else {
                Value::Object(out)
            }
        }
        other => other.clone(),
    }
}

/// The translated definitions `schema` refers to, directly or through other
/// definitions.
fn reachable_definitions(schema: &Value, definitions: &Map<String, Value>) -> Map<String, Value> {
    let mut reached = Map::new();
    let mut pending = Vec::new();
    collect_definition_refs(schema, &mut pending);
    while let Some(name) = pending.pop() {
        if reached.contains_key(&name) {
            continue;
        }
        if let Some(definition) = definitions.get(&name) {
            collect_definition_refs(definition, &mut pending);
            reached.insert(name, definition.clone());
        }
    }
    reached
}

fn collect_definition_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix("#/definitions/") {
                            out.push(name.to_string());
                        }
                    }
                    _ => collect_definition_refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_definition_refs(v, out)),
        _ => {}
    }
}
