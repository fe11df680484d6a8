//! Page numbers: from 1 with a total, from 0 without one.
use futures::TryStreamExt;
use huaweicloud_tasks::page_number::{Client, types};

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let jobs: Vec<types::Job> = client
        .list_jobs_by_page_no()
        .project_id("p1")
        .paginate()
        .page_size(2)
        .items()
        .try_collect()
        .await?;
    out.push(format!("list_jobs_by_page_no {}", ids(&jobs)));
    let records: Vec<types::Job> = client
        .list_records_by_page()
        .project_id("p1")
        .paginate()
        .page_size(2)
        .items()
        .try_collect()
        .await?;
    out.push(format!("list_records_by_page {}", ids(&records)));
    let refused = client
        .list_records_by_page()
        .project_id("p1")
        .paginate()
        .page_size(21)
        .items()
        .try_collect::<Vec<_>>()
        .await;
    out.push(format!("refused {}", refused.err().map(|e| e.to_string()).unwrap_or_default()));
    Ok(())
}

fn ids(jobs: &[types::Job]) -> String {
    jobs.iter().map(|j| j.job_id.as_deref().unwrap_or("?")).collect::<Vec<_>>().join(",")
}
