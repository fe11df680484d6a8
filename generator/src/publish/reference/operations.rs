//! The operations section: every operation of every path, in the order the
//! spec lists them, with its parameters, request body and responses, paging
//! and idempotency, all read from the model.

use serde::Serialize;

use super::constraints::{Constraint, constraints};
use super::escape::anchor;
use super::media::{Media, media};
use super::types::{TypeView, type_of, type_of_optional};
use crate::model::{self, Service};

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
    /// Whether a failed attempt is sent again.
    retry: Retry,
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

/// Every operation of the document, in the order it lists them.
pub fn operations(service: &Service) -> Vec<Operation> {
    service
        .operations_as_written()
        .into_iter()
        .map(|op| operation(service, op))
        .collect()
}

fn operation(service: &Service, op: &model::Operation) -> Operation {
    let method = op.method.key();
    Operation {
        anchor: if op.name.is_empty() {
            anchor("op", &format!("{method}-{}", op.path))
        } else {
            anchor("op", &op.name)
        },
        method: method.to_string(),
        id: op.name.clone(),
        path: op.path.clone(),
        tags: op.tags.clone(),
        summary: Some(op.summary.clone()),
        description: Some(op.description.clone()),
        deprecated: op.deprecated,
        paging: op.paging.as_ref().map(paging),
        retry: retry(op),
        parameters: op.params.iter().map(|p| parameter(service, p)).collect(),
        request_body: op.request.as_ref().map(|body| RequestBody {
            description: body.description.clone(),
            media: media(&body.media),
        }),
        responses: op.responses.iter().map(response).collect(),
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

fn parameter(service: &Service, p: &model::Param) -> Parameter {
    let mut constraints = constraints(service, &p.schema);
    if let Some(example) = &p.example {
        constraints.push(Constraint::Example {
            value: example.to_text(),
        });
    }
    Parameter {
        name: p.name.clone(),
        location: p.location.as_str().to_string(),
        required: p.required,
        type_of: type_of(&p.schema),
        constraints,
        description: p.description.clone(),
    }
}

fn response(response: &model::Response) -> Response {
    let class = match response.status.chars().next() {
        Some('2') => "ok",
        Some('4') | Some('5') => "error",
        _ => "other",
    };
    Response {
        code: response.status.clone(),
        class,
        description: response.description.clone(),
        headers: response
            .headers
            .iter()
            .map(|h| Header {
                name: h.name.clone(),
                type_of: type_of_optional(h.schema.as_ref()),
                description: h.description.clone(),
            })
            .collect(),
        media: media(&response.media),
    }
}
