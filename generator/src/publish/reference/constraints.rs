//! The constraints column: what a value must (or may) look like.
//!
//! Each constraint names its kind and carries the spec's own values as
//! text; `inline.html` (macro `constraint`) words it. A reference shows the
//! tolerant-scalar kind and the open list of its target, since those shape
//! what a client must accept wherever the target is used.
//!
//! Open lists and tolerant scalars come from the model: an open list by the
//! name of the component schema, a scalar by the JSON pointer of the schema
//! in the bundled document.

use serde::Serialize;

use serde_json::Value;

use crate::error::pointer_unescape;
use crate::model::{OpenList, Schema, Service};

/// An open list longer than this is only counted (the schema lists it).
const OPEN_LIST_SHOWN: usize = 6;

/// One constraint of a schema.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Constraint {
    /// A numeric, length or item-count limit: `keyword` is the JSON Schema
    /// keyword (`minimum`, `exclusiveMinimum` for a strict one, `maxLength`,
    /// `multipleOf` and so on).
    Compare {
        keyword: &'static str,
        value: String,
    },
    UniqueItems,
    Pattern {
        value: String,
    },
    OneOf {
        values: Vec<String>,
    },
    /// `x-hwc-open-enum` values.
    OpenList {
        values: Vec<String>,
    },
    /// `x-hwc-open-enum` with too many values to list in a cell.
    OpenListCount {
        count: usize,
    },
    /// `x-hwc-scalar`.
    Scalar {
        scalar: String,
    },
    Default {
        value: String,
    },
    ReadOnly,
    Deprecated,
    Example {
        value: String,
    },
}

/// The constraints of a schema (the open lists and tolerant scalars by its
/// pointer).
pub fn constraints(service: &Service, schema: &Schema) -> Vec<Constraint> {
    constraints_with(service, schema, true)
}

/// [`constraints`], leaving out an open list's values when the caller shows
/// them itself.
pub fn constraints_with(service: &Service, schema: &Schema, open_list: bool) -> Vec<Constraint> {
    let pointer = schema.pointer.as_str();
    let mut out = Vec::new();
    if let Some(reference) = &schema.reference_text {
        // What the reference points at (every local reference of a checked
        // document resolves).
        let target = reference.strip_prefix('#').unwrap_or(pointer);
        if let Some(s) = service.scalar_at(target) {
            out.push(Constraint::Scalar {
                scalar: s.spec_name().to_string(),
            });
        }
        if let Some(list) = open_list_at(service, target) {
            let values = &list.values;
            out.push(if values.len() <= OPEN_LIST_SHOWN {
                Constraint::OpenList {
                    values: values.clone(),
                }
            } else {
                Constraint::OpenListCount {
                    count: values.len(),
                }
            });
        }
        return out;
    }
    let minimum = if schema.exclusive_minimum {
        "exclusiveMinimum"
    } else {
        "minimum"
    };
    let maximum = if schema.exclusive_maximum {
        "exclusiveMaximum"
    } else {
        "maximum"
    };
    let number = |n: &Option<serde_json::Number>| n.as_ref().map(ToString::to_string);
    let count = |n: Option<u64>| n.map(|n| n.to_string());
    for (value, keyword) in [
        (number(&schema.minimum), minimum),
        (number(&schema.maximum), maximum),
        (number(&schema.multiple_of), "multipleOf"),
        (count(schema.min_length), "minLength"),
        (count(schema.max_length), "maxLength"),
        (count(schema.min_items), "minItems"),
        (count(schema.max_items), "maxItems"),
    ] {
        if let Some(value) = value {
            out.push(Constraint::Compare { keyword, value });
        }
    }
    if schema.unique_items {
        out.push(Constraint::UniqueItems);
    }
    if let Some(p) = &schema.pattern {
        out.push(Constraint::Pattern { value: p.clone() });
    }
    if let Some(values) = &schema.values {
        out.push(Constraint::OneOf {
            values: values.iter().map(text).collect(),
        });
    }
    if let Some(list) = open_list_at(service, pointer)
        && open_list
    {
        out.push(Constraint::OpenList {
            values: list.values.clone(),
        });
    }
    if let Some(s) = service.scalar_at(pointer) {
        out.push(Constraint::Scalar {
            scalar: s.spec_name().to_string(),
        });
    }
    if let Some(v) = &schema.default {
        out.push(Constraint::Default { value: text(v) });
    }
    if schema.read_only {
        out.push(Constraint::ReadOnly);
    }
    if schema.deprecated {
        out.push(Constraint::Deprecated);
    }
    out
}

/// The open list of the component schema at `pointer`
/// (`/components/schemas/<name>`), if it is one.
pub fn open_list_at<'s>(service: &'s Service, pointer: &str) -> Option<&'s OpenList> {
    let name = pointer.strip_prefix("/components/schemas/")?;
    if name.contains('/') {
        return None;
    }
    service.open_enum(&pointer_unescape(name))
}

/// A value as written in the spec: a string as it is, anything else as JSON.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
