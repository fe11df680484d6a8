//! Arguments checked before credentials are looked up or anything is sent;
//! each refusal names the tool's flag and what it takes (exit 2).

use huaweicloud_tasks::runtime::Service;
use huaweicloud_tasks::tasks::{TaskKind, TaskStatus};
use huaweicloud_tasks::{Config, ConfigError, SERVICES};

use crate::Global;

/// The statuses `--status` takes, in the order they are listed.
pub const STATUSES: [TaskStatus; 6] = [
    TaskStatus::Pending,
    TaskStatus::Running,
    TaskStatus::Succeeded,
    TaskStatus::Failed,
    TaskStatus::Cancelled,
    TaskStatus::Unknown,
];

/// The known value closest to a mistyped one, when one is close enough to
/// be what was meant: at most two edits away (a swap counts as one), or
/// the start of it. A typo is then one look away from its fix, while an
/// unrelated word suggests nothing rather than something random.
pub fn closest<'a>(typed: &str, known: &[&'a str]) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    if typed.is_empty() {
        return None;
    }
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&typed, &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.min(k.len() / 2) || k.starts_with(typed.as_str()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// "unknown WHAT `typed`; did you mean `x`? known: a, b, c" on one line.
pub fn unknown(what: &str, typed: &str, known: &[&str]) -> String {
    let hint = closest(typed, known)
        .map(|k| format!(" did you mean `{k}`?"))
        .unwrap_or_default();
    format!(
        "unknown {what} `{typed}`;{hint} known: {}",
        known.join(", ")
    )
}

/// The service a SERVICE argument names, from the generated tables.
pub fn service(name: &str) -> Result<&'static Service, String> {
    SERVICES
        .iter()
        .copied()
        .find(|s| s.module == name)
        .ok_or_else(|| {
            let known: Vec<&str> = SERVICES.iter().map(|s| s.module).collect();
            unknown("service", name, &known)
        })
}

/// A normalized status, in any case; a typo is told the closest one.
pub fn status(text: &str) -> Result<TaskStatus, String> {
    text.parse().map_err(|_| {
        let known: Vec<&str> = STATUSES.iter().map(|s| s.as_str()).collect();
        unknown("status", text, &known)
    })
}

/// One `--endpoint`: `URL` for every service, or `SERVICE=URL` for one.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The service it is for; `None`: every service without its own.
    pub service: Option<&'static Service>,
    pub url: String,
}

/// Parses `--endpoint`. A `=` before any `://` separates a service from
/// its URL (a URL's own query may hold `=` too, after its scheme).
pub fn endpoint(text: &str) -> Result<Endpoint, String> {
    let scheme = text.find("://").unwrap_or(text.len());
    match text.find('=').filter(|at| *at < scheme) {
        Some(at) => {
            let (name, url) = (&text[..at], &text[at + 1..]);
            if url.is_empty() {
                return Err(format!("no URL after `{name}=`: give SERVICE=URL"));
            }
            Ok(Endpoint {
                service: Some(service(name)?),
                url: url.to_string(),
            })
        }
        None => Ok(Endpoint {
            service: None,
            url: text.to_string(),
        }),
    }
}

/// One `--instance-id` of `list`: `ID` for every service listed, or
/// `SERVICE=ID` for one, so one process lists any mix of instances.
#[derive(Clone, Debug)]
pub struct Instance {
    /// The service it is for; `None`: every service listed.
    pub service: Option<&'static Service>,
    pub id: String,
}

/// Parses a `list --instance-id`: an empty id is refused, and so is a
/// service before `=` that no spec has (with the closest one).
pub fn instance(text: &str) -> Result<Instance, String> {
    let (service, id) = match text.split_once('=') {
        Some((name, id)) => (Some(self::service(name)?), id),
        None => (None, text),
    };
    if id.trim().is_empty() {
        return Err("--instance-id is empty; give ID or SERVICE=ID".into());
    }
    Ok(Instance {
        service,
        id: id.to_string(),
    })
}

/// The instances `service` is listed for: those given for every service
/// and those given for it, each once, in the order given.
pub fn instances_of(service: &Service, given: &[Instance]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in given {
        if i.service.is_none_or(|s| s.module == service.module) && !out.contains(&i.id) {
            out.push(i.id.clone());
        }
    }
    out
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

/// The endpoints given: each a URL, one for every service at most, and
/// each service named once.
fn endpoints(global: &Global) -> Result<(), String> {
    let mut seen: Vec<Option<&str>> = Vec::new();
    for endpoint in &global.endpoints {
        let key = endpoint.service.map(|s| s.module);
        if seen.contains(&key) {
            return Err(match key {
                Some(module) => format!("--endpoint: {module}= is given twice; give it once"),
                None => "--endpoint: two URLs for every service; give one (or SERVICE=URL)".into(),
            });
        }
        seen.push(key);
        let probe = SERVICES[0];
        Config::anonymous()
            .endpoint(endpoint.url.clone())
            .resolve_endpoint(endpoint.service.unwrap_or(probe))
            .map_err(|e| explain(e, None))?;
    }
    Ok(())
}

/// The global options against the services they will be used with: no
/// empty project, endpoints that are URLs, a region (given, from
/// HUAWEICLOUD_SDK_REGION or from the profile) that each service without
/// an endpoint of its own serves.
pub fn options(global: &Global, services: &[&'static Service]) -> Result<(), String> {
    if global.projects.iter().any(|p| p.trim().is_empty()) {
        return Err("--project-id is empty; give a project ID".into());
    }
    if global.preset.is_some() {
        return Ok(());
    }
    endpoints(global)?;
    let services: Vec<&'static Service> = services
        .iter()
        .copied()
        .filter(|s| global.endpoint_for(s).is_none())
        .collect();
    if services.is_empty() {
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
        for service in &services {
            Config::anonymous()
                .region(region.clone())
                .resolve_endpoint(service)
                .map_err(|e| explain(e, Some(region)))?;
        }
    }
    Ok(())
}

/// For show, wait and delete: one region at most.
pub fn one_place(global: &Global, service: &'static Service) -> Result<(), String> {
    if global.regions.len() > 1 && global.endpoint_for(service).is_none() {
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
    kind: TaskKind,
    instance: Option<&str>,
    ids: &[String],
) -> Result<(), String> {
    let module = service.module;
    let Some(view) = service.view(kind) else {
        return Err(no_view(service, kind));
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

/// Which tasks `--scheduled` asks for.
pub fn kind(scheduled: bool) -> TaskKind {
    if scheduled {
        TaskKind::Scheduled
    } else {
        TaskKind::Background
    }
}

/// Why a service has no tasks of this kind, with the services that have.
pub fn no_view(service: &'static Service, kind: TaskKind) -> String {
    match kind {
        TaskKind::Background => format!("service `{}` has no task view", service.module),
        TaskKind::Scheduled => {
            let with: Vec<&str> = huaweicloud_tasks::SERVICES
                .iter()
                .filter(|s| s.scheduled_view.is_some())
                .map(|s| s.module)
                .collect();
            format!(
                "service `{}` has no scheduled tasks (--scheduled works for: {})",
                service.module,
                with.join(", ")
            )
        }
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
        } => {
            let list: Vec<&str> = known.split(", ").collect();
            let hint = closest(&region, &list)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            format!(
                "--region `{region}` is not a region of {service} ({hint}known: {known}); \
                 pass --endpoint {service}=URL, set {variable}, or add the region to the \
                 regions file {}",
                regions_file()
            )
        }
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

    #[test]
    fn a_typo_is_told_the_closest_value() {
        let known = ["pending", "running", "succeeded", "failed"];
        assert_eq!(closest("runing", &known), Some("running"));
        assert_eq!(closest("FAIL", &known), Some("failed"));
        assert_eq!(closest("succeded", &known), Some("succeeded"));
        assert_eq!(closest("banana", &known), None);
        assert_eq!(closest("", &known), None);
        let message = unknown("status", "runing", &known);
        assert!(message.contains("did you mean `running`?"), "{message}");
        assert!(!message.contains('\n'));
    }

    #[test]
    fn an_endpoint_names_its_service_before_the_url() {
        let module = SERVICES[0].module;
        let one = endpoint(&format!("{module}=http://127.0.0.1:1/a?b=c")).unwrap();
        assert_eq!(one.service.map(|s| s.module), Some(module));
        assert_eq!(one.url, "http://127.0.0.1:1/a?b=c");
        let all = endpoint("http://127.0.0.1:1/a?b=c").unwrap();
        assert!(all.service.is_none());
        assert!(
            endpoint("nosuch=http://x")
                .unwrap_err()
                .contains("unknown service")
        );
        assert!(endpoint(&format!("{module}=")).is_err());
    }
}
