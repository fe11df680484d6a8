//! Status codes and example requests, then the findings the spec's recorded
//! deviations acknowledge, drift for deviations that match nothing, and
//! every pointer located in its file.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Differ, Kind};
use super::{Finding, path_prefix};
use crate::page::{Page, is_error_status};
use generator::error::pointer_join;
use generator::model::Location;
use generator::model::extensions::{DocDeviation, DocDeviations};

impl Differ<'_> {
    pub(super) fn statuses(&mut self, page: &Page) {
        let documented = page.statuses();
        if documented.is_empty() {
            return;
        }
        let mut spec: Vec<String> = self
            .op
            .success
            .statuses
            .iter()
            .map(u16::to_string)
            .collect();
        spec.extend(self.op.error_statuses.iter().cloned());
        let op = self.op.pointer.clone();
        for code in &documented {
            if !spec.contains(code) {
                self.push(Kind::StatusAdded, code, Some(code.clone()), None, &op);
            }
        }
        let lists_errors = page.lists_errors();
        for code in &spec {
            if !documented.contains(code) && (lists_errors || !is_error_status(code)) {
                self.push(Kind::StatusRemoved, code, None, Some(code.clone()), &op);
            }
        }
    }

    pub(super) fn examples(&mut self, page: &Page) {
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
        let success = self.op.success.status().to_string();
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

    pub(super) fn example_fields(
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
    pub(super) fn acknowledge(mut self) -> Vec<Finding> {
        let source = self.source;
        let applies = |d: &DocDeviation, op: &str| {
            d.operation.as_deref().is_none_or(|o| o == op) && d.source.is_none_or(|s| s == source)
        };
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
        // A parameter or field the page no longer has (renamed or removed)
        // is reviewed as such: the deviations recorded on it are not
        // reported again as drift.
        let gone: BTreeSet<(&str, &str)> = self
            .raw
            .iter()
            .filter(|f| !f.acknowledged)
            .filter(|f| {
                matches!(
                    f.kind,
                    Kind::ParameterRemoved | Kind::ParameterRenamed | Kind::FieldRemoved
                )
            })
            .map(|f| (f.anchor.as_str(), f.name.as_str()))
            .collect();
        let mut drift = Vec::new();
        for anchor in &self.visited {
            let Some(object) = self.doc.pointer(anchor) else {
                continue;
            };
            for (i, d) in DocDeviations::on(object).iter().enumerate() {
                let lost = d
                    .name
                    .as_deref()
                    .is_some_and(|n| gone.contains(&(anchor.as_str(), n)));
                if applies(d, &self.op.name) && !used.contains(&(anchor.clone(), i)) && !lost {
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
