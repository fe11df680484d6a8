//! Every operation of every spec compared with the API Explorer definition
//! of the version its spec pins (`x-hwc-source`): the doc-update loop's one
//! report.
//!
//! Definitions live in one folder per product and version
//! (`<root>/<product>/<version>/<OperationId>.json`, the layout `cargo
//! xtask explorer pull` writes). An operation is matched with the file of
//! its operationId, or else with the definition of the same method and
//! path; an operation no definition describes is a finding of its own.

use std::path::{Path, PathBuf};

use generator::checked::Checked;
use generator::model::Operation;
use generator::model::extensions::DefinitionsSource;

use crate::diff::{Finding, Kind, PageDiff, path_prefix};
use crate::report::Style;
use crate::{DocError, Page};

/// Where the definitions of `source` are under `root`.
pub fn definitions_dir(root: &Path, source: &DefinitionsSource) -> PathBuf {
    root.join(&source.product).join(&source.definitions)
}

/// One operation compared with its definition.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The definition, as read.
    pub page: Page,
    pub diff: PageDiff,
}

/// One service's operations against the definitions its spec pins.
#[derive(Debug, Clone)]
pub struct ServiceSync {
    pub module: String,
    /// The spec file.
    pub file: PathBuf,
    /// What the spec pins; `None` when it pins nothing (and was not compared).
    pub source: Option<DefinitionsSource>,
    /// Where its definitions were read.
    pub dir: Option<PathBuf>,
    pub compared: Vec<Compared>,
    /// Operations no definition describes, one finding each.
    pub missing: Vec<Finding>,
}

/// The comparison of every pinned spec.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub services: Vec<ServiceSync>,
}

impl SyncReport {
    /// Whether every spec pins its definitions, every difference is
    /// acknowledged and every operation has a definition. A spec that pins
    /// none is never compared, so it cannot be called in step.
    pub fn clean(&self) -> bool {
        self.unpinned().count() == 0 && self.findings().iter().all(|f| f.acknowledged)
    }

    /// The services whose spec pins no definitions.
    pub fn unpinned(&self) -> impl Iterator<Item = &ServiceSync> {
        self.services.iter().filter(|s| s.source.is_none())
    }

    /// Every finding, the operations without a definition included.
    pub fn findings(&self) -> Vec<&Finding> {
        self.services
            .iter()
            .flat_map(|s| {
                s.compared
                    .iter()
                    .flat_map(|c| &c.diff.findings)
                    .chain(&s.missing)
            })
            .collect()
    }

    /// Every finding, mutable (to name files as the caller prefers).
    pub fn findings_mut(&mut self) -> impl Iterator<Item = &mut Finding> {
        self.services.iter_mut().flat_map(|s| {
            s.compared
                .iter_mut()
                .flat_map(|c| c.diff.findings.iter_mut())
                .chain(s.missing.iter_mut())
        })
    }

    /// The report for a terminal: one line per operation that agrees, the
    /// open findings of those that do not.
    pub fn render(&self, style: Style) -> String {
        let mut out = String::new();
        let (mut operations, mut differing) = (0, 0);
        for s in &self.services {
            let (Some(source), Some(dir)) = (&s.source, &s.dir) else {
                out.push_str(&format!(
                    "{}: {}\n",
                    style.bold(&s.module),
                    style.warn(&format!(
                        "{} pins no definitions (x-hwc-source: product and version); not compared",
                        s.file.display()
                    ))
                ));
                continue;
            };
            out.push_str(&format!(
                "{}: {} definitions {} {}\n",
                style.bold(&s.module),
                source.product,
                source.definitions,
                style.dim(&format!("({})", dir.display()))
            ));
            for c in &s.compared {
                operations += 1;
                let open: Vec<&Finding> =
                    c.diff.findings.iter().filter(|f| !f.acknowledged).collect();
                let known = c.diff.findings.len() - open.len();
                let name = format!("{:<28}", c.diff.operation);
                if open.is_empty() {
                    let note = if known == 0 {
                        String::new()
                    } else {
                        format!(" ({known} acknowledged)")
                    };
                    out.push_str(&format!(
                        "  {name} {}{}\n",
                        style.good("agrees"),
                        style.dim(&note)
                    ));
                    continue;
                }
                differing += 1;
                out.push_str(&format!(
                    "  {name} {}\n",
                    crate::report::to_review(open.len(), style)
                ));
                for f in open {
                    out.push_str(&crate::report::open_finding(f, style, 4));
                }
            }
            for f in &s.missing {
                operations += 1;
                differing += 1;
                out.push_str(&format!(
                    "  {:<28} {}\n    {}\n",
                    f.operation,
                    style.warn(&format!(
                        "no definition ({}.json, or one for {})",
                        f.operation,
                        f.spec.as_deref().unwrap_or_default()
                    )),
                    style.dim(&format!("{}#{}", f.file, f.pointer)),
                ));
            }
        }
        let mut summary = format!("{operations} operations compared, {differing} to review");
        let unpinned = self.unpinned().count();
        if unpinned > 0 {
            summary.push_str(&format!(", {unpinned} spec(s) pinning no definitions"));
        }
        if differing == 0 && unpinned == 0 {
            out.push_str(&format!("{}\n", style.good(&summary)));
        } else {
            out.push_str(&format!("{}\n", style.warn(&summary)));
        }
        out
    }
}

/// Compares every operation of the specs that pin definitions with the
/// definitions found under `root`. A pinned version that is not there, or a
/// definition that cannot be read, is an error naming the folder or file.
pub fn sync(specs: &[Checked], root: &Path) -> Result<SyncReport, DocError> {
    let mut report = SyncReport::default();
    for checked in specs {
        let service = &checked.service;
        let mut s = ServiceSync {
            module: service.module.clone(),
            file: service.file.clone(),
            source: service.source.clone(),
            dir: None,
            compared: Vec::new(),
            missing: Vec::new(),
        };
        if let Some(source) = &service.source {
            let dir = definitions_dir(root, source);
            let mut definitions = Definitions::open(&dir, source)?;
            for op in &service.operations {
                match definitions.find(op)? {
                    Some(page) => {
                        let diff = crate::diff::diff(
                            &page,
                            std::slice::from_ref(checked),
                            Some(&service.module),
                        )
                        .map_err(|e| DocError::new(&page.file, page.line, e.message))?;
                        s.compared.push(Compared { page, diff });
                    }
                    None => s.missing.push(missing(checked, op)),
                }
            }
            s.dir = Some(dir);
        }
        report.services.push(s);
    }
    Ok(report)
}

/// The finding for an operation no definition describes.
fn missing(checked: &Checked, op: &Operation) -> Finding {
    let (file, pointer) = checked.bundle.locate(&op.pointer);
    Finding {
        operation: op.name.clone(),
        kind: Kind::DefinitionMissing,
        name: op.name.clone(),
        page: None,
        spec: Some(format!("{} {}", op.method.as_str(), op.path)),
        file: file.display().to_string(),
        pointer,
        acknowledged: false,
        reason: None,
        anchor: op.pointer.clone(),
    }
}

/// The definitions of one product version, read as needed.
struct Definitions {
    dir: PathBuf,
    /// Every definition in the folder, read on the first operation whose
    /// operationId names no file; unreadable files are left out of that scan.
    all: Option<Vec<Page>>,
}

impl Definitions {
    fn open(dir: &Path, source: &DefinitionsSource) -> Result<Self, DocError> {
        if !dir.is_dir() {
            return Err(DocError::new(
                &dir.display().to_string(),
                0,
                format!(
                    "no definitions of {} {} here; fetch them with `cargo xtask explorer pull \
                     {}@{}`",
                    source.product, source.definitions, source.product, source.definitions
                ),
            ));
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            all: None,
        })
    }

    /// The definition of `op`: its operationId's file, or the one with its
    /// method and path.
    fn find(&mut self, op: &Operation) -> Result<Option<Page>, DocError> {
        let named = self.dir.join(format!("{}.json", op.name));
        if named.is_file() {
            let page = crate::read(&named)?;
            if same_operation(&page, op) {
                return Ok(Some(page));
            }
        }
        let all = match &mut self.all {
            Some(all) => all,
            None => self.all.insert(self.read_all()?),
        };
        Ok(all.iter().find(|p| same_operation(p, op)).cloned())
    }

    fn read_all(&self) -> Result<Vec<Page>, DocError> {
        let files = definition_files(&self.dir).map_err(|e| {
            let name = self.dir.display().to_string();
            DocError::new(&name, 0, format!("cannot list the definitions: {e}"))
        })?;
        Ok(files.iter().filter_map(|f| crate::read(f).ok()).collect())
    }
}

/// The definition files of a folder (`*.json`), in name order.
pub fn definition_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// Whether a definition describes the operation: the same method, and the
/// same path up to placeholder names (and a prefix some definitions carry).
fn same_operation(page: &Page, op: &Operation) -> bool {
    page.method == op.method.as_str() && path_prefix(&page.path, &op.path).is_some()
}
