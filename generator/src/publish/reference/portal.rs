//! The portal, `published/index.html`: one page for the teams that consume
//! the published documents. It lists every service with its version and
//! operations (method, path, summary), links each to its reference page and
//! bundled documents, links the extensions' schema, and carries the
//! changelog. Like the reference pages it loads nothing; its one script (a
//! filter over the operations) is inline and allowed by its hash in the
//! page's Content-Security-Policy, so no other script could run.

use base64::Engine as _;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::engine;
use super::escape::anchor;
use crate::model::Service;

/// The portal's file name in the published directory.
pub const PORTAL: &str = "index.html";

/// The filter over operations: hides the rows (and services) that do not
/// contain every word typed, and says how many are shown.
const SCRIPT: &str = include_str!("templates/portal.js");

#[derive(Serialize)]
struct View<'a> {
    services: Vec<ServiceView<'a>>,
    operations: usize,
    schema: &'a str,
    changelog: Option<minijinja::Value>,
    script: minijinja::Value,
    script_hash: String,
}

#[derive(Serialize)]
struct ServiceView<'a> {
    module: &'a str,
    title: &'a str,
    version: &'a str,
    /// The changelog heading of this version, when the changelog has one.
    changes: Option<String>,
    operations: Vec<OperationView<'a>>,
}

#[derive(Serialize)]
struct OperationView<'a> {
    id: &'a str,
    method: &'static str,
    path: &'a str,
    summary: &'a str,
    /// The operation's anchor on the service's reference page.
    anchor: String,
}

/// Renders the portal of `services`, with `changelog` (Markdown) when
/// given. `schema` is the extensions' schema file beside it.
pub fn render_portal(
    services: &[&Service],
    changelog: Option<&str>,
    schema: &str,
) -> Result<String, minijinja::Error> {
    let (changelog_html, headings) = match changelog {
        Some(text) => {
            let (html, ids) = markdown(text);
            (Some(minijinja::Value::from_safe_string(html)), ids)
        }
        None => (None, Vec::new()),
    };
    let services: Vec<ServiceView<'_>> = services
        .iter()
        .map(|s| {
            let wanted = heading_id(&format!("{} {}", s.module, s.version));
            ServiceView {
                module: &s.module,
                title: &s.title,
                version: &s.version,
                changes: headings.iter().find(|h| **h == wanted).cloned(),
                operations: s
                    .operations
                    .iter()
                    .map(|o| OperationView {
                        id: &o.name,
                        method: o.method.key(),
                        path: &o.path,
                        summary: &o.summary,
                        anchor: anchor("op", &o.name),
                    })
                    .collect(),
            }
        })
        .collect();
    let view = View {
        operations: services.iter().map(|s| s.operations.len()).sum(),
        services,
        schema,
        changelog: changelog_html,
        script: minijinja::Value::from_safe_string(SCRIPT.to_string()),
        script_hash: base64::engine::general_purpose::STANDARD.encode(Sha256::digest(SCRIPT)),
    };
    engine::render("portal.html", &view)
}

/// The id of a changelog heading: `changes-` and its words joined by `-`,
/// anything but letters, digits, `.` and `-` dropped (`### kafka 1.1.0` is
/// `changes-kafka-1.1.0`).
fn heading_id(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    format!("changes-{}", words.join("-"))
}

/// The changelog as HTML, every heading given an id from its text (a
/// second heading of the same text gets `-2`, and so on), and the ids. Raw
/// HTML in the Markdown is shown as text, never passed through.
fn markdown(text: &str) -> (String, Vec<String>) {
    let events: Vec<Event<'_>> = Parser::new_ext(text, Options::ENABLE_TABLES).collect();
    let mut out = Vec::with_capacity(events.len());
    let mut ids: Vec<String> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = *level;
                // The heading's text, up to its end.
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                    .map_or(events.len(), |p| i + p);
                let words: String = events[i + 1..end]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                let base = heading_id(&words);
                let mut id = base.clone();
                let mut n = 1;
                while ids.contains(&id) {
                    n += 1;
                    id = format!("{base}-{n}");
                }
                ids.push(id.clone());
                // Page headings start below the portal's own h2.
                let level = demote(level);
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
                out.extend(events[i + 1..end].iter().cloned());
                out.push(Event::End(TagEnd::Heading(level)));
                i = end + 1;
                continue;
            }
            // As text, which the writer escapes.
            Event::Html(raw) | Event::InlineHtml(raw) => out.push(Event::Text(raw.clone())),
            other => out.push(other.clone()),
        }
        i += 1;
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    (html, ids)
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_ids_from_their_text_and_raw_html_stays_text() {
        let (html, ids) = markdown(
            "# Changelog\n\n## Unreleased\n\n### kafka 1.1.0\n\n- `ListScheduledTasks` <b>x</b>\n\n\
             ## 2026-12-01\n\n### kafka 1.1.0\n",
        );
        assert_eq!(
            ids,
            [
                "changes-changelog",
                "changes-unreleased",
                "changes-kafka-1.1.0",
                "changes-2026-12-01",
                "changes-kafka-1.1.0-2"
            ]
        );
        assert!(
            html.contains("<h4 id=\"changes-kafka-1.1.0\">kafka 1.1.0</h4>"),
            "{html}"
        );
        assert!(
            html.contains("<h3 id=\"changes-changelog\">Changelog</h3>"),
            "{html}"
        );
        assert!(html.contains("<code>ListScheduledTasks</code>"), "{html}");
        assert!(
            html.contains("&lt;b&gt;x&lt;/b&gt;") && !html.contains("<b>"),
            "{html}"
        );
    }

    #[test]
    fn a_heading_id_keeps_letters_digits_dots_and_dashes() {
        assert_eq!(heading_id("rds 1.0.0"), "changes-rds-1.0.0");
        assert_eq!(
            heading_id("The job services: ecs, evs"),
            "changes-the-job-services-ecs-evs"
        );
    }
}
