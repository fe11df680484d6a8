//! The operations section: every operation of every path, in the order the
//! spec lists them, with its parameters, request body and responses.

use serde::Serialize;

use super::constraints::{Constraint, constraints};
use super::escape::anchor;
use super::media::{Media, media};
use super::types::{TypeView, type_of};
use super::{optional_str, str_at};
use crate::spec::order::Node;

/// The keys of a path item that are operations.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

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
    parameters: Vec<Parameter>,
    request_body: Option<RequestBody>,
    responses: Vec<Response>,
}

/// `x-hwc-paging`, each member as written.
#[derive(Serialize)]
struct Paging {
    offset: String,
    limit: String,
    max_page_size: String,
    items: String,
    total: String,
    /// `first-offset`, 0 when the spec leaves it out.
    first_offset: String,
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
pub fn operations(doc: &Node) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc.get("paths").map(Node::entries).unwrap_or_default() {
        for (method, op) in item.entries() {
            if METHODS.contains(&method.as_str()) {
                out.push(operation(doc, path, method, item, op));
            }
        }
    }
    out
}

fn operation(doc: &Node, path: &str, method: &str, item: &Node, op: &Node) -> Operation {
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
        paging: op.get("x-hwc-paging").map(paging),
        parameters: parameters(doc, item, op),
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

fn paging(paging: &Node) -> Paging {
    let field = |k: &str| paging.get(k).map(Node::to_text).unwrap_or_default();
    Paging {
        offset: field("offset"),
        limit: field("limit"),
        max_page_size: field("max-page-size"),
        items: field("items"),
        total: field("total"),
        first_offset: paging
            .get("first-offset")
            .map(Node::to_text)
            .unwrap_or_else(|| "0".into()),
    }
}

/// The parameters of an operation: the path item's, overridden by the
/// operation's (same name and location).
fn parameters(doc: &Node, item: &Node, op: &Node) -> Vec<Parameter> {
    let mut params: Vec<&Node> = Vec::new();
    for list in [item.get("parameters"), op.get("parameters")] {
        for p in list.and_then(Node::as_array).unwrap_or(&[]) {
            let p = p.deref(doc);
            let key = |p: &Node| (str_at(p, "name").to_string(), str_at(p, "in").to_string());
            params.retain(|q| key(q) != key(p));
            params.push(p);
        }
    }
    params
        .into_iter()
        .map(|p| {
            let schema = p.get("schema").unwrap_or(&Node::Null);
            let mut constraints = constraints(doc, schema);
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
