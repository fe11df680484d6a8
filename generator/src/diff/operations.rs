//! Comparing operations and what a call sends and gets back: parameters,
//! request bodies, response statuses and response headers.
//!
//! Operations are matched by `operationId` (by method and path when there is
//! none), so a moved operation is reported as moved rather than as one removed
//! and one added. Parameters are what a client sends and are judged as
//! requests; headers and bodies of responses as what it receives.

use std::collections::BTreeMap;

use serde_json::Value;

use super::context::{Context, EMPTY, Flow, NULL, flag, resolve, str_of};
use super::report::{Class, Kind};
use crate::spec::walk::METHODS;

/// One operation with the path item it belongs to (for path-level
/// parameters).
struct Op<'a> {
    method: String,
    path: String,
    item: &'a Value,
    op: &'a Value,
}

impl Op<'_> {
    /// `GET /v2/{project_id}/tasks`.
    fn place(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }
}

/// Every operation of a document by `operationId`, or by method and path
/// when it has none.
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

impl<'a> Context<'a> {
    /// Operations removed, moved, added, and the changes inside those kept.
    pub(super) fn operations(&mut self) {
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

    /// The parameters of an operation, path-level ones included, by location
    /// and name.
    fn parameters(doc: &'a Value, op: &Op<'a>) -> BTreeMap<(String, String), &'a Value> {
        let mut out = BTreeMap::new();
        for list in [op.item.get("parameters"), op.op.get("parameters")] {
            for p in list.and_then(Value::as_array).into_iter().flatten() {
                let p = resolve(doc, p);
                let key = (
                    str_of(p, "in").unwrap_or_default().to_string(),
                    str_of(p, "name").unwrap_or_default().to_string(),
                );
                out.insert(key, p);
            }
        }
        out
    }

    /// One operation found in both documents.
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

    /// Request bodies: what the client sends.
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
                let b = resolve(self.new_doc, b);
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
                let (a, b) = (resolve(self.old_doc, a), resolve(self.new_doc, b));
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

    /// Response statuses, their headers and their bodies: what the client
    /// receives.
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
            let (a, b) = (resolve(self.old_doc, a), resolve(self.new_doc, b));
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
                        let (h, g) = (resolve(self.old_doc, h), resolve(self.new_doc, g));
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
}
