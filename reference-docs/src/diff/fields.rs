//! Response fields at any depth: added, removed or retyped, following
//! `$ref`s, arrays and `oneOf`s in the spec.

use serde_json::Value;

use super::{Differ, Kind};
use crate::page::{Children, Field, Page};
use generator::error::pointer_join;
use generator::spec::walk::deref;

impl Differ<'_> {
    /// The response object of a status, `$ref` followed.
    pub(super) fn response(&self, status: &str) -> Option<&Value> {
        let at = pointer_join(&pointer_join(&self.op.pointer, "responses"), status);
        self.doc.pointer(&at).map(|r| deref(self.doc, r))
    }

    pub(super) fn responses(&mut self, page: &Page) {
        let success = self.op.success.status().to_string();
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
                            generator::error::pointer_token(&status)
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
    pub(super) fn resolve(&self, pointer: &str) -> (String, Value) {
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
    pub(super) fn shape(&self, pointer: &str) -> String {
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
    pub(super) fn object_of(&self, pointer: &str) -> Option<String> {
        let (at, schema) = self.resolve(pointer);
        if schema.get("type").and_then(Value::as_str) == Some("array") {
            return self.object_of(&format!("{at}/items"));
        }
        schema.get("properties").map(|_| at)
    }

    pub(super) fn fields(&mut self, fields: &[Field], schema: &str, prefix: &str, label: &str) {
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
        // The error body is one schema every service shares: the union of
        // the spellings the services use (`error_code`/`error_msg`, `code`/
        // `message` nested under `error`...). Against one service's error
        // body, the members it lacks are other services' spellings.
        let union = !label.is_empty();
        for p in properties.into_iter().filter(|_| !union) {
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
    pub(super) fn anchor_of(&self, property: &str) -> String {
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
}
