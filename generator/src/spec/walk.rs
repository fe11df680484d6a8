//! Finding every schema object in a document.
//!
//! Checks and rewrites need to visit each schema together with its JSON
//! pointer and whether it is a named component (only named components become
//! named Rust types).

use serde_json::Value;

use crate::error::pointer_join;

/// The keys of a path item that are operations, in the order operations are
/// listed under one path.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Where a schema sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaSite<'a> {
    /// `#/components/schemas/<name>`.
    Component(&'a str),
    /// A property of an object schema; the string is the property name.
    Property(&'a str),
    /// The schema of a parameter.
    Parameter,
    /// Any other place (items, oneOf members, media types, headers).
    Nested,
}

/// Calls `f(pointer, schema, site)` for every schema in the document, parents
/// before children.
pub fn visit_schemas(document: &Value, f: &mut dyn FnMut(&str, &Value, SchemaSite<'_>)) {
    if let Some(Value::Object(schemas)) = document.pointer("/components/schemas") {
        for (name, schema) in schemas {
            let pointer = pointer_join("/components/schemas", name);
            visit(schema, &pointer, SchemaSite::Component(name), f);
        }
    }
    for_each_entry(document, "/components/parameters", |p, v| {
        visit_parameter(v, p, f)
    });
    for_each_entry(document, "/components/headers", |p, v| {
        visit_child(v, p, "schema", f)
    });
    for_each_entry(document, "/components/responses", |p, v| {
        visit_response(v, p, f)
    });
    for_each_entry(document, "/paths", |path_pointer, item| {
        if let Value::Array(params) = item.get("parameters").unwrap_or(&Value::Null) {
            for (i, p) in params.iter().enumerate() {
                visit_parameter(p, &format!("{path_pointer}/parameters/{i}"), f);
            }
        }
        for_each_entry(item, "", |op_pointer_rel, op| {
            let op_pointer = format!("{path_pointer}{op_pointer_rel}");
            if !op.is_object() {
                return;
            }
            if let Some(Value::Array(params)) = op.get("parameters") {
                for (i, p) in params.iter().enumerate() {
                    visit_parameter(p, &format!("{op_pointer}/parameters/{i}"), f);
                }
            }
            for_each_entry(op, "/responses", |rel, response| {
                visit_response(response, &format!("{op_pointer}{rel}"), f)
            });
            for_each_entry(op, "/requestBody/content", |rel, media| {
                visit_child(media, &format!("{op_pointer}{rel}"), "schema", f)
            });
        });
    });
}

fn for_each_entry(value: &Value, pointer: &str, mut f: impl FnMut(&str, &Value)) {
    let target = if pointer.is_empty() {
        Some(value)
    } else {
        value.pointer(pointer)
    };
    if let Some(Value::Object(map)) = target {
        for (key, child) in map {
            f(&pointer_join(pointer, key), child);
        }
    }
}

fn visit_parameter(p: &Value, pointer: &str, f: &mut dyn FnMut(&str, &Value, SchemaSite<'_>)) {
    if let Some(schema) = p.get("schema") {
        visit(
            schema,
            &format!("{pointer}/schema"),
            SchemaSite::Parameter,
            f,
        );
    }
}

fn visit_response(r: &Value, pointer: &str, f: &mut dyn FnMut(&str, &Value, SchemaSite<'_>)) {
    for_each_entry(r, "/content", |rel, media| {
        visit_child(media, &format!("{pointer}{rel}"), "schema", f)
    });
    for_each_entry(r, "/headers", |rel, header| {
        visit_child(header, &format!("{pointer}{rel}"), "schema", f)
    });
}

fn visit_child(
    value: &Value,
    pointer: &str,
    key: &str,
    f: &mut dyn FnMut(&str, &Value, SchemaSite<'_>),
) {
    if let Some(schema) = value.get(key) {
        visit(schema, &pointer_join(pointer, key), SchemaSite::Nested, f);
    }
}

fn visit(
    schema: &Value,
    pointer: &str,
    site: SchemaSite<'_>,
    f: &mut dyn FnMut(&str, &Value, SchemaSite<'_>),
) {
    f(pointer, schema, site);
    let Value::Object(map) = schema else {
        return;
    };
    if let Some(Value::Object(props)) = map.get("properties") {
        for (name, child) in props {
            let p = pointer_join(&pointer_join(pointer, "properties"), name);
            visit(child, &p, SchemaSite::Property(name), f);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child @ Value::Object(_)) = map.get(key) {
            visit(child, &pointer_join(pointer, key), SchemaSite::Nested, f);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(members)) = map.get(key) {
            for (i, child) in members.iter().enumerate() {
                visit(
                    child,
                    &format!("{pointer}/{key}/{i}"),
                    SchemaSite::Nested,
                    f,
                );
            }
        }
    }
}

/// One operation of a document, with where it is.
pub struct OperationAt<'a> {
    /// JSON pointer of the operation object.
    pub pointer: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template (`/v2/{project_id}/tasks`).
    pub path: &'a str,
    pub op: &'a Value,
}

/// Every operation of a document, in path order.
pub fn operations(doc: &Value) -> Vec<OperationAt<'_>> {
    let mut out = Vec::new();
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    out.push(OperationAt {
                        pointer: pointer_join(&pointer_join("/paths", path), method),
                        method: method.to_ascii_uppercase(),
                        path,
                        op,
                    });
                }
            }
        }
    }
    out
}

/// Follows one local `$ref` (if the value is one).
pub fn deref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| doc.pointer(p))
            .unwrap_or(value),
        None => value,
    }
}
