//! Listing tasks of many services, instances, projects and regions as one
//! stream.

use chrono::{DateTime, Utc};
use futures_util::stream::{self, BoxStream, StreamExt};
use serde_json::Value;

use super::{Scope, Task, TaskKind, TaskStatus, as_text};
use crate::error::{Error, ErrorKind};
use crate::runtime::paging::{PageFacts, PageWalk};
use crate::runtime::raw::{RawClient, field};
use crate::runtime::{NextMarker, Operation, PageStyle, Paging, Service, TaskView};
use crate::{Config, ConfigError};

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
    kind: TaskKind,
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
            kind: TaskKind::Background,
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

    /// Lists the services' scheduled tasks (work set to run later) instead
    /// of their background tasks.
    pub fn scheduled(mut self) -> Self {
        self.kind = TaskKind::Scheduled;
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
pub(crate) struct Listing {
    pub(crate) client: RawClient,
    /// The view the list's items are read with.
    pub(crate) view: &'static TaskView,
    pub(crate) operation: &'static Operation,
    pub(crate) scope: Scope,
    /// The window to ask for, where the list requires one.
    pub(crate) window: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// How long one window of a list that requires a time window
/// (`x-hwc-task-view.window`) may be, and how far back such a list looks
/// when the query gives no start: 30 days. A longer query window is asked
/// for in windows of this length, newest first.
pub const WINDOW_DAYS: i64 = 30;

/// The window a listing asks for: the query's, else the last
/// [`WINDOW_DAYS`] days.
pub(crate) fn window(
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let until = until.unwrap_or_else(Utc::now);
    let since = since.unwrap_or_else(|| {
        until
            .checked_sub_signed(chrono::Duration::days(WINDOW_DAYS))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    });
    (since, until)
}

/// The query's window cut into windows of at most [`WINDOW_DAYS`], newest
/// first; each starts one second after the next one ends (the lists take
/// whole seconds), so no task is listed twice.
pub(crate) fn windows(
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let (since, until) = window(since, until);
    let longest = chrono::Duration::days(WINDOW_DAYS);
    let mut out = Vec::new();
    let mut end = until;
    loop {
        let start = end.checked_sub_signed(longest).unwrap_or(since).max(since);
        out.push((start, end));
        match start.checked_sub_signed(chrono::Duration::seconds(1)) {
            Some(next) if start > since && next >= since => end = next,
            _ => return out,
        }
    }
}

/// Every task the query selects, as one stream: listings run concurrently
/// (at most [`Query::concurrency`] at once), each walking its pages; a
/// listing that fails yields one [`TaskError`] naming its service and
/// instance, and the others go on. A service with no list for the scope
/// asked (no project-wide list, no instance list) yields one error saying so.
/// A list that requires a time window is asked for the query's window (by
/// default the last [`WINDOW_DAYS`] days) in windows of at most
/// [`WINDOW_DAYS`].
pub fn list(query: Query) -> BoxStream<'static, Result<Task, TaskError>> {
    let mut listings = Vec::new();
    let mut refusals = Vec::new();
    let regions: Vec<Option<String>> = if query.regions.is_empty() {
        vec![None]
    } else {
        query.regions.iter().cloned().map(Some).collect()
    };
    let default_project = query.config.project_id().map(str::to_string);
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
            let client = match config
                .build(service)
                .map(|built| RawClient::new(service, built))
            {
                Ok(c) => c,
                Err(e) => {
                    for project in &projects {
                        refusals.push(fail(None, project.clone(), config_error(&e)));
                    }
                    continue;
                }
            };
            let Some(view) = service.view(query.kind) else {
                let what = match query.kind {
                    TaskKind::Background => "no task view",
                    TaskKind::Scheduled => "no scheduled tasks",
                };
                refusals.push(fail(
                    None,
                    projects[0].clone(),
                    Error::new(
                        ErrorKind::InvalidArgument,
                        "tasks::list",
                        format!("service `{}` has {what}", service.module),
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
                        Some(operation) if view.window.is_some() => {
                            for window in windows(query.since, query.until) {
                                listings.push(Listing {
                                    client: client.clone(),
                                    view,
                                    operation,
                                    scope: scope.clone(),
                                    window: Some(window),
                                });
                            }
                        }
                        Some(operation) => listings.push(Listing {
                            client: client.clone(),
                            view,
                            operation,
                            scope,
                            window: None,
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
/// The pages are walked as the typed streams walk them ([`PageWalk`]).
pub(crate) fn walk(listing: Listing) -> BoxStream<'static, Result<Task, TaskError>> {
    struct State {
        listing: Listing,
        walk: PageWalk,
        queue: std::collections::VecDeque<Result<Task, TaskError>>,
    }
    let Some(paging) = listing.operation.paging else {
        return stream::empty().boxed();
    };
    let state = State {
        walk: PageWalk::new(paging, paging.max_page_size),
        queue: Default::default(),
        listing,
    };
    stream::unfold(state, move |mut s| async move {
        loop {
            if let Some(next) = s.queue.pop_front() {
                return Some((next, s));
            }
            let position = s.walk.next()?.clone();
            let Listing {
                client,
                view,
                operation,
                scope,
                window,
            } = &s.listing;
            let mut args = vec![("project_id", scope.project_id.clone())];
            if let Some(instance) = &scope.instance_id {
                args.push(("instance_id", instance.clone()));
            }
            if let (Some(w), Some((since, until))) = (view.window.as_ref(), *window) {
                args.push((w.since, w.format.write(since)));
                args.push((w.until, w.format.write(until)));
            }
            if let Some(value) = position.query_value() {
                args.push((paging.position_param(), value));
            }
            args.push((paging.limit, paging.max_page_size.to_string()));
            let failure = |source| TaskError {
                service: client.service.module,
                region: scope.region.clone(),
                project_id: scope.project_id.clone(),
                instance_id: scope.instance_id.clone(),
                source,
            };
            match client.call(operation, &args).await {
                Err(source) => {
                    s.walk.stop();
                    s.queue.push_back(Err(failure(source)));
                }
                Ok(page) => {
                    let items = field(&page, paging.items)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    let facts = raw_page_facts(&paging, &page, &items);
                    for item in &items {
                        if let Some(task) = Task::from_item(client.service, view, scope, item) {
                            s.queue.push_back(Ok(task));
                        }
                    }
                    if let Err(message) = s.walk.advance(&facts) {
                        let source = Error::new(ErrorKind::Decode, operation.name, message);
                        s.queue.push_back(Err(failure(source)));
                    }
                }
            }
        }
    })
    .boxed()
}

/// What a page of raw JSON says about the walk: its item count, total and
/// next marker, read by the field names of the paging table.
fn raw_page_facts(paging: &Paging, page: &Value, items: &[Value]) -> PageFacts {
    let next_marker = match paging.style {
        PageStyle::Marker {
            next: NextMarker::Field(name),
            ..
        } => field(page, name),
        PageStyle::Marker {
            next: NextMarker::LastItem(name),
            ..
        } => items.last().and_then(|item| field(item, name)),
        _ => None,
    };
    PageFacts {
        count: items.len() as u64,
        total: paging
            .total
            .and_then(|name| field(page, name))
            .and_then(as_text)
            .and_then(|t| t.trim().parse::<u64>().ok()),
        next_marker: next_marker.and_then(as_text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn long_windows_are_cut_newest_first_without_overlap() {
        let until = at("2026-12-01T00:00:00Z");
        let cut = windows(Some(at("2026-09-01T00:00:00Z")), Some(until));
        assert_eq!(cut.len(), 4, "{cut:?}");
        assert_eq!(cut[0], (at("2026-11-01T00:00:00Z"), until));
        assert_eq!(
            cut[1],
            (
                at("2026-10-02T00:00:00Z") - chrono::Duration::seconds(1),
                at("2026-10-31T23:59:59Z")
            )
        );
        for pair in cut.windows(2) {
            assert_eq!(pair[1].1 + chrono::Duration::seconds(1), pair[0].0);
            assert!(pair[0].1 - pair[0].0 <= chrono::Duration::days(WINDOW_DAYS));
        }
        assert_eq!(cut.last().unwrap().0, at("2026-09-01T00:00:00Z"));
        // A short window stays one; no start means the last 30 days.
        assert_eq!(
            windows(Some(at("2026-11-30T00:00:00Z")), Some(until)).len(),
            1
        );
        let default = windows(None, Some(until));
        assert_eq!(
            default,
            vec![(until - chrono::Duration::days(WINDOW_DAYS), until)]
        );
    }
}
