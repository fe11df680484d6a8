//! Decoding for every operation of every service, driven by the operation
//! table (`workspace_tests::operations`, written from the published
//! documents), so an operation added to a spec is covered without editing
//! this file:
//!
//! - the documented success example decodes through the generated client and
//!   loses no field;
//! - the same example with an unknown member added to every object decodes
//!   to the same value;
//! - every case in `tests/data/operations/<module>/<OperationId>/`
//!   decodes with the values its file states, or (`invalid_at`) fails as a
//!   decode error naming the JSON path and keeping the raw body. The
//!   directories are found by listing, and each must name an operation of
//!   the table.
//!
//! A case file is `{"body": ..., "expect": {"/json/pointer": value, ...}}`
//! (pointers into the decoded response encoded again, compared after
//! [`normalized`]) or `{"body": ..., "invalid_at": "tasks[0].field"}`.
//! `tests/decode_corpus.rs` holds the older, typed corpus of the first
//! services' lists.

use std::path::PathBuf;

use huaweicloud_tasks::{Config, Error, ErrorKind, RetryPolicy};
use serde_json::{Value, json};
use workspace_tests::normalized;
use workspace_tests::operations::{self, Endpoint, Operation};
use workspace_tests::wire::{json_response, server_answering};

/// Serves `body` with the operation's documented status and calls it.
async fn decode(op: &Operation, body: &Value) -> Result<Value, Error> {
    let server = server_answering(
        json_response(op.status, body).insert_header("X-Request-Id", "every-operation-0001"),
    )
    .await;
    let config = Config::anonymous()
        .endpoint(server.uri())
        .retry(RetryPolicy::disabled());
    (op.call)(Endpoint::new(&config, op.service(), None)).await
}

/// `value` with a member no spec declares added to every object.
/// The member added to every object of an example.
const UNKNOWN: &str = "x_undocumented";

/// A value without the members [`with_unknown_members`] added: a free-form
/// object (CCE's `extendParam`) keeps them, as it keeps any member.
fn without_unknown_members(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| k.as_str() != UNKNOWN)
                .map(|(k, v)| (k.clone(), without_unknown_members(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_unknown_members).collect()),
        other => other.clone(),
    }
}

fn with_unknown_members(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out: serde_json::Map<String, Value> = map
                .iter()
                .map(|(k, v)| (k.clone(), with_unknown_members(v)))
                .collect();
            out.insert(UNKNOWN.into(), json!({"nested": [1, "two", null]}));
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(with_unknown_members).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn every_documented_example_decodes_without_losing_a_field() {
    let mut decoded = 0;
    for op in operations::all().iter().filter(|op| op.has_body) {
        let label = op.label();
        let example = op
            .example()
            .unwrap_or_else(|| panic!("{label}: no success example"));
        let value = decode(op, &example)
            .await
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(
            normalized(&value),
            normalized(&example),
            "{label}: decoding lost or changed a field"
        );
        let value_again = decode(op, &with_unknown_members(&example))
            .await
            .unwrap_or_else(|e| panic!("{label} with unknown members: {e}"));
        assert_eq!(
            without_unknown_members(&value_again),
            value,
            "{label}: unknown members changed the value"
        );
        decoded += 1;
    }
    assert!(decoded > 0, "no operation with a body");
}

fn corpus_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/operations"))
}

/// Every case file, as (module, operationId, file name, contents).
fn cases() -> Vec<(String, String, String, Value)> {
    let mut out = Vec::new();
    let sorted = |dir: &std::path::Path| {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .collect();
        entries.sort();
        entries
    };
    let name = |path: &std::path::Path| path.file_name().unwrap().to_string_lossy().into_owned();
    for module in sorted(&corpus_root()) {
        for operation in sorted(&module) {
            for file in sorted(&operation) {
                let text = std::fs::read_to_string(&file).expect("case file");
                let case: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                out.push((name(&module), name(&operation), name(&file), case));
            }
        }
    }
    out
}

#[tokio::test]
async fn every_corpus_case_decodes_as_its_file_states() {
    let all = operations::all();
    let cases = cases();
    assert!(
        !cases.is_empty(),
        "no case under {}",
        corpus_root().display()
    );
    for (module, operation, file, case) in cases {
        let label = format!("{module}/{operation}/{file}");
        let op = all
            .iter()
            .find(|op| op.module == module && op.name == operation)
            .unwrap_or_else(|| panic!("{label}: no operation {operation} of {module}"));
        assert!(op.has_body, "{label}: the operation has no body to decode");
        let body = &case["body"];
        let result = decode(op, body).await;
        if let Some(json_path) = case["invalid_at"].as_str() {
            let error = result.expect_err(&label);
            assert_eq!(error.kind(), ErrorKind::Decode, "{label}: {error}");
            assert_eq!(error.json_path(), Some(json_path), "{label}: {error}");
            assert_eq!(error.operation(), op.name, "{label}");
            assert_eq!(error.request_id(), Some("every-operation-0001"), "{label}");
            let kept: Value = serde_json::from_slice(error.body().expect("the raw body"))
                .expect("the raw body is the JSON sent");
            assert_eq!(&kept, body, "{label}: the raw body is kept");
            continue;
        }
        let value = result.unwrap_or_else(|e| panic!("{label}: {e}"));
        let expect = case["expect"]
            .as_object()
            .unwrap_or_else(|| panic!("{label}: neither `expect` nor `invalid_at`"));
        assert!(!expect.is_empty(), "{label}: nothing expected");
        for (pointer, expected) in expect {
            let found = value.pointer(pointer).unwrap_or(&Value::Null);
            assert_eq!(
                normalized(found),
                normalized(expected),
                "{label}: {pointer} in {value}"
            );
        }
        // Encoded again and sent again, it decodes to the same value.
        let again = decode(op, &value)
            .await
            .unwrap_or_else(|e| panic!("{label} encoded again: {e}"));
        assert_eq!(again, value, "{label}: not stable when encoded again");
    }
}
