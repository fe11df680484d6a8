//! The operations section: every operation of every path, in the order the
//! spec lists them, with its parameters, request body and responses.
//!
//! Paging and idempotency come from the model's operation with the same
//! JSON pointer.

use serde::Serialize;

use super::constraints::{Constraint, constraints};
use super::escape::anchor;
use super::media::{Media, media};
use super::types::{TypeView, type_of};
use super::{optional_str, str_at};
use crate::error::pointer_join;
use crate::model::{self, Service};
use crate::spec::document::Node;
use crate::spec::walk::METHODS;

#[derive(Serialize)]
pub struct Operation {
    anchor: String,
    /// Lower case, as in the spec (also the CSS class of its badge).
    method: String,
    id: String,
    path: String,
    tags: Vec<String>,
    summary: Option<String>,
    description: Option<String>,
    deprecated: bool,
    paging: Option<Paging>,
    /// Whether a failed attempt is sent again; `None` when the model has no
    /// operation at this place.
    retry: Option<Retry>,
    parameters: Vec<Parameter>,
    request_body: Option<RequestBody>,
    responses: Vec<Response>,
}

/// How the operation pages (the model's `x-hwc-paging`).
#[derive(Serialize)]
struct Paging {
    /// `offset`, `page` or `marker`.
    style: &'static str,
    /// The parameter that moves from page to page.
    param: String,
    limit: String,
    max_page_size: String,
    items: String,
    total: Option<String>,
    /// The first position or page number (offset and page walks).
    first: String,
    /// Where the next marker comes from (marker walks): a response field,
    /// or the field of the last item.
    next_marker_field: Option<String>,
    marker_item: Option<String>,
}

/// Whether the client sends a failed attempt again.
#[derive(Serialize)]
struct Retry {
    idempotent: bool,
    /// `method` when the method's semantics decide, `extension` when
    /// `x-hwc-idempotent` says otherwise.
    decided_by: &'static str,
}

#[derive(Serialize)]
struct Parameter {
    name: String,
    location: String,
    required: bool,
    type_of: TypeView,
    constraints: Vec<Constraint>,
    description: String,
}

#[derive(Serialize)]
struct RequestBody {
    description: Option<String>,
    media: Vec<Media>,
}

#[derive(Serialize)]
struct Response {
    code: String,
    /// `ok` for 2xx, `error` for 4xx and 5xx, `other` otherwise.
    class: &'static str,
    description: String,
    headers: Vec<Header>,
    media: Vec<Media>,
}

#[derive(Serialize)]
struct Header {
    name: String,
    type_of: TypeView,
    description: String,
}

/// Every operation of the document.
pub fn operations(doc: &Node, service: &Service) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc.get("paths").map(Node::entries).unwrap_or_default() {
        let at_item = pointer_join("/paths", path);
        for (method, op) in item.entries() {
            if METHODS.contains(&method.as_str()) {
                let at = At {
                    item: &at_item,
                    op: &pointer_join(&at_item, method),
                };
                out.push(operation(doc, path, method, item, op, service, &at));
            }
        }
    }
    out
}

/// JSON pointers of a path item and of one of its operations.
struct At<'a> {
    item: &'a str,
    op: &'a str,
}

fn operation(
    doc: &Node,
    path: &str,
    method: &str,
    item: &Node,
    op: &Node,
    service: &Service,
    at: &At<'_>,
) -> Operation {
    let model = service.operations.iter().find(|o| o.pointer == at.op);
    let id = str_at(op, "operationId");
    let anchor = if id.is_empty() {
        anchor("op", &format!("{method}-{path}"))
    } else {
        anchor("op", id)
    };
    Operation {
        anchor,
        method: method.to_string(),
        id: id.to_string(),
        path: path.to_string(),
        tags: op
            .get("tags")
            .and_then(Node::as_array)
            .unwrap_or(&[])
            .iter()
            .map(Node::to_text)
            .collect(),
        summary: optional_str(op, "summary"),
        description: optional_str(op, "description"),
        deprecated: op.get("deprecated").and_then(Node::as_bool) == Some(true),
        paging: model.and_then(|m| m.paging.as_ref()).map(paging),
        retry: model.map(retry),
        parameters: parameters(doc, service, item, op, at),
        request_body: op.get("requestBody").map(|body| {
            let body = body.deref(doc);
            RequestBody {
                description: optional_str(body, "description"),
                media: media(doc, body.get("content")),
            }
        }),
        responses: op
            .get("responses")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .map(|(code, response)| self::response(doc, code, response.deref(doc)))
            .collect(),
    }
}

fn paging(paging: &model::Paging) -> Paging {
    let (style, first, next_marker_field, marker_item) = match &paging.style {
        model::PagingStyle::Offset { first, .. } => ("offset", first.to_string(), None, None),
        model::PagingStyle::PageNumber { first, .. } => ("page", first.to_string(), None, None),
        model::PagingStyle::Marker { next, .. } => match next {
            model::NextMarker::Field(path) => ("marker", String::new(), Some(path.dotted()), None),
            model::NextMarker::LastItem(field) => {
                ("marker", String::new(), None, Some(field.clone()))
            }
        },
    };
    Paging {
        style,
        param: paging.position_param().to_string(),
        limit: paging.limit.clone(),
        max_page_size: paging.max_page_size.to_string(),
        items: paging.items.clone(),
        total: paging.total.as_ref().map(|t| t.path.dotted()),
        first,
        next_marker_field,
        marker_item,
    }
}

fn retry(op: &model::Operation) -> Retry {
    Retry {
        idempotent: op.idempotent,
        decided_by: if op.idempotent == op.method.idempotent_by_definition() {
            "method"
        } else {
            "extension"
        },
    }
}

/// The parameters of an operation: the path item's, overridden by the
/// operation's (same name and location), each with its JSON pointer (that of
/// the parameter a `$ref` names).
fn parameters(
    doc: &Node,
    service: &Service,
    item: &Node,
    op: &Node,
    at: &At<'_>,
) -> Vec<Parameter> {
    let mut params: Vec<(&Node, String)> = Vec::new();
    for (list, base) in [
        (item.get("parameters"), at.item),
        (op.get("parameters"), at.op),
    ] {
        for (i, p) in list
            .and_then(Node::as_array)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let pointer = match p.get("$ref").and_then(Node::as_str) {
                Some(r) => r.strip_prefix('#').unwrap_or(r).to_string(),
                None => format!("{base}/parameters/{i}"),
            };
            let p = p.deref(doc);
            let key = |p: &Node| (str_at(p, "name").to_string(), str_at(p, "in").to_string());
            params.retain(|(q, _)| key(q) != key(p));
            params.push((p, pointer));
        }
    }
    params
        .into_iter()
        .map(|(p, pointer)| {
            let schema = p.get("schema").unwrap_or(&Node::Null);
            let mut constraints =
                constraints(doc, service, schema, &pointer_join(&pointer, "schema"));
            if let Some(example) = p.get("example").or_else(|| schema.get("example")) {
                constraints.push(Constraint::Example {
                    value: example.to_text(),
                });
            }
            Parameter {
                name: str_at(p, "name").to_string(),
                location: str_at(p, "in").to_string(),
                required: p.get("required").and_then(Node::as_bool) == Some(true),
                type_of: type_of(schema),
                constraints,
                description: str_at(p, "description").to_string(),
            }
        })
        .collect()
}

fn response(doc: &Node, code: &str, response: &Node) -> Response {
    let class = match code.chars().next() {
        Some('2') => "ok",
        Some('4') | Some('5') => "error",
        _ => "other",
    };
    let headers = response
        .get("headers")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(name, header)| {
            let header = header.deref(doc);
            Header {
                name: name.clone(),
                type_of: type_of(header.get("schema").unwrap_or(&Node::Null)),
                description: str_at(header, "description").to_string(),
            }
        })
        .collect();
    Response {
        code: code.to_string(),
        class,
        description: str_at(response, "description").to_string(),
        headers,
        media: media(doc, response.get("content")),
    }
}
