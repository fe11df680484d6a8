//! Reading the specs: YAML files in, one self-contained document per service out.
//!
//! [`load`] parses YAML once into the ordered [`document`], [`bundle`]
//! resolves the relative `$ref`s between files on it (remembering where each
//! piece came from) and derives the JSON the later stages read, [`yaml`]
//! writes the ordered document back out, and [`walk`] visits operations and
//! schemas with their JSON pointers for every later stage.

pub mod bundle;
pub mod document;
pub mod load;
pub mod walk;
pub mod yaml;

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The service specs in a directory: every `*.yaml` directly inside it, sorted
/// (shared pieces live in subdirectories).
pub fn service_specs(spec_dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(spec_dir).map_err(|e| Error::io(spec_dir, e))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    Ok(specs)
}

/// The module name of a service spec: its file stem (`spec/dcs.yaml` → `dcs`).
pub fn module_name(spec: &Path) -> String {
    spec.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
