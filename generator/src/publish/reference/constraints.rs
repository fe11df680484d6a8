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

use crate::error::pointer_unescape;
use crate::model::{OpenList, Service};
use crate::spec::document::Node;

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

/// The constraints of the schema at JSON pointer `pointer`.
pub fn constraints(doc: &Node, service: &Service, schema: &Node, pointer: &str) -> Vec<Constraint> {
    constraints_with(doc, service, schema, pointer, true)
}

/// [`constraints`], leaving out an open list's values when the caller shows
/// them itself.
pub fn constraints_with(
    doc: &Node,
    service: &Service,
    schema: &Node,
    pointer: &str,
    open_list: bool,
) -> Vec<Constraint> {
    let mut out = Vec::new();
    if let Some(reference) = schema.get("$ref") {
        // What the reference points at (the reference itself when it points
        // nowhere).
        let target = reference
            .as_str()
            .and_then(|r| r.strip_prefix('#'))
            .filter(|t| doc.pointer(t).is_some())
            .unwrap_or(pointer);
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
    let flag = |k: &str| schema.get(k).and_then(Node::as_bool) == Some(true);
    let minimum = if flag("exclusiveMinimum") {
        "exclusiveMinimum"
    } else {
        "minimum"
    };
    let maximum = if flag("exclusiveMaximum") {
        "exclusiveMaximum"
    } else {
        "maximum"
    };
    for (key, keyword) in [
        ("minimum", minimum),
        ("maximum", maximum),
        ("multipleOf", "multipleOf"),
        ("minLength", "minLength"),
        ("maxLength", "maxLength"),
        ("minItems", "minItems"),
        ("maxItems", "maxItems"),
    ] {
        if let Some(v) = schema.get(key) {
            out.push(Constraint::Compare {
                keyword,
                value: v.to_text(),
            });
        }
    }
    if flag("uniqueItems") {
        out.push(Constraint::UniqueItems);
    }
    if let Some(p) = schema.get("pattern") {
        out.push(Constraint::Pattern { value: p.to_text() });
    }
    if let Some(values) = schema.get("enum").and_then(Node::as_array) {
        out.push(Constraint::OneOf {
            values: texts(values),
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
    if let Some(v) = schema.get("default") {
        out.push(Constraint::Default { value: v.to_text() });
    }
    if flag("readOnly") {
        out.push(Constraint::ReadOnly);
    }
    if flag("deprecated") {
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

/// Each value as written in the spec.
pub fn texts(values: &[Node]) -> Vec<String> {
    values.iter().map(Node::to_text).collect()
}
