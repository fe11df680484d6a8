//! Random mutations of the decode corpus (`tests/data/responses/`), served
//! over a loopback socket and decoded by every operation that has a response
//! body, through the generated client: flipped bytes, truncations, values of
//! another JSON type, deleted and duplicated keys, nesting up to 12,000
//! levels deep.
//!
//! Whatever the bytes, decoding must not panic (a panic fails the property)
//! and must either succeed or fail as a decode error that names the JSON path
//! of the offending value (`tasks[0].status`, `.` for the whole body) in its
//! one line, keeping the status and the raw body as served. (Bytes after a
//! complete value have no place inside it: there the crate names the line
//! and column instead.) The case count
//! keeps the file within a few seconds in a debug build; raise it with
//! `PROPTEST_CASES=5000` for a longer search.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use huaweicloud_tasks::{Config, ErrorKind, RetryPolicy};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::Value;
use workspace_tests::operations::{self, Endpoint, Operation};
use workspace_tests::scripted::{Conn, Scripted, head};

/// What the server answers next: status and body.
type Slot = Arc<Mutex<(u16, Vec<u8>)>>;

struct Fixture {
    runtime: tokio::runtime::Runtime,
    slot: Slot,
    /// One call at a time: the tests of this file share the server.
    turn: Mutex<()>,
    /// Every operation with a JSON body, with an endpoint on the server.
    targets: Vec<(&'static Operation, Endpoint)>,
    /// Held so the server keeps accepting.
    _server: Scripted,
    seeds: Vec<(String, Vec<u8>)>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let slot: Slot = Arc::new(Mutex::new((200, Vec::new())));
        let answers = slot.clone();
        let server = runtime.block_on(Scripted::start(move |mut conn: Conn| {
            let answers = answers.clone();
            async move {
                while conn.read_request().await.is_some() {
                    let (status, body) = answers.lock().unwrap().clone();
                    let reason = format!("{status} OK");
                    let headers = [
                        ("Content-Type", "application/json"),
                        ("X-Request-Id", "mutation"),
                    ];
                    let mut bytes = head(&reason, &headers, Some(body.len())).into_bytes();
                    bytes.extend_from_slice(&body);
                    conn.write(bytes).await;
                }
            }
        }));
        let config = Config::anonymous()
            .endpoint(server.url())
            .retry(RetryPolicy::disabled());
        let targets = runtime.block_on(async {
            operations::all()
                .iter()
                .filter(|op| op.has_body)
                .map(|op| (op, Endpoint::new(&config, op.service(), None)))
                .collect()
        });
        Fixture {
            runtime,
            slot,
            turn: Mutex::new(()),
            targets,
            _server: server,
            seeds: seeds(),
        }
    })
}

/// Every corpus file, valid and invalid.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/responses"));
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).expect("the corpus") {
        let dir = dir.expect("entry").path();
        for file in std::fs::read_dir(&dir).expect("a corpus directory") {
            let path = file.expect("entry").path();
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            out.push((name, std::fs::read(&path).expect("a corpus file")));
        }
    }
    out.sort();
    assert!(
        out.len() > 20,
        "corpus at {} has {} files",
        root.display(),
        out.len()
    );
    out
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

/// A JSON type to put in place of a value.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Null,
    Bool,
    Number,
    NegativeNumber,
    Float,
    Huge,
    String,
    Object,
    Array,
}

impl Kind {
    fn text(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "true",
            Kind::Number => "7",
            Kind::NegativeNumber => "-1",
            Kind::Float => "0.5e3",
            Kind::Huge => "184467440737095516160",
            Kind::String => r#""lots""#,
            Kind::Object => r#"{"k": 1}"#,
            Kind::Array => "[1, \"a\", null]",
        }
    }
}

/// One change, at the n-th value (pre-order, modulo the count) or byte.
#[derive(Clone, Debug)]
enum Mutation {
    /// Replace a value by one of another type.
    Swap { node: usize, to: Kind },
    /// Remove the first member of an object.
    DeleteKey { node: usize },
    /// Repeat the first key of an object with another value.
    DuplicateKey { node: usize, to: Kind },
    /// Wrap a value in `depth` arrays (or objects).
    Nest {
        node: usize,
        depth: usize,
        objects: bool,
    },
}

/// Changes made to the text after the JSON ones.
#[derive(Clone, Debug)]
enum ByteChange {
    Flip { at: usize, bit: u8 },
    Truncate { at: usize },
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Null),
        Just(Kind::Bool),
        Just(Kind::Number),
        Just(Kind::NegativeNumber),
        Just(Kind::Float),
        Just(Kind::Huge),
        Just(Kind::String),
        Just(Kind::Object),
        Just(Kind::Array),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), kind()).prop_map(|(node, to)| Mutation::Swap { node, to }),
        2 => any::<usize>().prop_map(|node| Mutation::DeleteKey { node }),
        2 => (any::<usize>(), kind()).prop_map(|(node, to)| Mutation::DuplicateKey { node, to }),
        1 => (any::<usize>(), prop_oneof![1usize..200, 10_000usize..12_000], any::<bool>())
            .prop_map(|(node, depth, objects)| Mutation::Nest { node, depth, objects }),
    ]
}

fn byte_change() -> impl Strategy<Value = ByteChange> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| ByteChange::Flip { at, bit }),
        any::<usize>().prop_map(|at| ByteChange::Truncate { at }),
    ]
}

/// Writes `value` as JSON text, applying `mutation` at its node.
fn write(value: &Value, mutation: &Mutation, counter: &mut usize, out: &mut String) {
    let me = *counter;
    *counter += 1;
    let target = |node: usize| node == me;
    match mutation {
        Mutation::Swap { node, to } if target(*node) => return out.push_str(to.text()),
        Mutation::Nest {
            node,
            depth,
            objects,
        } if target(*node) => {
            let (open, close) = if *objects {
                (r#"{"n": "#, "}")
            } else {
                ("[", "]")
            };
            out.push_str(&open.repeat(*depth));
            write(
                value,
                &Mutation::DeleteKey { node: usize::MAX },
                counter,
                out,
            );
            return out.push_str(&close.repeat(*depth));
        }
        _ => {}
    }
    match value {
        Value::Object(map) => {
            out.push('{');
            let skip_first = matches!(mutation, Mutation::DeleteKey { node } if target(*node));
            let mut first = true;
            for (key, member) in map.iter().skip(usize::from(skip_first)) {
                if !first {
                    out.push_str(", ");
                }
                first = false;
                out.push_str(&serde_json::to_string(key).unwrap());
                out.push_str(": ");
                write(member, mutation, counter, out);
            }
            if let (Mutation::DuplicateKey { node, to }, Some(key)) = (mutation, map.keys().next())
                && target(*node)
            {
                out.push_str(&format!(
                    ", {}: {}",
                    serde_json::to_string(key).unwrap(),
                    to.text()
                ));
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(item, mutation, counter, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The number of values in a document.
fn count(value: &Value) -> usize {
    1 + match value {
        Value::Object(map) => map.values().map(count).sum(),
        Value::Array(items) => items.iter().map(count).sum(),
        _ => 0,
    }
}

fn mutated(seed: &[u8], mutations: &[Mutation], bytes: &[ByteChange]) -> Vec<u8> {
    let mut text = seed.to_vec();
    for mutation in mutations {
        // A document a byte change already broke is no longer JSON.
        let Ok(value) = serde_json::from_slice::<Value>(&text) else {
            break;
        };
        let nodes = count(&value);
        let at = |node: usize| node % nodes;
        let mutation = match mutation.clone() {
            Mutation::Swap { node, to } => Mutation::Swap { node: at(node), to },
            Mutation::DeleteKey { node } => Mutation::DeleteKey { node: at(node) },
            Mutation::DuplicateKey { node, to } => Mutation::DuplicateKey { node: at(node), to },
            Mutation::Nest {
                node,
                depth,
                objects,
            } => Mutation::Nest {
                node: at(node),
                depth,
                objects,
            },
        };
        let mut out = String::new();
        write(&value, &mutation, &mut 0, &mut out);
        text = out.into_bytes();
    }
    for change in bytes {
        match *change {
            ByteChange::Flip { at, bit } if !text.is_empty() => {
                let at = at % text.len();
                text[at] ^= 1 << bit;
            }
            ByteChange::Truncate { at } => text.truncate(at % (text.len() + 1)),
            ByteChange::Flip { .. } => {}
        }
    }
    text
}

// ---------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------

/// Serves `body` once with `op`'s success status and calls `op`.
fn serve_and_call(
    op: &Operation,
    endpoint: &Endpoint,
    body: &[u8],
) -> Result<Value, huaweicloud_tasks::Error> {
    let fixture = fixture();
    let _turn = fixture.turn.lock().unwrap_or_else(|e| e.into_inner());
    *fixture.slot.lock().unwrap() = (op.status, body.to_vec());
    fixture.runtime.block_on((op.call)(endpoint.clone()))
}

/// A path as `serde_path_to_error` writes it (`.`, `tasks[0].status`), not
/// a position (`line 1 column 5`).
fn is_json_path(path: &str) -> bool {
    path == "." || !(path.starts_with("line ") && path.contains(" column "))
}

/// Serves `body` to every operation with a body and checks each outcome.
fn decode_everywhere(body: &[u8]) -> Result<(), TestCaseError> {
    let fixture = fixture();
    for (op, endpoint) in &fixture.targets {
        let Err(error) = serve_and_call(op, endpoint, body) else {
            continue;
        };
        let label = op.label();
        prop_assert_eq!(error.kind(), ErrorKind::Decode, "{}: {}", label, error);
        prop_assert_eq!(error.status(), Some(op.status), "{}: {}", label, error);
        prop_assert_eq!(error.attempts(), 1, "{}: {}", label, error);
        prop_assert_eq!(error.body(), Some(body), "{}: the raw body is kept", label);
        let path = error.json_path().unwrap_or_default();
        prop_assert!(!path.is_empty(), "{}: no JSON path: {}", label, error);
        // Bytes after a complete value are the one failure without a path
        // inside the document: the crate names their line and column.
        let trailing = error.message().starts_with("trailing characters");
        prop_assert!(
            trailing != is_json_path(path),
            "{}: {:?} is not what the crate reports here: {}",
            label,
            path,
            error
        );
        let shown = error.to_string();
        prop_assert!(
            shown.contains(&format!(", at {path}: ")),
            "{}: {}",
            label,
            shown
        );
        prop_assert!(!shown.contains('\n'), "{}: {}", label, shown);
    }
    Ok(())
}

/// 200 cases, or `PROPTEST_CASES`.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_corpus_payloads_decode_or_name_the_path(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 0..4),
        bytes in prop::collection::vec(byte_change(), 0..3),
    ) {
        let seeds = &fixture().seeds;
        let (_, seed) = &seeds[seed.index(seeds.len())];
        decode_everywhere(&mutated(seed, &mutations, &bytes))?;
    }
}

/// The mutations do what they say, so the property above is not vacuous.
#[test]
fn mutations_change_what_they_say() {
    let seed = br#"{"a": [1, {"b": "x"}], "c": null}"#;
    let one = |m: Mutation| String::from_utf8(mutated(seed, &[m], &[])).unwrap();
    assert_eq!(
        one(Mutation::Swap {
            node: 2,
            to: Kind::String
        }),
        r#"{"a": ["lots", {"b": "x"}], "c": null}"#
    );
    assert_eq!(one(Mutation::DeleteKey { node: 0 }), r#"{"c": null}"#);
    assert_eq!(
        one(Mutation::DuplicateKey {
            node: 3,
            to: Kind::Null
        }),
        r#"{"a": [1, {"b": "x", "b": null}], "c": null}"#
    );
    assert_eq!(
        one(Mutation::Nest {
            node: 5,
            depth: 2,
            objects: false
        }),
        r#"{"a": [1, {"b": "x"}], "c": [[null]]}"#
    );
    let cut = mutated(seed, &[], &[ByteChange::Truncate { at: 5 }]);
    assert_eq!(cut, br#"{"a":"#);
    let flipped = mutated(seed, &[], &[ByteChange::Flip { at: 0, bit: 0 }]);
    assert_eq!(flipped[0], b'{' ^ 1);
}

/// The property can fail: a body the crate cannot place is caught.
#[test]
fn every_seed_reaches_a_decode_error_somewhere() {
    let fixture = fixture();
    let mut errors = 0;
    for (_, seed) in &fixture.seeds {
        let body = mutated(
            seed,
            &[Mutation::Swap {
                node: 0,
                to: Kind::Array,
            }],
            &[],
        );
        for (op, endpoint) in &fixture.targets {
            if let Err(e) = serve_and_call(op, endpoint, &body) {
                assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
                errors += 1;
            }
        }
    }
    assert!(
        errors > 0,
        "an array for a whole page never failed to decode"
    );
}
