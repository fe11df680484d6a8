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
    Endpoints, FieldPath, Location, Method, NextMarker, OpenList, Operation, Paging, PagingStyle,
    Param, Rule, Service, Success, Total, TotalKind,
};
use crate::error::{SpecError, pointer_join};
use crate::spec::bundle::Bundle;
use crate::spec::walk::{deref, operations, visit_schemas};

/// Builds the model of a bundled document that passed the house rules.
pub fn build(bundle: &Bundle, module: &str) -> Result<Service, Vec<SpecError>> {
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
            implicit_enums: lists.implicit,
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

/// The 2xx responses: their statuses and the one named schema of their JSON
/// bodies.
fn success(
    bundle: &Bundle,
    at: &crate::spec::walk::OperationAt<'_>,
    errors: &mut Vec<SpecError>,
) -> Option<Success> {
    let responses = at.op.get("responses").and_then(Value::as_object)?;
    let found: Vec<(&String, &Value)> = responses
        .iter()
        .filter(|(code, _)| code.starts_with('2'))
        .collect();
    if found.is_empty() {
        errors.push(bundle.error(&at.pointer, "operation documents no 2xx response"));
        return None;
    }
    let before = errors.len();
    let mut statuses = Vec::new();
    let mut bodies: Vec<(String, Option<String>)> = Vec::new();
    for (code, response) in found {
        let at_response = pointer_join(&pointer_join(&at.pointer, "responses"), code);
        let Ok(status) = code.parse::<u16>() else {
            errors.push(bundle.error(
                &at_response,
                format!("`{code}` is not a status code: write each 2xx status (200, 204...)"),
            ));
            continue;
        };
        let Some(schema) = success_body(
            bundle,
            &at_response,
            deref(&bundle.document, response),
            errors,
        ) else {
            continue;
        };
        if status == 204 && schema.is_some() {
            errors.push(bundle.error(&at_response, "a 204 response has no body"));
            continue;
        }
        statuses.push(status);
        bodies.push((at_response, schema));
    }
    let named: Vec<&(String, Option<String>)> =
        bodies.iter().filter(|(_, s)| s.is_some()).collect();
    if let Some((first_at, first)) = named.first()
        && let Some((other_at, other)) = named.iter().find(|(_, s)| s != first)
    {
        errors.push(bundle.error(
            other_at,
            format!(
                "2xx responses answer different bodies ({} here, {} at {first_at}): the client \
                 returns one shape; give them one schema",
                other.as_deref().unwrap_or_default(),
                first.as_deref().unwrap_or_default()
            ),
        ));
    }
    if errors.len() != before {
        return None;
    }
    let schema = named.first().and_then(|(_, s)| s.clone());
    let body_optional = schema.is_some() && named.len() < bodies.len();
    Some(Success {
        status: *statuses.first()?,
        statuses,
        schema,
        body_optional,
    })
}

/// The named schema of one success response's JSON body (`Some(None)` for
/// none), or `None` after reporting a body the client cannot read.
fn success_body(
    bundle: &Bundle,
    at_response: &str,
    response: &Value,
    errors: &mut Vec<SpecError>,
) -> Option<Option<String>> {
    let content = match response.get("content").and_then(Value::as_object) {
        None => return Some(None),
        Some(content) if content.is_empty() => return Some(None),
        Some(content) => content,
    };
    let named = content
        .get("application/json")
        .and_then(|m| m.pointer("/schema/$ref"))
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"));
    match named {
        Some(name) if content.len() == 1 => Some(Some(name.to_string())),
        _ => {
            errors.push(bundle.error(
                &pointer_join(at_response, "content"),
                "a success body must be application/json with a $ref to a named \
                 component schema (or no content at all)",
            ));
            None
        }
    }
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
    let mut fail = |message: String| errors.push(bundle.error(&here, message));
    let style = paging_style(&declared, &mut fail);
    let query_param = |name: &str| {
        params
            .iter()
            .find(|p| p.name == name && p.location == Location::Query)
    };
    let mut check_param = |name: &str, role: &str, types: &[&str]| match query_param(name) {
        None => fail(format!(
            "paging parameter `{name}` is not a query parameter of this operation"
        )),
        Some(p) if !types.contains(&p.json_type.as_str()) || p.open_enum.is_some() => {
            fail(format!(
                "paging parameter `{name}` ({role}) must be of type {}; it is `{}`",
                types.join(" or "),
                if p.open_enum.is_some() {
                    "an open enum"
                } else {
                    &p.json_type
                }
            ))
        }
        Some(_) => {}
    };
    check_param(&declared.limit, "the page size", &["integer", "string"]);
    match &style {
        Some(PagingStyle::Marker { param, .. }) => check_param(param, "the marker", &["string"]),
        Some(PagingStyle::Offset { param, .. } | PagingStyle::PageNumber { param, .. }) => {
            check_param(param, "the position", &["integer", "string"])
        }
        None => {}
    }
    let doc = &bundle.document;
    let schema = success
        .schema
        .as_ref()
        .and_then(|s| doc.pointer(&pointer_join("/components/schemas", s)));
    let Some(schema) = schema.filter(|_| !success.body_optional) else {
        errors.push(bundle.error(
            &here,
            "a paged operation needs a JSON success body on every 2xx status",
        ));
        return None;
    };
    if schema
        .pointer(&pointer_join("/properties", &declared.items))
        .is_none()
    {
        errors.push(bundle.error(
            &here,
            format!(
                "paging field `{}` is not a property of the success response",
                declared.items
            ),
        ));
    }
    let item_schema = array_item_schema_name(schema, &declared.items).map(str::to_string);
    if item_schema.is_none() && errors.len() == before {
        errors.push(bundle.error(
            &here,
            format!(
                "paging field `{}` must be an array whose items $ref a named component schema",
                declared.items
            ),
        ));
    }
    let total = declared.total.as_ref().and_then(|dotted| {
        let path = FieldPath::parse(dotted);
        let found = field_type(doc, schema, &path);
        match found.as_ref().map(|(ty, scalar)| (ty.as_str(), *scalar)) {
            Ok((_, Some(Scalar::Count))) => Some(Total {
                path,
                kind: TotalKind::Count,
            }),
            Ok(("integer", None)) => Some(Total {
                path,
                kind: TotalKind::Integer,
            }),
            Ok(("string", None)) => Some(Total {
                path,
                kind: TotalKind::NumericString,
            }),
            Ok((other, _)) => {
                errors.push(bundle.error(
                    &here,
                    format!(
                        "paging total `{dotted}` is `{other}`: write an integer, a string \
                         holding a number, or a count (`x-hwc-scalar: count`)"
                    ),
                ));
                None
            }
            Err(message) => {
                errors.push(bundle.error(&here, format!("paging total `{dotted}`: {message}")));
                None
            }
        }
    });
    if let Some(PagingStyle::Marker { next, .. }) = &style {
        let (owner, path, what) = match next {
            NextMarker::Field(path) => (Some(schema), path.clone(), "next-marker"),
            NextMarker::LastItem(field) => (
                item_schema
                    .as_ref()
                    .and_then(|s| doc.pointer(&pointer_join("/components/schemas", s))),
                FieldPath(vec![field.clone()]),
                "marker-item",
            ),
        };
        if let Some(owner) = owner {
            match field_type(doc, owner, &path) {
                Ok((ty, None)) if ty == "string" || ty == "integer" => {}
                Ok((ty, _)) => errors.push(bundle.error(
                    &here,
                    format!(
                        "paging {what} `{}` must be a string or an integer; it is `{ty}`",
                        path.dotted()
                    ),
                )),
                Err(message) => errors.push(bundle.error(
                    &here,
                    format!("paging {what} `{}`: {message}", path.dotted()),
                )),
            }
        }
    }
    if errors.len() != before {
        return None;
    }
    Some(Paging {
        style: style?,
        limit: declared.limit,
        items: declared.items,
        total,
        max_page_size: declared.max_page_size,
        item_schema: item_schema?,
    })
}

/// Which parameter moves from page to page, from the one of `offset`, `page`
/// and `marker` that is given.
fn paging_style(
    declared: &extensions::Paging,
    fail: &mut impl FnMut(String),
) -> Option<PagingStyle> {
    let given: Vec<&str> = [
        declared.offset.as_ref().map(|_| "offset"),
        declared.page.as_ref().map(|_| "page"),
        declared.marker.as_ref().map(|_| "marker"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if given.len() != 1 {
        fail(format!(
            "name exactly one of `offset` (a position), `page` (a page number) and `marker` \
             (a cursor); found {}",
            if given.is_empty() {
                "none".to_string()
            } else {
                given.join(", ")
            }
        ));
        return None;
    }
    let marker_only = declared.next_marker.is_some() || declared.marker_item.is_some();
    if declared.marker.is_none() && marker_only {
        fail("`next-marker` and `marker-item` go with `marker`".into());
        return None;
    }
    if let Some(param) = &declared.offset {
        return Some(PagingStyle::Offset {
            param: param.clone(),
            first: declared.first_offset.unwrap_or(0),
        });
    }
    if let Some(param) = &declared.page {
        return Some(PagingStyle::PageNumber {
            param: param.clone(),
            first: declared.first_offset.unwrap_or(1),
        });
    }
    let param = declared.marker.clone()?;
    if declared.first_offset.is_some() {
        fail("`first-offset` goes with `offset` or `page`, not `marker`".into());
        return None;
    }
    let next = match (&declared.next_marker, &declared.marker_item) {
        (Some(field), None) => NextMarker::Field(FieldPath::parse(field)),
        (None, Some(field)) => NextMarker::LastItem(field.clone()),
        _ => {
            fail(
                "a `marker` needs exactly one of `next-marker` (the response field holding \
                 the next marker) and `marker-item` (the field of the last item that is it)"
                    .into(),
            );
            return None;
        }
    };
    Some(PagingStyle::Marker { param, next })
}

/// The JSON type of the field at `path` below `schema` (following `$ref`s),
/// with its tolerant scalar if it has one.
fn field_type(
    doc: &Value,
    schema: &Value,
    path: &FieldPath,
) -> Result<(String, Option<Scalar>), String> {
    let mut current = schema;
    for (i, name) in path.0.iter().enumerate() {
        let object = deref(doc, current);
        let Some(property) = object.get("properties").and_then(|p| p.get(name)) else {
            return Err(format!(
                "`{}` is not a property of the success response",
                FieldPath(path.0[..=i].to_vec()).dotted()
            ));
        };
        current = property;
    }
    let leaf = deref(doc, current);
    let ty = match (leaf.get("type").and_then(Value::as_str), leaf.get("oneOf")) {
        (Some(ty), _) => ty.to_string(),
        (None, Some(_)) => "oneOf".to_string(),
        (None, None) => "untyped".to_string(),
    };
    let scalar = leaf
        .get("x-hwc-scalar")
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    Ok((ty, scalar))
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

/// The string at `key` of an object, or empty.
pub(super) fn text(value: &Value, key: &str) -> String {
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
