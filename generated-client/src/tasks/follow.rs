//! Following one task: showing it, waiting for it to end, deleting it.

use std::time::Duration;

use futures_util::stream::StreamExt;
use serde_json::Value;

use super::list::{Listing, walk};
use super::{Scope, Task, as_text};
use crate::Config;
use crate::error::Error;
use crate::runtime::raw::{RawClient, field};
use crate::runtime::{Location, Operation, Service, TaskKind, TaskView};

/// How [`wait_for`] polls.
#[derive(Clone, Debug)]
pub struct WaitOptions {
    /// First wait between two polls; grows by half each time.
    pub initial_interval: Duration,
    /// Longest wait between two polls.
    pub max_interval: Duration,
    /// Give up after this long.
    pub timeout: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
            timeout: Duration::from_secs(30 * 60),
        }
    }
}

/// Why [`wait_for`] stopped without a final status.
#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// The deadline passed; the last status seen is kept.
    #[error("task {id} of {service} still {} after {:.1}s", last.as_ref().map_or("unseen".to_string(), |t| t.standing()), waited.as_secs_f64())]
    Deadline {
        service: &'static str,
        id: String,
        waited: Duration,
        last: Option<Box<Task>>,
    },
    /// The service does not know the task: not found twice in a row.
    #[error("task {id} of {service} not found")]
    NotFound { service: &'static str, id: String },
    /// A call failed (after its own retries).
    #[error("task {id} of {service}: {source}")]
    Poll {
        service: &'static str,
        id: String,
        #[source]
        source: Error,
    },
    /// The service cannot follow the task: no show, job or list operation fits.
    #[error("{0}")]
    Unsupported(String),
}

/// Polls `task` until it reaches a terminal status, calling `progress` with
/// every state seen, and returns the final [`Task`]. Uses the service's show
/// operation when it has one; otherwise the job behind the task
/// (`x-hwc-task-view.job`, when the task has a job id); otherwise the list
/// of its instance or project, walked until the task is found. The wait
/// between polls starts at [`WaitOptions::initial_interval`] and grows by
/// half up to [`WaitOptions::max_interval`]. A task not found on one poll is
/// looked for once more after the interval; not found again, the wait ends
/// with [`WaitError::NotFound`].
pub async fn wait_for(
    config: &Config,
    service: &'static Service,
    task: &Task,
    options: &WaitOptions,
    mut progress: impl FnMut(&Task),
) -> Result<Task, WaitError> {
    let started = tokio::time::Instant::now();
    let deadline = started + options.timeout;
    let (client, view, scope) = follow(config, service, task)?;
    let mut interval = options.initial_interval;
    let mut last: Option<Task> = None;
    let mut missed = false;
    loop {
        let seen = poll(&client, view, &scope, task)
            .await
            .map_err(|source| match source {
                PollError::Call(source) => WaitError::Poll {
                    service: service.module,
                    id: task.id.clone(),
                    source,
                },
                PollError::Unsupported(why) => WaitError::Unsupported(why),
            })?;
        match seen {
            Some(current) => {
                missed = false;
                progress(&current);
                if current.status.is_terminal() {
                    return Ok(current);
                }
                last = Some(current);
            }
            None if missed => {
                return Err(WaitError::NotFound {
                    service: service.module,
                    id: task.id.clone(),
                });
            }
            None => missed = true,
        }
        let now = tokio::time::Instant::now();
        if now + interval > deadline {
            if now < deadline {
                tokio::time::sleep_until(deadline).await;
            }
            return Err(WaitError::Deadline {
                service: service.module,
                id: task.id.clone(),
                waited: started.elapsed(),
                last: last.map(Box::new),
            });
        }
        tokio::time::sleep(interval).await;
        interval = (interval + interval / 2).min(options.max_interval);
    }
}

/// Looks at a task once (as [`wait_for`] does on each poll): `None` when
/// the service no longer lists it.
pub async fn show(
    config: &Config,
    service: &'static Service,
    task: &Task,
) -> Result<Option<Task>, WaitError> {
    let (client, view, scope) = follow(config, service, task)?;
    poll(&client, view, &scope, task)
        .await
        .map_err(|e| e.into_wait(service, task))
}

/// Deletes the record of a task with the service's delete operation.
pub async fn delete(
    config: &Config,
    service: &'static Service,
    task: &Task,
) -> Result<(), WaitError> {
    let (client, view, scope) = follow(config, service, task)?;
    let Some(operation) = for_scope(&client, view, &scope, view.delete) else {
        return Err(WaitError::Unsupported(format!(
            "service `{}` cannot delete a task",
            service.module
        )));
    };
    // Services that key tasks by their job take the job id.
    let id = match id_param(operation) {
        Some("job_id") => task.job_id.clone().unwrap_or_else(|| task.id.clone()),
        _ => task.id.clone(),
    };
    let args = arguments(operation, &scope, id);
    client
        .call(operation, &args)
        .await
        .map(|_| ())
        .map_err(|e| PollError::Call(e).into_wait(service, task))
}

/// The operation `declared` names, when the scope gives each path parameter
/// it requires; else, for a task of the whole project where `declared` is
/// for instance tasks, the operation of the same method whose path is the
/// project list's path plus one parameter (the task in that list).
pub(crate) fn for_scope(
    client: &RawClient,
    view: &TaskView,
    scope: &Scope,
    declared: Option<&str>,
) -> Option<&'static Operation> {
    let declared = declared.and_then(|id| client.operation(id))?;
    // The parameters a task's reference gives: the project, the instance
    // when there is one, and the task's id.
    let fits = |op: &Operation| {
        let id = id_param(op);
        op.params.iter().all(|p| {
            !p.required
                || p.location != Location::Path
                || p.name == "project_id"
                || (p.name == "instance_id" && scope.instance_id.is_some())
                || Some(p.name) == id
        })
    };
    if fits(declared) {
        return Some(declared);
    }
    let list = view
        .list_project
        .and_then(|id| client.operation(id))
        .filter(|_| scope.instance_id.is_none())?;
    let item = |op: &&'static Operation| {
        op.method == declared.method
            && op.path.strip_prefix(list.path).is_some_and(|rest| {
                rest.strip_prefix("/{")
                    .and_then(|r| r.strip_suffix('}'))
                    .is_some_and(|name| !name.contains(['/', '{', '}']))
            })
            && fits(op)
    };
    client.service.operations.iter().find(item)
}

/// The parameter of `operation` that takes a task's id: its one required
/// parameter besides `project_id` and `instance_id` (`task_id`, a job's
/// `job_id`, a query `id`), as the generator checks every operation the task
/// view names has.
pub(crate) fn id_param(operation: &Operation) -> Option<&'static str> {
    let mut ids = operation
        .params
        .iter()
        .filter(|p| p.required && !matches!(p.name, "project_id" | "instance_id"));
    let first = ids.next()?;
    ids.next().is_none().then_some(first.name)
}

/// The arguments of an operation on one task: the scope's project and
/// instance, and `id` in the operation's id parameter. Arguments the
/// operation does not take are not sent.
fn arguments(operation: &Operation, scope: &Scope, id: String) -> Vec<(&'static str, String)> {
    let mut args = vec![("project_id", scope.project_id.clone())];
    if let Some(instance) = &scope.instance_id {
        args.push(("instance_id", instance.clone()));
    }
    if let Some(name) = id_param(operation) {
        args.push((name, id));
    }
    args
}

/// The client, view and scope to follow `task` of `service` with.
fn follow(
    config: &Config,
    service: &'static Service,
    task: &Task,
) -> Result<(RawClient, &'static TaskView, Scope), WaitError> {
    let view = service.view(task.kind).ok_or_else(|| {
        WaitError::Unsupported(match task.kind {
            TaskKind::Background => format!("service `{}` has no task view", service.module),
            TaskKind::Scheduled => {
                format!("service `{}` has no scheduled tasks", service.module)
            }
        })
    })?;
    let config = match &task.region {
        Some(r) => config.clone().region(r.clone()),
        None => config.clone(),
    };
    let client = config
        .build(service)
        .map(|built| RawClient::new(service, built))
        .map_err(|e| WaitError::Unsupported(e.to_string()))?;
    let scope = Scope {
        region: task.region.clone(),
        project_id: task.project_id.clone(),
        instance_id: task.instance_id.clone(),
    };
    Ok((client, view, scope))
}

/// The percentage done, from the service's progress operation, as `42%`.
async fn progress(
    client: &RawClient,
    view: &TaskView,
    scope: &Scope,
    task: &Task,
) -> Result<Option<String>, PollError> {
    let (Some(operation), Some(name)) = (
        view.progress.and_then(|id| client.operation(id)),
        view.progress_percent,
    ) else {
        return Ok(None);
    };
    let args = &arguments(operation, scope, task.id.clone());
    // Only where the task's scope gives every required parameter (DCS
    // reports progress of instance tasks, not of task-center ones).
    let given = |name: &str| args.iter().any(|(n, _)| *n == name);
    if operation
        .params
        .iter()
        .any(|p| p.required && !given(p.name))
    {
        return Ok(None);
    }
    let body = client
        .call(operation, args)
        .await
        .map_err(PollError::Call)?;
    Ok(field(&body, name)
        .and_then(as_text)
        .map(|p| format!("{p}%")))
}

enum PollError {
    Call(Error),
    Unsupported(String),
}

impl PollError {
    fn into_wait(self, service: &'static Service, task: &Task) -> WaitError {
        match self {
            PollError::Call(source) => WaitError::Poll {
                service: service.module,
                id: task.id.clone(),
                source,
            },
            PollError::Unsupported(why) => WaitError::Unsupported(why),
        }
    }
}

/// One look at the task, with its progress while it runs where the service
/// reports it: `None` when it was not found this time.
async fn poll(
    client: &RawClient,
    view: &'static TaskView,
    scope: &Scope,
    task: &Task,
) -> Result<Option<Task>, PollError> {
    let mut seen = look(client, view, scope, task).await?;
    if let Some(seen) = seen.as_mut().filter(|t| !t.status.is_terminal()) {
        // Progress is a bonus: a failure to read it does not end the wait.
        match progress(client, view, scope, task).await {
            Ok(Some(percent)) => seen.progress = Some(percent),
            Ok(None) => {}
            Err(PollError::Call(e)) => tracing::debug!(error = %e, "progress not read"),
            Err(PollError::Unsupported(_)) => {}
        }
    }
    Ok(seen)
}

/// The task as the show operation, the job behind it or the list says.
async fn look(
    client: &RawClient,
    view: &'static TaskView,
    scope: &Scope,
    task: &Task,
) -> Result<Option<Task>, PollError> {
    if let Some(operation) = for_scope(client, view, scope, view.show) {
        let args = arguments(operation, scope, task.id.clone());
        let body = client
            .call(operation, &args)
            .await
            .map_err(PollError::Call)?;
        let item = field(&body, view.show_item).unwrap_or(&body);
        return Ok(Task::from_item(client.service, view, scope, item));
    }
    if let (Some(operation), Some(job_id)) = (
        view.job.and_then(|id| client.operation(id)),
        task.job_id.as_ref(),
    ) {
        let args = arguments(operation, scope, job_id.clone());
        let body = client
            .call(operation, &args)
            .await
            .map_err(PollError::Call)?;
        let mut item = field(&body, view.job_item).unwrap_or(&body).clone();
        // A job names itself by its own id field; the task keeps the id asked for.
        if let Some(map) = item.as_object_mut()
            && !map.contains_key(view.fields.id)
        {
            map.insert(view.fields.id.into(), Value::String(task.id.clone()));
        }
        let mut seen = Task::from_item(client.service, view, scope, &item);
        if let Some(seen) = &mut seen {
            seen.job_id = Some(job_id.clone());
            seen.id = task.id.clone();
        }
        return Ok(seen);
    }
    // An instance's task is looked for in the instance's list, else in the
    // project's list (whose items name their instance).
    let list = if scope.instance_id.is_some() {
        view.list_instance.or(view.list_project)
    } else {
        view.list_project
    };
    let Some(operation) = list.and_then(|id| client.operation(id)) else {
        return Err(PollError::Unsupported(format!(
            "service `{}` can neither show nor list this task",
            client.service.module
        )));
    };
    let mut pages = walk(Listing {
        client: client.clone(),
        view,
        operation,
        scope: scope.clone(),
        window: view
            .window
            .as_ref()
            .map(|_| super::list::window(None, None)),
    });
    while let Some(next) = pages.next().await {
        match next {
            Ok(found)
                if found.id == task.id
                    && (scope.instance_id.is_none() || found.instance_id == scope.instance_id) =>
            {
                return Ok(Some(found));
            }
            Ok(_) => {}
            Err(e) => return Err(PollError::Call(e.source)),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(service: &'static Service, instance: Option<&str>) -> Option<&'static str> {
        let config = Config::anonymous().endpoint("http://127.0.0.1:9");
        let client = RawClient::new(service, config.build(service).unwrap());
        let view = service.task_view.as_ref().unwrap();
        let scope = Scope {
            region: None,
            project_id: "p".into(),
            instance_id: instance.map(str::to_string),
        };
        for_scope(&client, view, &scope, view.delete).map(|op| op.name)
    }

    #[test]
    fn a_project_task_is_deleted_beside_the_project_list() {
        assert_eq!(chosen(&crate::dcs::SERVICE, None), Some("DeleteCenterTask"));
        assert_eq!(
            chosen(&crate::dcs::SERVICE, Some("i-1")),
            Some("DeleteBackgroundTask")
        );
        assert_eq!(chosen(&crate::opengauss::SERVICE, None), Some("DeleteJob"));
        // No project-wide list: no operation fits a task without instance.
        assert_eq!(chosen(&crate::rabbitmq::SERVICE, None), None);
        assert_eq!(
            chosen(&crate::rabbitmq::SERVICE, Some("i-1")),
            Some("DeleteBackgroundTask")
        );
    }
}
