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
use huaweicloud_tasks::tasks::{self, Query, Task, TaskStatus, WINDOW_DAYS};
use serde_json::Value;

use crate::format::{Format, Style};
use crate::output::{self, Layout};
use crate::row;
use crate::time::{Edge, parse_local_time, parse_seconds_or_duration};
use crate::{Global, Stop, check, complete, exit, query, view};

#[derive(Args, Clone)]
pub struct ListArgs {
    /// Services to list (spec modules, such as dcs or rabbitmq); each once.
    #[arg(required = true, value_name = "SERVICE", value_parser = check::service,
          add = complete::services())]
    services: Vec<&'static Service>,
    /// Instances whose tasks to list (repeatable): ID for every service
    /// listed, SERVICE=ID for one (kafka=ID); a service without any lists
    /// its whole project.
    #[arg(long = "instance-id", value_name = "[SERVICE=]ID", value_parser = check::instance)]
    instances: Vec<check::Instance>,
    /// Only tasks created since: a date, a time or a duration back from now
    /// (2026-12-01, 2026-12-01 10:00, 2026-11-30T10:00:00Z, 90m, 1.5h, 7d).
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Only tasks created until: as --since (a date counts its whole day).
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// Only tasks with this status (repeatable): pending, running,
    /// succeeded, failed, cancelled or unknown.
    #[arg(long, value_name = "STATUS", value_parser = check::status, add = complete::statuses())]
    status: Vec<TaskStatus>,
    /// Only tasks whose name contains this text.
    #[arg(long)]
    name: Option<String>,
    /// The services' scheduled tasks (work set to run later, which `delete
    /// --scheduled` cancels) rather than their background tasks.
    #[arg(long)]
    scheduled: bool,
    /// Every task (default: the newest --limit).
    #[arg(long, conflicts_with = "limit")]
    all: bool,
    /// How many tasks to print: the newest, or the first in --sort order.
    #[arg(long, value_name = "N", default_value_t = 50, allow_negative_numbers = true,
          value_parser = clap::value_parser!(i64).range(1..=100_000))]
    limit: i64,
}

/// `list`: what to list, and in which order or as counts.
#[derive(Args)]
pub struct ListCommand {
    #[command(flatten)]
    list: ListArgs,
    #[command(flatten)]
    order: view::Order,
}

pub fn parse_interval(text: &str) -> Result<Duration, String> {
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
    let kind = check::kind(args.scheduled);
    for given in &args.instances {
        let Some(named) = given.service else {
            continue;
        };
        if !services.iter().any(|s| s.module == named.module) {
            return Err(Stop::Usage(format!(
                "--instance-id {m}={id} is for {m}, which is not listed; add {m} to the services",
                m = named.module,
                id = given.id
            )));
        }
        if named.view(kind).is_some_and(|v| v.list_instance.is_none()) {
            return Err(Stop::Usage(format!(
                "--instance-id {m}={id}: {m} lists only whole projects; leave its instance out",
                m = named.module,
                id = given.id
            )));
        }
    }
    let instances = |s: &Service| check::instances_of(s, &args.instances);
    for service in &services {
        if service.view(kind).is_none() {
            return Err(Stop::Usage(check::no_view(service, kind)));
        }
        if service
            .view(kind)
            .is_some_and(|v| v.list_project.is_none() && v.list_instance.is_none())
        {
            return Err(Stop::Usage(format!(
                "{m} has no task list: its jobs are shown and waited for by the id the \
                 asynchronous call returned (`hwc-tasks show {m} JOB_ID`)",
                m = service.module
            )));
        }
    }
    if global.preset.is_none() {
        for service in &services {
            if instances(service).is_empty()
                && service.view(kind).is_some_and(|v| v.list_project.is_none())
            {
                return Err(Stop::Usage(format!(
                    "{m} keeps tasks per instance: pass --instance-id ID or {m}=ID (repeatable)",
                    m = service.module
                )));
            }
        }
    }
    let (since, until) = window(args)?;
    if since.is_none() {
        for service in &services {
            if service.view(kind).is_some_and(|v| v.window.is_some()) {
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
    // The listings, grouped by what they share: services sent to an
    // endpoint of their own are listed once, not once per region; each
    // service is listed for its own instances; in the demo, services that
    // list only per instance list its demo instances. Each group is one
    // query, with a share of --concurrency by how many listings it has.
    let fixed = |s: &&'static Service| global.preset.is_none() && global.endpoint_for(s).is_some();
    let demo: Vec<String> = DEMO_INSTANCES.iter().map(|s| s.to_string()).collect();
    let instances_in_demo = |s: &&'static Service| {
        let own = instances(s);
        let per_instance_only = s
            .view(kind)
            .is_some_and(|v| v.list_project.is_none() && v.list_instance.is_some());
        if global.preset.is_some() && own.is_empty() && per_instance_only {
            demo.clone()
        } else {
            own
        }
    };
    type Group = (bool, Vec<String>, Vec<&'static Service>);
    let mut groups: Vec<Group> = Vec::new();
    for service in services {
        let key = (fixed(&service), instances_in_demo(&service));
        match groups
            .iter_mut()
            .find(|(f, i, _)| (*f, i) == (key.0, &key.1))
        {
            Some((_, _, members)) => members.push(service),
            None => groups.push((key.0, key.1, vec![service])),
        }
    }
    let listings = |g: &Group| g.2.len() * g.1.len().max(1);
    let all: usize = groups.iter().map(listings).sum();
    let queries = groups
        .iter()
        .map(|group| {
            let (fixed, instances, services) = (group.0, &group.1, &group.2);
            let share = (global.concurrency() * listings(group) / all.max(1)).max(1);
            let mut query = Query::new(services, config.clone()).concurrency(share);
            for project in &projects {
                query = query.project(project.clone());
            }
            // Several regions, each listed (in the demo, the mock answers for each).
            if !fixed && global.regions.len() > 1 {
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
            if args.scheduled {
                query = query.scheduled();
            }
            query
        })
        .collect();
    Ok(queries)
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
    view::arrange(&mut found, view::NEWEST_FIRST);
    (found, failures)
}

/// Writes with `write` to stdout: `Ok(false)` when the reader has gone
/// (`| head`), an output error for anything else (a full disk).
pub fn emit(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<bool, Stop> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Stop::Output(e)),
    }
}

pub async fn list(global: &Global, command: ListCommand) -> Result<u8, Stop> {
    let ListCommand { list: args, order } = command;
    if order.summary && !global.view.columns.is_empty() {
        return Err(Stop::Usage(
            "--columns picks fields of tasks; --summary prints counts instead of tasks".into(),
        ));
    }
    let terminal = std::io::stdout().is_terminal();
    let format = global.format(terminal)?;
    let queries = queries(global, &args).await?;
    let (mut found, failures) = collect(queries).await;
    let failed = if failures > 0 { exit::FAILED } else { exit::OK };
    let shape = global.shape();
    if order.summary {
        let summary = view::Summary::of(&found);
        match &global.view.query {
            Some(expression) => print_query(expression, &Value::Array(summary.rows()), format)?,
            None => emit(|out| summary.print(out, format, shape.header))?,
        };
        return Ok(failed);
    }
    if let Some(sort) = order.sort {
        view::arrange(&mut found, sort);
    }
    if !args.all {
        found.truncate(usize::try_from(args.limit).unwrap_or(usize::MAX));
    }
    if let Some(expression) = &global.view.query {
        let rows = found
            .iter()
            .map(|t| view::pick(row::row(t), &shape.columns))
            .collect();
        print_query(expression, &Value::Array(rows), format)?;
    } else if found.is_empty() && terminal && matches!(format, Format::Table | Format::Wide) {
        crate::note!("No tasks found.");
    } else {
        let style = global.style();
        emit(|out| output::print(out, &found, format, &style, &shape))?;
    }
    Ok(failed)
}

/// Prints `--query`'s result over `document`; an expression that fails on
/// it (a function given the wrong type) is a usage error, nothing printed.
fn print_query(expression: &str, document: &Value, format: Format) -> Result<bool, Stop> {
    let found = query::apply(expression, document).map_err(|e| format!("--query: {e}"))?;
    emit(|out| query::print(out, &found, format == Format::Json))
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
    let terminal = std::io::stdout().is_terminal();
    let format = match global.format(terminal)? {
        // A stream: one object per line.
        Format::Json => Format::Ndjson,
        other => other,
    };
    let queries = queries(global, &args.list).await?;
    let style = global.style();
    let shape = global.shape();
    let stop = args.for_.map(|d| tokio::time::Instant::now() + d);
    let mut known: HashMap<Key, (TaskStatus, Option<String>, Option<String>)> = HashMap::new();
    let mut layout: Option<Layout> = None;
    let mut csv_header = shape.header;
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
            let open = match (format, &global.view.query) {
                // Each batch of changes is the document; nothing matched,
                // nothing printed.
                (_, Some(expression)) => {
                    let rows = changed
                        .iter()
                        .map(|t| view::pick(row::row(t), &shape.columns))
                        .collect();
                    match query::apply(expression, &Value::Array(rows)) {
                        Ok(Value::Null) => true,
                        Ok(Value::Array(a)) if a.is_empty() => true,
                        Ok(found) => emit(|out| query::print(out, &found, false))?,
                        Err(e) => return Err(Stop::Usage(format!("--query: {e}"))),
                    }
                }
                (Format::Table | Format::Wide, None) => {
                    let header = layout.is_none() && shape.header;
                    let layout = layout.get_or_insert_with(|| {
                        Layout::new(
                            &changed,
                            format == Format::Wide,
                            true,
                            &style,
                            &shape.columns,
                        )
                    });
                    let style = Style {
                        now: Utc::now(),
                        ..style
                    };
                    emit(|out| writeln!(out, "{}", layout.render(&changed, &seen, header, &style)))?
                }
                (Format::Csv, None) => {
                    let shape = output::Shape {
                        header: std::mem::take(&mut csv_header),
                        ..shape.clone()
                    };
                    emit(|out| output::print(out, &changed, Format::Csv, &style, &shape))?
                }
                (other, None) => emit(|out| output::print(out, &changed, other, &style, &shape))?,
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
