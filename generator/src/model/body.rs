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
                    description: response.text("description").unwrap_or_default(),
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
            description: body.text("description"),
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
                        summary: example.text("summary"),
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
                description: header.text("description").unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::load::parse_document;

    fn doc() -> Node {
        parse_document(
            std::path::Path::new("spec/t.yaml"),
            r##"
paths:
  /t:
    post:
      requestBody: {$ref: "#/components/requestBodies/Job"}
      responses:
        "404": {$ref: "#/components/responses/Missing"}
        "200":
          description: Done.
          headers:
            X-Request-Id: {$ref: "#/components/headers/Id"}
            Retry-After: {description: Seconds., schema: {type: integer}}
          content:
            text/plain: {schema: {type: string}}
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
              example: {z: 1, a: 2}
components:
  requestBodies:
    Job:
      description: The job.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Job"}
          examples:
            named: {$ref: "#/components/examples/Named"}
            empty: {summary: No value}
            plain: {value: [1]}
  examples:
    Named: {summary: A job, value: {b: 1, a: 2}}
  headers:
    Id: {description: The request id., schema: {type: string}}
  responses:
    Missing: {description: Not found.}
"##,
        )
        .unwrap()
    }

    #[test]
    fn responses_keep_the_order_written_and_read_references_where_they_point() {
        let doc = doc();
        let op = doc.pointer("/paths/~1t/post").unwrap();
        let responses = Response::all(&doc, op, "/paths/~1t/post");
        let statuses: Vec<&str> = responses.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses, ["404", "200"]);
        assert_eq!(responses[0].description, "Not found.");
        let ok = &responses[1];
        let headers: Vec<&str> = ok.headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(headers, ["X-Request-Id", "Retry-After"]);
        assert_eq!(ok.headers[0].description, "The request id.");
        assert_eq!(
            ok.headers[0].schema.as_ref().unwrap().pointer,
            "/components/headers/Id/schema"
        );
        let media: Vec<&str> = ok.media.iter().map(|m| m.media_type.as_str()).collect();
        assert_eq!(media, ["text/plain", "application/json"]);
        let body = ok.body.as_ref().expect("the JSON body");
        assert_eq!(body.reference.as_deref(), Some("Job"));
        assert_eq!(
            body.pointer,
            "/paths/~1t/post/responses/200/content/application~1json/schema"
        );
        let example = &ok.media[1].examples[0];
        assert_eq!(
            (example.name.as_deref(), example.value.to_json_pretty()),
            (None, "{\n  \"z\": 1,\n  \"a\": 2\n}".into())
        );
    }

    #[test]
    fn a_request_body_is_read_where_its_reference_points_with_its_named_examples() {
        let doc = doc();
        let op = doc.pointer("/paths/~1t/post").unwrap();
        let body = Body::of(&doc, op, "/paths/~1t/post").expect("a request body");
        assert_eq!(body.description.as_deref(), Some("The job."));
        let [media] = &body.media[..] else {
            panic!("one media type")
        };
        assert_eq!(
            media.schema.as_ref().unwrap().pointer,
            "/components/requestBodies/Job/content/application~1json/schema"
        );
        // An example without a value is left out; one by reference keeps
        // its summary and its keys' order.
        let named: Vec<(Option<&str>, Option<&str>, String)> = media
            .examples
            .iter()
            .map(|e| (e.name.as_deref(), e.summary.as_deref(), e.value.to_text()))
            .collect();
        assert_eq!(
            named,
            [
                (
                    Some("named"),
                    Some("A job"),
                    "{\"b\":1,\"a\":2}".to_string()
                ),
                (Some("plain"), None, "[1]".to_string()),
            ]
        );
        assert!(Body::of(&doc, doc.pointer("/paths/~1t").unwrap(), "/paths/~1t").is_none());
    }
}
