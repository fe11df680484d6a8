//! The task views (`x-hwc-task-view`, `x-hwc-scheduled-view`): how a
//! service's tasks read as the one task shape of the client's `tasks`
//! module. Both extensions have this shape; the model checks that every
//! operation and field they name exists.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a service's tasks map onto the common task view (`x-hwc-task-view`).
/// Operations are named by operationId; fields by their JSON names in a task
/// item, with `.` between the names of nested objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TaskView {
    /// The paged list of every task of a project, if the service has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_project: Option<String>,
    /// The paged list of one instance's tasks, if the service has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_instance: Option<String>,
    /// The operation that returns one task by its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show: Option<String>,
    /// Where the task is in the show operation's response (a field name,
    /// dotted for nested ones and with numbers for array items such as
    /// `tasks.0`, or empty for the whole body).
    #[serde(default)]
    pub show_item: String,
    /// The operation that deletes the record of a task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete: Option<String>,
    /// The operation that reports a task's progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
    /// The field of the progress response holding the percentage done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_percent: Option<String>,
    /// The operation that returns the job behind a task, by its job id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    /// Where the job is in the job operation's response (a field name, or
    /// empty for the whole body). Its fields are read with the same names.
    #[serde(default)]
    pub job_item: String,
    /// The time window a list operation requires, if it requires one: the
    /// query parameters and how times are written in them. Lists are then
    /// asked for the query's window (by default the last 30 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<TaskWindow>,
    /// Which item field is which.
    pub fields: TaskFields,
    /// Raw status values by what they mean; any other value is `unknown`.
    pub statuses: TaskStatuses,
}

/// The time window parameters of a list (`x-hwc-task-view.window`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TaskWindow {
    /// Query parameter of the window's start.
    #[schemars(length(min = 1))]
    pub since: String,
    /// Query parameter of the window's end.
    #[schemars(length(min = 1))]
    pub until: String,
    /// How a time is written there.
    pub format: WindowFormat,
}

/// How a window time is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum WindowFormat {
    /// `yyyyMMddHHmmss`, UTC.
    Compact,
    /// UNIX milliseconds.
    EpochMillis,
    /// `yyyy-MM-ddTHH:mm:ss+0000` (UTC with the offset written out).
    OffsetSeconds,
}

/// Field names of a task item (`x-hwc-task-view.fields`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TaskFields {
    #[schemars(length(min = 1))]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[schemars(length(min = 1))]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// When a scheduled task is set to run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// An error code or failure reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// The instance a task belongs to, where the item says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// A progress figure, where the item carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
    /// Why a failed task failed, where the item says so apart from its
    /// error code (a job's `fail_reason`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// An object naming the resources the task works on (a job's
    /// `entities`: `server_id`, `volume_id`...); its text and number members
    /// are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<String>,
    /// An array of sub-tasks (a job's `entities.sub_jobs`), each read with
    /// these same fields: the task's children.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<String>,
}

/// Raw status values by meaning (`x-hwc-task-view.statuses`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskStatuses {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub running: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub succeeded: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cancelled: Vec<String>,
}
