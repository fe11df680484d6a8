//! Decode corpus: what the services really send must decode into the
//! generated models with the right values.
//!
//! `tests/data/responses/<service>/<case>.json` holds response bodies: the
//! status-200 examples of the reference pages verbatim (`seed_example.json`,
//! which must equal the spec's own example and decode without losing a field)
//! and one mutation per quirk of the documentation (counts as strings or
//! numbers, both time stamp shapes, open enums, nulls, unknown fields, missing
//! fields, capacities as strings or numbers...). Files named `invalid_*.json`
//! must fail to decode, naming the JSON path, and keep the raw body, the
//! status, the operation and the request id.
//!
//! Every body is served by a wiremock server on loopback (status 200,
//! `application/json`) and fetched with the generated client, so the whole
//! path (reqwest, progenitor, the crate's error mapping) is exercised. The
//! expected values are written next to the file name in the tables below, not
//! in snapshots; `every_corpus_file_has_assertions` fails when a file is added
//! without an entry.
//!
//! Each decoded response is also serialized again (`serde_json::to_value`),
//! served and decoded a second time: the same assertions must hold and the
//! re-serialized JSON must be identical.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use huaweicloud_tasks::dcs::types as d;
use huaweicloud_tasks::opengauss::types as og;
use huaweicloud_tasks::rabbitmq::types as rmq;
use huaweicloud_tasks::scalars::{Count, Decimal, Timestamp};
use huaweicloud_tasks::{Config, Error, ErrorKind, dcs};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::normalized;
use workspace_tests::wire::deref;

// ---------------------------------------------------------------------------
// Serving a corpus file and decoding it through the generated client
// ---------------------------------------------------------------------------

/// 32 letters and digits, as openGauss requires; used for every service.
const PROJECT: &str = "0611f1bd8b00d5d32f17c017f15b599f";
const INSTANCE: &str = "5560df16-cebf-4473-95c4-d1b573c16e79";
/// The `X-Request-Id` every mock response carries.
const REQUEST_ID: &str = "decode-corpus-0001";

/// One list operation: where its corpus lives, the path it must request, and
/// how to call it.
trait Api {
    /// Directory under `tests/data/responses/`.
    const DIR: &'static str;
    /// The request path the client must use.
    const PATH: &'static str;
    /// The operationId, which is also `Error::operation`.
    const OPERATION: &'static str;
    /// The spec file and the path template that document the operation.
    const SPEC: (&'static str, &'static str);
    type Resp: std::fmt::Debug;
    async fn send(endpoint: String) -> Result<Self::Resp, Error>;
    fn to_json(value: &Self::Resp) -> Value;
}

struct DcsCenter;
struct DcsInstance;
struct Rabbitmq;
struct Opengauss;

impl Api for DcsCenter {
    const DIR: &'static str = "dcs-center";
    const PATH: &'static str = "/v2/0611f1bd8b00d5d32f17c017f15b599f/tasks";
    const OPERATION: &'static str = "ListCenterTask";
    const SPEC: (&'static str, &'static str) = ("dcs.yaml", "/v2/{project_id}/tasks");
    type Resp = d::ListCenterTaskResponse;
    async fn send(endpoint: String) -> Result<Self::Resp, Error> {
        let client = dcs::Client::from_config(&Config::anonymous().endpoint(endpoint))
            .expect("client builds");
        let page = client.list_center_task().project_id(PROJECT).call().await?;
        Ok(page.into_inner())
    }
    fn to_json(value: &Self::Resp) -> Value {
        serde_json::to_value(value).expect("serializes")
    }
}

impl Api for DcsInstance {
    const DIR: &'static str = "dcs-instance";
    const PATH: &'static str =
        "/v2/0611f1bd8b00d5d32f17c017f15b599f/instances/5560df16-cebf-4473-95c4-d1b573c16e79/tasks";
    const OPERATION: &'static str = "ListBackgroundTask";
    const SPEC: (&'static str, &'static str) =
        ("dcs.yaml", "/v2/{project_id}/instances/{instance_id}/tasks");
    type Resp = d::ListBackgroundTaskResponse;
    async fn send(endpoint: String) -> Result<Self::Resp, Error> {
        let client = dcs::Client::from_config(&Config::anonymous().endpoint(endpoint))
            .expect("client builds");
        let page = client
            .list_background_task()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .call()
            .await?;
        Ok(page.into_inner())
    }
    fn to_json(value: &Self::Resp) -> Value {
        serde_json::to_value(value).expect("serializes")
    }
}

impl Api for Rabbitmq {
    const DIR: &'static str = "rabbitmq";
    const PATH: &'static str =
        "/v2/0611f1bd8b00d5d32f17c017f15b599f/instances/5560df16-cebf-4473-95c4-d1b573c16e79/tasks";
    const OPERATION: &'static str = "ListBackgroundTasks";
    const SPEC: (&'static str, &'static str) = (
        "rabbitmq.yaml",
        "/v2/{project_id}/instances/{instance_id}/tasks",
    );
    type Resp = rmq::ListBackgroundTasksResponse;
    async fn send(endpoint: String) -> Result<Self::Resp, Error> {
        let client = huaweicloud_tasks::rabbitmq::Client::from_config(
            &Config::anonymous().endpoint(endpoint),
        )
        .expect("client builds");
        let page = client
            .list_background_tasks()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .call()
            .await?;
        Ok(page.into_inner())
    }
    fn to_json(value: &Self::Resp) -> Value {
        serde_json::to_value(value).expect("serializes")
    }
}

impl Api for Opengauss {
    const DIR: &'static str = "opengauss";
    const PATH: &'static str = "/v3/0611f1bd8b00d5d32f17c017f15b599f/tasks";
    const OPERATION: &'static str = "ListTasks";
    const SPEC: (&'static str, &'static str) = ("opengauss.yaml", "/v3/{project_id}/tasks");
    type Resp = og::ListTasksResponse;
    async fn send(endpoint: String) -> Result<Self::Resp, Error> {
        let client = huaweicloud_tasks::opengauss::Client::from_config(
            &Config::anonymous().endpoint(endpoint),
        )
        .expect("client builds");
        let page = client.list_tasks().project_id(PROJECT).call().await?;
        Ok(page.into_inner())
    }
    fn to_json(value: &Self::Resp) -> Value {
        serde_json::to_value(value).expect("serializes")
    }
}

fn corpus_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/responses"))
}

fn corpus_file(dir: &str, file: &str) -> Vec<u8> {
    let path = corpus_root().join(dir).join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Serves `body` once on a loopback socket at `A::PATH` and calls the
/// operation against it.
async fn call<A: Api>(body: &[u8]) -> Result<A::Resp, Error> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(A::PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", REQUEST_ID)
                .set_body_raw(body.to_vec(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let result = A::send(server.uri()).await;
    // Dropping the server checks that exactly one request reached `A::PATH`.
    drop(server);
    result
}

/// Decodes a corpus file, runs its assertions, then checks the round trip.
async fn decode_case<A: Api>(file: &str, check: fn(&A::Resp)) {
    let name = format!("{}/{file}", A::DIR);
    let body = corpus_file(A::DIR, file);
    let decoded = call::<A>(&body).await.unwrap_or_else(|e| {
        panic!(
            "{name} does not decode: {e} (json_path {:?})",
            e.json_path()
        )
    });
    check(&decoded);

    // Round trip: serialize, serve again, decode again.
    let json = A::to_json(&decoded);
    let reencoded = serde_json::to_vec(&json).expect("serializes");
    let again = call::<A>(&reencoded)
        .await
        .unwrap_or_else(|e| panic!("{name}: the re-serialized value {json} does not decode: {e}"));
    check(&again);
    assert_eq!(
        A::to_json(&again),
        json,
        "{name}: round trip changed the value"
    );
}

/// Serves an invalid corpus file and checks the decode error.
async fn invalid_case<A: Api>(file: &str, json_path: &str, message_part: &str) {
    let name = format!("{}/{file}", A::DIR);
    let body = corpus_file(A::DIR, file);
    let error = match call::<A>(&body).await {
        Ok(value) => panic!("{name} must not decode, got {value:?}"),
        Err(e) => e,
    };
    assert_eq!(error.kind(), ErrorKind::Decode, "{name}: {error}");
    assert_eq!(error.json_path(), Some(json_path), "{name}: {error}");
    assert_eq!(
        error.body(),
        Some(&body[..]),
        "{name}: body must be the raw bytes served"
    );
    assert_eq!(error.status(), Some(200), "{name}: {error}");
    assert!(
        error.message().contains(message_part),
        "{name}: message {:?} should mention {message_part:?}",
        error.message()
    );
    // What support asks for survives a body the client cannot read.
    assert_eq!(error.request_id(), Some(REQUEST_ID), "{name}: {error:?}");
    assert_eq!(error.operation(), A::OPERATION, "{name}");
    assert_eq!(error.attempts(), 1, "{name}: a decode error is not retried");
    let shown = error.to_string();
    assert!(
        shown.contains(REQUEST_ID) && shown.contains(json_path),
        "{name}: {shown}"
    );
}

// ---------------------------------------------------------------------------
// Assertion helpers
// ---------------------------------------------------------------------------

/// A UTC instant, built without chrono's parsers.
fn at(y: i32, mo: u32, day: u32, h: u32, mi: u32, s: u32, ms: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, day, h, mi, s).unwrap() + chrono::Duration::milliseconds(ms)
}

/// A time stamp keeps the text it was sent as and decodes to the instant.
#[track_caller]
fn ts(value: &Option<Timestamp>, raw: &str, instant: DateTime<Utc>) {
    let t = value
        .as_ref()
        .unwrap_or_else(|| panic!("expected time stamp {raw:?}, got None"));
    assert_eq!(t.raw(), raw);
    assert_eq!(t.to_string(), raw);
    assert_eq!(t.to_utc().unwrap(), instant, "instant of {raw:?}");
}

/// Text that is not a time decodes all the same: kept as sent, with no time,
/// and written back unchanged.
#[track_caller]
fn not_a_time(value: &Option<Timestamp>, raw: &str) {
    let t = value.as_ref().expect("the text is kept");
    assert_eq!(t.raw(), raw);
    assert_eq!(t.to_utc(), None, "{raw:?} is no time");
    assert_eq!(t.to_string(), raw);
}

/// The UTC offset a time stamp was sent with, in seconds east of UTC.
#[track_caller]
fn offset(value: &Option<Timestamp>, seconds: i32) {
    let t = value.as_ref().expect("time stamp present");
    assert_eq!(
        t.as_datetime().unwrap().offset().local_minus_utc(),
        seconds,
        "{t:?}"
    );
}

/// A decimal keeps its exact text.
#[track_caller]
fn dec(value: &Option<Decimal>, text: &str) {
    let v = value
        .as_ref()
        .unwrap_or_else(|| panic!("expected decimal {text:?}, got None"));
    assert_eq!(v.as_str(), text);
    assert_eq!(v.to_f64(), text.parse::<f64>().unwrap());
}

#[track_caller]
fn count(value: Option<Count>, expected: u64) {
    assert_eq!(value.map(Count::get), Some(expected));
}

/// The tasks of a page, which must be present and have `len` entries.
#[track_caller]
fn tasks<T: std::fmt::Debug>(value: &Option<Vec<T>>, len: usize) -> &[T] {
    let tasks = value.as_deref().expect("tasks present");
    assert_eq!(tasks.len(), len, "{tasks:?}");
    tasks
}

/// An open-enum value that must be a documented variant.
macro_rules! known {
    ($value:expr, $variant:expr) => {{
        let value = $value.as_ref().expect("enum value present");
        assert_eq!(*value, $variant);
        assert!(!value.is_unknown(), "{value:?}");
    }};
}

/// An open-enum value that must be `Unknown`, keeping the text as sent.
macro_rules! unknown {
    ($value:expr, $ty:ty, $raw:expr) => {{
        let value = $value.as_ref().expect("enum value present");
        assert!(
            value.is_unknown(),
            "{value:?} should be Unknown({:?})",
            $raw
        );
        assert_eq!(value.as_str(), $raw);
        assert_eq!(value.to_string(), $raw);
        assert_eq!(*value, <$ty>::from($raw));
    }};
}

/// Asserts what a model serializes to (absent fields are skipped, so `{}`
/// means every field is `None`).
macro_rules! serializes_to {
    ($value:expr, $($json:tt)+) => {
        assert_eq!(
            serde_json::to_value($value).expect("serializes"),
            json!($($json)+)
        )
    };
}

// ---------------------------------------------------------------------------
// The tables
// ---------------------------------------------------------------------------

/// `module: Api { case => |decoded| assertions, ... }` decodes
/// `<Api::DIR>/<case>.json` in a test named `module::case`.
macro_rules! decode_cases {
    ($($module:ident: $api:ty { $($case:ident => $check:expr,)* })*) => {
        /// (service directory, file) of every decode case.
        const DECODE_CASES: &[(&str, &str)] = &[
            $($((<$api as Api>::DIR, concat!(stringify!($case), ".json")),)*)*
        ];
        $(
            mod $module {
                use super::*;
                $(
                    #[tokio::test]
                    async fn $case() {
                        let check: fn(&<$api as Api>::Resp) = $check;
                        decode_case::<$api>(concat!(stringify!($case), ".json"), check).await;
                    }
                )*
            }
        )*
    };
}

/// `module: Api { case => (json_path, message_part), ... }` serves
/// `<Api::DIR>/<case>.json` and expects a decode error at `json_path`.
macro_rules! invalid_cases {
    ($($module:ident: $api:ty { $($case:ident => ($json_path:expr, $message:expr),)* })*) => {
        /// (service directory, file) of every invalid case.
        const INVALID_CASES: &[(&str, &str)] = &[
            $($((<$api as Api>::DIR, concat!(stringify!($case), ".json")),)*)*
        ];
        mod invalid {
            use super::*;
            $(
                mod $module {
                    use super::*;
                    $(
                        #[tokio::test]
                        async fn $case() {
                            invalid_case::<$api>(
                                concat!(stringify!($case), ".json"),
                                $json_path,
                                $message,
                            )
                            .await;
                        }
                    )*
                }
            )*
        }
    };
}

decode_cases! {
    dcs_center: DcsCenter {
        timestamp_not_a_time => |r| {
            let t = tasks(&r.tasks, 2);
            ts(&t[0].created_at, "2023-06-17T08:18:06.597Z", at(2023, 6, 17, 8, 18, 6, 597));
            not_a_time(&t[1].created_at, "yesterday");
        },
        // The example of the reference page, English and Chinese (identical).
        seed_example => |r| {
            count(r.task_count, 2);
            let t = tasks(&r.tasks, 2);
            let a = &t[0];
            assert_eq!(a.id.as_deref(), Some("8abf6e1e72c12e7c0172c15b508500aa"));
            known!(a.name, d::TaskName::ChangeInstanceSpec);
            assert_eq!(a.job_id.as_deref(), Some("8abf6e1e87bce0740187bd32748b0530"));
            assert_eq!(a.user_name.as_deref(), Some("paas_dcs_a00421997_02"));
            assert_eq!(a.user_id.as_deref(), Some("d53977d1adfb49c5b025ba7d33a13fd7"));
            let details = a.details.as_ref().expect("details");
            known!(details.old_cache_mode, d::CacheMode::Single);
            known!(details.new_cache_mode, d::CacheMode::Single);
            dec(&details.old_capacity, "0.125");
            dec(&details.new_capacity, "0.25");
            assert_eq!(details.old_port, None);
            assert_eq!(details.rename_commands, None);
            known!(a.status, d::TaskStatus::Success);
            ts(&a.created_at, "2023-06-17T08:18:06.597Z", at(2023, 6, 17, 8, 18, 6, 597));
            ts(&a.updated_at, "2023-06-17T08:18:10.106Z", at(2023, 6, 17, 8, 18, 10, 106));
            offset(&a.created_at, 0);
            assert_eq!(a.error_code.as_deref(), Some("111400063"));
            assert_eq!(a.enable_show, Some(true));
            assert_eq!(a.params, None);
            let b = &t[1];
            assert_eq!(b.id.as_deref(), Some("ff80808188bfde180188c36bb9ca4a30"));
            known!(b.name, d::TaskName::DcsExportJob);
            assert_eq!(b.job_id.as_deref(), Some("ff80808188bfde180188c36bb9c44a2f"));
            assert_eq!(b.user_name.as_deref(), Some("paas_dcs_004_01"));
            assert_eq!(b.user_id.as_deref(), Some("bb259bd2b8b644a1b4a573a20318af51"));
            assert!(b.details.is_none(), "details: null");
            known!(b.status, d::TaskStatus::Success);
            ts(&b.created_at, "2023-06-17T08:18:06.597Z", at(2023, 6, 17, 8, 18, 6, 597));
            ts(&b.updated_at, "2023-06-17T08:18:10.106Z", at(2023, 6, 17, 8, 18, 10, 106));
            assert_eq!(b.error_code.as_deref(), Some("111400063"));
            assert_eq!(b.enable_show, Some(true));
        },
        task_count_string => |r| {
            count(r.task_count, 2);
            let t = tasks(&r.tasks, 2);
            assert_eq!(t[0].id.as_deref(), Some("8abf6e1e72c12e7c0172c15b508500aa"));
            assert_eq!(t[1].id.as_deref(), Some("ff80808188bfde180188c36bb9ca4a30"));
        },
        task_count_zero => |r| {
            count(r.task_count, 0);
            tasks(&r.tasks, 0);
        },
        empty_object => |r| {
            assert_eq!(r.task_count, None);
            assert!(r.tasks.is_none());
            serializes_to!(r, {});
        },
        top_level_nulls => |r| {
            assert_eq!(r.task_count, None);
            assert!(r.tasks.is_none());
            serializes_to!(r, {});
        },
        task_only_id => |r| {
            count(r.task_count, 1);
            let t = &tasks(&r.tasks, 1)[0];
            assert_eq!(t.id.as_deref(), Some("ff80808188bfde180188c36bb9ca4a30"));
            assert!(t.name.is_none() && t.status.is_none() && t.details.is_none());
            assert!(t.created_at.is_none() && t.updated_at.is_none());
            assert_eq!(t.enable_show, None);
            serializes_to!(t, { "id": "ff80808188bfde180188c36bb9ca4a30" });
        },
        nulls_everywhere => |r| {
            count(r.task_count, 2);
            let t = tasks(&r.tasks, 2);
            let a = &t[0];
            assert!(a.id.is_none() && a.name.is_none() && a.job_id.is_none());
            assert!(a.user_name.is_none() && a.user_id.is_none() && a.params.is_none());
            assert!(a.details.is_none() && a.status.is_none() && a.error_code.is_none());
            assert!(a.created_at.is_none() && a.updated_at.is_none());
            assert_eq!(a.enable_show, None);
            serializes_to!(a, {});
            let details = t[1].details.as_ref().expect("details object with null fields");
            assert!(details.old_capacity.is_none() && details.new_capacity.is_none());
            assert!(details.old_cache_mode.is_none() && details.new_cache_mode.is_none());
            assert_eq!(details.enable_public_ip, None);
            assert_eq!(details.old_port, None);
            assert_eq!(details.rename_commands, None);
            assert_eq!(details.updated_config_length, None);
            serializes_to!(details, {});
        },
        unknown_task_name => |r| {
            let t = tasks(&r.tasks, 4);
            unknown!(t[0].name, d::TaskName, "ResizeClusterShardJob");
            unknown!(t[1].name, d::TaskName, "extend");
            known!(t[2].name, d::TaskName::Extend);
            unknown!(t[3].name, d::TaskName, "");
        },
        unknown_status => |r| {
            let t = tasks(&r.tasks, 4);
            unknown!(t[0].status, d::TaskStatus, "CANCELLED");
            unknown!(t[1].status, d::TaskStatus, "success");
            known!(t[2].status, d::TaskStatus::Executing);
            known!(t[3].status, d::TaskStatus::Failed);
        },
        unknown_cache_mode => |r| {
            let t = tasks(&r.tasks, 3);
            let details: Vec<&d::TaskDetails> =
                t.iter().map(|t| t.details.as_ref().expect("details")).collect();
            known!(details[0].old_cache_mode, d::CacheMode::Ha);
            known!(details[0].new_cache_mode, d::CacheMode::HaRwSplit);
            known!(details[1].old_cache_mode, d::CacheMode::Cluster);
            unknown!(details[1].new_cache_mode, d::CacheMode, "tiered_cluster");
            known!(details[2].old_cache_mode, d::CacheMode::Proxy);
            unknown!(details[2].new_cache_mode, d::CacheMode, "Single");
        },
        extra_fields => |r| {
            count(r.task_count, 1);
            let t = &tasks(&r.tasks, 1)[0];
            known!(t.name, d::TaskName::ChangeInstanceSpec);
            let details = t.details.as_ref().expect("details");
            dec(&details.old_capacity, "0.125");
            dec(&details.new_capacity, "0.25");
            ts(&t.created_at, "2023-06-17T08:18:06.597Z", at(2023, 6, 17, 8, 18, 6, 597));
            // Unknown keys at every level are dropped, even ones whose value
            // would not decode as a known field (sub_tasks[0].details).
            serializes_to!(r, {
                "task_count": 1,
                "tasks": [{
                    "id": "8abf6e1e72c12e7c0172c15b508500aa",
                    "name": "ChangeInstanceSpec",
                    "details": { "old_capacity": "0.125", "new_capacity": "0.25" },
                    "status": "SUCCESS",
                    "created_at": "2023-06-17T08:18:06.597Z"
                }]
            });
        },
        capacity_string => |r| {
            let details = tasks(&r.tasks, 1)[0].details.as_ref().expect("details");
            dec(&details.old_capacity, "0.125");
            dec(&details.new_capacity, "12.5");
        },
        capacity_number => |r| {
            let details = tasks(&r.tasks, 1)[0].details.as_ref().expect("details");
            dec(&details.old_capacity, "0.125");
            dec(&details.new_capacity, "12.5");
        },
        capacity_integer => |r| {
            let t = tasks(&r.tasks, 2);
            let first = t[0].details.as_ref().expect("details");
            dec(&first.old_capacity, "1");
            dec(&first.new_capacity, "1024");
            let second = t[1].details.as_ref().expect("details");
            dec(&second.old_capacity, "1");
            dec(&second.new_capacity, "0");
        },
        // The spec says the exact decimal text is significant, and `Decimal`
        // promises the text the service wrote for up to 15 significant digits.
        capacity_number_trailing_zeros => |r| {
            let details = tasks(&r.tasks, 1)[0].details.as_ref().expect("details");
            // JSON gives no meaning to a number's trailing zeros: the value
            // is kept exactly, written in its shortest form.
            dec(&details.old_capacity, "12.5");
            dec(&details.new_capacity, "1");
        },
        details_integers => |r| {
            let t = tasks(&r.tasks, 3);
            known!(t[0].name, d::TaskName::UpdatePort);
            let port = t[0].details.as_ref().expect("details");
            assert_eq!((port.old_port, port.new_port), (Some(6379), Some(6380)));
            known!(t[1].name, d::TaskName::AddReplica);
            let replicas = t[1].details.as_ref().expect("details");
            assert_eq!(replicas.old_replica_num, Some(1));
            assert_eq!(replicas.new_replica_num, Some(3));
            known!(t[2].name, d::TaskName::Modify);
            assert_eq!(t[2].details.as_ref().expect("details").updated_config_length, Some(0));
        },
        details_booleans => |r| {
            let t = tasks(&r.tasks, 2);
            known!(t[0].name, d::TaskName::BindEip);
            assert_eq!(t[0].enable_show, Some(false));
            let eip = t[0].details.as_ref().expect("details");
            assert_eq!(eip.enable_public_ip, Some(true));
            assert_eq!(eip.enable_ssl, Some(false));
            assert_eq!(eip.is_only_adjust_charging, None);
            assert_eq!(t[1].enable_show, Some(true));
            let extend = t[1].details.as_ref().expect("details");
            assert_eq!(extend.is_only_adjust_charging, Some(true));
            assert_eq!(extend.enable_public_ip, None);
        },
        details_rename_commands => |r| {
            let t = tasks(&r.tasks, 2);
            let first = t[0].details.as_ref().expect("details");
            assert_eq!(
                first.rename_commands.as_deref(),
                Some(&["flushall".to_string(), "keys".to_string(), "command".to_string()][..])
            );
            assert_eq!(first.updated_config_length, Some(3));
            let second = t[1].details.as_ref().expect("details");
            assert_eq!(second.rename_commands.as_deref(), Some(&[][..]), "[] is not null");
        },
        details_strings => |r| {
            let x = tasks(&r.tasks, 1)[0].details.as_ref().expect("details");
            assert_eq!(x.public_ip_id.as_deref(), Some("06a13350-4305-4338-9f0e-6b322bb1413d"));
            assert_eq!(x.public_ip_address.as_deref(), Some("192.0.2.10"));
            assert_eq!(x.old_resource_spec_code.as_deref(), Some("redis.ha.xu1.large.r2.2"));
            assert_eq!(x.new_resource_spec_code.as_deref(), Some("redis.ha.xu1.large.r2.4"));
            assert_eq!(x.old_cache_type.as_deref(), Some("ha"));
            assert_eq!(x.new_cache_type.as_deref(), Some("cluster"));
            assert_eq!(x.replica_ip.as_deref(), Some("192.168.0.12"));
            assert_eq!(x.replica_az.as_deref(), Some("ap-southeast-1a"));
            assert_eq!(x.group_name.as_deref(), Some("group-0"));
            assert_eq!(x.account_name.as_deref(), Some("readonly_user"));
            assert_eq!(x.source_ip.as_deref(), Some("192.168.0.10"));
            assert_eq!(x.target_ip.as_deref(), Some("192.168.0.11"));
            assert_eq!(x.node_name.as_deref(), Some("node-1"));
        },
        timestamp_offset_no_colon => |r| {
            let t = &tasks(&r.tasks, 1)[0];
            ts(&t.created_at, "2023-06-17T16:18:06.597+0800", at(2023, 6, 17, 8, 18, 6, 597));
            ts(&t.updated_at, "2023-06-17T16:18:10+0800", at(2023, 6, 17, 8, 18, 10, 0));
            offset(&t.created_at, 8 * 3600);
        },
        timestamp_offset_colon => |r| {
            let t = &tasks(&r.tasks, 1)[0];
            ts(&t.created_at, "2023-06-17T16:18:06.597+08:00", at(2023, 6, 17, 8, 18, 6, 597));
            ts(&t.updated_at, "2023-06-17T02:48:10.106-05:30", at(2023, 6, 17, 8, 18, 10, 106));
            offset(&t.created_at, 8 * 3600);
            offset(&t.updated_at, -(5 * 3600 + 30 * 60));
        },
        timestamp_without_millis => |r| {
            let t = &tasks(&r.tasks, 1)[0];
            ts(&t.created_at, "2020-06-17T07:38:42Z", at(2020, 6, 17, 7, 38, 42, 0));
            ts(&t.updated_at, "2020-06-17T07:38:42.5Z", at(2020, 6, 17, 7, 38, 42, 500));
        },
        // JSON escapes inside strings, enums, time stamps and decimals.
        escaped_strings => |r| {
            count(r.task_count, 1);
            let t = &tasks(&r.tasks, 1)[0];
            known!(t.name, d::TaskName::Extend);
            known!(t.status, d::TaskStatus::Success);
            assert_eq!(t.user_name.as_deref(), Some("caf\u{e9} \"ops\""));
            assert_eq!(t.params.as_deref(), Some(r#"{"old_port":6379,"path":"a\\b"}"#));
            ts(&t.created_at, "2023-06-17T08:18:06.597Z", at(2023, 6, 17, 8, 18, 6, 597));
            let details = t.details.as_ref().expect("details");
            known!(details.old_cache_mode, d::CacheMode::Ha);
            dec(&details.new_capacity, "0.25");
        },
    }

    dcs_instance: DcsInstance {
        timestamp_not_a_time => |r| {
            ts(&r.created_at, "2020-06-17T08:18:06.597Z", at(2020, 6, 17, 8, 18, 6, 597));
            not_a_time(&r.updated_at, "yesterday");
        },
        // The example puts status, created_at and updated_at beside `tasks`.
        seed_example => |r| {
            count(r.task_count, 1);
            let t = &tasks(&r.tasks, 1)[0];
            assert_eq!(t.id.as_deref(), Some("8abf6e1e72c12e7c0172c15b508500aa"));
            known!(t.name, d::TaskName::ChangeInstanceSpec);
            assert_eq!(t.user_name.as_deref(), Some("paas_dcs_a00421997_02"));
            assert_eq!(t.user_id.as_deref(), Some("d53977d1adfb49c5b025ba7d33a13fd7"));
            let details = t.details.as_ref().expect("details");
            known!(details.old_cache_mode, d::CacheMode::Single);
            known!(details.new_cache_mode, d::CacheMode::Single);
            dec(&details.old_capacity, "0.125");
            dec(&details.new_capacity, "0.25");
            assert!(t.status.is_none() && t.created_at.is_none() && t.updated_at.is_none());
            known!(r.status, d::TaskStatus::Success);
            ts(&r.created_at, "2020-06-17T08:18:06.597Z", at(2020, 6, 17, 8, 18, 6, 597));
            ts(&r.updated_at, "2020-06-17T08:18:10.106Z", at(2020, 6, 17, 8, 18, 10, 106));
        },
        // The parameter table's shape: status and times inside each task.
        per_task_fields => |r| {
            count(r.task_count, 2);
            assert!(r.status.is_none() && r.created_at.is_none() && r.updated_at.is_none());
            let t = tasks(&r.tasks, 2);
            let a = &t[0];
            known!(a.name, d::TaskName::ChangeInstanceSpec);
            assert_eq!(
                a.params.as_deref(),
                Some(r#"{"spec_code":"redis.ha.xu1.large.r2.4"}"#)
            );
            let details = a.details.as_ref().expect("details");
            known!(details.old_cache_mode, d::CacheMode::Ha);
            dec(&details.old_capacity, "2");
            dec(&details.new_capacity, "4");
            known!(a.status, d::TaskStatus::Executing);
            ts(&a.created_at, "2020-06-17T08:18:06.597Z", at(2020, 6, 17, 8, 18, 6, 597));
            ts(&a.updated_at, "2020-06-17T08:18:10.106Z", at(2020, 6, 17, 8, 18, 10, 106));
            assert_eq!(a.enable_show, Some(true));
            let b = &t[1];
            known!(b.name, d::TaskName::MasterStandbySwapJob);
            assert!(b.details.is_none());
            known!(b.status, d::TaskStatus::Failed);
            ts(&b.created_at, "2020-06-18T01:00:00.000Z", at(2020, 6, 18, 1, 0, 0, 0));
            ts(&b.updated_at, "2020-06-18T01:00:01.000Z", at(2020, 6, 18, 1, 0, 1, 0));
            assert_eq!(b.enable_show, Some(false));
        },
        task_count_string => |r| {
            count(r.task_count, 1);
            known!(tasks(&r.tasks, 1)[0].name, d::TaskName::AddWhitelist);
        },
        empty_object => |r| {
            assert_eq!(r.task_count, None);
            assert!(r.tasks.is_none() && r.status.is_none());
            assert!(r.created_at.is_none() && r.updated_at.is_none());
            serializes_to!(r, {});
        },
        top_level_nulls => |r| {
            assert_eq!(r.task_count, None);
            assert!(r.tasks.is_none() && r.status.is_none());
            assert!(r.created_at.is_none() && r.updated_at.is_none());
            serializes_to!(r, {});
        },
        nulls_everywhere => |r| {
            count(r.task_count, 1);
            let t = &tasks(&r.tasks, 1)[0];
            assert!(t.id.is_none() && t.name.is_none() && t.details.is_none());
            assert!(t.status.is_none() && t.created_at.is_none() && t.updated_at.is_none());
            assert!(t.user_name.is_none() && t.user_id.is_none() && t.params.is_none());
            assert_eq!(t.enable_show, None);
            serializes_to!(t, {});
            assert!(r.status.is_none() && r.created_at.is_none() && r.updated_at.is_none());
        },
        extra_fields => |r| {
            serializes_to!(r, {
                "task_count": 1,
                "tasks": [{
                    "id": "8abf6e1e72c12e7c0172c15b508500aa",
                    "name": "BindEip",
                    "details": { "enable_public_ip": true }
                }],
                "status": "SUCCESS"
            });
        },
        unknown_top_level_status => |r| {
            unknown!(r.status, d::TaskStatus, "PARTIAL_SUCCESS");
            let t = &tasks(&r.tasks, 1)[0];
            known!(t.name, d::TaskName::RemoveIpFromDns);
            known!(t.status, d::TaskStatus::Failed);
            ts(&r.created_at, "2020-06-17T08:18:06.597Z", at(2020, 6, 17, 8, 18, 6, 597));
            ts(&r.updated_at, "2020-06-17T08:18:10.106Z", at(2020, 6, 17, 8, 18, 10, 106));
        },
        timestamp_offsets => |r| {
            let t = &tasks(&r.tasks, 1)[0];
            ts(&t.created_at, "2020-06-17T16:18:06.597+08:00", at(2020, 6, 17, 8, 18, 6, 597));
            ts(&t.updated_at, "2020-06-17T16:18:10.106+0800", at(2020, 6, 17, 8, 18, 10, 106));
            ts(&r.created_at, "2020-06-17T16:18:06+0800", at(2020, 6, 17, 8, 18, 6, 0));
            ts(&r.updated_at, "2020-06-17T16:18:10.106+08:00", at(2020, 6, 17, 8, 18, 10, 106));
            offset(&r.created_at, 8 * 3600);
            offset(&r.updated_at, 8 * 3600);
        },
        capacity_mixed => |r| {
            let details = tasks(&r.tasks, 1)[0].details.as_ref().expect("details");
            dec(&details.old_capacity, "0.125");
            dec(&details.new_capacity, "1");
            assert_eq!(details.old_replica_num, Some(2));
            assert_eq!(details.new_replica_num, Some(2));
        },
    }

    rabbitmq: Rabbitmq {
        timestamp_not_a_time => |r| {
            not_a_time(&tasks(&r.tasks, 1)[0].created_at, "yesterday");
        },
        // task_count as a string, params as JSON in a string.
        seed_example => |r| {
            count(r.task_count, 1);
            let t = &tasks(&r.tasks, 1)[0];
            assert_eq!(t.id.as_deref(), Some("ff80808272dcc90f0172df1e490f41b0"));
            assert_eq!(t.name.as_deref(), Some("bindInstancePublicIp"));
            assert_eq!(t.user_name.as_deref(), Some("dms_test"));
            assert_eq!(t.user_id.as_deref(), Some("xxxxxxxx93ff484a828144c6xxxxxxxx"));
            assert_eq!(
                t.params.as_deref(),
                Some(concat!(
                    r#"{"public_ip_id":"06a13350-4305-4338-9f0e-6b322bb1413d","#,
                    r#""public_ip_address":"xx.xx.xx.xx","enable_public_ip":true}"#
                ))
            );
            known!(t.status, rmq::TaskStatus::Success);
            ts(&t.created_at, "2020-06-23T03:00:03.471Z", at(2020, 6, 23, 3, 0, 3, 471));
            ts(&t.updated_at, "2020-06-23T03:00:08.130Z", at(2020, 6, 23, 3, 0, 8, 130));
        },
        task_count_number => |r| {
            count(r.task_count, 2);
            let t = tasks(&r.tasks, 2);
            assert_eq!(t[0].name.as_deref(), Some("bindInstancePublicIp"));
            assert_eq!(t[1].name.as_deref(), Some("unbindInstancePublicIp"));
        },
        known_statuses => |r| {
            count(r.task_count, 6);
            let t = tasks(&r.tasks, 6);
            known!(t[0].status, rmq::TaskStatus::Created);
            known!(t[1].status, rmq::TaskStatus::Success);
            known!(t[2].status, rmq::TaskStatus::Failed);
            known!(t[3].status, rmq::TaskStatus::Deleted);
            known!(t[4].status, rmq::TaskStatus::Executing);
            known!(t[5].status, rmq::TaskStatus::Cancelled);
        },
        unknown_status => |r| {
            let t = tasks(&r.tasks, 2);
            unknown!(t[0].status, rmq::TaskStatus, "ROLLBACKING");
            unknown!(t[1].status, rmq::TaskStatus, "success");
            assert_eq!(t[0].name.as_deref(), Some("restartInstance"));
        },
        empty_object => |r| {
            assert_eq!(r.task_count, None);
            assert!(r.tasks.is_none());
            serializes_to!(r, {});
        },
        top_level_nulls => |r| {
            assert_eq!(r.task_count, None);
            assert!(r.tasks.is_none());
            serializes_to!(r, {});
        },
        nulls_everywhere => |r| {
            count(r.task_count, 1);
            let t = &tasks(&r.tasks, 1)[0];
            assert!(t.id.is_none() && t.name.is_none() && t.status.is_none());
            assert!(t.user_name.is_none() && t.user_id.is_none() && t.params.is_none());
            assert!(t.created_at.is_none() && t.updated_at.is_none());
            serializes_to!(t, {});
        },
        task_only_id => |r| {
            count(r.task_count, 1);
            let t = &tasks(&r.tasks, 1)[0];
            assert!(t.name.is_none() && t.status.is_none() && t.created_at.is_none());
            serializes_to!(t, { "id": "ff80808272dcc90f0172df1e490f41b0" });
        },
        // Includes keys other services have (details, enable_show) with
        // values that would not decode there.
        extra_fields => |r| {
            serializes_to!(r, {
                "task_count": 1,
                "tasks": [{
                    "id": "ff80808272dcc90f0172df1e490f41b0",
                    "name": "bindInstancePublicIp",
                    "status": "SUCCESS",
                    "created_at": "2020-06-23T03:00:03.471Z",
                    "updated_at": "2020-06-23T03:00:08.130Z"
                }]
            });
        },
        timestamp_offsets => |r| {
            let t = &tasks(&r.tasks, 1)[0];
            ts(&t.created_at, "2020-06-23T11:00:03.471+0800", at(2020, 6, 23, 3, 0, 3, 471));
            ts(&t.updated_at, "2020-06-23T11:00:08.130+08:00", at(2020, 6, 23, 3, 0, 8, 130));
            offset(&t.created_at, 8 * 3600);
            offset(&t.updated_at, 8 * 3600);
        },
    }

    opengauss: Opengauss {
        timestamp_not_a_time => |r| {
            let t = &tasks(&r.tasks, 1)[0];
            ts(&t.created_at, "2022-08-05T08:15:07+0800", at(2022, 8, 5, 0, 15, 7, 0));
            not_a_time(&t.ended_at, "yesterday");
        },
        // Offsets without a colon (+0800), fail_reason null, process "".
        seed_example => |r| {
            count(r.total_count, 2);
            let t = tasks(&r.tasks, 2);
            let a = &t[0];
            let info = a.instance_info.as_ref().expect("instance_info");
            assert_eq!(info.instance_id.as_deref(), Some("ce2dce50f365430abe161bab79495a6ein14"));
            assert_eq!(info.instance_name.as_deref(), Some("gauss-6568-zzh"));
            known!(info.instance_status, og::InstanceStatus::Creating);
            assert_eq!(a.job_id.as_deref(), Some("03bc055a-135c-4245-8bd8-b0bc6d3350b3"));
            known!(a.name, og::TaskName::CreateGaussDbv5Instance);
            known!(a.status, og::TaskStatus::Failed);
            assert_eq!(a.process.as_deref(), Some(""), "an empty string is not null");
            ts(&a.created_at, "2022-08-05T08:15:07+0800", at(2022, 8, 5, 0, 15, 7, 0));
            ts(&a.ended_at, "2022-08-09T03:06:52+0800", at(2022, 8, 8, 19, 6, 52, 0));
            offset(&a.created_at, 8 * 3600);
            assert_eq!(a.fail_reason.as_deref(), Some("500000"));
            let b = &t[1];
            let info = b.instance_info.as_ref().expect("instance_info");
            assert_eq!(info.instance_id.as_deref(), Some("20ba433bd7ee40da9cf35064f04f9e4cin14"));
            assert_eq!(info.instance_name.as_deref(), Some("gauss-7875-lt-m"));
            known!(info.instance_status, og::InstanceStatus::Deleted);
            assert_eq!(b.job_id.as_deref(), Some("2cc16e0b-75ab-4a28-9453-16517e990bba"));
            known!(b.name, og::TaskName::DeleteGaussDbv5Instance);
            known!(b.status, og::TaskStatus::Completed);
            assert_eq!(b.process.as_deref(), Some(""));
            ts(&b.created_at, "2022-08-06T09:15:07+0800", at(2022, 8, 6, 1, 15, 7, 0));
            ts(&b.ended_at, "2022-08-10T03:06:52+0800", at(2022, 8, 9, 19, 6, 52, 0));
            assert_eq!(b.fail_reason, None);
        },
        // The counts of the other services come as strings and numbers.
        total_count_string => |r| {
            count(r.total_count, 2);
            let t = tasks(&r.tasks, 2);
            assert_eq!(t[0].job_id.as_deref(), Some("03bc055a-135c-4245-8bd8-b0bc6d3350b3"));
        },
        empty_object => |r| {
            assert_eq!(r.total_count, None::<Count>);
            assert!(r.tasks.is_none());
            serializes_to!(r, {});
        },
        top_level_nulls => |r| {
            assert_eq!(r.total_count, None::<Count>);
            assert!(r.tasks.is_none());
            serializes_to!(r, {});
        },
        nulls_everywhere => |r| {
            count(r.total_count, 2);
            let t = tasks(&r.tasks, 2);
            let a = &t[0];
            assert!(a.instance_info.is_none() && a.job_id.is_none() && a.name.is_none());
            assert!(a.status.is_none() && a.process.is_none() && a.fail_reason.is_none());
            assert!(a.created_at.is_none() && a.ended_at.is_none());
            serializes_to!(a, {});
            let info = t[1].instance_info.as_ref().expect("instance_info with null fields");
            assert!(info.instance_id.is_none() && info.instance_name.is_none());
            assert!(info.instance_status.is_none());
            serializes_to!(info, {});
        },
        task_only_job_id => |r| {
            count(r.total_count, 1);
            let t = &tasks(&r.tasks, 1)[0];
            assert!(t.instance_info.is_none() && t.name.is_none() && t.created_at.is_none());
            serializes_to!(t, { "job_id": "03bc055a-135c-4245-8bd8-b0bc6d3350b3" });
        },
        unknown_enums => |r| {
            let t = tasks(&r.tasks, 2);
            let info = t[0].instance_info.as_ref().expect("instance_info");
            unknown!(info.instance_status, og::InstanceStatus, "frozen");
            unknown!(t[0].name, og::TaskName, "UpgradeGaussDBV5Instance");
            unknown!(t[0].status, og::TaskStatus, "Pending");
            let info = t[1].instance_info.as_ref().expect("instance_info");
            unknown!(info.instance_status, og::InstanceStatus, "Normal");
            unknown!(t[1].name, og::TaskName, "createGaussDBV5Instance");
            unknown!(t[1].status, og::TaskStatus, "running");
        },
        known_instance_statuses => |r| {
            count(r.total_count, 3);
            let t = tasks(&r.tasks, 3);
            let status = |i: usize| t[i].instance_info.as_ref().expect("instance_info");
            known!(status(0).instance_status, og::InstanceStatus::Normal);
            known!(status(1).instance_status, og::InstanceStatus::Abnormal);
            known!(status(2).instance_status, og::InstanceStatus::Createfail);
            known!(t[0].status, og::TaskStatus::Running);
            known!(t[1].status, og::TaskStatus::Completed);
            known!(t[2].status, og::TaskStatus::Failed);
            assert_eq!(t[0].process.as_deref(), Some("45%"));
            assert_eq!(t[1].process.as_deref(), Some("100%"));
            assert_eq!(t[2].process, None);
            assert_eq!(t[2].fail_reason.as_deref(), Some("DBS.200019"));
        },
        extra_fields => |r| {
            serializes_to!(r, {
                "tasks": [{
                    "instance_info": {
                        "instance_id": "ce2dce50f365430abe161bab79495a6ein14",
                        "instance_name": "gauss-6568-zzh",
                        "instance_status": "creating"
                    },
                    "job_id": "03bc055a-135c-4245-8bd8-b0bc6d3350b3",
                    "name": "CreateGaussDBV5Instance",
                    "status": "Running",
                    "process": "10",
                    "created_at": "2022-08-05T08:15:07+0800"
                }],
                "total_count": 1
            });
        },
        timestamp_utc_millis => |r| {
            let t = &tasks(&r.tasks, 1)[0];
            ts(&t.created_at, "2022-08-05T00:15:07.250Z", at(2022, 8, 5, 0, 15, 7, 250));
            ts(&t.ended_at, "2022-08-09T03:06:52Z", at(2022, 8, 9, 3, 6, 52, 0));
            offset(&t.created_at, 0);
        },
        timestamp_offset_colon => |r| {
            let t = &tasks(&r.tasks, 1)[0];
            ts(&t.created_at, "2022-08-05T08:15:07+08:00", at(2022, 8, 5, 0, 15, 7, 0));
            ts(&t.ended_at, "2022-08-08T22:06:52-05:00", at(2022, 8, 9, 3, 6, 52, 0));
            offset(&t.ended_at, -5 * 3600);
        },
    }
}

invalid_cases! {
    dcs_center: DcsCenter {
        invalid_task_count_abc => ("task_count", "\"abc\""),
        invalid_task_count_negative => ("task_count", "-1"),
        // 2^64 does not fit a u64; it must not saturate to u64::MAX.
        invalid_task_count_too_large => ("task_count", "count"),
        invalid_old_capacity_lots => ("tasks[0].details.old_capacity", "\"lots\""),
        invalid_tasks_object => ("tasks", "invalid type: map"),
    }
    dcs_instance: DcsInstance {
        invalid_new_capacity_lots => ("tasks[0].details.new_capacity", "\"lots\""),
    }
    rabbitmq: Rabbitmq {
        invalid_task_count_abc => ("task_count", "\"abc\""),
        invalid_task_count_negative => ("task_count", "\"-1\""),
        invalid_tasks_object => ("tasks", "invalid type: map"),
    }
    opengauss: Opengauss {
        invalid_tasks_object => ("tasks", "invalid type: map"),
        invalid_total_count_abc => ("total_count", "abc"),
        invalid_total_count_negative => ("total_count", "-1"),
    }
}

// ---------------------------------------------------------------------------
// The tables against the directory, and the error's metadata
// ---------------------------------------------------------------------------

fn files_under(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files_under(root, &path, out);
        } else {
            let relative = path.strip_prefix(root).expect("under the root");
            out.insert(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn every_corpus_file_has_assertions() {
    let root = corpus_root();
    let mut on_disk = BTreeSet::new();
    files_under(&root, &root, &mut on_disk);

    let mut covered = BTreeSet::new();
    for (dir, file) in DECODE_CASES {
        assert!(
            !file.starts_with("invalid_"),
            "{dir}/{file} is in the decode table"
        );
        assert!(
            covered.insert(format!("{dir}/{file}")),
            "{dir}/{file} twice"
        );
    }
    for (dir, file) in INVALID_CASES {
        assert!(
            file.starts_with("invalid_"),
            "{dir}/{file} is in the invalid table"
        );
        assert!(
            covered.insert(format!("{dir}/{file}")),
            "{dir}/{file} twice"
        );
    }

    let without_assertions: Vec<_> = on_disk.difference(&covered).collect();
    assert!(
        without_assertions.is_empty(),
        "corpus files without an entry in decode_corpus.rs: {without_assertions:?}"
    );
    let missing: Vec<_> = covered.difference(&on_disk).collect();
    assert!(
        missing.is_empty(),
        "table entries without a file: {missing:?}"
    );

    // Every service has its seed example.
    for dir in [
        DcsCenter::DIR,
        DcsInstance::DIR,
        Rabbitmq::DIR,
        Opengauss::DIR,
    ] {
        assert!(
            on_disk.contains(&format!("{dir}/seed_example.json")),
            "{dir}"
        );
    }
}

/// `seed_example.json` is the spec's own 200 example, and decoding it loses
/// no field.
async fn seed_is_the_spec_example<A: Api>() {
    let (file, template) = A::SPEC;
    let document = workspace_tests::spec_document(file);
    let response = deref(
        &document,
        &document["paths"][template]["get"]["responses"]["200"],
    );
    let example = &response["content"]["application/json"]["example"];
    assert!(example.is_object(), "{file} {template}: no 200 example");
    let body = corpus_file(A::DIR, "seed_example.json");
    let seed: Value = serde_json::from_slice(&body).expect("seed is JSON");
    assert_eq!(
        &seed,
        example,
        "{}/seed_example.json differs from the 200 example of {file} {template}",
        A::DIR
    );
    let decoded = call::<A>(&body).await.expect("the seed decodes");
    assert_eq!(
        normalized(&A::to_json(&decoded)),
        normalized(&seed),
        "{}: decoding the spec's example lost or changed a field",
        A::DIR
    );
}

#[tokio::test]
async fn seed_examples_are_the_specs_examples_and_lose_no_field() {
    seed_is_the_spec_example::<DcsCenter>().await;
    seed_is_the_spec_example::<DcsInstance>().await;
    seed_is_the_spec_example::<Rabbitmq>().await;
    seed_is_the_spec_example::<Opengauss>().await;
}

/// The assertions above can fail: a wrong expectation is caught.
#[tokio::test]
async fn a_wrong_expectation_fails() {
    let body = corpus_file(DcsCenter::DIR, "seed_example.json");
    let decoded = call::<DcsCenter>(&body).await.expect("decodes");
    let caught = std::panic::catch_unwind(|| count(decoded.task_count, 3));
    assert!(caught.is_err(), "count 2 must not pass as 3");
    let t = &decoded.tasks.as_ref().expect("tasks")[0];
    let details = t.details.as_ref().expect("details");
    assert!(std::panic::catch_unwind(|| dec(&details.old_capacity, "0.1250")).is_err());
    assert!(
        std::panic::catch_unwind(|| ts(
            &t.created_at,
            "2023-06-17T08:18:06.597Z",
            at(2023, 6, 17, 8, 18, 6, 598)
        ))
        .is_err()
    );
    let unknown_name = std::panic::catch_unwind(|| {
        unknown!(t.name, d::TaskName, "ChangeInstanceSpec");
    });
    assert!(unknown_name.is_err(), "a known name is not Unknown");
}
