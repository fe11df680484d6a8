//! Every list of values in a document, kept open in the client.
//!
//! A service adds values to its lists without notice, and one value the
//! client does not know must not fail a whole page. So each list becomes an
//! open enum (a variant per known value plus `Unknown`): the named
//! components marked `x-hwc-open-enum` (the published document keeps those
//! open too), and every plain `enum` of strings or integers, named or
//! inline, in a schema or a parameter (the published document keeps those as
//! written; a parameter's list is still checked before a request is sent).
//!
//! An inline list gets the name typify would give it, from where it sits:
//! the component and property names (`EnumJob` + `kind` → `EnumJobKind`,
//! array items add `Item`), or the operation and parameter names for a
//! parameter (`ListJobs` + `job_type` → `ListJobsJobType`).

use std::collections::BTreeMap;

use heck::ToPascalCase;
use serde_json::Value;

use super::OpenList;
use super::extensions::{self, EnumValue};
use super::read::text;
use crate::error::{SpecError, pointer_join, pointer_unescape};
use crate::spec::bundle::Bundle;
use crate::spec::walk::{SchemaSite, operations, visit_schemas};

/// A plain `enum` the client keeps open: the type's name and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImplicitEnum {
    /// The Rust type's name (`EnumJobKind`, or the component's own name).
    pub name: String,
    pub list: OpenList,
}

/// The lists of a document: `x-hwc-open-enum` components by name, and
/// every plain `enum` by the pointer of its schema.
pub struct Lists {
    pub declared: BTreeMap<String, OpenList>,
    pub implicit: BTreeMap<String, ImplicitEnum>,
}

/// Finds every list of a checked document, reporting the ones that cannot be
/// kept open.
pub fn collect(bundle: &Bundle, errors: &mut Vec<SpecError>) -> Lists {
    let doc = &bundle.document;
    let mut declared = BTreeMap::new();
    let mut implicit: BTreeMap<String, ImplicitEnum> = BTreeMap::new();
    let components: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let operation_ids: BTreeMap<String, String> = operations(doc)
        .into_iter()
        .map(|o| (o.pointer.clone(), text(o.op, "operationId")))
        .collect();
    visit_schemas(doc, &mut |pointer, schema, site| {
        let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
        if let Some(raw) = schema.get("x-hwc-open-enum") {
            let SchemaSite::Component(name) = site else {
                return;
            };
            let at = pointer_join(pointer, "x-hwc-open-enum");
            match serde_json::from_value::<extensions::OpenEnum>(raw.clone()) {
                Ok(values) => {
                    let list = OpenList {
                        description: text(schema, "description"),
                        values: values.0.iter().map(EnumValue::text).collect(),
                        integer,
                    };
                    if let Err(message) = list.check_variant_names() {
                        errors.push(bundle.error(&at, message));
                    }
                    declared.insert(name.to_string(), list);
                }
                Err(e) => errors.push(bundle.error(&at, format!("x-hwc-open-enum: {e}"))),
            }
            return;
        }
        let Some(values) = schema.get("enum").and_then(Value::as_array) else {
            return;
        };
        let at = pointer_join(pointer, "enum");
        let ty = schema
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("untyped");
        let texts: Option<Vec<String>> = values
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| match (ty, v) {
                ("string", Value::String(s)) => Some(s.clone()),
                ("integer", Value::Number(n)) => n.as_i64().map(|n| n.to_string()),
                _ => None,
            })
            .collect();
        let Some(texts) = texts.filter(|t| !t.is_empty()) else {
            errors.push(bundle.error(
                &at,
                format!(
                    "an `enum` of a `{ty}` schema cannot be kept open: the client keeps lists \
                     of strings (`type: string`) or integers (`type: integer`)"
                ),
            ));
            return;
        };
        // A component's own list keeps the component's name; an inline one
        // gets the name typify would give it, made unique.
        let name = match site {
            SchemaSite::Component(name) => Some(name.to_string()),
            _ => inline_name(pointer, &operation_ids, doc)
                .map(|name| unique(&name, &components, &implicit)),
        };
        // A parameter's list is described on the parameter.
        let parameter = pointer
            .strip_suffix("/schema")
            .and_then(|p| doc.pointer(p))
            .filter(|_| site == SchemaSite::Parameter);
        let description = [Some(schema), parameter]
            .into_iter()
            .flatten()
            .map(|s| text(s, "description"))
            .find(|d| !d.is_empty())
            .unwrap_or_else(|| "The values of this list.".to_string());
        let Some(name) = name else {
            // Response headers and other places progenitor makes no type of.
            return;
        };
        let list = OpenList {
            description,
            values: texts,
            integer,
        };
        if let Err(message) = list.check_variant_names() {
            errors.push(bundle.error(&at, message));
        }
        implicit.insert(pointer.to_string(), ImplicitEnum { name, list });
    });
    Lists { declared, implicit }
}

/// The name typify would give the schema at `pointer`, if it makes a type
/// of it: component, property and item names for a schema inside a
/// component; operation and parameter names for a parameter's schema.
fn inline_name(
    pointer: &str,
    operation_ids: &BTreeMap<String, String>,
    doc: &Value,
) -> Option<String> {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(pointer_unescape).collect();
    match tokens.as_slice() {
        [components, schemas, name, rest @ ..]
            if components == "components" && schemas == "schemas" =>
        {
            Some(format!("{}{}", name.to_pascal_case(), nested_name(rest)?))
        }
        [components, parameters, name, schema]
            if components == "components" && parameters == "parameters" && schema == "schema" =>
        {
            Some(name.to_pascal_case())
        }
        [paths, path, method, parameters, index, schema]
            if paths == "paths" && parameters == "parameters" && schema == "schema" =>
        {
            let op = format!("/paths/{}/{method}", crate::error::pointer_token(path));
            let id = operation_ids.get(&op)?;
            let param = doc.pointer(&format!("{op}/parameters/{index}"))?;
            Some(format!("{id}{}", text(param, "name").to_pascal_case()))
        }
        _ => None,
    }
}

/// The part of a name that the places below a component add: a property's
/// name, `Item` for array items, `Value` for map values.
fn nested_name(tokens: &[String]) -> Option<String> {
    let mut out = String::new();
    let mut rest = tokens;
    while let Some((first, tail)) = rest.split_first() {
        match (first.as_str(), tail) {
            ("properties", [name, tail @ ..]) => {
                out.push_str(&name.to_pascal_case());
                rest = tail;
            }
            ("items", tail) => {
                out.push_str("Item");
                rest = tail;
            }
            ("additionalProperties", tail) => {
                out.push_str("Value");
                rest = tail;
            }
            ("oneOf" | "anyOf" | "allOf", [index, tail @ ..]) => {
                out.push_str(&format!("Variant{index}"));
                rest = tail;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `name`, or `name` with a number after it when a component or another list
/// has it already.
fn unique(name: &str, components: &[String], taken: &BTreeMap<String, ImplicitEnum>) -> String {
    let used = |n: &str| {
        taken.values().any(|e| e.name == n) || components.iter().any(|c| c.to_pascal_case() == n)
    };
    std::iter::once(name.to_string())
        .chain((2..).map(|i| format!("{name}{i}")))
        .find(|n| !used(n))
        .unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pointer: &str) -> Option<String> {
        let doc = serde_json::json!({
            "paths": {"/v1/jobs": {"get": {"operationId": "ListJobs",
                "parameters": [{"name": "job_type", "in": "query"}]}}}
        });
        let ids = BTreeMap::from([("/paths/~1v1~1jobs/get".to_string(), "ListJobs".to_string())]);
        inline_name(pointer, &ids, &doc)
    }

    #[test]
    fn inline_lists_are_named_as_typify_names_them() {
        assert_eq!(
            names("/components/schemas/EnumJob/properties/kind").as_deref(),
            Some("EnumJobKind")
        );
        assert_eq!(
            names("/components/schemas/EnumJob/properties/tags/items").as_deref(),
            Some("EnumJobTagsItem")
        );
        assert_eq!(
            names("/components/schemas/Tree/properties/entities/properties/sub_kind").as_deref(),
            Some("TreeEntitiesSubKind")
        );
        assert_eq!(
            names("/paths/~1v1~1jobs/get/parameters/0/schema").as_deref(),
            Some("ListJobsJobType")
        );
        assert_eq!(
            names("/components/parameters/XLanguage/schema").as_deref(),
            Some("XLanguage")
        );
        assert_eq!(names("/components/headers/X/schema"), None);
    }

    #[test]
    fn integer_variants_are_named_by_their_numbers() {
        let list = OpenList {
            description: String::new(),
            values: vec!["0".into(), "-1".into(), "12".into()],
            integer: true,
        };
        assert_eq!(list.variant_names(), ["V0", "Minus1", "V12"]);
    }
}
