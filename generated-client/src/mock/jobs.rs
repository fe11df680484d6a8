//! Jobs that move: the mock's answer to an operation that shows a job with
//! sub-jobs. Each id is a story told one poll at a time, so `wait_for`, the
//! tool's `wait` and `--demo` can be watched end to end:
//!
//! - `job-ok...`: running, its three sub-jobs finishing one per poll, then
//!   succeeded (on the fourth look);
//! - `job-fail...`: the first sub-job succeeds, the second fails on the
//!   third look with a reason, and the job fails without one of its own (so
//!   the reason shown is the sub-job's);
//! - `job-payment...`: `PENDING_PAYMENT` on every look, a status the task
//!   view does not map;
//!
//! and any other id the documented example, as before.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::{json_response, raw_status, set, stamp};
use crate::runtime::raw::field;
use crate::runtime::{Location, Operation, TaskView};
use crate::tasks::TaskStatus;

/// How many sub-jobs a story's job has.
const SUB_JOBS: usize = 3;

/// The status a job waiting for its order to be paid reports; no source
/// lists it, so the view reads it as `unknown` and keeps it raw.
pub const PENDING_PAYMENT: &str = "PENDING_PAYMENT";

/// The responder of one job operation.
pub(super) struct Scenarios {
    view: &'static TaskView,
    operation: &'static Operation,
    status: u16,
    example: Value,
    /// How often each id was looked at.
    looks: Mutex<HashMap<String, usize>>,
}

/// Which story an id tells.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Story {
    Succeeds,
    FailsInSecond,
    AwaitsPayment,
}

impl Story {
    fn of(id: &str) -> Option<Self> {
        [
            ("job-ok", Story::Succeeds),
            ("job-fail", Story::FailsInSecond),
            ("job-payment", Story::AwaitsPayment),
        ]
        .into_iter()
        .find(|(prefix, _)| id.starts_with(prefix))
        .map(|(_, story)| story)
    }
}

impl Scenarios {
    pub(super) fn new(
        view: &'static TaskView,
        operation: &'static Operation,
        status: u16,
        example: Value,
    ) -> Self {
        Self {
            view,
            operation,
            status,
            example,
            looks: Mutex::new(HashMap::new()),
        }
    }

    /// The job's id as the request gives it, in the operation's id
    /// parameter (a path segment or a query parameter).
    fn id(&self, request: &Request) -> Option<String> {
        let name = crate::tasks::id_param(self.operation)?;
        let param = self.operation.params.iter().find(|p| p.name == name)?;
        match param.location {
            Location::Query => request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned()),
            Location::Path => {
                let wanted = format!("{{{name}}}");
                let template = self.operation.path.split('/');
                template
                    .zip(request.url.path().split('/'))
                    .find(|(t, _)| *t == wanted)
                    .map(|(_, v)| v.to_string())
            }
            Location::Header => None,
        }
    }

    /// The job at its `look`-th poll (0 for the first).
    fn job(&self, id: &str, story: Story, look: usize) -> Value {
        let view = self.view;
        let f = &view.fields;
        let mut body = self.example.clone();
        let at = view.show_item;
        let mut job = if at.is_empty() {
            body.clone()
        } else {
            field(&body, at).cloned().unwrap_or_else(|| json!({}))
        };
        let raw = |wanted| raw_status(view, wanted).map(Value::from);
        let child_template = f
            .children
            .and_then(|c| field(&job, c))
            .and_then(|c| c.get(0))
            .cloned()
            .unwrap_or_else(|| json!({}));
        // Each sub-job's status at this look, and the job's.
        let (children, own): (Vec<TaskStatus>, Option<Value>) = match story {
            Story::Succeeds => {
                let done = look.min(SUB_JOBS);
                let states = (0..SUB_JOBS)
                    .map(|i| match i.cmp(&done) {
                        std::cmp::Ordering::Less => TaskStatus::Succeeded,
                        std::cmp::Ordering::Equal => TaskStatus::Running,
                        std::cmp::Ordering::Greater => TaskStatus::Pending,
                    })
                    .collect();
                let own = if done == SUB_JOBS {
                    raw(TaskStatus::Succeeded)
                } else {
                    raw(TaskStatus::Running)
                };
                (states, own)
            }
            Story::FailsInSecond => {
                let states: Vec<TaskStatus> = match look {
                    0 => vec![
                        TaskStatus::Running,
                        TaskStatus::Pending,
                        TaskStatus::Pending,
                    ],
                    1 => vec![
                        TaskStatus::Succeeded,
                        TaskStatus::Running,
                        TaskStatus::Pending,
                    ],
                    _ => vec![
                        TaskStatus::Succeeded,
                        TaskStatus::Failed,
                        TaskStatus::Pending,
                    ],
                };
                let own = if look >= 2 {
                    raw(TaskStatus::Failed)
                } else {
                    raw(TaskStatus::Running)
                };
                (states, own)
            }
            Story::AwaitsPayment => (Vec::new(), Some(Value::from(PENDING_PAYMENT))),
        };
        set(&mut job, f.id, json!(id));
        let started = Utc::now() - Duration::minutes(3);
        let changed = started + Duration::seconds(20 * (look as i64 + 1));
        restamp(view, &mut job, started, changed);
        if let Some(own) = own {
            set(&mut job, f.status, own);
        }
        // The job's own reason and error stay empty: a failure is told by
        // the sub-job that failed.
        for name in [f.reason, f.error].into_iter().flatten() {
            set(&mut job, name, Value::Null);
        }
        if let Some(name) = f.progress {
            let done = children
                .iter()
                .filter(|s| **s == TaskStatus::Succeeded)
                .count();
            let percent = done * 100 / SUB_JOBS;
            // In the type the documented example has: text is a percentage;
            // a number, or a figure the example leaves out, a fraction as
            // the definitions' doubles are (IMS's process_percent, 0.24 for 24%).
            let value = if field(&job, name).is_some_and(Value::is_string) {
                json!(percent.to_string())
            } else {
                json!(percent as f64 / 100.0)
            };
            set(&mut job, name, value);
        }
        if let Some(name) = f.children {
            let items: Vec<Value> = children
                .iter()
                .enumerate()
                .map(|(i, state)| {
                    let mut child = child_template.clone();
                    set(&mut child, f.id, json!(format!("{id}-sub-{}", i + 1)));
                    restamp(view, &mut child, started, changed);
                    if let Some(status) = raw(*state) {
                        set(&mut child, f.status, status);
                    }
                    if let Some(name) = f.children {
                        // A sub-job of the story has no sub-jobs of its own.
                        set(&mut child, name, json!([]));
                    }
                    for name in [f.reason, f.error].into_iter().flatten() {
                        let value = match (
                            *state == TaskStatus::Failed,
                            name == f.reason.unwrap_or_default(),
                        ) {
                            (true, true) => {
                                json!(format!("sub-job {} of {id} failed: quota exceeded", i + 1))
                            }
                            (true, false) => json!("MOCK.0001"),
                            _ => Value::Null,
                        };
                        set(&mut child, name, value);
                    }
                    child
                })
                .collect();
            let was = field(&job, name)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            recount(&mut job, name, was, items.len());
            set(&mut job, name, Value::Array(items));
        }
        if at.is_empty() {
            body = job;
        } else {
            set(&mut body, at, job);
        }
        body
    }
}

/// The story happens now: a job (or sub-job) started a few minutes before
/// its first look and changes on every look after. Times the example does
/// not write as text (or at all) are left as they are.
fn restamp(view: &TaskView, item: &mut Value, started: DateTime<Utc>, changed: DateTime<Utc>) {
    let f = &view.fields;
    for (name, at) in [(f.created_at, started), (f.updated_at, changed)] {
        if let Some(name) = name.filter(|n| field(item, n).is_some_and(Value::is_string)) {
            let text = stamp(at, field(item, name));
            set(item, name, json!(text));
        }
    }
}

/// A count kept beside the sub-jobs (ECS's `entities.sub_jobs_total`)
/// follows their number: a sibling of the list named as a total or a count
/// whose value was the example's number of sub-jobs, as a number or text.
fn recount(job: &mut Value, children: &str, was: usize, now: usize) {
    let parent = children.rsplit_once('.').map(|(p, _)| p);
    let siblings = match parent {
        Some(p) => field(job, p).and_then(Value::as_object),
        None => job.as_object(),
    };
    let Some(siblings) = siblings else {
        return;
    };
    let counts: Vec<(String, Value)> = siblings
        .iter()
        .filter(|(k, _)| k.ends_with("total") || k.ends_with("count"))
        .filter_map(|(k, v)| match v {
            Value::Number(n) if n.as_u64() == Some(was as u64) => Some((k.clone(), json!(now))),
            Value::String(t) if *t == was.to_string() => Some((k.clone(), json!(now.to_string()))),
            _ => None,
        })
        .collect();
    for (key, value) in counts {
        let dotted = parent.map_or(key.clone(), |p| format!("{p}.{key}"));
        set(job, &dotted, value);
    }
}

impl Respond for Scenarios {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Some((id, story)) = self
            .id(request)
            .and_then(|id| Story::of(&id).map(|story| (id, story)))
        else {
            return json_response(self.status, &self.example);
        };
        let look = {
            let mut looks = self.looks.lock().unwrap_or_else(|e| e.into_inner());
            let n = looks.entry(id.clone()).or_insert(0);
            *n += 1;
            *n - 1
        };
        json_response(self.status, &self.job(&id, story, look))
    }
}
