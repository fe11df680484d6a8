//! What the gate found, and how it is told.
//!
//! Every comparison yields [`Change`]s; they are grouped per service into a
//! [`ServiceDiff`], which knows whether its `info.version` allows breaking
//! changes, and the whole run is a [`Report`] that `cargo xtask diff` prints
//! and whose verdict sets its exit status. Keeping the types and the text
//! apart from the comparisons lets tests judge a comparison by its values.

use std::fmt::{self, Write};

/// Whether a change can break a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Breaking,
    Compatible,
}

/// What kind of change it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    ServiceAdded,
    ServiceRemoved,
    OperationAdded,
    OperationRemoved,
    OperationMoved,
    ParameterAdded,
    ParameterRemoved,
    ParameterNewlyRequired,
    ParameterNoLongerRequired,
    TypeChanged,
    FormatChanged,
    EnumValueAdded,
    EnumValueRemoved,
    ConstraintTightened,
    ConstraintLoosened,
    NullabilityChanged,
    FieldAdded,
    FieldRemoved,
    FieldNewlyRequired,
    FieldNoLongerRequired,
    ResponseStatusAdded,
    ResponseStatusRemoved,
    ResponseHeaderAdded,
    ResponseHeaderRemoved,
    MediaTypeAdded,
    MediaTypeRemoved,
    RequestBodyAdded,
    RequestBodyRemoved,
    RegionAdded,
    RegionRemoved,
    EndpointChanged,
    ServerChanged,
}

/// One change, located for a reader.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub class: Class,
    pub kind: Kind,
    /// Where: an operation and what in it (`ListTasks parameter query limit`),
    /// or a document-level place.
    pub at: String,
    /// What happened, in a few words.
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = match self.class {
            Class::Breaking => "breaking  ",
            Class::Compatible => "compatible",
        };
        write!(f, "{class} {}: {}", self.at, self.what)
    }
}

/// The changes of one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDiff {
    /// Module name (`dcs`).
    pub service: String,
    /// `info.version` at the base revision (`None`: the service is new).
    pub old_version: Option<String>,
    /// `info.version` now (`None`: the service is gone).
    pub new_version: Option<String>,
    pub changes: Vec<Change>,
}

impl ServiceDiff {
    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.class == Class::Breaking)
    }

    /// Whether the major version went up.
    pub fn major_bumped(&self) -> bool {
        match (&self.old_version, &self.new_version) {
            (Some(old), Some(new)) => match (major(old), major(new)) {
                (Some(o), Some(n)) => n > o,
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether the gate lets this service through.
    pub fn passes(&self) -> bool {
        !self.is_breaking() || self.major_bumped()
    }
}

fn major(version: &str) -> Option<u64> {
    version
        .trim()
        .trim_start_matches('v')
        .split(['.', '-', '+'])
        .next()?
        .parse()
        .ok()
}

/// Everything `cargo xtask diff` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The revision compared against.
    pub base: String,
    /// Set when there is nothing to compare (no `spec/` at the base).
    pub note: Option<String>,
    pub services: Vec<ServiceDiff>,
}

impl Report {
    /// Whether the gate passes: no service has a breaking change without a
    /// major version bump.
    pub fn passes(&self) -> bool {
        self.services.iter().all(ServiceDiff::passes)
    }

    /// The report as text, one change per line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Some(note) = &self.note {
            let _ = writeln!(out, "note: {note}");
        }
        for s in &self.services {
            let version = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
            if s.changes.is_empty() {
                let _ = writeln!(out, "{} {}: no change", s.service, version(&s.new_version));
                continue;
            }
            let breaking = s
                .changes
                .iter()
                .filter(|c| c.class == Class::Breaking)
                .count();
            let _ = writeln!(
                out,
                "{} {} -> {}: {} breaking, {} compatible change(s)",
                s.service,
                version(&s.old_version),
                version(&s.new_version),
                breaking,
                s.changes.len() - breaking
            );
            for c in &s.changes {
                let _ = writeln!(out, "  {c}");
            }
            if s.is_breaking() && s.major_bumped() {
                let _ = writeln!(
                    out,
                    "  (breaking changes allowed by the major version bump)"
                );
            } else if !s.changes.is_empty() && s.old_version == s.new_version {
                let _ = writeln!(
                    out,
                    "  note: info.version is unchanged; record the change with a new version"
                );
            }
        }
        for s in self.services.iter().filter(|s| !s.passes()) {
            let hint = match (&s.old_version, &s.new_version) {
                (Some(old), Some(_)) => match major(old) {
                    Some(m) => format!("bump info.version to {}.0.0", m + 1),
                    None => "bump the major version of info.version".to_string(),
                },
                _ => "a removed service cannot be published compatibly".to_string(),
            };
            let _ = writeln!(
                out,
                "error: {} has breaking changes since {} without a major version bump ({hint}, \
                 or make the change compatible)",
                s.service, self.base
            );
        }
        out
    }
}

/// A change at `at`.
pub(super) fn change(class: Class, kind: Kind, at: &str, what: impl Into<String>) -> Change {
    Change {
        class,
        kind,
        at: at.to_string(),
        what: what.into(),
    }
}
