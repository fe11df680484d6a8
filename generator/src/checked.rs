//! What the pipeline hands from stage to stage: a checked service and the
//! files generated from it.
//!
//! These types sit below every stage, so a stage that takes a checked
//! service (client code, publishing, the doc tools) never imports the driver
//! in `lib.rs` that produces it.

use crate::model;
use crate::spec::bundle::Bundle;

/// One generated source file, named relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub name: String,
    pub contents: String,
}

/// A service spec that passed every check: its bundled document, its model
/// and its generated client module.
#[derive(Debug, Clone)]
pub struct Checked {
    pub bundle: Bundle,
    pub service: model::Service,
    /// How output headers name the spec (`spec/dcs.yaml`).
    pub source: String,
    pub client: GeneratedFile,
}
