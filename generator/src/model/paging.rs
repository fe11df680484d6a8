//! How a list operation pages (`x-hwc-paging`), checked against its
//! parameters and its success body: which parameter moves, where the items,
//! the total and the next marker are, and what type the total has.

use serde_json::Value;

use super::extensions::{self, Scalar};
use super::{
    FieldPath, Location, NextMarker, Paging, PagingStyle, Param, Success, Total, TotalKind,
};
use crate::error::{SpecError, pointer_join};
use crate::spec::bundle::Bundle;
use crate::spec::walk::{OperationAt, deref};

/// The paging of an operation, or `None` after reporting why it cannot
/// page as declared.
pub(super) fn paging(
    bundle: &Bundle,
    at: &OperationAt<'_>,
    params: &[Param],
    success: &Success,
    declared: extensions::Paging,
    errors: &mut Vec<SpecError>,
) -> Option<Paging> {
    let here = pointer_join(&at.pointer, "x-hwc-paging");
    let before = errors.len();
    let mut fail = |message: String| errors.push(bundle.error(&here, message));
    let style = paging_style(&declared, &mut fail);
    let query_param = |name: &str| {
        params
            .iter()
            .find(|p| p.name == name && p.location == Location::Query)
    };
    let mut check_param = |name: &str, role: &str, types: &[&str]| match query_param(name) {
        None => fail(format!(
            "paging parameter `{name}` is not a query parameter of this operation"
        )),
        Some(p) if !types.contains(&p.json_type.as_str()) || p.open_enum.is_some() => {
            fail(format!(
                "paging parameter `{name}` ({role}) must be of type {}; it is `{}`",
                types.join(" or "),
                if p.open_enum.is_some() {
                    "an open enum"
                } else {
                    &p.json_type
                }
            ))
        }
        Some(_) => {}
    };
    check_param(&declared.limit, "the page size", &["integer", "string"]);
    match &style {
        Some(PagingStyle::Marker { param, .. }) => check_param(param, "the marker", &["string"]),
        Some(PagingStyle::Offset { param, .. } | PagingStyle::PageNumber { param, .. }) => {
            check_param(param, "the position", &["integer", "string"])
        }
        None => {}
    }
    let doc = &bundle.document;
    let schema = success
        .schema
        .as_ref()
        .and_then(|s| doc.pointer(&pointer_join("/components/schemas", s)));
    let Some(schema) = schema.filter(|_| !success.body_optional) else {
        errors.push(bundle.error(
            &here,
            "a paged operation needs a JSON success body on every 2xx status",
        ));
        return None;
    };
    if schema
        .pointer(&pointer_join("/properties", &declared.items))
        .is_none()
    {
        errors.push(bundle.error(
            &here,
            format!(
                "paging field `{}` is not a property of the success response",
                declared.items
            ),
        ));
    }
    let item_schema = array_item_schema_name(schema, &declared.items).map(str::to_string);
    if item_schema.is_none() && errors.len() == before {
        errors.push(bundle.error(
            &here,
            format!(
                "paging field `{}` must be an array whose items $ref a named component schema",
                declared.items
            ),
        ));
    }
    let total = declared.total.as_ref().and_then(|dotted| {
        let path = FieldPath::parse(dotted);
        let found = field_type(doc, schema, &path);
        match found.as_ref().map(|(ty, scalar)| (ty.as_str(), *scalar)) {
            Ok((_, Some(Scalar::Count))) => Some(Total {
                path,
                kind: TotalKind::Count,
            }),
            Ok(("integer", None)) => Some(Total {
                path,
                kind: TotalKind::Integer,
            }),
            Ok(("string", None)) => Some(Total {
                path,
                kind: TotalKind::NumericString,
            }),
            Ok((other, _)) => {
                errors.push(bundle.error(
                    &here,
                    format!(
                        "paging total `{dotted}` is `{other}`: write an integer, a string \
                         holding a number, or a count (`x-hwc-scalar: count`)"
                    ),
                ));
                None
            }
            Err(message) => {
                errors.push(bundle.error(&here, format!("paging total `{dotted}`: {message}")));
                None
            }
        }
    });
    if let Some(PagingStyle::Marker { next, .. }) = &style {
        let (owner, path, what) = match next {
            NextMarker::Field(path) => (Some(schema), path.clone(), "next-marker"),
            NextMarker::LastItem(field) => (
                item_schema
                    .as_ref()
                    .and_then(|s| doc.pointer(&pointer_join("/components/schemas", s))),
                FieldPath(vec![field.clone()]),
                "marker-item",
            ),
        };
        if let Some(owner) = owner {
            match field_type(doc, owner, &path) {
                Ok((ty, None)) if ty == "string" || ty == "integer" => {}
                Ok((ty, _)) => errors.push(bundle.error(
                    &here,
                    format!(
                        "paging {what} `{}` must be a string or an integer; it is `{ty}`",
                        path.dotted()
                    ),
                )),
                Err(message) => errors.push(bundle.error(
                    &here,
                    format!("paging {what} `{}`: {message}", path.dotted()),
                )),
            }
        }
    }
    if errors.len() != before {
        return None;
    }
    Some(Paging {
        style: style?,
        limit: declared.limit,
        items: declared.items,
        total,
        max_page_size: declared.max_page_size,
    })
}

/// Which parameter moves from page to page, from the one of `offset`, `page`
/// and `marker` that is given.
fn paging_style(
    declared: &extensions::Paging,
    fail: &mut impl FnMut(String),
) -> Option<PagingStyle> {
    let given: Vec<&str> = [
        declared.offset.as_ref().map(|_| "offset"),
        declared.page.as_ref().map(|_| "page"),
        declared.marker.as_ref().map(|_| "marker"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if given.len() != 1 {
        fail(format!(
            "name exactly one of `offset` (a position), `page` (a page number) and `marker` \
             (a cursor); found {}",
            if given.is_empty() {
                "none".to_string()
            } else {
                given.join(", ")
            }
        ));
        return None;
    }
    let marker_only = declared.next_marker.is_some() || declared.marker_item.is_some();
    if declared.marker.is_none() && marker_only {
        fail("`next-marker` and `marker-item` go with `marker`".into());
        return None;
    }
    if let Some(param) = &declared.offset {
        return Some(PagingStyle::Offset {
            param: param.clone(),
            first: declared.first_offset.unwrap_or(0),
        });
    }
    if let Some(param) = &declared.page {
        return Some(PagingStyle::PageNumber {
            param: param.clone(),
            first: declared.first_offset.unwrap_or(1),
        });
    }
    let param = declared.marker.clone()?;
    if declared.first_offset.is_some() {
        fail("`first-offset` goes with `offset` or `page`, not `marker`".into());
        return None;
    }
    let next = match (&declared.next_marker, &declared.marker_item) {
        (Some(field), None) => NextMarker::Field(FieldPath::parse(field)),
        (None, Some(field)) => NextMarker::LastItem(field.clone()),
        _ => {
            fail(
                "a `marker` needs exactly one of `next-marker` (the response field holding \
                 the next marker) and `marker-item` (the field of the last item that is it)"
                    .into(),
            );
            return None;
        }
    };
    Some(PagingStyle::Marker { param, next })
}

/// The JSON type of the field at `path` below `schema` (following `$ref`s),
/// with its tolerant scalar if it has one.
fn field_type(
    doc: &Value,
    schema: &Value,
    path: &FieldPath,
) -> Result<(String, Option<Scalar>), String> {
    let mut current = schema;
    for (i, name) in path.0.iter().enumerate() {
        let object = deref(doc, current);
        let Some(property) = object.get("properties").and_then(|p| p.get(name)) else {
            return Err(format!(
                "`{}` is not a property of the success response",
                FieldPath(path.0[..=i].to_vec()).dotted()
            ));
        };
        current = property;
    }
    let leaf = deref(doc, current);
    let ty = match (leaf.get("type").and_then(Value::as_str), leaf.get("oneOf")) {
        (Some(ty), _) => ty.to_string(),
        (None, Some(_)) => "oneOf".to_string(),
        (None, None) => "untyped".to_string(),
    };
    let scalar = leaf
        .get("x-hwc-scalar")
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    Ok((ty, scalar))
}

/// Name of the component schema of the items of array property `field`.
fn array_item_schema_name<'a>(schema: &'a Value, field: &str) -> Option<&'a str> {
    let property = schema.get("properties")?.get(field)?;
    if property.get("type").and_then(Value::as_str) != Some("array") {
        return None;
    }
    property
        .pointer("/items/$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}
