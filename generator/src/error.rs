//! Errors of the generator pipeline.
//!
//! Every problem found in a spec names the file and the JSON pointer of the
//! offending value, so a maintainer can jump straight to it; the generator never
//! panics on input.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem at one place in one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file the problem is in (as given to the loader).
    pub file: PathBuf,
    /// JSON pointer (RFC 6901) of the offending value inside that file; empty
    /// for the whole document.
    pub pointer: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl SpecError {
    pub fn new(file: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}#{}: {}",
            self.file.display(),
            self.pointer,
            self.message
        )
    }
}

/// Everything that can stop the pipeline.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more problems in the specs; all of them are reported at once.
    #[error("{} problem(s) in the specs:\n{}", .0.len(), join_lines(.0))]
    Spec(Vec<SpecError>),
    /// progenitor could not generate code for a (checked) document.
    #[error("code generation failed for {file}: {message}")]
    Generate { file: PathBuf, message: String },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// A failure to read or write `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<SpecError> for Error {
    fn from(e: SpecError) -> Self {
        Error::Spec(vec![e])
    }
}

fn join_lines(errors: &[SpecError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes one reference token for a JSON pointer (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Reads one escaped reference token of a JSON pointer (RFC 6901).
pub fn pointer_unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends a token to a JSON pointer.
pub fn pointer_join(base: &str, token: &str) -> String {
    format!("{base}/{}", pointer_token(token))
}
