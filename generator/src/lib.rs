//! Turns the hand-written OpenAPI specs in `spec/` into the generated modules of
//! the `huaweicloud-tasks` crate.
//!
//! The pipeline, one module per step:
//! [`load`] (YAML) → [`bundle`] (resolve relative `$ref`s) → [`check`] (house
//! rules, [`extensions`], [`examples`]) → [`transform`] (tolerant types for
//! progenitor) → [`codegen`] (progenitor plus our extras) → [`format`]
//! (prettyplease) → [`write`] (atomic, only if changed).
//!
//! Generation is all-or-nothing: every service must load, check and generate
//! before a single file is written, so a broken spec leaves the committed
//! output untouched.

pub mod client;
pub mod diff;
pub mod error;
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

/// Loads, bundles and checks every service spec, reporting all problems of all
/// files together.
pub fn load_and_check(spec_dir: &Path) -> Result<Vec<Bundle>, Error> {
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
                problems.extend(rules::check(&b));
                bundles.push(b);
            }
            Err(Error::Spec(errors)) => problems.extend(errors),
            Err(other) => return Err(other),
        }
    }
    problems.extend(rules::check_unique_operation_ids(&bundles));
    if problems.is_empty() {
        Ok(bundles)
    } else {
        Err(Error::Spec(problems))
    }
}

/// Generates the module of every service in `spec_dir`. `spec_label` is how
/// the header names the spec directory (for example `spec`).
pub fn generate_all(spec_dir: &Path, spec_label: &str) -> Result<Vec<GeneratedFile>, Error> {
    let bundles = load_and_check(spec_dir)?;
    bundles
        .iter()
        .map(|b| generate_one(b, spec_label))
        .collect()
}

/// A service's module name and how output headers name its spec
/// (`spec/dcs.yaml`).
pub fn spec_source(bundle: &Bundle, spec_label: &str) -> (String, String) {
    let file_name = bundle
        .file
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    (
        module_name(&bundle.file),
        format!("{spec_label}/{file_name}"),
    )
}

/// Generates one checked service.
pub fn generate_one(bundle: &Bundle, spec_label: &str) -> Result<GeneratedFile, Error> {
    let (module, source) = spec_source(bundle, spec_label);
    let fail = |message: String| Error::Generate {
        file: bundle.file.clone(),
        message,
    };
    let endpoints = rules::extensions::endpoints_of(&bundle.document)
        .map_err(|(pointer, message)| Error::from(bundle.error(&pointer, message)))?;
    let prepared = client::transform::prepare(&bundle.document, &format!("crate::{module}"));
    for (name, (_, values)) in &prepared.open_enums {
        client::open_enum::check_values(values).map_err(|message| {
            Error::from(bundle.error(&error::pointer_join("/components/schemas", name), message))
        })?;
    }
    let file = client::progenitor::generate(&module, &bundle.document, &prepared, &endpoints)
        .map_err(fail)?;
    Ok(GeneratedFile {
        name: format!("{module}.rs"),
        contents: client::format::render(&file, &source),
    })
}

/// `cargo xtask generate`: generates every service, then writes the files
/// whose contents changed. Nothing is written unless everything generated.
pub fn regenerate(
    spec_dir: &Path,
    spec_label: &str,
    out_dir: &Path,
) -> Result<(Vec<GeneratedFile>, Vec<PathBuf>), Error> {
    let files = generate_all(spec_dir, spec_label)?;
    let written = write::write_all(out_dir, &files)?;
    Ok((files, written))
}

fn is_module_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
