//! What the spec directory already shares between services
//! (`shared/*.yaml`): the path parameters, error responses, request-id
//! header, error body and security schemes an imported operation refers to
//! instead of repeating them.

use std::path::Path;

use serde_json::Value;

use generator::error::{Error, pointer_token};
use generator::spec::load::load_yaml;

/// The shared pieces, as `$ref` targets relative to a service spec.
#[derive(Debug, Clone, Default)]
pub struct Shared {
    /// `(name, location, $ref)` of every shared parameter.
    pub parameters: Vec<(String, String, String)>,
    /// `(component name, $ref)` of every shared response.
    pub responses: Vec<(String, String)>,
    /// The request-id header.
    pub request_id: Option<String>,
    /// The error body schema.
    pub error_body: Option<String>,
    /// `(scheme name, $ref)` of every security scheme.
    pub security: Vec<(String, String)>,
    /// `info.contact` and `info.license` of the first service spec, so a
    /// new spec is published under the same terms.
    pub contact: Option<Value>,
    pub license: Option<Value>,
}

impl Shared {
    /// Reads `shared/*.yaml` and the first service spec of `spec_dir`. A
    /// directory without them gives nothing to refer to.
    pub fn load(spec_dir: &Path) -> Result<Shared, Error> {
        let mut shared = Shared::default();
        let dir = spec_dir.join("shared");
        let mut files: Vec<_> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        for file in files {
            let doc = load_yaml(&file)?;
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let target = |section: &str, key: &str| {
                format!("shared/{name}#/components/{section}/{}", pointer_token(key))
            };
            let section = |s: &str| {
                doc.pointer(&format!("/components/{s}"))
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default()
            };
            for (key, p) in section("parameters") {
                if let (Some(n), Some(l)) = (
                    p.get("name").and_then(Value::as_str),
                    p.get("in").and_then(Value::as_str),
                ) {
                    let r = target("parameters", &key);
                    shared.parameters.push((n.to_string(), l.to_string(), r));
                }
            }
            for key in section("responses").keys() {
                shared
                    .responses
                    .push((key.clone(), target("responses", key)));
            }
            for key in section("headers").keys() {
                let plain: String = key.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
                if plain.eq_ignore_ascii_case("XRequestId") && shared.request_id.is_none() {
                    shared.request_id = Some(target("headers", key));
                }
            }
            let schemas = section("schemas");
            if shared.error_body.is_none() {
                shared.error_body = schemas
                    .keys()
                    .find(|k| k.to_ascii_lowercase().contains("error"))
                    .map(|k| target("schemas", k));
            }
            for key in section("securitySchemes").keys() {
                shared
                    .security
                    .push((key.clone(), target("securitySchemes", key)));
            }
        }
        if let Some(first) = generator::service_specs(spec_dir)?.first() {
            let doc = load_yaml(first)?;
            shared.contact = doc.pointer("/info/contact").cloned();
            shared.license = doc.pointer("/info/license").cloned();
        }
        Ok(shared)
    }

    /// The same pieces, seen from a service spec that declares parameters
    /// of its own (`components/parameters`): an operation imported into it
    /// refers to the spec's own parameter of a name and location, since a
    /// spec may not declare a component it also imports.
    pub fn seen_from(&self, spec: &Value) -> Shared {
        let mut own: Vec<(String, String, String)> = spec
            .pointer("/components/parameters")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(key, p)| {
                let name = p.get("name").and_then(Value::as_str)?;
                let location = p.get("in").and_then(Value::as_str)?;
                let target = format!("#/components/parameters/{}", pointer_token(key));
                Some((name.to_string(), location.to_string(), target))
            })
            .collect();
        let mut seen = self.clone();
        seen.parameters
            .retain(|(n, l, _)| !own.iter().any(|(on, ol, _)| on == n && ol == l));
        own.append(&mut seen.parameters);
        seen.parameters = own;
        seen
    }

    /// The shared parameter of this name and location.
    pub fn parameter(&self, name: &str, location: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(n, l, _)| n == name && l == location)
            .map(|(_, _, r)| r.as_str())
    }

    /// The shared response for an error status, by its reason phrase
    /// (`NotFound` for 404).
    pub fn response(&self, status: &str) -> Option<&str> {
        let name = reason(status)?;
        self.responses
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r.as_str())
    }

    /// The error statuses every imported operation documents, where a
    /// shared response stands for them: those the gateway and the services
    /// answer on any operation ([`EVERY_OPERATION`]). Other statuses come
    /// only where the page lists them.
    pub fn error_statuses(&self) -> Vec<String> {
        EVERY_OPERATION
            .iter()
            .filter(|code| self.response(code).is_some())
            .map(|code| code.to_string())
            .collect()
    }
}

/// A bad request, failed authentication, refused authorization, a missing
/// resource, an internal error: what any operation may answer.
const EVERY_OPERATION: [&str; 5] = ["400", "401", "403", "404", "500"];

/// Error statuses and the component names that stand for them (their
/// reason phrases without spaces).
const REASONS: [(&str, &str); 15] = [
    ("400", "BadRequest"),
    ("401", "Unauthorized"),
    ("403", "Forbidden"),
    ("404", "NotFound"),
    ("405", "MethodNotAllowed"),
    ("406", "NotAcceptable"),
    ("407", "ProxyAuthenticationRequired"),
    ("408", "RequestTimeout"),
    ("409", "Conflict"),
    ("429", "TooManyRequests"),
    ("500", "InternalServerError"),
    ("501", "NotImplemented"),
    ("502", "BadGateway"),
    ("503", "ServiceUnavailable"),
    ("504", "GatewayTimeout"),
];

fn reason(status: &str) -> Option<&'static str> {
    REASONS
        .iter()
        .find(|(code, _)| *code == status)
        .map(|(_, name)| *name)
}
