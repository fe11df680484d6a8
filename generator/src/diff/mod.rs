//! Breaking-change gate: what changed in each service's bundled spec between a
//! git revision and now, classified for a client.
//!
//! Breaking: an operation, parameter, response status, response header or
//! response field removed; a parameter newly required; a type, format or
//! tolerant scalar kind changed; an enum or open-enum value removed from a
//! request parameter; a request constraint tightened; a response value that
//! may now be null or absent, or a closed response enum that gains a value; a
//! region removed or the server URL changed; a service removed. Compatible:
//! the additions and relaxations that mirror those.
//!
//! A service whose changes include a breaking one passes only when the major
//! part of its `info.version` went up. Documentation (descriptions, summaries,
//! examples) is not compared.
//!
//! The documents are compared as `serde_json` values after bundling, so a
//! schema moved behind a `$ref` (or back inline) is not a change.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::error::Error;
use crate::spec::{bundle, module_name, service_specs};

mod git;
mod report;

use git::Revision;
use report::change;

pub use report::{Change, Class, Kind, Report, ServiceDiff};

/// Why a comparison could not be made.
#[derive(Debug)]
pub enum DiffError {
    /// Running git failed, or the revision is unknown.
    Git(String),
    /// A spec could not be read or bundled.
    Spec { revision: String, error: Error },
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffError::Git(message) => write!(f, "git: {message}"),
            DiffError::Spec { revision, error } => write!(f, "the specs at {revision}: {error}"),
        }
    }
}

impl std::error::Error for DiffError {}

/// Compares the service specs in `spec_dir` (a path relative to `work_dir`,
/// a directory of a git work tree) with their versions at `git_ref`.
pub fn against_git_ref(
    work_dir: &Path,
    git_ref: &str,
    spec_dir: &Path,
) -> Result<Report, DiffError> {
    let base = Revision::resolve(work_dir, git_ref)?;
    let dir = spec_dir.to_string_lossy().replace('\\', "/");
    let files = base.files(&dir)?;
    let current = bundle_dir(&work_dir.join(spec_dir)).map_err(|error| DiffError::Spec {
        revision: "the work tree".into(),
        error,
    })?;
    if files.is_empty() {
        return Ok(Report {
            base: git_ref.to_string(),
            note: Some(format!(
                "{dir}/ does not exist at {git_ref}; there is nothing to compare"
            )),
            services: compare_services(&BTreeMap::new(), &current),
        });
    }
    let scratch = base.check_out(&files)?;
    let old = bundle_dir(&scratch.path().join(spec_dir)).map_err(|error| DiffError::Spec {
        revision: git_ref.to_string(),
        error,
    })?;
    Ok(Report {
        base: git_ref.to_string(),
        note: None,
        services: compare_services(&old, &current),
    })
}

/// Bundles every service spec of a directory (a missing directory has none).
pub fn bundle_dir(spec_dir: &Path) -> Result<BTreeMap<String, Value>, Error> {
    let mut out = BTreeMap::new();
    if !spec_dir.is_dir() {
        return Ok(out);
    }
    for spec in service_specs(spec_dir)? {
        let b = bundle::bundle(&spec)?;
        out.insert(module_name(&spec), b.document);
    }
    Ok(out)
}

/// Compares services by module name: old and new bundled documents.
pub fn compare_services(
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
) -> Vec<ServiceDiff> {
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let version = |doc: &Value| {
        doc.pointer("/info/version").map(|v| {
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        })
    };
    names
        .into_iter()
        .map(|name| {
            let (o, n) = (old.get(name), new.get(name));
            let changes = match (o, n) {
                (Some(o), Some(n)) => compare_documents(o, n),
                (Some(_), None) => vec![change(
                    Class::Breaking,
                    Kind::ServiceRemoved,
                    name,
                    "service removed",
                )],
                (None, Some(_)) => vec![change(
                    Class::Compatible,
                    Kind::ServiceAdded,
                    name,
                    "new service",
                )],
                (None, None) => Vec::new(),
            };
            ServiceDiff {
                service: name.clone(),
                old_version: o.and_then(version),
                new_version: n.and_then(version),
                changes,
            }
        })
        .collect()
}

/// Every client-visible change from one bundled document to another, sorted
/// (breaking first).
pub fn compare_documents(old: &Value, new: &Value) -> Vec<Change> {
    let mut cx = Context {
        old_doc: old,
        new_doc: new,
        changes: Vec::new(),
        seen: BTreeSet::new(),
    };
    cx.servers();
    cx.operations();
    cx.changes.sort();
    cx.changes.dedup();
    cx.changes
}

/// Which way data flows through a schema: what the client sends, or what it
/// receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Flow {
    Request,
    Response,
}

struct Context<'a> {
    old_doc: &'a Value,
    new_doc: &'a Value,
    changes: Vec<Change>,
    /// Schema pairs (by pointer) already compared at a location, against cycles.
    seen: BTreeSet<(String, String, Flow)>,
}

static NULL: Value = Value::Null;
static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

struct Op<'a> {
    method: String,
    path: String,
    item: &'a Value,
    op: &'a Value,
}

impl Op<'_> {
    fn place(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }
}

fn operations_of(doc: &Value) -> BTreeMap<String, Op<'_>> {
    let mut out = BTreeMap::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let op = Op {
                    method: method.to_string(),
                    path: path.clone(),
                    item,
                    op,
                };
                let key = op
                    .op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| op.place());
                out.insert(key, op);
            }
        }
    }
    out
}

fn deref<'v>(doc: &'v Value, value: &'v Value) -> &'v Value {
    let mut current = value;
    for _ in 0..32 {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        {
            Some(target) => current = target,
            None => break,
        }
    }
    current
}

fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool) == Some(true)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

fn quoted(values: &[&String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'a> Context<'a> {
    fn push(&mut self, class: Class, kind: Kind, at: &str, what: impl Into<String>) {
        self.changes.push(change(class, kind, at, what));
    }

    fn servers(&mut self) {
        let (old, new) = (
            self.old_doc.pointer("/servers/0"),
            self.new_doc.pointer("/servers/0"),
        );
        let (Some(old), Some(new)) = (old, new) else {
            if old.is_some() != new.is_some() {
                self.push(
                    Class::Breaking,
                    Kind::ServerChanged,
                    "servers",
                    "the server was added or removed",
                );
            }
            return;
        };
        let (old_url, new_url) = (str_of(old, "url"), str_of(new, "url"));
        if old_url != new_url {
            self.push(
                Class::Breaking,
                Kind::ServerChanged,
                "servers",
                format!(
                    "server URL changed from `{}` to `{}`",
                    old_url.unwrap_or_default(),
                    new_url.unwrap_or_default()
                ),
            );
        }
        let old_regions = strings(old.pointer("/variables/region/enum"));
        let new_regions = strings(new.pointer("/variables/region/enum"));
        let removed: Vec<&String> = old_regions
            .iter()
            .filter(|r| !new_regions.contains(r))
            .collect();
        let added: Vec<&String> = new_regions
            .iter()
            .filter(|r| !old_regions.contains(r))
            .collect();
        if !removed.is_empty() {
            self.push(
                Class::Breaking,
                Kind::RegionRemoved,
                "regions",
                format!("region(s) removed: {}", quoted(&removed)),
            );
        }
        if !added.is_empty() {
            self.push(
                Class::Compatible,
                Kind::RegionAdded,
                "regions",
                format!("region(s) added: {}", quoted(&added)),
            );
        }
        let exceptions = |s: &Value| -> BTreeMap<String, String> {
            s.get("x-hwc-endpoint-exceptions")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (old_ex, new_ex) = (exceptions(old), exceptions(new));
        for region in new_regions.iter().filter(|r| old_regions.contains(r)) {
            let endpoint = |ex: &BTreeMap<String, String>, url: Option<&str>| {
                ex.get(region)
                    .cloned()
                    .unwrap_or_else(|| url.unwrap_or_default().replace("{region}", region))
            };
            let (before, after) = (endpoint(&old_ex, old_url), endpoint(&new_ex, new_url));
            if before != after && old_url == new_url {
                self.push(
                    Class::Compatible,
                    Kind::EndpointChanged,
                    "regions",
                    format!("endpoint of `{region}` changed from `{before}` to `{after}`"),
                );
            }
        }
    }

    fn operations(&mut self) {
        let old_ops = operations_of(self.old_doc);
        let new_ops = operations_of(self.new_doc);
        for (id, old) in &old_ops {
            match new_ops.get(id) {
                None => self.push(
                    Class::Breaking,
                    Kind::OperationRemoved,
                    id,
                    format!("operation removed ({})", old.place()),
                ),
                Some(new) => {
                    if old.place() != new.place() {
                        self.push(
                            Class::Breaking,
                            Kind::OperationMoved,
                            id,
                            format!("moved from {} to {}", old.place(), new.place()),
                        );
                    }
                    self.operation(id, old, new);
                }
            }
        }
        for (id, new) in &new_ops {
            if !old_ops.contains_key(id) {
                self.push(
                    Class::Compatible,
                    Kind::OperationAdded,
                    id,
                    format!("operation added ({})", new.place()),
                );
            }
        }
    }

    fn parameters(doc: &'a Value, op: &Op<'a>) -> BTreeMap<(String, String), &'a Value> {
        let mut out = BTreeMap::new();
        for list in [op.item.get("parameters"), op.op.get("parameters")] {
            for p in list.and_then(Value::as_array).into_iter().flatten() {
                let p = deref(doc, p);
                let key = (
                    str_of(p, "in").unwrap_or_default().to_string(),
                    str_of(p, "name").unwrap_or_default().to_string(),
                );
                out.insert(key, p);
            }
        }
        out
    }

    fn operation(&mut self, id: &str, old: &Op<'a>, new: &Op<'a>) {
        let old_params = Self::parameters(self.old_doc, old);
        let new_params = Self::parameters(self.new_doc, new);
        for ((place, name), p) in &old_params {
            let at = format!("{id} parameter {place} `{name}`");
            match new_params.get(&(place.clone(), name.clone())) {
                None => self.push(
                    Class::Breaking,
                    Kind::ParameterRemoved,
                    &at,
                    "parameter removed",
                ),
                Some(q) => {
                    match (flag(p, "required"), flag(q, "required")) {
                        (false, true) => self.push(
                            Class::Breaking,
                            Kind::ParameterNewlyRequired,
                            &at,
                            "parameter is now required",
                        ),
                        (true, false) => self.push(
                            Class::Compatible,
                            Kind::ParameterNoLongerRequired,
                            &at,
                            "parameter is now optional",
                        ),
                        _ => {}
                    }
                    self.schema(
                        &at,
                        p.get("schema").unwrap_or(&NULL),
                        q.get("schema").unwrap_or(&NULL),
                        Flow::Request,
                    );
                }
            }
        }
        for ((place, name), q) in &new_params {
            if old_params.contains_key(&(place.clone(), name.clone())) {
                continue;
            }
            let at = format!("{id} parameter {place} `{name}`");
            if flag(q, "required") {
                self.push(
                    Class::Breaking,
                    Kind::ParameterNewlyRequired,
                    &at,
                    "new required parameter",
                );
            } else {
                self.push(
                    Class::Compatible,
                    Kind::ParameterAdded,
                    &at,
                    "optional parameter added",
                );
            }
        }
        self.request_body(id, old.op.get("requestBody"), new.op.get("requestBody"));
        self.responses(id, old.op, new.op);
    }

    fn request_body(&mut self, id: &str, old: Option<&'a Value>, new: Option<&'a Value>) {
        let at = format!("{id} request body");
        match (old, new) {
            (None, None) => {}
            (Some(_), None) => self.push(
                Class::Breaking,
                Kind::RequestBodyRemoved,
                &at,
                "request body removed",
            ),
            (None, Some(b)) => {
                let b = deref(self.new_doc, b);
                if flag(b, "required") {
                    self.push(
                        Class::Breaking,
                        Kind::RequestBodyAdded,
                        &at,
                        "new required request body",
                    );
                } else {
                    self.push(
                        Class::Compatible,
                        Kind::RequestBodyAdded,
                        &at,
                        "optional request body added",
                    );
                }
            }
            (Some(a), Some(b)) => {
                let (a, b) = (deref(self.old_doc, a), deref(self.new_doc, b));
                if !flag(a, "required") && flag(b, "required") {
                    self.push(
                        Class::Breaking,
                        Kind::RequestBodyAdded,
                        &at,
                        "request body is now required",
                    );
                }
                self.content(&at, a.get("content"), b.get("content"), Flow::Request);
            }
        }
    }

    fn responses(&mut self, id: &str, old: &'a Value, new: &'a Value) {
        let old_r = old
            .get("responses")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let new_r = new
            .get("responses")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        for (code, a) in old_r {
            let at = format!("{id} response {code}");
            let Some(b) = new_r.get(code) else {
                self.push(
                    Class::Breaking,
                    Kind::ResponseStatusRemoved,
                    &at,
                    "response status removed",
                );
                continue;
            };
            let (a, b) = (deref(self.old_doc, a), deref(self.new_doc, b));
            let headers = |r: &'a Value| -> BTreeMap<String, &'a Value> {
                r.get("headers")
                    .and_then(Value::as_object)
                    .map(|m| m.iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect())
                    .unwrap_or_default()
            };
            let (ha, hb) = (headers(a), headers(b));
            for (name, h) in &ha {
                let at = format!("{at} header `{name}`");
                match hb.get(name) {
                    None => self.push(
                        Class::Breaking,
                        Kind::ResponseHeaderRemoved,
                        &at,
                        "response header removed",
                    ),
                    Some(g) => {
                        let (h, g) = (deref(self.old_doc, h), deref(self.new_doc, g));
                        self.schema(
                            &at,
                            h.get("schema").unwrap_or(&NULL),
                            g.get("schema").unwrap_or(&NULL),
                            Flow::Response,
                        );
                    }
                }
            }
            for name in hb.keys().filter(|n| !ha.contains_key(*n)) {
                self.push(
                    Class::Compatible,
                    Kind::ResponseHeaderAdded,
                    &format!("{at} header `{name}`"),
                    "response header added",
                );
            }
            self.content(&at, a.get("content"), b.get("content"), Flow::Response);
        }
        for code in new_r.keys().filter(|c| !old_r.contains_key(*c)) {
            self.push(
                Class::Compatible,
                Kind::ResponseStatusAdded,
                &format!("{id} response {code}"),
                "response status added",
            );
        }
    }

    fn content(&mut self, at: &str, old: Option<&'a Value>, new: Option<&'a Value>, flow: Flow) {
        let old = old.and_then(Value::as_object).unwrap_or(&EMPTY);
        let new = new.and_then(Value::as_object).unwrap_or(&EMPTY);
        for (media, a) in old {
            let here = format!("{at} ({media})");
            match new.get(media) {
                None => self.push(
                    Class::Breaking,
                    Kind::MediaTypeRemoved,
                    &here,
                    "media type removed",
                ),
                Some(b) => {
                    self.schema(
                        &format!("{at} body"),
                        a.get("schema").unwrap_or(&NULL),
                        b.get("schema").unwrap_or(&NULL),
                        flow,
                    );
                }
            }
        }
        for media in new.keys().filter(|m| !old.contains_key(*m)) {
            let class = match flow {
                // A client may send the old media type still; a new response
                // media type is one it may not read.
                Flow::Request => Class::Compatible,
                Flow::Response => Class::Breaking,
            };
            self.push(
                class,
                Kind::MediaTypeAdded,
                &format!("{at} ({media})"),
                "media type added",
            );
        }
    }

    /// Compares two schemas found at the same place.
    fn schema(&mut self, at: &str, old: &'a Value, new: &'a Value, flow: Flow) {
        let key = (
            str_of(old, "$ref").unwrap_or_default().to_string(),
            str_of(new, "$ref").unwrap_or_default().to_string(),
            flow,
        );
        if !key.0.is_empty() && !key.1.is_empty() {
            // Compare a pair of named schemas once per flow; their own places
            // name the changes of every use.
            if !self.seen.insert(key) {
                return;
            }
        }
        let (o, n) = (deref(self.old_doc, old), deref(self.new_doc, new));
        let (old_shape, new_shape) = (shape(self.old_doc, o), shape(self.new_doc, n));
        if old_shape != new_shape {
            self.push(
                Class::Breaking,
                Kind::TypeChanged,
                at,
                format!("type changed from {old_shape} to {new_shape}"),
            );
            return;
        }
        let (old_format, new_format) = (str_of(o, "format"), str_of(n, "format"));
        if old_format != new_format {
            self.push(
                Class::Breaking,
                Kind::FormatChanged,
                at,
                format!(
                    "format changed from {} to {}",
                    old_format.unwrap_or("(none)"),
                    new_format.unwrap_or("(none)")
                ),
            );
        }
        let (old_scalar, new_scalar) = (str_of(o, "x-hwc-scalar"), str_of(n, "x-hwc-scalar"));
        if old_scalar != new_scalar {
            // The wire type is the schema's; x-hwc-scalar says how tolerantly
            // a client reads it. Reading a response more tolerantly is
            // compatible, less tolerantly is not; a request value keeps its
            // wire form either way. Trading one kind for another changes the
            // value's meaning.
            let class = match (flow, old_scalar, new_scalar) {
                (_, Some(_), Some(_)) => Class::Breaking,
                (Flow::Response, Some(_), None) => Class::Breaking,
                _ => Class::Compatible,
            };
            self.push(
                class,
                Kind::TypeChanged,
                at,
                format!(
                    "x-hwc-scalar changed from {} to {}",
                    old_scalar.unwrap_or("(none)"),
                    new_scalar.unwrap_or("(none)")
                ),
            );
        }
        match (flow, flag(o, "nullable"), flag(n, "nullable")) {
            (Flow::Response, false, true) => self.push(
                Class::Breaking,
                Kind::NullabilityChanged,
                at,
                "may now be null",
            ),
            (Flow::Request, true, false) => self.push(
                Class::Breaking,
                Kind::NullabilityChanged,
                at,
                "no longer accepts null",
            ),
            (_, a, b) if a != b => self.push(
                Class::Compatible,
                Kind::NullabilityChanged,
                at,
                if b { "accepts null" } else { "is never null" },
            ),
            _ => {}
        }
        self.values(at, o, n, flow, "enum", false);
        self.values(at, o, n, flow, "x-hwc-open-enum", true);
        if flow == Flow::Request {
            self.constraints(at, o, n);
        }
        self.properties(at, o, n, flow);
        if let (Some(a), Some(b)) = (o.get("items"), n.get("items")) {
            self.schema(&format!("{at}[]"), a, b, flow);
        }
        for keyword in ["oneOf", "anyOf", "allOf"] {
            if let (Some(a), Some(b)) = (
                o.get(keyword).and_then(Value::as_array),
                n.get(keyword).and_then(Value::as_array),
            ) {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    self.schema(&format!("{at} ({keyword} {i})"), x, y, flow);
                }
            }
        }
    }

    /// Enum values (closed or open) gained or lost.
    fn values(&mut self, at: &str, o: &Value, n: &Value, flow: Flow, key: &str, open: bool) {
        if o.get(key).is_none() && n.get(key).is_none() {
            return;
        }
        let (a, b) = (strings(o.get(key)), strings(n.get(key)));
        let list = if open { "open list" } else { "enum" };
        if o.get(key).is_none() || n.get(key).is_none() {
            // An enum appearing restricts what is sent or received; one
            // disappearing lifts the restriction.
            let (class, what) = match (flow, n.get(key).is_some(), open) {
                (_, _, true) => (Class::Compatible, format!("{list} added or removed")),
                (Flow::Request, true, false) => {
                    (Class::Breaking, "now restricted to an enum".to_string())
                }
                (Flow::Response, false, false) => (
                    Class::Breaking,
                    "no longer restricted to an enum".to_string(),
                ),
                _ => (Class::Compatible, format!("{list} added or removed")),
            };
            self.push(class, Kind::TypeChanged, at, what);
            return;
        }
        let removed: Vec<&String> = a.iter().filter(|v| !b.contains(v)).collect();
        let added: Vec<&String> = b.iter().filter(|v| !a.contains(v)).collect();
        if !removed.is_empty() {
            let (class, note) = match (flow, open) {
                (Flow::Request, _) => (Class::Breaking, ""),
                (Flow::Response, true) => (Class::Compatible, " (still decodes, as unknown)"),
                (Flow::Response, false) => (Class::Compatible, ""),
            };
            self.push(
                class,
                Kind::EnumValueRemoved,
                at,
                format!("{list} value(s) removed: {}{note}", quoted(&removed)),
            );
        }
        if !added.is_empty() {
            let (class, note) = match (flow, open) {
                (Flow::Response, false) => (Class::Breaking, " (a client cannot decode it)"),
                _ => (Class::Compatible, ""),
            };
            self.push(
                class,
                Kind::EnumValueAdded,
                at,
                format!("{list} value(s) added: {}{note}", quoted(&added)),
            );
        }
    }

    /// Request constraints: tighter breaks callers, looser does not.
    fn constraints(&mut self, at: &str, o: &Value, n: &Value) {
        // (keyword, true when a larger value is tighter)
        for (key, larger_is_tighter) in [
            ("minimum", true),
            ("maximum", false),
            ("exclusiveMinimum", true),
            ("exclusiveMaximum", true),
            ("minLength", true),
            ("maxLength", false),
            ("minItems", true),
            ("maxItems", false),
        ] {
            let number = |v: &Value| -> Option<f64> {
                match v.get(key)? {
                    Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
                    other => other.as_f64(),
                }
            };
            let (a, b) = (number(o), number(n));
            let tighter = match (a, b) {
                (None, None) => continue,
                (Some(x), Some(y)) if x == y => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => (y > x) == larger_is_tighter,
            };
            let show = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or("(none)".into());
            let what = format!("{key} changed from {} to {}", show(a), show(b));
            if tighter {
                self.push(Class::Breaking, Kind::ConstraintTightened, at, what);
            } else {
                self.push(Class::Compatible, Kind::ConstraintLoosened, at, what);
            }
        }
        let (a, b) = (str_of(o, "pattern"), str_of(n, "pattern"));
        if a != b {
            let (class, kind) = if b.is_none() {
                (Class::Compatible, Kind::ConstraintLoosened)
            } else {
                (Class::Breaking, Kind::ConstraintTightened)
            };
            self.push(
                class,
                kind,
                at,
                format!(
                    "pattern changed from {} to {}",
                    a.map(|p| format!("`{p}`")).unwrap_or("(none)".into()),
                    b.map(|p| format!("`{p}`")).unwrap_or("(none)".into())
                ),
            );
        }
    }

    fn properties(&mut self, at: &str, o: &'a Value, n: &'a Value, flow: Flow) {
        let a = o
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let b = n
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let (ra, rb) = (strings(o.get("required")), strings(n.get("required")));
        let field = |name: &str| {
            if at.ends_with(" body") {
                format!("{at} field `{name}`")
            } else {
                format!("{at}.{name}")
            }
        };
        for (name, x) in a {
            let here = field(name);
            match b.get(name) {
                None => self.push(
                    Class::Breaking,
                    Kind::FieldRemoved,
                    &here,
                    match flow {
                        Flow::Response => "response field removed",
                        Flow::Request => "request field removed",
                    },
                ),
                Some(y) => {
                    match (flow, ra.contains(name), rb.contains(name)) {
                        (Flow::Response, true, false) => self.push(
                            Class::Breaking,
                            Kind::FieldNoLongerRequired,
                            &here,
                            "may now be absent",
                        ),
                        (Flow::Request, false, true) => self.push(
                            Class::Breaking,
                            Kind::FieldNewlyRequired,
                            &here,
                            "field is now required",
                        ),
                        (_, true, false) => self.push(
                            Class::Compatible,
                            Kind::FieldNoLongerRequired,
                            &here,
                            "field is now optional",
                        ),
                        (_, false, true) => self.push(
                            Class::Compatible,
                            Kind::FieldNewlyRequired,
                            &here,
                            "field is now always present",
                        ),
                        _ => {}
                    }
                    self.schema(&here, x, y, flow);
                }
            }
        }
        for name in b.keys().filter(|k| !a.contains_key(*k)) {
            let here = field(name);
            if flow == Flow::Request && rb.contains(name) {
                self.push(
                    Class::Breaking,
                    Kind::FieldNewlyRequired,
                    &here,
                    "new required request field",
                );
            } else {
                self.push(
                    Class::Compatible,
                    Kind::FieldAdded,
                    &here,
                    match flow {
                        Flow::Response => "response field added",
                        Flow::Request => "optional request field added",
                    },
                );
            }
        }
    }
}

/// The type of a schema as a client sees it: `type`, or the types of its
/// `oneOf`/`anyOf`/`allOf` members, or `any`.
fn shape(doc: &Value, schema: &Value) -> String {
    if let Some(t) = str_of(schema, "type") {
        return t.to_string();
    }
    for keyword in ["oneOf", "anyOf", "allOf"] {
        if let Some(members) = schema.get(keyword).and_then(Value::as_array) {
            let types: Vec<String> = members
                .iter()
                .map(|m| {
                    let m = deref(doc, m);
                    str_of(m, "type")
                        .map(str::to_string)
                        .unwrap_or_else(|| "any".into())
                })
                .collect();
            return format!("{keyword}({})", types.join(" | "));
        }
    }
    if schema.get("properties").is_some() {
        return "object".into();
    }
    "any".into()
}
