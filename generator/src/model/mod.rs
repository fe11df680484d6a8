//! The typed model of a service: every fact later stages need, read from the
//! checked document once.
//!
//! [`build`] turns a bundled document that passed the house rules into a
//! [`Service`]; it is the only place that reads the `x-hwc-` extensions
//! ([`extensions`] declares them). Client code, the service table, the
//! summary and the published documents all read this model, so every command
//! accepts and rejects exactly the same specs.

pub mod body;
pub mod build;
pub mod enums;
pub mod extensions;
pub mod names;
mod paging;
mod read;
mod responses;
pub mod rules;
pub mod schema;
mod toplevel;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

pub use body::{Body, Example, Header, Media, Response};
pub use build::build;
pub use extensions::{OpenEnum, Scalar};
pub use schema::Schema;

/// One service spec, checked.
#[derive(Debug, Clone)]
pub struct Service {
    /// Module name in the client crate (`dcs`): the spec's file stem.
    pub module: String,
    /// The service's spec file.
    pub file: PathBuf,
    pub title: String,
    pub version: String,
    /// `info.description`, as written.
    pub description: Option<String>,
    /// The OpenAPI version the document is written in (`3.0.3`).
    pub openapi: String,
    pub endpoints: Endpoints,
    /// The servers as written (the first one is the region pattern of
    /// [`Endpoints`]).
    pub servers: Vec<Server>,
    /// Operations in path order, then method order (sorted, so generated
    /// code does not move when a spec reorders its paths);
    /// [`Operation::position`] gives the order the document lists them in.
    pub operations: Vec<Operation>,
    /// Named open-list components (`x-hwc-open-enum`): name → description
    /// and known values.
    pub open_enums: BTreeMap<String, OpenList>,
    /// Every plain `enum`, which the client keeps open too: JSON pointer of
    /// its schema in the bundled document → type name and values.
    pub implicit_enums: BTreeMap<String, enums::ImplicitEnum>,
    /// Every tolerant scalar: JSON pointer of the schema in the bundled
    /// document → its kind.
    pub scalars: BTreeMap<String, Scalar>,
    /// The document's security requirements: alternatives, each the names
    /// of the schemes used together.
    pub security: Vec<Vec<String>>,
    /// The security schemes, in the order written.
    pub security_schemes: Vec<SecurityScheme>,
    /// The named component schemas, in the order written.
    pub schemas: Vec<(String, Schema)>,
    /// How the service's tasks map onto the common task view, checked
    /// against its operations.
    pub task_view: Option<extensions::TaskView>,
    /// The same for its scheduled tasks (`x-hwc-scheduled-view`).
    pub scheduled_view: Option<extensions::TaskView>,
    /// The API Explorer definitions the spec follows (`x-hwc-source`).
    pub source: Option<extensions::DefinitionsSource>,
}

impl Service {
    /// The operations in the order the document lists them (paths as
    /// written, then methods as written under each path).
    pub fn operations_as_written(&self) -> Vec<&Operation> {
        let mut ops: Vec<&Operation> = self.operations.iter().collect();
        ops.sort_by_key(|op| op.position);
        ops
    }

    /// The component schema named `name`, if there is one.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemas.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }

    /// The open list a component schema declares, if any.
    pub fn open_enum(&self, component: &str) -> Option<&OpenList> {
        self.open_enums.get(component)
    }

    /// The tolerant scalar declared at a schema pointer, if any.
    pub fn scalar_at(&self, pointer: &str) -> Option<Scalar> {
        self.scalars.get(pointer).copied()
    }
}

/// An open list: known values of strings or integers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenList {
    pub description: String,
    /// The values, integers written in decimal.
    pub values: Vec<String>,
    /// Whether the values are integers (`type: integer`).
    pub integer: bool,
}

impl OpenList {
    /// The Rust variant name of each value, in order: `V0`, `Minus1` for
    /// integers.
    pub fn variant_names(&self) -> Vec<String> {
        self.values
            .iter()
            .map(|v| match (self.integer, v.strip_prefix('-')) {
                (true, Some(n)) => format!("Minus{n}"),
                (true, None) => format!("V{v}"),
                (false, _) => variant_name(v),
            })
            .collect()
    }

    /// Checks that the values give distinct, usable variant names.
    pub fn check_variant_names(&self) -> Result<(), String> {
        let mut seen = BTreeMap::new();
        for (value, name) in self.values.iter().zip(self.variant_names()) {
            if name == "Unknown" {
                return Err(format!(
                    "value `{value}` would clash with the Unknown variant"
                ));
            }
            if let Some(other) = seen.insert(name.clone(), value) {
                return Err(format!(
                    "values `{other}` and `{value}` both become the variant `{name}`"
                ));
            }
        }
        Ok(())
    }
}

/// Variant name for a wire value (`masterStandbySwapJob` → `MasterStandbySwapJob`,
/// `EXTEND` → `Extend`, `ha_rw_split` → `HaRwSplit`).
pub fn variant_name(value: &str) -> String {
    use heck::ToPascalCase;
    let lowered = if value.chars().any(|c| c.is_ascii_lowercase()) {
        value.to_string()
    } else {
        value.to_ascii_lowercase()
    };
    let name = lowered.to_pascal_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) || name.is_empty() {
        format!("V{name}")
    } else {
        name
    }
}

/// A server of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The URL as written, with its `{variable}` placeholders.
    pub url: String,
    pub description: Option<String>,
    /// Its variables, in the order written.
    pub variables: Vec<ServerVariable>,
}

/// A variable of a server URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVariable {
    pub name: String,
    pub description: Option<String>,
    pub default: String,
    /// `enum`, each value as text.
    pub values: Vec<String>,
}

/// A security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    pub name: String,
    /// `type` (`apiKey`, `http`...).
    pub kind: String,
    /// Where the credential goes, when the scheme says: (`in`, `name`).
    pub place: Option<(String, String)>,
    pub description: String,
}

/// The region table of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// SERVICE in `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}`.
    pub sdk_service: String,
    /// URL pattern with a `{region}` placeholder.
    pub pattern: String,
    pub default_region: String,
    pub regions: Vec<String>,
    /// Regions whose endpoint does not follow the pattern.
    pub exceptions: BTreeMap<String, String>,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// The methods in the order operations are listed under one path.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// The key under a path item (`get`).
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }

    /// The method as sent (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether HTTP defines the method as idempotent (RFC 9110, 9.2.2).
    pub fn idempotent_by_definition(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The operationId, as the official SDKs name it (`ListCenterTask`).
    pub name: String,
    /// The builder method's name (`list_center_task`).
    pub fn_name: String,
    pub method: Method,
    /// Path template (`/v2/{project_id}/tasks`).
    pub path: String,
    /// JSON pointer of the operation object in the bundled document.
    pub pointer: String,
    /// Where the document lists it among all operations (paths as written,
    /// then methods as written), from 0.
    pub position: usize,
    pub summary: String,
    pub description: String,
    pub deprecated: bool,
    pub tags: Vec<String>,
    /// The path item's parameters, then the operation's (one with the same
    /// name and location replaces the path item's).
    pub params: Vec<Param>,
    /// Name of the component schema of a JSON request body.
    pub request_body: Option<String>,
    /// The request body as documented.
    pub request: Option<Body>,
    pub success: Success,
    /// Documented error statuses (`400`, `default`...), sorted.
    pub error_statuses: Vec<String>,
    /// Every documented response, success and error, in the order written.
    pub responses: Vec<Response>,
    pub paging: Option<Paging>,
    /// Whether a failed attempt may be sent again (the method's semantics, or
    /// `x-hwc-idempotent`).
    pub idempotent: bool,
}

/// The success responses of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success {
    /// Every documented 2xx status, in order; never empty.
    pub statuses: Vec<u16>,
    /// Name of the component schema of the JSON body; `None` for no body.
    /// Every 2xx status that has a body has this one.
    pub schema: Option<String>,
    /// Whether some 2xx statuses answer this body and others none (a DELETE
    /// answering 200 with the record or 204): the client then returns an
    /// `Option` of the body.
    pub body_optional: bool,
}

impl Success {
    /// The first documented status code (`200`, `202`, `204`...).
    pub fn status(&self) -> u16 {
        self.statuses.first().copied().unwrap_or(200)
    }
}

/// How a list operation pages, with the type of its total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    pub style: PagingStyle,
    /// Query parameter holding the page size.
    pub limit: String,
    /// Array property of the success response holding a page's items.
    pub items: String,
    /// Where the total number of items is, and its type.
    pub total: Option<Total>,
    pub max_page_size: u64,
}

impl Paging {
    /// The query parameter that moves from page to page.
    pub fn position_param(&self) -> &str {
        match &self.style {
            PagingStyle::Offset { param, .. }
            | PagingStyle::PageNumber { param, .. }
            | PagingStyle::Marker { param, .. } => param,
        }
    }
}

/// What moves from one page to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingStyle {
    /// The position of the first item (`offset`, or `start` counting from
    /// 1), advanced by the items received.
    Offset { param: String, first: u64 },
    /// The page number (`page_no`, `page`), advanced by one.
    PageNumber { param: String, first: u64 },
    /// A cursor: absent at first, then the marker the previous page gave.
    Marker { param: String, next: NextMarker },
}

/// Where a page gives the next page's marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextMarker {
    /// A response field, by its path of property names
    /// (`page_info.next_marker`).
    Field(FieldPath),
    /// This field of the page's last item (`id`).
    LastItem(String),
}

/// A response field named by its property names from the body down
/// (written dotted in the spec: `page_info.total`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath(pub Vec<String>);

impl FieldPath {
    /// Reads a dotted path (`page_info.next_marker`).
    pub fn parse(dotted: &str) -> Self {
        Self(dotted.split('.').map(str::to_string).collect())
    }

    /// The path written dotted, as in the spec.
    pub fn dotted(&self) -> String {
        self.0.join(".")
    }
}

/// The total number of items of a paged list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    pub path: FieldPath,
    pub kind: TotalKind,
}

/// How a total is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalKind {
    /// `type: integer` (any format).
    Integer,
    /// `type: string` holding a number.
    NumericString,
    /// `x-hwc-scalar: count`: a string or a number.
    Count,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

/// A parameter with every rule the runtime checks before sending.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub location: Location,
    pub required: bool,
    /// Where the parameter is written (where a `$ref` to it points).
    pub pointer: String,
    /// Its schema, as written.
    pub schema: Schema,
    pub description: String,
    /// The parameter's `example`, or else its schema's.
    pub example: Option<crate::spec::document::Node>,
    /// The JSON type of its schema (`string`, `integer`...).
    pub json_type: String,
    pub format: Option<String>,
    pub rules: Vec<Rule>,
    pub default: Option<Value>,
    pub scalar: Option<Scalar>,
    /// The open-list component the schema refers to, if any.
    pub open_enum: Option<String>,
}

/// A documented constraint on a parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// An integer within an inclusive range.
    Integer { min: Option<i64>, max: Option<i64> },
    /// At least this many characters.
    MinLength(u64),
    /// At most this many characters.
    MaxLength(u64),
    /// Must match this ECMAScript regular expression.
    Pattern(String),
    /// One of these values.
    OneOf(Vec<String>),
}
