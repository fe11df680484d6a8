//! A local stand-in for every service, for tests of code that uses this
//! crate and for `hwc-tasks --demo` (cargo feature `mock`).
//!
//! [`MockCloud::start`] runs one local server per service. Each serves every
//! operation of the service table from its spec: the documented example of
//! the success response, and for the lists of the task view a generated set
//! of tasks, paged as the operation pages. A request that carries neither an
//! `Authorization` signature nor an `X-Auth-Token` is refused with 401, as
//! the gateway does. [`MockCloud::answer`] makes one operation answer
//! something else (these tasks, or this error and status), and
//! [`MockCloud::received`] shows what arrived.
//!
//! The operations that show a job with sub-jobs (ECS, EVS, IMS, BMS and
//! CCE jobs) play three stories, by the id asked for: `job-ok...` runs
//! through its three sub-jobs to success, one poll at a time;
//! `job-fail...` fails in its second sub-job, which says why;
//! `job-payment...` stays `PENDING_PAYMENT`, a status no source lists (so
//! the task view keeps it raw, as `unknown`, and a wait ends at its
//! deadline naming it). Any other id gets the documented example.

mod jobs;

pub use jobs::PENDING_PAYMENT;

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::runtime::raw::field;
use crate::runtime::{NextMarker, Operation, PageStyle, Service, TaskView};
use crate::{Config, Credentials, EXAMPLES, SERVICES};

/// One mock server per service.
pub struct MockCloud {
    servers: Vec<(&'static Service, MockServer)>,
}

/// A mock call that cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    #[error("service `{0}` is not mocked")]
    UnknownService(String),
    #[error("service `{service}` has no operation `{operation}`")]
    UnknownOperation { service: String, operation: String },
}

impl MockCloud {
    /// Starts a server for every service; lists hold `tasks_per_list`
    /// generated tasks.
    pub async fn start(tasks_per_list: usize) -> Self {
        let mut servers = Vec::new();
        for &service in SERVICES {
            let server = MockServer::start().await;
            Mock::given(Unsigned)
                .respond_with(error(
                    401,
                    "APIGW.0301",
                    "Incorrect IAM authentication information.",
                ))
                .with_priority(1)
                .mount(&server)
                .await;
            for operation in service.operations {
                let example = success_example(service, operation);
                // The view whose list this operation is, if any.
                let listed = [&service.task_view, &service.scheduled_view]
                    .into_iter()
                    .flatten()
                    .find(|v| [v.list_project, v.list_instance].contains(&Some(operation.id)));
                let mock =
                    Mock::given(method(operation.method)).and(path_regex(pattern(operation, &[])));
                // The view whose jobs (tasks with sub-tasks) this operation shows.
                let shows_jobs = service
                    .task_view
                    .as_ref()
                    .filter(|v| v.show == Some(operation.id) && v.fields.children.is_some());
                let mock = match (&operation.paging, listed, shows_jobs, example) {
                    (Some(_), Some(view), _, (status, Some(body))) => {
                        mock.respond_with(Generated {
                            service,
                            view,
                            operation,
                            status,
                            page: body,
                            count: tasks_per_list,
                        })
                    }
                    (_, _, Some(view), (status, Some(body))) => {
                        mock.respond_with(jobs::Scenarios::new(view, operation, status, body))
                    }
                    (_, _, _, (status, Some(body))) => {
                        mock.respond_with(json_response(status, &body))
                    }
                    (_, _, _, (status, None)) => mock.respond_with(ResponseTemplate::new(status)),
                };
                mock.with_priority(10).mount(&server).await;
            }
            servers.push((service, server));
        }
        Self { servers }
    }

    /// A configuration whose every service goes to its mock server, with
    /// these credentials.
    pub fn config(&self, credentials: Credentials) -> Config {
        self.servers
            .iter()
            .fold(Config::new(credentials), |config, (service, server)| {
                config.service_endpoint(service.module, server.uri())
            })
    }

    /// The server standing in for a service.
    pub fn server(&self, module: &str) -> Option<&MockServer> {
        self.servers
            .iter()
            .find(|(s, _)| s.module == module)
            .map(|(_, server)| server)
    }

    /// Makes `operation` (its operationId, `ListBackgroundTasks`) of
    /// `service` answer `status` with `body` (JSON; `Null` for none) when its
    /// path parameters have the given values (others: any value). Later
    /// answers win over earlier ones and over the examples.
    pub async fn answer(
        &self,
        service: &Service,
        operation: &str,
        path_params: &[(&str, &str)],
        status: u16,
        body: Value,
    ) -> Result<(), MockError> {
        let (_, server) = self
            .servers
            .iter()
            .find(|(s, _)| s.module == service.module)
            .ok_or_else(|| MockError::UnknownService(service.module.into()))?;
        let op = service
            .operations
            .iter()
            .find(|o| o.name == operation)
            .ok_or_else(|| MockError::UnknownOperation {
                service: service.module.into(),
                operation: operation.into(),
            })?;
        let template = if body.is_null() {
            ResponseTemplate::new(status)
        } else {
            json_response(status, &body)
        };
        Mock::given(method(op.method))
            .and(path_regex(pattern(op, path_params)))
            .respond_with(template)
            .with_priority(5)
            .mount(server)
            .await;
        Ok(())
    }

    /// What arrived that the spec does not allow, one line each: a request
    /// that matches no operation of its service, carries no credentials, or
    /// breaks a parameter rule of its operation (a missing required
    /// parameter, a value out of range...). Empty when every call was one the
    /// client could have made.
    pub async fn unexpected(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (service, server) in &self.servers {
            for request in server.received_requests().await.unwrap_or_default() {
                let what = format!("{} {} {}", service.module, request.method, request.url);
                if Unsigned.matches(&request) {
                    out.push(format!("{what}: no credentials"));
                }
                let operation = service.operations.iter().find(|op| {
                    op.method.eq_ignore_ascii_case(request.method.as_str())
                        && regex_matches(&pattern(op, &[]), request.url.path())
                });
                let Some(operation) = operation else {
                    out.push(format!(
                        "{what}: no operation of the spec has this method and path"
                    ));
                    continue;
                };
                let Ok(method) = reqwest::Method::from_bytes(request.method.as_str().as_bytes())
                else {
                    continue;
                };
                let mut check = reqwest::Request::new(method, request.url.clone());
                for (name, value) in &request.headers {
                    check.headers_mut().append(name.clone(), value.clone());
                }
                if let Err(e) = crate::runtime::validate::check_request(operation, &check) {
                    out.push(format!("{what}: {e}"));
                }
            }
        }
        out
    }

    /// Every request the service's server received, in order.
    pub async fn received(&self, module: &str) -> Vec<Request> {
        match self.server(module) {
            Some(server) => server.received_requests().await.unwrap_or_default(),
            None => Vec::new(),
        }
    }
}

/// A service error body in the shape the services send.
pub fn error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    json_response(status, &json!({"error_code": code, "error_msg": message}))
}

fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        serde_json::to_vec(body).unwrap_or_default(),
        "application/json",
    )
}

/// Requests with no credentials at all.
struct Unsigned;

impl Match for Unsigned {
    fn matches(&self, request: &Request) -> bool {
        !request.headers.contains_key("authorization")
            && !request.headers.contains_key("x-auth-token")
    }
}

/// The path template as an anchored regular expression; the given path
/// parameters must have exactly these values.
fn pattern(operation: &Operation, fixed: &[(&str, &str)]) -> String {
    let mut out = String::from("^");
    for (i, segment) in operation
        .path
        .trim_start_matches('/')
        .split('/')
        .enumerate()
    {
        if i > 0 || operation.path.starts_with('/') {
            out.push('/');
        }
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => match fixed.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(&regex_escape(value)),
                None => out.push_str("[^/]+"),
            },
            None => out.push_str(&regex_escape(segment)),
        }
    }
    out.push('$');
    out
}

/// Whether `path` matches a pattern made by [`pattern`].
fn regex_matches(pattern: &str, path: &str) -> bool {
    regex_lite::Regex::new(pattern).is_ok_and(|re| re.is_match(path))
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// The success status of an operation and its documented example body.
fn success_example(service: &Service, operation: &Operation) -> (u16, Option<Value>) {
    EXAMPLES
        .iter()
        .find(|(m, id, _, _)| *m == service.module && *id == operation.name)
        .map_or((200, None), |(_, _, status, body)| {
            (
                *status,
                body.and_then(|text| serde_json::from_str(text).ok()),
            )
        })
}

/// A list answered with `count` generated tasks, paged as the operation
/// pages, each made from the example's first item.
struct Generated {
    service: &'static Service,
    view: &'static TaskView,
    operation: &'static Operation,
    status: u16,
    page: Value,
    count: usize,
}

impl Respond for Generated {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Some(paging) = self.operation.paging else {
            return json_response(self.status, &self.page);
        };
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let number = |name: &str| query(name).and_then(|v| v.parse::<u64>().ok());
        let limit = number(paging.limit).unwrap_or(paging.max_page_size);
        let size = usize::try_from(limit).unwrap_or(usize::MAX);
        let template = field(&self.page, paging.items)
            .and_then(|items| items.get(0))
            .cloned()
            .unwrap_or_else(|| json!({}));
        // Where the page starts, in the list of generated tasks.
        let start = match paging.style {
            PageStyle::Offset { param, first } => {
                let offset = number(param).unwrap_or(first).saturating_sub(first);
                usize::try_from(offset).unwrap_or(usize::MAX)
            }
            PageStyle::PageNumber { param, first } => {
                let page = number(param).unwrap_or(first).saturating_sub(first);
                usize::try_from(page)
                    .unwrap_or(usize::MAX)
                    .saturating_mul(size)
            }
            // A field marker is the position of the next task; a last-item
            // marker is the id of the task before it.
            PageStyle::Marker { param, next } => match (query(param), next) {
                (None, _) => 0,
                (Some(marker), NextMarker::Field(_)) => marker.parse().unwrap_or(usize::MAX),
                (Some(marker), NextMarker::LastItem(name)) => (0..self.count)
                    .find(|&i| {
                        field(&self.task(&template, i), name).and_then(crate::tasks::as_text)
                            == Some(marker.clone())
                    })
                    .map_or(usize::MAX, |i| i + 1),
            },
        }
        .min(self.count);
        let end = start.saturating_add(size).min(self.count);
        let items: Vec<Value> = (start..end).map(|i| self.task(&template, i)).collect();
        let mut page = self.page.clone();
        if page.is_object() {
            set(&mut page, paging.items, Value::Array(items));
            if let Some(name) = paging.total {
                let total = match field(&page, name) {
                    Some(Value::String(_)) => Value::String(self.count.to_string()),
                    _ => json!(self.count),
                };
                set(&mut page, name, total);
            }
            if let PageStyle::Marker {
                next: NextMarker::Field(name),
                ..
            } = paging.style
            {
                let next = if end < self.count {
                    json!(end.to_string())
                } else {
                    Value::Null
                };
                set(&mut page, name, next);
            }
        }
        json_response(self.status, &page)
    }
}

impl Generated {
    fn task(&self, template: &Value, i: usize) -> Value {
        let mut item = template.clone();
        let view = self.view;
        let f = &view.fields;
        let created = Utc::now() - Duration::minutes(37 * i as i64 + 3);
        let running = i.is_multiple_of(7);
        let updated = created + Duration::seconds(40 + (i as i64 * 13) % 900);
        let scheduled = view.kind == crate::runtime::TaskKind::Scheduled;
        // Scheduled work mostly waits for its time, and has not ended.
        let waiting = scheduled && i.is_multiple_of(3);
        let running = running || waiting;
        let status = if waiting {
            raw_status(view, crate::tasks::TaskStatus::Pending)
        } else if running {
            raw_status(view, crate::tasks::TaskStatus::Running)
        } else if i % 11 == 5 {
            raw_status(view, crate::tasks::TaskStatus::Failed)
        } else {
            raw_status(view, crate::tasks::TaskStatus::Succeeded)
        };
        let prefix = if scheduled { "scheduled-" } else { "" };
        set(
            &mut item,
            f.id,
            json!(format!("{prefix}{}-{:04}", self.service.module, i + 1)),
        );
        if let Some(name) = f.scheduled_at {
            // Waiting work is set for later; the rest ran when it was set for.
            let at = if waiting {
                created + Duration::hours(6)
            } else {
                created
            };
            set(&mut item, name, json!(stamp(at, field(template, name))));
        }
        if let Some(status) = status {
            set(&mut item, f.status, json!(status));
        }
        if let Some(name) = f.error {
            // Only failed tasks keep the example's error.
            if i % 11 != 5 || running {
                set(&mut item, name, Value::Null);
            }
        }
        if let Some(name) = f.created_at {
            let text = stamp(created, field(template, name));
            set(&mut item, name, json!(text));
        }
        if let Some(name) = f.updated_at {
            // A running task has no end yet; services send an empty string.
            let value = if running {
                json!("")
            } else {
                json!(stamp(updated, field(template, name)))
            };
            set(&mut item, name, value);
        }
        item
    }
}

/// `t` written as the example writes its times: with the offset spelled
/// out (`+0000`) where the example has one, else RFC 3339 in UTC.
fn stamp(t: chrono::DateTime<Utc>, like: Option<&Value>) -> String {
    match like.and_then(Value::as_str) {
        Some(s) if s.len() > 5 && (s.ends_with("+0800") || s.ends_with("+0000")) => {
            t.format("%Y-%m-%dT%H:%M:%S+0000").to_string()
        }
        _ => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    }
}

fn raw_status(
    view: &crate::runtime::TaskView,
    wanted: crate::tasks::TaskStatus,
) -> Option<&'static str> {
    view.statuses
        .iter()
        .find(|(_, s)| *s == wanted)
        .map(|(raw, _)| *raw)
}

/// Sets a (dotted) field of a JSON object, creating objects on the way.
fn set(value: &mut Value, dotted: &str, new: Value) {
    let mut names = dotted.split('.').peekable();
    let mut at = value;
    while let Some(name) = names.next() {
        if !at.is_object() {
            *at = json!({});
        }
        let Some(map) = at.as_object_mut() else {
            return;
        };
        if names.peek().is_none() {
            map.insert(name.to_string(), new);
            return;
        }
        at = map.entry(name.to_string()).or_insert_with(|| json!({}));
    }
}
