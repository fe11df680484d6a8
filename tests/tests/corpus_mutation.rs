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
//! complete value that decodes have no place inside it: there, and only
//! there, the crate names their line and column instead. Which case a body
//! is comes from the body, never from the error's words: serde_json says
//! "trailing characters" also for the items of an array left over after a
//! struct read from it, an error inside the value.)
//!
//! The cases are fixed (`workspace_tests::properties`): 200 from one seed,
//! after the failures recorded in `tests/proptest-regressions/corpus_mutation.txt`.
//! For a longer search with new inputs set `PROPTEST_CASES` and
//! `PROPTEST_RNG_SEED`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use huaweicloud_tasks::{Config, ErrorKind, RetryPolicy};
use proptest::prelude::*;
use serde_json::Value;
use workspace_tests::operations::{self, Endpoint, Operation};
use workspace_tests::properties;
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

/// Where the first JSON value of `body` ends, when more than whitespace
/// follows it: the bytes a decode of the whole body refuses as trailing.
/// (Values are skipped as serde_json skips an unknown field, so no nesting
/// limit applies.)
fn complete_value_then_more(body: &[u8]) -> Option<usize> {
    let mut values =
        serde_json::Deserializer::from_slice(body).into_iter::<serde::de::IgnoredAny>();
    values.next()?.ok()?;
    let end = values.byte_offset();
    body[end..]
        .iter()
        .any(|b| !matches!(b, b' ' | b'\n' | b'\t' | b'\r'))
        .then_some(end)
}

/// Serves `body` to every operation with a body and checks each outcome.
fn decode_everywhere(body: &[u8]) -> Result<(), TestCaseError> {
    let fixture = fixture();
    let trailing = complete_value_then_more(body);
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
        // inside the document, when the value alone decodes: the crate
        // names their line and column. When it does not, its failure is the
        // whole body's.
        let after_value = match trailing {
            Some(end) => match serve_and_call(op, endpoint, &body[..end]) {
                Ok(_) => true,
                Err(alone) => {
                    prop_assert_eq!(
                        (alone.json_path(), alone.message()),
                        (error.json_path(), error.message()),
                        "{}: the value alone fails otherwise than the body",
                        label
                    );
                    false
                }
            },
            None => false,
        };
        prop_assert!(
            after_value != is_json_path(path),
            "{}: {:?} is not what the crate reports here: {}",
            label,
            path,
            error
        );
        prop_assert!(
            !after_value || error.message().starts_with("trailing characters"),
            "{}: {}",
            label,
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

proptest! {
    // 200 cases keep the file within a few seconds in a debug build.
    #![proptest_config(properties::config("corpus_mutation", 200))]

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

/// The operation `module OperationId` among the fixture's targets.
fn target(module: &str, name: &str) -> &'static (&'static Operation, Endpoint) {
    fixture()
        .targets
        .iter()
        .find(|(op, _)| op.module == module && op.name == name)
        .unwrap_or_else(|| panic!("no operation {module} {name} with a body"))
}

/// The corpus file `name` (`dcs-center/seed_example.json`).
fn seed(name: &str) -> &'static [u8] {
    let (_, bytes) = fixture()
        .seeds
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no corpus file {name}"));
    bytes
}

/// A failure of the property on random seeds, kept (its proptest seed is
/// in `tests/proptest-regressions/corpus_mutation.txt`): the whole body
/// swapped to an array, then that array's first item to null. dcs
/// `DeleteBackgroundTask` answers an object of one member, and serde reads
/// a struct from an array too, item by item: the items left over are
/// refused as "trailing characters", an error inside the value at `.`,
/// which the crate rightly names. The property had taken those words for
/// bytes after a complete value.
#[test]
fn items_left_over_in_an_array_read_as_a_struct_are_named_by_path() {
    let body = mutated(
        seed("dcs-center/seed_example.json"),
        &[
            Mutation::Swap {
                node: 0,
                to: Kind::Array,
            },
            Mutation::Swap {
                node: 1,
                to: Kind::Null,
            },
        ],
        &[],
    );
    assert_eq!(String::from_utf8_lossy(&body), r#"[null, "a", null]"#);
    let (op, endpoint) = target("dcs", "DeleteBackgroundTask");
    let error = serve_and_call(op, endpoint, &body).expect_err("two items too many");
    assert_eq!(error.json_path(), Some("."), "{error}");
    assert_eq!(error.message(), "trailing characters at line 1 column 8");
    assert_eq!(complete_value_then_more(&body), None);
    decode_everywhere(&body).unwrap();
}

/// The other side: bytes after a complete value that decodes are named by
/// line and column, for every operation.
#[test]
fn bytes_after_a_complete_value_are_named_by_line_and_column() {
    let body = br#"{"message": ""} x"#;
    assert_eq!(complete_value_then_more(body), Some(15));
    let (op, endpoint) = target("dcs", "DeleteBackgroundTask");
    let error = serve_and_call(op, endpoint, body).expect_err("bytes after the value");
    assert_eq!(error.json_path(), Some("line 1 column 17"), "{error}");
    assert_eq!(error.message(), "trailing characters at line 1 column 17");
    decode_everywhere(body).unwrap();
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
