//! The state one comparison of two documents carries, and the reading helpers
//! every section of the comparison shares.
//!
//! The comparison walks both documents side by side, one section per file
//! (servers, operations, schemas); each section adds what it finds to the same
//! [`Context`], which also remembers the named schema pairs already compared
//! so that recursive schemas end.

use std::collections::BTreeSet;

use serde_json::Value;

use super::report::{Change, Class, Kind, change};

/// Which way data flows through a schema: what the client sends, or what it
/// receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Flow {
    Request,
    Response,
}

/// Two documents being compared and what has been found so far.
pub(super) struct Context<'a> {
    pub(super) old_doc: &'a Value,
    pub(super) new_doc: &'a Value,
    changes: Vec<Change>,
    /// Schema pairs (by pointer) already compared at a location, against cycles.
    pub(super) seen: BTreeSet<(String, String, Flow)>,
}

/// What a missing schema compares as.
pub(super) static NULL: Value = Value::Null;
/// What a missing map compares as.
pub(super) static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);

impl<'a> Context<'a> {
    pub(super) fn new(old_doc: &'a Value, new_doc: &'a Value) -> Self {
        Context {
            old_doc,
            new_doc,
            changes: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    /// Records one change.
    pub(super) fn push(&mut self, class: Class, kind: Kind, at: &str, what: impl Into<String>) {
        self.changes.push(change(class, kind, at, what));
    }

    /// Everything found, sorted (breaking first) and without repeats.
    pub(super) fn into_changes(mut self) -> Vec<Change> {
        self.changes.sort();
        self.changes.dedup();
        self.changes
    }
}

/// Follows local `$ref`s until it reaches a value that is not one.
///
/// Unlike [`crate::spec::walk::deref`], which follows a single reference, this
/// follows a chain of them (a component that is only a `$ref` to another, which
/// bundling keeps as written), up to 32 in a row so that a cycle of references
/// ends; a reference that does not resolve is returned as it is.
pub(super) fn resolve<'v>(doc: &'v Value, value: &'v Value) -> &'v Value {
    let mut current = value;
    for _ in 0..32 {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        {
            Some(target) => current = target,
            None => break,
        }
    }
    current
}

/// A string member of an object.
pub(super) fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// Whether a boolean member is present and true.
pub(super) fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool) == Some(true)
}

/// The members of an array as strings (non-strings as their JSON text); none
/// when it is not an array.
pub(super) fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Values as a list of code spans: `` `a`, `b` ``.
pub(super) fn quoted(values: &[&String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
