//! An asynchronous job with sub-jobs two levels deep, an open status and a
//! progress sent as text.
use huaweicloud_tasks::job_tree::{Client, types};

fn walk(job: &types::AsyncJob, depth: usize, out: &mut Vec<String>) {
    let status = job.status.as_ref().map(|s| s.to_string()).unwrap_or_default();
    let unknown = job.status.as_ref().is_some_and(|s| s.is_unknown());
    out.push(format!(
        "{}{} {}{} progress={:?} ended={} error={:?}",
        "  ".repeat(depth),
        job.job_id.as_deref().unwrap_or("?"),
        status,
        if unknown { "?" } else { "" },
        job.progress.map(|p| p.get()),
        job.end_time.as_ref().and_then(|t| t.to_utc()).is_some(),
        job.error_code,
    ));
    for sub in job.entities.iter().flat_map(|e| e.sub_jobs.iter().flatten()) {
        walk(sub, depth + 1, out);
    }
}

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let job = client.show_tree_job().project_id("p1").job_id("j-1").call().await?;
    walk(&job, 0, out);
    Ok(())
}
