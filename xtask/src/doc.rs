//! `cargo xtask doc diff` and `cargo xtask doc import`: reference pages or
//! API Explorer definitions in, findings and spec edits out.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::SPEC_DIR;

/// `cargo xtask doc diff`: 0 clean, 1 unacknowledged differences, 2 a page
/// that cannot be read or compared.
pub fn diff(
    pages: &[PathBuf],
    json: bool,
    spec_dir: &Path,
    service: Option<&str>,
    root: &Path,
) -> ExitCode {
    let unreadable = ExitCode::from(2);
    let mut read = Vec::new();
    for path in pages {
        match reference_docs::read(path) {
            Ok(page) => read.push(page),
            Err(e) => return refused(e),
        }
    }
    let label = relative(spec_dir, root);
    let checked = match generator::load_and_check(spec_dir, &label) {
        Ok(checked) => checked,
        Err(e) => return refused(e),
    };
    let mut diffs = Vec::new();
    for page in &read {
        match reference_docs::diff::diff(page, &checked, service) {
            Ok(d) => diffs.push(d),
            Err(e) => return refused(e),
        }
    }
    for d in &mut diffs {
        relative_files(&mut d.findings, root);
    }
    if json {
        let findings: Vec<&reference_docs::diff::Finding> =
            diffs.iter().flat_map(|d| &d.findings).collect();
        match serde_json_text(&findings) {
            Some(text) => println!("{text}"),
            None => return unreadable,
        }
    } else {
        for d in &diffs {
            print!("{}", reference_docs::report::render(d, style()));
        }
    }
    if diffs.iter().all(|d| d.clean()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn serde_json_text<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_string_pretty(value).ok()
}

/// What `cargo xtask doc import` takes.
#[derive(Args)]
pub struct ImportArgs {
    /// The page file (text or Markdown, English or Chinese), or an API
    /// Explorer definition (`<OperationId>.json`).
    #[arg(value_name = "PAGE")]
    pub page: PathBuf,
    /// The service's module name: the operation goes into spec/MODULE.yaml.
    #[arg(long, value_name = "MODULE")]
    pub service: String,
    /// The operation's name as the official SDKs call it
    /// (ListBackgroundTasks); a definition gives its own.
    #[arg(long, value_name = "ID")]
    pub operation_id: Option<String>,
    /// For a new service: the endpoint template, with {region}
    /// (https://dms.{region}.myhuaweicloud.com).
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// For a new service: a region it is offered in (repeat for each).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// For a new service: the SDKs' service name (default: MODULE in capitals).
    #[arg(long, value_name = "NAME")]
    pub sdk_service: Option<String>,
    /// For a new service: the document's title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The tag of the operation (default: the spec's first tag, or Tasks).
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Report what would change without writing.
    #[arg(long)]
    pub dry_run: bool,
    /// The directory of the specs.
    #[arg(long, value_name = "DIR", default_value = SPEC_DIR)]
    pub spec: PathBuf,
}

/// `cargo xtask doc import`: 0 the page and spec agree, 1 differences left,
/// 2 nothing written.
pub fn import(args: &ImportArgs, root: &Path) -> ExitCode {
    let failed = ExitCode::from(2);
    let page = match reference_docs::read(&args.page) {
        Ok(page) => page,
        Err(e) => return refused(e),
    };
    let Some(operation_id) = args
        .operation_id
        .clone()
        .or_else(|| page.operation_id.clone())
    else {
        eprintln!(
            "error: {}: the page does not name its operation; give it with --operation-id",
            args.page.display()
        );
        return failed;
    };
    let request = reference_docs::import::Request {
        spec_dir: args.spec.clone(),
        module: args.service.clone(),
        operation_id,
        server: args.server.clone(),
        regions: args.regions.clone(),
        sdk_service: args.sdk_service.clone(),
        title: args.title.clone(),
        tag: args.tag.clone(),
        dry_run: args.dry_run,
    };
    match reference_docs::import::import(&page, &request) {
        Ok(mut report) => {
            report.file = PathBuf::from(relative(&report.file, root));
            relative_files(&mut report.after.findings, root);
            print!("{}", report.render_styled(style()));
            if report.after.clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => refused(e),
    }
}

/// Says why a command could not do its work, and its exit code: 2.
pub(crate) fn refused(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

/// Colours when standard output is a terminal and `NO_COLOR` is not set.
fn style() -> reference_docs::report::Style {
    use std::io::IsTerminal;
    reference_docs::report::Style {
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// A path as the workspace at `root` names it (`spec/dcs.yaml`), or as
/// given when it lies outside.
fn relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Findings naming their spec files relative to the workspace at `root`.
fn relative_files<'a>(
    findings: impl IntoIterator<Item = &'a mut reference_docs::diff::Finding>,
    root: &Path,
) {
    for f in findings {
        f.file = relative(Path::new(&f.file), root);
    }
}

/// What `cargo xtask doc sync` takes.
#[derive(Args)]
pub struct SyncArgs {
    /// A folder of definitions laid out as the cache is
    /// (`DIR/<PRODUCT>/<VERSION>/<OperationId>.json`); without it, the
    /// pinned versions are fetched into target/explorer when missing.
    #[arg(long, value_name = "DIR")]
    pub explorer: Option<PathBuf>,
    /// Print the findings as a JSON array.
    #[arg(long)]
    pub json: bool,
    /// Apply the definitions' differences to the specs, as `doc import`
    /// would; acknowledged deviations are left as they are.
    #[arg(long)]
    pub write: bool,
    /// The directory of the specs.
    #[arg(long, value_name = "DIR", default_value = SPEC_DIR)]
    pub spec: PathBuf,
}

/// `cargo xtask doc sync`: 0 every operation agrees with its pinned
/// definition (or acknowledges the difference), 1 differences left, 2 specs
/// or definitions that cannot be read or fetched.
pub fn sync(args: &SyncArgs, root: &Path) -> ExitCode {
    let failed = ExitCode::from(2);
    let label = relative(&args.spec, root);
    let load = || generator::load_and_check(&args.spec, &label).map_err(|e| e.to_string());
    let checked = match load() {
        Ok(checked) => checked,
        Err(e) => return refused(e),
    };
    let definitions = match &args.explorer {
        Some(dir) => dir.clone(),
        None => {
            let cache = root.join(crate::explorer::CACHE);
            for wanted in crate::explorer::pinned(&checked) {
                if let Err(e) = crate::explorer::pull(&wanted, &cache) {
                    return refused(e);
                }
            }
            cache
        }
    };
    let mut report = match reference_docs::sync::sync(&checked, &definitions) {
        Ok(report) => report,
        Err(e) => return refused(e),
    };
    if args.write && !report.clean() {
        for service in &report.services {
            for c in service.compared.iter().filter(|c| !c.diff.clean()) {
                let request = reference_docs::import::Request::new(
                    &args.spec,
                    &service.module,
                    &c.diff.operation,
                );
                match reference_docs::import::import(&c.page, &request) {
                    Ok(imported) => {
                        for change in &imported.changes {
                            println!("{}: {}: {change}", service.module, c.diff.operation);
                        }
                    }
                    Err(e) => return refused(e),
                }
            }
        }
        report = match load().and_then(|checked| {
            reference_docs::sync::sync(&checked, &definitions).map_err(|e| e.to_string())
        }) {
            Ok(report) => report,
            Err(e) => return refused(e),
        };
    }
    relative_files(report.findings_mut(), root);
    for s in &mut report.services {
        if let Some(dir) = &mut s.dir {
            *dir = PathBuf::from(relative(dir, root));
        }
    }
    if args.json {
        match serde_json_text(&report.findings()) {
            Some(text) => println!("{text}"),
            None => return failed,
        }
    } else {
        print!("{}", report.render(style()));
    }
    if report.clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
