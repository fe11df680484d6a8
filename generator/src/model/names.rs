//! The Rust names wire names become, and the spellings that would collide.
//!
//! progenitor names a builder setter after each parameter and typify a
//! struct field after each property, both in snake case with keywords
//! suffixed (`jobId` → `job_id`, `type` → `type_`). Two wire names that give
//! one Rust name (`jobId` and `job-id` in one object) would generate a struct
//! with the field twice, which does not compile; they are refused here,
//! where the spec can be named.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{SpecError, pointer_join};
use crate::spec::bundle::Bundle;
use crate::spec::walk::{deref, operations, visit_schemas};

/// The Rust name progenitor gives a parameter's builder setter (and typify a
/// property): snake case, characters that cannot be in an identifier as
/// word breaks, a leading `_` where it cannot start one, and a trailing `_`
/// after a keyword (`x-language` → `x_language`, `type` → `type_`).
pub fn rust_name(wire: &str) -> String {
    use heck::ToSnakeCase;
    let cleaned: String = wire
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut out = cleaned.to_snake_case();
    if out.is_empty() {
        out = "x".into();
    }
    if !out.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    if !typify::accept_as_ident(&out) {
        out.push('_');
    }
    out
}

/// Reports properties of one object, and parameters of one operation, whose
/// wire names give the same Rust name.
pub fn check(bundle: &Bundle, errors: &mut Vec<SpecError>) {
    let doc = &bundle.document;
    visit_schemas(doc, &mut |pointer, schema, _| {
        if let Some(Value::Object(properties)) = schema.get("properties") {
            let at = pointer_join(pointer, "properties");
            let names = properties.keys().map(|k| (k.clone(), pointer_join(&at, k)));
            report(bundle, names, "properties", "field", errors);
        }
    });
    for op in operations(doc) {
        let names = op
            .op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, p)| {
                let name = deref(doc, p).get("name").and_then(Value::as_str);
                (
                    name.unwrap_or_default().to_string(),
                    format!("{}/parameters/{i}", op.pointer),
                )
            });
        report(bundle, names, "parameters", "builder method", errors);
    }
}

fn report(
    bundle: &Bundle,
    names: impl Iterator<Item = (String, String)>,
    what: &str,
    becomes: &str,
    errors: &mut Vec<SpecError>,
) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (wire, pointer) in names {
        let rust = rust_name(&wire);
        match seen.get(&rust) {
            Some(first) => errors.push(bundle.error(
                &pointer,
                format!(
                    "{what} `{first}` and `{wire}` both become the Rust {becomes} `{rust}`, \
                     which the generated code cannot hold twice; the client cannot express \
                     both"
                ),
            )),
            None => {
                seen.insert(rust, wire);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_progenitor_and_typify() {
        assert_eq!(rust_name("page_no"), "page_no");
        assert_eq!(rust_name("X-Language"), "x_language");
        assert_eq!(rust_name("pageSize"), "page_size");
        assert_eq!(rust_name("type"), "type_");
        assert_eq!(rust_name("self"), "self_");
        assert_eq!(rust_name("1st"), "_1st");
        assert_eq!(rust_name("jobId"), rust_name("job-id"));
    }
}
