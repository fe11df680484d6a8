//! The HTML reference published beside each bundled document.
//!
//! One self-contained page per service, rendered from the bundled document
//! and the service's model: endpoints and the region table, authentication,
//! every operation with its parameters (constraints included), whether a
//! failed attempt is sent again, and responses (headers, body schema, example
//! as pretty JSON), every schema with its fields, and what the `x-hwc-`
//! extensions mean for a client. It loads nothing: the CSS is inline, there is
//! no script, and fonts are the reader's own. Every piece of text from the
//! spec is escaped; the only markup added to it is `code` for backquoted spans.
//!
//! The Rust modules turn the model into plain view data, one per section
//! (`page`, `endpoints`, `authentication`, `operations`, `schemas`, with
//! `types`, `constraints` and `media` for what they share); the templates in
//! `templates/` lay that data out (`engine`).
//! Keeping the two apart keeps the wording and markup in one place and the
//! reading of the document in another.
//!
//! Everything on the page comes from the [`Service`] model, which keeps the
//! order the spec is written in: operations in the order the document lists
//! them, schemas, properties, parameters, responses and headers as written.
//! What the `x-hwc-` extensions say (region service name and endpoint
//! exceptions, paging, idempotency, open lists, tolerant scalars) is the
//! model's too: open lists by component name and scalars by the JSON pointer
//! of their schema, which every model schema carries.

use crate::model::Service;

mod authentication;
mod constraints;
mod endpoints;
mod engine;
mod escape;
mod media;
mod operations;
mod page;
mod portal;
mod schemas;
mod types;

pub use escape::{anchor, esc, text};
pub use portal::{PORTAL, render_portal};

/// Renders the reference page of one service from its model. `source` names
/// the spec file it was bundled from (for example `spec/dcs.yaml`).
///
/// The templates are part of the program and render every document (see
/// [`try_render`]); should one ever fail, the page says so instead of
/// showing part of the reference.
pub fn render(service: &Service, source: &str) -> String {
    try_render(service, source).unwrap_or_else(|e| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>API reference</title>\n</head>\n<body>\n<p>{}</p>\n</body>\n</html>\n",
            esc(&e.to_string())
        )
    })
}

/// [`render`], reporting a template that fails to render.
pub fn try_render(service: &Service, source: &str) -> Result<String, RenderError> {
    engine::render_page(&page::page(service, source)).map_err(|e| RenderError(chain(&e)))
}

/// A template failed to render (a fault of the program, not of the spec).
#[derive(Debug, thiserror::Error)]
#[error("the reference page could not be rendered: {0}")]
pub struct RenderError(String);

/// An error with every error beneath it (an include names only its
/// template; the cause says what went wrong in it).
fn chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        out.push_str(": ");
        out.push_str(&e.to_string());
        source = e.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::{
        Endpoints, FieldPath, Method, Operation, Paging, PagingStyle, Server, ServerVariable,
        Success, Total, TotalKind,
    };

    fn operation(
        method: Method,
        path: &str,
        name: &str,
        idempotent: bool,
        position: usize,
    ) -> Operation {
        let pointer =
            crate::error::pointer_join(&crate::error::pointer_join("/paths", path), method.key());
        Operation {
            name: name.into(),
            fn_name: name.to_ascii_lowercase(),
            method,
            path: path.into(),
            pointer,
            position,
            summary: format!("{name} summary"),
            description: format!("{name} description"),
            deprecated: false,
            tags: Vec::new(),
            params: Vec::new(),
            request_body: None,
            request: None,
            success: Success {
                statuses: vec![204],
                schema: None,
                body_optional: false,
            },
            error_statuses: Vec::new(),
            responses: Vec::new(),
            paging: None,
            idempotent,
        }
    }

    /// The `<article>` of operation `name`.
    fn article<'p>(page: &'p str, name: &str) -> &'p str {
        let start = page.find(&format!("id=\"op-{name}\"")).expect(name);
        let rest = &page[start..];
        &rest[..rest.find("</article>").expect("article ends")]
    }

    #[test]
    fn extensions_are_shown_as_the_model_has_them() {
        let mut get_a = operation(Method::Get, "/a", "GetA", true, 0);
        get_a.paging = Some(Paging {
            style: PagingStyle::Offset {
                param: "start".into(),
                first: 1,
            },
            limit: "size".into(),
            items: "things".into(),
            total: Some(Total {
                path: FieldPath::parse("count"),
                kind: TotalKind::Count,
            }),
            max_page_size: 50,
        });
        let service = Service {
            module: "t".into(),
            file: "spec/t.yaml".into(),
            title: "T".into(),
            version: "1.0.0".into(),
            description: None,
            openapi: "3.0.3".into(),
            endpoints: Endpoints {
                sdk_service: "TSVC".into(),
                pattern: "https://s.{region}.example.com".into(),
                default_region: "r1".into(),
                regions: vec!["r1".into(), "r2".into()],
                exceptions: BTreeMap::from([("r2".into(), "https://other.example.com".into())]),
            },
            servers: vec![Server {
                url: "https://s.{region}.example.com".into(),
                description: None,
                variables: vec![ServerVariable {
                    name: "region".into(),
                    description: None,
                    default: "r1".into(),
                    values: vec!["r1".into(), "r2".into()],
                }],
            }],
            // Sorted by path and method; the page lists them as written.
            operations: vec![
                operation(Method::Delete, "/b/{id}", "DeleteB", false, 3),
                get_a,
                operation(Method::Post, "/a", "PostA", false, 1),
                operation(Method::Post, "/b/{id}", "PostB", true, 2),
            ],
            open_enums: BTreeMap::new(),
            implicit_enums: BTreeMap::new(),
            scalars: BTreeMap::new(),
            security: Vec::new(),
            security_schemes: Vec::new(),
            schemas: Vec::new(),
            task_view: None,
            scheduled_view: None,
            source: None,
        };
        let page = try_render(&service, "spec/t.yaml").expect("renders");
        assert!(page.contains("HUAWEICLOUD_SDK_REGION_TSVC_&lt;REGION&gt;"));
        assert!(page.contains("<code>https://other.<wbr>example.<wbr>com</code>"));
        assert!(page.contains("<code>r2</code> <span class=\"badge warn\">exception</span>"));

        let get_a = article(&page, "GetA");
        assert!(get_a.contains("query parameter <code>start</code>"));
        assert!(get_a.contains("(at most 50)"));
        assert!(get_a.contains("the very first item is at 1"));
        assert!(get_a.contains(
            "<strong>Retried on failure: yes</strong> (idempotent; the default for <code>GET</code>)"
        ));
        assert!(article(&page, "PostA").contains(
            "<strong>Sent once: not idempotent</strong> (the default for <code>POST</code>)"
        ));
        assert!(article(&page, "PostB").contains(
            "<strong>Retried on failure: yes</strong> (idempotent; <code>x-hwc-idempotent: true</code>)"
        ));
        assert!(article(&page, "DeleteB").contains(
            "<strong>Sent once: not idempotent</strong> (<code>x-hwc-idempotent: false</code>)"
        ));
        let at = |name: &str| page.find(&format!("id=\"op-{name}\"")).expect(name);
        assert!(
            at("GetA") < at("PostA") && at("PostA") < at("PostB") && at("PostB") < at("DeleteB")
        );
        assert!(!article(&page, "PostA").contains("Paging"));
    }
}
