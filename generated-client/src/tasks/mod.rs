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

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::runtime::raw::field;
use crate::runtime::{Service, TaskView};

pub use crate::runtime::{TaskKind, TaskStatus};

#[cfg(feature = "mock")]
pub(crate) use follow::id_param;
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
    /// A background task, or a scheduled one (only the latter is named in
    /// JSON).
    #[serde(skip_serializing_if = "TaskKind::is_background")]
    pub kind: TaskKind,
    pub name: Option<String>,
    pub status: TaskStatus,
    /// The status as the service sent it.
    pub raw_status: Option<String>,
    /// When the task started, if the service's time stamp parses.
    pub created_at: Option<DateTime<Utc>>,
    /// When the task last changed or ended, if the time stamp parses.
    pub updated_at: Option<DateTime<Utc>>,
    /// When a scheduled task is set to run, if the time stamp parses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<DateTime<Utc>>,
    /// From start to end (or to the last update).
    pub duration_secs: Option<i64>,
    pub user_name: Option<String>,
    /// An error code or failure reason.
    pub error: Option<String>,
    /// The job behind the task, where the service has one.
    pub job_id: Option<String>,
    /// A progress figure as the service sent it.
    pub progress: Option<String>,
    /// Why the task failed, as the service words it (a job's
    /// `fail_reason`); for a failed job that gives none, its first failed
    /// sub-job's.
    pub reason: Option<String>,
    /// The resources the task works on, by the service's names
    /// (`server_id`, `volume_id`, `image_id`, `resourceID`...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub entities: BTreeMap<String, String>,
    /// The sub-tasks (a job's sub-jobs), each a task of its own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Task>,
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
            kind: TaskKind::Background,
            name: None,
            status: TaskStatus::Unknown,
            raw_status: None,
            created_at: None,
            updated_at: None,
            scheduled_at: None,
            duration_secs: None,
            user_name: None,
            error: None,
            job_id: None,
            progress: None,
            reason: None,
            entities: BTreeMap::new(),
            children: Vec::new(),
            raw: None,
        }
    }

    /// The same reference to a task of another kind (a scheduled task, for
    /// [`delete`] to cancel it).
    pub fn of_kind(mut self, kind: TaskKind) -> Self {
        self.kind = kind;
        self
    }

    /// Where the task stands, with the service's own word when it says
    /// more than the normalized status: `pending (INIT)`, `unknown
    /// (PENDING_PAYMENT)`; just `running` when the two agree.
    pub fn standing(&self) -> String {
        match &self.raw_status {
            Some(raw) if !raw.eq_ignore_ascii_case(&self.status.to_string()) => {
                format!("{} ({raw})", self.status)
            }
            _ => self.status.to_string(),
        }
    }

    /// The task and its sub-tasks, depth first, each with its depth (0 for
    /// the task itself).
    pub fn tree(&self) -> Vec<(usize, &Task)> {
        fn walk<'a>(task: &'a Task, depth: usize, out: &mut Vec<(usize, &'a Task)>) {
            out.push((depth, task));
            for child in &task.children {
                walk(child, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(self, 0, &mut out);
        out
    }

    /// Reads one task item of `service` as its task view declares, with its
    /// sub-tasks (at most [`MAX_DEPTH`] levels down: the service's nesting,
    /// not the client, decides how deep they go).
    pub(crate) fn from_item(
        service: &'static Service,
        view: &TaskView,
        scope: &Scope,
        item: &Value,
    ) -> Option<Self> {
        Self::read(service, view, scope, item, 0)
    }

    fn read(
        service: &'static Service,
        view: &TaskView,
        scope: &Scope,
        item: &Value,
        depth: usize,
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
        let children: Vec<Task> = match f.children.and_then(|c| field(item, c)) {
            Some(Value::Array(items)) if depth < MAX_DEPTH => items
                .iter()
                .filter_map(|child| Self::read(service, view, scope, child, depth + 1))
                .collect(),
            _ => Vec::new(),
        };
        let entities = f
            .entities
            .and_then(|e| field(item, e))
            .and_then(Value::as_object)
            .map(|members| {
                members
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), as_text(v)?)))
                    .filter(|(_, v)| !v.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let mut reason = text(f.reason).filter(|r| !r.is_empty());
        if reason.is_none() && status == TaskStatus::Failed {
            // A failed job often says why only in the sub-job that failed.
            reason = children
                .iter()
                .flat_map(|c| c.tree())
                .find(|(_, t)| {
                    t.status == TaskStatus::Failed && (t.reason.is_some() || t.error.is_some())
                })
                .and_then(|(_, t)| t.reason.clone().or_else(|| t.error.clone()));
        }
        Some(Self {
            service: service.module,
            region: scope.region.clone(),
            project_id: scope.project_id.clone(),
            instance_id: text(f.instance_id).or_else(|| scope.instance_id.clone()),
            id: text(Some(f.id))?,
            kind: view.kind,
            name: text(f.name),
            status,
            raw_status,
            duration_secs: match (created_at, updated_at) {
                (Some(a), Some(b)) if b >= a => Some((b - a).num_seconds()),
                _ => None,
            },
            created_at,
            updated_at,
            scheduled_at: time(f.scheduled_at),
            user_name: text(f.user_name),
            error: text(f.error).filter(|e| !e.is_empty()),
            job_id: text(f.job_id).filter(|j| !j.is_empty()),
            progress: text(f.progress),
            reason,
            entities,
            children,
            // A sub-task's item is inside its parent's.
            raw: (depth == 0).then(|| item.clone()),
        })
    }
}

/// How many levels of sub-tasks are read below a task.
pub const MAX_DEPTH: usize = 8;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_s_word_is_shown_only_when_it_says_more() {
        let service = crate::SERVICES[0];
        let mut task = Task::reference(service, None, "p", None, "t");
        task.status = TaskStatus::Running;
        task.raw_status = Some("RUNNING".into());
        assert_eq!(task.standing(), "running");
        task.status = TaskStatus::Pending;
        task.raw_status = Some("INIT".into());
        assert_eq!(task.standing(), "pending (INIT)");
        task.raw_status = None;
        assert_eq!(task.standing(), "pending");
    }

    /// Sets `value` at a dotted path, making the objects on the way.
    fn put(item: &mut Value, dotted: &str, value: Value) {
        let mut at = item;
        let mut names = dotted.split('.').peekable();
        while let Some(name) = names.next() {
            let map = at.as_object_mut().expect("an object");
            if names.peek().is_none() {
                map.insert(name.to_string(), value);
                return;
            }
            at = map
                .entry(name.to_string())
                .or_insert_with(|| Value::Object(Default::default()));
        }
    }

    #[test]
    fn sub_tasks_are_read_down_to_max_depth_and_no_further() {
        let service = crate::SERVICES
            .iter()
            .copied()
            .find(|s| {
                s.task_view
                    .as_ref()
                    .is_some_and(|v| v.fields.children.is_some())
            })
            .expect("a service whose tasks have sub-tasks");
        let view = service.task_view.as_ref().unwrap();
        let children = view.fields.children.unwrap();
        // A chain twelve levels deep, each level one sub-task of the last.
        let mut chain: Option<Value> = None;
        for level in (0..12).rev() {
            let mut item = Value::Object(Default::default());
            put(&mut item, view.fields.id, Value::from(format!("j{level}")));
            if let Some(child) = chain.take() {
                put(&mut item, children, Value::Array(vec![child]));
            }
            chain = Some(item);
        }
        let scope = Scope {
            region: None,
            project_id: "p".into(),
            instance_id: None,
        };
        let item = chain.unwrap();
        let task = Task::from_item(service, view, &scope, &item).unwrap();
        // The service's item is kept once, at the top: a sub-task's is
        // inside it.
        assert_eq!(task.raw.as_ref(), Some(&item));
        assert!(task.children.iter().all(|c| c.raw.is_none()));
        let tree = task.tree();
        assert_eq!(tree.len(), MAX_DEPTH + 1, "levels 0 to MAX_DEPTH");
        let (depth, deepest) = tree.last().unwrap();
        assert_eq!(*depth, MAX_DEPTH);
        assert_eq!(deepest.id, format!("j{MAX_DEPTH}"));
        assert!(deepest.children.is_empty());
    }

    #[test]
    fn a_scalar_field_reads_as_its_text_and_nothing_else_does() {
        assert_eq!(as_text(&Value::from("RUNNING")).as_deref(), Some("RUNNING"));
        assert_eq!(as_text(&Value::from(42)).as_deref(), Some("42"));
        assert_eq!(as_text(&Value::from(true)).as_deref(), Some("true"));
        assert_eq!(as_text(&Value::Null), None);
        assert_eq!(as_text(&serde_json::json!({"a": 1})), None);
    }

    /// A service whose task view reads sub-tasks, the reason, the error and
    /// both times, with the raw words it maps to `failed` and `succeeded`.
    fn job_service() -> (
        &'static Service,
        &'static TaskView,
        &'static str,
        &'static str,
    ) {
        crate::SERVICES
            .iter()
            .copied()
            .find_map(|s| {
                let v = s.task_view.as_ref()?;
                let f = &v.fields;
                f.children?;
                f.reason?;
                f.error?;
                f.created_at?;
                f.updated_at?;
                let word = |want: TaskStatus| {
                    v.statuses
                        .iter()
                        .find(|(_, st)| *st == want)
                        .map(|(w, _)| *w)
                };
                Some((
                    s,
                    v,
                    word(TaskStatus::Failed)?,
                    word(TaskStatus::Succeeded)?,
                ))
            })
            .expect("a service whose jobs have sub-jobs, reasons and times")
    }

    fn scope() -> Scope {
        Scope {
            region: None,
            project_id: "p".into(),
            instance_id: None,
        }
    }

    #[test]
    fn a_failed_job_without_a_reason_takes_its_failed_sub_job_s() {
        let (service, view, failed, succeeded) = job_service();
        let f = &view.fields;
        let sub = |id: &str, status: &str, reason: Option<&str>, error: Option<&str>| {
            let mut item = Value::Object(Default::default());
            put(&mut item, f.id, Value::from(id));
            put(&mut item, f.status, Value::from(status));
            if let Some(r) = reason {
                put(&mut item, f.reason.unwrap(), Value::from(r));
            }
            if let Some(e) = error {
                put(&mut item, f.error.unwrap(), Value::from(e));
            }
            item
        };
        let job = |children: Vec<Value>| {
            let mut item = sub("j", failed, None, None);
            put(&mut item, f.children.unwrap(), Value::Array(children));
            Task::from_item(service, view, &scope(), &item).unwrap()
        };
        // A sub-job that succeeded says something too; only the failed
        // one's reason (here given alone, without an error code) counts.
        let task = job(vec![
            sub("s1", succeeded, Some("not this"), Some("E.0")),
            sub("s2", failed, Some("disk full"), None),
        ]);
        assert_eq!(task.reason.as_deref(), Some("disk full"));
        // A failed sub-job with only an error code gives that.
        let task = job(vec![sub("s1", failed, None, Some("E.13"))]);
        assert_eq!(task.reason.as_deref(), Some("E.13"));
        // A failed sub-job that says nothing gives nothing.
        let task = job(vec![sub("s1", failed, None, None)]);
        assert_eq!(task.reason, None);
    }

    #[test]
    fn a_duration_is_given_only_when_the_end_is_not_before_the_start() {
        let (service, view, _, succeeded) = job_service();
        let f = &view.fields;
        let task = |begin: &str, end: &str| {
            let mut item = Value::Object(Default::default());
            put(&mut item, f.id, Value::from("j"));
            put(&mut item, f.status, Value::from(succeeded));
            put(&mut item, f.created_at.unwrap(), Value::from(begin));
            put(&mut item, f.updated_at.unwrap(), Value::from(end));
            Task::from_item(service, view, &scope(), &item).unwrap()
        };
        let ok = task("2026-12-01T10:00:00Z", "2026-12-01T10:01:30Z");
        assert_eq!(ok.duration_secs, Some(90));
        let same = task("2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z");
        assert_eq!(same.duration_secs, Some(0));
        let backwards = task("2026-12-01T10:01:30Z", "2026-12-01T10:00:00Z");
        assert_eq!(backwards.duration_secs, None);
    }
}
