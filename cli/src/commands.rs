//! The subcommands. Each returns the process exit code, or why it stopped
//! before sending anything ([`Stop::Usage`], exit 2) or could not write its
//! output ([`Stop::Output`], exit 4).

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::Args;
use futures::StreamExt;
use huaweicloud_tasks::runtime::Service;
use huaweicloud_tasks::tasks::{
    self, Query, Task, TaskStatus, WINDOW_DAYS, WaitError, WaitOptions,
};

use crate::output::{self, Format, Layout, Style};
use crate::time::{Edge, human, parse_local_time, parse_seconds_or_duration};
use crate::{Global, Stop, check, complete, exit};

#[derive(Args, Clone)]
pub struct ListArgs {
    /// Services to list (spec modules, such as dcs or rabbitmq); each once.
    #[arg(required = true, value_name = "SERVICE", value_parser = check::service,
          add = complete::services())]
    services: Vec<&'static Service>,
    /// Instances whose tasks to list (repeatable); without, each service's
    /// project-wide list.
    #[arg(long = "instance-id", value_name = "ID")]
    instances: Vec<String>,
    /// Only tasks created since: a date, a time or a duration back from now
    /// (2026-12-01, 2026-12-01 10:00, 2026-11-30T10:00:00Z, 90m, 1.5h, 7d).
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Only tasks created until: as --since (a date counts its whole day).
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// Only tasks with this status (repeatable): pending, running,
    /// succeeded, failed, cancelled or unknown.
    #[arg(long, value_name = "STATUS", value_parser = parse_status, add = complete::statuses())]
    status: Vec<TaskStatus>,
    /// Only tasks whose name contains this text.
    #[arg(long)]
    name: Option<String>,
    /// Every task (default: the newest --limit).
    #[arg(long, conflicts_with = "limit")]
    all: bool,
    /// How many of the newest tasks to print.
    #[arg(long, value_name = "N", default_value_t = 50, allow_negative_numbers = true,
          value_parser = clap::value_parser!(i64).range(1..=100_000))]
    limit: i64,
    /// Listings running at once.
    #[arg(long, value_name = "N", default_value_t = 8, allow_negative_numbers = true,
          value_parser = clap::value_parser!(i64).range(1..=64))]
    concurrency: i64,
}

fn parse_status(text: &str) -> Result<TaskStatus, String> {
    text.parse()
}

#[derive(Args)]
pub struct TaskArgs {
    /// The service (spec module).
    #[arg(value_parser = check::service, add = complete::services())]
    service: &'static Service,
    /// The task's id, as `list` printed it.
    task_id: String,
    /// The instance the task belongs to, as `list` printed it (needed where
    /// the service keeps tasks per instance).
    #[arg(long = "instance-id", value_name = "ID")]
    instance: Option<String>,
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

fn parse_interval(text: &str) -> Result<Duration, String> {
    let d = parse_seconds_or_duration(text)?;
    if d < Duration::from_millis(10) || d > Duration::from_secs(3600) {
        return Err("must be from 10ms to 1h".into());
    }
    Ok(d)
}

#[derive(Args)]
pub struct WatchArgs {
    #[command(flatten)]
    list: ListArgs,
    /// Stop after this long (default: until interrupted): a duration or
    /// plain seconds.
    #[arg(long = "for", visible_alias = "for-secs", value_name = "DURATION",
          value_parser = parse_interval_long)]
    for_: Option<Duration>,
    /// Time between two looks: a duration or plain seconds.
    #[arg(long, visible_alias = "interval-secs", value_name = "DURATION", default_value = "10s",
          value_parser = parse_interval)]
    interval: Duration,
}

fn parse_interval_long(text: &str) -> Result<Duration, String> {
    let d = parse_seconds_or_duration(text)?;
    if d < Duration::from_secs(1) {
        return Err("must be at least 1s".into());
    }
    Ok(d)
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
    /// Delete without asking (needed when standard input is not a terminal).
    #[arg(long, short)]
    yes: bool,
}

/// The instances the demo lists for services that have no project-wide
/// list, when none are given.
const DEMO_INSTANCES: [&str; 2] = ["demo-instance-1", "demo-instance-2"];

/// Since and until, where given.
type Window = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The time window of a listing, refused when it is inverted.
fn window(args: &ListArgs) -> Result<Window, String> {
    let now = Utc::now();
    let since = match &args.since {
        Some(t) => {
            Some(parse_local_time(t, now, Edge::Start).map_err(|e| format!("--since: {e}"))?)
        }
        None => None,
    };
    let until = match &args.until {
        Some(t) => Some(parse_local_time(t, now, Edge::End).map_err(|e| format!("--until: {e}"))?),
        None => None,
    };
    // Before the epoch no service has tasks, and a window reaching back
    // further would be walked for nothing.
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    for (flag, time) in [("--since", since), ("--until", until)] {
        if time.is_some_and(|t| t < epoch) {
            return Err(format!("{flag}: before 1970-01-01"));
        }
    }
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        let show = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        return Err(format!(
            "--since ({}) is after --until ({}): no task can be in that window",
            show(s),
            show(u)
        ));
    }
    Ok((since, until))
}

/// Checks a listing's arguments, then builds its queries: one, or in the
/// demo without instance ids, one more for the services that list only per
/// instance (on demo instances).
async fn queries(global: &Global, args: &ListArgs) -> Result<Vec<Query>, Stop> {
    let services = check::once(&args.services);
    check::options(global, &services)?;
    if args.instances.iter().any(|i| i.trim().is_empty()) {
        return Err(Stop::Usage(
            "--instance-id is empty; give an instance ID".into(),
        ));
    }
    for service in &services {
        if service
            .task_view
            .as_ref()
            .is_some_and(|v| v.list_project.is_none() && v.list_instance.is_none())
        {
            return Err(Stop::Usage(format!(
                "{m} has no task list: its jobs are shown and waited for by the id the \
                 asynchronous call returned (`hwc-tasks show {m} JOB_ID`)",
                m = service.module
            )));
        }
    }
    if args.instances.is_empty() && global.preset.is_none() {
        for service in &services {
            if service
                .task_view
                .as_ref()
                .is_some_and(|v| v.list_project.is_none())
            {
                return Err(Stop::Usage(format!(
                    "{} keeps tasks per instance: pass --instance-id ID (repeatable)",
                    service.module
                )));
            }
        }
    }
    let (since, until) = window(args)?;
    if since.is_none() {
        for service in &services {
            if service
                .task_view
                .as_ref()
                .is_some_and(|v| v.window.is_some())
            {
                crate::note!(
                    "note: {} lists only tasks of the last {WINDOW_DAYS} days unless --since \
                     goes further back (its list takes a time window)",
                    service.module
                );
            }
        }
    }
    let config = global.config().await?;
    let projects = global.projects(&config)?;
    let build = |services: &[&'static Service], instances: &[String]| {
        let mut query = Query::new(services, config.clone())
            .concurrency(usize::try_from(args.concurrency).unwrap_or(8));
        for project in &projects {
            query = query.project(project.clone());
        }
        // Several regions, each listed (in the demo, the mock answers for each).
        if global.endpoint.is_none() && global.regions.len() > 1 {
            for region in &global.regions {
                query = query.region(region.clone());
            }
        }
        for instance in instances {
            query = query.instance(instance.clone());
        }
        if let Some(since) = since {
            query = query.since(since);
        }
        if let Some(until) = until {
            query = query.until(until);
        }
        for status in &args.status {
            query = query.status(*status);
        }
        if let Some(name) = &args.name {
            query = query.name(name.clone());
        }
        query
    };
    if global.preset.is_none() || !args.instances.is_empty() {
        return Ok(vec![build(&services, &args.instances)]);
    }
    let per_instance_only = |s: &&'static Service| {
        s.task_view
            .as_ref()
            .is_some_and(|v| v.list_project.is_none() && v.list_instance.is_some())
    };
    let (instance_only, project): (Vec<_>, Vec<_>) =
        services.into_iter().partition(per_instance_only);
    let mut out = Vec::new();
    if !project.is_empty() {
        out.push(build(&project, &[]));
    }
    if !instance_only.is_empty() {
        let demo: Vec<String> = DEMO_INSTANCES.iter().map(|s| s.to_string()).collect();
        out.push(build(&instance_only, &demo));
    }
    Ok(out)
}

/// An error with its causes, each once: a transport error says whether the
/// connection was refused, the name did not resolve or TLS failed.
pub fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

/// Runs a listing: the tasks found (newest first) and how many failures
/// were reported on stderr.
async fn collect(queries: Vec<Query>) -> (Vec<Task>, usize) {
    let mut found = Vec::new();
    let mut failures = 0;
    // A spinner with the count so far, only where a person watches stderr.
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    let mut stream = futures::stream::select_all(queries.into_iter().map(tasks::list));
    while let Some(next) = stream.next().await {
        match next {
            Ok(task) => found.push(task),
            Err(e) => {
                failures += 1;
                let line = format!("error: {}", describe(&e));
                match &progress {
                    Some(bar) => bar.println(line),
                    None => crate::note!("{line}"),
                }
            }
        }
        if let Some(bar) = &progress {
            bar.set_message(format!("{} task(s), {failures} failure(s)", found.len()));
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    found.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
    (found, failures)
}

/// Writes with `write` to stdout: `Ok(false)` when the reader has gone
/// (`| head`), an output error for anything else (a full disk).
fn emit(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<bool, Stop> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Stop::Output(e)),
    }
}

pub async fn list(global: &Global, args: ListArgs) -> Result<u8, Stop> {
    let queries = queries(global, &args).await?;
    let (mut found, failures) = collect(queries).await;
    if !args.all {
        found.truncate(usize::try_from(args.limit).unwrap_or(usize::MAX));
    }
    let terminal = std::io::stdout().is_terminal();
    let format = global.format(terminal);
    if found.is_empty() && terminal && matches!(format, Format::Table | Format::Wide) {
        crate::note!("No tasks found.");
    } else {
        let style = global.style();
        emit(|out| output::print(out, &found, format, &style))?;
    }
    Ok(if failures > 0 { exit::FAILED } else { exit::OK })
}

/// The configuration and the task `args` name, after checking them.
async fn reference(
    global: &Global,
    args: &TaskArgs,
) -> Result<(huaweicloud_tasks::Config, Task), Stop> {
    check::one_place(global)?;
    check::options(global, &[args.service])?;
    check::task(
        args.service,
        args.instance.as_deref(),
        std::slice::from_ref(&args.task_id),
    )?;
    let config = global.config().await?;
    let project = global.projects(&config)?.remove(0);
    let task = Task::reference(
        args.service,
        global.region(),
        project,
        args.instance.clone(),
        args.task_id.clone(),
    );
    Ok((config, task))
}

/// Where a task was looked for, for "not found".
fn looked_in(service: &'static Service, task: &Task) -> String {
    match &task.instance_id {
        Some(instance) => format!(" in instance {instance}"),
        None if service
            .task_view
            .as_ref()
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

/// One task in detail, in the format asked.
fn emit_one(global: &Global, task: &Task) -> Result<bool, Stop> {
    let format = global.format(std::io::stdout().is_terminal());
    let style = global.style();
    emit(|out| output::print_one(out, task, format, &style))
}

pub async fn show(global: &Global, args: TaskArgs) -> Result<u8, Stop> {
    let (config, task) = reference(global, &args).await?;
    let service = args.service;
    match tasks::show(&config, service, &task).await {
        Ok(Some(found)) => {
            emit_one(global, &found)?;
            Ok(exit::OK)
        }
        Ok(None) => {
            crate::note!(
                "error: {} task {} not found{}",
                service.module,
                task.id,
                looked_in(service, &task)
            );
            Ok(exit::FAILED)
        }
        Err(WaitError::Unsupported(why)) => Err(Stop::Usage(why)),
        Err(e) => {
            crate::note!("error: {}", failure("show", &e));
            Ok(exit::FAILED)
        }
    }
}

/// The default deadline of a wait.
const WAIT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

pub async fn wait(global: &Global, args: WaitArgs) -> Result<u8, Stop> {
    // Each look keeps the library's own per-call deadline; --timeout bounds
    // the whole wait.
    let per_call = Global {
        timeout: None,
        ..global.clone()
    };
    let (config, task) = reference(&per_call, &args.task).await?;
    let service = args.task.service;
    let timeout = global.timeout.unwrap_or(WAIT_TIMEOUT);
    let options = WaitOptions {
        initial_interval: args.interval,
        max_interval: Duration::from_secs(30),
        timeout,
    };
    let started = std::time::Instant::now();
    let mut last: Option<(TaskStatus, Option<String>, Option<String>)> = None;
    let result = tasks::wait_for(&config, service, &task, &options, |seen| {
        // A line when something changed, with the time and how long so far.
        let state = (seen.status, seen.raw_status.clone(), seen.progress.clone());
        if last.as_ref() != Some(&state) {
            let progress = seen
                .progress
                .as_deref()
                .filter(|p| !p.is_empty())
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            crate::note!(
                "{} {} {}: {}{progress}, after {}",
                chrono::Local::now().format("%H:%M:%S"),
                service.module,
                seen.id,
                seen.status,
                human(started.elapsed())
            );
            last = Some(state);
        }
    })
    .await;
    match result {
        Ok(done) => {
            emit_one(global, &done)?;
            Ok(if done.status == TaskStatus::Succeeded {
                exit::OK
            } else {
                exit::FAILED
            })
        }
        Err(WaitError::Deadline { last, waited, .. }) => {
            let status = last.map_or("unseen".to_string(), |t| t.status.to_string());
            crate::note!(
                "error: {} task {} still {status} after {} (--timeout {})",
                service.module,
                task.id,
                human(waited),
                humantime::format_duration(timeout)
            );
            Ok(exit::DEADLINE)
        }
        Err(WaitError::NotFound { .. }) => {
            crate::note!(
                "error: {} task {} not found{} (looked twice)",
                service.module,
                task.id,
                looked_in(service, &task)
            );
            Ok(exit::FAILED)
        }
        Err(WaitError::Unsupported(why)) => Err(Stop::Usage(why)),
        Err(e) => {
            crate::note!("error: {}", failure("wait for", &e));
            Ok(exit::FAILED)
        }
    }
}

/// What identifies a task: service, region, project, instance and id.
type Key = (&'static str, Option<String>, String, Option<String>, String);

fn key(task: &Task) -> Key {
    (
        task.service,
        task.region.clone(),
        task.project_id.clone(),
        task.instance_id.clone(),
        task.id.clone(),
    )
}

pub async fn watch(global: &Global, args: WatchArgs) -> Result<u8, Stop> {
    let queries = queries(global, &args.list).await?;
    let terminal = std::io::stdout().is_terminal();
    let format = match global.format(terminal) {
        // A stream: one object per line.
        Format::Json => Format::Ndjson,
        other => other,
    };
    let style = global.style();
    let stop = args.for_.map(|d| tokio::time::Instant::now() + d);
    let mut known: HashMap<Key, (TaskStatus, Option<String>, Option<String>)> = HashMap::new();
    let mut layout: Option<Layout> = None;
    let mut csv_header = true;
    let mut failed = false;
    loop {
        let (mut found, failures) = collect(queries.clone()).await;
        failed |= failures > 0;
        if !args.list.all {
            found.truncate(usize::try_from(args.list.limit).unwrap_or(usize::MAX));
        }
        let mut changed: Vec<Task> = found
            .into_iter()
            .filter(|t| {
                let state = (t.status, t.raw_status.clone(), t.progress.clone());
                known.insert(key(t), state.clone()) != Some(state)
            })
            .collect();
        // Oldest first, as they happened.
        changed.reverse();
        if !changed.is_empty() {
            let seen = vec![Utc::now(); changed.len()];
            let open = match format {
                Format::Table | Format::Wide => {
                    let header = layout.is_none();
                    let layout = layout.get_or_insert_with(|| {
                        Layout::new(&changed, format == Format::Wide, true, &style)
                    });
                    let style = Style {
                        now: Utc::now(),
                        ..style
                    };
                    emit(|out| writeln!(out, "{}", layout.render(&changed, &seen, header, &style)))?
                }
                Format::Csv => {
                    let header = std::mem::take(&mut csv_header);
                    emit(|out| {
                        let mut text = Vec::new();
                        output::print(&mut text, &changed, Format::Csv, &style)?;
                        let text = String::from_utf8_lossy(&text);
                        let body = if header {
                            &text[..]
                        } else {
                            text.split_once('\n').map_or("", |(_, rest)| rest)
                        };
                        out.write_all(body.as_bytes())
                    })?
                }
                other => emit(|out| output::print(out, &changed, other, &style))?,
            };
            if !open {
                return Ok(u8::from(failed));
            }
        }
        let next = tokio::time::Instant::now() + args.interval;
        let until = stop.map_or(next, |s| s.min(next));
        tokio::select! {
            _ = tokio::time::sleep_until(until) => {}
            _ = tokio::signal::ctrl_c() => return Ok(u8::from(failed)),
        }
        if stop.is_some_and(|s| tokio::time::Instant::now() >= s) {
            return Ok(u8::from(failed));
        }
    }
}

pub async fn delete(global: &Global, args: DeleteArgs) -> Result<u8, Stop> {
    let service = args.service;
    check::one_place(global)?;
    check::options(global, &[service])?;
    check::task(service, args.instance.as_deref(), &args.task_ids)?;
    if service
        .task_view
        .as_ref()
        .is_none_or(|v| v.delete.is_none())
    {
        return Err(Stop::Usage(format!(
            "service `{}` cannot delete a task (its spec names no delete operation)",
            service.module
        )));
    }
    let mut ids: Vec<String> = Vec::new();
    for id in &args.task_ids {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
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
    let mut failed = false;
    for id in &ids {
        let task = Task::reference(
            service,
            global.region(),
            project.clone(),
            args.instance.clone(),
            id.clone(),
        );
        match tasks::delete(&config, service, &task).await {
            Ok(()) => crate::note!("deleted {} task {id}", service.module),
            Err(WaitError::Unsupported(why)) => return Err(Stop::Usage(why)),
            Err(e) => {
                failed = true;
                crate::note!("error: {}", failure("delete", &e));
            }
        }
    }
    Ok(if failed { exit::FAILED } else { exit::OK })
}
