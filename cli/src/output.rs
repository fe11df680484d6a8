//! Printing tasks: a table for people, JSON, NDJSON or CSV for scripts.

use std::io::Write;

use chrono::{DateTime, Local, Utc};
use clap::ValueEnum;
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use huaweicloud_tasks::tasks::{Task, TaskStatus};

/// How tasks are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns; colours and local, relative times on a terminal.
    Table,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated values with a header line.
    Csv,
}

/// The fields every row carries, in order.
pub const COLUMNS: [&str; 13] = [
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
];

/// Writes `tasks` in `format`. `terminal` turns on colours and local times.
pub fn print(
    out: &mut dyn Write,
    tasks: &[Task],
    format: Format,
    terminal: bool,
    now: DateTime<Utc>,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let rows: Vec<_> = tasks.iter().map(row).collect();
            writeln!(out, "{}", serde_json::Value::Array(rows))
        }
        Format::Ndjson => {
            for task in tasks {
                writeln!(out, "{}", row(task))?;
            }
            Ok(())
        }
        Format::Csv => {
            writeln!(out, "{}", COLUMNS.join(","))?;
            for task in tasks {
                let cells: Vec<String> = COLUMNS
                    .iter()
                    .map(|c| csv_cell(&text(&row(task)[*c])))
                    .collect();
                writeln!(out, "{}", cells.join(","))?;
            }
            Ok(())
        }
        Format::Table => writeln!(out, "{}", table(tasks, terminal, now)),
    }
}

/// A task as one JSON object with exactly [`COLUMNS`].
pub fn row(task: &Task) -> serde_json::Value {
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
    })
}

fn text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
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

fn table(tasks: &[Task], terminal: bool, now: DateTime<Utc>) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header([
            "SERVICE", "INSTANCE", "ID", "NAME", "STATUS", "CREATED", "DURATION", "USER", "ERROR",
        ]);
    for task in tasks {
        let mut status = Cell::new(match &task.raw_status {
            Some(raw) if task.status == TaskStatus::Unknown => format!("unknown ({raw})"),
            _ => task.status.to_string(),
        });
        if terminal {
            status = status.fg(colour(task.status));
        }
        table.add_row([
            Cell::new(task.service),
            Cell::new(task.instance_id.as_deref().unwrap_or("-")),
            Cell::new(&task.id),
            Cell::new(task.name.as_deref().unwrap_or("-")),
            status,
            Cell::new(created(task.created_at, terminal, now)),
            Cell::new(task.duration_secs.map_or("-".into(), duration)),
            Cell::new(task.user_name.as_deref().unwrap_or("-")),
            Cell::new(task.error.as_deref().unwrap_or("")),
        ]);
    }
    table
}

fn colour(status: TaskStatus) -> Color {
    match status {
        TaskStatus::Succeeded => Color::Green,
        TaskStatus::Failed => Color::Red,
        TaskStatus::Running | TaskStatus::Pending => Color::Yellow,
        TaskStatus::Cancelled => Color::DarkGrey,
        TaskStatus::Unknown => Color::Magenta,
    }
}

fn created(at: Option<DateTime<Utc>>, terminal: bool, now: DateTime<Utc>) -> String {
    let Some(at) = at else { return "-".into() };
    if !terminal {
        return at.to_rfc3339();
    }
    let local = at.with_timezone(&Local).format("%Y-%m-%d %H:%M");
    let ago = (now - at).num_seconds();
    if ago >= 0 {
        format!("{local} ({} ago)", duration(ago))
    } else {
        local.to_string()
    }
}

/// `45s`, `12m`, `3h05m`, `2d04h`.
pub fn duration(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        s => format!("{}d{:02}h", s / 86_400, s % 86_400 / 3600),
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

    #[test]
    fn durations_read_short() {
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(720), "12m");
        assert_eq!(duration(3 * 3600 + 300), "3h05m");
        assert_eq!(duration(2 * 86_400 + 4 * 3600), "2d04h");
    }
}
