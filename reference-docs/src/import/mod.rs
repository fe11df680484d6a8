//! `cargo xtask doc import`: a reference page's operation written into
//! `spec/<module>.yaml`.
//!
//! - A new service: the file is created around the operation
//!   ([`skeleton`]), from `--server` and `--region`.
//! - A new operation of a service: its path entry (or method) and component
//!   schemas are added to the file ([`build`]).
//! - An operation the spec has: the page's differences (what `doc diff`
//!   reports and the spec does not acknowledge) are applied one by one to the
//!   lines they concern ([`edit`]); everything the maintainer added around
//!   them (recorded deviations, open lists, tolerant scalars, paging,
//!   descriptions, examples) stays.
//!
//! Either way the result is checked like every spec (`load_and_check` on a
//! scratch copy of the spec directory) before the file is written; a result
//! that does not pass writes nothing.

pub mod build;
pub mod edit;
mod node;
mod params;
mod seen;
pub mod shared;
pub mod skeleton;
pub mod text;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use self::shared::Shared;
use self::skeleton::NewService;
use self::text::Text;
use super::diff::{Finding, PageDiff};
use super::page::Page;
use super::report::{Style, open_finding};
use generator::error::pointer_join;

/// What to import and where.
#[derive(Debug, Clone)]
pub struct Request {
    pub spec_dir: PathBuf,
    pub module: String,
    pub operation_id: String,
    /// For a new service file: its server template and regions.
    pub server: Option<String>,
    pub regions: Vec<String>,
    pub sdk_service: Option<String>,
    pub title: Option<String>,
    pub tag: Option<String>,
    /// Report without writing.
    pub dry_run: bool,
}

impl Request {
    /// The import of `operation_id` into the spec of `module` as it stands,
    /// written: the fields only a new service file needs left out.
    pub fn new(
        spec_dir: impl Into<PathBuf>,
        module: impl Into<String>,
        operation_id: impl Into<String>,
    ) -> Self {
        Self {
            spec_dir: spec_dir.into(),
            module: module.into(),
            operation_id: operation_id.into(),
            server: None,
            regions: Vec::new(),
            sdk_service: None,
            title: None,
            tag: None,
            dry_run: false,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Report {
    pub file: PathBuf,
    pub operation: String,
    pub created_file: bool,
    pub added_operation: bool,
    /// One line per change made to the file.
    pub changes: Vec<String>,
    /// Differences left for the maintainer (not applied, or not
    /// applicable), one line each.
    pub left: Vec<String>,
    /// The page compared with the spec as written.
    pub after: PageDiff,
    pub written: bool,
}

impl Report {
    /// The report for people, without colour.
    pub fn render(&self) -> String {
        self.render_styled(Style::plain())
    }

    /// The report for people: what was done, each change, what is left,
    /// and how the page and the spec compare now.
    pub fn render_styled(&self, style: Style) -> String {
        let what = if self.created_file {
            format!("created {} with {}", self.file.display(), self.operation)
        } else if self.added_operation {
            format!("added {} to {}", self.operation, self.file.display())
        } else if self.changes.is_empty() {
            format!(
                "{} in {} already follows the page",
                self.operation,
                self.file.display()
            )
        } else {
            format!("updated {} in {}", self.operation, self.file.display())
        };
        let mut out = style.bold(&what);
        if !self.written && !self.changes.is_empty() {
            out.push_str(&style.warn(" (dry run: nothing written)"));
        }
        out.push('\n');
        for c in &self.changes {
            out.push_str(&format!("  {}  {c}\n", style.good("changed")));
        }
        for l in &self.left {
            out.push_str(&format!("  {}     {l}\n", style.warn("left")));
        }
        let open: Vec<&Finding> = self
            .after
            .findings
            .iter()
            .filter(|f| !f.acknowledged)
            .collect();
        if open.is_empty() {
            out.push_str(&format!(
                "  {}\n",
                style.good("the page and the spec now agree (recorded deviations aside)")
            ));
        } else {
            out.push_str(&format!(
                "  {}\n",
                style.warn("still differs from the page (record a deviation or edit):")
            ));
            for f in open {
                out.push_str(&open_finding(f, style, 4));
            }
        }
        out
    }
}

/// Why nothing was written.
#[derive(Debug)]
pub enum ImportError {
    /// A bad argument, named.
    Argument(String),
    /// The spec directory or the result failed to load or check.
    Spec(generator::Error),
    /// The import's result does not pass the checks (the message lists
    /// them); the file is untouched.
    Result(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Argument(m) => f.write_str(m),
            ImportError::Spec(e) => write!(f, "{e}"),
            ImportError::Result(m) => write!(
                f,
                "the imported spec does not pass the checks, so nothing was written:\n{m}"
            ),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<generator::Error> for ImportError {
    fn from(e: generator::Error) -> Self {
        ImportError::Spec(e)
    }
}

/// The operation of a raw spec with this id, or this method and path:
/// `(path, method)`.
fn existing(doc: &Value, id: &str, page: &Page) -> Result<Option<(String, String)>, ImportError> {
    let method = page.method.to_ascii_lowercase();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Ok(None);
    };
    for (path, item) in paths {
        for (m, op) in item.as_object().into_iter().flatten() {
            if op.get("operationId").and_then(Value::as_str) != Some(id) {
                continue;
            }
            if *m != method || super::diff::path_prefix(&page.path, path) != Some(String::new()) {
                return Err(ImportError::Argument(format!(
                    "--operation-id {id} already names `{} {path}` in the spec, but the page \
                     documents `{} {}`",
                    m.to_ascii_uppercase(),
                    page.method,
                    page.path
                )));
            }
            return Ok(Some((path.clone(), m.clone())));
        }
    }
    for (path, item) in paths {
        if super::diff::path_prefix(&page.path, path) == Some(String::new())
            && let Some(op) = item.get(&method)
        {
            let other = op.get("operationId").and_then(Value::as_str).unwrap_or("?");
            return Err(ImportError::Argument(format!(
                "the spec already has `{} {path}` as {other}; import it with --operation-id {other}",
                page.method
            )));
        }
    }
    Ok(None)
}

/// Imports the page's operation as the request says.
pub fn import(page: &Page, req: &Request) -> Result<Report, ImportError> {
    if !generator::is_module_name(&req.module) {
        return Err(ImportError::Argument(format!(
            "--service `{}` is not a module name (lower-case letters, digits and `_`, like dcs)",
            req.module
        )));
    }
    let id = &req.operation_id;
    if !id.starts_with(|c: char| c.is_ascii_uppercase())
        || !id.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(ImportError::Argument(format!(
            "--operation-id `{id}` must be the SDK's operation name, letters and digits starting \
             with a capital (like ListBackgroundTasks)"
        )));
    }
    let shared = Shared::load(&req.spec_dir)?;
    let file = req.spec_dir.join(format!("{}.yaml", req.module));
    let old_text = match std::fs::read_to_string(&file) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(generator::Error::io(&file, e).into()),
    };
    let tag = req.tag.clone();
    let mut report = Report {
        file: file.clone(),
        operation: id.clone(),
        created_file: false,
        added_operation: false,
        changes: Vec::new(),
        left: Vec::new(),
        after: PageDiff {
            page: page.file.clone(),
            module: req.module.clone(),
            operation: id.clone(),
            method: page.method.clone(),
            path: page.path.clone(),
            findings: Vec::new(),
        },
        written: false,
    };
    let new_text = match &old_text {
        None => {
            let server = req.server.clone().ok_or_else(|| {
                ImportError::Argument(format!(
                    "{} does not exist: give --server (with `{{region}}`) and --region to create it",
                    file.display()
                ))
            })?;
            skeleton::check(&server, &req.regions).map_err(ImportError::Argument)?;
            let tag = tag.unwrap_or_else(|| "Tasks".into());
            let built = build::build(page, id, &tag, &shared, &BTreeMap::new());
            let sdk = req
                .sdk_service
                .clone()
                .unwrap_or_else(|| req.module.to_ascii_uppercase());
            let new = NewService {
                module: req.module.clone(),
                server,
                regions: req.regions.clone(),
                title: req
                    .title
                    .clone()
                    .unwrap_or_else(|| format!("Huawei Cloud {sdk} task APIs")),
                sdk_service: sdk,
                tag,
            };
            report.created_file = true;
            report.added_operation = true;
            report.changes.push(format!(
                "{} {} as {id}, with {} component schema(s)",
                page.method,
                built.path,
                built.schemas.len()
            ));
            let doc = skeleton::document(
                &new,
                &shared,
                &built.path,
                &built.method,
                built.operation,
                built.schemas,
            );
            yaml::document(&doc)
        }
        Some(text) => {
            let raw = generator::spec::load::parse_yaml(&file, text)?;
            let shared = shared.seen_from(&raw);
            match existing(&raw, id, page)? {
                None => add(page, req, &shared, &raw, text, tag, &mut report)?,
                Some((path, method)) => {
                    let op_pointer = pointer_join(&pointer_join("/paths", &path), &method);
                    edit::update(page, req, &shared, &raw, text, &op_pointer, &mut report)?
                }
            }
        }
    };
    let after = check(req, &new_text, page)?;
    report.after = after;
    let changed = old_text.as_deref() != Some(new_text.as_str());
    if changed && !req.dry_run {
        generator::write::write_atomic(&file, &new_text)?;
        report.written = true;
    }
    Ok(report)
}

/// The component schemas a raw spec already has, by name: what a page's
/// tables must not silently replace.
fn component_schemas(raw: &Value) -> BTreeMap<String, Value> {
    raw.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// Adds a new operation (and its schemas) to an existing spec file.
fn add(
    page: &Page,
    req: &Request,
    shared: &Shared,
    raw: &Value,
    text: &str,
    tag: Option<String>,
    report: &mut Report,
) -> Result<String, ImportError> {
    let tag = tag
        .or_else(|| {
            raw.pointer("/tags/0/name")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| "Tasks".into());
    let taken = component_schemas(raw);
    let built = build::build(page, &req.operation_id, &tag, shared, &taken);
    let mut t = Text::new(text);
    let path_pointer = pointer_join("/paths", &built.path);
    let placed = if t.find(&path_pointer).is_some() {
        t.insert(&path_pointer, Some(&built.method), &built.operation)
    } else {
        let item = generator::spec::document::Node::Object(vec![(
            built.method.clone(),
            built.operation.clone(),
        )]);
        t.insert("/paths", Some(&built.path), &item)
    };
    if !placed {
        return Err(ImportError::Argument(format!(
            "{} has no `paths` block this import can add to",
            report.file.display()
        )));
    }
    report.added_operation = true;
    report.changes.push(format!(
        "{} {} as {}",
        page.method, built.path, req.operation_id
    ));
    for (name, schema) in &built.schemas {
        if taken.contains_key(name) {
            continue;
        }
        t.insert("/components/schemas", Some(name), schema);
        report.changes.push(format!("component schema {name}"));
    }
    Ok(t.into_string())
}

/// Checks the spec directory with the new text in place (a scratch copy)
/// and compares the page with the result.
fn check(req: &Request, new_text: &str, page: &Page) -> Result<PageDiff, ImportError> {
    let scratch = tempfile::tempdir().map_err(|e| generator::Error::io(&req.spec_dir, e))?;
    copy_yaml(&req.spec_dir, scratch.path())?;
    let target = scratch.path().join(format!("{}.yaml", req.module));
    std::fs::write(&target, new_text).map_err(|e| generator::Error::io(&target, e))?;
    let checked = generator::load_and_check(scratch.path(), "spec").map_err(|e| {
        let text = e.to_string().replace(
            &scratch.path().display().to_string(),
            &req.spec_dir.display().to_string(),
        );
        ImportError::Result(text)
    })?;
    let mut diff = super::diff::diff(page, &checked, Some(&req.module))
        .map_err(|e| ImportError::Result(e.to_string()))?;
    let scratch_name = scratch.path().display().to_string();
    let real = req.spec_dir.display().to_string();
    for f in &mut diff.findings {
        f.file = f.file.replace(&scratch_name, &real);
    }
    Ok(diff)
}

fn copy_yaml(from: &Path, to: &Path) -> Result<(), ImportError> {
    let entries = std::fs::read_dir(from).map_err(|e| generator::Error::io(from, e))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| generator::Error::io(&target, e))?;
            copy_yaml(&path, &target)?;
        } else if path.extension().is_some_and(|e| e == "yaml") {
            std::fs::copy(&path, &target).map_err(|e| generator::Error::io(&path, e))?;
        }
    }
    Ok(())
}
