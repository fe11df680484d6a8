//! Shared paths for the workspace tests.

use std::path::PathBuf;

/// The repository's `spec/` directory.
pub fn spec_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"))
}

/// Where the committed generated modules live.
pub fn generated_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../generated-client/src/generated"
    ))
}
