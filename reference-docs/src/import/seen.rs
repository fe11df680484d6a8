//! What a page's examples actually send, field by field: the evidence an
//! import uses to make a field nullable, or tolerant of a type its table does
//! not declare.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::page::{Children, Field};

/// The JSON types each field's values have in the page's examples, by the
/// field's dotted name (`tasks[].details.old_capacity`).
#[derive(Debug, Default)]
pub struct Seen(BTreeMap<String, BTreeSet<&'static str>>);

impl Seen {
    pub fn observe(&mut self, fields: &[Field], value: &Value, prefix: &str) {
        let Some(map) = value.as_object() else {
            return;
        };
        for f in fields {
            let Some(v) = map.get(&f.name) else {
                continue;
            };
            let name = format!("{prefix}{}", f.name);
            let kind = json_kind(v);
            self.0.entry(name.clone()).or_default().insert(kind);
            if let Children::Fields(children) = &f.children {
                match v {
                    Value::Array(items) => {
                        for item in items {
                            self.observe(children, item, &format!("{name}[]."));
                        }
                    }
                    other => self.observe(children, other, &format!("{name}.")),
                }
            } else if let Value::Array(items) = v {
                for item in items {
                    self.0
                        .entry(format!("{name}[]"))
                        .or_default()
                        .insert(json_kind(item));
                }
            }
        }
    }

    pub fn kinds(&self, name: &str) -> BTreeSet<&'static str> {
        self.0.get(name).cloned().unwrap_or_default()
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether an example value of `kind` fits a declared scalar type.
pub fn fits(declared: &str, kind: &str) -> bool {
    kind == "null" || kind == declared || (declared == "number" && kind == "integer")
}
