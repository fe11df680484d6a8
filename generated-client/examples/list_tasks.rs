//! Listing tasks with the typed client: one operation, every page.
//!
//! ```text
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=...
//! cargo run -q -p huaweicloud-tasks --example list_tasks -- ap-southeast-1 INSTANCE_ID
//! ```
//!
//! Prints each background task of a RabbitMQ instance as one line. For every
//! service at once, normalized, use `huaweicloud_tasks::tasks` or the
//! `hwc-tasks` tool.

use futures::TryStreamExt;
use huaweicloud_tasks::{Config, rabbitmq};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(region), Some(instance)) = (args.next(), args.next()) else {
        return Err("usage: list_tasks REGION INSTANCE_ID".into());
    };
    let config = Config::from_env()?.region(region);
    let project = config
        .credentials()
        .and_then(huaweicloud_tasks::Credentials::project_id)
        .ok_or("set HUAWEICLOUD_SDK_PROJECT_ID")?
        .to_string();
    let client = rabbitmq::Client::from_config(&config)?;
    let mut tasks = client
        .list_background_tasks()
        .project_id(project)
        .instance_id(instance)
        .paginate()
        .items();
    while let Some(task) = tasks.try_next().await? {
        println!(
            "{} {} {}",
            task.id.as_deref().unwrap_or("-"),
            task.name.as_deref().unwrap_or("-"),
            task.status.as_ref().map_or("-", |s| s.as_str()),
        );
    }
    Ok(())
}
