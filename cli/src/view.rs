//! What is printed, beside the format: the fields (`--columns`), the
//! header (`--no-header`), the order (`--sort`), counts instead of tasks
//! (`--summary`) and a JMESPath query over the JSON (`--query`). Field
//! names are the JSON rows' keys in every format, so a column picked for a
//! table is the same one a script reads from CSV or JSON.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::io::Write;

use clap::Args;
use huaweicloud_tasks::tasks::Task;
use serde_json::{Value, json};

use crate::check::{self, STATUSES};
use crate::complete;
use crate::format::Format;
use crate::query;
use crate::row::{COLUMNS, row};

/// Options of every command that prints tasks.
#[derive(Args, Clone, Debug, Default)]
pub struct View {
    /// No header line in table and CSV output.
    #[arg(long, global = true)]
    pub no_header: bool,
    /// The fields to print, in this order, comma-separated (the JSON rows'
    /// keys: service, region, project_id, instance_id, id, name, status,
    /// raw_status, created_at, updated_at, duration_secs, user_name, error,
    /// job_id, progress).
    #[arg(long, value_name = "FIELD,...", global = true, value_delimiter = ',',
          value_parser = column, add = complete::columns())]
    pub columns: Vec<&'static str>,
    /// A JMESPath expression over the JSON output, printed as JSON (`list`:
    /// the array of rows; `show` and `wait`: each task's object), as `aws
    /// --query` does: --query "[?status=='failed'].id".
    #[arg(long, value_name = "EXPR", global = true, value_parser = query::parse)]
    pub query: Option<String>,
}

/// Options of `list` alone: the order, or counts instead of tasks.
#[derive(Args, Clone, Debug)]
pub struct Order {
    /// Order of the rows: FIELD (ascending) or FIELD:desc; rows without
    /// the field last. Default: created_at:desc, newest first. --limit
    /// keeps the first N in this order.
    #[arg(long, value_name = "FIELD[:desc]", value_parser = sort, add = complete::columns())]
    pub sort: Option<Sort>,
    /// Instead of the tasks, how many there are per service and status
    /// (every task found: --limit does not apply).
    #[arg(long)]
    pub summary: bool,
}

/// A field of the rows, by its key; a typo is told the closest.
pub fn column(text: &str) -> Result<&'static str, String> {
    let text = text.trim();
    COLUMNS
        .iter()
        .copied()
        .find(|c| *c == text)
        .ok_or_else(|| check::unknown("column", text, &COLUMNS))
}

/// The order of a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub field: &'static str,
    pub descending: bool,
}

/// Newest first.
pub const NEWEST_FIRST: Sort = Sort {
    field: "created_at",
    descending: true,
};

fn sort(text: &str) -> Result<Sort, String> {
    let (name, direction) = text.split_once(':').unwrap_or((text, "asc"));
    let descending = match direction {
        "asc" => false,
        "desc" => true,
        other => return Err(format!("unknown direction `{other}`: asc or desc")),
    };
    Ok(Sort {
        field: column(name)?,
        descending,
    })
}

/// Sorts `tasks` by `order`; ties keep the newest first, then by id, so
/// the same tasks always print in the same order.
pub fn arrange(tasks: &mut [Task], order: Sort) {
    let newest = |a: &Task, b: &Task| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id));
    if order == NEWEST_FIRST {
        tasks.sort_by(newest);
        return;
    }
    let mut keyed: Vec<(Value, Task)> = tasks
        .iter()
        .map(|t| (row(t)[order.field].clone(), t.clone()))
        .collect();
    keyed.sort_by(|(x, a), (y, b)| {
        let by_field = match (x.is_null(), y.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) if order.descending => compare(y, x),
            (false, false) => compare(x, y),
        };
        by_field.then_with(|| newest(a, b))
    });
    for (slot, (_, task)) in tasks.iter_mut().zip(keyed) {
        *slot = task;
    }
}

/// Numbers by value, anything else by its text (times are RFC 3339 in
/// UTC, so their text sorts as they do).
fn compare(a: &Value, b: &Value) -> Ordering {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => text(a).cmp(&text(b)),
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A row with only the chosen fields (all of them when none are chosen).
pub fn pick(mut object: Value, columns: &[&'static str]) -> Value {
    if let (false, Some(map)) = (columns.is_empty(), object.as_object_mut()) {
        map.retain(|key, _| columns.contains(&key.as_str()));
    }
    object
}

/// How many tasks per service and status.
pub struct Summary {
    counts: BTreeMap<&'static str, [usize; STATUSES.len()]>,
}

impl Summary {
    pub fn of(tasks: &[Task]) -> Self {
        let mut counts: BTreeMap<&'static str, [usize; STATUSES.len()]> = BTreeMap::new();
        for task in tasks {
            let slot = STATUSES.iter().position(|s| *s == task.status).unwrap_or(0);
            counts.entry(task.service).or_default()[slot] += 1;
        }
        Self { counts }
    }

    /// One object per service and status that has tasks:
    /// `{"service": "dcs", "status": "failed", "count": 3}`.
    pub fn rows(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for (service, counts) in &self.counts {
            for (status, count) in STATUSES.iter().zip(counts) {
                if *count > 0 {
                    out.push(
                        json!({"service": service, "status": status.as_str(), "count": count}),
                    );
                }
            }
        }
        out
    }

    /// Writes the counts: for people a table with a column per status seen
    /// and a total (and a total row when several services are counted);
    /// for scripts one row per service and status.
    pub fn print(&self, out: &mut dyn Write, format: Format, header: bool) -> std::io::Result<()> {
        match format {
            Format::Json => writeln!(out, "{:#}", Value::Array(self.rows())),
            Format::Ndjson => self.rows().iter().try_for_each(|r| writeln!(out, "{r}")),
            Format::Csv => {
                if header {
                    writeln!(out, "service,status,count")?;
                }
                for r in self.rows() {
                    writeln!(
                        out,
                        "{},{},{}",
                        text(&r["service"]),
                        text(&r["status"]),
                        r["count"]
                    )?;
                }
                Ok(())
            }
            Format::Table | Format::Wide => self.table(out, header),
        }
    }

    fn table(&self, out: &mut dyn Write, header: bool) -> std::io::Result<()> {
        let seen: Vec<usize> = (0..STATUSES.len())
            .filter(|i| self.counts.values().any(|c| c[*i] > 0))
            .collect();
        let mut lines: Vec<Vec<String>> = Vec::new();
        if header {
            let mut head = vec!["SERVICE".to_string()];
            head.extend(seen.iter().map(|i| STATUSES[*i].as_str().to_uppercase()));
            head.push("TOTAL".into());
            lines.push(head);
        }
        let mut totals = [0usize; STATUSES.len()];
        for (service, counts) in &self.counts {
            let mut line = vec![service.to_string()];
            line.extend(seen.iter().map(|i| counts[*i].to_string()));
            line.push(counts.iter().sum::<usize>().to_string());
            lines.push(line);
            for (t, c) in totals.iter_mut().zip(counts) {
                *t += c;
            }
        }
        if self.counts.len() > 1 {
            let mut line = vec!["all".to_string()];
            line.extend(seen.iter().map(|i| totals[*i].to_string()));
            line.push(totals.iter().sum::<usize>().to_string());
            lines.push(line);
        }
        let columns = lines.first().map_or(0, Vec::len);
        let widths: Vec<usize> = (0..columns)
            .map(|c| lines.iter().map(|l| l[c].len()).max().unwrap_or(0))
            .collect();
        for line in &lines {
            let cells: Vec<String> = line
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(c, (cell, w))| {
                    if c == 0 {
                        format!("{cell:<w$}")
                    } else {
                        format!("{cell:>w$}")
                    }
                })
                .collect();
            writeln!(out, "{}", cells.join("  ").trim_end())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use huaweicloud_tasks::tasks::TaskStatus;

    fn status_of(row: &Value) -> Option<TaskStatus> {
        row["status"].as_str().and_then(|s| s.parse().ok())
    }

    #[test]
    fn a_sort_names_a_field_and_a_direction() {
        assert_eq!(sort("created_at:desc"), Ok(NEWEST_FIRST));
        assert_eq!(
            sort("name"),
            Ok(Sort {
                field: "name",
                descending: false
            })
        );
        let typo = sort("stauts").unwrap_err();
        assert!(typo.contains("did you mean `status`?"), "{typo}");
        assert!(sort("name:up").unwrap_err().contains("asc or desc"));
    }

    #[test]
    fn the_summary_counts_per_service_and_status() {
        let service = huaweicloud_tasks::SERVICES[0];
        let task = |id: &str, status| {
            let mut t = Task::reference(service, None, "p", None, id);
            t.status = status;
            t
        };
        let tasks = [
            task("a", TaskStatus::Failed),
            task("b", TaskStatus::Failed),
            task("c", TaskStatus::Running),
        ];
        let rows = Summary::of(&tasks).rows();
        assert_eq!(rows.len(), 2);
        assert_eq!(status_of(&rows[0]), Some(TaskStatus::Running));
        assert_eq!(rows[1]["count"], 2);
        let mut out = Vec::new();
        Summary::of(&tasks)
            .print(&mut out, Format::Table, true)
            .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("SERVICE  RUNNING  FAILED  TOTAL"), "{out}");
    }
}
