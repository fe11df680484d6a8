//! The authentication section: the document's security requirements and
//! its security schemes.

use serde::Serialize;

use super::str_at;
use crate::spec::document::Node;

#[derive(Serialize)]
pub struct Authentication {
    /// Alternatives, each the names of the schemes used together.
    requirements: Vec<Vec<String>>,
    schemes: Vec<Scheme>,
}

#[derive(Serialize)]
struct Scheme {
    name: String,
    kind: String,
    /// Where the credential goes, when the scheme says (`in` and `name`).
    place: Option<Place>,
    description: String,
}

#[derive(Serialize)]
struct Place {
    location: String,
    name: String,
}

pub fn authentication(doc: &Node) -> Authentication {
    let requirements = doc
        .get("security")
        .and_then(Node::as_array)
        .unwrap_or(&[])
        .iter()
        .map(|r| r.entries().iter().map(|(k, _)| k.clone()).collect())
        .collect();
    let schemes = doc
        .pointer("/components/securitySchemes")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(name, scheme)| Scheme {
            name: name.clone(),
            kind: str_at(scheme, "type").to_string(),
            place: match (scheme.get("in"), scheme.get("name")) {
                (Some(i), Some(n)) => Some(Place {
                    location: i.to_text(),
                    name: n.to_text(),
                }),
                _ => None,
            },
            description: str_at(scheme, "description").to_string(),
        })
        .collect();
    Authentication {
        requirements,
        schemes,
    }
}
