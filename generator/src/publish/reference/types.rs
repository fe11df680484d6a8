//! The type column: what a schema is, in a few words.
//!
//! A reference to a named schema becomes a link to it; combinations,
//! arrays and formats are spelled out one level at a time. The view only
//! says what to show; `inline.html` (macro `type_of`) writes the words.

use serde::Serialize;

use super::escape::anchor;
use crate::model::Schema;

/// The type of a schema as shown in a table cell or a body line.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeView {
    /// A reference to a named schema of the document: a link to it.
    Schema { name: String, anchor: String },
    /// Any other reference, shown as written.
    Pointer { target: String },
    /// An inline schema.
    Shape(Shape),
}

/// An inline schema: its parts, shown separated by `; `.
#[derive(Serialize)]
pub struct Shape {
    parts: Vec<Part>,
    nullable: bool,
}

/// One part of a shape. `separated` says whether something was written
/// before it (then `; ` comes first).
#[derive(Serialize)]
pub struct Part {
    separated: bool,
    #[serde(flatten)]
    what: What,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum What {
    /// `oneOf`/`anyOf` (`all: false`, members joined by "or") or `allOf`
    /// (`all: true`, joined by "and").
    Combined { all: bool, members: Vec<TypeView> },
    /// The `type` keyword; `items` only for an array that declares them.
    Base {
        name: String,
        items: Option<Box<TypeView>>,
        format: Option<String>,
    },
    /// Nothing says what the value is.
    Any,
}

impl What {
    /// Whether the part writes nothing (then no separator follows it and,
    /// if nothing else was written, the shape reads "any").
    fn is_empty(&self) -> bool {
        match self {
            What::Combined { members, .. } => members.is_empty(),
            What::Base {
                name,
                items,
                format,
            } => name.is_empty() && items.is_none() && format.is_none(),
            What::Any => false,
        }
    }
}

/// The type of a schema, linking a reference to its schema.
pub fn type_of(schema: &Schema) -> TypeView {
    match (schema.component(), &schema.reference_text) {
        (Some(name), _) => TypeView::Schema {
            anchor: anchor("schema", &name),
            name,
        },
        (None, Some(r)) => TypeView::Pointer { target: r.clone() },
        (None, None) => TypeView::Shape(shape(schema)),
    }
}

/// The type of a schema that may be missing (then it reads "any").
pub fn type_of_optional(schema: Option<&Schema>) -> TypeView {
    type_of(schema.unwrap_or(&Schema::default()))
}

/// The type of a schema itself, not following a reference.
pub fn shape(schema: &Schema) -> Shape {
    let mut whats = Vec::new();
    for (members, all) in [
        (&schema.one_of, false),
        (&schema.any_of, false),
        (&schema.all_of, true),
    ] {
        if let Some(members) = members {
            whats.push(What::Combined {
                all,
                members: members.iter().map(type_of).collect(),
            });
        }
    }
    if let Some(t) = &schema.json_type {
        let items = match (t.as_str(), &schema.items) {
            ("array", Some(items)) => Some(Box::new(type_of(items))),
            _ => None,
        };
        whats.push(What::Base {
            name: t.clone(),
            items,
            format: schema.format.clone(),
        });
    }
    let mut written = false;
    let mut parts = Vec::new();
    for what in whats {
        let separated = written;
        written |= !what.is_empty();
        parts.push(Part { separated, what });
    }
    if !written {
        parts.push(Part {
            separated: false,
            what: What::Any,
        });
    }
    Shape {
        parts,
        nullable: schema.nullable,
    }
}
