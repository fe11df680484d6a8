//! List Huawei Cloud background tasks from a shell.
//!
//! ```text
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=...
//! cargo run -q -p huaweicloud-tasks --example list_tasks -- dcs-center --region ap-southeast-1 --limit 5
//! ```
//!
//! Prints each task of the response as one JSON object per line on stdout and
//! nothing else there; on failure prints one line on stderr and exits non-zero.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, ValueEnum};
use huaweicloud_tasks::{Config, Credentials, dcs, opengauss, rabbitmq};
use serde::Serialize;

#[derive(Clone, Copy, ValueEnum)]
enum Operation {
    /// DCS task center (ListCenterTask).
    DcsCenter,
    /// Background tasks of one DCS instance (ListBackgroundTask).
    DcsInstance,
    /// Background tasks of one RabbitMQ instance (ListBackgroundTasks).
    Rabbitmq,
    /// GaussDB (for openGauss) task center (ListTasks).
    Opengauss,
}

#[derive(Parser)]
#[command(about = "List Huawei Cloud background tasks as JSON lines")]
struct Args {
    operation: Operation,
    /// Project ID (default: HUAWEICLOUD_SDK_PROJECT_ID).
    #[arg(long, env = "HUAWEICLOUD_SDK_PROJECT_ID", hide_env_values = true)]
    project_id: String,
    /// Instance ID (dcs-instance, rabbitmq).
    #[arg(long)]
    instance_id: Option<String>,
    /// Region ID, for example ap-southeast-1.
    #[arg(long, conflicts_with = "endpoint")]
    region: Option<String>,
    /// Explicit endpoint URL (http:// allowed, for local testing).
    #[arg(long)]
    endpoint: Option<String>,
    #[arg(long, allow_negative_numbers = true)]
    limit: Option<i32>,
    #[arg(long, allow_negative_numbers = true)]
    offset: Option<i32>,
    /// First task position (rabbitmq).
    #[arg(long, allow_negative_numbers = true)]
    start: Option<i32>,
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
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let line: String = e.to_string().replace('\n', " ");
            eprintln!("error: {line}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut config = Config::new(Credentials::from_env()?);
    if let Some(region) = &args.region {
        config = config.region(region);
    }
    if let Some(endpoint) = &args.endpoint {
        config = config.endpoint(endpoint);
    }
    let instance_id = || {
        args.instance_id
            .clone()
            .ok_or("--instance-id is required for this operation")
    };
    match args.operation {
        Operation::DcsCenter => {
            let client = dcs::Client::from_config(&config)?;
            let mut call = client.list_center_task().project_id(&args.project_id);
            if let Some(v) = args.offset {
                call = call.offset(v);
            }
            if let Some(v) = args.limit {
                call = call.limit(v);
            }
            if let Some(v) = args.start_time {
                call = call.start_time(v);
            }
            if let Some(v) = args.end_time {
                call = call.end_time(v);
            }
            print_tasks(call.call().await?.into_inner().tasks)
        }
        Operation::DcsInstance => {
            let client = dcs::Client::from_config(&config)?;
            let mut call = client
                .list_background_task()
                .project_id(&args.project_id)
                .instance_id(instance_id()?);
            if let Some(v) = args.offset {
                call = call.offset(v);
            }
            if let Some(v) = args.limit {
                call = call.limit(v);
            }
            if let Some(v) = args.start_time {
                call = call.start_time(v);
            }
            if let Some(v) = args.end_time {
                call = call.end_time(v);
            }
            print_tasks(call.call().await?.into_inner().tasks)
        }
        Operation::Rabbitmq => {
            let client = rabbitmq::Client::from_config(&config)?;
            let mut call = client
                .list_background_tasks()
                .project_id(&args.project_id)
                .instance_id(instance_id()?);
            if let Some(v) = args.start {
                call = call.start(v);
            }
            if let Some(v) = args.limit {
                call = call.limit(v);
            }
            if let Some(v) = args.start_time {
                call = call.begin_time(v);
            }
            if let Some(v) = args.end_time {
                call = call.end_time(v);
            }
            print_tasks(call.call().await?.into_inner().tasks)
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
            if let Some(v) = args.offset {
                call = call.offset(v);
            }
            if let Some(v) = args.limit {
                call = call.limit(v);
            }
            if let Some(v) = args.start_time {
                call = call.start_time(v);
            }
            if let Some(v) = args.end_time {
                call = call.end_time(v);
            }
            print_tasks(call.call().await?.into_inner().tasks)
        }
    }
}

fn print_tasks<T: Serialize>(tasks: Option<Vec<T>>) -> Result<(), Box<dyn std::error::Error>> {
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
