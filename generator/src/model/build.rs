//! Building the model of one checked document.
//!
//! Runs after the house rules and the extension schema passed, so most
//! lookups succeed; where one does not, the problem is reported with its
//! pointer like any other, never skipped, so a model is only ever returned
//! whole.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::body::{Body, Response};
use super::extensions::{self, Scalar};
use super::read::{str_at, strings, text};
use super::schema::Schema;
use super::{Endpoints, Location, Method, OpenList, Operation, Param, Rule, Service};
use crate::error::{SpecError, pointer_join};
use crate::spec::bundle::Bundle;
use crate::spec::document::Node;
use crate::spec::walk::{deref, operations, visit_schemas};

/// Checks a bundled document against the house rules ([`super::rules`]) and
/// builds its model; every problem is returned with its pointer.
pub fn build(bundle: &Bundle, module: &str) -> Result<Service, Vec<SpecError>> {
    let found = super::rules::check(bundle);
    if !found.is_empty() {
        return Err(found);
    }
    let doc = &bundle.document;
    let mut errors = Vec::new();
    let mut scalars = BTreeMap::new();
    visit_schemas(doc, &mut |pointer, schema, _| {
        if let Some(scalar) = read::<Scalar>(bundle, schema, pointer, "x-hwc-scalar", &mut errors) {
            scalars.insert(pointer.to_string(), scalar);
        }
    });
    let lists = super::enums::collect(bundle, &mut errors);
    super::names::check(bundle, &mut errors);
    let open_enums = lists.declared;
    let endpoints = endpoints(bundle, &mut errors);
    let positions = super::toplevel::positions(&bundle.ordered);
    let mut ops = Vec::new();
    for at in operations(doc) {
        if let Some(mut op) = operation(bundle, &at, &open_enums, &scalars, &mut errors) {
            op.position = positions.get(&op.pointer).copied().unwrap_or(usize::MAX);
            ops.push(op);
        }
    }
    let task_view = read::<extensions::TaskView>(bundle, doc, "", "x-hwc-task-view", &mut errors);
    let scheduled_view =
        read::<extensions::TaskView>(bundle, doc, "", "x-hwc-scheduled-view", &mut errors);
    let source =
        read::<extensions::DefinitionsSource>(bundle, doc, "", "x-hwc-source", &mut errors);
    if let Some(view) = &task_view {
        check_task_view(bundle, "x-hwc-task-view", view, &ops, &mut errors);
    }
    if let Some(view) = &scheduled_view {
        check_task_view(bundle, "x-hwc-scheduled-view", view, &ops, &mut errors);
    }
    let ordered = &bundle.ordered;
    match endpoints {
        Some(endpoints) if errors.is_empty() => Ok(Service {
            module: module.to_string(),
            file: bundle.file.clone(),
            title: str_at(doc, "/info/title"),
            version: str_at(doc, "/info/version"),
            description: doc
                .pointer("/info/description")
                .and_then(Value::as_str)
                .map(str::to_string),
            openapi: str_at(doc, "/openapi"),
            endpoints,
            servers: super::toplevel::servers(ordered),
            operations: ops,
            open_enums,
            implicit_enums: lists.implicit,
            scalars,
            security: super::toplevel::security(ordered),
            security_schemes: super::toplevel::security_schemes(ordered),
            schemas: Schema::components(ordered),
            task_view,
            scheduled_view,
            source,
        }),
        _ => Err(errors),
    }
}

/// Every operation the task view names must exist, lists must page, and
/// the operations that act on one task must take its id: the one required
/// parameter besides `project_id` and `instance_id` (`task_id`, a job's
/// `job_id`, a query `id`), which the task view fills with the task's id.
fn check_task_view(
    bundle: &Bundle,
    key: &str,
    view: &extensions::TaskView,
    ops: &[Operation],
    errors: &mut Vec<SpecError>,
) {
    let roles = [
        ("list-project", &view.list_project, false),
        ("list-instance", &view.list_instance, false),
        ("show", &view.show, true),
        ("delete", &view.delete, true),
        ("progress", &view.progress, true),
        ("job", &view.job, true),
    ];
    for (role, name, needs) in roles {
        let Some(name) = name else { continue };
        let at = format!("/{key}/{role}");
        let Some(op) = ops.iter().find(|o| o.name == *name) else {
            errors.push(bundle.error(&at, format!("no operation `{name}` in this spec")));
            continue;
        };
        if role.starts_with("list") && op.paging.is_none() {
            errors.push(bundle.error(&at, format!("`{name}` lists tasks but has no x-hwc-paging")));
        }
        if role == "list-instance" && !op.params.iter().any(|p| p.name == "instance_id") {
            errors.push(bundle.error(&at, format!("`{name}` has no `instance_id` parameter")));
        }
        let ids = id_params(op);
        if needs && ids.len() != 1 {
            errors.push(bundle.error(
                &at,
                format!(
                    "`{name}` acts on one task, so it needs exactly one required parameter \
                     besides project_id and instance_id to take the task's id; it has {}",
                    if ids.is_empty() {
                        "none".to_string()
                    } else {
                        ids.join(", ")
                    }
                ),
            ));
        }
    }
    if view.list_project.is_none() && view.list_instance.is_none() && view.show.is_none() {
        errors.push(bundle.error(
            &format!("/{key}"),
            "a task view needs list-project, list-instance or show",
        ));
    }
}

/// The required parameters of `op` a task's reference does not give:
/// everything but `project_id` and `instance_id`.
fn id_params(op: &Operation) -> Vec<&str> {
    op.params
        .iter()
        .filter(|p| p.required && !matches!(p.name.as_str(), "project_id" | "instance_id"))
        .map(|p| p.name.as_str())
        .collect()
}

/// Reads extension `key` of `object` (at `pointer`) as its declared type.
fn read<T: DeserializeOwned>(
    bundle: &Bundle,
    object: &Value,
    pointer: &str,
    key: &str,
    errors: &mut Vec<SpecError>,
) -> Option<T> {
    let raw = object.get(key)?;
    match serde_json::from_value(raw.clone()) {
        Ok(value) => Some(value),
        Err(e) => {
            errors.push(bundle.error(&pointer_join(pointer, key), format!("{key}: {e}")));
            None
        }
    }
}

fn endpoints(bundle: &Bundle, errors: &mut Vec<SpecError>) -> Option<Endpoints> {
    let doc = &bundle.document;
    let fail = |errors: &mut Vec<SpecError>, pointer: &str, message: String| {
        errors.push(bundle.error(pointer, message));
        None
    };
    if doc.get("x-hwc-sdk-service").is_none() {
        return fail(
            errors,
            "",
            "x-hwc-sdk-service is required: the upper-case SERVICE of the SDKs' region override \
             variable, such as DCS"
                .into(),
        );
    }
    let sdk = read::<extensions::SdkService>(bundle, doc, "", "x-hwc-sdk-service", errors)?;
    let Some(server) = doc.pointer("/servers/0") else {
        return fail(
            errors,
            "/servers",
            "a server with a {region} variable is required".into(),
        );
    };
    let pattern = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !pattern.starts_with("https://") || !pattern.contains("{region}") {
        return fail(
            errors,
            "/servers/0/url",
            "the server url must be https:// and contain {region}".into(),
        );
    }
    let Some(region) = server.pointer("/variables/region") else {
        return fail(
            errors,
            "/servers/0/variables",
            "the server needs a `region` variable".into(),
        );
    };
    let regions = strings(region.get("enum"));
    if regions.is_empty() {
        return fail(
            errors,
            "/servers/0/variables/region/enum",
            "list the known regions in the `region` variable's enum".into(),
        );
    }
    let default_region = text(region, "default");
    if !regions.contains(&default_region) {
        return fail(
            errors,
            "/servers/0/variables/region/default",
            format!("default region `{default_region}` is not in the enum"),
        );
    }
    let exceptions = read::<BTreeMap<String, extensions::HttpsUrl>>(
        bundle,
        server,
        "/servers/0",
        "x-hwc-endpoint-exceptions",
        errors,
    )
    .unwrap_or_default();
    let mut table = BTreeMap::new();
    for (id, url) in exceptions {
        if !regions.contains(&id) {
            let at = pointer_join("/servers/0/x-hwc-endpoint-exceptions", &id);
            errors.push(bundle.error(&at, format!("region `{id}` is not in the region enum")));
        }
        table.insert(id, url.0);
    }
    Some(Endpoints {
        sdk_service: sdk.0,
        pattern: pattern.to_string(),
        default_region,
        regions,
        exceptions: table,
    })
}

fn operation(
    bundle: &Bundle,
    at: &crate::spec::walk::OperationAt<'_>,
    open_enums: &BTreeMap<String, OpenList>,
    scalars: &BTreeMap<String, Scalar>,
    errors: &mut Vec<SpecError>,
) -> Option<Operation> {
    let doc = &bundle.document;
    let op = at.op;
    let name = text(op, "operationId");
    let method = Method::ALL.into_iter().find(|m| m.as_str() == at.method)?;
    let node = bundle.ordered.pointer(&at.pointer).unwrap_or(&Node::Null);
    let params = params(bundle, at, open_enums, scalars);
    let success = super::responses::success(bundle, at, errors)?;
    let paging = read::<extensions::Paging>(bundle, op, &at.pointer, "x-hwc-paging", errors)
        .and_then(|p| super::paging::paging(bundle, at, &params, &success, p, errors));
    let idempotent = read::<bool>(bundle, op, &at.pointer, "x-hwc-idempotent", errors)
        .unwrap_or_else(|| method.idempotent_by_definition());
    let request_body = op
        .pointer("/requestBody/content/application~1json/schema/$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_string);
    let body_content = op
        .get("requestBody")
        .map(|b| deref(doc, b))
        .and_then(|b| b.get("content"))
        .and_then(Value::as_object);
    if body_content.is_some_and(|c| c.len() != 1 || request_body.is_none()) {
        errors.push(bundle.error(
            &pointer_join(&at.pointer, "requestBody"),
            "a request body must be application/json with a $ref to a named component schema",
        ));
    }
    let error_statuses = op
        .get("responses")
        .and_then(Value::as_object)
        .map(|r| {
            r.keys()
                .filter(|c| c.starts_with('4') || c.starts_with('5') || *c == "default")
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    Some(Operation {
        fn_name: name.to_snake_case(),
        name,
        method,
        path: at.path.to_string(),
        pointer: at.pointer.clone(),
        position: 0,
        summary: text(op, "summary"),
        description: text(op, "description"),
        deprecated: op.get("deprecated").and_then(Value::as_bool) == Some(true),
        tags: strings(op.get("tags")),
        params,
        request_body,
        request: Body::of(&bundle.ordered, node, &at.pointer),
        success,
        error_statuses,
        responses: Response::all(&bundle.ordered, node, &at.pointer),
        paging,
        idempotent,
    })
}

/// The parameters of an operation: the path item's, then the operation's,
/// one with the same name and location replacing the path item's; each
/// with its pointer (that of the parameter a `$ref` names).
fn params(
    bundle: &Bundle,
    at: &crate::spec::walk::OperationAt<'_>,
    open_enums: &BTreeMap<String, OpenList>,
    scalars: &BTreeMap<String, Scalar>,
) -> Vec<Param> {
    let doc = &bundle.document;
    let item_at = pointer_join("/paths", at.path);
    let mut found: Vec<(&Value, String)> = Vec::new();
    for (holder, base) in [
        (doc.pointer(&item_at), &item_at),
        (Some(at.op), &at.pointer),
    ] {
        let list = holder
            .and_then(|h| h.get("parameters"))
            .and_then(Value::as_array);
        for (i, p) in list.into_iter().flatten().enumerate() {
            let pointer = match p.get("$ref").and_then(Value::as_str) {
                Some(r) => r.trim_start_matches('#').to_string(),
                None => format!("{base}/parameters/{i}"),
            };
            let p = deref(doc, p);
            let key = |p: &Value| (text(p, "name"), text(p, "in"));
            found.retain(|(q, _)| key(q) != key(p));
            found.push((p, pointer));
        }
    }
    found
        .into_iter()
        .map(|(p, pointer)| param(bundle, p, &pointer, open_enums, scalars))
        .collect()
}

fn param(
    bundle: &Bundle,
    p: &Value,
    pointer: &str,
    open_enums: &BTreeMap<String, OpenList>,
    scalars: &BTreeMap<String, Scalar>,
) -> Param {
    let doc = &bundle.document;
    let written = bundle.ordered.pointer(pointer).unwrap_or(&Node::Null);
    let written_schema = written.get("schema").unwrap_or(&Node::Null);
    let location = match p.get("in").and_then(Value::as_str).unwrap_or_default() {
        "path" => Location::Path,
        "header" => Location::Header,
        _ => Location::Query,
    };
    let raw_schema = p.get("schema").unwrap_or(&Value::Null);
    let open_enum = raw_schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .filter(|name| open_enums.contains_key(*name))
        .map(str::to_string);
    let scalar_pointer = match raw_schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r.trim_start_matches('#').to_string(),
        None => format!("{pointer}/schema"),
    };
    let schema = deref(doc, raw_schema);
    let json_type = text(schema, "type");
    let mut rules = Vec::new();
    if json_type == "integer" {
        rules.push(Rule::Integer {
            min: schema.get("minimum").and_then(Value::as_i64),
            max: schema.get("maximum").and_then(Value::as_i64),
        });
    }
    if let Some(n) = schema.get("minLength").and_then(Value::as_u64) {
        rules.push(Rule::MinLength(n));
    }
    if let Some(n) = schema.get("maxLength").and_then(Value::as_u64) {
        rules.push(Rule::MaxLength(n));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        rules.push(Rule::Pattern(pattern.to_string()));
    }
    let values = strings(schema.get("enum"));
    if !values.is_empty() {
        rules.push(Rule::OneOf(values));
    }
    Param {
        name: text(p, "name"),
        location,
        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
        pointer: pointer.to_string(),
        schema: Schema::read(written_schema, &format!("{pointer}/schema")),
        description: text(p, "description"),
        example: written
            .get("example")
            .or_else(|| written_schema.get("example"))
            .cloned(),
        format: schema
            .get("format")
            .and_then(Value::as_str)
            .map(str::to_string),
        json_type,
        rules,
        default: schema.get("default").cloned(),
        scalar: scalars.get(&scalar_pointer).copied(),
        open_enum,
    }
}
