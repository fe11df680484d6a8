//! The table: columns chosen for the tasks at hand, widths computed here
//! and fitted to the terminal (cells cut with an ellipsis, then the least
//! useful columns dropped), drawn by comfy-table.

use chrono::{DateTime, Local, Utc};
use comfy_table::{
    Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Row, Table, Width, presets,
};
use huaweicloud_tasks::tasks::{Task, TaskStatus};
use unicode_width::UnicodeWidthStr;

use crate::format::Style;
use crate::time::short;

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
    RawStatus,
    Error,
    Created,
    Age,
    Duration,
    User,
    Updated,
    Job,
    Progress,
    Scheduled,
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
            Col::RawStatus => "RAW STATUS".into(),
            Col::Error => "ERROR".into(),
            Col::Created => format!("CREATED ({})", zone()),
            Col::Age => "AGE".into(),
            Col::Duration => "DURATION".into(),
            Col::User => "USER".into(),
            Col::Updated => "UPDATED".into(),
            Col::Job => "JOB".into(),
            Col::Progress => "PROGRESS".into(),
            Col::Scheduled => format!("SCHEDULED ({})", zone()),
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
            Col::RawStatus => dash(task.raw_status.as_deref()),
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
            Col::Scheduled => task.scheduled_at.map_or("-".into(), |t| {
                t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
            }),
        }
    }
}

impl Col {
    /// The column that shows a field of the rows (`--columns`).
    fn of_field(field: &str) -> Option<Col> {
        Some(match field {
            "service" => Col::Service,
            "region" => Col::Region,
            "project_id" => Col::Project,
            "instance_id" => Col::Instance,
            "id" => Col::Id,
            "name" => Col::Name,
            "status" => Col::Status,
            "raw_status" => Col::RawStatus,
            "created_at" => Col::Created,
            "updated_at" => Col::Updated,
            "duration_secs" => Col::Duration,
            "user_name" => Col::User,
            "error" => Col::Error,
            "job_id" => Col::Job,
            "progress" => Col::Progress,
            "scheduled_at" => Col::Scheduled,
            _ => return None,
        })
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
    /// Fields `chosen` (`--columns`) are the columns, in their order: cut
    /// to fit where they can be, never dropped.
    pub fn new(
        tasks: &[Task],
        wide: bool,
        watch: bool,
        style: &Style,
        chosen: &[&'static str],
    ) -> Self {
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
        if !chosen.is_empty() {
            cols.extend(chosen.iter().filter_map(|f| Col::of_field(f)));
            let mut sized = Self::sized(tasks, cols, style.now);
            if let (Some(width), false) = (style.width, wide) {
                shrink(&mut sized, width, false);
                shrink(&mut sized, width, true);
            }
            return Self { cols: sized };
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
        if any(&|t| t.scheduled_at.is_some()) {
            cols.push(Col::Scheduled);
        }
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
        let mut sized = Self::sized(tasks, cols, style.now);
        if let (Some(width), false) = (style.width, wide) {
            fit(&mut sized, width);
        }
        Self { cols: sized }
    }

    /// Each column at the width of its widest cell or header.
    fn sized(tasks: &[Task], cols: Vec<Col>, now: DateTime<Utc>) -> Vec<(Col, usize)> {
        cols.into_iter()
            .map(|c| {
                let widest = tasks
                    .iter()
                    .map(|t| c.cell(t, now, Some(now)).width())
                    .max()
                    .unwrap_or(0);
                (c, widest.max(c.header().width()))
            })
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

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
