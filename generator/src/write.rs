//! Writing generated files: atomically, only when the bytes change, and only
//! after every service generated successfully (the caller guarantees that).

use std::path::{Path, PathBuf};

use crate::checked::GeneratedFile;
use crate::error::Error;

/// Writes each file whose contents differ (creating its directory); returns
/// the paths written.
pub fn write_all(out_dir: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    for file in files {
        let path = out_dir.join(&file.name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        let dir = path.parent().unwrap_or(out_dir);
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        write_atomic(&path, &file.contents)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes to a temporary file beside the target, then renames it over the
/// target, so a reader (or a crash) never sees half a file; the temporary
/// file is removed if anything fails.
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), Error> {
    use std::io::Write as _;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    if let Some(permissions) = permissions_for(path) {
        builder.permissions(permissions);
    }
    let mut file = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    file.write_all(contents.as_bytes())
        .map_err(|e| Error::io(file.path(), e))?;
    file.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// The permissions the written file gets: the target's own, or for a new
/// file the usual ones rather than the owner-only mode of a temporary file.
fn permissions_for(path: &Path) -> Option<std::fs::Permissions> {
    if let Ok(meta) = std::fs::metadata(path) {
        return Some(meta.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// A committed file that differs from a fresh generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub path: PathBuf,
    /// Unified diff from the committed file to the fresh one (empty committed
    /// file when it is missing).
    pub diff: String,
}

/// The committed files that differ from `files` (`fresh` names where the new
/// contents come from in the diff header).
pub fn changed(out_dir: &Path, files: &[GeneratedFile], fresh: &str) -> Vec<Stale> {
    let mut out = Vec::new();
    for file in files {
        let path = out_dir.join(&file.name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != file.contents {
            let diff = similar::TextDiff::from_lines(&committed, &file.contents)
                .unified_diff()
                .context_radius(2)
                .header(&format!("committed {}", path.display()), fresh)
                .to_string();
            out.push(Stale { path, diff });
        }
    }
    out
}

/// Compares the committed files with a fresh generation; also reports generated
/// files that no spec produces any more.
pub fn stale(out_dir: &Path, files: &[GeneratedFile]) -> Vec<Stale> {
    let mut out = changed(out_dir, files, "fresh generation");
    for path in leftovers(out_dir, files) {
        out.push(Stale {
            diff: format!(
                "{} is generated but no spec produces it any more\n",
                path.display()
            ),
            path,
        });
    }
    out
}

/// Generated Rust files in `out_dir` (they carry the `@generated` header)
/// that no spec produces any more, sorted.
pub fn leftovers(out_dir: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return Vec::new();
    };
    let mut leftovers: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter(|p| !files.iter().any(|f| out_dir.join(&f.name) == *p))
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|c| crate::checked::is_generated(&c)))
        .collect();
    leftovers.sort();
    leftovers
}
