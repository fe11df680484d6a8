//! What goes over the wire besides parameters: request bodies and responses
//! with their media types, schemas, headers and examples, as the document
//! writes them (a `$ref` to a response, header or example is read where it
//! points).

use crate::error::pointer_join;
use crate::spec::document::Node;

use super::schema::Schema;

/// One response of an operation, as documented (success or error).
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `200`, `404`, `default`.
    pub status: String,
    pub description: String,
    /// The `application/json` body's schema, if the response has one.
    pub body: Option<Schema>,
    /// Its headers, in the order written.
    pub headers: Vec<Header>,
    /// Every media type of its body, in the order written.
    pub media: Vec<Media>,
}

/// A response header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub name: String,
    pub schema: Option<Schema>,
    pub description: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub description: Option<String>,
    pub media: Vec<Media>,
}

/// One media type of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    /// `application/json`.
    pub media_type: String,
    pub schema: Option<Schema>,
    /// The `example`, then each named example that has a value.
    pub examples: Vec<Example>,
}

/// An example of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// `None` for the media type's `example`; the name for one of its
    /// `examples`.
    pub name: Option<String>,
    pub summary: Option<String>,
    pub value: Node,
}

impl Response {
    /// The responses of the operation object `op`, written at `pointer`, in
    /// the order written; a response given by `$ref` is read where it
    /// points.
    pub fn all(doc: &Node, op: &Node, pointer: &str) -> Vec<Response> {
        let at = pointer_join(pointer, "responses");
        op.get("responses")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .map(|(status, written)| {
                let here = target(written).unwrap_or_else(|| pointer_join(&at, status));
                let response = written.deref(doc);
                let media = media(doc, response, &here);
                Response {
                    status: status.clone(),
                    description: text(response, "description").unwrap_or_default(),
                    body: media
                        .iter()
                        .find(|m| m.media_type == "application/json")
                        .and_then(|m| m.schema.clone()),
                    headers: headers(doc, response, &here),
                    media,
                }
            })
            .collect()
    }
}

impl Body {
    /// The request body of the operation object `op`, written at `pointer`.
    pub fn of(doc: &Node, op: &Node, pointer: &str) -> Option<Body> {
        let written = op.get("requestBody")?;
        let here = target(written).unwrap_or_else(|| pointer_join(pointer, "requestBody"));
        let body = written.deref(doc);
        Some(Body {
            description: text(body, "description"),
            media: media(doc, body, &here),
        })
    }
}

/// Where a `$ref` points (without the `#`), if `node` is one.
fn target(node: &Node) -> Option<String> {
    node.get("$ref")
        .and_then(Node::as_str)
        .map(|r| r.trim_start_matches('#').to_string())
}

fn text(node: &Node, key: &str) -> Option<String> {
    node.get(key).and_then(Node::as_str).map(str::to_string)
}

/// The media types of the `content` of `holder` (at `pointer`).
fn media(doc: &Node, holder: &Node, pointer: &str) -> Vec<Media> {
    let at = pointer_join(pointer, "content");
    holder
        .get("content")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(media_type, media)| {
            let here = pointer_join(&at, media_type);
            let mut examples = Vec::new();
            if let Some(value) = media.get("example") {
                examples.push(Example {
                    name: None,
                    summary: None,
                    value: value.clone(),
                });
            }
            for (name, example) in media.get("examples").map(Node::entries).unwrap_or_default() {
                let example = example.deref(doc);
                if let Some(value) = example.get("value") {
                    examples.push(Example {
                        name: Some(name.clone()),
                        summary: text(example, "summary"),
                        value: value.clone(),
                    });
                }
            }
            Media {
                media_type: media_type.clone(),
                schema: media
                    .get("schema")
                    .map(|s| Schema::read(s, &pointer_join(&here, "schema"))),
                examples,
            }
        })
        .collect()
}

fn headers(doc: &Node, response: &Node, pointer: &str) -> Vec<Header> {
    let at = pointer_join(pointer, "headers");
    response
        .get("headers")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(name, written)| {
            let here = target(written).unwrap_or_else(|| pointer_join(&at, name));
            let header = written.deref(doc);
            Header {
                name: name.clone(),
                schema: header
                    .get("schema")
                    .map(|s| Schema::read(s, &pointer_join(&here, "schema"))),
                description: text(header, "description").unwrap_or_default(),
            }
        })
        .collect()
}
