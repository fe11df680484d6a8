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

use super::extensions::{self, Scalar};
use super::{
    Endpoints, Location, Method, OpenList, Operation, Paging, Param, Rule, Service, Success,
};
use crate::error::{SpecError, pointer_join};
use crate::spec::bundle::Bundle;
use crate::spec::walk::{deref, operations, visit_schemas};

/// Builds the model of a bundled document that passed the house rules.
pub fn build(bundle: &Bundle, module: &str) -> Result<Service, Vec<SpecError>> {
    let doc = &bundle.document;
    let mut errors = Vec::new();
    let mut open_enums = BTreeMap::new();
    let mut scalars = BTreeMap::new();
    visit_schemas(doc, &mut |pointer, schema, _| {
        if let Some(scalar) = read::<Scalar>(bundle, schema, pointer, "x-hwc-scalar", &mut errors) {
            scalars.insert(pointer.to_string(), scalar);
        }
    });
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for (name, schema) in schemas {
            let at = pointer_join("/components/schemas", name);
            if let Some(list) =
                read::<extensions::OpenEnum>(bundle, schema, &at, "x-hwc-open-enum", &mut errors)
            {
                let list = OpenList {
                    description: text(schema, "description"),
                    values: list.0,
                };
                if let Err(message) = list.check_variant_names() {
                    errors.push(bundle.error(&pointer_join(&at, "x-hwc-open-enum"), message));
                }
                open_enums.insert(name.clone(), list);
            }
        }
    }
    let endpoints = endpoints(bundle, &mut errors);
    let mut ops = Vec::new();
    for at in operations(doc) {
        if let Some(op) = operation(bundle, &at, &open_enums, &scalars, &mut errors) {
            ops.push(op);
        }
    }
    let task_view = read::<extensions::TaskView>(bundle, doc, "", "x-hwc-task-view", &mut errors);
    if let Some(view) = &task_view {
        check_task_view(bundle, view, &ops, &mut errors);
    }
    let security_schemes = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    match endpoints {
        Some(endpoints) if errors.is_empty() => Ok(Service {
            module: module.to_string(),
            file: bundle.file.clone(),
            title: str_at(doc, "/info/title"),
            version: str_at(doc, "/info/version"),
            endpoints,
            operations: ops,
            open_enums,
            scalars,
            security_schemes,
            task_view,
        }),
        _ => Err(errors),
    }
}

/// Every operation the task view names must exist, lists must page, and
/// the operations that act on one task must take its id.
fn check_task_view(
    bundle: &Bundle,
    view: &extensions::TaskView,
    ops: &[Operation],
    errors: &mut Vec<SpecError>,
) {
    let roles = [
        ("list-project", &view.list_project, None),
        ("list-instance", &view.list_instance, Some("instance_id")),
        ("show", &view.show, Some("task_id")),
        ("delete", &view.delete, Some("task_id")),
        ("progress", &view.progress, Some("task_id")),
        ("job", &view.job, None),
    ];
    for (role, name, needs) in roles {
        let Some(name) = name else { continue };
        let at = format!("/x-hwc-task-view/{role}");
        let Some(op) = ops.iter().find(|o| o.name == *name) else {
            errors.push(bundle.error(&at, format!("no operation `{name}` in this spec")));
            continue;
        };
        if role.starts_with("list") && op.paging.is_none() {
            errors.push(bundle.error(&at, format!("`{name}` lists tasks but has no x-hwc-paging")));
        }
        // A task is named by its id, or by its job's where the service keys
        // tasks by job (openGauss `DeleteJob`).
        let named = |param: &str| {
            op.params.iter().any(|p| p.name == param)
                || (param == "task_id" && op.params.iter().any(|p| p.name == "job_id"))
        };
        if let Some(param) = needs
            && !named(param)
        {
            errors.push(bundle.error(&at, format!("`{name}` has no `{param}` parameter")));
        }
    }
    if view.list_project.is_none() && view.list_instance.is_none() {
        errors.push(bundle.error(
            "/x-hwc-task-view",
            "a task view needs list-project or list-instance",
        ));
    }
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
    let params: Vec<Param> = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .enumerate()
                .map(|(i, p)| {
                    let pointer = match p.get("$ref").and_then(Value::as_str) {
                        Some(r) => r.trim_start_matches('#').to_string(),
                        None => format!("{}/parameters/{i}", at.pointer),
                    };
                    param(doc, deref(doc, p), &pointer, open_enums, scalars)
                })
                .collect()
        })
        .unwrap_or_default();
    let success = success(bundle, at, errors)?;
    let paging = read::<extensions::Paging>(bundle, op, &at.pointer, "x-hwc-paging", errors)
        .and_then(|p| paging(bundle, at, &params, &success, p, errors));
    let idempotent = read::<bool>(bundle, op, &at.pointer, "x-hwc-idempotent", errors)
        .unwrap_or_else(|| method.idempotent_by_definition());
    let request_body = op
        .pointer("/requestBody/content/application~1json/schema/$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_string);
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
        summary: text(op, "summary"),
        tags: strings(op.get("tags")),
        params,
        request_body,
        success,
        error_statuses,
        paging,
        idempotent,
    })
}

/// The one 2xx response: its status and the named schema of its JSON body.
fn success(
    bundle: &Bundle,
    at: &crate::spec::walk::OperationAt<'_>,
    errors: &mut Vec<SpecError>,
) -> Option<Success> {
    let responses = at.op.get("responses").and_then(Value::as_object)?;
    let mut found = responses.iter().filter(|(code, _)| code.starts_with('2'));
    let Some((code, response)) = found.next() else {
        errors.push(bundle.error(&at.pointer, "operation documents no 2xx response"));
        return None;
    };
    let at_response = pointer_join(&pointer_join(&at.pointer, "responses"), code);
    if found.next().is_some() {
        errors.push(bundle.error(
            &at_response,
            "operation documents more than one 2xx response; the client returns one shape",
        ));
        return None;
    }
    let Ok(status) = code.parse::<u16>() else {
        errors.push(bundle.error(&at_response, format!("`{code}` is not a status code")));
        return None;
    };
    let response = deref(&bundle.document, response);
    let schema = match response.get("content").and_then(Value::as_object) {
        None => None,
        Some(content) if content.is_empty() => None,
        Some(content) => {
            let named = content
                .get("application/json")
                .and_then(|m| m.pointer("/schema/$ref"))
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"));
            match named {
                Some(name) if content.len() == 1 => Some(name.to_string()),
                _ => {
                    errors.push(bundle.error(
                        &pointer_join(&at_response, "content"),
                        "a success body must be application/json with a $ref to a named \
                         component schema (or no content at all)",
                    ));
                    return None;
                }
            }
        }
    };
    if status == 204 && schema.is_some() {
        errors.push(bundle.error(&at_response, "a 204 response has no body"));
        return None;
    }
    Some(Success { status, schema })
}

fn paging(
    bundle: &Bundle,
    at: &crate::spec::walk::OperationAt<'_>,
    params: &[Param],
    success: &Success,
    declared: extensions::Paging,
    errors: &mut Vec<SpecError>,
) -> Option<Paging> {
    let here = pointer_join(&at.pointer, "x-hwc-paging");
    let before = errors.len();
    for name in [&declared.offset, &declared.limit] {
        if !params
            .iter()
            .any(|p| p.name == *name && p.location == Location::Query)
        {
            errors.push(bundle.error(
                &here,
                format!("paging parameter `{name}` is not a query parameter of this operation"),
            ));
        }
    }
    let schema = success.schema.as_ref().and_then(|s| {
        bundle
            .document
            .pointer(&pointer_join("/components/schemas", s))
    });
    for field in [&declared.items, &declared.total] {
        if schema
            .and_then(|s| s.pointer(&pointer_join("/properties", field)))
            .is_none()
        {
            errors.push(bundle.error(
                &here,
                format!("paging field `{field}` is not a property of the success response"),
            ));
        }
    }
    let item_schema = schema.and_then(|s| array_item_schema_name(s, &declared.items));
    if item_schema.is_none() && errors.len() == before {
        errors.push(bundle.error(
            &here,
            format!(
                "paging field `{}` must be an array whose items $ref a named component schema",
                declared.items
            ),
        ));
    }
    let item_schema = item_schema?.to_string();
    (errors.len() == before).then_some(Paging {
        offset: declared.offset,
        limit: declared.limit,
        items: declared.items,
        total: declared.total,
        first_offset: declared.first_offset,
        max_page_size: declared.max_page_size,
        item_schema,
    })
}

/// Name of the component schema of the items of array property `field`.
fn array_item_schema_name<'a>(schema: &'a Value, field: &str) -> Option<&'a str> {
    let property = schema.get("properties")?.get(field)?;
    if property.get("type").and_then(Value::as_str) != Some("array") {
        return None;
    }
    property
        .pointer("/items/$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

fn param(
    doc: &Value,
    p: &Value,
    pointer: &str,
    open_enums: &BTreeMap<String, OpenList>,
    scalars: &BTreeMap<String, Scalar>,
) -> Param {
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

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn str_at(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
