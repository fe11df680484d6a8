//! A readable summary of a checked spec, for snapshot review.
//!
//! A documentation update should show up as a small diff here: operations,
//! parameters with their constraints, responses, and every schema with its
//! fields. Descriptions are left out on purpose (they change often and matter
//! little to a client); everything a client depends on is in. Everything
//! comes from the model: operations, parameters and responses with their
//! schemas, the component schemas, and what the extensions say. Names are
//! listed sorted (responses by status, schemas and fields by name), so a spec
//! that only reorders what it writes leaves the summary as it was.

use std::fmt::Write;

use serde_json::Value;

use crate::checked::Checked;
use crate::model::extensions::TaskView;
use crate::model::{Schema, Service};

/// Summarises one checked service.
pub fn summarize(checked: &Checked) -> String {
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
    let schemes = sorted(service.security_schemes.iter().map(|s| &s.name));
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
        for p in &op.params {
            let required = if p.required { "required" } else { "optional" };
            let _ = writeln!(
                out,
                "  {:<6} {:<12} {required}: {}",
                p.location.as_str(),
                p.name,
                describe(service, &p.schema)
            );
        }
        let _ = writeln!(out, "responses:");
        let mut responses: Vec<_> = op.responses.iter().collect();
        responses.sort_by(|a, b| a.status.cmp(&b.status));
        for r in responses {
            let body = r
                .body
                .as_ref()
                .map(|s| describe(service, s))
                .unwrap_or_else(|| "(no body)".into());
            let headers = sorted(r.headers.iter().map(|h| &h.name));
            let _ = writeln!(out, "  {}: {body}; headers: {}", r.status, join(&headers));
        }
    }

    let _ = writeln!(out, "\n## schemas");
    let mut schemas: Vec<_> = service.schemas.iter().collect();
    schemas.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, schema) in schemas {
        let _ = writeln!(out, "{name}: {}", describe_shallow(service, schema));
        let mut properties: Vec<_> = schema.properties.iter().collect();
        properties.sort_by(|a, b| a.0.cmp(&b.0));
        for (prop, s) in properties {
            let _ = writeln!(out, "  {prop}: {}", describe(service, s));
        }
    }
    out
}

/// The names, sorted.
fn sorted<'a>(names: impl Iterator<Item = &'a String>) -> Vec<&'a String> {
    let mut names: Vec<&String> = names.collect();
    names.sort();
    names
}

/// One-line description of a schema: a reference names its target.
fn describe(service: &Service, schema: &Schema) -> String {
    match &schema.reference {
        Some(name) => name.clone(),
        None => describe_shallow(service, schema),
    }
}

fn describe_shallow(service: &Service, schema: &Schema) -> String {
    let mut parts = Vec::new();
    if !schema.one_of_members().is_empty() {
        let m: Vec<String> = schema
            .one_of_members()
            .iter()
            .map(|s| describe(service, s))
            .collect();
        parts.push(format!("oneOf({})", m.join(" | ")));
    }
    if let Some(t) = &schema.json_type {
        match (t.as_str(), &schema.items) {
            ("array", Some(items)) => parts.push(format!("array of {}", describe(service, items))),
            _ => parts.push(t.clone()),
        }
    }
    if let Some(f) = &schema.format {
        parts.push(f.clone());
    }
    match (&schema.minimum, &schema.maximum) {
        (Some(a), Some(b)) => parts.push(format!("{a}..={b}")),
        (Some(a), None) => parts.push(format!(">= {a}")),
        (None, Some(b)) => parts.push(format!("<= {b}")),
        _ => {}
    }
    for (key, value) in [
        ("minLength", schema.min_length),
        ("maxLength", schema.max_length),
    ] {
        if let Some(v) = value {
            parts.push(format!("{key} {v}"));
        }
    }
    if let Some(p) = &schema.pattern {
        parts.push(format!("pattern {p}"));
    }
    if let Some(values) = &schema.values {
        parts.push(format!("enum {}", Value::Array(values.clone())));
    }
    let component = schema
        .pointer
        .strip_prefix("/components/schemas/")
        .unwrap_or_default();
    if let Some(list) = service.open_enum(component) {
        let values = serde_json::to_string(&list.values).unwrap_or_default();
        parts.push(format!("open enum {values}"));
    }
    if let Some(s) = service.scalar_at(&schema.pointer) {
        parts.push(format!("scalar {}", s.spec_name()));
    }
    if let Some(d) = &schema.default {
        parts.push(format!("default {d}"));
    }
    if schema.nullable {
        parts.push("nullable".into());
    }
    parts.join(", ")
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
