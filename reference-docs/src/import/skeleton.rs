//! The document around the first operation of a new service: `info`, the
//! SDK service name, the regional server with its regions, security and
//! tags, in the order and style of the hand-written specs.

use super::node::{obj, s};
use super::shared::Shared;
use generator::spec::document::Node;

/// What a new service spec needs beyond the page.
#[derive(Debug, Clone)]
pub struct NewService {
    pub module: String,
    /// `https://dcs.{region}.myhuaweicloud.com`.
    pub server: String,
    pub regions: Vec<String>,
    /// The SDK's service name (`DCS`), for region files and endpoints.
    pub sdk_service: String,
    pub title: String,
    pub tag: String,
}

/// Checks the server template and regions before anything is written.
pub fn check(server: &str, regions: &[String]) -> Result<(), String> {
    if !server.starts_with("https://") {
        return Err(format!(
            "--server `{server}` must be an https:// URL (credentials are only sent over TLS)"
        ));
    }
    if !server.contains("{region}") {
        return Err(format!(
            "--server `{server}` must contain `{{region}}` where the region ID goes"
        ));
    }
    if regions.is_empty() {
        return Err("give the service's regions with --region (repeat it for each)".into());
    }
    if let Some(bad) = regions.iter().find(|r| {
        r.is_empty()
            || !r
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }) {
        return Err(format!(
            "--region `{bad}` is not a region ID (lower-case letters, digits and `-`, like ap-southeast-1)"
        ));
    }
    Ok(())
}

/// The new document, with `paths` and `components.schemas` holding the
/// imported operation.
pub fn document(
    new: &NewService,
    shared: &Shared,
    path: &str,
    method: &str,
    operation: Node,
    schemas: Vec<(String, Node)>,
) -> Node {
    let mut info = vec![];
    if let Some(c) = &shared.contact {
        info.push(("contact", Node::sorted(c)));
    }
    if let Some(l) = &shared.license {
        info.push(("license", Node::sorted(l)));
    }
    info.push(("title", s(&new.title)));
    info.push(("version", s("0.1.0")));
    info.push((
        "description",
        s(&format!(
            "{}. Imported from the Huawei Cloud API reference with `cargo xtask doc import`.",
            new.title
        )),
    ));
    let mut regions = new.regions.clone();
    regions.sort();
    regions.dedup();
    let server = obj(vec![
        ("url", s(&new.server)),
        ("description", s("Regional endpoint.")),
        (
            "variables",
            obj(vec![(
                "region",
                obj(vec![
                    ("description", s("Region ID, for example `ap-southeast-1`.")),
                    ("default", s(&new.regions[0])),
                    ("enum", Node::Array(regions.iter().map(|r| s(r)).collect())),
                ]),
            )]),
        ),
    ]);
    let security = shared
        .security
        .iter()
        .map(|(name, _)| Node::Object(vec![(name.clone(), Node::Array(Vec::new()))]))
        .collect();
    let mut components = vec![];
    if !shared.security.is_empty() {
        components.push((
            "securitySchemes",
            Node::Object(
                shared
                    .security
                    .iter()
                    .map(|(name, r)| (name.clone(), obj(vec![("$ref", s(r))])))
                    .collect(),
            ),
        ));
    }
    components.push(("schemas", Node::Object(schemas)));
    obj(vec![
        ("openapi", s("3.0.3")),
        (
            "info",
            Node::Object(info.into_iter().map(|(k, v)| (k.to_string(), v)).collect()),
        ),
        ("x-hwc-sdk-service", s(&new.sdk_service)),
        ("servers", Node::Array(vec![server])),
        ("security", Node::Array(security)),
        (
            "tags",
            Node::Array(vec![obj(vec![
                ("name", s(&new.tag)),
                ("description", s(&format!("{} operations.", new.tag))),
            ])]),
        ),
        (
            "paths",
            Node::Object(vec![(
                path.to_string(),
                Node::Object(vec![(method.to_string(), operation)]),
            )]),
        ),
        (
            "components",
            Node::Object(
                components
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            ),
        ),
    ])
}
