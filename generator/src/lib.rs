//! Turns the hand-written OpenAPI specs in `spec/` into the generated modules of
//! the `huaweicloud-tasks` crate, the published documents and the review
//! snapshots.
//!
//! The pipeline, one folder per stage: [`spec`] (load, bundle, walk) →
//! [`model`] (the house rules, the extension schema and the examples checked,
//! then the typed model of each service, built once) → [`client`] (progenitor plus our
//! extras, formatted) and [`publish`] (documents, reference page, summary) →
//! [`write`] (atomic, only if changed); [`diff`] compares two versions of the
//! specs. This file only drives the stages.
//!
//! Generation is all-or-nothing: every service must load, check, build its
//! model and generate its client module and published documents before a
//! single file is written, so a broken spec (or a failure in either output)
//! leaves the committed output untouched. Every command goes through
//! [`load_and_check`] once, so they all accept and reject the same specs.
//! The types the stages share ([`Checked`], [`GeneratedFile`]) live below
//! the stages in [`checked`], so no stage imports this driver.

pub mod checked;
pub mod client;
pub mod diff;
pub mod error;
pub mod model;
pub mod publish;
pub mod spec;
pub mod write;

use std::path::{Path, PathBuf};

pub use checked::{Checked, GeneratedFile};
pub use error::{Error, SpecError};
pub use spec::bundle::Bundle;
pub use spec::{module_name, service_specs};
pub use write::Stale;

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
            Ok(b) => match model::build(&b, &module) {
                Ok(service) => bundles.push((b, service)),
                Err(errors) => problems.extend(errors),
            },
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

/// The published files of every service spec (`dcs/openapi.yaml`...).
pub fn publish_all(
    spec_dir: &Path,
    spec_label: &str,
    changelog: Option<&Path>,
) -> Result<Vec<GeneratedFile>, Error> {
    let checked = load_and_check(spec_dir, spec_label)?;
    let changelog = publish::read_changelog(changelog)?;
    publish::publish_checked(&checked, changelog.as_deref())
}

/// Where a run reads the specs and writes its outputs.
#[derive(Debug, Clone, Copy)]
pub struct Workspace<'a> {
    pub spec_dir: &'a Path,
    /// How output headers name the spec directory (`spec`).
    pub spec_label: &'a str,
    /// The client crate's generated modules.
    pub client_dir: &'a Path,
    /// The published documents.
    pub published_dir: &'a Path,
    /// The changelog the portal (`published/index.html`) carries.
    pub changelog: Option<&'a Path>,
}

/// Every output of the checked specs, built in memory.
#[derive(Debug, Clone)]
pub struct Outputs {
    pub client: Vec<GeneratedFile>,
    pub published: Vec<GeneratedFile>,
}

/// What writing one set of outputs did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// How many files the set has.
    pub files: usize,
    /// Paths written because their contents changed.
    pub written: Vec<PathBuf>,
    /// Paths removed because no spec produces them any more.
    pub removed: Vec<PathBuf>,
}

/// Builds the client modules and the published documents of checked
/// services; `publish` renders the published ones ([`publish::publish_checked`]
/// in [`generate`]).
pub fn outputs(
    checked: &[Checked],
    ws: &Workspace<'_>,
    publish: impl FnOnce(&[Checked]) -> Result<Vec<GeneratedFile>, Error>,
) -> Result<Outputs, Error> {
    Ok(Outputs {
        client: client_files(checked, ws.spec_dir, ws.spec_label)?,
        published: publish(checked)?,
    })
}

/// `cargo xtask generate`: loads and checks every spec once, builds the
/// client modules and the published documents, and only when both are
/// built writes the files whose contents changed and removes the ones no
/// spec produces any more. A broken spec, or a failure in either output,
/// writes nothing.
pub fn generate(ws: &Workspace<'_>) -> Result<(Written, Written), Error> {
    let changelog = publish::read_changelog(ws.changelog)?;
    generate_with(ws, |checked| {
        publish::publish_checked(checked, changelog.as_deref())
    })
}

/// [`generate`] with the step that renders the published documents given,
/// so a test can make it fail after the client is built.
pub fn generate_with(
    ws: &Workspace<'_>,
    publish: impl FnOnce(&[Checked]) -> Result<Vec<GeneratedFile>, Error>,
) -> Result<(Written, Written), Error> {
    let checked = load_and_check(ws.spec_dir, ws.spec_label)?;
    let outputs = outputs(&checked, ws, publish)?;
    let client = write_set(ws.client_dir, &outputs.client, write::leftovers)?;
    let published = write_set(ws.published_dir, &outputs.published, publish::leftovers)?;
    Ok((client, published))
}

/// `cargo xtask generate` for the client modules alone: nothing is written
/// unless every service generated.
pub fn regenerate(spec_dir: &Path, spec_label: &str, out_dir: &Path) -> Result<Written, Error> {
    let files = generate_all(spec_dir, spec_label)?;
    write_set(out_dir, &files, write::leftovers)
}

/// `cargo xtask publish`: the published documents alone; nothing is written
/// unless every service checked and rendered.
pub fn republish(
    spec_dir: &Path,
    spec_label: &str,
    changelog: Option<&Path>,
    out_dir: &Path,
) -> Result<Written, Error> {
    let files = publish_all(spec_dir, spec_label, changelog)?;
    write_set(out_dir, &files, publish::leftovers)
}

/// Writes one set of files and removes the leftovers `stale_files` finds.
fn write_set(
    out_dir: &Path,
    files: &[GeneratedFile],
    stale_files: fn(&Path, &[GeneratedFile]) -> Vec<PathBuf>,
) -> Result<Written, Error> {
    let written = write::write_all(out_dir, files)?;
    let removed = stale_files(out_dir, files);
    for path in &removed {
        std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
        if let Some(dir) = path.parent().filter(|d| *d != out_dir) {
            // Only succeeds once the directory is empty.
            let _ = std::fs::remove_dir(dir);
        }
    }
    Ok(Written {
        files: files.len(),
        written,
        removed,
    })
}

/// Whether a spec file stem can name a module of the client crate.
pub fn is_module_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
