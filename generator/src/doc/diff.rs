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

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use super::page::{Children, Field, Page, ParamLocation, Parameter};
use crate::Checked;
use crate::error::pointer_join;
use crate::model::extensions::{DocDeviation, DocDeviations};
use crate::model::{Location, Operation, Param, Rule};
use crate::spec::walk::deref;

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

    /// The findings for people, without colour.
    pub fn render(&self) -> String {
        super::report::render(self, super::report::Style::plain())
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

    /// The pointer of a spec parameter: the component a `$ref` names, or
    /// the entry in the operation's list.
    fn param_anchor(&self, p: &Param) -> String {
        let list = pointer_join(&self.op.pointer, "parameters");
        if let Some(Value::Array(items)) = self.doc.pointer(&list) {
            for (i, item) in items.iter().enumerate() {
                let target = deref(self.doc, item);
                let location = target.get("in").and_then(Value::as_str);
                if target.get("name").and_then(Value::as_str) == Some(&p.name)
                    && location == Some(p.location.as_str())
                {
                    return match item.get("$ref").and_then(Value::as_str) {
                        Some(r) => r.trim_start_matches('#').to_string(),
                        None => format!("{list}/{i}"),
                    };
                }
            }
        }
        self.op.pointer.clone()
    }

    fn parameters(&mut self, page: &Page) {
        let plain: Vec<&Parameter> = page
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Body)
            .collect();
        let spec: Vec<&Param> = self.op.params.iter().collect();
        let mut added: Vec<&Parameter> = Vec::new();
        for p in &plain {
            match spec.iter().find(|s| s.name == p.name) {
                Some(s) => self.compare_param(p, s),
                None => added.push(p),
            }
        }
        let mut removed: Vec<&Param> = spec
            .iter()
            .copied()
            .filter(|s| !plain.iter().any(|p| p.name == s.name))
            .collect();
        for p in added {
            let position = |name: &str, loc: &str, list: &[String]| {
                list.iter()
                    .position(|n| n == name)
                    .map(|i| (loc.to_string(), i))
            };
            let page_names: Vec<String> = plain
                .iter()
                .filter(|q| q.location == p.location)
                .map(|q| q.name.clone())
                .collect();
            let page_at = position(&p.name, p.location.as_str(), &page_names);
            let renamed = removed.iter().position(|s| {
                let spec_names: Vec<String> = spec
                    .iter()
                    .filter(|q| q.location.as_str() == s.location.as_str())
                    .map(|q| q.name.clone())
                    .collect();
                s.location.as_str() == p.location.as_str()
                    && type_of_param(s) == p.ty.shape()
                    && position(&s.name, s.location.as_str(), &spec_names) == page_at
            });
            match renamed {
                Some(k) => {
                    let s = removed.remove(k);
                    let anchor = self.param_anchor(s);
                    self.visited.insert(anchor.clone());
                    self.push(
                        Kind::ParameterRenamed,
                        &s.name,
                        Some(p.name.clone()),
                        Some(s.name.clone()),
                        &anchor,
                    );
                }
                None => {
                    let op = self.op.pointer.clone();
                    self.push(
                        Kind::ParameterAdded,
                        &p.name,
                        Some(format!("{} {}", p.location.as_str(), p.ty.shape())),
                        None,
                        &op,
                    );
                }
            }
        }
        for s in removed {
            let anchor = self.param_anchor(s);
            self.visited.insert(anchor.clone());
            self.push(
                Kind::ParameterRemoved,
                &s.name,
                None,
                Some(format!("{} {}", s.location.as_str(), type_of_param(s))),
                &anchor,
            );
        }
        let body: Vec<Field> = page
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Body)
            .map(|p| Field {
                name: p.name.clone(),
                ty: p.ty.clone(),
                type_text: p.type_text.clone(),
                description: p.description.clone(),
                children: p.children.clone(),
                line: p.line,
            })
            .collect();
        if !body.is_empty() {
            match &self.op.request_body {
                Some(name) => {
                    let at = pointer_join("/components/schemas", name);
                    self.fields(&body, &at, "", "");
                }
                None => {
                    let op = self.op.pointer.clone();
                    for f in &body {
                        self.push(
                            Kind::ParameterAdded,
                            &f.name,
                            Some(format!("body {}", f.ty.shape())),
                            None,
                            &op,
                        );
                    }
                }
            }
        }
    }

    fn compare_param(&mut self, p: &Parameter, s: &Param) {
        let anchor = self.param_anchor(s);
        self.visited.insert(anchor.clone());
        let name = s.name.as_str();
        let location = match s.location {
            Location::Path => ParamLocation::Path,
            Location::Query => ParamLocation::Query,
            Location::Header => ParamLocation::Header,
        };
        if p.location != location {
            self.push(
                Kind::ParameterLocation,
                name,
                Some(p.location.as_str().into()),
                Some(location.as_str().into()),
                &anchor,
            );
        }
        let page_type = p.ty.shape();
        let spec_type = type_of_param(s);
        let comparable = if spec_type == "array" {
            page_type.starts_with("array")
        } else {
            page_type == spec_type
        };
        if !comparable {
            self.push(
                Kind::ParameterType,
                name,
                Some(page_type),
                Some(spec_type.clone()),
                &anchor,
            );
        }
        if let Some(required) = p.required
            && required != s.required
        {
            self.push(
                Kind::ParameterRequired,
                name,
                Some(required.to_string()),
                Some(s.required.to_string()),
                &anchor,
            );
        }
        if !p.bounds.is_empty() {
            let (mut min, mut max) = (None, None);
            for rule in &s.rules {
                match rule {
                    Rule::Integer { min: lo, max: hi } if spec_type == "integer" => {
                        min = *lo;
                        max = *hi;
                    }
                    Rule::MinLength(n) if spec_type == "string" => min = i64::try_from(*n).ok(),
                    Rule::MaxLength(n) if spec_type == "string" => max = i64::try_from(*n).ok(),
                    _ => {}
                }
            }
            let differs = (p.bounds.min.is_some() && p.bounds.min != min)
                || (p.bounds.max.is_some() && p.bounds.max != max);
            if differs {
                self.push(
                    Kind::ParameterBounds,
                    name,
                    Some(bounds_text(p.bounds.min, p.bounds.max)),
                    Some(bounds_text(min, max)),
                    &anchor,
                );
            }
        }
        if let Some(default) = &p.default {
            let spec_default = s.default.as_ref().map(value_text);
            if spec_default.as_deref() != Some(default.as_str()) {
                self.push(
                    Kind::ParameterDefault,
                    name,
                    Some(default.clone()),
                    spec_default,
                    &anchor,
                );
            }
        }
        if !p.enumeration.is_empty() {
            let mut known: Vec<String> = s
                .rules
                .iter()
                .find_map(|r| match r {
                    Rule::OneOf(values) => Some(values.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            if let Some(list) = s
                .open_enum
                .as_ref()
                .and_then(|c| self.checked.service.open_enum(c))
            {
                known.extend(list.values.iter().cloned());
            }
            if p.enumeration.iter().any(|v| !known.contains(v)) {
                self.push(
                    Kind::ParameterEnum,
                    name,
                    Some(p.enumeration.join(", ")),
                    Some(known.join(", ")),
                    &anchor,
                );
            }
        }
    }

    /// The response object of a status, `$ref` followed.
    fn response(&self, status: &str) -> Option<&Value> {
        let at = pointer_join(&pointer_join(&self.op.pointer, "responses"), status);
        self.doc.pointer(&at).map(|r| deref(self.doc, r))
    }

    fn responses(&mut self, page: &Page) {
        let success = self.op.success.status.to_string();
        for r in &page.responses {
            let status = r.status.map_or(success.clone(), |s| s.to_string());
            let Some(response) = self.response(&status) else {
                continue;
            };
            let label = if status == success {
                String::new()
            } else {
                format!("[{status}] ")
            };
            let schema = response.pointer("/content/application~1json/schema");
            match schema {
                Some(schema) => {
                    let at = match schema.get("$ref").and_then(Value::as_str) {
                        Some(r) => r.trim_start_matches('#').to_string(),
                        None => format!(
                            "{}/responses/{}/content/application~1json/schema",
                            self.op.pointer,
                            crate::error::pointer_token(&status)
                        ),
                    };
                    self.fields(&r.fields, &at, "", &label);
                }
                None => {
                    let op = self.op.pointer.clone();
                    for f in &r.fields {
                        self.push(
                            Kind::FieldAdded,
                            &format!("{label}{}", f.name),
                            Some(f.ty.shape()),
                            None,
                            &op,
                        );
                    }
                }
            }
        }
    }

    /// The schema at a pointer with `$ref`s followed, and its pointer.
    fn resolve(&self, pointer: &str) -> (String, Value) {
        let mut at = pointer.to_string();
        for _ in 0..16 {
            let Some(v) = self.doc.pointer(&at) else {
                return (at, Value::Null);
            };
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) => at = r.trim_start_matches('#').to_string(),
                None => return (at, v.clone()),
            }
        }
        (at, Value::Null)
    }

    /// A schema's shape in the page's words: `string`, `array of object`,
    /// `string|integer` for a `oneOf`.
    fn shape(&self, pointer: &str) -> String {
        let (at, schema) = self.resolve(pointer);
        if let Some(Value::Array(members)) = schema.get("oneOf").or_else(|| schema.get("anyOf")) {
            let shapes: Vec<String> = (0..members.len())
                .map(|i| self.shape(&format!("{at}/oneOf/{i}")))
                .collect();
            return shapes.join("|");
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("array") => format!("array of {}", self.shape(&format!("{at}/items"))),
            Some(t) => t.to_string(),
            None if schema.get("properties").is_some() => "object".into(),
            None => "any".into(),
        }
    }

    /// The object schema holding the properties of a (possibly array)
    /// schema, as a pointer.
    fn object_of(&self, pointer: &str) -> Option<String> {
        let (at, schema) = self.resolve(pointer);
        if schema.get("type").and_then(Value::as_str) == Some("array") {
            return self.object_of(&format!("{at}/items"));
        }
        schema.get("properties").map(|_| at)
    }

    fn fields(&mut self, fields: &[Field], schema: &str, prefix: &str, label: &str) {
        let Some(object) = self.object_of(schema) else {
            return;
        };
        let properties: Vec<String> = self
            .doc
            .pointer(&format!("{object}/properties"))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for f in fields {
            let name = format!("{label}{prefix}{}", f.name);
            if !properties.contains(&f.name) {
                self.push(Kind::FieldAdded, &name, Some(f.ty.shape()), None, &object);
                continue;
            }
            let at = pointer_join(&format!("{object}/properties"), &f.name);
            let anchor = self.anchor_of(&at);
            self.visited.insert(anchor.clone());
            let spec_shape = self.shape(&at);
            let page_shape = f.ty.shape();
            let page_generic = page_shape.replace("array of ", "");
            let spec_generic = spec_shape.replace("array of ", "");
            let same = page_shape == spec_shape
                || (page_generic == "object"
                    && spec_generic == "object"
                    && page_shape.starts_with("array") == spec_shape.starts_with("array"));
            if !same {
                self.push(
                    Kind::FieldRetyped,
                    &name,
                    Some(page_shape),
                    Some(spec_shape),
                    &anchor,
                );
            }
            if let Children::Fields(children) = &f.children {
                let inner = if f.ty.shape().starts_with("array") {
                    format!("{}{}[].", prefix, f.name)
                } else {
                    format!("{}{}.", prefix, f.name)
                };
                self.fields(children, &at, &inner, label);
            }
        }
        for p in properties {
            if !fields.iter().any(|f| f.name == p) {
                let at = pointer_join(&format!("{object}/properties"), &p);
                let anchor = self.anchor_of(&at);
                self.visited.insert(anchor.clone());
                let shape = self.shape(&at);
                self.push(
                    Kind::FieldRemoved,
                    &format!("{label}{prefix}{p}"),
                    None,
                    Some(shape),
                    &anchor,
                );
            }
        }
    }

    /// Where a deviation about a property is written: on the property, or on
    /// the schema it refers to (a `$ref` takes no siblings).
    fn anchor_of(&self, property: &str) -> String {
        match self
            .doc
            .pointer(property)
            .and_then(|v| v.get("$ref"))
            .and_then(Value::as_str)
        {
            Some(r) => r.trim_start_matches('#').to_string(),
            None => property.to_string(),
        }
    }

    fn statuses(&mut self, page: &Page) {
        let documented = page.statuses();
        if documented.is_empty() {
            return;
        }
        let mut spec = vec![self.op.success.status.to_string()];
        spec.extend(self.op.error_statuses.iter().cloned());
        let op = self.op.pointer.clone();
        for code in &documented {
            if !spec.contains(code) {
                self.push(Kind::StatusAdded, code, Some(code.clone()), None, &op);
            }
        }
        for code in &spec {
            if !documented.contains(code) {
                self.push(Kind::StatusRemoved, code, None, Some(code.clone()), &op);
            }
        }
    }

    fn examples(&mut self, page: &Page) {
        let op = self.op.pointer.clone();
        for ex in &page.examples {
            if ex.method != page.method {
                continue;
            }
            match path_prefix(&ex.path, &self.op.path) {
                Some(prefix) if prefix.is_empty() => {}
                Some(prefix) => self.push(
                    Kind::ExamplePrefix,
                    "example request",
                    Some(prefix),
                    None,
                    &op,
                ),
                None => self.push(
                    Kind::ExamplePath,
                    "example request",
                    Some(ex.path.clone()),
                    Some(self.op.path.clone()),
                    &op,
                ),
            }
            for (key, _) in &ex.query {
                let known = self
                    .op
                    .params
                    .iter()
                    .any(|p| p.location == Location::Query && &p.name == key);
                if !known {
                    self.push(Kind::ExampleParameter, key, Some(key.clone()), None, &op);
                }
            }
        }
        let success = self.op.success.status.to_string();
        for ex in &page.example_responses {
            let status = ex.status.map_or(success.clone(), |s| s.to_string());
            let Some(schema) = self
                .response(&status)
                .and_then(|r| r.pointer("/content/application~1json/schema"))
            else {
                continue;
            };
            let at = match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => r.trim_start_matches('#').to_string(),
                None => continue,
            };
            let mut unknown = Vec::new();
            self.example_fields(&ex.body, &at, "", &mut unknown);
            for (name, object) in unknown {
                self.push(Kind::ExampleField, &name, Some(name.clone()), None, &object);
            }
        }
    }

    fn example_fields(
        &self,
        value: &Value,
        schema: &str,
        prefix: &str,
        out: &mut Vec<(String, String)>,
    ) {
        match value {
            Value::Array(items) => {
                for item in items {
                    self.example_fields(item, schema, prefix, out);
                }
            }
            Value::Object(map) => {
                let Some(object) = self.object_of(schema) else {
                    return;
                };
                for (key, child) in map {
                    let at = pointer_join(&format!("{object}/properties"), key);
                    let name = format!("{prefix}{key}");
                    if self.doc.pointer(&at).is_none() {
                        if !out.iter().any(|(n, _)| *n == name) {
                            out.push((name, object.clone()));
                        }
                        continue;
                    }
                    let inner = if child.is_array() {
                        format!("{name}[].")
                    } else {
                        format!("{name}.")
                    };
                    self.example_fields(child, &at, &inner, out);
                }
            }
            _ => {}
        }
    }

    /// Marks the findings the spec's deviations acknowledge, adds drift for
    /// deviations at compared places that match nothing, and locates every
    /// pointer in its file.
    fn acknowledge(mut self) -> Vec<Finding> {
        let applies = |d: &DocDeviation, op: &str| d.operation.as_deref().is_none_or(|o| o == op);
        let mut used: BTreeSet<(String, usize)> = BTreeSet::new();
        for f in &mut self.raw {
            let Some(object) = self.doc.pointer(&f.anchor) else {
                continue;
            };
            let deviations = DocDeviations::on(object);
            let hit = deviations.iter().enumerate().find(|(_, d)| {
                applies(d, &self.op.name)
                    && d.page == f.page
                    && d.name.as_deref().is_none_or(|n| n == f.name)
            });
            if let Some((i, d)) = hit {
                f.acknowledged = true;
                f.reason = Some(d.reason.clone());
                used.insert((f.anchor.clone(), i));
            }
        }
        let mut drift = Vec::new();
        for anchor in &self.visited {
            let Some(object) = self.doc.pointer(anchor) else {
                continue;
            };
            for (i, d) in DocDeviations::on(object).iter().enumerate() {
                if applies(d, &self.op.name) && !used.contains(&(anchor.clone(), i)) {
                    drift.push(Finding {
                        operation: self.op.name.clone(),
                        kind: Kind::DeviationDrift,
                        name: d.name.clone().unwrap_or_default(),
                        page: d.page.clone(),
                        spec: None,
                        file: String::new(),
                        pointer: String::new(),
                        acknowledged: false,
                        reason: Some(d.reason.clone()),
                        anchor: anchor.clone(),
                    });
                }
            }
        }
        self.raw.extend(drift);
        for f in &mut self.raw {
            let (file, pointer) = self.checked.bundle.locate(&f.anchor);
            f.file = file.display().to_string();
            f.pointer = pointer;
        }
        self.raw
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
