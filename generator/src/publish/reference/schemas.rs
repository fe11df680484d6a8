//! The schemas section: every named schema with its type, the known values
//! of an open list, its fields and its example.

use serde::Serialize;

use super::constraints::{Constraint, constraints, constraints_with, open_list_at};
use super::escape::anchor;
use super::media::Example;
use super::types::{TypeView, shape, type_of};
use crate::model::{self, Service};

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

/// The named schemas of the document (`components/schemas`), in the order
/// written.
pub fn schemas(service: &Service) -> Vec<Schema> {
    service
        .schemas
        .iter()
        .map(|(name, schema)| self::schema(service, name, schema))
        .collect()
}

fn schema(service: &Service, name: &str, schema: &model::Schema) -> Schema {
    let fields = schema
        .properties
        .iter()
        .map(|(field, prop)| {
            let mut constraints = constraints(service, prop);
            if let Some(example) = &prop.example {
                constraints.push(Constraint::Example {
                    value: example.to_text(),
                });
            }
            Field {
                name: field.clone(),
                required: schema.required.contains(field),
                type_of: type_of(prop),
                constraints,
                description: prop
                    .description
                    .as_ref()
                    .or_else(|| {
                        let target = service.schema(&prop.component()?)?;
                        target.description.as_ref()
                    })
                    .cloned()
                    .unwrap_or_default(),
            }
        })
        .collect();
    Schema {
        name: name.to_string(),
        anchor: anchor("schema", name),
        description: schema.description.clone(),
        shape: TypeView::Shape(shape(schema)),
        constraints: constraints_with(service, schema, false),
        open_list: open_list_at(service, &schema.pointer).map(|list| list.values.clone()),
        fields,
        example: schema
            .example
            .as_ref()
            .map(|example| Example::new("Example".into(), example)),
    }
}
