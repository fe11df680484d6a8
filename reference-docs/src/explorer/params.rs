//! A definition's parameters as the page model's: the path item's and the
//! operation's lists (the operation's win), `#/parameters/...` references
//! followed, and the body parameter's schema spread into one body parameter
//! per top-level field, as a page's request body table lists them.

use serde_json::Value;

use super::Json;
use super::schema::{bounds, text, value_text};
use crate::DocError;
use crate::describe;
use crate::page::{Field, PageType, ParamLocation, Parameter};

/// Headers the client sets itself on every call: authentication, and the
/// media type of a body (CCE's definitions list `Content-Type` even on a
/// GET). They are no parameter of the operation. Header names are compared
/// as HTTP compares them, without case (definitions write `X-Auth-Token`
/// and `x-auth-token`).
const TRANSPORT: [&str; 2] = ["X-Auth-Token", "Content-Type"];

impl<'a> Json<'a> {
    /// Every parameter of the operation at `op_at`, in the definition's
    /// order (the path item's first).
    pub(super) fn parameters(
        &self,
        path_item: &'a Value,
        item_at: &str,
        op: &'a Value,
        op_at: &str,
    ) -> Result<Vec<Parameter>, DocError> {
        let mut items: Vec<(&'a Value, String)> = Vec::new();
        for (owner, at) in [(path_item, item_at), (op, op_at)] {
            match owner.get("parameters") {
                None | Some(Value::Null) => {}
                Some(Value::Array(list)) => {
                    for (i, item) in list.iter().enumerate() {
                        items.push((item, format!("{at}/parameters/{i}")));
                    }
                }
                Some(_) => {
                    return Err(self.error(
                        &format!("{at}/parameters"),
                        "expected `parameters` to be a list",
                    ));
                }
            }
        }
        let mut out: Vec<Parameter> = Vec::new();
        for (item, at) in items {
            let (p, at) = self.parameter_item(item, &at)?;
            for param in self.parameter(p, &at)? {
                out.retain(|o| !(o.name == param.name && o.location == param.location));
                out.push(param);
            }
        }
        Ok(out)
    }

    /// A parameter item with a `#/parameters/...` reference followed.
    fn parameter_item(&self, item: &'a Value, at: &str) -> Result<(&'a Value, String), DocError> {
        let mut current = item;
        let mut here = at.to_string();
        for _ in 0..16 {
            let Some(r) = current.get("$ref") else {
                if !current.is_object() {
                    return Err(self.error(&here, "expected a parameter (a JSON object)"));
                }
                return Ok((current, here));
            };
            let target = r
                .as_str()
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| self.doc.pointer(p).map(|t| (t, p)));
            let Some((target, pointer)) = target else {
                return Err(self.error(
                    &here,
                    format!(
                        "`{}` refers to no parameter the definition has",
                        value_text(r)
                    ),
                ));
            };
            current = target;
            here = pointer.to_string();
        }
        Err(self.error(at, "the parameter's `$ref`s lead back to themselves"))
    }

    /// One parameter item: a path, query or header parameter, or the
    /// request body's fields.
    fn parameter(&self, p: &'a Value, at: &str) -> Result<Vec<Parameter>, DocError> {
        let Some(name) = text(p, "name") else {
            return Err(self.error(at, "expected the parameter's `name`"));
        };
        let location = match p.get("in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("body" | "formData") => ParamLocation::Body,
            _ => {
                return Err(self.error(
                    at,
                    format!(
                        "expected `in` of `{name}` to be path, query, header, body or formData"
                    ),
                ));
            }
        };
        if location == ParamLocation::Header
            && TRANSPORT.iter().any(|a| a.eq_ignore_ascii_case(&name))
        {
            return Ok(Vec::new());
        }
        let required = p.get("required").and_then(Value::as_bool);
        let required = Some(required.unwrap_or(location == ParamLocation::Path));
        if let Some(schema) = p.get("schema") {
            let at = format!("{at}/schema");
            let mut stack = Vec::new();
            if let Some(fields) = self.object_fields(schema, &at, &mut stack)? {
                let r = self.resolve(schema, &at)?;
                let listed = |f: &str| {
                    r.schema
                        .get("required")
                        .and_then(Value::as_array)
                        .is_some_and(|l| l.iter().any(|v| v.as_str() == Some(f)))
                };
                return Ok(fields
                    .into_iter()
                    .map(|f| {
                        let property = r
                            .schema
                            .get("properties")
                            .and_then(|m| m.get(&f.name))
                            .and_then(|s| self.resolve(s, &r.at).ok())
                            .map_or(&Value::Null, |s| s.schema);
                        let required = Some(listed(&f.name));
                        from_field(f, ParamLocation::Body, required, property)
                    })
                    .collect());
            }
            let field = self.field(&name, schema, &at, &mut stack, 0)?;
            let resolved = self.resolve(schema, &at)?;
            return Ok(vec![from_field(field, location, required, resolved.schema)]);
        }
        let mut stack = Vec::new();
        let field = self.field(&name, p, at, &mut stack, 0)?;
        Ok(vec![from_field(field, location, required, p)])
    }
}

/// A field as a parameter, with the constraints its schema states (else
/// those its description states, as a page's are read).
fn from_field(
    field: Field,
    location: ParamLocation,
    required: Option<bool>,
    schema: &Value,
) -> Parameter {
    let json = match &field.ty {
        PageType::Scalar { json } => json.as_str(),
        _ => "",
    };
    let mut b = bounds(schema, json);
    if b.is_empty() {
        b = describe::bounds(&field.description);
    }
    let default = schema
        .get("default")
        .filter(|v| !v.is_null())
        .map(value_text)
        .or_else(|| describe::default_value(&field.description));
    let mut enumeration: Vec<String> = schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter(|v| !v.is_null()).map(value_text).collect())
        .unwrap_or_default();
    if enumeration.is_empty() {
        enumeration = describe::enumeration(&field.description);
    }
    Parameter {
        name: field.name,
        location,
        required,
        ty: field.ty,
        type_text: field.type_text,
        description: field.description,
        bounds: b,
        default,
        enumeration,
        pattern: schema
            .get("pattern")
            .and_then(Value::as_str)
            .map(str::to_string),
        children: field.children,
        line: field.line,
    }
}
