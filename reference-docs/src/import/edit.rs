//! Re-importing an operation the spec has: each difference `doc diff`
//! finds and the spec does not acknowledge becomes one edit of the lines it
//! concerns. A parameter is rewritten from the page but keeps the
//! maintainer's description, example, pattern and `x-hwc-` keys; a field is
//! added, removed or retyped where it is written; a status is added or
//! removed. What cannot be applied in place (a piece in a shared file, an
//! example) is left and reported.

use std::collections::BTreeMap;

use serde_json::Value;

use super::build;
use super::shared::Shared;
use super::text::{Span, Text};
use super::{ImportError, Report, Request};
use crate::diff::{Finding, Kind};
use crate::page::{Children, Field, Page, ParamLocation, Parameter};
use generator::error::pointer_join;
use generator::spec::document::Node;

/// Keys of a parameter's schema that the maintainer owns: a re-import
/// keeps them as written (with every `x-hwc-` key).
const KEPT: [&str; 3] = ["example", "pattern", "format"];

/// Constraints a page may leave unstated: the spec's stay when the page
/// says nothing about them.
const SILENT: [&str; 7] = [
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "default",
    "enum",
    "items",
];

/// Applies the page's unacknowledged differences to the operation at
/// `op_pointer`; returns the new text.
pub fn update(
    page: &Page,
    req: &Request,
    shared: &Shared,
    raw: &Value,
    text: &str,
    op_pointer: &str,
    report: &mut Report,
) -> Result<String, ImportError> {
    let checked = generator::load_and_check(&req.spec_dir, "spec")?;
    let diff = crate::diff::diff(page, &checked, Some(&req.module))
        .map_err(|e| ImportError::Argument(e.to_string()))?;
    let file_name = format!("{}.yaml", req.module);
    let ours = |f: &Finding| {
        let p = std::path::Path::new(&f.file);
        p.file_name().is_some_and(|n| n == file_name.as_str())
            && p.parent()
                .and_then(|d| d.file_name())
                .is_none_or(|d| d != "shared")
    };
    let taken = super::component_schemas(raw);
    let ordered = ordered(&report.file, text)?;
    let mut t = Text::new(text);
    let mut deletions: Vec<(Span, String)> = Vec::new();
    let mut inserts: Vec<Insert> = Vec::new();
    let mut rewritten: Vec<String> = Vec::new();
    for f in diff.findings.iter().filter(|f| !f.acknowledged) {
        let line = format!(
            "{} {}: page {}, spec {}",
            f.kind.as_str(),
            f.name,
            f.page.as_deref().unwrap_or("(absent)"),
            f.spec.as_deref().unwrap_or("(absent)")
        );
        if !ours(f) {
            report
                .left
                .push(format!("{line} (in {}, shared: edit it there)", f.file));
            continue;
        }
        match f.kind {
            Kind::ParameterAdded => match page_param(page, &f.name) {
                Some(p) if p.location != ParamLocation::Body => inserts.push((
                    pointer_join(op_pointer, "parameters"),
                    None,
                    build::plain_parameter(p, shared),
                    line,
                )),
                _ => report.left.push(format!(
                    "{line} (a body parameter: edit the request schema)"
                )),
            },
            Kind::ParameterRemoved => match param_item(raw, op_pointer, &f.pointer) {
                Some(item) => match t.find(&item) {
                    Some(Some(span)) => deletions.push((span, line)),
                    _ => report.left.push(format!("{line} (not found in the text)")),
                },
                None => report.left.push(line),
            },
            Kind::ParameterRenamed
            | Kind::ParameterLocation
            | Kind::ParameterType
            | Kind::ParameterRequired
            | Kind::ParameterBounds
            | Kind::ParameterDefault
            | Kind::ParameterEnum => {
                let name = if f.kind == Kind::ParameterRenamed {
                    f.page.clone().unwrap_or_default()
                } else {
                    f.name.clone()
                };
                let (Some(p), Some(old)) = (page_param(page, &name), ordered.pointer(&f.pointer))
                else {
                    report.left.push(line);
                    continue;
                };
                if rewritten.contains(&f.pointer) {
                    report.changes.push(line);
                    continue;
                }
                let new = merge_param(old, build::plain_parameter(p, shared));
                if f.kind == Kind::ParameterRenamed {
                    rename_in_paging(&mut t, raw, op_pointer, &f.name, &name, report);
                }
                match t.find(&f.pointer) {
                    Some(Some(span)) => {
                        let key = f
                            .pointer
                            .rsplit('/')
                            .next()
                            .map(generator::error::pointer_unescape);
                        t.replace(span, key.as_deref(), &new);
                        rewritten.push(f.pointer.clone());
                        report.changes.push(line);
                    }
                    _ => report.left.push(format!("{line} (not found in the text)")),
                }
            }
            Kind::FieldAdded => {
                let Some(field) = page_field(page, &f.name) else {
                    report.left.push(line);
                    continue;
                };
                let (node, schemas) = build::field(&req.operation_id, page, &f.name, field, &taken);
                inserts.push((
                    pointer_join(&f.pointer, "properties"),
                    Some(field.name.clone()),
                    node,
                    line,
                ));
                inserts.extend(new_components(schemas, &taken, &f.name));
            }
            Kind::FieldRemoved if is_property(&f.pointer) => match t.find(&f.pointer) {
                Some(Some(span)) => deletions.push((span, line)),
                _ => report.left.push(format!("{line} (not found in the text)")),
            },
            Kind::FieldRetyped if is_property(&f.pointer) => {
                let (Some(field), Some(old)) =
                    (page_field(page, &f.name), ordered.pointer(&f.pointer))
                else {
                    report.left.push(line);
                    continue;
                };
                let (node, schemas) = build::field(&req.operation_id, page, &f.name, field, &taken);
                let node = merge(old, node, &["description"], &[]);
                match t.find(&f.pointer) {
                    Some(Some(span)) => {
                        t.replace(span, Some(&field.name), &node);
                        report.changes.push(line);
                        inserts.extend(new_components(schemas, &taken, &f.name));
                    }
                    _ => report.left.push(format!("{line} (not found in the text)")),
                }
            }
            Kind::StatusAdded => inserts.push((
                pointer_join(op_pointer, "responses"),
                Some(f.name.clone()),
                build::status_response(page, &f.name, shared),
                line,
            )),
            Kind::StatusRemoved => {
                let at = pointer_join(&pointer_join(op_pointer, "responses"), &f.name);
                match t.find(&at) {
                    Some(Some(span)) => deletions.push((span, line)),
                    _ => report.left.push(format!("{line} (not found in the text)")),
                }
            }
            _ => report.left.push(line),
        }
    }
    deletions.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    for (span, line) in deletions {
        t.delete(span);
        report.changes.push(line);
    }
    for (at, key, node, line) in inserts {
        if t.insert(&at, key.as_deref(), &node) {
            report.changes.push(line);
        } else {
            report
                .left
                .push(format!("{line} (no place to add it at {at})"));
        }
    }
    Ok(t.into_string())
}

/// An insertion: the container's pointer, the key (none for an item), the
/// node, and the line reporting it.
type Insert = (String, Option<String>, Node, String);

/// The component schemas a new field's nested tables need that the spec
/// does not have yet.
fn new_components(
    schemas: Vec<(String, Node)>,
    taken: &BTreeMap<String, Value>,
    field: &str,
) -> Vec<Insert> {
    schemas
        .into_iter()
        .filter(|(name, _)| !taken.contains_key(name))
        .map(|(name, schema)| {
            let line = format!("component schema {name} (for {field})");
            ("/components/schemas".to_string(), Some(name), schema, line)
        })
        .collect()
}

/// Whether a pointer names a property (a field written in place), not a
/// schema a property refers to.
fn is_property(pointer: &str) -> bool {
    pointer
        .rsplit('/')
        .nth(1)
        .is_some_and(|parent| parent == "properties")
}

fn page_param<'a>(page: &'a Page, name: &str) -> Option<&'a Parameter> {
    page.params.iter().find(|p| p.name == name)
}

/// The page field of a dotted name (`tasks[].details.old_capacity`); error
/// statuses' fields (`[400] ...`) are not imported.
fn page_field<'a>(page: &'a Page, name: &str) -> Option<&'a Field> {
    if name.starts_with('[') {
        return None;
    }
    let mut fields: Vec<&Field> = page
        .responses
        .iter()
        .filter(|r| r.status.is_none_or(|s| (200..300).contains(&s)))
        .flat_map(|r| r.fields.iter())
        .collect();
    let parts: Vec<&str> = name.split('.').collect();
    let mut found = None;
    for (i, part) in parts.iter().enumerate() {
        let part = part.trim_end_matches("[]");
        let f = fields.iter().copied().find(|f| f.name == part)?;
        found = Some(f);
        if i + 1 < parts.len() {
            fields = match &f.children {
                Children::Fields(children) => children.iter().collect(),
                _ => return None,
            };
        }
    }
    found
}

/// The item of the operation's `parameters` list standing for a parameter
/// at `pointer` (the item itself, or a `$ref` item naming a component).
fn param_item(raw: &Value, op_pointer: &str, pointer: &str) -> Option<String> {
    let list = pointer_join(op_pointer, "parameters");
    if pointer.starts_with(&format!("{list}/")) {
        return Some(pointer.to_string());
    }
    let items = raw.pointer(&list)?.as_array()?;
    items.iter().enumerate().find_map(|(i, item)| {
        let r = item.get("$ref")?.as_str()?;
        r.ends_with(&format!("#{pointer}"))
            .then(|| format!("{list}/{i}"))
    })
}

/// The page's parameter, with what the maintainer wrote kept: the
/// description, the example, the schema's pattern, example and format,
/// constraints the page does not state, and every `x-hwc-` key; keys in the
/// order the spec had them.
fn merge_param(old: &Node, new: Node) -> Node {
    let Node::Object(pairs) = new else {
        return new;
    };
    let schema = |o: &Node, n: Node| merge(o, n, &KEPT, &SILENT);
    let pairs = pairs
        .into_iter()
        .map(|(k, v)| match (k.as_str(), old.get(&k)) {
            ("schema", Some(o)) => {
                let v = schema(o, v);
                (k, v)
            }
            _ => (k, v),
        })
        .collect();
    merge(old, Node::Object(pairs), &["description", "example"], &[])
}

/// `new` merged over `old`: `old`'s keys first in its order, taking `old`'s
/// value for `kept` and `x-hwc-` keys and for `silent` keys `new` lacks,
/// `new`'s value otherwise (dropping what `new` no longer has), then the
/// keys only `new` has.
fn merge(old: &Node, new: Node, kept: &[&str], silent: &[&str]) -> Node {
    let (Node::Object(old_pairs), Node::Object(mut new_pairs)) = (old, new.clone()) else {
        return new;
    };
    let mut out = Vec::new();
    for (k, ov) in old_pairs {
        let taken = new_pairs
            .iter()
            .position(|(nk, _)| nk == k)
            .map(|i| new_pairs.remove(i).1);
        let value = if kept.contains(&k.as_str()) || k.starts_with("x-hwc-") {
            Some(ov.clone())
        } else {
            match taken {
                Some(v) => Some(v),
                None if silent.contains(&k.as_str()) => Some(ov.clone()),
                None => None,
            }
        };
        if let Some(v) = value {
            out.push((k.clone(), v));
        }
    }
    out.extend(new_pairs);
    Node::Object(out)
}

/// A renamed parameter keeps its role in the operation's paging: the
/// `x-hwc-paging` entry naming it follows the rename.
fn rename_in_paging(
    t: &mut Text,
    raw: &Value,
    op_pointer: &str,
    old: &str,
    new: &str,
    report: &mut Report,
) {
    let paging = pointer_join(op_pointer, "x-hwc-paging");
    let Some(map) = raw.pointer(&paging).and_then(Value::as_object) else {
        return;
    };
    for (key, value) in map {
        if value.as_str() != Some(old) {
            continue;
        }
        let at = pointer_join(&paging, key);
        if let Some(Some(span)) = t.find(&at) {
            t.replace(span, Some(key), &Node::String(new.to_string()));
            report.changes.push(format!(
                "x-hwc-paging {key}: {old} -> {new} (follows the rename)"
            ));
        }
    }
}

/// The spec file as a tree that keeps the key order it was written in.
fn ordered(file: &std::path::Path, text: &str) -> Result<Node, ImportError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        ImportError::Spec(generator::SpecError::new(file, "", format!("invalid YAML: {e}")).into())
    })?;
    Ok(node_of(&value))
}

fn node_of(value: &serde_yaml::Value) -> Node {
    match value {
        serde_yaml::Value::Null => Node::Null,
        serde_yaml::Value::Bool(b) => Node::Bool(*b),
        serde_yaml::Value::Number(n) => serde_json::to_value(n)
            .ok()
            .and_then(|v| v.as_number().cloned())
            .map_or(Node::Null, Node::Number),
        serde_yaml::Value::String(s) => Node::String(s.clone()),
        serde_yaml::Value::Sequence(items) => Node::Array(items.iter().map(node_of).collect()),
        serde_yaml::Value::Mapping(map) => Node::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        serde_yaml::Value::String(s) => s.clone(),
                        other => serde_yaml::to_string(other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    (key, node_of(v))
                })
                .collect(),
        ),
        serde_yaml::Value::Tagged(t) => node_of(&t.value),
    }
}
