//! The authentication section: the document's security requirements and
//! its security schemes.

use serde::Serialize;

use crate::model::Service;

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

pub fn authentication(service: &Service) -> Authentication {
    Authentication {
        requirements: service.security.clone(),
        schemes: service
            .security_schemes
            .iter()
            .map(|scheme| Scheme {
                name: scheme.name.clone(),
                kind: scheme.kind.clone(),
                place: scheme.place.as_ref().map(|(location, name)| Place {
                    location: location.clone(),
                    name: name.clone(),
                }),
                description: scheme.description.clone(),
            })
            .collect(),
    }
}
