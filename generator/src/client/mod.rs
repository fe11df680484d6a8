//! The client code: from the model of a service to its generated Rust module.
//!
//! [`transform`] rewrites the document into what progenitor should see,
//! [`progenitor`] runs it, [`extras`] adds what progenitor lacks (the hooks
//! into the runtime, `from_config`, `call()`, `paginate()`), [`open_enum`]
//! and [`service_table`] add the open lists and the table the runtime reads,
//! [`format`] renders the file with its header, [`index`] writes the module
//! index that mounts every service, and [`surface`] lists the public API for
//! review.

pub mod extras;
pub mod format;
pub mod index;
pub mod open_enum;
pub mod progenitor;
pub mod rust_types;
pub mod service_table;
pub mod surface;
pub mod transform;

use crate::checked::GeneratedFile;
use crate::error::Error;
use crate::model::Service;
use crate::spec::bundle::Bundle;

/// Generates the module of one checked service (`dcs.rs`). `source` names the
/// spec in the header.
pub fn generate(bundle: &Bundle, service: &Service, source: &str) -> Result<GeneratedFile, Error> {
    let prepared = transform::prepare(&bundle.document, service);
    let file = progenitor::generate(service, &prepared).map_err(|failure| match failure {
        progenitor::Failure::Spec(error) => Error::Spec(vec![error]),
        progenitor::Failure::Tool(message) => Error::Generate {
            file: bundle.file.clone(),
            message,
        },
    })?;
    Ok(GeneratedFile {
        name: format!("{}.rs", service.module),
        contents: format::render(&file, source),
    })
}
