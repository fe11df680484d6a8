//! Cursors: the next marker nested in the page, and the last item's id.
use futures::TryStreamExt;
use huaweicloud_tasks::cursor::{Client, types};

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let jobs: Vec<types::Job> = client
        .list_jobs_by_marker()
        .project_id("p1")
        .paginate()
        .page_size(2)
        .items()
        .try_collect()
        .await?;
    let ids: Vec<&str> = jobs.iter().map(|j| j.job_id.as_deref().unwrap_or("?")).collect();
    out.push(format!("list_jobs_by_marker {}", ids.join(",")));
    let servers: Vec<types::Server> = client
        .list_servers_by_last_id()
        .project_id("p1")
        .paginate()
        .items()
        .try_collect()
        .await?;
    let ids: Vec<&str> = servers.iter().map(|s| s.id.as_str()).collect();
    out.push(format!("list_servers_by_last_id {}", ids.join(",")));
    let looped: Result<Vec<types::Job>, _> = client
        .list_jobs_by_marker()
        .project_id("p2")
        .paginate()
        .page_size(2)
        .items()
        .try_collect()
        .await;
    out.push(format!("looped {:?}", looped.err().map(|e| e.kind())));
    Ok(())
}
