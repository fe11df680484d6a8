//! The subcommands. Each returns the process exit code, or an error message
//! for arguments or configuration refused before anything is sent (exit 2).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use clap::Args;
use futures::StreamExt;
use huaweicloud_tasks::runtime::Service;
use huaweicloud_tasks::tasks::{self, Query, Task, TaskStatus, WaitError, WaitOptions};

use crate::output::{self, Format};
use crate::{Global, service};

#[derive(Args)]
pub struct ListArgs {
    /// Services to list (spec modules, such as dcs or rabbitmq).
    #[arg(required = true, value_name = "SERVICE")]
    services: Vec<String>,
    /// Instances whose tasks to list (repeatable); without, each service's
    /// project-wide list.
    #[arg(long = "instance-id", value_name = "ID")]
    instances: Vec<String>,
    /// Only tasks created since: RFC 3339, or a duration back from now (90m, 24h, 7d).
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Only tasks created until: RFC 3339, or a duration back from now.
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// Only tasks with this status (repeatable).
    #[arg(long, value_parser = parse_status)]
    status: Vec<TaskStatus>,
    /// Only tasks whose name contains this text.
    #[arg(long)]
    name: Option<String>,
    /// Every task (default: the newest --limit).
    #[arg(long, conflicts_with = "limit")]
    all: bool,
    /// How many of the newest tasks to print.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    limit: u64,
    /// Listings running at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=64))]
    concurrency: u64,
}

fn parse_status(text: &str) -> Result<TaskStatus, String> {
    text.parse()
}

#[derive(Args)]
pub struct TaskArgs {
    /// The service (spec module).
    service: String,
    /// The task's id.
    task_id: String,
    /// The instance the task belongs to (for per-instance services).
    #[arg(long = "instance-id", value_name = "ID")]
    instance: Option<String>,
}

#[derive(Args)]
pub struct WaitArgs {
    #[command(flatten)]
    task: TaskArgs,
    /// First wait between two polls, in milliseconds (grows by half, up to 30 s).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(10..=60_000))]
    interval_ms: u64,
}

#[derive(Args)]
pub struct WatchArgs {
    #[command(flatten)]
    list: ListArgs,
    /// Stop after this many seconds (default: until interrupted).
    #[arg(long)]
    for_secs: Option<u64>,
    /// Seconds between two looks.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    interval_secs: u64,
}

#[derive(Args)]
pub struct DeleteArgs {
    /// The service (spec module).
    service: String,
    /// The tasks to delete.
    #[arg(required = true)]
    task_ids: Vec<String>,
    /// The instance the tasks belong to.
    #[arg(long = "instance-id", value_name = "ID")]
    instance: Option<String>,
    /// Do not ask.
    #[arg(long)]
    yes: bool,
}

/// The instances the demo lists for services that have no project-wide
/// list, when none are given.
const DEMO_INSTANCES: [&str; 2] = ["demo-instance-1", "demo-instance-2"];

/// The listings to run: one query, or in the demo without instance ids, one
/// more for the services that list only per instance (on demo instances).
async fn queries(global: &Global, args: &ListArgs) -> Result<Vec<Query>, String> {
    let services = args
        .services
        .iter()
        .map(|s| service(s))
        .collect::<Result<Vec<_>, _>>()?;
    let per_instance_only = |s: &&'static Service| {
        s.task_view
            .as_ref()
            .is_some_and(|v| v.list_project.is_none() && v.list_instance.is_some())
    };
    if global.preset.is_none() || !args.instances.is_empty() {
        return Ok(vec![query(global, args, &services).await?]);
    }
    let (instance_only, project): (Vec<_>, Vec<_>) =
        services.into_iter().partition(per_instance_only);
    let mut out = Vec::new();
    if !project.is_empty() {
        out.push(query(global, args, &project).await?);
    }
    if !instance_only.is_empty() {
        let mut q = query(global, args, &instance_only).await?;
        for instance in DEMO_INSTANCES {
            q = q.instance(instance);
        }
        out.push(q);
    }
    Ok(out)
}

async fn query(
    global: &Global,
    args: &ListArgs,
    services: &[&'static Service],
) -> Result<Query, String> {
    // Arguments first: a bad one is refused before credentials are looked up.
    let now = chrono::Utc::now();
    let since = match &args.since {
        Some(t) => Some(crate::time::parse_time(t, now).map_err(|e| format!("--since: {e}"))?),
        None => None,
    };
    let until = match &args.until {
        Some(t) => Some(crate::time::parse_time(t, now).map_err(|e| format!("--until: {e}"))?),
        None => None,
    };
    let config = global.config().await?;
    let project = global.project(&config)?;
    let mut query = Query::new(services, config)
        .project(project)
        .concurrency(usize::try_from(args.concurrency).unwrap_or(8));
    if global.endpoint.is_none() && global.region.len() > 1 {
        for region in &global.region {
            query = query.region(region.clone());
        }
    }
    for instance in &args.instances {
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
    Ok(query)
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
                let line = format!("error: {e}");
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

fn print(global: &Global, tasks: &[Task]) -> Result<(), String> {
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = stdout.lock();
    let format = global.format(terminal);
    match output::print(&mut out, tasks, format, terminal, chrono::Utc::now()) {
        // The reader went away (`| head`): nothing more to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| format!("cannot write the output: {e}")),
    }
}

pub async fn list(global: &Global, args: ListArgs) -> Result<u8, String> {
    let queries = queries(global, &args).await?;
    let (mut found, failures) = collect(queries).await;
    if !args.all {
        found.truncate(usize::try_from(args.limit).unwrap_or(usize::MAX));
    }
    print(global, &found)?;
    Ok(u8::from(failures > 0))
}

async fn reference(
    global: &Global,
    args: &TaskArgs,
) -> Result<(huaweicloud_tasks::Config, &'static Service, Task), String> {
    let service = service(&args.service)?;
    let config = global.config().await?;
    let project = global.project(&config)?;
    let region = global
        .region
        .first()
        .cloned()
        .filter(|_| global.endpoint.is_none());
    let task = Task::reference(
        service,
        region,
        project,
        args.instance.clone(),
        args.task_id.clone(),
    );
    Ok((config, service, task))
}

pub async fn show(global: &Global, args: TaskArgs) -> Result<u8, String> {
    let (config, service, task) = reference(global, &args).await?;
    match tasks::show(&config, service, &task).await {
        Ok(Some(found)) => {
            print(global, &[found])?;
            Ok(0)
        }
        Ok(None) => {
            crate::note!("error: {} task {} not found", service.module, task.id);
            Ok(1)
        }
        Err(WaitError::Unsupported(why)) => Err(why),
        Err(e) => {
            crate::note!("error: {e}");
            Ok(1)
        }
    }
}

pub async fn wait(global: &Global, args: WaitArgs) -> Result<u8, String> {
    // Each poll keeps the library's own per-call deadline.
    let per_call = Global {
        timeout_secs: None,
        ..global.clone()
    };
    let (config, service, task) = reference(&per_call, &args.task).await?;
    let options = WaitOptions {
        initial_interval: Duration::from_millis(args.interval_ms),
        max_interval: Duration::from_secs(30),
        // --timeout-secs bounds the whole wait here (default 30 minutes).
        timeout: Duration::from_secs(global.timeout_secs.unwrap_or(1800)),
    };
    let result = tasks::wait_for(&config, service, &task, &options, |seen| {
        let progress = seen
            .progress
            .as_deref()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        crate::note!("{} {}: {}{progress}", service.module, seen.id, seen.status);
    })
    .await;
    match result {
        Ok(done) => {
            print(global, std::slice::from_ref(&done))?;
            Ok(if done.status == TaskStatus::Succeeded {
                0
            } else {
                1
            })
        }
        Err(e @ WaitError::Deadline { .. }) => {
            crate::note!("error: {e}");
            Ok(3)
        }
        Err(WaitError::Unsupported(why)) => Err(why),
        Err(e) => {
            crate::note!("error: {e}");
            Ok(1)
        }
    }
}

pub async fn watch(global: &Global, args: WatchArgs) -> Result<u8, String> {
    let queries = queries(global, &args.list).await?;
    let format = match global.format(std::io::stdout().is_terminal()) {
        Format::Table | Format::Ndjson => Format::Ndjson,
        other => other,
    };
    let global = Global {
        output: Some(format),
        ..global.clone()
    };
    let stop = args
        .for_secs
        .map(|s| tokio::time::Instant::now() + Duration::from_secs(s));
    let mut known: BTreeMap<(String, String), TaskStatus> = BTreeMap::new();
    let mut failed = false;
    loop {
        let (found, failures) = collect(queries.clone()).await;
        failed |= failures > 0;
        let mut changed: Vec<Task> = found
            .into_iter()
            .filter(|t| {
                let key = (t.service.to_string(), t.id.clone());
                known.insert(key, t.status) != Some(t.status)
            })
            .collect();
        changed.reverse();
        if !changed.is_empty() {
            print(&global, &changed)?;
        }
        let next = tokio::time::Instant::now() + Duration::from_secs(args.interval_secs);
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

pub async fn delete(global: &Global, args: DeleteArgs) -> Result<u8, String> {
    let service = service(&args.service)?;
    let config = global.config().await?;
    let project = global.project(&config)?;
    if !args.yes && std::io::stdin().is_terminal() {
        {
            use std::io::Write as _;
            let mut err = std::io::stderr();
            let _ = write!(
                err,
                "Delete {} task(s) of {} ({})? [y/N] ",
                args.task_ids.len(),
                service.module,
                args.task_ids.join(", ")
            );
            let _ = err.flush();
        }
        let mut answer = String::new();
        if std::io::stdin().read_line(&mut answer).is_err()
            || !answer.trim().eq_ignore_ascii_case("y")
        {
            crate::note!("nothing deleted");
            return Ok(1);
        }
    }
    let region = global
        .region
        .first()
        .cloned()
        .filter(|_| global.endpoint.is_none());
    let mut failed = false;
    for id in &args.task_ids {
        let task = Task::reference(
            service,
            region.clone(),
            project.clone(),
            args.instance.clone(),
            id.clone(),
        );
        match tasks::delete(&config, service, &task).await {
            Ok(()) => crate::note!("deleted {} task {id}", service.module),
            Err(WaitError::Unsupported(why)) => return Err(why),
            Err(e) => {
                failed = true;
                crate::note!("error: {e}");
            }
        }
    }
    Ok(u8::from(failed))
}
