//! The schemas section: every named schema with its type, the known values
//! of an open list, its fields and its example.

use serde::Serialize;

use super::constraints::{Constraint, constraints, constraints_with, open_list_at, texts};
use super::escape::anchor;
use super::media::Example;
use super::optional_str;
use super::types::{TypeView, shape, type_of};
use crate::error::pointer_join;
use crate::model::Service;
use crate::spec::document::Node;

#[derive(Serialize)]
pub struct Schema {
    name: String,
    anchor: String,
    description: Option<String>,
    /// The schema's own type (a named schema is never shown as a link to
    /// itself).
    shape: TypeView,
    /// Constraints of the schema itself; an open list's values are shown in
    /// `open_list` instead.
    constraints: Vec<Constraint>,
    open_list: Option<Vec<String>>,
    fields: Vec<Field>,
    example: Option<Example>,
}

#[derive(Serialize)]
struct Field {
    name: String,
    required: bool,
    type_of: TypeView,
    constraints: Vec<Constraint>,
    /// The property's own description, or else its target's.
    description: String,
}

/// The named schemas of the document (`components/schemas`).
pub fn schemas(doc: &Node, service: &Service) -> Vec<Schema> {
    doc.pointer("/components/schemas")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(name, schema)| self::schema(doc, service, name, schema))
        .collect()
}

fn schema(doc: &Node, service: &Service, name: &str, schema: &Node) -> Schema {
    let at = pointer_join("/components/schemas", name);
    let at_properties = pointer_join(&at, "properties");
    let required = texts(
        schema
            .get("required")
            .and_then(Node::as_array)
            .unwrap_or(&[]),
    );
    let fields = schema
        .get("properties")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(field, prop)| {
            let at_field = pointer_join(&at_properties, field);
            let mut constraints = constraints(doc, service, prop, &at_field);
            if let Some(example) = prop.get("example") {
                constraints.push(Constraint::Example {
                    value: example.to_text(),
                });
            }
            Field {
                name: field.clone(),
                required: required.contains(field),
                type_of: type_of(prop),
                constraints,
                description: prop
                    .get("description")
                    .or_else(|| prop.deref(doc).get("description"))
                    .and_then(Node::as_str)
                    .unwrap_or_default()
                    .to_string(),
            }
        })
        .collect();
    Schema {
        name: name.to_string(),
        anchor: anchor("schema", name),
        description: optional_str(schema, "description"),
        shape: TypeView::Shape(shape(schema)),
        constraints: constraints_with(doc, service, schema, &at, false),
        open_list: open_list_at(service, &at).map(|list| list.values.clone()),
        fields,
        example: schema
            .get("example")
            .map(|example| Example::new("Example".into(), example)),
    }
}
