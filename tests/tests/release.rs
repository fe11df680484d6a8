//! `cargo xtask release` as a maintainer runs it, in a scratch copy of the
//! workspace made a git repository tagged as a release of its crate's version:
//! - nothing changed since the tag: refused;
//! - a change not committed: refused, naming the file, nothing written;
//! - a breaking spec change whose `info.version` was raised by hand to a
//!   minor version: refused, naming the version to set;
//! - a compatible spec change (a region added), committed: the
//!   release raises the spec to the next minor version and the crates to the
//!   next compatible version, writes the CHANGELOG section with the
//!   operation's change, regenerates, and passes `check`; `--dry-run` before
//!   it writes nothing. This last part runs cargo-semver-checks: without it
//!   the test says so and stops there, unless `HWC_SEMVER_CHECKS_REQUIRED=1`
//!   (CI) makes that a failure.

use std::path::PathBuf;
use std::process::{Command, Output};

use workspace_tests::scratch::{self, copy_workspace, git};
use workspace_tests::workspace_root;

/// A region of the ECS spec's server: one added is a compatible change, one
/// removed a breaking one, and neither is a difference from the API Explorer
/// definition (which has no regions), so `doc sync` stays clean.
const REGION: &str = "          - af-north-1\n";
const ADDED: &str = "          - zz-test-1\n";

struct Checkout {
    dir: PathBuf,
    xtask: PathBuf,
    explorer: PathBuf,
    target: PathBuf,
}

impl Checkout {
    fn release(&self, extra: &[&str]) -> Output {
        Command::new(&self.xtask)
            .arg("release")
            .args(extra)
            .arg("--explorer")
            .arg(&self.explorer)
            .current_dir(&self.dir)
            .env_remove("CARGO_MANIFEST_DIR")
            .env("CARGO_TARGET_DIR", &self.target)
            .output()
            .expect("xtask runs")
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.dir.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.join(file)).expect("read")
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn refused(output: &Output, says: &str) {
    let all = text(output);
    assert_eq!(output.status.code(), Some(2), "{all}");
    assert!(all.contains(says), "expected {says:?} in:\n{all}");
    assert!(all.contains("nothing was written"), "{all}");
}

fn semver_checks_available() -> bool {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let found = Command::new(cargo)
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found && std::env::var("HWC_SEMVER_CHECKS_REQUIRED").as_deref() == Ok("1") {
        panic!("cargo-semver-checks is required (HWC_SEMVER_CHECKS_REQUIRED=1) but not installed");
    }
    found
}

/// The `major.minor.patch` numbers of a version.
fn numbers(version: &str) -> [u64; 3] {
    let parts: Vec<u64> = version
        .split('.')
        .map(|p| p.parse().expect("a version number"))
        .collect();
    parts.try_into().expect("three numbers")
}

/// The next compatible version, in cargo's reading (0.x.y: the patch).
fn next_compatible(version: &str) -> String {
    match numbers(version) {
        [0, minor, patch] => format!("0.{minor}.{}", patch + 1),
        [major, minor, _] => format!("{major}.{}.0", minor + 1),
    }
}

/// The value of the first line of `text` that starts with `key`.
fn value_after<'t>(text: &'t str, key: &str) -> &'t str {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .unwrap_or_else(|| panic!("no line starts with {key:?}"))
        .trim()
        .trim_matches(['"', '\''])
}

#[test]
fn a_release_proposes_versions_and_refuses_what_it_must() {
    let root = workspace_root();
    let explorer = root.join("target/explorer");
    if !explorer.is_dir() {
        // The pinned definitions, as `cargo xtask doc sync` fetches them.
        scratch::cargo(
            &root,
            &root.join(scratch::TARGET),
            &["xtask", "explorer", "pull"],
        );
    }
    let scratch_dir = tempfile::tempdir().expect("temp dir");
    let dir = scratch_dir.path().join("ws");
    copy_workspace(&root, &dir);
    let target = root.join(scratch::TARGET);
    scratch::cargo(&dir, &target, &["build", "--quiet", "--package", "xtask"]);
    let co = Checkout {
        xtask: target
            .join("debug")
            .join(format!("xtask{}", std::env::consts::EXE_SUFFIX)),
        dir,
        explorer,
        target,
    };
    // The versions as the copied workspace has them.
    let ecs_version = value_after(&co.read("spec/ecs.yaml"), "  version:").to_string();
    let crate_version =
        value_after(&co.read("generated-client/Cargo.toml"), "version =").to_string();
    let [ecs_major, _, _] = numbers(&ecs_version);
    let (ecs_next, crate_next) = (
        next_compatible(&ecs_version),
        next_compatible(&crate_version),
    );
    let tag = format!("v{crate_version}");
    git(&co.dir, &["init", "-q"]);
    git(&co.dir, &["add", "-A"]);
    git(&co.dir, &["commit", "-qm", "released"]);
    git(&co.dir, &["tag", &tag]);

    refused(&co.release(&["--dry-run"]), "nothing changed in the specs");

    // A compatible change: a region added.
    co.edit("spec/ecs.yaml", REGION, &format!("{REGION}{ADDED}"));
    refused(&co.release(&[]), "spec/ecs.yaml");
    git(&co.dir, &["commit", "-qam", "a region"]);

    // A breaking one on top, with a minor version set by hand: refused.
    let breaking = co.read("spec/ecs.yaml");
    co.edit(
        "spec/ecs.yaml",
        &format!("  version: {ecs_version}\n"),
        &format!("  version: {ecs_next}\n"),
    );
    co.edit("spec/ecs.yaml", REGION, "");
    git(&co.dir, &["commit", "-qam", "a region gone"]);
    refused(
        &co.release(&["--dry-run"]),
        &format!("set {}.0.0", ecs_major + 1),
    );
    std::fs::write(co.dir.join("spec/ecs.yaml"), breaking).expect("write");
    git(&co.dir, &["commit", "-qam", "the region back"]);

    if !semver_checks_available() {
        eprintln!("cargo-semver-checks is not installed: the release itself is not run");
        return;
    }
    let before = scratch::files(&co.dir.join("spec"));
    let dry = co.release(&["--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    let said = text(&dry);
    assert!(
        said.contains(&format!("ecs: {ecs_version} -> {ecs_next} (Minor)")),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "huaweicloud-tasks {crate_next} and hwc-tasks {crate_next}"
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!("the release would be tagged v{crate_next}")),
        "{said}"
    );
    assert_eq!(
        scratch::files(&co.dir.join("spec")),
        before,
        "a dry run wrote"
    );

    let done = co.release(&[]);
    let said = text(&done);
    assert!(done.status.success(), "{said}");
    assert!(
        said.contains(&format!("git tag -a v{crate_next}")),
        "{said}"
    );
    assert!(
        co.read("spec/ecs.yaml")
            .contains(&format!("\n  version: {ecs_next}\n"))
    );
    assert!(
        co.read("generated-client/Cargo.toml")
            .contains(&format!("\nversion = \"{crate_next}\"\n"))
    );
    assert!(
        co.read("cli/Cargo.toml")
            .contains(&format!("version = \"{crate_next}\", features"))
    );
    let log = co.read("CHANGELOG.md");
    assert!(log.contains(&format!("## v{crate_next} (")), "{log}");
    assert!(
        log.contains(&format!("- **ecs** {ecs_version} → {ecs_next}\n")),
        "{log}"
    );
    let line = log
        .lines()
        .find(|l| l.contains("zz-test-1"))
        .unwrap_or_else(|| panic!("no line names the new region:\n{log}"));
    assert!(
        line.starts_with("  - ") && line.ends_with("(compatible)"),
        "{line}"
    );
    assert!(!log.contains("## Unreleased"), "{log}");
    assert!(
        co.read("published/ecs/openapi.yaml")
            .contains(&format!("  version: \"{ecs_next}\"\n"))
    );
}
