//! `cargo xtask release [--dry-run]`: prepares a release from what changed
//! since the last one (the newest `v*` tag).
//!
//! In order, stopping at the first refusal (exit 2), before anything is
//! written:
//! 1. the work tree is clean (a release is made from committed files);
//! 2. `doc sync` finds every operation in step with the definitions its spec
//!    pins, or acknowledged;
//! 3. the spec diff since the tag gives each service's level (breaking,
//!    compatible, none), hence its `info.version`; a version raised by hand
//!    is kept when it is enough and refused when it is not;
//! 4. cargo-semver-checks checks the client crate's API since the tag, and
//!    `semver::judge` holds it against the spec diff, which together give the
//!    crates' version;
//! 5. the recorded mutation score is read, with a warning when it fell, is
//!    incomplete, or is under the bar.
//!
//! Then (unless `--dry-run`) it writes the versions, the CHANGELOG section,
//! updates Cargo.lock, regenerates and runs `check`, and prints the commit
//! and tag to make. It never commits or tags itself.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::git::git;

use generator::diff::{self, Report, ServiceDiff};
use semver::Version;

use crate::semver::{self as api, CLIENT, CLIENT_MANIFEST};

pub mod changelog;
pub mod edit;
pub mod versions;

use versions::Level;

/// The command-line tool, released with the client at the same version.
const TOOL: &str = "hwc-tasks";
const TOOL_MANIFEST: &str = "cli/Cargo.toml";

#[derive(clap::Args)]
pub struct ReleaseArgs {
    /// Print what the release would write, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The API Explorer definitions to check the specs against (as `doc sync
    /// --explorer`); by default the pinned versions, fetched into
    /// target/explorer.
    #[arg(long, value_name = "DIR")]
    pub explorer: Option<PathBuf>,
}

/// What the release is to be.
struct Plan {
    base: Option<String>,
    /// Each service's diff, its version in the release (`None`: removed)
    /// and the level its changes require.
    services: Vec<(ServiceDiff, Option<String>, Level)>,
    entries: Vec<changelog::ServiceEntry>,
    crate_version: Version,
    notes: Vec<String>,
    warnings: Vec<String>,
}

/// Runs the command.
pub fn release(args: &ReleaseArgs, root: &Path) -> ExitCode {
    let plan = match plan(args, root) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("release refused: nothing was written");
            return ExitCode::from(2);
        }
    };
    let tag = format!("v{}", plan.crate_version);
    let date = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let crates = format!("{CLIENT} {v} and {TOOL} {v}", v = plan.crate_version);
    let section = changelog::section(&tag, &date, plan.base.as_deref(), &crates, &plan.entries);
    for note in &plan.notes {
        println!("{note}");
    }
    for (diff, version, level) in &plan.services {
        let from = diff.old_version.as_deref().unwrap_or("(new)");
        let to = version.as_deref().unwrap_or("(removed)");
        println!("{}: {from} -> {to} ({level:?})", diff.service);
    }
    println!("{crates}");
    for warning in &plan.warnings {
        eprintln!("warning: {warning}");
    }
    if args.dry_run {
        println!("\nCHANGELOG.md would get:\n\n{section}");
        println!("dry run: nothing written; the release would be tagged {tag}");
        return ExitCode::SUCCESS;
    }
    match write(root, &plan, &section) {
        Ok(()) => {
            println!("\nwritten and checked; to release:");
            println!("  git commit -am 'Release {tag}'");
            println!("  git tag -a {tag} -m '{tag}'");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn plan(args: &ReleaseArgs, root: &Path) -> Result<Plan, String> {
    let dirty = git(root, &["status", "--porcelain", "--untracked-files=normal"])?;
    if !dirty.trim().is_empty() {
        let files: Vec<&str> = dirty.lines().take(10).collect();
        return Err(format!(
            "the work tree has uncommitted changes; commit or stash them first:\n{}",
            files.join("\n")
        ));
    }
    let base = last_release(root)?;
    let spec_dir = root.join(crate::SPEC_DIR);
    let checked =
        generator::load_and_check(&spec_dir, crate::SPEC_DIR).map_err(|e| e.to_string())?;
    in_step_with_definitions(args, root, &checked)?;

    let report = match &base {
        Some(tag) => diff::against_git_ref(root, tag, Path::new(crate::SPEC_DIR))
            .map_err(|e| e.to_string())?,
        None => Report {
            base: "(no release yet)".into(),
            note: None,
            services: diff::compare_services(
                &Default::default(),
                &diff::bundle_dir(&spec_dir).map_err(|e| e.to_string())?,
            ),
        },
    };
    let mut notes = Vec::new();
    let mut services = Vec::new();
    let mut errors = Vec::new();
    let mut entries = Vec::new();
    for s in &report.services {
        let level = versions::service_level(s);
        let Some(current) = &s.new_version else {
            // Removed: a breaking change of the crate, which the diff
            // reports and the crate's major release below requires.
            entries.push(changelog::ServiceEntry {
                module: s.service.clone(),
                released: s.old_version.clone(),
                version: None,
                changes: s.changes.clone(),
                operations: Vec::new(),
            });
            services.push((s.clone(), None, level));
            continue;
        };
        let version = match &s.old_version {
            Some(old) => {
                let proposed = versions::lenient(old)
                    .and_then(|old| Ok((old, versions::lenient(current)?)))
                    .and_then(|(old, now)| versions::propose(&old, &now, level));
                match proposed {
                    Ok(v) => v.to_string(),
                    Err(e) => {
                        errors.push(format!("spec/{}.yaml info.version: {e}", s.service));
                        continue;
                    }
                }
            }
            None => current.clone(),
        };
        let operations = checked
            .iter()
            .find(|c| c.service.module == s.service)
            .map(|c| {
                c.service
                    .operations
                    .iter()
                    .map(|op| changelog::Operation {
                        name: op.name.clone(),
                        method: op.method.key().to_uppercase(),
                        path: op.path.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        entries.push(changelog::ServiceEntry {
            module: s.service.clone(),
            released: base.as_ref().and(s.old_version.clone()),
            version: Some(version.clone()),
            changes: s.changes.clone(),
            operations,
        });
        services.push((s.clone(), Some(version), level));
    }

    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let now = api::version_now(root)?;
    let crate_version = match &base {
        None => {
            notes.push(format!(
                "first release: no earlier {CLIENT} to compare its API with"
            ));
            now
        }
        Some(tag) => {
            let changed = !git(
                root,
                &[
                    "diff",
                    "--name-only",
                    tag,
                    "--",
                    "generated-client",
                    "cli",
                    "spec",
                    // the dependencies the crates are built with
                    "Cargo.toml",
                    "Cargo.lock",
                ],
            )?
            .trim()
            .is_empty();
            if !changed {
                return Err(format!(
                    "nothing changed in the specs, the client, the tool or their dependencies \
                     since {tag}"
                ));
            }
            let released = api::version_at(root, tag)?;
            let check = api::check_api(root, tag)?;
            let spec_level = services
                .iter()
                .map(|(_, _, l)| *l)
                .max()
                .unwrap_or(Level::None);
            let level = if check.major || spec_level == Level::Major {
                Level::Major
            } else {
                Level::Minor
            };
            let proposed = versions::propose(&released, &now, level)
                .map_err(|e| format!("{CLIENT_MANIFEST} version: {e}"))?;
            let verdict = api::judge(
                &report,
                &check,
                api::Versions {
                    released: &released,
                    declared: &now,
                    releasing: &proposed,
                },
            );
            errors.extend(verdict.errors);
            notes.extend(verdict.notes);
            proposed
        }
    };
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let runs = crate::mutation::read(root)?;
    let summary = crate::mutation::summarize(&runs);
    notes.push(summary.text);
    Ok(Plan {
        base,
        services,
        entries,
        crate_version,
        notes,
        warnings: summary.warnings,
    })
}

/// The newest `v*` tag reachable from HEAD; `None` only when there is no
/// such tag at all (the first release). Any other failure of git is an
/// error, not a first release.
fn last_release(root: &Path) -> Result<Option<String>, String> {
    let tags = git(root, &["tag", "--list", "v*", "--merged", "HEAD"])?;
    if tags.trim().is_empty() {
        return Ok(None);
    }
    let tag = git(root, &["describe", "--tags", "--abbrev=0", "--match", "v*"])?;
    Ok(Some(tag.trim().to_string()))
}

/// `doc sync` against the pinned definitions: refused unless clean.
fn in_step_with_definitions(
    args: &ReleaseArgs,
    root: &Path,
    checked: &[generator::Checked],
) -> Result<(), String> {
    let definitions = match &args.explorer {
        Some(dir) => dir.clone(),
        None => {
            let cache = root.join(crate::explorer::CACHE);
            for wanted in crate::explorer::pinned(checked) {
                crate::explorer::pull(&wanted, &cache)?;
            }
            cache
        }
    };
    let report = reference_docs::sync::sync(checked, &definitions).map_err(|e| e.to_string())?;
    if report.clean() {
        return Ok(());
    }
    let open = report.findings().iter().filter(|f| !f.acknowledged).count();
    Err(format!(
        "`cargo xtask doc sync` reports {open} unacknowledged difference(s) from the pinned \
         API Explorer definitions; resolve or acknowledge them first"
    ))
}

/// Writes the release: versions, CHANGELOG, Cargo.lock, generated files.
fn write(root: &Path, plan: &Plan, section: &str) -> Result<(), String> {
    for (diff, version, _) in &plan.services {
        let Some(version) = version else { continue };
        if diff.new_version.as_deref() == Some(version.as_str()) {
            continue;
        }
        let path = root
            .join(crate::SPEC_DIR)
            .join(format!("{}.yaml", diff.service));
        let text = read(&path)?;
        let edited = edit::set_spec_version(&text, version)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        save(&path, &edited)?;
    }
    let v = &plan.crate_version;
    let client = root.join(CLIENT_MANIFEST);
    save(&client, &edit::set_package_version(&read(&client)?, v)?)?;
    let tool = root.join(TOOL_MANIFEST);
    let edited = edit::set_package_version(&read(&tool)?, v)
        .and_then(|t| edit::set_dependency_version(&t, CLIENT, v))
        .map_err(|e| format!("{TOOL_MANIFEST}: {e}"))?;
    save(&tool, &edited)?;
    let log = root.join(crate::CHANGELOG);
    save(&log, &changelog::insert(&read(&log)?, section))?;
    let status = crate::explorer::cargo()
        .current_dir(root)
        .args(["update", "--workspace", "--offline", "--quiet"])
        .status()
        .map_err(|e| format!("cannot run cargo update: {e}"))?;
    if !status.success() {
        return Err("cargo update --workspace failed: Cargo.lock is not updated".into());
    }
    let (client, published) =
        generator::generate(&crate::workspace()).map_err(|e| e.to_string())?;
    crate::report("generated", &client);
    crate::report("published", &published);
    if crate::check_outputs().map_err(|e| e.to_string())? != ExitCode::SUCCESS {
        return Err("cargo xtask check failed after the release was written".into());
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn save(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}
