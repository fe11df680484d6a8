//! A definition's schemas as the page model's fields: `$ref`s into
//! `definitions` followed (a chain that loops is an error, an object that
//! contains itself is undescribed at the second visit), types in the words a
//! page writes them (`Long`, `Array of DetailsBody objects`), nested objects
//! as the fields of the table they would be on a page.

use serde_json::Value;

use super::Json;
use crate::DocError;
use crate::page::{Bounds, Children, Field, PageType};

/// How deep nested objects are read before they are left undescribed.
const MAX_DEPTH: usize = 32;

/// A schema with its `$ref`s followed: the schema, where it is, and the name
/// of the last definition a reference named.
pub(super) struct Resolved<'a> {
    pub schema: &'a Value,
    pub at: String,
    pub name: Option<String>,
}

impl<'a> Json<'a> {
    /// Follows `$ref`s from the schema at `at`; a reference that leads
    /// nowhere or back to itself is an error naming both places.
    pub(super) fn resolve(&self, schema: &'a Value, at: &str) -> Result<Resolved<'a>, DocError> {
        let mut current = schema;
        let mut here = at.to_string();
        let mut name = None;
        let mut seen: Vec<String> = Vec::new();
        while let Some(r) = current.get("$ref") {
            let Some(r) = r.as_str() else {
                return Err(self.error(&here, "expected `$ref` to be a string"));
            };
            let Some(pointer) = r.strip_prefix('#') else {
                return Err(self.error(
                    &here,
                    format!(
                        "expected a reference inside the file (`#/definitions/...`), found `{r}`"
                    ),
                ));
            };
            if seen.iter().any(|s| s == pointer) {
                return Err(self.error(&here, format!("`{r}` refers back to itself")));
            }
            seen.push(pointer.to_string());
            let Some(target) = self.doc.pointer(pointer) else {
                return Err(
                    self.error(&here, format!("`{r}` refers to nothing the definition has"))
                );
            };
            if let Some(n) = pointer.strip_prefix("/definitions/") {
                name = Some(generator::error::pointer_unescape(n));
            }
            current = target;
            here = pointer.to_string();
        }
        if !current.is_object() {
            return Err(self.error(&here, "expected a schema (a JSON object)"));
        }
        Ok(Resolved {
            schema: current,
            at: here,
            name,
        })
    }

    /// The fields of an object schema (of an array's items, for an array),
    /// or `None` when the schema describes no object.
    pub(super) fn object_fields(
        &self,
        schema: &'a Value,
        at: &str,
        stack: &mut Vec<String>,
    ) -> Result<Option<Vec<Field>>, DocError> {
        let r = self.resolve(schema, at)?;
        if r.schema.get("type").and_then(Value::as_str) == Some("array") {
            return match r.schema.get("items") {
                Some(items) => self.object_fields(items, &format!("{}/items", r.at), stack),
                None => Ok(None),
            };
        }
        if !is_object(r.schema) {
            return Ok(None);
        }
        let pushed = r.name.clone().filter(|n| !stack.contains(n));
        if let Some(n) = &pushed {
            stack.push(n.clone());
        }
        let fields = self.properties(r.schema, &r.at, stack, 0);
        if pushed.is_some() {
            stack.pop();
        }
        fields.map(Some)
    }

    /// The properties of an object schema (and of its `allOf` members), in
    /// the order the definition writes them.
    fn properties(
        &self,
        schema: &'a Value,
        at: &str,
        stack: &mut Vec<String>,
        depth: usize,
    ) -> Result<Vec<Field>, DocError> {
        let mut out: Vec<Field> = Vec::new();
        if let Some(members) = schema.get("allOf") {
            let Some(members) = members.as_array() else {
                return Err(self.error(at, "expected `allOf` to be a list of schemas"));
            };
            for (i, m) in members.iter().enumerate() {
                let r = self.resolve(m, &format!("{at}/allOf/{i}"))?;
                for f in self.properties(r.schema, &r.at, stack, depth)? {
                    if !out.iter().any(|o| o.name == f.name) {
                        out.push(f);
                    }
                }
            }
        }
        match schema.get("properties") {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (name, property) in map {
                    let here = format!("{at}/properties/{}", generator::error::pointer_token(name));
                    let f = self.field(name, property, &here, stack, depth)?;
                    out.retain(|o| o.name != f.name);
                    out.push(f);
                }
            }
            Some(_) => return Err(self.error(at, "expected `properties` to be an object")),
        }
        Ok(out)
    }

    /// One property as a field.
    pub(super) fn field(
        &self,
        name: &str,
        schema: &'a Value,
        at: &str,
        stack: &mut Vec<String>,
        depth: usize,
    ) -> Result<Field, DocError> {
        let (ty, type_text, children) = self.typed(schema, at, stack, depth)?;
        let description = match text(schema, "description") {
            Some(d) => d,
            None => {
                let r = self.resolve(schema, at)?;
                text(r.schema, "description").unwrap_or_default()
            }
        };
        Ok(Field {
            name: name.to_string(),
            ty,
            type_text,
            description,
            children,
            line: 1,
        })
    }

    /// A schema's type as a page would write it, and the fields of its
    /// object (or of its array's objects).
    pub(super) fn typed(
        &self,
        schema: &'a Value,
        at: &str,
        stack: &mut Vec<String>,
        depth: usize,
    ) -> Result<(PageType, String, Children), DocError> {
        let r = self.resolve(schema, at)?;
        let s = r.schema;
        let declared = s.get("type").and_then(Value::as_str);
        if declared == Some("array") {
            let (items, items_text, children) = match s.get("items") {
                Some(items) => self.typed(items, &format!("{}/items", r.at), stack, depth)?,
                None => (
                    PageType::Object { table: None },
                    "Object".into(),
                    Children::None,
                ),
            };
            let text = match &items {
                PageType::Object { table: Some(t) } => format!("Array of {t} objects"),
                PageType::Object { table: None } => "Array of objects".into(),
                PageType::Scalar { .. } => format!("Array of {}s", items_text),
                PageType::Array { .. } => "Array of arrays".into(),
            };
            let ty = PageType::Array {
                items: Box::new(items),
            };
            return Ok((ty, text, children));
        }
        if is_object(s) {
            let table = r.name.clone();
            let text = match &table {
                Some(t) => format!("{t} object"),
                None => "Object".into(),
            };
            let children = if s.get("properties").is_none() && s.get("allOf").is_none() {
                Children::None
            } else if depth >= MAX_DEPTH {
                Children::Undescribed("nesting too deep".into())
            } else if let Some(t) = table.as_ref().filter(|t| stack.contains(t)) {
                Children::Undescribed(format!("{t} (it contains itself)"))
            } else {
                if let Some(t) = &table {
                    stack.push(t.clone());
                }
                let fields = self.properties(s, &r.at, stack, depth + 1);
                if table.is_some() {
                    stack.pop();
                }
                Children::Fields(fields?)
            };
            return Ok((PageType::Object { table }, text, children));
        }
        let format = s.get("format").and_then(Value::as_str).unwrap_or("");
        let (json, text) = match (declared.unwrap_or("string"), format) {
            ("integer", "int64") => ("integer", "Long"),
            ("integer", _) => ("integer", "Integer"),
            ("number", "float") => ("number", "Float"),
            ("number", "double") => ("number", "Double"),
            ("number", _) => ("number", "Number"),
            ("boolean", _) => ("boolean", "Boolean"),
            ("string" | "file", _) => ("string", "String"),
            (other, _) => {
                return Err(self.error(
                    &r.at,
                    format!(
                        "expected a type (string, integer, number, boolean, array or object), \
                         found `{other}`"
                    ),
                ));
            }
        };
        let ty = PageType::Scalar {
            json: json.to_string(),
        };
        Ok((ty, text.to_string(), Children::None))
    }
}

/// Whether a (resolved) schema describes an object.
fn is_object(s: &Value) -> bool {
    match s.get("type").and_then(Value::as_str) {
        Some("object") => true,
        Some(_) => false,
        None => s.get("properties").is_some() || s.get("allOf").is_some(),
    }
}

/// A string member, trimmed; `None` when absent or empty.
pub(super) fn text(v: &Value, key: &str) -> Option<String> {
    let t = v.get(key)?.as_str()?.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A value as the page model writes it (`10`, `asc`).
pub(super) fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The bounds a schema states: `minimum`/`maximum` for numbers,
/// `minLength`/`maxLength` for strings (whole numbers only).
pub(super) fn bounds(s: &Value, json: &str) -> Bounds {
    let (lo, hi) = if json == "string" {
        ("minLength", "maxLength")
    } else {
        ("minimum", "maximum")
    };
    let whole = |key: &str| {
        let v = s.get(key)?;
        v.as_i64().or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        })
    };
    Bounds {
        min: whole(lo),
        max: whole(hi),
    }
}
