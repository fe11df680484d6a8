//! List Huawei Cloud background tasks from a shell.
//!
//! ```text
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=...
//! cargo run -q -p huaweicloud-tasks --example list_tasks -- dcs-center --region ap-southeast-1 --all
//! ```
//!
//! Prints each task as one JSON object per line on stdout and nothing else
//! there; on failure prints one line per failure on stderr (with status, error
//! code and request id) and exits non-zero.

use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::{Parser, ValueEnum};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use huaweicloud_tasks::{
    Config, Credentials, Error, RetryPolicy, dcs, fan_out, opengauss, rabbitmq,
};
use serde::Serialize;

#[derive(Clone, Copy, ValueEnum)]
enum Operation {
    /// DCS task center (ListCenterTask).
    DcsCenter,
    /// Background tasks of DCS instances (ListBackgroundTask).
    DcsInstance,
    /// Background tasks of RabbitMQ instances (ListBackgroundTasks).
    Rabbitmq,
    /// GaussDB (for openGauss) task center (ListTasks).
    Opengauss,
}

#[derive(Parser, Clone)]
#[command(about = "List Huawei Cloud background tasks as JSON lines")]
struct Args {
    operation: Operation,
    /// Project ID (default: HUAWEICLOUD_SDK_PROJECT_ID).
    #[arg(long, env = "HUAWEICLOUD_SDK_PROJECT_ID", hide_env_values = true)]
    project_id: String,
    /// Instance ID (dcs-instance, rabbitmq); repeat it to list several
    /// instances concurrently.
    #[arg(long)]
    instance_id: Vec<String>,
    /// Region ID, for example ap-southeast-1.
    #[arg(long, conflicts_with = "endpoint")]
    region: Option<String>,
    /// Explicit endpoint URL (http:// allowed, for local testing).
    #[arg(long)]
    endpoint: Option<String>,
    #[arg(long, allow_negative_numbers = true)]
    limit: Option<i64>,
    #[arg(long, allow_negative_numbers = true)]
    offset: Option<i64>,
    /// First task position (rabbitmq).
    #[arg(long, allow_negative_numbers = true)]
    start: Option<i64>,
    /// Start of the time window, RFC 3339 (2020-06-09T16:00:00Z).
    #[arg(long)]
    start_time: Option<DateTime<Utc>>,
    /// End of the time window, RFC 3339.
    #[arg(long)]
    end_time: Option<DateTime<Utc>>,
    /// Task status (opengauss).
    #[arg(long)]
    status: Option<String>,
    /// Task name (opengauss).
    #[arg(long)]
    name: Option<String>,
    /// Response language (opengauss): en-us or zh-cn.
    #[arg(long)]
    language: Option<String>,
    /// Walk every page and print every task once.
    #[arg(long)]
    all: bool,
    /// Items per page with --all (default: the operation's maximum).
    #[arg(long)]
    page_size: Option<u64>,
    /// Retries after the first attempt (0 disables retries).
    #[arg(long, default_value_t = 2)]
    retries: u32,
    /// Deadline for each call, retries included, in seconds.
    #[arg(long)]
    timeout_secs: Option<u64>,
    /// Instances listed at the same time.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
}

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            report(None, &*e);
            ExitCode::FAILURE
        }
    }
}

fn report(instance: Option<&str>, e: &dyn std::error::Error) {
    let line = e.to_string().replace('\n', " ");
    match instance {
        Some(id) => eprintln!("error: instance {id}: {line}"),
        None => eprintln!("error: {line}"),
    }
}

/// Every task as a JSON line: one page, or every page with `--all`.
type Lines<'a> = BoxStream<'a, Result<String, Error>>;

/// Applies the arguments shared by every operation to a request builder and
/// turns it into a stream of JSON lines. `$position` is the operation's
/// paging parameter (`offset` or `start`) and `$begin` its start-time one.
macro_rules! lines {
    ($call:expr, $args:expr, $position:ident = $position_arg:expr, $begin:ident) => {{
        let args: &Args = $args;
        let mut call = $call;
        if let Some(v) = args.start_time {
            call = call.$begin(v);
        }
        if let Some(v) = args.end_time {
            call = call.end_time(v);
        }
        if args.all {
            let mut pages = call.paginate();
            if let Some(size) = args.page_size {
                pages = pages.page_size(size);
            }
            pages
                .items()
                .map(|item| item.map(|task| to_line(&task)))
                .boxed()
        } else {
            if let Some(v) = $position_arg {
                call = call.$position(v);
            }
            if let Some(v) = args.limit {
                call = call.limit(v);
            }
            stream::once(call.call())
                .map_ok(|page| {
                    let lines: Vec<_> = page
                        .into_inner()
                        .tasks
                        .unwrap_or_default()
                        .iter()
                        .map(to_line)
                        .collect();
                    stream::iter(lines.into_iter().map(Ok))
                })
                .try_flatten()
                .boxed()
        }
    }};
}

/// Lists what was asked; `Ok(false)` when some instance failed.
async fn run(args: Args) -> Result<bool, Failure> {
    let mut config = Config::new(Credentials::from_env()?)
        .retry(RetryPolicy::default().with_max_attempts(args.retries + 1));
    if let Some(secs) = args.timeout_secs {
        config = config.total_timeout(Some(Duration::from_secs(secs)));
    }
    if let Some(region) = &args.region {
        config = config.region(region);
    }
    if let Some(endpoint) = &args.endpoint {
        config = config.endpoint(endpoint);
    }
    let args = &args;
    match args.operation {
        Operation::DcsCenter => {
            let client = dcs::Client::from_config(&config)?;
            let call = client.list_center_task().project_id(&args.project_id);
            print_lines(lines!(call, args, offset = args.offset, start_time)).await?;
            Ok(true)
        }
        Operation::Opengauss => {
            let client = opengauss::Client::from_config(&config)?;
            let mut call = client.list_tasks().project_id(&args.project_id);
            if let Some(v) = &args.language {
                call = call.x_language(v.as_str());
            }
            if let Some(v) = &args.status {
                call = call.status(v.as_str());
            }
            if let Some(v) = &args.name {
                call = call.name(v.as_str());
            }
            print_lines(lines!(call, args, offset = args.offset, start_time)).await?;
            Ok(true)
        }
        Operation::DcsInstance => {
            let client = dcs::Client::from_config(&config)?;
            per_instance(args, |id| {
                let call = client
                    .list_background_task()
                    .project_id(&args.project_id)
                    .instance_id(id);
                lines!(call, args, offset = args.offset, start_time)
            })
            .await
        }
        Operation::Rabbitmq => {
            let client = rabbitmq::Client::from_config(&config)?;
            per_instance(args, |id| {
                let call = client
                    .list_background_tasks()
                    .project_id(&args.project_id)
                    .instance_id(id);
                lines!(call, args, start = args.start, begin_time)
            })
            .await
        }
    }
}

/// Lists every `--instance-id` concurrently; prints each instance's tasks in
/// the order the instances were given, and one error line per failed instance.
async fn per_instance<'a, F>(args: &Args, mut list: F) -> Result<bool, Failure>
where
    F: FnMut(String) -> Lines<'a>,
{
    if args.instance_id.is_empty() {
        return Err("--instance-id is required for this operation".into());
    }
    if let [only] = args.instance_id.as_slice() {
        print_lines(list(only.clone())).await?;
        return Ok(true);
    }
    let results = fan_out(args.instance_id.clone(), args.concurrency, |id| {
        list(id).try_collect::<Vec<String>>()
    })
    .await;
    let mut all_ok = true;
    for (id, result) in results {
        match result {
            Ok(lines) => {
                for line in lines {
                    println!("{line}");
                }
            }
            Err(e) => {
                all_ok = false;
                report(Some(&id), &e);
            }
        }
    }
    Ok(all_ok)
}

fn to_line<T: Serialize>(task: &T) -> String {
    serde_json::to_string(task).unwrap_or_default()
}

async fn print_lines(mut lines: Lines<'_>) -> Result<(), Failure> {
    use std::io::Write;
    let stdout = std::io::stdout();
    while let Some(line) = lines.try_next().await? {
        let mut out = stdout.lock();
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
