//! Schemas as the model gives them to later stages: everything a schema
//! says (type, format, combinations, items, properties in the order they are
//! written, bounds, pattern, values, default, nullability, description,
//! example and flags), each schema with the JSON pointer where it is written,
//! so the model's lookups by pointer (tolerant scalars, open lists) apply to
//! it.
//!
//! A `$ref` is kept as the name of the component it points at (and as
//! written); the component itself is in [`super::Service::schemas`], read
//! once. That also keeps recursive schemas finite.

use serde_json::{Number, Value};

use crate::error::pointer_join;
use crate::spec::document::Node;

/// The prefix of a reference to a named component schema.
const COMPONENT: &str = "#/components/schemas/";

/// One schema of the document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// Where it is written in the bundled document.
    pub pointer: String,
    /// The component a `$ref` names (`Task`); the structural fields are then
    /// empty (a reference's own description and example are kept).
    pub reference: Option<String>,
    /// The `$ref` as written (`#/components/schemas/Task`).
    pub reference_text: Option<String>,
    pub json_type: Option<String>,
    pub format: Option<String>,
    /// `oneOf` members, in order (`None`: no `oneOf`).
    pub one_of: Option<Vec<Schema>>,
    pub any_of: Option<Vec<Schema>>,
    pub all_of: Option<Vec<Schema>>,
    /// An array's items.
    pub items: Option<Box<Schema>>,
    /// Properties in the order the spec writes them.
    pub properties: Vec<(String, Schema)>,
    /// The names `required` lists.
    pub required: Vec<String>,
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    /// `exclusiveMinimum: true` (the minimum itself is not allowed).
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<Number>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub pattern: Option<String>,
    /// `enum`, as written.
    pub values: Option<Vec<Value>>,
    pub default: Option<Value>,
    pub nullable: bool,
    pub read_only: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    /// `example`, keys in the order written.
    pub example: Option<Node>,
}

impl Schema {
    /// Reads the schema `node`, written at `pointer` of the document.
    pub fn read(node: &Node, pointer: &str) -> Schema {
        let text = |key: &str| node.text(key);
        let flag = |key: &str| node.get(key).and_then(Node::as_bool) == Some(true);
        let description = text("description");
        let example = node.get("example").cloned();
        if let Some(reference) = node.get("$ref").and_then(Node::as_str) {
            return Schema {
                pointer: pointer.to_string(),
                reference: Some(
                    reference
                        .strip_prefix(COMPONENT)
                        .unwrap_or_else(|| reference.rsplit('/').next().unwrap_or(reference))
                        .to_string(),
                ),
                reference_text: Some(reference.to_string()),
                description,
                example,
                ..Schema::default()
            };
        }
        let number = |key: &str| node.get(key).and_then(Node::as_number).cloned();
        let count = |key: &str| node.get(key).and_then(Node::as_u64);
        let members = |key: &str| {
            node.get(key).and_then(Node::as_array).map(|members| {
                members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| Schema::read(m, &format!("{pointer}/{key}/{i}")))
                    .collect()
            })
        };
        let at = pointer_join(pointer, "properties");
        let properties = node
            .get("properties")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .map(|(name, s)| (name.clone(), Schema::read(s, &pointer_join(&at, name))))
            .collect();
        Schema {
            pointer: pointer.to_string(),
            reference: None,
            reference_text: None,
            json_type: text("type"),
            format: text("format"),
            one_of: members("oneOf"),
            any_of: members("anyOf"),
            all_of: members("allOf"),
            items: node
                .get("items")
                .map(|items| Box::new(Schema::read(items, &pointer_join(pointer, "items")))),
            properties,
            required: node
                .get("required")
                .and_then(Node::as_array)
                .unwrap_or(&[])
                .iter()
                .map(Node::to_text)
                .collect(),
            minimum: number("minimum"),
            maximum: number("maximum"),
            exclusive_minimum: flag("exclusiveMinimum"),
            exclusive_maximum: flag("exclusiveMaximum"),
            multiple_of: number("multipleOf"),
            min_length: count("minLength"),
            max_length: count("maxLength"),
            min_items: count("minItems"),
            max_items: count("maxItems"),
            unique_items: flag("uniqueItems"),
            pattern: text("pattern"),
            values: node
                .get("enum")
                .and_then(Node::as_array)
                .map(|values| values.iter().map(Node::to_value).collect()),
            default: node.get("default").map(Node::to_value),
            nullable: flag("nullable"),
            read_only: flag("readOnly"),
            deprecated: flag("deprecated"),
            description,
            example,
        }
    }

    /// The named component schemas of `doc`, in the order written.
    pub fn components(doc: &Node) -> Vec<(String, Schema)> {
        doc.pointer("/components/schemas")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .map(|(name, s)| {
                let at = pointer_join("/components/schemas", name);
                (name.clone(), Schema::read(s, &at))
            })
            .collect()
    }

    /// The name of the component schema a `$ref` names
    /// (`#/components/schemas/A~1B` → `A/B`); `None` for any other schema.
    pub fn component(&self) -> Option<String> {
        self.reference_text
            .as_deref()?
            .strip_prefix(COMPONENT)
            .map(crate::error::pointer_unescape)
    }

    /// The `oneOf` members (none when there is no `oneOf`).
    pub fn one_of_members(&self) -> &[Schema] {
        self.one_of.as_deref().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::body::Response;
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
        let [(name, task)] = &Schema::components(&Node::sorted(&doc))[..] else {
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
            size.one_of_members()[1].pointer,
            "/components/schemas/Task/properties/size/oneOf/1"
        );
        assert_eq!(size.one_of_members()[1].minimum, Some(Number::from(0)));
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
        let doc = Node::sorted(&doc);
        let op = doc.pointer("/paths/~1t/get").unwrap();
        let responses = Response::all(&doc, op, "/paths/~1t/get");
        assert_eq!(responses.len(), 2);
        assert_eq!(responses[0].headers[0].name, "X-Request-Id");
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
