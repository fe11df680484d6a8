//! Tasks by id: `show`, `wait` and `delete`. `show` and `wait` take several
//! ids, follow them concurrently (at most `--concurrency` at once) and print
//! each result as it ends, so a fleet's tasks are one command and the
//! first to end is seen first.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use clap::Args;
use futures::StreamExt;
use huaweicloud_tasks::Config;
use huaweicloud_tasks::runtime::Service;
use huaweicloud_tasks::tasks::{self, Task, TaskKind, TaskStatus, WaitError, WaitOptions};

use crate::commands::{describe, emit, parse_interval};
use crate::format::{Format, Style};
use crate::output::{self, Shape};
use crate::time::human;
use crate::{Global, Stop, check, complete, exit, query};

#[derive(Args)]
pub struct TaskArgs {
    /// The service (spec module).
    #[arg(value_parser = check::service, add = complete::services())]
    service: &'static Service,
    /// The tasks' ids, as `list` printed them (several: each followed at
    /// once, each printed as it ends).
    #[arg(required = true, value_name = "TASK_ID")]
    task_ids: Vec<String>,
    /// The instance the tasks belong to, as `list` printed it (needed where
    /// the service keeps tasks per instance).
    #[arg(long = "instance-id", value_name = "ID")]
    instance: Option<String>,
    /// The services' scheduled tasks (work set to run later) rather than
    /// their background tasks.
    #[arg(long)]
    scheduled: bool,
}

#[derive(Args)]
pub struct WaitArgs {
    #[command(flatten)]
    task: TaskArgs,
    /// First wait between two looks (grows by half, up to 30s): a duration
    /// (500ms, 2s) or plain seconds.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_interval)]
    interval: Duration,
}

#[derive(Args)]
pub struct DeleteArgs {
    /// The service (spec module).
    #[arg(value_parser = check::service, add = complete::services())]
    service: &'static Service,
    /// The tasks to delete, as `list` printed their ids.
    #[arg(required = true, value_name = "TASK_ID")]
    task_ids: Vec<String>,
    /// The instance the tasks belong to, as `list` printed it.
    #[arg(long = "instance-id", value_name = "ID")]
    instance: Option<String>,
    /// Scheduled tasks: cancels them (or deletes their records, as the
    /// service's operation does) rather than background tasks' records.
    #[arg(long)]
    scheduled: bool,
    /// Delete without asking (needed when standard input is not a terminal).
    #[arg(long, short)]
    yes: bool,
}

/// The ids, each once, in the order first given.
fn once(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

/// The configuration and the tasks `args` name, after checking them.
async fn references(global: &Global, args: &TaskArgs) -> Result<(Config, Vec<Task>), Stop> {
    check::one_place(global, args.service)?;
    check::options(global, &[args.service])?;
    let kind = check::kind(args.scheduled);
    check::task(args.service, kind, args.instance.as_deref(), &args.task_ids)?;
    let config = global.config().await?;
    let project = global.projects(&config)?.remove(0);
    let tasks = once(&args.task_ids)
        .into_iter()
        .map(|id| {
            Task::reference(
                args.service,
                global.region(args.service),
                project.clone(),
                args.instance.clone(),
                id,
            )
            .of_kind(kind)
        })
        .collect();
    Ok((config, tasks))
}

/// Where a task was looked for, for "not found".
fn looked_in(service: &'static Service, task: &Task) -> String {
    match &task.instance_id {
        Some(instance) => format!(" in instance {instance}"),
        None if service
            .view(task.kind)
            .is_some_and(|v| v.list_instance.is_some()) =>
        {
            " among the project's tasks (a task of an instance needs --instance-id)".into()
        }
        None => String::new(),
    }
}

/// A failure of show, wait or delete, with its causes.
fn failure(doing: &str, error: &WaitError) -> String {
    match error {
        WaitError::Poll {
            service,
            id,
            source,
        } => format!("cannot {doing} {service} task {id}: {}", describe(source)),
        other => other.to_string(),
    }
}

/// Prints tasks one at a time as they end, in the format asked: the CSV
/// header once, a blank line between two detail views, `--query` over each
/// task's object.
struct Printer {
    format: Format,
    style: Style,
    shape: Shape,
    query: Option<String>,
    printed: usize,
}

impl Printer {
    fn new(global: &Global) -> Result<Self, Stop> {
        let terminal = std::io::stdout().is_terminal();
        Ok(Self {
            format: global.format(terminal)?,
            style: global.style(),
            shape: global.shape(),
            query: global.view.query.clone(),
            printed: 0,
        })
    }

    /// Prints `task`; `Ok(false)` when the reader has gone.
    fn print(&mut self, task: &Task) -> Result<bool, Stop> {
        let first = self.printed == 0;
        self.printed += 1;
        if let Some(expression) = &self.query {
            let document = output::object(task, &self.shape.columns);
            return match query::apply(expression, &document) {
                Ok(found) => emit(|out| query::print(out, &found, self.format == Format::Json)),
                Err(e) => {
                    crate::note!("error: --query on {} task {}: {e}", task.service, task.id);
                    Ok(true)
                }
            };
        }
        let shape = Shape {
            header: self.shape.header && first,
            ..self.shape.clone()
        };
        let detail = matches!(self.format, Format::Table | Format::Wide);
        emit(|out| {
            if detail && !first {
                writeln!(out)?;
            }
            output::print_one(out, task, self.format, &self.style, &shape)
        })
    }
}

/// How the tasks ended, for the exit code: 0 when each succeeded (`show`:
/// was found); 1 when one failed, was cancelled, was not found or could not
/// be looked at; else 3 when one reached the deadline.
#[derive(Default)]
struct Tally {
    failed: bool,
    late: bool,
}

impl Tally {
    fn code(&self) -> u8 {
        if self.failed {
            exit::FAILED
        } else if self.late {
            exit::DEADLINE
        } else {
            exit::OK
        }
    }
}

pub async fn show(global: &Global, args: TaskArgs) -> Result<u8, Stop> {
    let mut printer = Printer::new(global)?;
    let (config, tasks) = references(global, &args).await?;
    let service = args.service;
    let mut looks = futures::stream::iter(tasks.into_iter().map(|task| {
        let config = &config;
        async move {
            let found = tasks::show(config, service, &task).await;
            (task, found)
        }
    }))
    .buffer_unordered(global.concurrency());
    let mut tally = Tally::default();
    while let Some((task, found)) = looks.next().await {
        match found {
            Ok(Some(found)) => {
                if !printer.print(&found)? {
                    return Ok(tally.code());
                }
            }
            Ok(None) => {
                tally.failed = true;
                crate::note!(
                    "error: {} task {} not found{}",
                    service.module,
                    task.id,
                    looked_in(service, &task)
                );
            }
            Err(WaitError::Unsupported(why)) => return Err(Stop::Usage(why)),
            Err(e) => {
                tally.failed = true;
                crate::note!("error: {}", failure("show", &e));
            }
        }
    }
    Ok(tally.code())
}

/// The default deadline of a wait.
const WAIT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// Waits for one task, with a line on stderr whenever its status, its
/// progress or its sub-jobs change; `options.timeout` is what is left of the command's.
async fn wait_one(
    config: &Config,
    service: &'static Service,
    task: Task,
    interval: Duration,
    deadline: Instant,
    started: Instant,
) -> (Task, Result<Task, WaitError>) {
    let options = WaitOptions {
        initial_interval: interval,
        max_interval: Duration::from_secs(30),
        timeout: deadline.saturating_duration_since(Instant::now()),
    };
    type State = (TaskStatus, Option<String>, Option<String>, Option<String>);
    let mut last: Option<State> = None;
    let result = tasks::wait_for(config, service, &task, &options, |seen| {
        let progress = seen.progress.clone().filter(|p| !p.is_empty());
        let state = (
            seen.status,
            seen.raw_status.clone(),
            progress,
            sub_jobs(seen),
        );
        if last.as_ref() != Some(&state) {
            let told: Vec<&str> = [&state.2, &state.3]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            let progress = if told.is_empty() {
                String::new()
            } else {
                format!(" ({})", told.join("; "))
            };
            crate::note!(
                "{} {} {}: {}{progress}, after {}",
                chrono::Local::now().format("%H:%M:%S"),
                service.module,
                seen.id,
                // The service's own word where the view has none.
                if seen.status == TaskStatus::Unknown {
                    seen.standing()
                } else {
                    seen.status.to_string()
                },
                human(started.elapsed())
            );
            last = Some(state);
        }
    })
    .await;
    (task, result)
}

/// How a job's sub-jobs stand (`sub-jobs 1/3 succeeded, 1 failed`), so a
/// wait shows each one ending while the job itself is still running.
fn sub_jobs(task: &Task) -> Option<String> {
    if task.children.is_empty() {
        return None;
    }
    let count = |status| task.children.iter().filter(|c| c.status == status).count();
    let mut text = format!(
        "sub-jobs {}/{} succeeded",
        count(TaskStatus::Succeeded),
        task.children.len()
    );
    let failed = count(TaskStatus::Failed);
    if failed > 0 {
        text.push_str(&format!(", {failed} failed"));
    }
    Some(text)
}

pub async fn wait(global: &Global, args: WaitArgs) -> Result<u8, Stop> {
    let mut printer = Printer::new(global)?;
    // Each look keeps the library's own per-call deadline; --timeout bounds
    // the whole command, every task's wait included.
    let per_call = Global {
        timeout: None,
        ..global.clone()
    };
    let (config, tasks) = references(&per_call, &args.task).await?;
    let service = args.task.service;
    let timeout = global.timeout.unwrap_or(WAIT_TIMEOUT);
    let started = Instant::now();
    let deadline = started + timeout;
    let mut waits = futures::stream::iter(
        tasks
            .into_iter()
            .map(|task| wait_one(&config, service, task, args.interval, deadline, started)),
    )
    .buffer_unordered(global.concurrency());
    let mut tally = Tally::default();
    while let Some((task, result)) = waits.next().await {
        match result {
            Ok(done) => {
                tally.failed |= done.status != TaskStatus::Succeeded;
                if !printer.print(&done)? {
                    return Ok(tally.code());
                }
            }
            Err(WaitError::Deadline { last, waited, .. }) => {
                tally.late = true;
                let status = last.map_or("unseen".to_string(), |t| t.standing());
                crate::note!(
                    "error: {} task {} still {status} after {} (--timeout {})",
                    service.module,
                    task.id,
                    human(waited),
                    humantime::format_duration(timeout)
                );
            }
            Err(WaitError::NotFound { .. }) => {
                tally.failed = true;
                crate::note!(
                    "error: {} task {} not found{} (looked twice)",
                    service.module,
                    task.id,
                    looked_in(service, &task)
                );
            }
            Err(WaitError::Unsupported(why)) => return Err(Stop::Usage(why)),
            Err(e) => {
                tally.failed = true;
                crate::note!("error: {}", failure("wait for", &e));
            }
        }
    }
    Ok(tally.code())
}

pub async fn delete(global: &Global, args: DeleteArgs) -> Result<u8, Stop> {
    let service = args.service;
    check::one_place(global, service)?;
    check::options(global, &[service])?;
    let kind = check::kind(args.scheduled);
    check::task(service, kind, args.instance.as_deref(), &args.task_ids)?;
    if service.view(kind).is_none_or(|v| v.delete.is_none()) {
        return Err(Stop::Usage(format!(
            "service `{}` cannot delete a task (its spec names no delete operation)",
            service.module
        )));
    }
    let ids = once(&args.task_ids);
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(Stop::Usage(
                "delete asks before deleting, and standard input is not a terminal: \
                 pass --yes to delete without asking"
                    .into(),
            ));
        }
        {
            let mut err = std::io::stderr();
            let _ = write!(
                err,
                "Delete {} task(s) of {} ({})? [y/N] ",
                ids.len(),
                service.module,
                ids.join(", ")
            );
            let _ = err.flush();
        }
        let mut answer = String::new();
        let yes = std::io::stdin().read_line(&mut answer).is_ok()
            && matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes");
        if !yes {
            crate::note!("nothing deleted");
            return Ok(exit::FAILED);
        }
    }
    let config = global.config().await?;
    let project = global.projects(&config)?.remove(0);
    let what = match kind {
        TaskKind::Background => "task",
        TaskKind::Scheduled => "scheduled task",
    };
    // What the service's operation does, by its name (DeleteScheduledTask
    // deletes, CancelScheduleTask cancels).
    let done = match service.view(kind).and_then(|v| v.delete) {
        Some(op) if op.starts_with("cancel") => "cancelled",
        _ => "deleted",
    };
    let mut failed = false;
    for id in &ids {
        let task = Task::reference(
            service,
            global.region(service),
            project.clone(),
            args.instance.clone(),
            id.clone(),
        )
        .of_kind(kind);
        match tasks::delete(&config, service, &task).await {
            Ok(()) => crate::note!("{} {} {what} {id}", done, service.module),
            Err(WaitError::Unsupported(why)) => return Err(Stop::Usage(why)),
            Err(e) => {
                failed = true;
                crate::note!("error: {}", failure("delete", &e));
            }
        }
    }
    Ok(if failed { exit::FAILED } else { exit::OK })
}
