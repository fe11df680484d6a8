//! Parameters of a path item: every operation under it takes them, checked
//! as written there, unless the operation writes its own.
use huaweicloud_tasks::path_item::Client;

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let cluster = client
        .show_shared_cluster()
        .project_id("p1")
        .cluster_id("c-1")
        .call()
        .await?;
    out.push(format!("shown {}", cluster.name.as_deref().unwrap_or("?")));
    let long = client
        .show_shared_cluster()
        .project_id("p1")
        .cluster_id("c-123456789")
        .call()
        .await;
    out.push(format!("too long {}", long.err().map(|e| e.to_string()).unwrap_or_default()));
    client
        .delete_shared_cluster()
        .project_id("p1")
        .cluster_id("c-123456789")
        .call()
        .await?;
    out.push("deleted".to_string());
    Ok(())
}
