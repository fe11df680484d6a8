//! Breaking-change gate: what changed in each service's bundled spec between a
//! git revision and now, classified for a client.
//!
//! Breaking: an operation, parameter, response status, response header or
//! response field removed; a parameter newly required; a type, format or
//! tolerant scalar kind changed; an enum or open-enum value removed from a
//! request parameter; a request constraint tightened; a response value that
//! may now be null or absent, or a closed response enum that gains a value; a
//! region removed or the server URL changed; a service removed. Compatible:
//! the additions and relaxations that mirror those.
//!
//! A service whose changes include a breaking one passes only when the major
//! part of its `info.version` went up. Documentation (descriptions, summaries,
//! examples) is not compared.
//!
//! The documents are compared as `serde_json` values after bundling, so a
//! schema moved behind a `$ref` (or back inline) is not a change.
//!
//! One concern per file: `git` reads the specs at a revision, `report` holds
//! what was found and prints it, `servers`, `operations` and `schemas` compare
//! those parts of two documents, and `context` carries the state of one
//! comparison.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::error::Error;
use crate::spec::{bundle, module_name, service_specs};

mod context;
mod git;
mod operations;
mod report;
mod schemas;
mod servers;

use context::Context;
use git::Revision;
use report::change;

pub use report::{Change, Class, Kind, Report, ServiceDiff};

/// Why a comparison could not be made.
#[derive(Debug)]
pub enum DiffError {
    /// Running git failed, or the revision is unknown.
    Git(String),
    /// A spec could not be read or bundled.
    Spec { revision: String, error: Error },
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffError::Git(message) => write!(f, "git: {message}"),
            DiffError::Spec { revision, error } => write!(f, "the specs at {revision}: {error}"),
        }
    }
}

impl std::error::Error for DiffError {}

/// Compares the service specs in `spec_dir` (a path relative to `work_dir`,
/// a directory of a git work tree) with their versions at `git_ref`.
pub fn against_git_ref(
    work_dir: &Path,
    git_ref: &str,
    spec_dir: &Path,
) -> Result<Report, DiffError> {
    let base = Revision::resolve(work_dir, git_ref)?;
    let dir = spec_dir.to_string_lossy().replace('\\', "/");
    let files = base.files(&dir)?;
    let current = bundle_dir(&work_dir.join(spec_dir)).map_err(|error| DiffError::Spec {
        revision: "the work tree".into(),
        error,
    })?;
    if files.is_empty() {
        return Ok(Report {
            base: git_ref.to_string(),
            note: Some(format!(
                "{dir}/ does not exist at {git_ref}; there is nothing to compare"
            )),
            services: compare_services(&BTreeMap::new(), &current),
        });
    }
    let scratch = base.check_out(&files)?;
    let old = bundle_dir(&scratch.path().join(spec_dir)).map_err(|error| DiffError::Spec {
        revision: git_ref.to_string(),
        error,
    })?;
    Ok(Report {
        base: git_ref.to_string(),
        note: None,
        services: compare_services(&old, &current),
    })
}

/// Bundles every service spec of a directory (a missing directory has none).
pub fn bundle_dir(spec_dir: &Path) -> Result<BTreeMap<String, Value>, Error> {
    let mut out = BTreeMap::new();
    if !spec_dir.is_dir() {
        return Ok(out);
    }
    for spec in service_specs(spec_dir)? {
        let b = bundle::bundle(&spec)?;
        out.insert(module_name(&spec), b.document);
    }
    Ok(out)
}

/// Compares services by module name: old and new bundled documents.
pub fn compare_services(
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
) -> Vec<ServiceDiff> {
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let version = |doc: &Value| {
        doc.pointer("/info/version").map(|v| {
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        })
    };
    names
        .into_iter()
        .map(|name| {
            let (o, n) = (old.get(name), new.get(name));
            let changes = match (o, n) {
                (Some(o), Some(n)) => compare_documents(o, n),
                (Some(_), None) => vec![change(
                    Class::Breaking,
                    Kind::ServiceRemoved,
                    name,
                    "service removed",
                )],
                (None, Some(_)) => vec![change(
                    Class::Compatible,
                    Kind::ServiceAdded,
                    name,
                    "new service",
                )],
                (None, None) => Vec::new(),
            };
            ServiceDiff {
                service: name.clone(),
                old_version: o.and_then(version),
                new_version: n.and_then(version),
                changes,
            }
        })
        .collect()
}

/// Every client-visible change from one bundled document to another, sorted
/// (breaking first).
pub fn compare_documents(old: &Value, new: &Value) -> Vec<Change> {
    let mut cx = Context::new(old, new);
    cx.servers();
    cx.operations();
    cx.into_changes()
}
