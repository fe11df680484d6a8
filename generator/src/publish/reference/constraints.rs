//! The constraints column: what a value must (or may) look like.
//!
//! Each constraint names its kind and carries the spec's own values as
//! text; `inline.html` (macro `constraint`) words it. A reference shows the
//! tolerant-scalar kind and the open list of its target, since those shape
//! what a client must accept wherever the target is used.

use serde::Serialize;

use crate::spec::order::Node;

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

/// The constraints of a schema.
pub fn constraints(doc: &Node, schema: &Node) -> Vec<Constraint> {
    constraints_with(doc, schema, true)
}

/// [`constraints`], leaving out an open list's values when the caller shows
/// them itself.
pub fn constraints_with(doc: &Node, schema: &Node, open_list: bool) -> Vec<Constraint> {
    let mut out = Vec::new();
    if schema.get("$ref").is_some() {
        let target = schema.deref(doc);
        if let Some(s) = target.get("x-hwc-scalar").and_then(Node::as_str) {
            out.push(Constraint::Scalar {
                scalar: s.to_string(),
            });
        }
        if let Some(values) = target.get("x-hwc-open-enum").and_then(Node::as_array) {
            out.push(if values.len() <= OPEN_LIST_SHOWN {
                Constraint::OpenList {
                    values: texts(values),
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
    if let Some(values) = schema.get("x-hwc-open-enum").and_then(Node::as_array)
        && open_list
    {
        out.push(Constraint::OpenList {
            values: texts(values),
        });
    }
    if let Some(s) = schema.get("x-hwc-scalar").and_then(Node::as_str) {
        out.push(Constraint::Scalar {
            scalar: s.to_string(),
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

/// Each value as written in the spec.
pub fn texts(values: &[Node]) -> Vec<String> {
    values.iter().map(Node::to_text).collect()
}
