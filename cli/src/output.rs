//! Printing tasks: a table that fits the terminal for people, a wide table,
//! a detail view of one task, and JSON, NDJSON or CSV for scripts.

use std::io::Write;

use chrono::{DateTime, Local, Utc};
use huaweicloud_tasks::tasks::Task;
use serde_json::Value;

use crate::format::{Format, Style, paint};
use crate::row::{COLUMNS, row};
pub use crate::table::Layout;
use crate::time::short;

/// Which fields are printed, and whether table and CSV have a header line.
#[derive(Clone, Debug)]
pub struct Shape {
    /// The fields chosen (`--columns`); empty: the format's own.
    pub columns: Vec<&'static str>,
    pub header: bool,
}

impl Shape {
    /// The fields of a CSV row.
    fn fields(&self) -> &[&'static str] {
        if self.columns.is_empty() {
            &COLUMNS
        } else {
            &self.columns
        }
    }
}

/// Writes `tasks` as a list in `format`.
pub fn print(
    out: &mut dyn Write,
    tasks: &[Task],
    format: Format,
    style: &Style,
    shape: &Shape,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let rows: Vec<_> = tasks
                .iter()
                .map(|t| crate::view::pick(row(t), &shape.columns))
                .collect();
            writeln!(out, "{}", Value::Array(rows))
        }
        Format::Ndjson => {
            for task in tasks {
                writeln!(out, "{}", crate::view::pick(row(task), &shape.columns))?;
            }
            Ok(())
        }
        Format::Csv => {
            if shape.header {
                writeln!(out, "{}", shape.fields().join(","))?;
            }
            for task in tasks {
                csv_row(out, task, shape.fields())?;
            }
            Ok(())
        }
        Format::Table | Format::Wide => {
            let layout = Layout::new(tasks, format == Format::Wide, false, style, &shape.columns);
            writeln!(out, "{}", layout.render(tasks, &[], shape.header, style))
        }
    }
}

fn csv_row(out: &mut dyn Write, task: &Task, fields: &[&str]) -> std::io::Result<()> {
    let row = row(task);
    let cells: Vec<String> = fields.iter().map(|c| csv_cell(&text(&row[*c]))).collect();
    writeln!(out, "{}", cells.join(","))
}

/// A task as `show` prints it in JSON: the row with why it failed, what it
/// works on, its sub-tasks and the item as sent (without the item when
/// fields are chosen), the chosen fields only.
pub fn object(task: &Task, columns: &[&'static str]) -> Value {
    let mut object = crate::sub_tasks::detailed(task);
    if let (true, Some(map), Some(raw)) = (columns.is_empty(), object.as_object_mut(), &task.raw) {
        map.insert("item".into(), raw.clone());
    }
    crate::view::pick(object, columns)
}

/// One task in detail (`show`, the end of `wait`): every field, and the
/// item as the service sent it; with fields chosen, those.
pub fn print_one(
    out: &mut dyn Write,
    task: &Task,
    format: Format,
    style: &Style,
    shape: &Shape,
) -> std::io::Result<()> {
    match format {
        Format::Json => writeln!(out, "{:#}", object(task, &shape.columns)),
        Format::Ndjson => writeln!(out, "{}", object(task, &shape.columns)),
        Format::Csv => {
            if shape.header {
                writeln!(out, "{}", shape.fields().join(","))?;
            }
            csv_row(out, task, shape.fields())
        }
        Format::Table | Format::Wide => detail(out, task, style, &shape.columns),
    }
}

fn detail(
    out: &mut dyn Write,
    task: &Task,
    style: &Style,
    columns: &[&'static str],
) -> std::io::Result<()> {
    let or_dash = |v: Option<&str>| v.filter(|s| !s.is_empty()).unwrap_or("-").to_string();
    let time = |t: Option<DateTime<Utc>>| match t {
        Some(t) => {
            let local = t.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S %:z");
            let ago = (style.now - t).num_seconds();
            if ago >= 0 {
                format!("{local} ({} ago)", short(ago))
            } else {
                local.to_string()
            }
        }
        None => "-".into(),
    };
    let status = match &task.raw_status {
        Some(raw) => format!(
            "{} ({raw})",
            paint(task.status.as_str(), task.status, style)
        ),
        None => paint(task.status.as_str(), task.status, style),
    };
    // Each line with the field it shows (`--columns` picks lines).
    let fields: [(&str, &str, String); 15] = [
        ("Service", "service", task.service.to_string()),
        ("Region", "region", or_dash(task.region.as_deref())),
        ("Project", "project_id", or_dash(Some(&task.project_id))),
        (
            "Instance",
            "instance_id",
            or_dash(task.instance_id.as_deref()),
        ),
        ("ID", "id", task.id.clone()),
        ("Name", "name", or_dash(task.name.as_deref())),
        ("Status", "status", status),
        ("Progress", "progress", or_dash(task.progress.as_deref())),
        ("Job ID", "job_id", or_dash(task.job_id.as_deref())),
        ("Created", "created_at", time(task.created_at)),
        ("Updated", "updated_at", time(task.updated_at)),
        ("Scheduled", "scheduled_at", time(task.scheduled_at)),
        (
            "Duration",
            "duration_secs",
            task.duration_secs.map_or("-".into(), short),
        ),
        ("User", "user_name", or_dash(task.user_name.as_deref())),
        ("Error", "error", or_dash(task.error.as_deref())),
    ];
    let chosen = |field: &str| {
        columns.is_empty()
            || columns.contains(&field)
            || (field == "status" && columns.contains(&"raw_status"))
    };
    // Only a scheduled task has a time it is set to run.
    let shown = |field: &str| {
        chosen(field)
            && (field != "scheduled_at" || task.scheduled_at.is_some() || !columns.is_empty())
    };
    for (label, _, value) in fields.iter().filter(|(_, f, _)| shown(f)) {
        writeln!(out, "{:<10}{value}", format!("{label}:"))?;
    }
    if columns.is_empty() {
        crate::sub_tasks::lines(out, task, style)?;
    }
    if let (true, Some(raw)) = (columns.is_empty(), &task.raw) {
        writeln!(out, "As sent by the service:")?;
        tree(out, raw, 1)?;
    }
    Ok(())
}

/// A JSON value as indented `name: value` lines; a string holding a JSON
/// object or array (task parameters often are) is shown as one.
fn tree(out: &mut dyn Write, value: &Value, depth: usize) -> std::io::Result<()> {
    let pad = "  ".repeat(depth);
    let nested = |v: &Value| -> Option<Value> {
        match v {
            Value::String(s) if s.trim_start().starts_with(['{', '[']) => {
                serde_json::from_str::<Value>(s)
                    .ok()
                    .filter(|v| v.is_object() || v.is_array())
            }
            _ => None,
        }
    };
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let parsed = nested(v);
                match parsed.as_ref().unwrap_or(v) {
                    inner @ Value::Object(m) if !m.is_empty() => {
                        writeln!(out, "{pad}{key}:")?;
                        tree(out, inner, depth + 1)?;
                    }
                    inner @ Value::Array(a) if !a.is_empty() => {
                        writeln!(out, "{pad}{key}:")?;
                        tree(out, inner, depth + 1)?;
                    }
                    leaf => writeln!(out, "{pad}{key}: {}", scalar(leaf))?,
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            for item in items {
                match nested(item).as_ref().unwrap_or(item) {
                    inner @ (Value::Object(_) | Value::Array(_)) => {
                        writeln!(out, "{pad}-")?;
                        tree(out, inner, depth + 1)?;
                    }
                    leaf => writeln!(out, "{pad}- {}", scalar(leaf))?,
                }
            }
            Ok(())
        }
        leaf => writeln!(out, "{pad}{}", scalar(leaf)),
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) if s.is_empty() => "\"\"".into(),
        // One line whatever the service sent.
        Value::String(s) => s.split(char::is_control).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
