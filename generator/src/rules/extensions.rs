//! The `x-hwc-` vendor extensions: what varies per endpoint, kept in the spec as data.
//!
//! | extension | where | meaning |
//! |---|---|---|
//! | `x-hwc-sdk-service` | document root | SERVICE part of the official SDKs' `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}` override |
//! | `x-hwc-endpoint-exceptions` | `servers[0]` | region id → endpoint for regions that do not follow the server URL pattern |
//! | `x-hwc-open-enum` | component schema, `type: string` | the known values of an open list; any other value still decodes |
//! | `x-hwc-scalar` | any schema | a tolerant scalar: `count`, `decimal`, `timestamp` (responses), `compact-time`, `epoch-millis` (query times) |
//! | `x-hwc-paging` | operation | how the list operation pages: `offset`, `limit`, `items`, `total`, `max-page-size`, optional `first-offset` |
//!
//! Anything else under the `x-hwc-` prefix, or a known extension in the wrong
//! place or shape, is an error naming the file and pointer.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{SpecError, pointer_join};
use crate::spec::bundle::Bundle;
use crate::spec::walk::{SchemaSite, deref, visit_schemas};

/// The prefix every extension of ours carries.
pub const PREFIX: &str = "x-hwc-";

/// A tolerant scalar kind (`x-hwc-scalar`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scalar {
    /// A non-negative count sent as a string or a number.
    Count,
    /// A decimal sent as a string or a number; the exact text is kept.
    Decimal,
    /// A response time stamp in one of the shapes the services send.
    Timestamp,
    /// A query time formatted `yyyyMMddHHmmss` (UTC).
    CompactTime,
    /// A query time as UNIX milliseconds in a string.
    EpochMillis,
}

impl Scalar {
    pub const ALL: [Scalar; 5] = [
        Scalar::Count,
        Scalar::Decimal,
        Scalar::Timestamp,
        Scalar::CompactTime,
        Scalar::EpochMillis,
    ];

    /// The spelling used in the spec.
    pub fn spec_name(self) -> &'static str {
        match self {
            Scalar::Count => "count",
            Scalar::Decimal => "decimal",
            Scalar::Timestamp => "timestamp",
            Scalar::CompactTime => "compact-time",
            Scalar::EpochMillis => "epoch-millis",
        }
    }

    /// The runtime type (a path in the client crate) that represents it.
    pub fn rust_type(self) -> &'static str {
        match self {
            Scalar::Count => "crate::scalars::Count",
            Scalar::Decimal => "crate::scalars::Decimal",
            Scalar::Timestamp => "crate::scalars::Timestamp",
            Scalar::CompactTime => "crate::scalars::CompactTime",
            Scalar::EpochMillis => "crate::scalars::EpochMillis",
        }
    }

    /// Name of the synthetic component the generator points inline uses at.
    pub fn component_name(self) -> &'static str {
        match self {
            Scalar::Count => "HwcScalarCount",
            Scalar::Decimal => "HwcScalarDecimal",
            Scalar::Timestamp => "HwcScalarTimestamp",
            Scalar::CompactTime => "HwcScalarCompactTime",
            Scalar::EpochMillis => "HwcScalarEpochMillis",
        }
    }

    fn parse(text: &str) -> Option<Scalar> {
        Scalar::ALL.into_iter().find(|s| s.spec_name() == text)
    }

    /// Whether a schema has a shape this scalar can stand for.
    fn fits(self, schema: &Value) -> bool {
        let ty = schema.get("type").and_then(Value::as_str);
        let one_of: Vec<&str> = schema
            .get("oneOf")
            .and_then(Value::as_array)
            .map(|m| {
                m.iter()
                    .filter_map(|s| s.get("type").and_then(Value::as_str))
                    .collect()
            })
            .unwrap_or_default();
        match self {
            Scalar::Count => ty == Some("integer") || one_of == ["string", "integer"],
            Scalar::Decimal => ty == Some("number") || one_of == ["string", "number"],
            Scalar::Timestamp | Scalar::CompactTime | Scalar::EpochMillis => ty == Some("string"),
        }
    }
}

/// How a list operation pages (`x-hwc-paging`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    /// Query parameter holding the position of the first item.
    pub offset: String,
    /// Query parameter holding the page size.
    pub limit: String,
    /// Response field holding the items of the page.
    pub items: String,
    /// Response field holding the total number of items.
    pub total: String,
    /// Position of the very first item (0, or 1 for 1-based APIs).
    pub first_offset: u64,
    /// Largest page size the service accepts.
    pub max_page_size: u64,
}

/// Region table of a service (servers + `x-hwc-endpoint-exceptions` + `x-hwc-sdk-service`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub sdk_service: String,
    /// URL pattern with a `{region}` placeholder.
    pub pattern: String,
    pub default_region: String,
    pub regions: Vec<String>,
    pub exceptions: BTreeMap<String, String>,
}

/// Reads `x-hwc-scalar` of a schema, if any (assumes [`check`] passed).
pub fn scalar_of(schema: &Value) -> Option<Scalar> {
    schema
        .get("x-hwc-scalar")
        .and_then(Value::as_str)
        .and_then(Scalar::parse)
}

/// Reads `x-hwc-open-enum` of a schema, if any (assumes [`check`] passed).
pub fn open_enum_of(schema: &Value) -> Option<Vec<String>> {
    schema
        .get("x-hwc-open-enum")
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
}

/// Reads `x-hwc-paging` of an operation, if any.
pub fn paging_of(operation: &Value) -> Result<Option<Paging>, String> {
    let Some(raw) = operation.get("x-hwc-paging") else {
        return Ok(None);
    };
    let Value::Object(map) = raw else {
        return Err("x-hwc-paging must be an object".into());
    };
    const KEYS: [&str; 6] = [
        "offset",
        "limit",
        "items",
        "total",
        "max-page-size",
        "first-offset",
    ];
    if let Some(unknown) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "x-hwc-paging has unknown key `{unknown}` (allowed: {})",
            KEYS.join(", ")
        ));
    }
    let text = |key: &str| -> Result<String, String> {
        map.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| format!("x-hwc-paging.{key} must be a non-empty string"))
    };
    let max_page_size = map
        .get("max-page-size")
        .and_then(Value::as_u64)
        .filter(|n| *n >= 1)
        .ok_or("x-hwc-paging.max-page-size must be an integer >= 1")?;
    let first_offset = match map.get("first-offset") {
        None => 0,
        Some(v) => v
            .as_u64()
            .filter(|n| *n <= 1)
            .ok_or("x-hwc-paging.first-offset must be 0 or 1")?,
    };
    Ok(Some(Paging {
        offset: text("offset")?,
        limit: text("limit")?,
        items: text("items")?,
        total: text("total")?,
        first_offset,
        max_page_size,
    }))
}

/// Reads the region table of a document.
pub fn endpoints_of(document: &Value) -> Result<Endpoints, (String, String)> {
    let sdk_service = document
        .get("x-hwc-sdk-service")
        .and_then(Value::as_str)
        .filter(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .ok_or((
            "/x-hwc-sdk-service".to_string(),
            "x-hwc-sdk-service must be an upper-case name such as DCS".to_string(),
        ))?
        .to_string();
    let server = document.pointer("/servers/0").ok_or((
        "/servers".to_string(),
        "a server with a {region} variable is required".to_string(),
    ))?;
    let pattern = server
        .get("url")
        .and_then(Value::as_str)
        .filter(|u| u.starts_with("https://") && u.contains("{region}"))
        .ok_or((
            "/servers/0/url".to_string(),
            "the server url must be https:// and contain {region}".to_string(),
        ))?
        .to_string();
    let region = server.pointer("/variables/region").ok_or((
        "/servers/0/variables".to_string(),
        "the server needs a `region` variable".to_string(),
    ))?;
    let regions: Vec<String> = region
        .get("enum")
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .filter(|v: &Vec<String>| !v.is_empty())
        .ok_or((
            "/servers/0/variables/region/enum".to_string(),
            "list the known regions in the `region` variable's enum".to_string(),
        ))?;
    let default_region = region
        .get("default")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !regions.contains(&default_region) {
        return Err((
            "/servers/0/variables/region/default".into(),
            format!("default region `{default_region}` is not in the enum"),
        ));
    }
    let mut exceptions = BTreeMap::new();
    if let Some(raw) = server.get("x-hwc-endpoint-exceptions") {
        let pointer = "/servers/0/x-hwc-endpoint-exceptions";
        let Value::Object(map) = raw else {
            return Err((pointer.into(), "must map region ids to URLs".into()));
        };
        for (id, url) in map {
            let at = pointer_join(pointer, id);
            if !regions.contains(id) {
                return Err((at, format!("region `{id}` is not in the region enum")));
            }
            let url = url
                .as_str()
                .filter(|u| u.starts_with("https://"))
                .ok_or((at, "the endpoint must be an https:// URL".to_string()))?;
            exceptions.insert(id.clone(), url.to_string());
        }
    }
    Ok(Endpoints {
        sdk_service,
        pattern,
        default_region,
        regions,
        exceptions,
    })
}

/// Checks every `x-hwc-` key of a bundled document: known name, right place,
/// right shape.
pub fn check(bundle: &Bundle) -> Vec<SpecError> {
    let doc = &bundle.document;
    let mut errors = Vec::new();
    let mut allowed: BTreeMap<String, &'static str> = BTreeMap::new();
    allowed.insert("/x-hwc-sdk-service".into(), "x-hwc-sdk-service");
    allowed.insert(
        "/servers/0/x-hwc-endpoint-exceptions".into(),
        "x-hwc-endpoint-exceptions",
    );
    if let Err((pointer, message)) = endpoints_of(doc) {
        errors.push(bundle.error(&pointer, message));
    }
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for (path, item) in paths {
            let Value::Object(methods) = item else {
                continue;
            };
            for (method, op) in methods {
                let at = pointer_join(&pointer_join("/paths", path), method);
                allowed.insert(pointer_join(&at, "x-hwc-paging"), "x-hwc-paging");
                match paging_of(op) {
                    Err(message) => errors.push(bundle.error(&at, message)),
                    Ok(Some(paging)) => check_paging(bundle, &at, op, &paging, &mut errors),
                    Ok(None) => {}
                }
            }
        }
    }
    visit_schemas(doc, &mut |pointer, schema, site| {
        if let Some(raw) = schema.get("x-hwc-scalar") {
            let at = pointer_join(pointer, "x-hwc-scalar");
            allowed.insert(at.clone(), "x-hwc-scalar");
            match raw.as_str().and_then(Scalar::parse) {
                None => errors.push(bundle.error(
                    &at,
                    format!(
                        "x-hwc-scalar must be one of {}",
                        Scalar::ALL.map(Scalar::spec_name).join(", ")
                    ),
                )),
                Some(s) if !s.fits(schema) => errors.push(bundle.error(
                    &at,
                    format!(
                        "x-hwc-scalar `{}` does not fit this schema's type",
                        s.spec_name()
                    ),
                )),
                Some(_) => {}
            }
        }
        if let Some(raw) = schema.get("x-hwc-open-enum") {
            let at = pointer_join(pointer, "x-hwc-open-enum");
            allowed.insert(at.clone(), "x-hwc-open-enum");
            let values: Option<Vec<&str>> = raw
                .as_array()
                .and_then(|v| v.iter().map(Value::as_str).collect());
            let message = match values {
                _ if !matches!(site, SchemaSite::Component(_)) => Some(
                    "x-hwc-open-enum is allowed only on a named component schema (it becomes a \
                     named type); move it to #/components/schemas and $ref it"
                        .to_string(),
                ),
                _ if schema.get("type").and_then(Value::as_str) != Some("string") => {
                    Some("x-hwc-open-enum needs `type: string`".into())
                }
                _ if schema.get("enum").is_some() => Some(
                    "an open enum must not also have a closed `enum`; keep the values in \
                     x-hwc-open-enum"
                        .into(),
                ),
                None => Some("x-hwc-open-enum must be a list of strings".into()),
                Some(v) if v.is_empty() => Some("x-hwc-open-enum must not be empty".into()),
                Some(v) => {
                    let mut seen = std::collections::BTreeSet::new();
                    v.iter()
                        .find(|x| x.is_empty() || !seen.insert(**x))
                        .map(|x| format!("x-hwc-open-enum value `{x}` is empty or repeated"))
                }
            };
            if let Some(message) = message {
                errors.push(bundle.error(&at, message));
            }
        }
    });
    // Every x-hwc- key anywhere must be one we know, in a place we allow.
    walk_extension_keys(doc, "", &mut |pointer, key| {
        if !allowed.contains_key(pointer) {
            let known = [
                "x-hwc-sdk-service",
                "x-hwc-endpoint-exceptions",
                "x-hwc-open-enum",
                "x-hwc-scalar",
                "x-hwc-paging",
            ];
            let message = if known.contains(&key) {
                format!("{key} is not allowed here")
            } else {
                format!("unknown extension `{key}` (known: {})", known.join(", "))
            };
            errors.push(bundle.error(pointer, message));
        }
    });
    errors
}

fn check_paging(
    bundle: &Bundle,
    at: &str,
    op: &Value,
    paging: &Paging,
    errors: &mut Vec<SpecError>,
) {
    let doc = &bundle.document;
    let params: Vec<String> = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .filter_map(|p| deref(doc, p).get("name").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    for name in [&paging.offset, &paging.limit] {
        if !params.contains(name) {
            errors.push(bundle.error(
                &pointer_join(at, "x-hwc-paging"),
                format!("paging parameter `{name}` is not a parameter of this operation"),
            ));
        }
    }
    let schema = op
        .pointer("/responses/200/content/application~1json/schema")
        .map(|s| deref(doc, s));
    for field in [&paging.items, &paging.total] {
        if schema
            .and_then(|s| s.pointer(&pointer_join("/properties", field)))
            .is_none()
        {
            errors.push(bundle.error(
                &pointer_join(at, "x-hwc-paging"),
                format!("paging field `{field}` is not a property of the 200 response"),
            ));
        }
    }
}

fn walk_extension_keys(value: &Value, pointer: &str, f: &mut dyn FnMut(&str, &str)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let p = pointer_join(pointer, key);
                if key.starts_with(PREFIX) {
                    f(&p, key);
                } else if key != "example" && key != "examples" {
                    walk_extension_keys(child, &p, f);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk_extension_keys(child, &format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}
