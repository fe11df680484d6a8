//! Path, query and header parameters as a page describes them: the shared
//! parameter by `$ref` when the spec directory has one of that name and
//! location, else written out with the page's type, bounds, enumeration and
//! default.

use super::node::{described, obj, s};
use super::shared::Shared;
use crate::page::{PageType, ParamLocation, Parameter};
use generator::spec::document::Node;

/// `type` and `format` of a page's scalar type word.
pub fn scalar_type(type_text: &str, json: &str) -> Vec<(String, Node)> {
    let word = type_text
        .trim()
        .trim_start_matches("Array of ")
        .trim_end_matches('s')
        .to_ascii_lowercase();
    let format = match word.as_str() {
        "integer" | "int" | "int32" | "short" => Some("int32"),
        "long" | "int64" => Some("int64"),
        "float" => Some("float"),
        "double" => Some("double"),
        _ => None,
    };
    let mut out = vec![("type".to_string(), s(json))];
    if let Some(f) = format {
        out.push(("format".into(), s(f)));
    }
    out
}

/// A default or enumerated value typed as the schema says.
fn typed(value: &str, json: &str) -> Node {
    match json {
        "integer" => value
            .parse::<i64>()
            .map(|n| Node::Number(n.into()))
            .unwrap_or_else(|_| s(value)),
        "number" => value
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Node::Number)
            .unwrap_or_else(|| s(value)),
        "boolean" => match value {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => s(value),
        },
        _ => s(value),
    }
}

/// A path, query or header parameter: the shared one when the spec
/// directory has it, else written out with the page's constraints.
pub fn parameter(p: &Parameter, shared: &Shared) -> Node {
    if let Some(r) = shared.parameter(&p.name, p.location.as_str()) {
        return obj(vec![("$ref", s(r))]);
    }
    let mut pairs = vec![
        ("name".to_string(), s(&p.name)),
        ("in".to_string(), s(p.location.as_str())),
    ];
    let required = p.location == ParamLocation::Path || p.required == Some(true);
    if required {
        pairs.push(("required".into(), Node::Bool(true)));
    }
    pairs.push((
        "description".into(),
        s(&described(
            &p.description,
            &format!("The `{}` parameter.", p.name),
        )),
    ));
    pairs.push(("schema".into(), param_schema(p)));
    Node::Object(pairs)
}

fn param_schema(p: &Parameter) -> Node {
    let (json, array) = match &p.ty {
        PageType::Scalar { json } => (json.clone(), false),
        PageType::Array { items } => match items.as_ref() {
            PageType::Scalar { json } => (json.clone(), true),
            _ => ("string".to_string(), true),
        },
        PageType::Object { .. } => ("string".to_string(), false),
    };
    let mut pairs = scalar_type(&p.type_text, &json);
    let (lo, hi) = if json == "string" {
        ("minLength", "maxLength")
    } else {
        ("minimum", "maximum")
    };
    if json != "boolean" {
        if let Some(min) = p.bounds.min {
            pairs.push((lo.into(), Node::Number(min.into())));
        }
        if let Some(max) = p.bounds.max {
            pairs.push((hi.into(), Node::Number(max.into())));
        }
    }
    if !p.enumeration.is_empty() {
        let values = p.enumeration.iter().map(|v| typed(v, &json)).collect();
        pairs.push(("enum".into(), Node::Array(values)));
    }
    if let Some(d) = &p.default {
        pairs.push(("default".into(), typed(d, &json)));
    }
    let scalar = Node::Object(pairs);
    if array {
        obj(vec![("type", s("array")), ("items", scalar)])
    } else {
        scalar
    }
}
