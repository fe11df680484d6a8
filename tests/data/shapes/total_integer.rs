//! Integer totals (int32 optional, int64 required), a 204 DELETE, a GET
//! under `/v3.1/` and a required enum query parameter.
use futures::TryStreamExt;
use huaweicloud_tasks::total_integer::{Client, types};

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let jobs: Vec<types::Job> = client
        .list_jobs()
        .project_id("p1")
        .job_type(types::ListJobsJobType::ResizeServer)
        .paginate()
        .page_size(2)
        .items()
        .try_collect()
        .await?;
    out.push(format!("list_jobs {}", ids(&jobs)));
    let jobs: Vec<types::Job> = client
        .list_server_jobs()
        .project_id("p1")
        .server_id("s-1")
        .paginate()
        .page_size(2)
        .items()
        .try_collect()
        .await?;
    out.push(format!("list_server_jobs {}", ids(&jobs)));
    let deleted = client.delete_job().project_id("p1").job_id("j-1").call().await?;
    out.push(format!("delete_job {}", deleted.status().as_u16()));
    let job = client.show_job().project_id("p1").job_id("j-2").call().await?;
    out.push(format!("show_job {}", job.status.as_deref().unwrap_or("?")));
    Ok(())
}

fn ids(jobs: &[types::Job]) -> String {
    jobs.iter().map(|j| j.job_id.as_deref().unwrap_or("?")).collect::<Vec<_>>().join(",")
}
