//! Comparing a reference page with the spec's operation.
//!
//! The operation is found by method and path across every checked spec (an
//! extra prefix before the version segment, as some pages write, is itself a
//! finding). Each difference becomes a [`Finding`] naming the operation, its
//! kind, the parameter, field or status, both sides' values and the JSON
//! pointer in the spec file where it is written. A deviation the spec
//! records there (`x-hwc-doc-deviation`) with the same page value
//! acknowledges it; a recorded deviation at a place the diff compared that
//! no longer matches anything is reported as drift.

mod acknowledge;
mod fields;
mod params;

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use super::page::{DocSource, Page};
use generator::checked::Checked;
use generator::model::{Operation, Param};

/// What kind of difference a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The page's path has a prefix the spec's does not.
    PathPrefix,
    ParameterAdded,
    ParameterRemoved,
    /// A removal and an addition of the same type at the same position.
    ParameterRenamed,
    ParameterLocation,
    ParameterType,
    ParameterRequired,
    ParameterBounds,
    ParameterDefault,
    ParameterEnum,
    FieldAdded,
    FieldRemoved,
    FieldRetyped,
    StatusAdded,
    StatusRemoved,
    /// An example URL's path differs from the operation's.
    ExamplePath,
    /// An example URL's path has a prefix the operation's does not.
    ExamplePrefix,
    /// An example URL sends a query parameter the spec does not have.
    ExampleParameter,
    /// An example response carries a field the spec does not have.
    ExampleField,
    /// A recorded deviation whose page side matches nothing any more.
    DeviationDrift,
    /// An operation of the spec that no definition of the pinned version
    /// describes.
    DefinitionMissing,
    /// A constraint on a parameter (a pattern, bounds, a length) that only
    /// the spec states: the client refuses a value before sending it, so
    /// the spec names its source in a deviation, or the constraint goes.
    ConstraintUnsourced,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PathPrefix => "path-prefix",
            Kind::ParameterAdded => "parameter-added",
            Kind::ParameterRemoved => "parameter-removed",
            Kind::ParameterRenamed => "parameter-renamed",
            Kind::ParameterLocation => "parameter-location",
            Kind::ParameterType => "parameter-type",
            Kind::ParameterRequired => "parameter-required",
            Kind::ParameterBounds => "parameter-bounds",
            Kind::ParameterDefault => "parameter-default",
            Kind::ParameterEnum => "parameter-enum",
            Kind::FieldAdded => "field-added",
            Kind::FieldRemoved => "field-removed",
            Kind::FieldRetyped => "field-retyped",
            Kind::StatusAdded => "status-added",
            Kind::StatusRemoved => "status-removed",
            Kind::ExamplePath => "example-path",
            Kind::ExamplePrefix => "example-prefix",
            Kind::ExampleParameter => "example-parameter",
            Kind::ExampleField => "example-field",
            Kind::DeviationDrift => "deviation-drift",
            Kind::DefinitionMissing => "definition-missing",
            Kind::ConstraintUnsourced => "constraint-unsourced",
        }
    }
}

/// One difference between a page and the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// operationId.
    pub operation: String,
    pub kind: Kind,
    /// The parameter, field (dotted, `tasks[].details.old_capacity`; error
    /// statuses in brackets) or status code.
    pub name: String,
    /// What the page says; `None` when the page lacks it.
    pub page: Option<String>,
    /// What the spec says; `None` when the spec lacks it.
    pub spec: Option<String>,
    /// The spec file holding `pointer`.
    pub file: String,
    /// JSON pointer in `file` of the place the difference is written (and
    /// where a deviation acknowledging it goes).
    pub pointer: String,
    pub acknowledged: bool,
    /// The recorded reason, when acknowledged (or the drifting deviation's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The place in the bundled document.
    #[serde(skip)]
    pub anchor: String,
}

/// The comparison of one page with its operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageDiff {
    pub page: String,
    pub module: String,
    pub operation: String,
    pub method: String,
    pub path: String,
    pub findings: Vec<Finding>,
}

impl PageDiff {
    /// Whether every difference is acknowledged.
    pub fn clean(&self) -> bool {
        self.findings.iter().all(|f| f.acknowledged)
    }
}

/// Why a page could not be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoOperation {
    pub message: String,
}

impl std::fmt::Display for NoOperation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NoOperation {}

/// Compares a page with the operation of the same method and path. When
/// several services have one, `service` (a module name) or the services the
/// page mentions choose.
pub fn diff(
    page: &Page,
    specs: &[Checked],
    service: Option<&str>,
) -> Result<PageDiff, NoOperation> {
    let named = |c: &Checked| {
        let host = c
            .service
            .endpoints
            .pattern
            .trim_start_matches("https://")
            .split(['.', '-'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let names = [
            c.service.module.to_ascii_lowercase(),
            c.service.endpoints.sdk_service.to_ascii_lowercase(),
            host,
        ];
        names
            .iter()
            .any(|n| !n.is_empty() && page.services.contains(n))
    };
    let matching: Vec<&Checked> = specs
        .iter()
        .filter(|c| service.is_none_or(|s| c.service.module == s))
        .filter(|c| {
            c.service.operations.iter().any(|op| {
                op.method.as_str() == page.method && path_prefix(&page.path, &op.path).is_some()
            })
        })
        .collect();
    let specs: Vec<&Checked> = if matching.len() > 1 {
        let chosen: Vec<&Checked> = matching.iter().copied().filter(|c| named(c)).collect();
        if chosen.len() != 1 {
            let modules: Vec<&str> = matching.iter().map(|c| c.service.module.as_str()).collect();
            return Err(NoOperation {
                message: format!(
                    "{}:{}: `{} {}` matches operations of {}, and the page does not say which \
                     service it documents; name one with --service",
                    page.file,
                    page.line,
                    page.method,
                    page.path,
                    modules.join(", ")
                ),
            });
        }
        chosen
    } else {
        matching
    };
    // An exact match first, then one behind a prefix.
    let candidates = || {
        specs.iter().copied().flat_map(|checked| {
            checked
                .service
                .operations
                .iter()
                .filter(|op| op.method.as_str() == page.method)
                .filter_map(move |op| path_prefix(&page.path, &op.path).map(|p| (checked, op, p)))
        })
    };
    let found = candidates()
        .find(|(_, _, prefix)| prefix.is_empty())
        .or_else(|| candidates().next());
    let Some((checked, op, prefix)) = found else {
        return Err(NoOperation {
            message: format!(
                "{}:{}: `{} {}` matches no operation of the specs",
                page.file, page.line, page.method, page.path
            ),
        });
    };
    let mut d = Differ {
        checked,
        op,
        source: page.source,
        doc: &checked.bundle.document,
        raw: Vec::new(),
        visited: BTreeSet::new(),
    };
    d.visited.insert(op.pointer.clone());
    if !prefix.is_empty() {
        d.push(Kind::PathPrefix, "path", Some(prefix), None, &op.pointer);
    }
    d.parameters(page);
    d.responses(page);
    d.statuses(page);
    d.examples(page);
    let findings = d.acknowledge();
    Ok(PageDiff {
        page: page.file.clone(),
        module: checked.service.module.clone(),
        operation: op.name.clone(),
        method: op.method.as_str().to_string(),
        path: op.path.clone(),
        findings,
    })
}

/// The prefix `page` has before a path matching `template` (empty when they
/// match as they are), or `None` when they do not match. Placeholders match
/// whatever the other side has in that segment.
pub fn path_prefix(page: &str, template: &str) -> Option<String> {
    let p: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
    let t: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    let extra = p.len().checked_sub(t.len())?;
    let placeholder = |s: &str| s.starts_with('{') && s.ends_with('}');
    let fits = p[extra..]
        .iter()
        .zip(&t)
        .all(|(a, b)| a == b || placeholder(b));
    let prefix = &p[..extra];
    (fits && !prefix.iter().any(|s| placeholder(s)))
        .then(|| prefix.iter().map(|s| format!("/{s}")).collect::<String>())
}

struct Differ<'a> {
    checked: &'a Checked,
    op: &'a Operation,
    /// The kind of source compared: a deviation recorded for the other kind
    /// neither acknowledges nor drifts.
    source: DocSource,
    doc: &'a Value,
    raw: Vec<Finding>,
    /// Every place compared: where a recorded deviation is checked for drift.
    visited: BTreeSet<String>,
}

fn type_of_param(p: &Param) -> String {
    p.json_type.clone()
}

fn bounds_text(min: Option<i64>, max: Option<i64>) -> String {
    let side = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    format!("{}..{}", side(min), side(max))
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Differ<'_> {
    fn push(
        &mut self,
        kind: Kind,
        name: &str,
        page: Option<String>,
        spec: Option<String>,
        anchor: &str,
    ) {
        let finding = Finding {
            operation: self.op.name.clone(),
            kind,
            name: name.to_string(),
            page,
            spec,
            file: String::new(),
            pointer: String::new(),
            acknowledged: false,
            reason: None,
            anchor: anchor.to_string(),
        };
        if !self.raw.contains(&finding) {
            self.raw.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_with_placeholders_and_a_prefix() {
        let t = "/v3/{project_id}/tasks";
        assert_eq!(
            path_prefix("/v3/{project_id}/tasks", t),
            Some(String::new())
        );
        assert_eq!(path_prefix("/v3/0611f1/tasks", t), Some(String::new()));
        assert_eq!(
            path_prefix("/opengauss/v3/0611f1/tasks", t),
            Some("/opengauss".into())
        );
        assert_eq!(path_prefix("/v3/0611f1/jobs", t), None);
        assert_eq!(path_prefix("/tasks", t), None);
        assert_eq!(
            path_prefix("/v2/{p}/instances/{i}/tasks", "/v2/{p}/tasks"),
            None
        );
    }
}
