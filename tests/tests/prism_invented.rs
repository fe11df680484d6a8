//! Responses invented from the published documents: Prism's dynamic mode
//! (asked for per request with `Prefer: dynamic=true`, the per-request form
//! of `prism mock -d`) generates a fresh body from each operation's response
//! schema, with values the examples never show (long and negative numbers,
//! numbers where a string is allowed and the reverse, empty and missing
//! members, arbitrary text). Every one must decode with the generated client.
//!
//! Every operation of every published document is called
//! (`workspace_tests::operations`, checked against `SERVICES`, so none is
//! named here) through its typed builder against the Prism mock of its
//! service, `PRISM_INVENTED_RESPONSES` times (default 250). A response that
//! does not decode is a disagreement between the published schema and the
//! generated model: the failure lists each one with its JSON path and body.
//!
//! Ignored by a plain `cargo test`: `.ci/contract-test` starts one Prism per
//! service, names them in `PRISM_<MODULE>_URL` and runs this with
//! `--ignored`, next to `prism_contract.rs`.

use std::time::Instant;

use futures::StreamExt;
use huaweicloud_tasks::{Config, Credentials, RetryPolicy};
use workspace_tests::operations::{self, Endpoint, Operation};

/// Calls in flight per service (each service has its own Prism).
const IN_FLIGHT: usize = 4;

/// `PRISM_INVENTED_RESPONSES`, default 250; zero or a non-number is
/// refused, since it would pass without deciding anything.
fn responses_per_operation() -> usize {
    workspace_tests::properties::count_from_env("PRISM_INVENTED_RESPONSES", 250)
}

/// The URL of the Prism serving `module`; fails the test when it is not set.
fn prism_url(module: &str) -> String {
    let var = format!("PRISM_{}_URL", module.to_uppercase());
    match std::env::var(&var) {
        Ok(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_string(),
        _ => panic!("{var} is not set: `bash .ci/contract-test` starts Prism and runs this test"),
    }
}

/// An HTTP client asking Prism to invent each response.
fn dynamic() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "prefer",
        reqwest::header::HeaderValue::from_static("dynamic=true"),
    );
    workspace_tests::plain_http_builder()
        .default_headers(headers)
        .build()
        .expect("HTTP client")
}

/// One response that did not decode.
struct Failure {
    operation: String,
    error: String,
    body: String,
}

/// Calls `op` `count` times and returns the failures.
async fn invent(op: &'static Operation, count: usize) -> Vec<Failure> {
    let config = Config::new(Credentials::access_key("AK", "SK").expect("credentials"))
        .endpoint(prism_url(op.module))
        .retry(RetryPolicy::disabled());
    let endpoint = Endpoint::new(&config, op.service(), Some(dynamic()));
    futures::stream::iter(0..count)
        .map(|_| (op.call)(endpoint.clone()))
        .buffer_unordered(IN_FLIGHT)
        .filter_map(|result| async move {
            let error = result.err()?;
            Some(Failure {
                operation: op.label(),
                body: error
                    .body()
                    .map(|b| String::from_utf8_lossy(b).chars().take(600).collect())
                    .unwrap_or_default(),
                error: error.to_string(),
            })
        })
        .collect()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Prism: run by .ci/contract-test"]
async fn every_operation_decodes_what_prism_invents() {
    let count = responses_per_operation();
    let all = operations::all();
    let started = Instant::now();
    // The services side by side (one Prism each), their operations in turn.
    let mut modules: Vec<&str> = all.iter().map(|op| op.module).collect();
    modules.dedup();
    let per_service = modules.iter().map(|module| async move {
        let mut failures = Vec::new();
        for op in all.iter().filter(|op| op.module == *module) {
            failures.extend(invent(op, count).await);
        }
        failures
    });
    let failures: Vec<Failure> = futures::future::join_all(per_service)
        .await
        .into_iter()
        .flatten()
        .collect();
    eprintln!(
        "{} invented responses ({count} for each of {} operations of {} services) in {:.1} s",
        count * all.len(),
        all.len(),
        modules.len(),
        started.elapsed().as_secs_f64()
    );
    if !failures.is_empty() {
        let mut report = String::new();
        for failure in failures.iter().take(25) {
            report.push_str(&format!(
                "\n- {}: {}\n  body: {}",
                failure.operation, failure.error, failure.body
            ));
        }
        panic!(
            "{} of {} invented responses did not decode (first 25):{report}",
            failures.len(),
            count * all.len()
        );
    }
}
