//! No total (a short page is the last; positions count from 1) and the
//! tolerant count total.
use futures::TryStreamExt;
use huaweicloud_tasks::total_absent::{Client, types};

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let jobs: Vec<types::Job> = client
        .list_no_total()
        .project_id("p1")
        .paginate()
        .page_size(2)
        .items()
        .try_collect()
        .await?;
    out.push(format!("list_no_total {}", ids(&jobs)));
    let pages: Vec<types::CountTotalPage> = client
        .list_count_total()
        .project_id("p1")
        .paginate()
        .page_size(2)
        .pages()
        .try_collect()
        .await?;
    out.push(format!("list_count_total pages={}", pages.len()));
    Ok(())
}

fn ids(jobs: &[types::Job]) -> String {
    jobs.iter().map(|j| j.job_id.as_deref().unwrap_or("?")).collect::<Vec<_>>().join(",")
}
