//! Schemas and responses as the model gives them to later stages: the
//! structure a client depends on (type, format, members, items, properties,
//! bounds, pattern, values, default, nullability), each schema with the JSON
//! pointer where it is written, so the model's lookups by pointer (tolerant
//! scalars, open lists) apply to it.
//!
//! A `$ref` is kept as the name of the component it points at; the
//! component itself is in [`super::Service::schemas`], read once. That also
//! keeps recursive schemas finite.

use serde_json::{Number, Value};

use crate::error::pointer_join;
use crate::spec::walk::deref;

/// The prefix of a reference to a named component schema.
const COMPONENT: &str = "#/components/schemas/";

/// One schema of the document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// Where it is written in the bundled document.
    pub pointer: String,
    /// The component a `$ref` names (`Task`); the other fields are then empty.
    pub reference: Option<String>,
    pub json_type: Option<String>,
    pub format: Option<String>,
    /// `oneOf` members, in order.
    pub one_of: Vec<Schema>,
    /// An array's items.
    pub items: Option<Box<Schema>>,
    /// Properties by name (sorted, as the checked document holds them).
    pub properties: Vec<(String, Schema)>,
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    /// `enum`, as written.
    pub values: Option<Vec<Value>>,
    pub default: Option<Value>,
    pub nullable: bool,
}

impl Schema {
    /// Reads the schema `value`, written at `pointer` of `doc`.
    pub fn read(value: &Value, pointer: &str) -> Schema {
        if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
            return Schema {
                pointer: pointer.to_string(),
                reference: Some(
                    reference
                        .strip_prefix(COMPONENT)
                        .unwrap_or_else(|| reference.rsplit('/').next().unwrap_or(reference))
                        .to_string(),
                ),
                ..Schema::default()
            };
        }
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
        let number = |key: &str| match value.get(key) {
            Some(Value::Number(n)) => Some(n.clone()),
            _ => None,
        };
        let one_of = value
            .get("oneOf")
            .and_then(Value::as_array)
            .map(|members| {
                members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| Schema::read(m, &format!("{pointer}/oneOf/{i}")))
                    .collect()
            })
            .unwrap_or_default();
        let properties = value
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                let at = pointer_join(pointer, "properties");
                props
                    .iter()
                    .map(|(name, s)| (name.clone(), Schema::read(s, &pointer_join(&at, name))))
                    .collect()
            })
            .unwrap_or_default();
        Schema {
            pointer: pointer.to_string(),
            reference: None,
            json_type: text("type"),
            format: text("format"),
            one_of,
            items: value
                .get("items")
                .map(|items| Box::new(Schema::read(items, &pointer_join(pointer, "items")))),
            properties,
            minimum: number("minimum"),
            maximum: number("maximum"),
            min_length: value.get("minLength").and_then(Value::as_u64),
            max_length: value.get("maxLength").and_then(Value::as_u64),
            pattern: text("pattern"),
            values: value.get("enum").and_then(Value::as_array).cloned(),
            default: value.get("default").cloned(),
            nullable: value.get("nullable").and_then(Value::as_bool) == Some(true),
        }
    }

    /// The named component schemas of `doc`, by name.
    pub fn components(doc: &Value) -> Vec<(String, Schema)> {
        doc.pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| {
                schemas
                    .iter()
                    .map(|(name, s)| {
                        let at = pointer_join("/components/schemas", name);
                        (name.clone(), Schema::read(s, &at))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One response of an operation, as documented (success or error).
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `200`, `404`, `default`.
    pub status: String,
    /// The `application/json` body's schema, if the response has one.
    pub body: Option<Schema>,
    /// The names of its headers.
    pub headers: Vec<String>,
}

impl Response {
    /// The responses of the operation object `op`, written at `pointer`;
    /// a response given by `$ref` is read where it points.
    pub fn all(doc: &Value, op: &Value, pointer: &str) -> Vec<Response> {
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            return Vec::new();
        };
        let at = pointer_join(pointer, "responses");
        responses
            .iter()
            .map(|(status, written)| {
                let here = match written.get("$ref").and_then(Value::as_str) {
                    Some(r) => r.trim_start_matches('#').to_string(),
                    None => pointer_join(&at, status),
                };
                let response = deref(doc, written);
                let body = response
                    .pointer("/content/application~1json/schema")
                    .map(|s| Schema::read(s, &format!("{here}/content/application~1json/schema")));
                let headers = response
                    .get("headers")
                    .and_then(Value::as_object)
                    .map(|h| h.keys().cloned().collect())
                    .unwrap_or_default();
                Response {
                    status: status.clone(),
                    body,
                    headers,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_schema_is_read_with_the_pointer_of_every_part() {
        let doc = json!({"components": {"schemas": {"Task": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 36},
                "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                "size": {"oneOf": [{"type": "string"}, {"type": "integer", "minimum": 0}],
                         "nullable": true},
                "state": {"type": "string", "enum": ["A", "B"], "default": "A"}
            }
        }}}});
        let [(name, task)] = &Schema::components(&doc)[..] else {
            panic!("one component")
        };
        assert_eq!(name, "Task");
        assert_eq!(task.pointer, "/components/schemas/Task");
        let field = |n: &str| &task.properties.iter().find(|(k, _)| k == n).unwrap().1;
        let id = field("id");
        assert_eq!(id.pointer, "/components/schemas/Task/properties/id");
        assert_eq!(
            (id.pattern.as_deref(), id.max_length),
            (Some("^[a-z]+$"), Some(36))
        );
        let items = field("tags").items.as_deref().unwrap();
        assert_eq!(items.reference.as_deref(), Some("Tag"));
        assert_eq!(
            items.pointer,
            "/components/schemas/Task/properties/tags/items"
        );
        let size = field("size");
        assert!(size.nullable);
        assert_eq!(
            size.one_of[1].pointer,
            "/components/schemas/Task/properties/size/oneOf/1"
        );
        assert_eq!(size.one_of[1].minimum, Some(Number::from(0)));
        let state = field("state");
        assert_eq!(state.values, Some(vec![json!("A"), json!("B")]));
        assert_eq!(state.default, Some(json!("A")));
    }

    #[test]
    fn responses_are_read_where_their_references_point() {
        let doc = json!({
            "paths": {"/t": {"get": {"responses": {
                "200": {"description": "ok", "headers": {"X-Request-Id": {}},
                        "content": {"application/json": {"schema": {"type": "object"}}}},
                "404": {"$ref": "#/components/responses/NotFound"}
            }}}},
            "components": {"responses": {"NotFound": {"description": "no",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}}}}}}
        });
        let op = doc.pointer("/paths/~1t/get").unwrap();
        let responses = Response::all(&doc, op, "/paths/~1t/get");
        assert_eq!(responses.len(), 2);
        assert_eq!(responses[0].headers, ["X-Request-Id"]);
        assert_eq!(
            responses[0].body.as_ref().unwrap().pointer,
            "/paths/~1t/get/responses/200/content/application~1json/schema"
        );
        let not_found = responses[1].body.as_ref().unwrap();
        assert_eq!(not_found.reference.as_deref(), Some("E"));
        assert_eq!(
            not_found.pointer,
            "/components/responses/NotFound/content/application~1json/schema"
        );
    }
}
