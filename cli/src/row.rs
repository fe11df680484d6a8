//! A task as a row: the fields every row carries, in order, as one JSON
//! object (what the table, CSV, JSON, `--columns` and `--sort` all read).

use huaweicloud_tasks::tasks::Task;
use serde_json::Value;

/// The fields every row carries, in order.
pub const COLUMNS: [&str; 16] = [
    "service",
    "region",
    "project_id",
    "instance_id",
    "id",
    "name",
    "status",
    "raw_status",
    "created_at",
    "updated_at",
    "duration_secs",
    "user_name",
    "error",
    "job_id",
    "progress",
    "scheduled_at",
];

/// A task as one JSON object with exactly [`COLUMNS`].
pub fn row(task: &Task) -> Value {
    serde_json::json!({
        "service": task.service,
        "region": task.region,
        "project_id": task.project_id,
        "instance_id": task.instance_id,
        "id": task.id,
        "name": task.name,
        "status": task.status,
        "raw_status": task.raw_status,
        "created_at": task.created_at.map(|t| t.to_rfc3339()),
        "updated_at": task.updated_at.map(|t| t.to_rfc3339()),
        "duration_secs": task.duration_secs,
        "user_name": task.user_name,
        "error": task.error,
        "job_id": task.job_id,
        "progress": task.progress,
        "scheduled_at": task.scheduled_at.map(|t| t.to_rfc3339()),
    })
}
