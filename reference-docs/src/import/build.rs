//! A reference page's operation written as spec YAML nodes in the house
//! style: parameters (shared ones by `$ref`), the success response with its
//! body as named component schemas and the page's example, the shared error
//! responses, and a recorded deviation wherever the page contradicts itself
//! (an example sending a type its table does not declare).

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::node::{described, obj, s};
use super::params::{parameter, scalar_type};
use super::seen::{Seen, fits};
use super::shared::Shared;
use crate::page::{Children, Field, Page, PageType, ParamLocation, Parameter};
use generator::spec::document::Node;

/// The operation a page describes, ready to be written.
#[derive(Debug, Clone)]
pub struct Built {
    /// The path template.
    pub path: String,
    /// Lower-case method, the key under the path.
    pub method: String,
    pub operation: Node,
    /// Component schemas the operation refers to, in order of first use.
    pub schemas: Vec<(String, Node)>,
}

/// Builds the operation `id` of `page`. `taken` holds the component schemas
/// the target spec already has: a page table of the same name but another
/// shape is written under a name prefixed with the operation.
pub fn build(
    page: &Page,
    id: &str,
    tag: &str,
    shared: &Shared,
    taken: &BTreeMap<String, Value>,
) -> Built {
    let mut b = Builder {
        id,
        schemas: Vec::new(),
        taken,
    };
    let mut op: Vec<(String, Node)> = Vec::new();
    op.push(("operationId".into(), s(id)));
    let documented = page.statuses();
    let success = success_status(page);
    let mut statuses: Vec<String> = shared.error_statuses();
    for code in &documented {
        if !statuses.contains(code) && code != &success {
            statuses.push(code.clone());
        }
    }
    statuses.sort();
    let undocumented: Vec<&String> = statuses
        .iter()
        .filter(|c| page.lists_errors() && !documented.contains(c))
        .collect();
    if !undocumented.is_empty() {
        let listed = documented.join(", ");
        let deviations = undocumented
            .iter()
            .map(|code| {
                obj(vec![
                    ("name", s(code)),
                    (
                        "reason",
                        s(&format!(
                            "The page lists {listed}; the gateway and the service answer {code} \
                             with the standard error body."
                        )),
                    ),
                ])
            })
            .collect();
        op.push(("x-hwc-doc-deviation".into(), Node::Array(deviations)));
    }
    op.push(("tags".into(), Node::Array(vec![s(tag)])));
    let summary = page
        .title
        .clone()
        .unwrap_or_else(|| format!("{} {}", page.method, page.path));
    op.push(("summary".into(), s(&summary)));
    let description = page.function.clone().unwrap_or_else(|| summary.clone());
    op.push(("description".into(), s(&description)));

    let params: Vec<Node> = page
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Body)
        .map(|p| parameter(p, shared))
        .collect();
    if !params.is_empty() {
        op.push(("parameters".into(), Node::Array(params)));
    }
    let body = page.body_fields();
    if !body.is_empty() {
        let name = format!("{id}Request");
        let required: Vec<String> = page
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Body && p.required == Some(true))
            .map(|p| p.name.clone())
            .collect();
        let schema = b.object(
            &name,
            &format!("Request body of {id}."),
            &body,
            &required,
            &Seen::default(),
            "",
        );
        op.push((
            "requestBody".into(),
            obj(vec![
                ("required", Node::Bool(true)),
                (
                    "content",
                    obj(vec![("application/json", obj(vec![("schema", schema)]))]),
                ),
            ]),
        ));
    }

    let mut responses: Vec<(String, Node)> = Vec::new();
    responses.push((success.clone(), b.success(page, &success, shared)));
    for code in &statuses {
        let response = match shared.response(code) {
            Some(r) => obj(vec![("$ref", s(r))]),
            None => error_response(page, code, shared),
        };
        responses.push((code.clone(), response));
    }
    op.push(("responses".into(), Node::Object(responses)));

    Built {
        path: page.path.clone(),
        method: page.method.to_ascii_lowercase(),
        operation: Node::Object(op),
        schemas: b.schemas,
    }
}

/// The page's 2xx status (its response section's, else its status table's),
/// 200 when it names none.
fn success_status(page: &Page) -> String {
    page.responses
        .iter()
        .filter_map(|r| r.status)
        .chain(page.statuses().iter().filter_map(|c| c.parse::<u16>().ok()))
        .find(|c| (200..300).contains(c))
        .unwrap_or(200)
        .to_string()
}

/// An error status no shared response stands for: the page's words and
/// the shared error body.
fn error_response(page: &Page, code: &str, shared: &Shared) -> Node {
    let description = page
        .status_codes
        .iter()
        .flatten()
        .find(|c| c.code == code)
        .map(|c| described(&c.description, &format!("Status {code}.")))
        .unwrap_or_else(|| format!("Status {code}."));
    let mut pairs = vec![("description", s(&description))];
    if let Some(h) = &shared.request_id {
        pairs.push((
            "headers",
            obj(vec![("X-Request-Id", obj(vec![("$ref", s(h))]))]),
        ));
    }
    if let Some(e) = &shared.error_body {
        pairs.push((
            "content",
            obj(vec![(
                "application/json",
                obj(vec![("schema", obj(vec![("$ref", s(e))]))]),
            )]),
        ));
    }
    obj(pairs)
}

struct Builder<'a> {
    id: &'a str,
    schemas: Vec<(String, Node)>,
    taken: &'a BTreeMap<String, Value>,
}

impl Builder<'_> {
    /// The success response: its body schema and the page's example.
    fn success(&mut self, page: &Page, status: &str, shared: &Shared) -> Node {
        let fields = success_fields(page, status);
        let examples = success_examples(page, status);
        let mut seen = Seen::default();
        for e in &examples {
            seen.observe(&fields, e, "");
        }
        let description = page
            .status_codes
            .iter()
            .flatten()
            .find(|c| c.code == status)
            .map(|c| described(&c.description, "Success."))
            .unwrap_or_else(|| "Success.".into());
        let mut pairs = vec![("description", s(&description))];
        if let Some(h) = &shared.request_id {
            pairs.push((
                "headers",
                obj(vec![("X-Request-Id", obj(vec![("$ref", s(h))]))]),
            ));
        }
        if !fields.is_empty() {
            let name = format!("{}Response", self.id);
            let schema = self.object(
                &name,
                &format!("Response body of {}.", self.id),
                &fields,
                &[],
                &seen,
                "",
            );
            let mut media = vec![("schema", schema)];
            if let Some(e) = examples.first() {
                media.push(("example", Node::sorted(e)));
            }
            pairs.push(("content", obj(vec![("application/json", obj(media))])));
        }
        obj(pairs)
    }

    /// A named object schema for `fields`; returns the `$ref` to it.
    fn object(
        &mut self,
        name: &str,
        description: &str,
        fields: &[Field],
        required: &[String],
        seen: &Seen,
        prefix: &str,
    ) -> Node {
        let at = self.schemas.len();
        let mut properties = Vec::new();
        for f in fields {
            let schema = self.property(f, seen, prefix);
            properties.push((f.name.clone(), schema));
        }
        let mut pairs = vec![
            ("type".to_string(), s("object")),
            ("description".to_string(), s(description)),
        ];
        if !required.is_empty() {
            pairs.push((
                "required".into(),
                Node::Array(required.iter().map(|r| s(r)).collect()),
            ));
        }
        pairs.push(("properties".into(), Node::Object(properties)));
        let schema = Node::Object(pairs);
        let name = self.name_for(name, &schema);
        if !self.schemas.iter().any(|(n, _)| *n == name) {
            self.schemas.insert(at, (name.clone(), schema));
        }
        obj(vec![("$ref", s(&format!("#/components/schemas/{name}")))])
    }

    /// The name a component is written under: the page's table name, or
    /// prefixed with the operation when the spec has another schema so
    /// named.
    fn name_for(&self, name: &str, schema: &Node) -> String {
        let clash = |n: &str| {
            self.taken.get(n).is_some_and(|v| *v != schema.to_value())
                || self.schemas.iter().any(|(k, v)| k == n && v != schema)
        };
        if !clash(name) {
            return name.to_string();
        }
        let mut candidate = format!("{}{}", self.id, name);
        let mut n = 2;
        while clash(&candidate) {
            candidate = format!("{}{}{n}", self.id, name);
            n += 1;
        }
        candidate
    }

    fn property(&mut self, f: &Field, seen: &Seen, prefix: &str) -> Node {
        let name = format!("{prefix}{}", f.name);
        let description = described(&f.description, &format!("The `{}` field.", f.name));
        let kinds = seen.kinds(&name);
        let nullable = kinds.contains("null");
        let mut pairs: Vec<(String, Node)> = match &f.ty {
            PageType::Scalar { json } => self.scalar_property(f, json, &kinds, &description),
            PageType::Object { table } => {
                let target =
                    self.nested(f, table.as_deref(), &description, seen, &format!("{name}."));
                match target {
                    Some(r) if !nullable => return r,
                    Some(r) => vec![
                        ("type".into(), s("object")),
                        ("description".into(), s(&description)),
                        ("nullable".into(), Node::Bool(true)),
                        ("allOf".into(), Node::Array(vec![r])),
                    ],
                    None => vec![
                        ("type".into(), s("object")),
                        ("description".into(), s(&description)),
                    ],
                }
            }
            PageType::Array { items } => {
                let item = match items.as_ref() {
                    PageType::Scalar { json } => {
                        let item_kinds = seen.kinds(&format!("{name}[]"));
                        let bare = Field {
                            description: String::new(),
                            ..f.clone()
                        };
                        let mut p = self.scalar_property(&bare, json, &item_kinds, "");
                        p.retain(|(k, _)| k != "description");
                        Node::Object(p)
                    }
                    PageType::Object { table } => self
                        .nested(
                            f,
                            table.as_deref(),
                            &format!("An element of `{}`.", f.name),
                            seen,
                            &format!("{name}[]."),
                        )
                        .unwrap_or_else(|| obj(vec![("type", s("object"))])),
                    PageType::Array { .. } => obj(vec![("type", s("array"))]),
                };
                vec![
                    ("type".into(), s("array")),
                    ("description".into(), s(&description)),
                    ("items".into(), item),
                ]
            }
        };
        if nullable && !pairs.iter().any(|(k, _)| k == "nullable") {
            pairs.push(("nullable".into(), Node::Bool(true)));
        }
        Node::Object(pairs)
    }

    /// A scalar field; when the page's examples send another type than its
    /// table declares, both are accepted and the contradiction recorded.
    fn scalar_property(
        &mut self,
        f: &Field,
        json: &str,
        kinds: &BTreeSet<&'static str>,
        description: &str,
    ) -> Vec<(String, Node)> {
        let other: Vec<&str> = kinds
            .iter()
            .copied()
            .filter(|k| !fits(json, k) && !matches!(*k, "array" | "object"))
            .collect();
        if other.is_empty() {
            let mut pairs = scalar_type(&f.type_text, json);
            pairs.push(("description".into(), s(description)));
            return pairs;
        }
        let mut members = vec![Node::Object(scalar_type(&f.type_text, json))];
        for k in &other {
            members.push(obj(vec![("type", s(k))]));
        }
        vec![
            ("description".into(), s(description)),
            (
                "x-hwc-doc-deviation".into(),
                obj(vec![
                    ("page", s(json)),
                    (
                        "reason",
                        s(&format!(
                            "The page declares {}; its example sends {}.",
                            f.type_text.trim(),
                            other.join(" and ")
                        )),
                    ),
                ]),
            ),
            ("oneOf".into(), Node::Array(members)),
        ]
    }

    /// The component for an object field described by a table, or `None`
    /// when the page does not describe it.
    fn nested(
        &mut self,
        f: &Field,
        table: Option<&str>,
        description: &str,
        seen: &Seen,
        prefix: &str,
    ) -> Option<Node> {
        let Children::Fields(children) = &f.children else {
            return None;
        };
        let name = match table {
            Some(t) if t.starts_with(|c: char| c.is_ascii_uppercase()) => t.to_string(),
            Some(t) => t.to_upper_camel_case(),
            None => format!("{}{}", self.id, f.name.to_upper_camel_case()),
        };
        Some(self.object(&name, description, children, &[], seen, prefix))
    }
}

/// The schema of one response or body field the spec lacks, with the
/// component schemas its nested tables become.
/// `name` is the field's dotted name (`tasks[].details`): what the page's
/// examples send for it decides whether it is nullable or tolerant.
pub fn field(
    id: &str,
    page: &Page,
    name: &str,
    field: &Field,
    taken: &BTreeMap<String, Value>,
) -> (Node, Vec<(String, Node)>) {
    let mut b = Builder {
        id,
        schemas: Vec::new(),
        taken,
    };
    let status = success_status(page);
    let fields = success_fields(page, &status);
    let mut seen = Seen::default();
    for e in success_examples(page, &status) {
        seen.observe(&fields, e, "");
    }
    let prefix = name.strip_suffix(field.name.as_str()).unwrap_or("");
    let node = b.property(field, &seen, prefix);
    (node, b.schemas)
}

fn success_fields(page: &Page, status: &str) -> Vec<Field> {
    page.responses
        .iter()
        .filter(|r| r.status.is_none_or(|c| c.to_string() == status))
        .flat_map(|r| r.fields.clone())
        .collect()
}

fn success_examples<'a>(page: &'a Page, status: &str) -> Vec<&'a Value> {
    page.example_responses
        .iter()
        .filter(|e| e.status.is_none_or(|c| c.to_string() == status))
        .map(|e| &e.body)
        .collect()
}

/// A path, query or header parameter as the page describes it.
pub fn plain_parameter(p: &Parameter, shared: &Shared) -> Node {
    parameter(p, shared)
}

/// The response of an error status: the shared one, or the page's words
/// with the shared error body.
pub fn status_response(page: &Page, code: &str, shared: &Shared) -> Node {
    match shared.response(code) {
        Some(r) => obj(vec![("$ref", s(r))]),
        None => error_response(page, code, shared),
    }
}
