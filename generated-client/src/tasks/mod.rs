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
//! - [`wait_for`]: polls until a task ends, backing off, within a deadline;
//!   a task the service does not know (twice in a row) ends it.
//!
//! Services whose tasks have no show operation (DCS instance tasks) are
//! followed through the job behind the task when the spec names a job
//! operation and the task carries a job id, and otherwise by walking the
//! list until the task is found. Where the task view names an operation
//! for instance tasks only (DCS deletes with `DeleteBackgroundTask`), a task
//! of the whole project is shown or deleted through the operation of the
//! same method on the project list's path plus the task's id
//! (`DeleteCenterTask` at `/v2/{project_id}/tasks/{task_id}`), found in the
//! service's operation table.

mod follow;
mod list;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::runtime::raw::field;
use crate::runtime::{Service, TaskView};

pub use crate::runtime::TaskStatus;

pub use follow::{WaitError, WaitOptions, delete, show, wait_for};
pub use list::{Query, TaskError, WINDOW_DAYS, list};

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
    /// The item as the service sent it (from the list, show or job
    /// operation), with the fields the view does not map: parameters,
    /// details. `None` for a [`Task::reference`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<Value>,
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
            raw: None,
        }
    }

    /// Reads one task item of `service` as its task view declares.
    pub(crate) fn from_item(
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
            text(name)
                .and_then(|t| t.parse::<crate::scalars::Timestamp>().ok())
                .and_then(|t| t.to_utc())
        };
        let created_at = time(f.created_at);
        let updated_at = time(f.updated_at);
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
            raw: Some(item.clone()),
        })
    }
}

pub(crate) fn as_text(value: &Value) -> Option<String> {
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
pub(crate) struct Scope {
    pub(crate) region: Option<String>,
    pub(crate) project_id: String,
    pub(crate) instance_id: Option<String>,
}
