//! `cargo xtask` works on the checkout it runs in, whichever checkout its
//! binary was built in.
//!
//! Git worktrees, or checkouts under one global `CARGO_TARGET_DIR`, share
//! one build of xtask, and cargo does not rebuild it when only the
//! checkout's path differs. So the workspace is copied twice to scratch
//! directories, the second copy's DCS spec gets another title, and xtask is
//! built once, in the first copy, into the scratch builds' target directory
//! (`target/scratch`, so it never waits on the build that runs this test).
//! That one binary then prints `summary` as `cargo xtask` runs it
//! (`cargo run` sets `CARGO_MANIFEST_DIR` to the copy's `xtask/`): in the
//! first copy the first title, in the second the second, again after the
//! first copy is deleted, and with no `CARGO_MANIFEST_DIR`, or one naming
//! the deleted copy, from a directory inside the second copy
//! (`cargo locate-project`). Outside any workspace it fails, saying why.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use workspace_tests::scratch::{self, copy_workspace};
use workspace_tests::workspace_root;

const TITLE: &str = "title: Huawei Cloud DCS task APIs\n";
const FIRST: &str = "# Huawei Cloud DCS task APIs (version";
const SECOND: &str = "# Huawei Cloud DCS task APIs, second checkout (version";

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Builds xtask in `checkout` into `target`; the binary's path.
fn build_xtask(checkout: &Path, target: &Path) -> PathBuf {
    scratch::cargo(
        checkout,
        target,
        &["build", "--quiet", "--package", "xtask"],
    );
    let binary = target
        .join("debug")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.is_file(), "no {}", binary.display());
    binary
}

/// How the binary is started.
struct Run<'a> {
    /// The working directory.
    dir: &'a Path,
    /// `CARGO_MANIFEST_DIR`, as `cargo run` sets it, or none.
    manifest_dir: Option<PathBuf>,
    /// The cargo it may ask (`CARGO`).
    cargo: String,
}

impl Run<'_> {
    /// `cargo xtask summary` as `cargo run` starts it in `checkout`.
    fn cargo_xtask(checkout: &Path) -> Run<'_> {
        Run {
            dir: checkout,
            manifest_dir: Some(checkout.join("xtask")),
            cargo: cargo(),
        }
    }

    fn summary(&self, binary: &Path) -> Output {
        let mut command = Command::new(binary);
        command
            .arg("summary")
            .current_dir(self.dir)
            .env("CARGO", &self.cargo)
            // This test's own, which cargo test set.
            .env_remove("CARGO_MANIFEST_DIR");
        if let Some(dir) = &self.manifest_dir {
            command.env("CARGO_MANIFEST_DIR", dir);
        }
        command.output().expect("xtask runs")
    }
}

/// The title line of the DCS summary that `run` printed.
fn title(output: &Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{what}: xtask summary failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .find(|line| line.starts_with("# Huawei Cloud DCS task APIs"))
        .unwrap_or_else(|| panic!("{what}: no DCS summary in:\n{stdout}"))
        .to_string()
}

#[test]
fn one_xtask_binary_works_on_the_checkout_it_runs_in() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let first = scratch.path().join("first");
    let second = scratch.path().join("second");
    let root = workspace_root();
    copy_workspace(&root, &first);
    copy_workspace(&root, &second);
    let spec = second.join("spec/dcs.yaml");
    let text = std::fs::read_to_string(&spec).expect("the DCS spec");
    assert!(text.contains(TITLE), "spec/dcs.yaml has no {TITLE:?}");
    std::fs::write(
        &spec,
        text.replacen(
            TITLE,
            "title: Huawei Cloud DCS task APIs, second checkout\n",
            1,
        ),
    )
    .expect("write the spec");

    let binary = build_xtask(&first, &root.join(workspace_tests::scratch::TARGET));

    let in_first = title(&Run::cargo_xtask(&first).summary(&binary), "first copy");
    assert!(in_first.starts_with(FIRST), "first copy: {in_first}");
    let in_second = title(&Run::cargo_xtask(&second).summary(&binary), "second copy");
    assert!(in_second.starts_with(SECOND), "second copy: {in_second}");

    std::fs::remove_dir_all(&first).expect("delete the first copy");
    let again = title(
        &Run::cargo_xtask(&second).summary(&binary),
        "second copy, the first deleted",
    );
    assert!(again.starts_with(SECOND), "the first deleted: {again}");

    // Started as a program, from a directory inside the checkout: cargo
    // finds the workspace, also past a CARGO_MANIFEST_DIR that is stale.
    let inside = second.join("generated-client/src");
    for manifest_dir in [None, Some(first.join("xtask"))] {
        let run = Run {
            dir: &inside,
            manifest_dir: manifest_dir.clone(),
            cargo: cargo(),
        };
        let found = title(
            &run.summary(&binary),
            &format!("no cargo run, CARGO_MANIFEST_DIR {manifest_dir:?}"),
        );
        assert!(found.starts_with(SECOND), "{manifest_dir:?}: {found}");
    }

    // No workspace to be found: a clear failure, not another checkout.
    let nowhere = Run {
        dir: scratch.path(),
        manifest_dir: Some(first.join("xtask")),
        cargo: scratch.path().join("no-cargo").display().to_string(),
    }
    .summary(&binary);
    let stderr = String::from_utf8_lossy(&nowhere.stderr);
    assert!(!nowhere.status.success(), "found a workspace: {stderr}");
    assert!(
        stderr.contains("error: cannot find the workspace: CARGO_MANIFEST_DIR is ")
            && stderr.contains("whose parent holds no Cargo.toml")
            && stderr.contains("locate-project` did not run"),
        "{stderr}"
    );
    assert!(nowhere.stdout.is_empty(), "{nowhere:?}");
}
