//! Totals sent as text, at the top level and nested; paging parameters
//! that are strings; a required items array.
use futures::TryStreamExt;
use huaweicloud_tasks::total_string::{Client, types};

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let jobs: Vec<types::Job> = client
        .list_string_total()
        .project_id("p1")
        .paginate()
        .page_size(2)
        .items()
        .try_collect()
        .await?;
    out.push(format!("list_string_total {}", ids(&jobs)));
    let jobs: Vec<types::Job> = client
        .list_nested_total()
        .project_id("p1")
        .paginate()
        .page_size(3)
        .items()
        .try_collect()
        .await?;
    out.push(format!("list_nested_total {}", ids(&jobs)));
    Ok(())
}

fn ids(jobs: &[types::Job]) -> String {
    jobs.iter().map(|j| j.job_id.as_deref().unwrap_or("?")).collect::<Vec<_>>().join(",")
}
