//! Objects nested three deep, arrays of objects, nullable fields and
//! free-form maps.
use huaweicloud_tasks::free_form::Client;

pub async fn run(client: Client, out: &mut Vec<String>) -> Result<(), huaweicloud_tasks::Error> {
    let cluster = client
        .show_free_form_cluster()
        .project_id("p1")
        .cluster_id("c-1")
        .call()
        .await?;
    let metadata = cluster.metadata.as_ref();
    let spec = cluster.spec.as_ref();
    let subnet = spec
        .and_then(|s| s.host_network.as_ref())
        .and_then(|n| n.subnet.as_ref());
    let mut labels: Vec<String> = metadata
        .map(|m| m.labels.iter().map(|(k, v)| format!("{k}={v}")).collect())
        .unwrap_or_default();
    labels.sort();
    out.push(format!(
        "{} name={:?} labels={} annotations={} subnet={:?} cidr={:?}",
        cluster.kind,
        metadata.and_then(|m| m.name.clone()),
        labels.join(","),
        metadata.map(|m| m.annotations.len()).unwrap_or(0),
        subnet.and_then(|s| s.id.clone()),
        subnet.and_then(|s| s.cidr.clone()),
    ));
    for pool in spec.and_then(|s| s.node_pools.as_ref()).into_iter().flatten() {
        out.push(format!(
            "pool {:?} size={:?} weight={:?} autoscale={:?}",
            pool.name, pool.size, pool.weight, pool.autoscale
        ));
    }
    let status = cluster.status.as_ref();
    let mut conditions: Vec<String> = status
        .map(|s| {
            s.conditions
                .iter()
                .map(|(k, c)| format!("{k}:{}", c.status.as_deref().unwrap_or("?")))
                .collect()
        })
        .unwrap_or_default();
    conditions.sort();
    out.push(format!("conditions {}", conditions.join(",")));
    Ok(())
}
