//! Scratch copies of the workspace, for tests that run `cargo xtask` and
//! build the client crate as a user would, without touching the checkout.
//!
//! They all build in one target directory of their own, [`TARGET`], so they
//! never wait on the build that runs them and share the dependencies they
//! compile.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// The target directory of scratch builds, under the workspace's `target/`.
pub const TARGET: &str = "target/scratch";

/// Copies the workspace's sources (no build output, no git data, no
/// installed tools).
pub fn copy_workspace(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if matches!(
            name.to_str(),
            Some("target" | ".git" | "node_modules" | ".venv")
        ) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().expect("file type").is_dir() {
            copy_workspace(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Every file under `dir`, relative, with its bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("inside");
                out.insert(
                    relative.to_string_lossy().into_owned(),
                    std::fs::read(&path).expect("read"),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Runs cargo in `dir` with its own target directory (so it never waits on
/// the build running the test); whatever the outcome.
pub fn cargo_output(dir: &Path, target: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("cargo runs")
}

/// Runs cargo like [`cargo_output`] and fails the test unless it succeeds.
pub fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Output {
    let output = cargo_output(dir, target, args);
    assert!(
        output.status.success(),
        "cargo {args:?} in {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Writes a program outside the workspace that depends on the client crate
/// of `workspace` as a user's would, with the workspace's lock file.
pub fn user_program(dir: &Path, workspace: &Path, main: &str) {
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"user\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nhuaweicloud-tasks = {{ path = {:?} }}\n\
             tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\nfutures = \"0.3\"\n\n\
             [workspace]\n",
            workspace.join("generated-client").display().to_string()
        ),
    )
    .expect("write manifest");
    std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock");
    std::fs::write(dir.join("src/main.rs"), main).expect("write program");
}

/// Runs git in `dir` as a test's own committer (no signing); its standard
/// output, trimmed. A failure fails the test with git's message.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Spec Diff Test",
            "-c",
            "user.email=spec-diff@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}
