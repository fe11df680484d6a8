//! Sub-jobs two levels deep, nested arrays, nullable and free-form fields.
use huaweicloud_tasks::recursive::{Client, types};

fn describe(job: &types::TreeJob, depth: usize, out: &mut Vec<String>) {
    let entities = job.entities.as_ref();
    let mut metadata: Vec<(&String, &String)> = job.metadata.iter().collect();
    metadata.sort();
    out.push(format!(
        "{}{} {} fail={} server={} matrix={:?} metadata={:?} extra={} begin={}",
        "  ".repeat(depth),
        job.job_id.as_deref().unwrap_or("?"),
        job.status.as_deref().unwrap_or("?"),
        job.fail_reason.as_deref().unwrap_or("-"),
        entities.and_then(|e| e.server_id.as_deref()).unwrap_or("-"),
        entities.and_then(|e| e.matrix.clone()).unwrap_or_default(),
        metadata,
        job.extra.len(),
        job.begin_time.as_ref().and_then(|t| t.to_utc()).map(|t| t.to_rfc3339()).unwrap_or_default(),
    ));
    for sub in entities.and_then(|e| e.sub_jobs.as_ref()).into_iter().flatten() {
        describe(sub, depth + 1, out);
    }
}

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let job = client.show_recursive_job().project_id("p1").job_id("j-1").call().await?;
    describe(&job, 0, out);
    Ok(())
}
