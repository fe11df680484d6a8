//! Arguments checked before credentials are looked up or anything is sent;
//! each refusal names the tool's flag and what it takes (exit 2).

use huaweicloud_tasks::runtime::Service;
use huaweicloud_tasks::{Config, ConfigError, SERVICES};

use crate::Global;

/// The service a SERVICE argument names, from the generated tables.
pub fn service(name: &str) -> Result<&'static Service, String> {
    SERVICES
        .iter()
        .copied()
        .find(|s| s.module == name)
        .ok_or_else(|| {
            let known: Vec<&str> = SERVICES.iter().map(|s| s.module).collect();
            format!("unknown service `{name}`; known: {}", known.join(", "))
        })
}

/// The services named, each once, in the order first given.
pub fn once(services: &[&'static Service]) -> Vec<&'static Service> {
    let mut out: Vec<&'static Service> = Vec::new();
    for s in services {
        if !out.iter().any(|o| o.module == s.module) {
            out.push(s);
        }
    }
    out
}

/// The global options against the services they will be used with: no
/// empty project, an endpoint that is a URL, a region (given, or from
/// HUAWEICLOUD_SDK_REGION) that each service serves.
pub fn options(global: &Global, services: &[&'static Service]) -> Result<(), String> {
    if global.projects.iter().any(|p| p.trim().is_empty()) {
        return Err("--project-id is empty; give a project ID".into());
    }
    if global.preset.is_some() {
        return Ok(());
    }
    if let Some(endpoint) = &global.endpoint {
        for service in services {
            Config::anonymous()
                .endpoint(endpoint.clone())
                .resolve_endpoint(service)
                .map_err(|e| explain(e, None))?;
        }
        return Ok(());
    }
    if global.regions.is_empty() {
        return Err(
            "no region: pass --region REGION (for example ap-southeast-1) \
                    or set HUAWEICLOUD_SDK_REGION"
                .into(),
        );
    }
    for region in &global.regions {
        if region.trim().is_empty() {
            return Err(
                "--region is empty (or HUAWEICLOUD_SDK_REGION holds an empty \
                        entry); give a region ID such as ap-southeast-1"
                    .into(),
            );
        }
        for service in services {
            Config::anonymous()
                .region(region.clone())
                .resolve_endpoint(service)
                .map_err(|e| explain(e, Some(region)))?;
        }
    }
    Ok(())
}

/// For show, wait and delete: one region at most.
pub fn one_place(global: &Global) -> Result<(), String> {
    if global.regions.len() > 1 && global.endpoint.is_none() {
        return Err(format!(
            "--region: one task is looked for in one region (given: {})",
            global.regions.join(", ")
        ));
    }
    if global.projects.len() > 1 {
        return Err(format!(
            "--project-id: one task is looked for in one project (given: {})",
            global.projects.join(", ")
        ));
    }
    Ok(())
}

/// A task reference: ids that are not empty, an instance where the service
/// keeps its tasks per instance.
pub fn task(
    service: &'static Service,
    instance: Option<&str>,
    ids: &[String],
) -> Result<(), String> {
    let module = service.module;
    let Some(view) = &service.task_view else {
        return Err(format!("service `{module}` has no task view"));
    };
    if ids.iter().any(|id| id.trim().is_empty()) {
        return Err("the task id is empty; give the ID `list` printed".into());
    }
    match instance {
        Some(i) if i.trim().is_empty() => Err("--instance-id is empty; give an instance ID".into()),
        None if view.list_project.is_none() && view.list_instance.is_some() => Err(format!(
            "{module} keeps tasks per instance: pass --instance-id ID \
             (`hwc-tasks list {module} --instance-id ID` lists them)"
        )),
        _ => Ok(()),
    }
}

/// A configuration error in terms of the tool's flags.
fn explain(error: ConfigError, region: Option<&str>) -> String {
    match error {
        ConfigError::UnknownRegion {
            service,
            region,
            known,
            variable,
        } => format!(
            "--region `{region}` is not a region of {service} (known: {known}); \
             pass --endpoint URL, set {variable}, or add the region to the regions file {}",
            regions_file()
        ),
        ConfigError::InvalidEndpoint { endpoint, reason } => match region {
            Some(region) => format!("--region `{region}`: endpoint `{endpoint}`: {reason}"),
            None => format!("--endpoint `{endpoint}`: {reason}"),
        },
        ConfigError::NoEndpoint { .. } => {
            "no region: pass --region REGION or set HUAWEICLOUD_SDK_REGION".into()
        }
        other => other.to_string(),
    }
}

/// The regions file the official SDKs read: HUAWEICLOUD_SDK_REGIONS_FILE,
/// else ~/.huaweicloud/regions.yaml.
fn regions_file() -> String {
    match std::env::var("HUAWEICLOUD_SDK_REGIONS_FILE") {
        Ok(path) if !path.is_empty() => format!("{path} (HUAWEICLOUD_SDK_REGIONS_FILE)"),
        _ => {
            let home = std::env::var("HOME").unwrap_or_else(|_| "~".into());
            format!("{home}/.huaweicloud/regions.yaml (or set HUAWEICLOUD_SDK_REGIONS_FILE)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_services_count_once() {
        let first = service(SERVICES[0].module).unwrap();
        let other = SERVICES[1];
        let got: Vec<&str> = once(&[first, other, first])
            .iter()
            .map(|s| s.module)
            .collect();
        assert_eq!(got, [first.module, other.module]);
    }
}
