//! `cargo xtask semver --base REV`: the client crate's Rust API since a
//! revision, checked by cargo-semver-checks and held against the spec diff
//! since the same revision.
//!
//! Two questions, one verdict:
//! - Does the crate's version allow what changed? A break of the Rust API, or
//!   a breaking change of any spec (`cargo xtask diff`), needs a major bump of
//!   the crate (for `0.y.z`, of `y`).
//! - Does the generated API agree with the spec diff? A generated module
//!   (`src/generated/<service>.rs`) whose API breaks while every change of
//!   `spec/<service>.yaml` is compatible means the generator turned a
//!   compatible change into a breaking one: that fails, and is said so, unless
//!   the crate makes a major release (a deliberate change of the generator).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use generator::diff::Report;
use semver::Version;

/// The client crate: the one whose API is checked.
pub const CLIENT: &str = "huaweicloud-tasks";
/// Its manifest, relative to the workspace root.
pub const CLIENT_MANIFEST: &str = "generated-client/Cargo.toml";

/// What cargo-semver-checks found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ApiCheck {
    /// The API breaks: a caller of the old crate may not compile.
    pub major: bool,
    /// Generated modules with a break, by service module name, with the
    /// places cargo-semver-checks named.
    pub generated: BTreeMap<String, Vec<String>>,
    /// Breaks in hand-written code, as cargo-semver-checks named them.
    pub elsewhere: Vec<String>,
}

/// Runs cargo-semver-checks on the client crate against `base` (a git
/// revision), asking whether the change fits a minor release.
pub fn check_api(root: &Path, base: &str) -> Result<ApiCheck, String> {
    let output = crate::explorer::cargo()
        .current_dir(root)
        .args(["semver-checks", "check-release", "--package", CLIENT])
        .args(["--baseline-rev", base, "--release-type", "minor"])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        return Ok(ApiCheck::default());
    }
    if text.contains("no such command") || text.contains("no such subcommand") {
        return Err(
            "cargo-semver-checks is not installed: `cargo install --locked cargo-semver-checks` \
             (.ci/run pins the version CI uses)"
                .into(),
        );
    }
    parse_failure(&text).ok_or_else(|| {
        let tail: Vec<&str> = text.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!(
            "cargo semver-checks failed without a verdict:\n{}",
            tail.join("\n")
        )
    })
}

/// Reads cargo-semver-checks' report of a failed check: `None` when the text
/// holds no verdict (the tool itself failed).
pub fn parse_failure(text: &str) -> Option<ApiCheck> {
    if !text.contains("semver requires new major version") {
        return None;
    }
    let mut check = ApiCheck {
        major: true,
        ..ApiCheck::default()
    };
    // Places under a `--- warning ... ---` section are not breaks.
    let mut lint: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("--- failure ") {
            lint = Some(rest.trim_end_matches(" ---").to_string());
            continue;
        }
        if line.starts_with("--- warning ") {
            lint = None;
            continue;
        }
        let Some(lint) = &lint else {
            continue;
        };
        // `field x of struct Y, previously in file P:47` or `struct Y in P:47`.
        let Some((what, place)) = line.trim().rsplit_once(" in ") else {
            continue;
        };
        let place = place.strip_prefix("file ").unwrap_or(place);
        if !place.contains(".rs:") {
            continue;
        }
        let what = what.trim_end_matches(", previously");
        let entry = format!("{lint}: {what}");
        match generated_module(place) {
            Some(module) => check.generated.entry(module).or_default().push(entry),
            None => check.elsewhere.push(entry),
        }
    }
    Some(check)
}

/// `…/src/generated/ecs.rs:47` → `ecs`.
fn generated_module(place: &str) -> Option<String> {
    let place = place.replace('\\', "/");
    let (_, file) = place.rsplit_once("/src/generated/")?;
    let stem = file.split([':', '.']).next()?;
    (!stem.is_empty() && stem != "mod").then(|| stem.to_string())
}

/// Whether `new` is a major release after `old` in cargo's reading of
/// semantic versions (`0.1.3` → `0.2.0` is one, `0.1.3` → `0.1.4` is not).
pub fn is_major_bump(old: &Version, new: &Version) -> bool {
    if old.major == 0 {
        new.major > 0 || new.minor > old.minor
    } else {
        new.major > old.major
    }
}

/// The next major release after `v`, in cargo's reading.
pub fn next_major(v: &Version) -> Version {
    if v.major == 0 {
        Version::new(0, v.minor + 1, 0)
    } else {
        Version::new(v.major + 1, 0, 0)
    }
}

/// The next compatible release after `v`, in cargo's reading.
pub fn next_minor(v: &Version) -> Version {
    if v.major == 0 {
        Version::new(0, v.minor, v.patch + 1)
    } else {
        Version::new(v.major, v.minor + 1, 0)
    }
}

/// The verdict on one comparison.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub errors: Vec<String>,
    pub notes: Vec<String>,
}

/// The client crate's versions a verdict is about.
#[derive(Debug, Clone, Copy)]
pub struct Versions<'a> {
    /// At the base (the last release).
    pub released: &'a Version,
    /// In the work tree, as the maintainers set it. A major bump here is
    /// their word that a generated break from a compatible spec change is a
    /// change of the generator, released as such; a version the release
    /// command proposes is not.
    pub declared: &'a Version,
    /// The version being released: the declared one, or what `cargo xtask
    /// release` proposes.
    pub releasing: &'a Version,
}

impl<'a> Versions<'a> {
    /// The versions at the base and in the work tree, released as they are.
    pub fn as_declared(released: &'a Version, declared: &'a Version) -> Self {
        Versions {
            released,
            declared,
            releasing: declared,
        }
    }
}

/// Holds the API check against the spec report and the crate's versions.
pub fn judge(spec: &Report, api: &ApiCheck, versions: Versions<'_>) -> Verdict {
    let Versions {
        released: old,
        declared,
        releasing: new,
    } = versions;
    let mut verdict = Verdict::default();
    let breaking: BTreeSet<&str> = spec
        .services
        .iter()
        .filter(|s| s.is_breaking())
        .map(|s| s.service.as_str())
        .collect();
    let major_release = is_major_bump(old, new);
    let generator_change_declared = is_major_bump(old, declared);
    for (module, places) in &api.generated {
        if breaking.contains(module.as_str()) {
            continue;
        }
        let shown = places
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        let more = match places.len() {
            n if n > 3 => format!("; and {} more", n - 3),
            _ => String::new(),
        };
        let message = format!(
            "the generated API of `{module}` breaks, yet every change of its spec since {} is \
             compatible ({shown}{more})",
            spec.base
        );
        if generator_change_declared {
            // A change of the generator itself, released as one.
            verdict
                .notes
                .push(format!("{message}: a generator change, in a major release"));
        } else {
            verdict.errors.push(format!(
                "{message}: the generator must map a compatible change to a compatible one"
            ));
        }
    }
    let mut reasons = Vec::new();
    if api.major {
        reasons.push("its Rust API breaks".to_string());
    }
    if !breaking.is_empty() {
        let names: Vec<&str> = breaking.iter().copied().collect();
        reasons.push(format!(
            "the specs of {} have breaking changes",
            names.join(", ")
        ));
    }
    if !reasons.is_empty() && !major_release {
        verdict.errors.push(format!(
            "{CLIENT} {new} is not a major release after {old} ({}): set its version to {} or \
             make the change compatible",
            reasons.join(" and "),
            next_major(old)
        ));
    }
    for place in &api.elsewhere {
        verdict.notes.push(format!("hand-written API: {place}"));
    }
    if reasons.is_empty() {
        verdict.notes.push(format!(
            "{CLIENT}: no breaking change of the Rust API or the specs since {}",
            spec.base
        ));
    } else if verdict.errors.is_empty() {
        verdict.notes.push(format!(
            "{CLIENT} {old} -> {new}: a major release, as {} requires",
            reasons.join(" and ")
        ));
    }
    verdict
}

/// The crate's version in a manifest's text.
pub fn manifest_version(manifest: &str) -> Result<Version, String> {
    let doc: toml_edit::DocumentMut = manifest
        .parse()
        .map_err(|e| format!("the manifest is not TOML: {e}"))?;
    let text = doc
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .ok_or("the manifest has no package.version")?;
    Version::parse(text).map_err(|e| format!("package.version `{text}`: {e}"))
}

/// The client crate's version at a git revision.
pub fn version_at(root: &Path, revision: &str) -> Result<Version, String> {
    let manifest = crate::git::git(root, &["show", &format!("{revision}:{CLIENT_MANIFEST}")])?;
    manifest_version(&manifest).map_err(|e| format!("{CLIENT_MANIFEST} at {revision}: {e}"))
}

/// The client crate's version in the work tree.
pub fn version_now(root: &Path) -> Result<Version, String> {
    let path = root.join(CLIENT_MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {CLIENT_MANIFEST}: {e}"))?;
    manifest_version(&text).map_err(|e| format!("{CLIENT_MANIFEST}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use generator::diff::{Change, Class, Kind, ServiceDiff};

    const FAILED: &str = "\
    Checking huaweicloud-tasks v0.1.0 -> v0.1.0 (assume minor)
     Checked [   0.470s] 202 checks: 201 pass, 1 fail, 0 warn, 58 skip

--- failure struct_pub_field_missing: pub struct's pub field removed or renamed ---

Description:
A publicly-visible struct has at least one public field that is no longer available under its prior name.

Failed in:
  field nic_id of struct JobEntities, previously in file /t/git-HEAD/3ee5/generated-client/src/generated/ecs.rs:47

--- failure function_missing: pub fn removed or renamed ---

Failed in:
  function huaweicloud_tasks::tasks::list, previously in file /t/git-HEAD/3ee5/generated-client/src/tasks/list.rs:12

     Summary semver requires new major version: 2 major and 0 minor checks failed
";

    /// Another lint names its places without `file`.
    const NON_EXHAUSTIVE: &str = "\
--- failure struct_marked_non_exhaustive: struct marked #[non_exhaustive] ---

Failed in:
  struct SubJobEntities in /work/generated-client/src/generated/ecs.rs:117
  struct CenterTask in /work/generated-client/src/generated/dcs.rs:44
";

    #[test]
    fn places_under_a_warning_are_not_breaks() {
        let text = format!(
            "{FAILED}\n--- warning function_must_use_added: x ---\n\nFailed in:\n  function f in /w/generated-client/src/generated/dcs.rs:3\n"
        );
        let check = parse_failure(&text).unwrap();
        assert!(!check.generated.contains_key("dcs"), "{check:?}");
        assert_eq!(check.generated["ecs"].len(), 1);
    }

    fn service(name: &str, class: Option<Class>) -> ServiceDiff {
        ServiceDiff {
            service: name.into(),
            old_version: Some("1.0.0".into()),
            new_version: Some("1.0.0".into()),
            changes: class
                .map(|class| Change {
                    class,
                    kind: Kind::FieldRemoved,
                    at: "ShowJob response".into(),
                    what: "x".into(),
                })
                .into_iter()
                .collect(),
        }
    }

    fn report(services: Vec<ServiceDiff>) -> Report {
        Report {
            base: "v0.1.0".into(),
            note: None,
            services,
        }
    }

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn a_failed_check_names_the_generated_module_and_the_hand_written_item() {
        let check = parse_failure(&format!("{NON_EXHAUSTIVE}{FAILED}")).unwrap();
        assert!(check.major);
        assert_eq!(
            check.generated["ecs"][1..],
            [
                "struct_pub_field_missing: pub struct's pub field removed or renamed: field nic_id of struct JobEntities"
            ]
        );
        assert_eq!(
            check.generated["dcs"],
            ["struct_marked_non_exhaustive: struct marked #[non_exhaustive]: struct CenterTask"]
        );
        assert_eq!(check.generated["ecs"].len(), 2);
        assert_eq!(check.elsewhere.len(), 1);
        assert!(check.elsewhere[0].starts_with("function_missing"));
        assert_eq!(parse_failure("error: could not compile"), None);
    }

    #[test]
    fn cargo_reads_the_first_non_zero_part_as_major() {
        assert!(is_major_bump(&v("0.1.3"), &v("0.2.0")));
        assert!(is_major_bump(&v("0.1.3"), &v("1.0.0")));
        assert!(!is_major_bump(&v("0.1.3"), &v("0.1.4")));
        assert!(is_major_bump(&v("1.4.0"), &v("2.0.0")));
        assert!(!is_major_bump(&v("1.4.0"), &v("1.5.0")));
        assert_eq!(next_major(&v("0.1.3")), v("0.2.0"));
        assert_eq!(next_major(&v("1.4.2")), v("2.0.0"));
        assert_eq!(next_minor(&v("0.1.3")), v("0.1.4"));
        assert_eq!(next_minor(&v("1.4.2")), v("1.5.0"));
    }

    #[test]
    fn a_generated_break_from_a_compatible_spec_change_is_named_as_the_generator_s() {
        let api = parse_failure(FAILED).unwrap();
        let spec = report(vec![service("ecs", Some(Class::Compatible))]);
        let verdict = judge(&spec, &api, Versions::as_declared(&v("0.1.0"), &v("0.1.1")));
        assert_eq!(verdict.errors.len(), 2, "{verdict:?}");
        assert!(verdict.errors[0].contains("generated API of `ecs` breaks"));
        assert!(verdict.errors[0].contains("generator must map a compatible change"));
        assert!(verdict.errors[1].contains("its Rust API breaks"));
        // Released as major, it is a change of the generator, noted.
        let major = judge(&spec, &api, Versions::as_declared(&v("0.1.0"), &v("0.2.0")));
        assert!(major.errors.is_empty(), "{major:?}");
        assert!(major.notes.iter().any(|n| n.contains("a generator change")));
        // A major version the release command proposes because of the break
        // does not excuse it: only one set by hand does.
        let proposed = judge(
            &spec,
            &api,
            Versions {
                released: &v("0.1.0"),
                declared: &v("0.1.0"),
                releasing: &v("0.2.0"),
            },
        );
        assert_eq!(proposed.errors.len(), 1, "{proposed:?}");
        assert!(proposed.errors[0].contains("generator must map a compatible change"));
    }

    #[test]
    fn a_breaking_spec_change_needs_a_major_crate_release() {
        let api = parse_failure(FAILED).unwrap();
        let spec = report(vec![service("ecs", Some(Class::Breaking))]);
        let verdict = judge(&spec, &api, Versions::as_declared(&v("0.1.0"), &v("0.1.1")));
        assert_eq!(verdict.errors.len(), 1, "{verdict:?}");
        assert!(verdict.errors[0].contains("set its version to 0.2.0"));
        assert!(
            judge(&spec, &api, Versions::as_declared(&v("0.1.0"), &v("0.2.0")))
                .errors
                .is_empty()
        );
        // A breaking spec change that the Rust API happens to absorb still
        // breaks the wire: the crate goes up a major version too.
        let quiet = judge(
            &spec,
            &ApiCheck::default(),
            Versions::as_declared(&v("1.2.0"), &v("1.3.0")),
        );
        assert_eq!(quiet.errors.len(), 1, "{quiet:?}");
    }

    #[test]
    fn compatible_changes_pass_without_a_bump() {
        let verdict = judge(
            &report(vec![
                service("ecs", Some(Class::Compatible)),
                service("dcs", None),
            ]),
            &ApiCheck::default(),
            Versions::as_declared(&v("0.1.0"), &v("0.1.0")),
        );
        assert!(verdict.errors.is_empty(), "{verdict:?}");
    }

    #[test]
    fn the_version_comes_from_the_package_table() {
        let manifest = "[package]\nname = \"x\"\nversion = \"0.3.1\"\n[dependencies]\ny = { version = \"9\" }\n";
        assert_eq!(manifest_version(manifest).unwrap(), v("0.3.1"));
        assert!(manifest_version("[package]\nname = \"x\"\n").is_err());
        assert!(manifest_version("[package]\nversion = \"one\"\n").is_err());
    }
}
