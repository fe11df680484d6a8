//! The HTML reference published beside each bundled document.
//!
//! One self-contained page per service, rendered from the bundled document:
//! endpoints and the region table, authentication, every operation with its
//! parameters (constraints included) and responses (headers, body schema,
//! example as pretty JSON), every schema with its fields, and what the `x-hwc-`
//! extensions mean for a client. It loads nothing: the CSS is inline, there is
//! no script, and fonts are the reader's own. Every piece of text from the
//! spec is escaped; the only markup added to it is `code` for backquoted spans.
//!
//! The Rust modules turn the document into plain view data, one per section
//! (`page`, `endpoints`, `authentication`, `operations`, `schemas`, with
//! `types`, `constraints` and `media` for what they share); the templates in
//! `templates/` lay that data out (`engine`).
//! Keeping the two apart keeps the wording and markup in one place and the
//! reading of the document in another.

use crate::spec::order::Node;

mod authentication;
mod constraints;
mod endpoints;
mod engine;
mod escape;
mod media;
mod operations;
mod page;
mod schemas;
mod types;

pub use escape::{anchor, esc, text};

/// Renders the reference page of one bundled document. `source` names the
/// spec file it was bundled from (for example `spec/dcs.yaml`).
///
/// The templates are part of the program and render every document (see
/// [`try_render`]); should one ever fail, the page says so instead of
/// showing part of the reference.
pub fn render(doc: &Node, source: &str) -> String {
    try_render(doc, source).unwrap_or_else(|e| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>API reference</title>\n</head>\n<body>\n<p>{}</p>\n</body>\n</html>\n",
            esc(&e.to_string())
        )
    })
}

/// [`render`], reporting a template that fails to render.
pub fn try_render(doc: &Node, source: &str) -> Result<String, RenderError> {
    engine::render_page(&page::page(doc, source)).map_err(|e| RenderError(chain(&e)))
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

/// A string member, or an empty one when it is missing or not a string.
fn str_at<'n>(node: &'n Node, key: &str) -> &'n str {
    node.get(key).and_then(Node::as_str).unwrap_or_default()
}

/// A string member, if there is one.
fn optional_str(node: &Node, key: &str) -> Option<String> {
    node.get(key).and_then(Node::as_str).map(str::to_string)
}
