//! The hand-written runtime every generated client runs on.
//!
//! Generated code knows it only by path: the service table it emits is made of
//! the types below, its `ClientHooks` implementation calls `hooks`, and its
//! `Client` carries a [`Context`]. Only these types are public (they appear in
//! the generated modules' public items: `SERVICE` and `Client::new`); the
//! submodules are internal, and what users need of them is re-exported at the
//! crate root ([`crate::RetryPolicy`], [`crate::Paginator`],
//! [`crate::fan_out()`], [`crate::ArgumentError`]).

pub(crate) mod call;
pub(crate) mod endpoint;
pub(crate) mod failure;
pub(crate) mod fan_out;
pub(crate) mod hooks;
pub(crate) mod paging;
pub(crate) mod raw;
pub(crate) mod regions_file;
pub(crate) mod retry;
mod status;
pub(crate) mod validate;

use std::sync::Arc;
use std::time::Duration;

use crate::auth::Credentials;
use crate::auth::cache::CredentialsSource;
use retry::RetryPolicy;
pub use status::{TaskKind, TaskStatus};

/// A service as described by its spec: endpoints and operations.
#[derive(Debug)]
pub struct Service {
    /// Module name of the generated client (`dcs`).
    pub module: &'static str,
    /// Title of the spec.
    pub title: &'static str,
    /// SERVICE part of the official SDKs' region override variable.
    pub sdk_service: &'static str,
    pub endpoints: Endpoints,
    pub operations: &'static [Operation],
    /// How the service's tasks map onto [`crate::tasks::Task`], from
    /// `x-hwc-task-view`; `None` for a service without one.
    pub task_view: Option<TaskView>,
    /// The same for its scheduled tasks, from `x-hwc-scheduled-view`.
    pub scheduled_view: Option<TaskView>,
}

/// Which operations list, show, delete and report progress of a task (by
/// builder name, `list_background_task`), which item field is which, and
/// what each raw status means.
#[derive(Debug)]
pub struct TaskView {
    /// Which tasks the view reads.
    pub kind: TaskKind,
    pub list_project: Option<&'static str>,
    pub list_instance: Option<&'static str>,
    pub show: Option<&'static str>,
    /// Where the task is in the show response (empty: the whole body).
    pub show_item: &'static str,
    pub delete: Option<&'static str>,
    pub progress: Option<&'static str>,
    /// The field of the progress response holding the percentage done.
    pub progress_percent: Option<&'static str>,
    pub job: Option<&'static str>,
    /// Where the job is in the job operation's response (empty: the body).
    pub job_item: &'static str,
    /// The time window a list requires, if any.
    pub window: Option<TaskWindow>,
    pub fields: TaskFields,
    pub statuses: &'static [(&'static str, TaskStatus)],
}

/// The time window parameters a list requires.
#[derive(Debug)]
pub struct TaskWindow {
    pub since: &'static str,
    pub until: &'static str,
    pub format: WindowFormat,
}

/// How a window time is written.
#[derive(Debug, Clone, Copy)]
pub enum WindowFormat {
    /// `yyyyMMddHHmmss`, UTC.
    Compact,
    /// UNIX milliseconds.
    EpochMillis,
    /// `yyyy-MM-ddTHH:mm:ss+0000`.
    OffsetSeconds,
}

impl WindowFormat {
    /// A time written this way.
    pub fn write(self, time: chrono::DateTime<chrono::Utc>) -> String {
        match self {
            Self::Compact => time.format("%Y%m%d%H%M%S").to_string(),
            Self::EpochMillis => time.timestamp_millis().to_string(),
            Self::OffsetSeconds => time.format("%Y-%m-%dT%H:%M:%S+0000").to_string(),
        }
    }
}

/// JSON names of a task item's fields (`.` between nested names).
#[derive(Debug)]
pub struct TaskFields {
    pub id: &'static str,
    pub name: Option<&'static str>,
    pub status: &'static str,
    pub created_at: Option<&'static str>,
    pub updated_at: Option<&'static str>,
    /// When a scheduled task is set to run.
    pub scheduled_at: Option<&'static str>,
    pub user_name: Option<&'static str>,
    pub error: Option<&'static str>,
    pub job_id: Option<&'static str>,
    pub instance_id: Option<&'static str>,
    pub progress: Option<&'static str>,
    /// Why a failed task failed, apart from its error code.
    pub reason: Option<&'static str>,
    /// The object naming the resources the task works on.
    pub entities: Option<&'static str>,
    /// The array of sub-tasks, read with these same fields.
    pub children: Option<&'static str>,
}

impl Service {
    /// The view of the tasks of this kind, if the service has them.
    pub fn view(&self, kind: TaskKind) -> Option<&TaskView> {
        match kind {
            TaskKind::Background => self.task_view.as_ref(),
            TaskKind::Scheduled => self.scheduled_view.as_ref(),
        }
    }

    /// The operation whose snake-case id progenitor reports.
    pub fn operation(&self, id: &str) -> Option<&'static Operation> {
        self.operations.iter().find(|op| op.id == id)
    }
}

/// The region table of a service.
#[derive(Debug)]
pub struct Endpoints {
    /// URL with a `{region}` placeholder.
    pub pattern: &'static str,
    pub default_region: &'static str,
    /// Every known region id.
    pub regions: &'static [&'static str],
    /// Regions whose endpoint does not follow the pattern.
    pub exceptions: &'static [(&'static str, &'static str)],
}

/// One operation of a service.
#[derive(Debug)]
pub struct Operation {
    /// progenitor's snake-case id (`list_center_task`).
    pub id: &'static str,
    /// The spec's operationId (`ListCenterTask`).
    pub name: &'static str,
    pub method: &'static str,
    /// Path template (`/v2/{project_id}/tasks`).
    pub path: &'static str,
    /// Whether a failed attempt may be sent again: the method's semantics
    /// (GET, PUT, DELETE...) unless the spec says otherwise
    /// (`x-hwc-idempotent`), so a POST is retried only where marked safe.
    pub idempotent: bool,
    pub params: &'static [Param],
    pub paging: Option<Paging>,
}

/// A parameter and the constraints checked before sending.
#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    pub location: Location,
    pub required: bool,
    pub rules: &'static [Rule],
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
}

/// A documented constraint on a parameter value.
#[derive(Debug)]
pub enum Rule {
    /// An integer within an inclusive range.
    Integer { min: Option<i64>, max: Option<i64> },
    /// At least this many characters.
    MinLength(usize),
    /// At most this many characters.
    MaxLength(usize),
    /// Must match this regular expression (ECMAScript syntax, as in OpenAPI).
    Pattern(&'static str),
    /// One of these values.
    OneOf(&'static [&'static str]),
}

/// How a list operation pages (from `x-hwc-paging`).
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// What moves from one page to the next.
    pub style: PageStyle,
    /// Query parameter holding the page size.
    pub limit: &'static str,
    /// Response field holding a page's items.
    pub items: &'static str,
    /// Response field holding the total number of items (`.` between nested
    /// names), if the service reports one.
    pub total: Option<&'static str>,
    pub max_page_size: u64,
}

/// What moves from one page to the next, and in which query parameter.
#[derive(Debug, Clone, Copy)]
pub enum PageStyle {
    /// The position of the first item, advanced by the items received;
    /// `first` is 0, or 1 for services that count from 1 (`start`).
    Offset { param: &'static str, first: u64 },
    /// The page number, advanced by one; `first` is 1, or 0.
    PageNumber { param: &'static str, first: u64 },
    /// A cursor: absent on the first request, then the marker the previous
    /// page gave.
    Marker {
        param: &'static str,
        next: NextMarker,
    },
}

/// Where a page gives the next page's marker.
#[derive(Debug, Clone, Copy)]
pub enum NextMarker {
    /// A response field (`.` between nested names); none or empty ends the
    /// walk.
    Field(&'static str),
    /// This field of the page's last item.
    LastItem(&'static str),
}

impl Paging {
    /// The query parameter that moves from page to page.
    pub fn position_param(&self) -> &'static str {
        match self.style {
            PageStyle::Offset { param, .. }
            | PageStyle::PageNumber { param, .. }
            | PageStyle::Marker { param, .. } => param,
        }
    }
}

/// Per-client state the generated `Client` carries (progenitor's inner type).
#[derive(Clone, Debug)]
pub struct Context {
    inner: Arc<ContextInner>,
}

#[derive(Debug)]
struct ContextInner {
    credentials: Option<CredentialsSource>,
    retry: RetryPolicy,
    attempt_timeout: Duration,
    total_timeout: Option<Duration>,
    max_response_body: u64,
    /// Attempts in flight at once over every client sharing it (`None`:
    /// no bound); see `Config::max_in_flight`.
    in_flight: Option<Arc<tokio::sync::Semaphore>>,
}

impl Context {
    pub(crate) fn new(
        credentials: Option<CredentialsSource>,
        retry: RetryPolicy,
        attempt_timeout: Duration,
        total_timeout: Option<Duration>,
        max_response_body: u64,
        in_flight: Option<Arc<tokio::sync::Semaphore>>,
    ) -> Self {
        Self {
            inner: Arc::new(ContextInner {
                credentials,
                retry,
                attempt_timeout,
                total_timeout,
                max_response_body,
                in_flight,
            }),
        }
    }

    /// The credentials requests are authenticated with, when they are fixed
    /// (`None` for anonymous requests and for credentials from a provider,
    /// which are asked for before each request).
    pub fn credentials(&self) -> Option<&Credentials> {
        self.inner
            .credentials
            .as_ref()
            .and_then(CredentialsSource::fixed)
    }

    /// The credentials for the next request: `Ok(None)` for anonymous
    /// requests.
    pub(crate) async fn current_credentials(
        &self,
    ) -> Result<Option<Arc<Credentials>>, crate::auth::CredentialsError> {
        match &self.inner.credentials {
            None => Ok(None),
            Some(source) => source.get().await.map(Some),
        }
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Time allowed for one attempt, from sending to the end of the body.
    pub fn attempt_timeout(&self) -> Duration {
        self.inner.attempt_timeout
    }

    /// Time allowed for a whole call, retries and waits included.
    pub fn total_timeout(&self) -> Option<Duration> {
        self.inner.total_timeout
    }

    /// The longest response body read, in bytes.
    pub fn max_response_body(&self) -> u64 {
        self.inner.max_response_body
    }

    /// Waits until an attempt may be sent under the bound on attempts in
    /// flight; the permit is held until the attempt's body is read.
    pub(crate) async fn in_flight_permit(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let limit = self.inner.in_flight.clone()?;
        // The semaphore is never closed, so acquiring cannot fail.
        limit.acquire_owned().await.ok()
    }
}
