//! Printing tasks: a table that fits the terminal for people, a wide table,
//! a detail view of one task, and JSON, NDJSON or CSV for scripts.

use std::io::Write;

use chrono::{DateTime, Local, Utc};
use clap::ValueEnum;
use comfy_table::{
    Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Row, Table, Width, presets,
};
use huaweicloud_tasks::tasks::{Task, TaskStatus};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::time::short;

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

/// The fields every row carries, in order.
pub const COLUMNS: [&str; 15] = [
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
];

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

/// Writes `tasks` as a list in `format`.
pub fn print(
    out: &mut dyn Write,
    tasks: &[Task],
    format: Format,
    style: &Style,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let rows: Vec<_> = tasks.iter().map(row).collect();
            writeln!(out, "{}", Value::Array(rows))
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
                csv_row(out, task)?;
            }
            Ok(())
        }
        Format::Table | Format::Wide => {
            let layout = Layout::new(tasks, format == Format::Wide, false, style);
            writeln!(out, "{}", layout.render(tasks, &[], true, style))
        }
    }
}

fn csv_row(out: &mut dyn Write, task: &Task) -> std::io::Result<()> {
    let row = row(task);
    let cells: Vec<String> = COLUMNS.iter().map(|c| csv_cell(&text(&row[*c]))).collect();
    writeln!(out, "{}", cells.join(","))
}

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
    })
}

/// One task in detail (`show`, the end of `wait`): every field, and the
/// item as the service sent it.
pub fn print_one(
    out: &mut dyn Write,
    task: &Task,
    format: Format,
    style: &Style,
) -> std::io::Result<()> {
    let mut object = crate::sub_tasks::detailed(task);
    if let (Some(map), Some(raw)) = (object.as_object_mut(), &task.raw) {
        map.insert("item".into(), raw.clone());
    }
    match format {
        Format::Json => writeln!(out, "{object:#}"),
        Format::Ndjson => writeln!(out, "{object}"),
        Format::Csv => {
            writeln!(out, "{}", COLUMNS.join(","))?;
            csv_row(out, task)
        }
        Format::Table | Format::Wide => detail(out, task, style),
    }
}

fn detail(out: &mut dyn Write, task: &Task, style: &Style) -> std::io::Result<()> {
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
    let fields: [(&str, String); 15] = [
        ("Service", task.service.to_string()),
        ("Region", or_dash(task.region.as_deref())),
        ("Project", or_dash(Some(&task.project_id))),
        ("Instance", or_dash(task.instance_id.as_deref())),
        ("ID", task.id.clone()),
        ("Name", or_dash(task.name.as_deref())),
        ("Status", status),
        ("Progress", or_dash(task.progress.as_deref())),
        ("Job ID", or_dash(task.job_id.as_deref())),
        ("Created", time(task.created_at)),
        ("Updated", time(task.updated_at)),
        ("Duration", task.duration_secs.map_or("-".into(), short)),
        ("User", or_dash(task.user_name.as_deref())),
        ("Error", or_dash(task.error.as_deref())),
        ("", String::new()),
    ];
    for (label, value) in fields.iter().filter(|(l, _)| !l.is_empty()) {
        writeln!(out, "{:<10}{value}", format!("{label}:"))?;
    }
    crate::sub_tasks::lines(out, task, style)?;
    if let Some(raw) = &task.raw {
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

/// A column of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Seen,
    Service,
    Region,
    Project,
    Instance,
    Id,
    Name,
    Status,
    Error,
    Created,
    Age,
    Duration,
    User,
    Updated,
    Job,
    Progress,
}

impl Col {
    fn header(self) -> String {
        match self {
            Col::Seen => "SEEN".into(),
            Col::Service => "SERVICE".into(),
            Col::Region => "REGION".into(),
            Col::Project => "PROJECT".into(),
            Col::Instance => "INSTANCE".into(),
            Col::Id => "ID".into(),
            Col::Name => "NAME".into(),
            Col::Status => "STATUS".into(),
            Col::Error => "ERROR".into(),
            Col::Created => format!("CREATED ({})", zone()),
            Col::Age => "AGE".into(),
            Col::Duration => "DURATION".into(),
            Col::User => "USER".into(),
            Col::Updated => "UPDATED".into(),
            Col::Job => "JOB".into(),
            Col::Progress => "PROGRESS".into(),
        }
    }

    /// How narrow the column may be cut (with an ellipsis) to fit, if at all.
    fn least(self) -> Option<usize> {
        match self {
            Col::Name => Some(14),
            Col::Error => Some(12),
            Col::User | Col::Project => Some(8),
            _ => None,
        }
    }

    fn cell(self, task: &Task, now: DateTime<Utc>, seen: Option<DateTime<Utc>>) -> String {
        let dash = |v: Option<&str>| v.filter(|s| !s.is_empty()).unwrap_or("-").to_string();
        match self {
            Col::Seen => seen.map_or("-".into(), |t| {
                t.with_timezone(&Local).format("%H:%M:%S").to_string()
            }),
            Col::Service => task.service.to_string(),
            Col::Region => dash(task.region.as_deref()),
            Col::Project => dash(Some(&task.project_id)),
            Col::Instance => dash(task.instance_id.as_deref()),
            Col::Id => task.id.clone(),
            Col::Name => dash(task.name.as_deref()),
            Col::Status => match &task.raw_status {
                Some(raw) if task.status == TaskStatus::Unknown => format!("unknown ({raw})"),
                _ => task.status.to_string(),
            },
            Col::Error => dash(task.error.as_deref()),
            Col::Created => task.created_at.map_or("-".into(), |t| {
                t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
            }),
            Col::Age => task
                .created_at
                .map_or("-".into(), |t| short((now - t).num_seconds())),
            Col::Duration => task.duration_secs.map_or("-".into(), short),
            Col::User => dash(task.user_name.as_deref()),
            Col::Updated => task.updated_at.map_or("-".into(), |t| {
                t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
            }),
            Col::Job => dash(task.job_id.as_deref()),
            Col::Progress => dash(task.progress.as_deref()),
        }
    }
}

/// The local zone's offset now, as `UTC+08:00`.
fn zone() -> String {
    let offset = Local::now().offset().to_string();
    if offset == "+00:00" {
        "UTC".into()
    } else {
        format!("UTC{offset}")
    }
}

/// Columns dropped when the table is too wide, first to last (AGE stays
/// for CREATED).
const DROPPED_FIRST: [Col; 3] = [Col::User, Col::Duration, Col::Created];

/// Space between two columns.
const GAP: usize = 2;
/// The narrowest a column is cut to, as a last resort.
const MIN_SHRUNK: usize = 6;

/// The columns of a table and their widths.
#[derive(Clone, Debug)]
pub struct Layout {
    cols: Vec<(Col, usize)>,
}

impl Layout {
    /// The columns `tasks` need: REGION and PROJECT when they differ, ERROR
    /// when a task has one (or `watch`, which cannot know), INSTANCE when a
    /// task has one; in `wide`, every column. Fitted to `style.width`
    /// (columns shortened, then the least useful dropped), except `wide`.
    pub fn new(tasks: &[Task], wide: bool, watch: bool, style: &Style) -> Self {
        let distinct = |f: &dyn Fn(&Task) -> Option<&str>| {
            let mut seen: Vec<Option<&str>> = tasks.iter().map(f).collect();
            seen.sort();
            seen.dedup();
            seen.len() > 1
        };
        let several_regions = distinct(&|t| t.region.as_deref());
        let several_projects = distinct(&|t| Some(t.project_id.as_str()));
        let any = |f: &dyn Fn(&Task) -> bool| tasks.iter().any(f);
        let mut cols = Vec::new();
        if watch {
            cols.push(Col::Seen);
        }
        cols.push(Col::Service);
        if wide || several_regions {
            cols.push(Col::Region);
        }
        if wide || several_projects {
            cols.push(Col::Project);
        }
        if wide || watch || any(&|t| t.instance_id.is_some()) {
            cols.push(Col::Instance);
        }
        cols.extend([Col::Id, Col::Name, Col::Status]);
        if wide || watch || any(&|t| t.error.is_some()) {
            cols.push(Col::Error);
        }
        if wide {
            cols.extend([
                Col::Progress,
                Col::Created,
                Col::Updated,
                Col::Duration,
                Col::User,
                Col::Job,
            ]);
        } else {
            cols.extend([Col::Created, Col::Age, Col::Duration, Col::User]);
        }
        let now = style.now;
        let mut sized: Vec<(Col, usize)> = cols
            .into_iter()
            .map(|c| {
                let widest = tasks
                    .iter()
                    .map(|t| c.cell(t, now, Some(now)).width())
                    .max()
                    .unwrap_or(0);
                (c, widest.max(c.header().width()))
            })
            .collect();
        if let (Some(width), false) = (style.width, wide) {
            fit(&mut sized, width);
        }
        Self { cols: sized }
    }

    /// The table of `tasks` in this layout, with the header or without;
    /// `seen` gives each task's time in the SEEN column.
    pub fn render(
        &self,
        tasks: &[Task],
        seen: &[DateTime<Utc>],
        header: bool,
        style: &Style,
    ) -> String {
        let mut table = Table::new();
        table
            .load_preset(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_truncation_indicator("…");
        if style.colour {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        if header {
            table.set_header(self.cols.iter().map(|(c, _)| Cell::new(c.header())));
        }
        for (i, task) in tasks.iter().enumerate() {
            let cells = self.cols.iter().map(|(c, width)| {
                let text = clip(&c.cell(task, style.now, seen.get(i).copied()), *width);
                let cell = Cell::new(text);
                match c {
                    Col::Status if style.colour => cell.fg(colour(task.status)),
                    Col::Age | Col::Duration => cell.set_alignment(CellAlignment::Right),
                    _ => cell,
                }
            });
            table.add_row(Row::from(cells));
        }
        for (i, (_, width)) in self.cols.iter().enumerate() {
            if let Some(column) = table.column_mut(i) {
                // No space before the first column or after the last.
                let left = if i == 0 { 0 } else { 1 };
                let right = if i + 1 == self.cols.len() { 0 } else { 1 };
                column.set_padding((left, right));
                // The fixed width includes the padding.
                let width = u16::try_from(*width + usize::from(left + right)).unwrap_or(u16::MAX);
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(width)));
            }
        }
        let lines: Vec<String> = table.lines().map(|l| l.trim_end().to_string()).collect();
        lines.join("\n")
    }

    /// The width of a row.
    #[cfg(test)]
    fn width(&self) -> usize {
        total(&self.cols)
    }
}

fn total(cols: &[(Col, usize)]) -> usize {
    cols.iter().map(|(_, w)| w).sum::<usize>() + GAP * cols.len().saturating_sub(1)
}

/// Fits the columns into `width`: the shortenable ones are cut, widest
/// first, down to their least width; if that is not enough, columns are
/// dropped in [`DROPPED_FIRST`] order (each time from the natural widths
/// again). Then, as last resorts: INSTANCE is cut, the shortenable columns
/// are cut to [`MIN_SHRUNK`], AGE is dropped. ID, STATUS and SERVICE are
/// never cut: a row they do not fit into is wider than the terminal.
fn fit(cols: &mut Vec<(Col, usize)>, width: usize) {
    let natural = cols.clone();
    for dropped in 0..=DROPPED_FIRST.len() {
        let mut candidate: Vec<(Col, usize)> = natural
            .iter()
            .copied()
            .filter(|(c, _)| !DROPPED_FIRST[..dropped].contains(c))
            .collect();
        shrink(&mut candidate, width, false);
        *cols = candidate;
        if total(cols) <= width {
            return;
        }
    }
    if let Some(over) = total(cols).checked_sub(width)
        && let Some((_, w)) = cols.iter_mut().find(|(c, _)| *c == Col::Instance)
    {
        *w = w.saturating_sub(over).max(MIN_SHRUNK.min(*w));
    }
    shrink(cols, width, true);
    if total(cols) > width {
        cols.retain(|(c, _)| *c != Col::Age);
    }
}

/// Cuts the widest shortenable column by one until the row fits `width` or
/// none can be cut further (below its least width only `to_the_bone`).
fn shrink(cols: &mut [(Col, usize)], width: usize, to_the_bone: bool) {
    while total(cols) > width {
        let least = |c: Col| c.least().map(|l| if to_the_bone { MIN_SHRUNK } else { l });
        let Some((_, w)) = cols
            .iter_mut()
            .filter(|(c, w)| least(*c).is_some_and(|least| *w > least))
            .max_by_key(|(_, w)| *w)
        else {
            return;
        };
        *w -= 1;
    }
}

/// `text` cut to `width` columns, ending in an ellipsis when cut.
fn clip(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
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

/// `text` in the status's colour, when colours are on.
pub(crate) fn paint(text: &str, status: TaskStatus, style: &Style) -> String {
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
    fn clipped_text_ends_in_an_ellipsis() {
        assert_eq!(clip("ChangeInstanceSpec", 8), "ChangeI…");
        assert_eq!(clip("short", 8), "short");
        assert_eq!(clip("exactly8", 8), "exactly8");
    }

    #[test]
    fn the_table_fits_by_shortening_then_dropping() {
        let natural = vec![
            (Col::Service, 9),
            (Col::Instance, 36),
            (Col::Id, 36),
            (Col::Name, 30),
            (Col::Status, 9),
            (Col::Created, 16),
            (Col::Age, 6),
            (Col::Duration, 8),
            (Col::User, 24),
        ];
        let fitted = |width: usize| {
            let mut cols = natural.clone();
            fit(&mut cols, width);
            assert!(total(&cols) <= width, "{width}: {cols:?}");
            assert!(cols.contains(&(Col::Id, 36)), "ids stay whole: {cols:?}");
            assert!(cols.contains(&(Col::Status, 9)), "{cols:?}");
            cols
        };
        let wide = fitted(220);
        assert_eq!(wide, natural, "everything fits at 220");
        let at_160 = fitted(160);
        assert!(at_160.contains(&(Col::Instance, 36)), "{at_160:?}");
        let at_80 = fitted(80);
        let kept: Vec<Col> = at_80.iter().map(|(c, _)| *c).collect();
        assert_eq!(
            kept,
            [Col::Service, Col::Instance, Col::Id, Col::Name, Col::Status]
        );
        let layout = Layout { cols: at_80 };
        assert!(layout.width() <= 80);
    }
}
