//! 200 with a body or 204 without, 202 with a body, 200 and 201 sharing a
//! body, and a 200 without one.
use huaweicloud_tasks::statuses::Client;

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    for id in ["j-1", "j-2"] {
        let deleted = client.delete_status_job().project_id("p1").job_id(id).call().await?;
        let status = deleted.status().as_u16();
        let body = deleted.into_inner().map(|job| job.job_id.unwrap_or_default());
        out.push(format!("delete {id} {status} {body:?}"));
    }
    let retried = client.retry_status_job().project_id("p1").job_id("j-3").call().await?;
    out.push(format!("retry {} {:?}", retried.status().as_u16(), retried.job_id));
    for _ in 0..2 {
        let created = client.create_status_job().project_id("p1").call().await?;
        out.push(format!("create {} {:?}", created.status().as_u16(), created.job_id));
    }
    let touched = client.touch_status_job().project_id("p1").job_id("j-4").call().await?;
    out.push(format!("touch {}", touched.status().as_u16()));
    let broken = client.delete_status_job().project_id("p1").job_id("j-5").call().await;
    let broken = broken.err().map(|e| (e.kind(), e.json_path().map(str::to_string)));
    out.push(format!("broken {broken:?}"));
    Ok(())
}
