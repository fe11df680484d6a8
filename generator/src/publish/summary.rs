//! A readable summary of a checked spec, for snapshot review.
//!
//! A documentation update should show up as a small diff here: operations,
//! parameters with their constraints, responses, and every schema with its
//! fields. Descriptions are left out on purpose (they change often and matter
//! little to a client); everything a client depends on is in. Operations and
//! extensions come from the model; schemas are described from the document.

use std::fmt::Write;

use serde_json::Value;

use crate::checked::Checked;
use crate::error::pointer_join;
use crate::model::Service;
use crate::model::extensions::TaskView;
use crate::spec::walk::deref;

/// Summarises one checked service.
pub fn summarize(checked: &Checked) -> String {
    let doc = &checked.bundle.document;
    let service = &checked.service;
    let mut out = String::new();
    let _ = writeln!(out, "# {} (version {})", service.title, service.version);
    let e = &service.endpoints;
    let _ = writeln!(
        out,
        "endpoint: {} (default region {})",
        e.pattern, e.default_region
    );
    let _ = writeln!(
        out,
        "regions ({}): {}",
        e.regions.len(),
        e.regions.join(" ")
    );
    for (region, url) in &e.exceptions {
        let _ = writeln!(out, "  exception {region}: {url}");
    }
    let _ = writeln!(
        out,
        "region override: HUAWEICLOUD_SDK_REGION_{}_<REGION>",
        e.sdk_service
    );
    let schemes: Vec<&String> = service.security_schemes.iter().collect();
    let _ = writeln!(out, "security schemes: {}", join(&schemes));
    for (label, view) in [
        ("task view", &service.task_view),
        ("scheduled view", &service.scheduled_view),
    ] {
        if let Some(view) = view {
            task_view(&mut out, label, view);
        }
    }

    for op in &service.operations {
        let _ = writeln!(out, "\n## {}: {} {}", op.name, op.method.as_str(), op.path);
        let _ = writeln!(out, "summary: {}", op.summary);
        let _ = writeln!(out, "tags: {}", op.tags.join(", "));
        let retried = if op.idempotent {
            "retried"
        } else {
            "sent once"
        };
        let _ = writeln!(out, "idempotent: {} ({retried})", op.idempotent);
        if let Some(p) = &op.paging {
            let _ = writeln!(out, "paging: {}", paging_line(p));
        }
        let _ = writeln!(out, "parameters:");
        let raw = doc.pointer(&op.pointer).unwrap_or(&Value::Null);
        for (i, p) in raw
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = match p.get("$ref").and_then(Value::as_str) {
                Some(r) => r.trim_start_matches('#').to_string(),
                None => format!("{}/parameters/{i}", op.pointer),
            };
            let p = deref(doc, p);
            let required = if p.get("required").and_then(Value::as_bool) == Some(true) {
                "required"
            } else {
                "optional"
            };
            let schema = p
                .get("schema")
                .map(|s| describe(service, doc, s, &format!("{at}/schema")))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<6} {:<12} {required}: {schema}",
                str_at(p, "/in"),
                str_at(p, "/name")
            );
        }
        let _ = writeln!(out, "responses:");
        if let Some(Value::Object(responses)) = raw.get("responses") {
            for (code, r) in responses {
                let r = deref(doc, r);
                let body = r
                    .pointer("/content/application~1json/schema")
                    .map(|s| describe(service, doc, s, ""))
                    .unwrap_or_else(|| "(no body)".into());
                let headers: Vec<&String> = r
                    .get("headers")
                    .and_then(Value::as_object)
                    .map(|h| h.keys().collect())
                    .unwrap_or_default();
                let _ = writeln!(out, "  {code}: {body}; headers: {}", join(&headers));
            }
        }
    }

    let _ = writeln!(out, "\n## schemas");
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for (name, schema) in schemas {
            let at = pointer_join("/components/schemas", name);
            let _ = writeln!(
                out,
                "{name}: {}",
                describe_shallow(service, doc, schema, &at)
            );
            if let Some(Value::Object(props)) = schema.get("properties") {
                for (prop, s) in props {
                    let p_at = pointer_join(&pointer_join(&at, "properties"), prop);
                    let _ = writeln!(out, "  {prop}: {}", describe(service, doc, s, &p_at));
                }
            }
        }
    }
    out
}

/// One-line description of a schema: a reference names its target.
/// `at` is the schema's pointer (empty where no extension can be).
fn describe(service: &Service, doc: &Value, schema: &Value, at: &str) -> String {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r.rsplit('/').next().unwrap_or(r).to_string(),
        None => describe_shallow(service, doc, schema, at),
    }
}

fn describe_shallow(service: &Service, doc: &Value, schema: &Value, at: &str) -> String {
    let mut parts = Vec::new();
    if let Some(members) = schema.get("oneOf").and_then(Value::as_array) {
        let m: Vec<String> = members
            .iter()
            .enumerate()
            .map(|(i, s)| describe(service, doc, s, &format!("{at}/oneOf/{i}")))
            .collect();
        parts.push(format!("oneOf({})", m.join(" | ")));
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        match (t, schema.get("items")) {
            ("array", Some(items)) => parts.push(format!(
                "array of {}",
                describe(service, doc, items, &pointer_join(at, "items"))
            )),
            _ => parts.push(t.to_string()),
        }
    }
    if let Some(f) = schema.get("format").and_then(Value::as_str) {
        parts.push(f.to_string());
    }
    let min = schema.get("minimum").map(Value::to_string);
    let max = schema.get("maximum").map(Value::to_string);
    match (min, max) {
        (Some(a), Some(b)) => parts.push(format!("{a}..={b}")),
        (Some(a), None) => parts.push(format!(">= {a}")),
        (None, Some(b)) => parts.push(format!("<= {b}")),
        _ => {}
    }
    for key in ["minLength", "maxLength"] {
        if let Some(v) = schema.get(key) {
            parts.push(format!("{key} {v}"));
        }
    }
    if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
        parts.push(format!("pattern {p}"));
    }
    if let Some(values) = schema.get("enum") {
        parts.push(format!("enum {values}"));
    }
    let component = at.strip_prefix("/components/schemas/").unwrap_or_default();
    if let Some(list) = service.open_enum(component) {
        let values = serde_json::to_string(&list.values).unwrap_or_default();
        parts.push(format!("open enum {values}"));
    }
    if let Some(s) = service.scalar_at(at) {
        parts.push(format!("scalar {}", s.spec_name()));
    }
    if let Some(d) = schema.get("default") {
        parts.push(format!("default {d}"));
    }
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        parts.push("nullable".into());
    }
    parts.join(", ")
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn join(items: &[&String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One line on how an operation pages.
fn paging_line(p: &crate::model::Paging) -> String {
    use crate::model::{NextMarker, PagingStyle};
    let total = match &p.total {
        Some(t) => t.path.dotted(),
        None => "none".to_string(),
    };
    let walk = match &p.style {
        PagingStyle::Offset { param, first } => format!(
            "{param}/{} over {} (total {total}), first {first}",
            p.limit, p.items
        ),
        PagingStyle::PageNumber { param, first } => {
            format!(
                "page {param}/{} over {} (total {total}), first page {first}",
                p.limit, p.items
            )
        }
        PagingStyle::Marker { param, next } => {
            let next = match next {
                NextMarker::Field(path) => path.dotted(),
                NextMarker::LastItem(field) => format!("last item's {field}"),
            };
            format!(
                "marker {param} from {next}, {} over {} (total {total})",
                p.limit, p.items
            )
        }
    };
    format!("{walk}, page size <= {}", p.max_page_size)
}

/// One task view's lines: its operations, window, fields and statuses.
fn task_view(out: &mut String, label: &str, view: &TaskView) {
    let roles = [
        ("list-project", &view.list_project),
        ("list-instance", &view.list_instance),
        ("show", &view.show),
        ("delete", &view.delete),
        ("progress", &view.progress),
        ("job", &view.job),
    ];
    let ops: Vec<String> = roles
        .iter()
        .filter_map(|(role, op)| op.as_ref().map(|op| format!("{role} {op}")))
        .collect();
    let _ = writeln!(out, "{label}: {}", ops.join(", "));
    if let Some(w) = &view.window {
        let format = serde_json::to_value(w.format).unwrap_or_default();
        let _ = writeln!(
            out,
            "  window: {} .. {} ({})",
            w.since,
            w.until,
            format.as_str().unwrap_or_default()
        );
    }
    let f = &view.fields;
    let optional = [
        ("name", &f.name),
        ("created", &f.created_at),
        ("updated", &f.updated_at),
        ("user", &f.user_name),
        ("error", &f.error),
        ("job", &f.job_id),
        ("instance", &f.instance_id),
        ("progress", &f.progress),
        ("scheduled", &f.scheduled_at),
    ];
    let mut fields = vec![format!("id {}", f.id), format!("status {}", f.status)];
    fields.extend(
        optional
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}"))),
    );
    let _ = writeln!(out, "  fields: {}", fields.join(", "));
    let st = &view.statuses;
    for (meaning, values) in [
        ("pending", &st.pending),
        ("running", &st.running),
        ("succeeded", &st.succeeded),
        ("failed", &st.failed),
        ("cancelled", &st.cancelled),
    ] {
        if !values.is_empty() {
            let _ = writeln!(out, "  {meaning}: {}", values.join(" "));
        }
    }
}
