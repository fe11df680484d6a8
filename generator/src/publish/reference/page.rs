//! The page as a whole: the document's title and version, where it was
//! bundled from, and every section's view.

use serde::Serialize;

use super::authentication::{Authentication, authentication};
use super::endpoints::{Endpoints, endpoints};
use super::operations::{Operation, operations};
use super::schemas::{Schema, schemas};
use crate::model::Service;

/// Everything `page.html` shows. The contents list is built from the same
/// operations and schemas as their sections, so its links always resolve.
#[derive(Serialize)]
pub struct Page {
    title: String,
    version: String,
    openapi: String,
    /// The spec file the document was bundled from.
    source: String,
    description: Option<String>,
    endpoints: Endpoints,
    authentication: Authentication,
    operations: Vec<Operation>,
    schemas: Vec<Schema>,
}

pub fn page(service: &Service, source: &str) -> Page {
    Page {
        title: service.title.clone(),
        version: service.version.clone(),
        openapi: service.openapi.clone(),
        source: source.to_string(),
        description: service.description.clone(),
        endpoints: endpoints(service),
        authentication: authentication(service),
        operations: operations(service),
        schemas: schemas(service),
    }
}
