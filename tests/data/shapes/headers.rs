//! Header parameters, optional and required, and camelCase path parameters.
use huaweicloud_tasks::headers::{Client, types};

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let job = client
        .show_cluster_job()
        .project_id("p1")
        .cluster_id("c-1")
        .job_id("j-1")
        .x_language(types::ShowClusterJobXLanguage::ZhCn)
        .x_client_token("tok-1")
        .call()
        .await?;
    out.push(format!("zh {}", job.message.as_deref().unwrap_or("?")));
    let job = client
        .show_cluster_job()
        .project_id("p1")
        .cluster_id("c-1")
        .job_id("j-2")
        .x_client_token("tok-2")
        .call()
        .await?;
    out.push(format!("default {}", job.message.as_deref().unwrap_or("?")));
    let missing = client
        .show_cluster_job()
        .project_id("p1")
        .cluster_id("c-1")
        .job_id("j-3")
        .call()
        .await;
    out.push(format!("missing {:?}", missing.err().map(|e| e.kind())));
    let long = client
        .show_cluster_job()
        .project_id("p1")
        .cluster_id("c-1")
        .job_id("j".repeat(37))
        .x_client_token("tok-3")
        .call()
        .await;
    out.push(format!("too long {}", long.err().map(|e| e.to_string()).unwrap_or_default()));
    Ok(())
}
