//! Request bodies: a POST sent once, a PUT retried, a POST marked safe.
//! Generated structs are `#[non_exhaustive]`: bodies are built with their
//! builders, never with a literal.
use huaweicloud_tasks::bodies::{Client, types};

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let request = types::CancelTasksRequest::builder()
        .task_ids(Some(vec!["t-1".into(), "t-2".into()]))
        .reason(Some("maintenance".into()));
    let cancelled = client.cancel_tasks().project_id("p1").body(request.clone()).call().await;
    out.push(format!("cancel {:?}", cancelled.map(|r| r.cancelled).map_err(|e| (e.status(), e.attempts()))));
    let schedule = types::Schedule::builder().begin("02:00").end("04:00");
    let set = client.set_task_schedule().project_id("p1").task_id("t-1").body(schedule).call().await?;
    out.push(format!("schedule {}", set.status().as_u16()));
    let retried = client
        .retry_task()
        .project_id("p1")
        .task_id("t-2")
        .body(types::RetryOptions::builder().force(Some(true)))
        .call()
        .await?;
    out.push(format!("retry {}", retried.status().as_u16()));
    Ok(())
}
