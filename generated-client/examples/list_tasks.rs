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
use futures::{Stream, StreamExt};
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
    match args.operation {
        Operation::DcsCenter => {
            let client = dcs::Client::from_config(&config)?;
            let mut call = client.list_center_task().project_id(&args.project_id);
            if let Some(v) = args.start_time {
                call = call.start_time(v);
            }
            if let Some(v) = args.end_time {
                call = call.end_time(v);
            }
            if args.all {
                let mut pages = call.paginate();
                if let Some(size) = args.page_size {
                    pages = pages.page_size(size);
                }
                print_stream(pages.items()).await?;
            } else {
                if let Some(v) = args.offset {
                    call = call.offset(v);
                }
                if let Some(v) = args.limit {
                    call = call.limit(v);
                }
                print_tasks(call.call().await?.into_inner().tasks)?;
            }
            Ok(true)
        }
        Operation::DcsInstance => {
            let client = dcs::Client::from_config(&config)?;
            per_instance(&args, |id| {
                let client = &client;
                let args = args.clone();
                async move {
                    let mut call = client
                        .list_background_task()
                        .project_id(&args.project_id)
                        .instance_id(id);
                    if let Some(v) = args.start_time {
                        call = call.start_time(v);
                    }
                    if let Some(v) = args.end_time {
                        call = call.end_time(v);
                    }
                    if args.all {
                        let mut pages = call.paginate();
                        if let Some(size) = args.page_size {
                            pages = pages.page_size(size);
                        }
                        return collect(pages.items()).await;
                    }
                    if let Some(v) = args.offset {
                        call = call.offset(v);
                    }
                    if let Some(v) = args.limit {
                        call = call.limit(v);
                    }
                    Ok(json_lines(call.call().await?.into_inner().tasks))
                }
            })
            .await
        }
        Operation::Rabbitmq => {
            let client = rabbitmq::Client::from_config(&config)?;
            per_instance(&args, |id| {
                let client = &client;
                let args = args.clone();
                async move {
                    let mut call = client
                        .list_background_tasks()
                        .project_id(&args.project_id)
                        .instance_id(id);
                    if let Some(v) = args.start_time {
                        call = call.begin_time(v);
                    }
                    if let Some(v) = args.end_time {
                        call = call.end_time(v);
                    }
                    if args.all {
                        let mut pages = call.paginate();
                        if let Some(size) = args.page_size {
                            pages = pages.page_size(size);
                        }
                        return collect(pages.items()).await;
                    }
                    if let Some(v) = args.start {
                        call = call.start(v);
                    }
                    if let Some(v) = args.limit {
                        call = call.limit(v);
                    }
                    Ok(json_lines(call.call().await?.into_inner().tasks))
                }
            })
            .await
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
            if let Some(v) = args.start_time {
                call = call.start_time(v);
            }
            if let Some(v) = args.end_time {
                call = call.end_time(v);
            }
            if args.all {
                let mut pages = call.paginate();
                if let Some(size) = args.page_size {
                    pages = pages.page_size(size);
                }
                print_stream(pages.items()).await?;
            } else {
                if let Some(v) = args.offset {
                    call = call.offset(v);
                }
                if let Some(v) = args.limit {
                    call = call.limit(v);
                }
                print_tasks(call.call().await?.into_inner().tasks)?;
            }
            Ok(true)
        }
    }
}

/// Lists every `--instance-id` concurrently; prints each instance's tasks as
/// its result arrives in order, and one error line per failed instance.
async fn per_instance<F, Fut>(args: &Args, list: F) -> Result<bool, Failure>
where
    F: FnMut(String) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<String>, Error>>,
{
    if args.instance_id.is_empty() {
        return Err("--instance-id is required for this operation".into());
    }
    let results = fan_out(args.instance_id.clone(), args.concurrency, list).await;
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

fn json_lines<T: Serialize>(tasks: Option<Vec<T>>) -> Vec<String> {
    tasks
        .unwrap_or_default()
        .iter()
        .filter_map(|t| serde_json::to_string(t).ok())
        .collect()
}

async fn collect<T: Serialize>(
    mut items: impl Stream<Item = Result<T, Error>> + Unpin,
) -> Result<Vec<String>, Error> {
    let mut lines = Vec::new();
    while let Some(item) = items.next().await {
        if let Ok(line) = serde_json::to_string(&item?) {
            lines.push(line);
        }
    }
    Ok(lines)
}

async fn print_stream<T: Serialize>(
    mut items: impl Stream<Item = Result<T, Error>> + Unpin,
) -> Result<(), Failure> {
    use std::io::Write;
    let stdout = std::io::stdout();
    while let Some(item) = items.next().await {
        let mut out = stdout.lock();
        serde_json::to_writer(&mut out, &item?)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn print_tasks<T: Serialize>(tasks: Option<Vec<T>>) -> Result<(), Failure> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for task in tasks.unwrap_or_default() {
        serde_json::to_writer(&mut out, &task)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
