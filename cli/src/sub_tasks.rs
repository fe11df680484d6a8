//! What `show` and the end of `wait` add for a task with sub-tasks (a job's
//! sub-jobs): why it failed, what it works on, and the sub-tasks as a tree,
//! in the detail view and in JSON.

use std::io::Write;

use huaweicloud_tasks::tasks::Task;
use serde_json::Value;

use crate::format::{Style, paint};
use crate::row::row;
use crate::time::short;

/// A task as [`row`] has it, with why it failed, what it works on and its
/// sub-tasks, each in the same shape.
pub fn detailed(task: &Task) -> Value {
    let mut object = row(task);
    if let Some(map) = object.as_object_mut() {
        map.insert("reason".into(), serde_json::json!(task.reason));
        if !task.entities.is_empty() {
            map.insert("entities".into(), serde_json::json!(task.entities));
        }
        if !task.children.is_empty() {
            let children: Vec<Value> = task.children.iter().map(detailed).collect();
            map.insert("children".into(), Value::Array(children));
        }
    }
    object
}

/// The detail view's lines for why a task failed, what it works on, and its
/// sub-tasks as an indented tree (one line each: id, kind, status, time
/// taken, and why it failed).
pub fn lines(out: &mut dyn Write, task: &Task, style: &Style) -> std::io::Result<()> {
    if let Some(reason) = &task.reason {
        writeln!(out, "{:<10}{reason}", "Reason:")?;
    }
    if !task.entities.is_empty() {
        let named: Vec<String> = task
            .entities
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        writeln!(out, "{:<10}{}", "Works on:", named.join(" "))?;
    }
    if task.children.is_empty() {
        return Ok(());
    }
    writeln!(out, "Sub-tasks:")?;
    for (depth, child) in task.tree().into_iter().skip(1) {
        let status = paint(child.status.as_str(), child.status, style);
        let raw = child
            .raw_status
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let took = child
            .duration_secs
            .map(|s| format!("  {}", short(s)))
            .unwrap_or_default();
        let why = child
            .reason
            .as_deref()
            .or(child.error.as_deref())
            .map(|r| format!("  {r}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}- {}  {}  {status}{raw}{took}{why}",
            "  ".repeat(depth),
            child.id,
            child.name.as_deref().unwrap_or("-"),
        )?;
    }
    Ok(())
}
