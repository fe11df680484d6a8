//! The release's section of CHANGELOG.md: what changed per service and per
//! operation since the last release, above the prose the maintainers wrote
//! under `## Unreleased`.

use std::fmt::Write;

use generator::diff::{Change, Class};

/// One service in the release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEntry {
    pub module: String,
    /// `info.version` at the last release (`None`: new since then).
    pub released: Option<String>,
    /// `info.version` in this release (`None`: the service was removed).
    pub version: Option<String>,
    pub changes: Vec<Change>,
    /// The operations (`ShowJob`), so changes can be grouped by them.
    pub operations: Vec<Operation>,
}

/// An operation as the section names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub name: String,
    pub method: String,
    pub path: String,
}

/// The heading the maintainers write new entries under.
pub const UNRELEASED: &str = "## Unreleased";

/// The section for release `tag`.
pub fn section(
    tag: &str,
    date: &str,
    base: Option<&str>,
    crates: &str,
    services: &[ServiceEntry],
) -> String {
    let mut out = format!("## {tag} ({date})\n\n");
    let since = match base {
        Some(base) => format!("since {base}"),
        None => "in this first release".to_string(),
    };
    let _ = writeln!(
        out,
        "{crates}. Changes to the specs {since}, per service and operation:\n"
    );
    let mut any = false;
    for s in services {
        let version = s.version.as_deref();
        match (&s.released, version) {
            (None, None) => {}
            (None, Some(version)) => {
                any = true;
                let _ = writeln!(out, "- **{}** {version} (new)", s.module);
                for op in &s.operations {
                    let _ = writeln!(out, "  - `{}`: `{} {}`", op.name, op.method, op.path);
                }
            }
            (Some(released), None) => {
                any = true;
                let _ = writeln!(out, "- **{}** {released}: removed", s.module);
            }
            (Some(released), Some(version)) if !s.changes.is_empty() => {
                any = true;
                let _ = writeln!(out, "- **{}** {released} → {version}", s.module);
                for c in &s.changes {
                    let _ = writeln!(out, "  - {}", line(c, &s.operations));
                }
            }
            (Some(_), Some(_)) => {}
        }
    }
    if !any {
        out.push_str("- No spec changed.\n");
    }
    out
}

/// One change: its operation first when it belongs to one.
fn line(change: &Change, operations: &[Operation]) -> String {
    let class = match change.class {
        Class::Breaking => "breaking",
        Class::Compatible => "compatible",
    };
    let (first, rest) = change
        .at
        .split_once(' ')
        .unwrap_or((change.at.as_str(), ""));
    if operations.iter().any(|op| op.name == first) {
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!(" {rest}")
        };
        format!("`{first}`{rest}: {} ({class})", change.what)
    } else {
        format!("{}: {} ({class})", change.at, change.what)
    }
}

/// The changelog with `section` in place of the `## Unreleased` heading (the
/// entries under it stay, now under the release), or above the newest
/// release when there is no such heading.
pub fn insert(changelog: &str, section: &str) -> String {
    let mut lines: Vec<&str> = changelog.lines().collect();
    let (at, replace) = match lines.iter().position(|l| l.trim_end() == UNRELEASED) {
        Some(i) => (i, true),
        None => (
            lines
                .iter()
                .position(|l| l.starts_with("## "))
                .unwrap_or(lines.len()),
            false,
        ),
    };
    let section = section.trim_end();
    if replace {
        lines[at] = section;
    } else {
        lines.insert(at, "");
        lines.insert(at, section);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use generator::diff::Kind;

    fn show_job() -> Vec<Operation> {
        vec![Operation {
            name: "ShowJob".into(),
            method: "GET".into(),
            path: "/v1/{project_id}/jobs/{job_id}".into(),
        }]
    }

    fn services() -> Vec<ServiceEntry> {
        vec![
            ServiceEntry {
                module: "ecs".into(),
                released: Some("1.0.0".into()),
                version: Some("2.0.0".into()),
                changes: vec![Change {
                    class: Class::Breaking,
                    kind: Kind::FieldRemoved,
                    at: "ShowJob response 200 body field `entities`.nic_id".into(),
                    what: "response field removed".into(),
                }],
                operations: show_job(),
            },
            ServiceEntry {
                module: "evs".into(),
                released: None,
                version: Some("1.0.0".into()),
                changes: Vec::new(),
                operations: show_job(),
            },
            ServiceEntry {
                module: "ims".into(),
                released: Some("1.0.0".into()),
                version: Some("1.0.0".into()),
                changes: Vec::new(),
                operations: show_job(),
            },
            ServiceEntry {
                module: "bms".into(),
                released: Some("1.1.0".into()),
                version: None,
                changes: Vec::new(),
                operations: Vec::new(),
            },
        ]
    }

    #[test]
    fn the_section_lists_changes_per_service_and_operation() {
        let text = section(
            "v0.2.0",
            "2026-12-05",
            Some("v0.1.0"),
            "huaweicloud-tasks 0.2.0",
            &services(),
        );
        assert_eq!(
            text,
            "## v0.2.0 (2026-12-05)\n\n\
             huaweicloud-tasks 0.2.0. Changes to the specs since v0.1.0, per service and operation:\n\n\
             - **ecs** 1.0.0 → 2.0.0\n\
             \x20 - `ShowJob` response 200 body field `entities`.nic_id: response field removed (breaking)\n\
             - **evs** 1.0.0 (new)\n\
             \x20 - `ShowJob`: `GET /v1/{project_id}/jobs/{job_id}`\n\
             - **bms** 1.1.0: removed\n"
        );
        let none = section("v0.1.1", "d", Some("v0.1.0"), "c", &services()[2..3]);
        assert!(none.ends_with("- No spec changed.\n"), "{none}");
    }

    #[test]
    fn the_section_takes_the_place_of_unreleased_and_keeps_its_entries() {
        let log = "# Changelog\n\nIntro.\n\n## Unreleased\n\n### ecs\n\nProse.\n\n## v0.1.0 (d)\n\nOld.\n";
        assert_eq!(
            insert(log, "## v0.2.0 (d)\n\nList.\n"),
            "# Changelog\n\nIntro.\n\n## v0.2.0 (d)\n\nList.\n\n### ecs\n\nProse.\n\n## v0.1.0 (d)\n\nOld.\n"
        );
        let released = "# Changelog\n\n## v0.1.0 (d)\n\nOld.\n";
        assert_eq!(
            insert(released, "## v0.2.0 (d)\n\nList.\n"),
            "# Changelog\n\n## v0.2.0 (d)\n\nList.\n\n## v0.1.0 (d)\n\nOld.\n"
        );
    }
}
