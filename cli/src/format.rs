//! How output looks: the format chosen, and how a table is drawn (width,
//! colours, the moment times are counted from).

use chrono::{DateTime, Utc};
use clap::ValueEnum;
use huaweicloud_tasks::tasks::TaskStatus;

/// How tasks are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns fitted to the terminal; colours and local times.
    Table,
    /// Every column, nothing shortened (wider than the terminal if need be).
    Wide,
    /// One JSON array (`show`: one object).
    Json,
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated values with a header line.
    Csv,
}

/// How a table is drawn.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Colours (statuses) on.
    pub colour: bool,
    /// The width to fit into; `None`: no limit.
    pub width: Option<usize>,
    /// The moment "ago" is counted from.
    pub now: DateTime<Utc>,
}

/// `text` in the status's colour, when colours are on.
pub fn paint(text: &str, status: TaskStatus, style: &Style) -> String {
    if !style.colour {
        return text.to_string();
    }
    let code = match status {
        TaskStatus::Succeeded => "32",
        TaskStatus::Failed => "31",
        TaskStatus::Running | TaskStatus::Pending => "33",
        TaskStatus::Cancelled => "90",
        TaskStatus::Unknown => "35",
    };
    format!("\u{1b}[{code}m{text}\u{1b}[0m")
}
