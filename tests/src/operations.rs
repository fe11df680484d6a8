//! Every operation of every service, callable through its typed builder
//! without naming it: the table is written by `tests/build.rs` from the
//! published documents, each entry sets the required parameters to their
//! documented examples, and [`all`] checks it against the crate's
//! `SERVICES` so a service or operation added to the specs is reached
//! without editing a test.

use std::future::Future;
use std::pin::Pin;

use huaweicloud_tasks::runtime::{Context, Service};
use huaweicloud_tasks::{Config, Error, SERVICES};
use serde_json::Value;

/// Where and how to send: what a generated `Client::new_with_client` takes.
#[derive(Clone)]
pub struct Endpoint {
    pub base: String,
    pub http: reqwest::Client,
    pub context: Context,
}

impl Endpoint {
    /// The endpoint `config` selects for `service`, with its own HTTP
    /// client, or with `http` (for example one that adds a header).
    pub fn new(config: &Config, service: &Service, http: Option<reqwest::Client>) -> Self {
        let (base, built, context) = config
            .build(service)
            .unwrap_or_else(|e| panic!("{}: {e}", service.module));
        Self {
            base,
            http: http.unwrap_or(built),
            context,
        }
    }
}

/// A call in flight: the decoded success body encoded again as JSON
/// (`null` for an operation without a body), or the crate's error.
pub type Pending = Pin<Box<dyn Future<Output = Result<Value, Error>> + Send>>;

/// One operation of one service.
pub struct Operation {
    /// The service's module (`dcs`).
    pub module: &'static str,
    /// The operationId (`ListCenterTask`), which is also `Error::operation`.
    pub name: &'static str,
    /// The builder method (`list_center_task`).
    pub id: &'static str,
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// The documented success status.
    pub status: u16,
    /// Whether the success response has a JSON body.
    pub has_body: bool,
    /// Calls the operation with its required parameters set to the
    /// documented examples.
    pub call: fn(Endpoint) -> Pending,
    /// Calls it with every string or integer parameter that has a documented
    /// example set to it, optional ones included.
    pub call_every: fn(Endpoint) -> Pending,
    /// What `call_every` must send: (location, wire name, value), the
    /// location as OpenAPI names it (`path`, `query`, `header`).
    pub sent: &'static [(&'static str, &'static str, &'static str)],
}

impl Operation {
    /// The service's table.
    pub fn service(&self) -> &'static Service {
        SERVICES
            .iter()
            .copied()
            .find(|s| s.module == self.module)
            .unwrap_or_else(|| panic!("no service {} in SERVICES", self.module))
    }

    /// This operation's entry in the service's table.
    pub fn table(&self) -> &'static huaweicloud_tasks::runtime::Operation {
        self.service()
            .operation(self.id)
            .unwrap_or_else(|| panic!("{}: no operation {} in its table", self.module, self.id))
    }

    /// `module OperationId`, for messages.
    pub fn label(&self) -> String {
        format!("{} {}", self.module, self.name)
    }

    /// The documented example of the success response, from the published
    /// document (`None` for an answer without one).
    pub fn example(&self) -> Option<Value> {
        let document: Value = crate::published_document(self.module);
        let operation = &document["paths"][self.path][self.method.to_lowercase()];
        let response =
            crate::wire::deref(&document, &operation["responses"][self.status.to_string()]);
        let example = &response["content"]["application/json"]["example"];
        (!example.is_null()).then(|| example.clone())
    }
}

/// An integer query parameter with a documented minimum or maximum, and a
/// call of its operation (required parameters at their examples) that sets
/// it to a given value.
pub struct Bounded {
    pub module: &'static str,
    /// The operationId.
    pub name: &'static str,
    /// The builder method.
    pub id: &'static str,
    /// The parameter's wire name.
    pub parameter: &'static str,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub call: fn(Endpoint, i64) -> Pending,
}

impl Bounded {
    /// `module OperationId parameter`, for messages.
    pub fn label(&self) -> String {
        format!("{} {} {}", self.module, self.name, self.parameter)
    }
}

/// A string parameter with a `pattern` in its document, and a call of its
/// operation (required parameters at their examples) that sets it to a
/// text: a plain string, or a time scalar's text (RFC 3339), which the
/// client sends in the service's format.
pub struct Patterned {
    pub module: &'static str,
    /// The operationId.
    pub name: &'static str,
    /// The builder method.
    pub id: &'static str,
    /// The parameter's wire name.
    pub parameter: &'static str,
    pub pattern: &'static str,
    pub call: fn(Endpoint, &'static str) -> Pending,
}

impl Patterned {
    /// `module OperationId parameter`, for messages.
    pub fn label(&self) -> String {
        format!("{} {} {}", self.module, self.name, self.parameter)
    }
}

/// Every string parameter with a pattern in the published documents.
pub fn patterned() -> &'static [Patterned] {
    written::PATTERNED
}

/// Every bounded integer query parameter, after checking that the service
/// tables (`SERVICES`) hold the same bounds for the same parameters.
pub fn bounded() -> &'static [Bounded] {
    use huaweicloud_tasks::runtime::{Location, Rule};
    let mut from_documents: Vec<String> = written::BOUNDED
        .iter()
        .map(|b| {
            format!(
                "{} {} {} {:?} {:?}",
                b.module, b.id, b.parameter, b.min, b.max
            )
        })
        .collect();
    let mut from_services: Vec<String> = Vec::new();
    for service in SERVICES {
        for op in service.operations {
            for param in op.params.iter().filter(|p| p.location == Location::Query) {
                for rule in param.rules {
                    if let Rule::Integer { min, max } = rule
                        && (min.is_some() || max.is_some())
                    {
                        from_services.push(format!(
                            "{} {} {} {min:?} {max:?}",
                            service.module, op.id, param.name
                        ));
                    }
                }
            }
        }
    }
    from_documents.sort();
    from_services.sort();
    assert_eq!(
        from_documents, from_services,
        "the published documents and SERVICES bound different parameters"
    );
    written::BOUNDED
}

/// Every item of every page, each encoded again as JSON, or the error.
pub type PendingItems = Pin<Box<dyn Future<Output = Result<Vec<Value>, Error>> + Send>>;

/// A paged operation (`x-hwc-paging` of its published document) and a call
/// that walks all its pages (required parameters at their examples).
pub struct Walk {
    pub module: &'static str,
    /// The operationId.
    pub name: &'static str,
    /// The builder method.
    pub id: &'static str,
    /// The query parameter of the position, for offset paging.
    pub offset: Option<&'static str>,
    /// The query parameter of the page size.
    pub limit: &'static str,
    /// The response field holding the items.
    pub items: &'static str,
    /// The response field holding the total, if any (dotted when nested).
    pub total: Option<&'static str>,
    /// The position of the first item (0 or 1).
    pub first_offset: u64,
    pub call: fn(Endpoint, u64) -> PendingItems,
}

impl Walk {
    /// The operation's row of the operation table.
    pub fn operation(&self) -> &'static Operation {
        all()
            .iter()
            .find(|op| op.module == self.module && op.id == self.id)
            .unwrap_or_else(|| panic!("{} {}: not in the operation table", self.module, self.name))
    }
}

/// Every paged operation, after checking that the operations `SERVICES`
/// says page are exactly these.
pub fn walks() -> &'static [Walk] {
    let mut from_documents: Vec<String> = written::WALKS
        .iter()
        .map(|w| format!("{} {}", w.module, w.id))
        .collect();
    let mut from_services: Vec<String> = SERVICES
        .iter()
        .flat_map(|s| {
            s.operations
                .iter()
                .filter(|op| op.paging.is_some())
                .map(move |op| format!("{} {}", s.module, op.id))
        })
        .collect();
    from_documents.sort();
    from_services.sort();
    assert_eq!(from_documents, from_services, "paged operations differ");
    written::WALKS
}

mod written {
    use super::{Bounded, Endpoint, Operation, Patterned, Pending, PendingItems, Walk};
    include!(concat!(env!("OUT_DIR"), "/operations.rs"));
}

/// Every operation, after checking that the table lists exactly the
/// operations of `SERVICES` (same modules, names, builders, methods, paths).
pub fn all() -> &'static [Operation] {
    let mut from_table: Vec<String> = written::OPERATIONS
        .iter()
        .map(|op| {
            format!(
                "{} {} {} {} {}",
                op.module, op.name, op.id, op.method, op.path
            )
        })
        .collect();
    let mut from_services: Vec<String> = SERVICES
        .iter()
        .flat_map(|s| {
            s.operations.iter().map(move |op| {
                format!(
                    "{} {} {} {} {}",
                    s.module, op.name, op.id, op.method, op.path
                )
            })
        })
        .collect();
    from_table.sort();
    from_services.sort();
    assert_eq!(
        from_table, from_services,
        "the operations written by tests/build.rs from published/ differ from SERVICES: \
         regenerate (cargo xtask generate) and rebuild"
    );
    written::OPERATIONS
}
