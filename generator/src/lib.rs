//! Turns the hand-written OpenAPI specs in `spec/` into the generated modules of
//! the `huaweicloud-tasks` crate, the published documents and the review
//! snapshots.
//!
//! The pipeline, one folder per stage: [`spec`] (load, bundle, order, walk) →
//! [`rules`] (house rules, extension schema, examples) → [`model`] (the typed
//! model of each service, built once) → [`client`] (progenitor plus our
//! extras, formatted) and [`publish`] (documents, reference page, summary) →
//! [`write`] (atomic, only if changed); [`diff`] compares two versions of the
//! specs. This file only drives the stages.
//!
//! Generation is all-or-nothing: every service must load, check, build its
//! model and generate before a single file is written, so a broken spec
//! leaves the committed output untouched. Every command goes through
//! [`load_and_check`], so they all accept and reject the same specs.

pub mod client;
pub mod diff;
pub mod doc;
pub mod error;
pub mod model;
pub mod publish;
pub mod rules;
pub mod spec;
pub mod write;

use std::path::{Path, PathBuf};

pub use error::{Error, SpecError};
pub use spec::bundle::Bundle;
pub use spec::{module_name, service_specs};
pub use write::Stale;

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

/// Loads, bundles, checks and models every service spec and generates its
/// client in memory, reporting all problems of all files together.
/// `spec_label` is how headers name the spec directory (`spec`).
pub fn load_and_check(spec_dir: &Path, spec_label: &str) -> Result<Vec<Checked>, Error> {
    let mut bundles = Vec::new();
    let mut problems = Vec::new();
    for spec in service_specs(spec_dir)? {
        let module = module_name(&spec);
        if !is_module_name(&module) {
            problems.push(SpecError::new(
                &spec,
                "",
                format!("file name `{module}` must be a lower-case Rust module name"),
            ));
            continue;
        }
        match spec::bundle::bundle(&spec) {
            Ok(b) => {
                let found = rules::check(&b);
                if found.is_empty() {
                    match model::build(&b, &module) {
                        Ok(service) => bundles.push((b, service)),
                        Err(errors) => problems.extend(errors),
                    }
                } else {
                    problems.extend(found);
                }
            }
            Err(Error::Spec(errors)) => problems.extend(errors),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Spec(problems));
    }
    bundles
        .into_iter()
        .map(|(bundle, service)| {
            let source = spec_source(&bundle, spec_label);
            let client = client::generate(&bundle, &service, &source)?;
            Ok(Checked {
                bundle,
                service,
                source,
                client,
            })
        })
        .collect()
}

/// Every generated file of the client crate: one module per service and the
/// module index that mounts them.
pub fn generate_all(spec_dir: &Path, spec_label: &str) -> Result<Vec<GeneratedFile>, Error> {
    let checked = load_and_check(spec_dir, spec_label)?;
    client_files(&checked, spec_dir, spec_label)
}

/// The generated files of already checked services.
pub fn client_files(
    checked: &[Checked],
    spec_dir: &Path,
    spec_label: &str,
) -> Result<Vec<GeneratedFile>, Error> {
    let mut files: Vec<GeneratedFile> = checked.iter().map(|c| c.client.clone()).collect();
    let index =
        client::index::generate(checked, spec_label).map_err(|message| Error::Generate {
            file: spec_dir.to_path_buf(),
            message,
        })?;
    files.extend(index);
    Ok(files)
}

/// How output headers name a service's spec (`spec/dcs.yaml`).
fn spec_source(bundle: &Bundle, spec_label: &str) -> String {
    let file_name = bundle
        .file
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{spec_label}/{file_name}")
}

/// `cargo xtask generate`: generates every service, then writes the files
/// whose contents changed and removes generated modules no spec produces any
/// more (returned with the written ones). Nothing is written unless
/// everything generated.
pub fn regenerate(
    spec_dir: &Path,
    spec_label: &str,
    out_dir: &Path,
) -> Result<(Vec<GeneratedFile>, Vec<PathBuf>), Error> {
    let files = generate_all(spec_dir, spec_label)?;
    let mut written = write::write_all(out_dir, &files)?;
    // A module whose spec is gone is removed too (`check` names it).
    for path in write::leftovers(out_dir, &files) {
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok((files, written))
}

pub(crate) fn is_module_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
