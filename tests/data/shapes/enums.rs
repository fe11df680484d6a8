//! Open enums: integer and string, named and inline, in a response and in
//! query parameters.
use huaweicloud_tasks::enums::{Client, types};

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let page = client
        .list_enum_jobs()
        .project_id("p1")
        .job_type(types::ListEnumJobsJobType::DeleteServer)
        .status(types::JobStatusCode::V2)
        .phase(types::Phase::from("ROLLING_BACK"))
        .call()
        .await?;
    for job in page.jobs.iter().flatten() {
        let code = job.code.as_ref().map(|c| format!("{c}{}", if c.is_unknown() { "?" } else { "" }));
        let phase = job.phase.as_ref().map(|p| format!("{p}{}", if p.is_unknown() { "?" } else { "" }));
        let kind = job.kind.as_ref().map(|k| format!("{k}{}", if k.is_unknown() { "?" } else { "" }));
        let level = job.level.as_ref().map(|l| format!("{l}{}", if l.is_unknown() { "?" } else { "" }));
        let tags: Vec<String> = job
            .tags
            .iter()
            .flatten()
            .map(|t| format!("{t}{}", if t.is_unknown() { "?" } else { "" }))
            .collect();
        out.push(format!(
            "job {} code={} phase={} kind={} level={} tags={}",
            job.id.as_deref().unwrap_or("?"),
            code.unwrap_or_default(),
            phase.unwrap_or_default(),
            kind.unwrap_or_default(),
            level.unwrap_or_default(),
            tags.join("+")
        ));
    }
    let refused = client
        .list_enum_jobs()
        .project_id("p1")
        .job_type(types::ListEnumJobsJobType::from("rebootServer"))
        .call()
        .await;
    out.push(format!("refused {}", refused.err().map(|e| e.to_string()).unwrap_or_default()));
    let known: Vec<String> = types::JobStatusCode::KNOWN.iter().map(|v| v.to_string()).collect();
    out.push(format!("known {}", known.join(",")));
    Ok(())
}
