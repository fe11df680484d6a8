//! The `x-hwc-` vendor extensions, declared once as Rust types.
//!
//! What varies per service or operation lives in the spec as data under one
//! prefix. Each extension is a serde type here; its JSON Schema (derived with
//! schemars) is what the check validates every occurrence against, naming the
//! file and JSON pointer of a bad value, and is published for other teams'
//! tools as `published/x-hwc-extensions.schema.json`. [`EXTENSIONS`] says
//! where each one may appear.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use schemars::r#gen::SchemaSettings;
use serde::{Deserialize, Serialize};

mod task_view;

pub use task_view::{TaskFields, TaskStatuses, TaskView, TaskWindow, WindowFormat};

/// The prefix every extension of ours carries.
pub const PREFIX: &str = "x-hwc-";

/// Where in a document an extension may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The document root.
    Document,
    /// The first server object (`/servers/0`).
    Server,
    /// An operation object.
    Operation,
    /// A named component schema (`/components/schemas/<name>`).
    ComponentSchema,
    /// Any schema object.
    Schema,
    /// An operation, a parameter object or any schema object.
    Documented,
}

impl Place {
    /// How error messages name the place.
    pub fn phrase(self) -> &'static str {
        match self {
            Place::Document => "the document root",
            Place::Server => "servers[0]",
            Place::Operation => "an operation",
            Place::ComponentSchema => "a named component schema",
            Place::Schema => "a schema",
            Place::Documented => "an operation, a parameter or a schema",
        }
    }
}

/// Every extension: its key and the one place it may appear.
pub const EXTENSIONS: [(&str, Place); 10] = [
    ("x-hwc-sdk-service", Place::Document),
    ("x-hwc-source", Place::Document),
    ("x-hwc-task-view", Place::Document),
    ("x-hwc-scheduled-view", Place::Document),
    ("x-hwc-endpoint-exceptions", Place::Server),
    ("x-hwc-paging", Place::Operation),
    ("x-hwc-idempotent", Place::Operation),
    ("x-hwc-open-enum", Place::ComponentSchema),
    ("x-hwc-scalar", Place::Schema),
    ("x-hwc-doc-deviation", Place::Documented),
];

/// The place an extension key may appear, or `None` for an unknown key.
pub fn place_of(key: &str) -> Option<Place> {
    EXTENSIONS.iter().find(|(k, _)| *k == key).map(|(_, p)| *p)
}

/// All extensions as the properties of one object: the shape of the
/// published schema. A spec never contains this object; each property
/// describes one extension where [`EXTENSIONS`] allows it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "x-hwc- vendor extensions of the huaweicloud-tasks specs",
    description = "Each property is one extension; its description says where in an \
                   OpenAPI 3.0 document it may appear."
)]
pub struct Extensions {
    /// Document root. The SERVICE part of the official SDKs' endpoint override
    /// variable `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}`, for example `DCS`.
    #[serde(rename = "x-hwc-sdk-service", skip_serializing_if = "Option::is_none")]
    pub sdk_service: Option<SdkService>,
    /// Document root. The API Explorer definitions the spec was last
    /// compared with: the product and the version of the
    /// `huawei-cloud-api-definitions-<product>` crate. `cargo xtask doc sync`
    /// compares every operation with that version's definition.
    #[serde(rename = "x-hwc-source", skip_serializing_if = "Option::is_none")]
    pub source: Option<DefinitionsSource>,
    /// Document root. How the service's tasks map onto the common task view:
    /// which operations list, show, delete and report progress of a task,
    /// which item field is which, and what each raw status means.
    #[serde(rename = "x-hwc-task-view", skip_serializing_if = "Option::is_none")]
    pub task_view: Option<TaskView>,
    /// Document root. The same mapping for the service's scheduled tasks
    /// (work set to run later, in a maintenance window or at a given time),
    /// which it lists and cancels apart from its background tasks.
    #[serde(
        rename = "x-hwc-scheduled-view",
        skip_serializing_if = "Option::is_none"
    )]
    pub scheduled_view: Option<TaskView>,
    /// `servers[0]`. Region id to endpoint, for the regions whose endpoint does
    /// not follow the server URL pattern.
    #[serde(
        rename = "x-hwc-endpoint-exceptions",
        skip_serializing_if = "Option::is_none"
    )]
    pub endpoint_exceptions: Option<BTreeMap<String, HttpsUrl>>,
    /// An operation. How a list operation pages.
    #[serde(rename = "x-hwc-paging", skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
    /// An operation. Whether sending the request twice has the same effect as
    /// sending it once, so a failed attempt may be retried. Without it GET,
    /// HEAD, OPTIONS, PUT and DELETE are idempotent and POST and PATCH are not.
    #[serde(rename = "x-hwc-idempotent", skip_serializing_if = "Option::is_none")]
    pub idempotent: Option<bool>,
    /// A named component schema with `type: string`. The known values of an
    /// open list: any other value still decodes and is kept as sent.
    #[serde(rename = "x-hwc-open-enum", skip_serializing_if = "Option::is_none")]
    pub open_enum: Option<OpenEnum>,
    /// Any schema. A tolerant scalar: how a value the services send in more
    /// than one shape is read and written.
    #[serde(rename = "x-hwc-scalar", skip_serializing_if = "Option::is_none")]
    pub scalar: Option<Scalar>,
    /// An operation, a parameter or any schema. Where the spec deliberately
    /// differs from the API reference page: what the page says here and why
    /// the spec says otherwise. `cargo xtask doc diff` lists the difference
    /// as acknowledged while the page still says that.
    #[serde(
        rename = "x-hwc-doc-deviation",
        skip_serializing_if = "Option::is_none"
    )]
    pub doc_deviation: Option<DocDeviations>,
}

impl Extensions {
    /// The `x-hwc-` extensions written on one object of a document (a
    /// schema, an operation, a server), each read as its declared type.
    ///
    /// For documents that were not checked against today's rules, such as
    /// a spec at an earlier revision that `diff` compares with: a value that
    /// does not read as its type is left out, as if it were not written,
    /// rather than failing the whole object. Checked documents never have
    /// such values (the check validates each against the same type).
    pub fn of(object: &serde_json::Value) -> Extensions {
        let Some(map) = object.as_object() else {
            return Extensions::default();
        };
        let readable: serde_json::Map<String, serde_json::Value> = map
            .iter()
            .filter(|(key, value)| {
                key.starts_with(PREFIX)
                    && serde_json::from_value::<Extensions>(serde_json::json!({ *key: value }))
                        .is_ok()
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        serde_json::from_value(serde_json::Value::Object(readable)).unwrap_or_default()
    }
}

/// One deviation from the reference page, or several at one place
/// (`x-hwc-doc-deviation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DocDeviations {
    One(DocDeviation),
    Many(#[schemars(length(min = 1))] Vec<DocDeviation>),
}

impl DocDeviations {
    /// The deviations, one or many.
    pub fn items(&self) -> &[DocDeviation] {
        match self {
            DocDeviations::One(one) => std::slice::from_ref(one),
            DocDeviations::Many(many) => many,
        }
    }

    /// The deviations written on a spec object (none when it has no
    /// `x-hwc-doc-deviation` or, unchecked, an unreadable one).
    pub fn on(object: &serde_json::Value) -> Vec<DocDeviation> {
        object
            .get("x-hwc-doc-deviation")
            .and_then(|v| serde_json::from_value::<DocDeviations>(v.clone()).ok())
            .map(|d| d.items().to_vec())
            .unwrap_or_default()
    }
}

/// What the reference page says where the spec deliberately differs, and
/// why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocDeviation {
    /// The page's value as `doc diff` reports it: a name, a type (`string`),
    /// bounds (`1..1000`), a default, an example URL's prefix (`/opengauss`).
    /// Left out when the page does not have the parameter, field or status
    /// at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The parameter, field or status code meant, where the place alone
    /// does not say (on an operation: `begin_time`, `400`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only for this operation (an operationId), on a schema several
    /// operations share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Only against this kind of source: a quirk of the reference page
    /// (`page`) that the API Explorer definition does not share, or the
    /// reverse (`definition`). Without it, against either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<DocSource>,
    /// Why the spec differs from the page.
    #[schemars(length(min = 1))]
    pub reason: String,
}

/// The two kinds of documentation an operation is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DocSource {
    /// A reference page, copied as text or Markdown.
    Page,
    /// An API Explorer definition (Swagger 2.0 JSON).
    Definition,
}

/// An upper-case service name such as `DCS` or `GAUSSDBFOROPENGAUSS`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct SdkService(#[schemars(regex(pattern = r"^[A-Z][A-Z0-9_]*$"))] pub String);

/// The API Explorer definitions a spec follows (`x-hwc-source`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefinitionsSource {
    /// The product as the crate names it: `DCS` for
    /// `huawei-cloud-api-definitions-DCS`, `GaussDBforopenGauss`.
    #[schemars(regex(pattern = r"^[A-Za-z][A-Za-z0-9]*$"))]
    pub product: String,
    /// The crate's version, exactly (`0.1.20260626`).
    #[schemars(regex(pattern = r"^[0-9]+\.[0-9]+\.[0-9]+$"))]
    pub definitions: String,
}

/// An `https://` URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct HttpsUrl(
    #[schemars(regex(pattern = r"^https://[^\s/]+"))]
    pub String,
);

/// How a list operation pages (`x-hwc-paging`). Exactly one of `offset`,
/// `page` and `marker` names the parameter that moves from page to page; a
/// `marker` needs exactly one of `next-marker` and `marker-item` to say where
/// the next page's marker comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Paging {
    /// Query parameter holding the position of the first item of a page
    /// (offset/limit, start/limit): it advances by the items received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub offset: Option<String>,
    /// Query parameter holding the page number (page_no/page_size,
    /// page/per_page): it advances by one per page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub page: Option<String>,
    /// Query parameter holding the cursor: absent on the first request, then
    /// the marker the previous page gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub marker: Option<String>,
    /// With `marker`: the response field holding the next page's marker
    /// (dotted for nested ones, such as `page_info.next_marker`); the walk
    /// ends when it is absent or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub next_marker: Option<String>,
    /// With `marker`: the field of the page's last item whose value is the
    /// next page's marker (such as `id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub marker_item: Option<String>,
    /// Query parameter holding the page size.
    #[schemars(length(min = 1))]
    pub limit: String,
    /// Array property of the success response holding the page's items.
    #[schemars(length(min = 1))]
    pub items: String,
    /// Property of the success response holding the total number of items
    /// (dotted for a nested one): an integer, a string holding a number, or
    /// an `x-hwc-scalar: count`. Without it the walk ends on a short page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub total: Option<String>,
    /// Largest page size the service accepts.
    #[schemars(range(min = 1))]
    pub max_page_size: u64,
    /// With `offset`: the position of the very first item, 0 (the default)
    /// or 1. With `page`: the number of the first page, 1 (the default) or 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 1))]
    pub first_offset: Option<u64>,
}

/// The known values of an open list (`x-hwc-open-enum`): at least one,
/// none empty, none repeated; strings for a `type: string` component,
/// integers for a `type: integer` one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct OpenEnum(
    #[schemars(length(min = 1), schema_with = "unique_non_empty_values")] pub Vec<EnumValue>,
);

/// One known value of an open list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum EnumValue {
    Integer(i64),
    Text(String),
}

impl EnumValue {
    /// The value as text (`RUNNING`, `2`).
    pub fn text(&self) -> String {
        match self {
            EnumValue::Integer(n) => n.to_string(),
            EnumValue::Text(s) => s.clone(),
        }
    }
}

fn unique_non_empty_values(
    generator: &mut schemars::r#gen::SchemaGenerator,
) -> schemars::schema::Schema {
    use schemars::schema::{InstanceType, SchemaObject, SingleOrVec, StringValidation};
    let mut schema = <Vec<String>>::json_schema(generator).into_object();
    let array = schema.array();
    array.min_items = Some(1);
    array.unique_items = Some(true);
    let text = SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        string: Some(Box::new(StringValidation {
            min_length: Some(1),
            ..Default::default()
        })),
        ..Default::default()
    };
    let integer = SchemaObject {
        instance_type: Some(InstanceType::Integer.into()),
        ..Default::default()
    };
    let mut item = SchemaObject::default();
    item.subschemas().one_of = Some(vec![text.into(), integer.into()]);
    array.items = Some(SingleOrVec::Single(Box::new(item.into())));
    schema.into()
}

/// A tolerant scalar kind (`x-hwc-scalar`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Scalar {
    /// A non-negative count sent as a string or a number (`type: integer`, or
    /// `oneOf` string and integer).
    Count,
    /// A decimal sent as a string or a number; the exact text is kept
    /// (`type: number`, or `oneOf` string and number).
    Decimal,
    /// A response time stamp in one of the shapes the services send
    /// (`type: string`).
    Timestamp,
    /// A query time formatted `yyyyMMddHHmmss` in UTC (`type: string`).
    CompactTime,
    /// A query time as UNIX milliseconds in a string (`type: string`).
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

    /// Name of the synthetic component inline uses are pointed at.
    pub fn component_name(self) -> &'static str {
        match self {
            Scalar::Count => "HwcScalarCount",
            Scalar::Decimal => "HwcScalarDecimal",
            Scalar::Timestamp => "HwcScalarTimestamp",
            Scalar::CompactTime => "HwcScalarCompactTime",
            Scalar::EpochMillis => "HwcScalarEpochMillis",
        }
    }

    /// Whether a schema of this JSON type (or `oneOf` member types) can carry
    /// this scalar.
    pub fn fits(self, ty: Option<&str>, one_of: &[&str]) -> bool {
        match self {
            Scalar::Count => ty == Some("integer") || one_of == ["string", "integer"],
            Scalar::Decimal => ty == Some("number") || one_of == ["string", "number"],
            Scalar::Timestamp | Scalar::CompactTime | Scalar::EpochMillis => ty == Some("string"),
        }
    }
}

/// The JSON Schema (draft 7) of every extension: what specs are validated
/// against and what is published.
pub fn schema() -> serde_json::Value {
    let mut settings = SchemaSettings::draft07();
    // An extension is absent or a value, never `null`.
    settings.option_add_null_type = false;
    let schema = settings
        .into_generator()
        .into_root_schema_for::<Extensions>();
    serde_json::to_value(schema).unwrap_or_default()
}

/// The schema of one extension's value, standalone (with the definitions
/// it refers to), or `None` for an unknown key.
pub fn schema_of(key: &str) -> Option<serde_json::Value> {
    let root = schema();
    let mut one = root.pointer(&format!("/properties/{key}"))?.clone();
    if let (Some(map), Some(definitions)) = (one.as_object_mut(), root.get("definitions")) {
        map.insert("definitions".into(), definitions.clone());
    }
    Some(one)
}

/// [`schema`] as the published file's text.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}
