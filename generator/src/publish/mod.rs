//! Publishing the specs to other teams.
//!
//! For every service, `published/<service>/` holds the bundled document (no
//! external references, `x-hwc-` extensions kept) as `openapi.yaml` and
//! `openapi.json`, and `reference.html`, a self-contained reference page
//! ([`reference`](mod@reference)). Beside the folders, `index.html` lists
//! every service with its operations and documents and carries the
//! changelog, and `x-hwc-extensions.schema.json` describes the extensions.
//! Keys keep the order the spec was written in (the bundle's ordered
//! document, [`crate::spec::document`]); the same spec always gives the same
//! bytes, so the committed files can be checked for freshness like the
//! generated code.

use std::path::{Path, PathBuf};

use crate::checked::{Checked, GeneratedFile};
use crate::error::Error;
use crate::write::{Stale, changed};
use reference as html;

pub mod reference;
pub mod summary;

/// The files published per service, in the order they are produced.
pub const FILES: [&str; 3] = ["openapi.yaml", "openapi.json", "reference.html"];

/// The published files of already checked services, the schema of the
/// `x-hwc-` extensions they use, and the portal listing them all
/// (`index.html`) with the `changelog` (Markdown), when there is one.
pub fn publish_checked(
    checked: &[Checked],
    changelog: Option<&str>,
) -> Result<Vec<GeneratedFile>, Error> {
    let mut files = Vec::new();
    for service in checked {
        files.extend(publish_one(service)?);
    }
    files.push(GeneratedFile {
        name: EXTENSIONS_SCHEMA.into(),
        contents: crate::model::extensions::schema_text(),
    });
    let services: Vec<_> = checked.iter().map(|c| &c.service).collect();
    let portal = html::render_portal(&services, changelog, EXTENSIONS_SCHEMA).map_err(|e| {
        Error::Generate {
            file: PathBuf::from(html::PORTAL),
            message: e.to_string(),
        }
    })?;
    files.push(GeneratedFile {
        name: html::PORTAL.into(),
        contents: portal,
    });
    Ok(files)
}

/// The changelog at `path`, for the portal: `None` without a path; a path
/// that cannot be read is an error naming it.
pub fn read_changelog(path: Option<&Path>) -> Result<Option<String>, Error> {
    path.map(|p| std::fs::read_to_string(p).map_err(|e| Error::io(p, e)))
        .transpose()
}

/// The JSON Schema of the `x-hwc-` extensions, beside the service folders.
pub const EXTENSIONS_SCHEMA: &str = "x-hwc-extensions.schema.json";

/// The published files of one checked service.
pub fn publish_one(checked: &Checked) -> Result<Vec<GeneratedFile>, Error> {
    let (module, source) = (&checked.service.module, &checked.source);
    let doc = &checked.bundle.ordered;
    let (title, version) = (&checked.service.title, &checked.service.version);
    let yaml = format!(
        "# {title} {version}: bundled from {source} by `cargo xtask publish`.\n\
         # Do not edit; change the spec and publish again.\n{}",
        doc.to_yaml()
    );
    let json = format!("{}\n", doc.to_json_pretty());
    let page = html::try_render(&checked.service, source).map_err(|e| Error::Generate {
        file: PathBuf::from(source),
        message: e.to_string(),
    })?;
    Ok([yaml, json, page]
        .into_iter()
        .zip(FILES)
        .map(|(contents, name)| GeneratedFile {
            name: format!("{module}/{name}"),
            contents,
        })
        .collect())
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
    let mut out = changed(out_dir, files, "fresh publication");
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
