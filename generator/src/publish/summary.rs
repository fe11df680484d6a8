//! A readable summary of a bundled spec, for snapshot review.
//!
//! A documentation update should show up as a small diff here: operations,
//! parameters with their constraints, responses, and every schema with its
//! fields. Descriptions are left out on purpose (they change often and matter
//! little to a client); everything a client depends on is in.

use std::fmt::Write;

use serde_json::Value;

use crate::rules::extensions::{endpoints_of, paging_of};
use crate::spec::bundle::Bundle;
use crate::spec::walk::deref;
use crate::spec::walk::{OperationAt, operations};

/// Summarises one bundled, checked document.
pub fn summarize(bundle: &Bundle) -> String {
    let doc = &bundle.document;
    let mut out = String::new();
    let title = str_at(doc, "/info/title");
    let version = str_at(doc, "/info/version");
    let _ = writeln!(out, "# {title} (version {version})");
    if let Ok(e) = endpoints_of(doc) {
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
    }
    let schemes: Vec<&String> = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    let _ = writeln!(out, "security schemes: {}", join(&schemes));

    for OperationAt {
        method, path, op, ..
    } in operations(doc)
    {
        let _ = writeln!(
            out,
            "\n## {}: {method} {path}",
            op.get("operationId").and_then(Value::as_str).unwrap_or("?")
        );
        let tags: Vec<&str> = op
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| t.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let _ = writeln!(out, "summary: {}", str_at(op, "/summary"));
        let _ = writeln!(out, "tags: {}", tags.join(", "));
        if let Ok(Some(p)) = paging_of(op) {
            let _ = writeln!(
                out,
                "paging: {}/{} over {} (total {}), first {}, page size <= {}",
                p.offset, p.limit, p.items, p.total, p.first_offset, p.max_page_size
            );
        }
        let _ = writeln!(out, "parameters:");
        for p in op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let p = deref(doc, p);
            let required = if p.get("required").and_then(Value::as_bool) == Some(true) {
                "required"
            } else {
                "optional"
            };
            let schema = p
                .get("schema")
                .map(|s| describe(doc, s))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<6} {:<12} {required}: {schema}",
                str_at(p, "/in"),
                str_at(p, "/name")
            );
        }
        let _ = writeln!(out, "responses:");
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (code, r) in responses {
                let r = deref(doc, r);
                let body = r
                    .pointer("/content/application~1json/schema")
                    .map(|s| describe(doc, s))
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
            let _ = writeln!(out, "{name}: {}", describe_shallow(doc, schema));
            if let Some(Value::Object(props)) = schema.get("properties") {
                for (prop, s) in props {
                    let _ = writeln!(out, "  {prop}: {}", describe(doc, s));
                }
            }
        }
    }
    out
}

/// One-line description of a schema: a reference names its target.
fn describe(doc: &Value, schema: &Value) -> String {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r.rsplit('/').next().unwrap_or(r).to_string(),
        None => describe_shallow(doc, schema),
    }
}

fn describe_shallow(doc: &Value, schema: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(members) = schema.get("oneOf").and_then(Value::as_array) {
        let m: Vec<String> = members.iter().map(|s| describe(doc, s)).collect();
        parts.push(format!("oneOf({})", m.join(" | ")));
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        match (t, schema.get("items")) {
            ("array", Some(items)) => parts.push(format!("array of {}", describe(doc, items))),
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
    if let Some(values) = schema.get("x-hwc-open-enum") {
        parts.push(format!("open enum {values}"));
    }
    if let Some(s) = schema.get("x-hwc-scalar").and_then(Value::as_str) {
        parts.push(format!("scalar {s}"));
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
