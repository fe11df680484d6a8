//! Reading the service specs as they were at a git revision.
//!
//! The gate compares the work tree with a revision, and bundling reads files
//! from a directory, so the spec files of that revision are written into a
//! temporary directory with the same layout. Only git's plumbing commands are
//! used (`rev-parse`, `ls-tree`, `show`): the work tree, the index and the
//! checked-out branch are never touched.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use super::DiffError;

/// A commit of the repository at `work_dir`, resolved from a revision name.
pub(super) struct Revision<'a> {
    work_dir: &'a Path,
    commit: String,
}

impl<'a> Revision<'a> {
    /// Resolves `git_ref` (a branch, tag, `HEAD~1`, a hash) to its commit.
    pub(super) fn resolve(work_dir: &'a Path, git_ref: &str) -> Result<Self, DiffError> {
        let commit = git(
            work_dir,
            &[
                "rev-parse",
                "-q",
                "--verify",
                &format!("{git_ref}^{{commit}}"),
            ],
        )
        .map_err(|_| DiffError::Git(format!("`{git_ref}` is not a commit of this repository")))?;
        Ok(Revision {
            work_dir,
            commit: String::from_utf8_lossy(&commit).trim().to_string(),
        })
    }

    /// The files under `dir` (a `/`-separated path relative to the work
    /// directory) at this commit, as paths relative to the work directory.
    pub(super) fn files(&self, dir: &str) -> Result<Vec<String>, DiffError> {
        let listing = git(
            self.work_dir,
            &[
                "ls-tree",
                "-r",
                "-z",
                "--name-only",
                &self.commit,
                "--",
                dir,
            ],
        )?;
        Ok(listing
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect())
    }

    /// Writes `files` as they are at this commit into a new temporary
    /// directory, at the same relative paths; the directory is removed when
    /// the returned value is dropped.
    pub(super) fn check_out(&self, files: &[String]) -> Result<TempDir, DiffError> {
        let scratch = tempfile::Builder::new()
            .prefix("spec-diff-")
            .tempdir()
            .map_err(|_| {
                DiffError::Git(format!(
                    "cannot create a temporary directory in {}",
                    std::env::temp_dir().display()
                ))
            })?;
        for file in files {
            let contents = git(
                self.work_dir,
                &["show", &format!("{}:./{file}", self.commit)],
            )?;
            let target = scratch.path().join(file);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| DiffError::Git(format!("{}: {e}", parent.display())))?;
            }
            std::fs::write(&target, contents)
                .map_err(|e| DiffError::Git(format!("{}: {e}", target.display())))?;
        }
        Ok(scratch)
    }
}

/// Runs git in `work_dir` and returns what it printed; a failure carries the
/// command and git's own message.
fn git(work_dir: &Path, args: &[&str]) -> Result<Vec<u8>, DiffError> {
    let output = Command::new("git")
        .current_dir(work_dir)
        .args(args)
        .output()
        .map_err(|e| DiffError::Git(format!("cannot run git: {e}")))?;
    if !output.status.success() {
        return Err(DiffError::Git(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(output.stdout)
}
