//! `cargo xtask generate | check | summary | publish | diff | semver | release | mutants |
//! doc diff | doc import | doc sync | explorer pull`: a thin command layer over the
//! `generator` library. Paths are resolved from the workspace root, so the
//! commands work from any directory.
//!
//! The root is found when the command runs, never compiled in: checkouts
//! that share one build of this binary (git worktrees, a global
//! `CARGO_TARGET_DIR`) each work on their own files, since cargo does not
//! rebuild it when only the checkout's path differs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Maintainer commands for the huaweicloud-tasks workspace")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate generated-client/src/generated/ and published/ from spec/ (writes only changed files).
    Generate,
    /// Exit non-zero, with a diff, when a committed generated or published file is stale.
    Check,
    /// Print the readable summary of each service spec.
    Summary,
    /// Write published/<service>/: the bundled spec as openapi.yaml and
    /// openapi.json, and the HTML reference (writes only changed files).
    Publish,
    /// List the changes of each service's spec since a git revision, breaking
    /// or compatible; exit non-zero on a breaking change without a major
    /// version bump.
    Diff {
        /// The revision to compare with (for example HEAD~1 or main).
        #[arg(long, value_name = "GIT_REF")]
        base: String,
    },
    /// Work with Huawei Cloud API reference pages and API Explorer definitions.
    Doc {
        #[command(subcommand)]
        command: DocCommand,
    },
    /// Huawei's API Explorer definitions (the huawei-cloud-api-definitions-*
    /// crates).
    Explorer {
        #[command(subcommand)]
        command: ExplorerCommand,
    },
    /// Check the client crate's Rust API since a revision with
    /// cargo-semver-checks and hold it against the spec diff: a break needs
    /// a major release of the crate, and a generated module may break only
    /// when its spec does.
    Semver {
        /// The revision to compare with (the last release tag, or HEAD~1).
        #[arg(long, value_name = "GIT_REF")]
        base: String,
    },
    /// Prepare a release from the changes since the last `v*` tag: the
    /// specs' and crates' versions, the CHANGELOG section, regenerated
    /// files. Refused (exit 2, nothing written) on a dirty tree, on
    /// differences from the pinned definitions, or on a breaking change
    /// without a major version.
    Release(release::ReleaseArgs),
    /// The recorded mutation score (mutants/shards.tsv).
    Mutants {
        #[command(subcommand)]
        command: MutantsCommand,
    },
}

#[derive(Subcommand)]
enum MutantsCommand {
    /// Append a run of `cargo mutants --shard K/N -o DIR` to mutants/shards.tsv.
    Record {
        /// The directory given to `cargo mutants -o` (or its mutants.out/).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// The shard the run covered, as given to `--shard`.
        #[arg(long, value_name = "K/N")]
        shard: String,
        /// The commit the run started at (a shard takes an hour or more, and
        /// commits may land meanwhile); by default HEAD.
        #[arg(long, value_name = "REV", default_value = "HEAD")]
        commit: String,
    },
    /// Print the recorded score and what a release would be warned of.
    Score,
}

#[derive(Subcommand)]
enum ExplorerCommand {
    /// Fetch definitions through cargo into target/explorer/PRODUCT/VERSION/
    /// and print where they are. Without arguments, the versions the specs
    /// pin (x-hwc-source). Exit 2 when cargo cannot fetch them.
    Pull {
        /// PRODUCT or PRODUCT@VERSION (DCS, Kafka@0.1.20260918); without a
        /// version, the newest.
        #[arg(value_name = "PRODUCT[@VERSION]")]
        products: Vec<String>,
    },
}

#[derive(Subcommand)]
enum DocCommand {
    /// Compare reference pages (copied as text or Markdown) or API Explorer
    /// definitions (`<OperationId>.json`) with the spec operation of the
    /// same method and path. Exit 0 when every difference is acknowledged by
    /// an `x-hwc-doc-deviation`, 1 when one is not, 2 when a page or
    /// definition cannot be read or matches no operation.
    Diff {
        /// The page or definition files.
        #[arg(required = true, value_name = "PAGE")]
        pages: Vec<PathBuf>,
        /// Print the findings as a JSON array.
        #[arg(long)]
        json: bool,
        /// The directory of the specs to compare with.
        #[arg(long, value_name = "DIR", default_value = SPEC_DIR)]
        spec: PathBuf,
        /// The service (module name, `dcs`) when several have the page's
        /// method and path and the page does not say which it documents.
        #[arg(long, value_name = "MODULE")]
        service: Option<String>,
    },
    /// Write a page's (or a definition's) operation into spec/MODULE.yaml: create the file for
    /// a new service (with --server and --region), add a new operation, or
    /// apply the page's differences to an existing one, keeping what the
    /// spec's maintainers added. The result is checked before anything is
    /// written. Exit 0 when the page and the spec then agree, 1 when
    /// differences are left for review, 2 when nothing could be written.
    Import(doc::ImportArgs),
    /// Compare every operation of every spec with the API Explorer
    /// definition of the version its spec pins (x-hwc-source), fetching the
    /// pinned versions when they are not in target/explorer. Exit 0 when
    /// every difference is acknowledged, 1 when one is not (or an operation
    /// has no definition), 2 when specs or definitions cannot be read or
    /// fetched.
    Sync(doc::SyncArgs),
}

mod doc;
mod explorer;
mod git;
mod mutation;
mod release;
mod semver;

impl DocCommand {
    /// The command with its paths joined to `here`.
    fn anchored(self, here: &Path) -> DocCommand {
        match self {
            DocCommand::Diff {
                pages,
                json,
                spec,
                service,
            } => DocCommand::Diff {
                pages: pages.into_iter().map(|p| here.join(p)).collect(),
                json,
                spec: here.join(spec),
                service,
            },
            DocCommand::Import(mut args) => {
                args.page = here.join(&args.page);
                args.spec = here.join(&args.spec);
                DocCommand::Import(args)
            }
            DocCommand::Sync(mut args) => {
                args.explorer = args.explorer.map(|d| here.join(d));
                args.spec = here.join(&args.spec);
                DocCommand::Sync(args)
            }
        }
    }
}

pub(crate) const SPEC_DIR: &str = "spec";
const OUT_DIR: &str = "generated-client/src/generated";
const PUBLISHED_DIR: &str = "published";
/// The changelog the portal (`published/index.html`) carries.
const CHANGELOG: &str = "CHANGELOG.md";

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Page and spec paths are given relative to where the command was started.
    let cli = match cli.command {
        Command::Doc { command } => Cli {
            command: Command::Doc {
                command: command.anchored(&std::env::current_dir().unwrap_or_default()),
            },
        },
        other => Cli { command: other },
    };
    let root = match workspace_root() {
        Ok(root) => root,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!(
            "error: cannot enter the workspace root {}: {e}",
            root.display()
        );
        return ExitCode::FAILURE;
    }
    match run(cli.command, &root) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace's specs and outputs, relative to its root.
fn workspace() -> generator::Workspace<'static> {
    generator::Workspace {
        spec_dir: Path::new(SPEC_DIR),
        spec_label: SPEC_DIR,
        client_dir: Path::new(OUT_DIR),
        published_dir: Path::new(PUBLISHED_DIR),
        changelog: Some(Path::new(CHANGELOG)),
    }
}

/// What one set of outputs had written and removed.
fn report(what: &str, written: &generator::Written) {
    for path in &written.written {
        println!("wrote {}", path.display());
    }
    for path in &written.removed {
        println!("removed {}", path.display());
    }
    println!(
        "{} file(s) {what}, {} changed, {} removed",
        written.files,
        written.written.len(),
        written.removed.len()
    );
}

fn run(command: Command, root: &Path) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let spec_dir = Path::new(SPEC_DIR);
    match command {
        Command::Generate => {
            let started = std::time::Instant::now();
            let (client, published) = generator::generate(&workspace())?;
            report("generated", &client);
            report("published", &published);
            println!("in {} ms", started.elapsed().as_millis());
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => check_outputs(),
        Command::Summary => {
            for checked in generator::load_and_check(spec_dir, SPEC_DIR)? {
                println!("{}", generator::publish::summary::summarize(&checked));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Publish => {
            let started = std::time::Instant::now();
            let published = generator::republish(
                spec_dir,
                SPEC_DIR,
                Some(Path::new(CHANGELOG)),
                Path::new(PUBLISHED_DIR),
            )?;
            report("published", &published);
            println!("in {} ms", started.elapsed().as_millis());
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff { base } => {
            let report = generator::diff::against_git_ref(Path::new("."), &base, spec_dir)?;
            print!("{}", report.render());
            if report.passes() {
                println!("no breaking change without a major version bump since {base}");
                Ok(ExitCode::SUCCESS)
            } else {
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Doc {
            command:
                DocCommand::Diff {
                    pages,
                    json,
                    spec,
                    service,
                },
        } => Ok(doc::diff(&pages, json, &spec, service.as_deref(), root)),
        Command::Doc {
            command: DocCommand::Import(args),
        } => Ok(doc::import(&args, root)),
        Command::Doc {
            command: DocCommand::Sync(args),
        } => Ok(doc::sync(&args, root)),
        Command::Explorer {
            command: ExplorerCommand::Pull { products },
        } => Ok(pull(&products, root)),
        Command::Semver { base } => Ok(semver_check(&base, root)),
        Command::Release(args) => Ok(release::release(&args, root)),
        Command::Mutants {
            command: MutantsCommand::Record { dir, shard, commit },
        } => {
            let revision = format!("{commit}^{{commit}}");
            let commit = git::git(root, &["rev-parse", "--short", "--verify", &revision])?
                .trim()
                .to_string();
            let date = chrono::Utc::now().format("%Y-%m-%d").to_string();
            let line = mutation::record(root, &dir, &shard, &commit, &date)?;
            println!("recorded in {}: {line}", mutation::RECORD);
            Ok(ExitCode::SUCCESS)
        }
        Command::Mutants {
            command: MutantsCommand::Score,
        } => {
            let summary = mutation::summarize(&mutation::read(root)?);
            println!("{}", summary.text);
            for w in &summary.warnings {
                println!("warning: {w}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `cargo xtask check`: one load, both outputs compared with the committed
/// files; failure (with a diff) when one is stale.
fn check_outputs() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let ws = workspace();
    let checked = generator::load_and_check(ws.spec_dir, ws.spec_label)?;
    let changelog = generator::publish::read_changelog(ws.changelog)?;
    let outputs = generator::outputs(&checked, &ws, |c| {
        generator::publish::publish_checked(c, changelog.as_deref())
    })?;
    let (files, published) = (outputs.client, outputs.published);
    let stale = generator::write::stale(ws.client_dir, &files);
    let stale_published = generator::publish::stale(ws.published_dir, &published);
    if stale.is_empty() && stale_published.is_empty() {
        println!("generated files are up to date ({} checked)", files.len());
        println!(
            "published files are up to date ({} checked)",
            published.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for s in stale.iter().chain(&stale_published) {
        println!("{}", s.diff);
    }
    if !stale.is_empty() {
        eprintln!(
            "error: {} generated file(s) are stale; run `cargo xtask generate` and commit the result",
            stale.len()
        );
    }
    if !stale_published.is_empty() {
        eprintln!(
            "error: {} published file(s) are stale; run `cargo xtask publish` and commit the result",
            stale_published.len()
        );
    }
    Ok(ExitCode::FAILURE)
}

/// `cargo xtask semver`: exit 0 when the crate's API and version agree with
/// the spec diff, 1 when they do not, 2 when a check could not run.
fn semver_check(base: &str, root: &Path) -> ExitCode {
    let run = || -> Result<semver::Verdict, String> {
        let spec = generator::diff::against_git_ref(root, base, Path::new(SPEC_DIR))
            .map_err(|e| e.to_string())?;
        print!("{}", spec.render());
        let check = semver::check_api(root, base)?;
        let old = semver::version_at(root, base)?;
        let new = semver::version_now(root)?;
        Ok(semver::judge(
            &spec,
            &check,
            semver::Versions::as_declared(&old, &new),
        ))
    };
    match run() {
        Ok(verdict) => {
            for note in &verdict.notes {
                println!("{note}");
            }
            for error in &verdict.errors {
                eprintln!("error: {error}");
            }
            if verdict.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => doc::refused(e),
    }
}

/// `cargo xtask explorer pull`: each product's folder, or exit 2.
fn pull(products: &[String], root: &Path) -> ExitCode {
    let mut wanted = Vec::new();
    for p in products {
        match explorer::Wanted::parse(p) {
            Ok(w) => wanted.push(w),
            Err(e) => return doc::refused(e),
        }
    }
    if wanted.is_empty() {
        match generator::load_and_check(Path::new(SPEC_DIR), SPEC_DIR) {
            Ok(checked) => wanted.extend(explorer::pinned(&checked)),
            Err(e) => return doc::refused(e),
        }
    }
    let cache = root.join(explorer::CACHE);
    for w in &wanted {
        match explorer::pull(w, &cache) {
            Ok(pulled) => println!(
                "{} {}: {} ({} definitions{})",
                pulled.source.product,
                pulled.source.definitions,
                pulled
                    .dir
                    .strip_prefix(root)
                    .unwrap_or(&pulled.dir)
                    .display(),
                pulled.files,
                if pulled.cached { ", cached" } else { "" }
            ),
            Err(e) => return doc::refused(e),
        }
    }
    ExitCode::SUCCESS
}

/// The root of the workspace this command runs in, found at run time.
///
/// `cargo xtask` is `cargo run --package xtask` (`.cargo/config.toml`), and
/// `cargo run` gives the process it starts `CARGO_MANIFEST_DIR`: the
/// directory of xtask's manifest in the checkout it was run in, one below
/// the root. Run some other way (the binary itself), the root is the
/// workspace cargo finds from the current directory.
fn workspace_root() -> Result<PathBuf, String> {
    let from_cargo_run = match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => {
            let dir = std::path::absolute(&dir).unwrap_or_else(|_| PathBuf::from(dir));
            match dir.parent() {
                Some(root) if root.join("Cargo.toml").is_file() => return Ok(root.to_path_buf()),
                _ => format!(
                    "CARGO_MANIFEST_DIR is {}, whose parent holds no Cargo.toml",
                    dir.display()
                ),
            }
        }
        None => "CARGO_MANIFEST_DIR is not set".to_string(),
    };
    locate_workspace().map_err(|located| {
        format!(
            "cannot find the workspace: {from_cargo_run}, and {located}; \
             run `cargo xtask` inside a checkout of the workspace"
        )
    })
}

/// The workspace root cargo finds from the current directory
/// (`cargo locate-project --workspace`), with the cargo that runs this
/// command when there is one (`CARGO`).
fn locate_workspace() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(&cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .output()
        .map_err(|e| format!("`{} locate-project` did not run: {e}", cargo.display()))?;
    if !output.status.success() {
        return Err(format!(
            "`{} locate-project --workspace` failed: {}",
            cargo.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let manifest = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    match manifest.parent() {
        Some(root) if manifest.is_absolute() => Ok(root.to_path_buf()),
        _ => Err(format!(
            "`{} locate-project --workspace` answered {}, not the path of a manifest",
            cargo.display(),
            manifest.display()
        )),
    }
}
