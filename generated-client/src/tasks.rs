//! One view of background tasks across every service.
//!
//! Each service lists its tasks in its own shape; its spec says, in
//! `x-hwc-task-view`, which operations list, show and delete a task, which
//! item field is which and what each raw status means. This module reads that
//! table (the generated `SERVICE` of each module), so a service added later
//! joins the view by YAML alone:
//! - [`Task`]: one shape for a task of any service, with a normalized
//!   [`TaskStatus`] and the raw status kept;
//! - [`list`]: the tasks of many services, instances, projects and regions at
//!   once, as one stream with bounded concurrency, filtered by time window,
//!   status and name (on the client: the services filter differently or not
//!   at all), every failure tied to its service and instance;
//! - [`wait_for`]: polls until a task ends, backing off, within a deadline.
//!
//! Services whose tasks have no show operation (DCS instance tasks) are
//! followed through the job behind the task when the spec names a job
//! operation and the task carries a job id, and otherwise by walking the
//! list until the task is found.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream, StreamExt};
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::runtime::raw::{RawClient, field};
use crate::runtime::{Operation, Service, TaskView};
use crate::{Config, ConfigError};

/// What a task's raw status means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    /// A raw status the spec does not map (kept in [`Task::raw_status`]).
    Unknown,
}

impl TaskStatus {
    /// Whether the task has ended (succeeded, failed or cancelled).
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }

    /// The lower-case name (`running`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for TaskStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Self::Pending,
            Self::Running,
            Self::Succeeded,
            Self::Failed,
            Self::Cancelled,
            Self::Unknown,
        ]
        .into_iter()
        .find(|v| v.as_str().eq_ignore_ascii_case(s))
        .ok_or_else(|| {
            format!(
                "unknown status `{s}`: pending, running, succeeded, failed, cancelled or unknown"
            )
        })
    }
}

/// A task of any service, in one shape.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Task {
    /// Module name of the service (`dcs`).
    pub service: &'static str,
    /// The region asked, when the client was built from one.
    pub region: Option<String>,
    pub project_id: String,
    /// The instance, when the task belongs to one.
    pub instance_id: Option<String>,
    pub id: String,
    pub name: Option<String>,
    pub status: TaskStatus,
    /// The status as the service sent it.
    pub raw_status: Option<String>,
    /// When the task started, if the service's time stamp parses.
    pub created_at: Option<DateTime<Utc>>,
    /// When the task last changed or ended, if the time stamp parses.
    pub updated_at: Option<DateTime<Utc>>,
    /// From start to end (or to the last update).
    pub duration_secs: Option<i64>,
    pub user_name: Option<String>,
    /// An error code or failure reason.
    pub error: Option<String>,
    /// The job behind the task, where the service has one.
    pub job_id: Option<String>,
    /// A progress figure as the service sent it.
    pub progress: Option<String>,
}

impl Task {
    /// A task known only by where it is and its id, for [`show`],
    /// [`wait_for`] and [`delete`]; its status is `unknown` until looked at.
    pub fn reference(
        service: &'static Service,
        region: Option<String>,
        project_id: impl Into<String>,
        instance_id: Option<String>,
        id: impl Into<String>,
    ) -> Self {
        Self {
            service: service.module,
            region,
            project_id: project_id.into(),
            instance_id,
            id: id.into(),
            name: None,
            status: TaskStatus::Unknown,
            raw_status: None,
            created_at: None,
            updated_at: None,
            duration_secs: None,
            user_name: None,
            error: None,
            job_id: None,
            progress: None,
        }
    }

    /// Reads one task item of `service` as its task view declares.
    fn from_item(
        service: &'static Service,
        view: &TaskView,
        scope: &Scope,
        item: &Value,
    ) -> Option<Self> {
        let f = &view.fields;
        let text = |name: Option<&str>| name.and_then(|n| field(item, n)).and_then(as_text);
        let raw_status = text(Some(f.status));
        let status = raw_status
            .as_deref()
            .and_then(|raw| view.statuses.iter().find(|(v, _)| *v == raw))
            .map_or(TaskStatus::Unknown, |(_, s)| *s);
        let time = |name: Option<&str>| {
            text(name).and_then(|t| t.parse::<crate::scalars::Timestamp>().ok())
        };
        let created_at = time(f.created_at).map(|t| t.to_utc());
        let updated_at = time(f.updated_at).map(|t| t.to_utc());
        Some(Self {
            service: service.module,
            region: scope.region.clone(),
            project_id: scope.project_id.clone(),
            instance_id: text(f.instance_id).or_else(|| scope.instance_id.clone()),
            id: text(Some(f.id))?,
            name: text(f.name),
            status,
            raw_status,
            duration_secs: match (created_at, updated_at) {
                (Some(a), Some(b)) if b >= a => Some((b - a).num_seconds()),
                _ => None,
            },
            created_at,
            updated_at,
            user_name: text(f.user_name),
            error: text(f.error).filter(|e| !e.is_empty()),
            job_id: text(f.job_id).filter(|j| !j.is_empty()),
            progress: text(f.progress),
        })
    }
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where tasks are listed: one project of one region, and one instance or
/// the whole project.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Scope {
    region: Option<String>,
    project_id: String,
    instance_id: Option<String>,
}

/// A failure while listing, tied to where it happened.
#[derive(Debug, thiserror::Error)]
#[error("{service}{}: {source}", instance_id.as_ref().map(|i| format!(" instance {i}")).unwrap_or_default())]
pub struct TaskError {
    pub service: &'static str,
    pub region: Option<String>,
    pub project_id: String,
    pub instance_id: Option<String>,
    #[source]
    pub source: Error,
}

/// What to list. Build it with [`Query::new`] and the setters, then call
/// [`list`].
#[derive(Clone, Debug)]
pub struct Query {
    services: Vec<&'static Service>,
    config: Config,
    regions: Vec<String>,
    projects: Vec<String>,
    instances: Vec<String>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    statuses: Vec<TaskStatus>,
    name: Option<String>,
    concurrency: usize,
}

impl Query {
    /// Tasks of these services (their generated `SERVICE` tables, for
    /// example `&[&dcs::SERVICE]` or [`crate::SERVICES`]), with the
    /// credentials, retries and endpoint of `config`.
    pub fn new(services: &[&'static Service], config: Config) -> Self {
        Self {
            services: services.to_vec(),
            config,
            regions: Vec::new(),
            projects: Vec::new(),
            instances: Vec::new(),
            since: None,
            until: None,
            statuses: Vec::new(),
            name: None,
            concurrency: 8,
        }
    }

    /// Adds a region (several are listed concurrently). Without one, the
    /// config's region or endpoint is used.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.regions.push(region.into());
        self
    }

    /// Adds a project. Without one, the credentials' project is used.
    pub fn project(mut self, project_id: impl Into<String>) -> Self {
        self.projects.push(project_id.into());
        self
    }

    /// Adds an instance; with instances, each service lists their tasks,
    /// without, each lists the whole project where it can.
    pub fn instance(mut self, instance_id: impl Into<String>) -> Self {
        self.instances.push(instance_id.into());
        self
    }

    /// Only tasks created at or after this time.
    pub fn since(mut self, time: DateTime<Utc>) -> Self {
        self.since = Some(time);
        self
    }

    /// Only tasks created at or before this time.
    pub fn until(mut self, time: DateTime<Utc>) -> Self {
        self.until = Some(time);
        self
    }

    /// Only tasks with this status (repeatable: any of them).
    pub fn status(mut self, status: TaskStatus) -> Self {
        self.statuses.push(status);
        self
    }

    /// Only tasks whose name contains this text (case-insensitive).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// How many listings run at once (at least 1; default 8).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    fn keeps(&self, task: &Task) -> bool {
        let created = task.created_at;
        (self.statuses.is_empty() || self.statuses.contains(&task.status))
            && self.since.is_none_or(|s| created.is_some_and(|c| c >= s))
            && self.until.is_none_or(|u| created.is_some_and(|c| c <= u))
            && self.name.as_ref().is_none_or(|n| {
                task.name
                    .as_ref()
                    .is_some_and(|t| t.to_lowercase().contains(&n.to_lowercase()))
            })
    }
}

/// One listing to run: a service in one scope, with the operation to page.
struct Listing {
    client: RawClient,
    operation: &'static Operation,
    scope: Scope,
}

/// Every task the query selects, as one stream: listings run concurrently
/// (at most [`Query::concurrency`] at once), each walking its pages; a
/// listing that fails yields one [`TaskError`] naming its service and
/// instance, and the others go on. A service with no list for the scope
/// asked (no project-wide list, no instance list) yields one error saying so.
pub fn list(query: Query) -> BoxStream<'static, Result<Task, TaskError>> {
    let mut listings = Vec::new();
    let mut refusals = Vec::new();
    let regions: Vec<Option<String>> = if query.regions.is_empty() {
        vec![None]
    } else {
        query.regions.iter().cloned().map(Some).collect()
    };
    let default_project = query
        .config
        .credentials()
        .and_then(crate::auth::Credentials::project_id)
        .map(str::to_string);
    let projects: Vec<String> = if query.projects.is_empty() {
        default_project.into_iter().collect()
    } else {
        query.projects.clone()
    };
    for &service in &query.services {
        for region in &regions {
            let config = match region {
                Some(r) => query.config.clone().region(r.clone()),
                None => query.config.clone(),
            };
            let fail = |instance: Option<String>, project: String, source: Error| TaskError {
                service: service.module,
                region: region.clone(),
                project_id: project,
                instance_id: instance,
                source,
            };
            if projects.is_empty() {
                refusals.push(fail(
                    None,
                    String::new(),
                    Error::new(
                        ErrorKind::InvalidArgument,
                        "tasks::list",
                        "no project: give one, or use credentials that carry a project id",
                    ),
                ));
                continue;
            }
            let client = match RawClient::new(&config, service) {
                Ok(c) => c,
                Err(e) => {
                    for project in &projects {
                        refusals.push(fail(None, project.clone(), config_error(&e)));
                    }
                    continue;
                }
            };
            let Some(view) = &service.task_view else {
                refusals.push(fail(
                    None,
                    projects[0].clone(),
                    Error::new(
                        ErrorKind::InvalidArgument,
                        "tasks::list",
                        format!("service `{}` has no task view", service.module),
                    ),
                ));
                continue;
            };
            let scopes: Vec<(Option<String>, Option<&'static str>)> = if query.instances.is_empty()
            {
                vec![(None, view.list_project)]
            } else {
                query
                    .instances
                    .iter()
                    .map(|i| (Some(i.clone()), view.list_instance))
                    .collect()
            };
            for project in &projects {
                for (instance, op) in &scopes {
                    let scope = Scope {
                        region: region.clone(),
                        project_id: project.clone(),
                        instance_id: instance.clone(),
                    };
                    match op.and_then(|id| client.operation(id)) {
                        Some(operation) => listings.push(Listing {
                            client: client.clone(),
                            operation,
                            scope,
                        }),
                        None => refusals.push(fail(
                            instance.clone(),
                            project.clone(),
                            Error::new(
                                ErrorKind::InvalidArgument,
                                "tasks::list",
                                if instance.is_some() {
                                    format!(
                                        "service `{}` cannot list the tasks of one instance",
                                        service.module
                                    )
                                } else {
                                    format!(
                                        "service `{}` has no project-wide task list; give instance ids",
                                        service.module
                                    )
                                },
                            ),
                        )),
                    }
                }
            }
        }
    }
    let concurrency = query.concurrency;
    let query = std::sync::Arc::new(query);
    let walked = stream::iter(listings)
        .map(|listing| walk(listing).boxed())
        .flatten_unordered(concurrency);
    stream::iter(refusals.into_iter().map(Err))
        .chain(walked)
        .filter(move |r| {
            let keep = r.as_ref().map_or(true, |t| query.keeps(t));
            async move { keep }
        })
        .boxed()
}

fn config_error(e: &ConfigError) -> Error {
    Error::new(ErrorKind::InvalidArgument, "tasks::list", e.to_string())
}

/// The pages of one listing, item by item; a failure ends it with one error.
fn walk(listing: Listing) -> BoxStream<'static, Result<Task, TaskError>> {
    struct State {
        listing: Listing,
        offset: u64,
        seen: u64,
        queue: std::collections::VecDeque<Result<Task, TaskError>>,
        done: bool,
    }
    let Some(paging) = listing.operation.paging else {
        return stream::empty().boxed();
    };
    let state = State {
        offset: paging.first_offset,
        seen: 0,
        queue: Default::default(),
        done: false,
        listing,
    };
    stream::unfold(state, move |mut s| async move {
        loop {
            if let Some(next) = s.queue.pop_front() {
                return Some((next, s));
            }
            if s.done {
                return None;
            }
            let Listing {
                client,
                operation,
                scope,
            } = &s.listing;
            let mut args = vec![("project_id", scope.project_id.clone())];
            if let Some(instance) = &scope.instance_id {
                args.push(("instance_id", instance.clone()));
            }
            args.push((paging.offset, s.offset.to_string()));
            args.push((paging.limit, paging.max_page_size.to_string()));
            match client.call(operation, &args).await {
                Err(source) => {
                    s.done = true;
                    s.queue.push_back(Err(TaskError {
                        service: client.service.module,
                        region: scope.region.clone(),
                        project_id: scope.project_id.clone(),
                        instance_id: scope.instance_id.clone(),
                        source,
                    }));
                }
                Ok(page) => {
                    let items = field(&page, paging.items)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    let total = field(&page, paging.total)
                        .and_then(as_text)
                        .and_then(|t| t.parse::<u64>().ok());
                    let received = items.len() as u64;
                    s.seen += received;
                    s.offset += received;
                    if let Some(view) = &client.service.task_view {
                        for item in &items {
                            if let Some(task) = Task::from_item(client.service, view, scope, item) {
                                s.queue.push_back(Ok(task));
                            }
                        }
                    }
                    s.done = received == 0
                        || total.map_or(received < paging.max_page_size, |t| s.seen >= t);
                }
            }
        }
    })
    .boxed()
}

/// How [`wait_for`] polls.
#[derive(Clone, Debug)]
pub struct WaitOptions {
    /// First wait between two polls; grows by half each time.
    pub initial_interval: Duration,
    /// Longest wait between two polls.
    pub max_interval: Duration,
    /// Give up after this long.
    pub timeout: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
            timeout: Duration::from_secs(30 * 60),
        }
    }
}

/// Why [`wait_for`] stopped without a final status.
#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// The deadline passed; the last status seen is kept.
    #[error("task {id} of {service} still {} after {waited:?}", last.as_ref().map_or("unseen".to_string(), |t| t.status.to_string()))]
    Deadline {
        service: &'static str,
        id: String,
        waited: Duration,
        last: Option<Box<Task>>,
    },
    /// A poll failed (after its own retries).
    #[error("polling task {id} of {service}: {source}")]
    Poll {
        service: &'static str,
        id: String,
        #[source]
        source: Error,
    },
    /// The service cannot follow the task: no show, job or list operation fits.
    #[error("{0}")]
    Unsupported(String),
}

/// Polls `task` until it reaches a terminal status, calling `progress` with
/// every state seen, and returns the final [`Task`]. Uses the service's show
/// operation when it has one; otherwise the job behind the task
/// (`x-hwc-task-view.job`, when the task has a job id); otherwise the list
/// of its instance or project, walked until the task is found. The wait
/// between polls starts at [`WaitOptions::initial_interval`] and grows by
/// half up to [`WaitOptions::max_interval`].
pub async fn wait_for(
    config: &Config,
    service: &'static Service,
    task: &Task,
    options: &WaitOptions,
    mut progress: impl FnMut(&Task),
) -> Result<Task, WaitError> {
    let started = tokio::time::Instant::now();
    let deadline = started + options.timeout;
    let view = service.task_view.as_ref().ok_or_else(|| {
        WaitError::Unsupported(format!("service `{}` has no task view", service.module))
    })?;
    let config = match &task.region {
        Some(r) => config.clone().region(r.clone()),
        None => config.clone(),
    };
    let client =
        RawClient::new(&config, service).map_err(|e| WaitError::Unsupported(e.to_string()))?;
    let scope = Scope {
        region: task.region.clone(),
        project_id: task.project_id.clone(),
        instance_id: task.instance_id.clone(),
    };
    let mut interval = options.initial_interval;
    let mut last: Option<Task> = None;
    loop {
        let seen = poll(&client, view, &scope, task)
            .await
            .map_err(|source| match source {
                PollError::Call(source) => WaitError::Poll {
                    service: service.module,
                    id: task.id.clone(),
                    source,
                },
                PollError::Unsupported(why) => WaitError::Unsupported(why),
            })?;
        if let Some(current) = seen {
            progress(&current);
            if current.status.is_terminal() {
                return Ok(current);
            }
            last = Some(current);
        }
        let now = tokio::time::Instant::now();
        if now + interval > deadline {
            if now < deadline {
                tokio::time::sleep_until(deadline).await;
            }
            return Err(WaitError::Deadline {
                service: service.module,
                id: task.id.clone(),
                waited: started.elapsed(),
                last: last.map(Box::new),
            });
        }
        tokio::time::sleep(interval).await;
        interval = (interval + interval / 2).min(options.max_interval);
    }
}

/// Looks at a task once (as [`wait_for`] does on each poll): `None` when
/// the service no longer lists it.
pub async fn show(
    config: &Config,
    service: &'static Service,
    task: &Task,
) -> Result<Option<Task>, WaitError> {
    let (client, view, scope) = follow(config, service, task)?;
    poll(&client, view, &scope, task)
        .await
        .map_err(|e| e.into_wait(service, task))
}

/// Deletes the record of a task with the service's delete operation.
pub async fn delete(
    config: &Config,
    service: &'static Service,
    task: &Task,
) -> Result<(), WaitError> {
    let (client, view, scope) = follow(config, service, task)?;
    let Some(operation) = view.delete.and_then(|id| client.operation(id)) else {
        return Err(WaitError::Unsupported(format!(
            "service `{}` cannot delete a task",
            service.module
        )));
    };
    let mut args = vec![
        ("project_id", scope.project_id.clone()),
        ("task_id", task.id.clone()),
    ];
    if let Some(instance) = &scope.instance_id {
        args.push(("instance_id", instance.clone()));
    }
    client
        .call(operation, &args)
        .await
        .map(|_| ())
        .map_err(|e| PollError::Call(e).into_wait(service, task))
}

/// The client, view and scope to follow `task` of `service` with.
fn follow(
    config: &Config,
    service: &'static Service,
    task: &Task,
) -> Result<(RawClient, &'static TaskView, Scope), WaitError> {
    let view = service.task_view.as_ref().ok_or_else(|| {
        WaitError::Unsupported(format!("service `{}` has no task view", service.module))
    })?;
    let config = match &task.region {
        Some(r) => config.clone().region(r.clone()),
        None => config.clone(),
    };
    let client =
        RawClient::new(&config, service).map_err(|e| WaitError::Unsupported(e.to_string()))?;
    let scope = Scope {
        region: task.region.clone(),
        project_id: task.project_id.clone(),
        instance_id: task.instance_id.clone(),
    };
    Ok((client, view, scope))
}

enum PollError {
    Call(Error),
    Unsupported(String),
}

impl PollError {
    fn into_wait(self, service: &'static Service, task: &Task) -> WaitError {
        match self {
            PollError::Call(source) => WaitError::Poll {
                service: service.module,
                id: task.id.clone(),
                source,
            },
            PollError::Unsupported(why) => WaitError::Unsupported(why),
        }
    }
}

/// One look at the task: `None` when it was not found this time.
async fn poll(
    client: &RawClient,
    view: &TaskView,
    scope: &Scope,
    task: &Task,
) -> Result<Option<Task>, PollError> {
    let mut args = vec![("project_id", scope.project_id.clone())];
    if let Some(instance) = &scope.instance_id {
        args.push(("instance_id", instance.clone()));
    }
    if let Some(operation) = view.show.and_then(|id| client.operation(id)) {
        args.push(("task_id", task.id.clone()));
        let body = client
            .call(operation, &args)
            .await
            .map_err(PollError::Call)?;
        let item = field(&body, view.show_item).unwrap_or(&body);
        return Ok(Task::from_item(client.service, view, scope, item));
    }
    if let (Some(operation), Some(job_id)) = (
        view.job.and_then(|id| client.operation(id)),
        task.job_id.as_ref(),
    ) {
        let mut args = vec![("project_id", scope.project_id.clone())];
        args.push(("job_id", job_id.clone()));
        args.push(("id", job_id.clone()));
        let body = client
            .call(operation, &args)
            .await
            .map_err(PollError::Call)?;
        let item = field(&body, view.job_item).unwrap_or(&body);
        let mut seen = Task::from_item(client.service, view, scope, item);
        if let Some(seen) = &mut seen {
            // The job has its own id; the task keeps the one asked for.
            seen.job_id = Some(job_id.clone());
            seen.id = task.id.clone();
        }
        return Ok(seen);
    }
    let list = if scope.instance_id.is_some() {
        view.list_instance
    } else {
        view.list_project
    };
    let Some(operation) = list.and_then(|id| client.operation(id)) else {
        return Err(PollError::Unsupported(format!(
            "service `{}` can neither show nor list this task",
            client.service.module
        )));
    };
    let mut pages = walk(Listing {
        client: client.clone(),
        operation,
        scope: scope.clone(),
    });
    while let Some(next) = pages.next().await {
        match next {
            Ok(found) if found.id == task.id => return Ok(Some(found)),
            Ok(_) => {}
            Err(e) => return Err(PollError::Call(e.source)),
        }
    }
    Ok(None)
}
