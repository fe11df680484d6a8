//! Publishing the specs to other teams.
//!
//! For every service, `published/<service>/` holds the bundled document (no
//! external references, `x-hwc-` extensions kept) as `openapi.yaml` and
//! `openapi.json`, and `reference.html`, a self-contained reference page
//! ([`crate::html`]). Keys keep the order the spec was written in
//! ([`crate::ordered`]); the same spec always gives the same bytes, so the
//! committed files can be checked for freshness like the generated code.

use std::path::{Path, PathBuf};

use crate::bundle::Bundle;
use crate::error::Error;
use crate::ordered::Node;
use crate::write::{Stale, write_atomic};
use crate::{GeneratedFile, html, load_and_check, module_name};

/// The files published per service, in the order they are produced.
pub const FILES: [&str; 3] = ["openapi.yaml", "openapi.json", "reference.html"];

/// Checks every service spec and renders what is published for each. File
/// names are relative to the output directory (`dcs/openapi.yaml`).
pub fn publish_all(spec_dir: &Path, spec_label: &str) -> Result<Vec<GeneratedFile>, Error> {
    let bundles = load_and_check(spec_dir)?;
    let mut files = Vec::new();
    for bundle in &bundles {
        files.extend(publish_one(bundle, spec_label)?);
    }
    Ok(files)
}

/// The published files of one checked service.
pub fn publish_one(bundle: &Bundle, spec_label: &str) -> Result<Vec<GeneratedFile>, Error> {
    let module = module_name(&bundle.file);
    let file_name = bundle
        .file
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = format!("{spec_label}/{file_name}");
    let doc = Node::from_bundle(bundle)?;
    let title = doc
        .pointer("/info/title")
        .and_then(Node::as_str)
        .unwrap_or_default();
    let version = doc
        .pointer("/info/version")
        .and_then(Node::as_str)
        .unwrap_or_default();
    let yaml = format!(
        "# {title} {version}: bundled from {source} by `cargo xtask publish`.\n\
         # Do not edit; change the spec and publish again.\n{}",
        doc.to_yaml()
    );
    let json = format!("{}\n", doc.to_json_pretty());
    let page = html::render(&doc, &source);
    Ok([yaml, json, page]
        .into_iter()
        .zip(FILES)
        .map(|(contents, name)| GeneratedFile {
            name: format!("{module}/{name}"),
            contents,
        })
        .collect())
}

/// Writes each file whose contents differ (creating service directories);
/// returns the paths written.
pub fn write_all(out_dir: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    for file in files {
        let path = out_dir.join(&file.name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        write_atomic(&path, &file.contents)?;
        written.push(path);
    }
    Ok(written)
}

/// Files in service directories of `out_dir` that no spec publishes any more.
pub fn leftovers(out_dir: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(out_dir) else {
        return out;
    };
    for dir in dirs.filter_map(|e| e.ok().map(|e| e.path())) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_file() && !files.iter().any(|f| out_dir.join(&f.name) == path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Compares the committed files with a fresh publication: a differing or
/// missing file comes with a unified diff, a file no spec publishes any more
/// is named.
pub fn stale(out_dir: &Path, files: &[GeneratedFile]) -> Vec<Stale> {
    let mut out = Vec::new();
    for file in files {
        let path = out_dir.join(&file.name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != file.contents {
            let diff = similar::TextDiff::from_lines(&committed, &file.contents)
                .unified_diff()
                .context_radius(2)
                .header(
                    &format!("committed {}", path.display()),
                    "fresh publication",
                )
                .to_string();
            out.push(Stale { path, diff });
        }
    }
    for path in leftovers(out_dir, files) {
        out.push(Stale {
            diff: format!(
                "{} is in the published directory but no spec publishes it any more\n",
                path.display()
            ),
            path,
        });
    }
    out
}

/// What [`republish`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Republished {
    /// Every published file.
    pub files: Vec<GeneratedFile>,
    /// Paths written because their contents changed.
    pub written: Vec<PathBuf>,
    /// Paths removed because no spec publishes them any more.
    pub removed: Vec<PathBuf>,
}

/// `cargo xtask publish`: publishes every service, then writes the files whose
/// contents changed and removes files no spec publishes any more. Nothing is
/// written unless every service checked and rendered.
pub fn republish(spec_dir: &Path, spec_label: &str, out_dir: &Path) -> Result<Republished, Error> {
    let files = publish_all(spec_dir, spec_label)?;
    let written = write_all(out_dir, &files)?;
    let removed = leftovers(out_dir, &files);
    for path in &removed {
        std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
        if let Some(dir) = path.parent() {
            // Only succeeds once the directory is empty.
            let _ = std::fs::remove_dir(dir);
        }
    }
    Ok(Republished {
        files,
        written,
        removed,
    })
}
