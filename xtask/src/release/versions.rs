//! Which version each spec and crate gets: the least release that what
//! changed since the last release requires, unless a maintainer already set
//! one at least that high.

use generator::diff::ServiceDiff;
use semver::Version;

use crate::semver::{is_major_bump, next_major, next_minor};

/// How far a version has to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Nothing changed.
    None,
    /// Only compatible changes.
    Minor,
    /// At least one breaking change.
    Major,
}

/// The level a service's changes require.
pub fn service_level(diff: &ServiceDiff) -> Level {
    if diff.is_breaking() {
        Level::Major
    } else if diff.changes.is_empty() {
        Level::None
    } else {
        Level::Minor
    }
}

/// The version to release after `released` (the version at the last
/// release), given `current` (the version in the work tree) and the level
/// the changes require. A version already raised by hand is kept when it is
/// enough, and refused when it is not.
pub fn propose(released: &Version, current: &Version, level: Level) -> Result<Version, String> {
    let required = match level {
        Level::None => released.clone(),
        Level::Minor => next_minor(released),
        Level::Major => next_major(released),
    };
    if current < released {
        return Err(format!(
            "{current} is lower than {released}, the version at the last release"
        ));
    }
    if current == released {
        return Ok(required);
    }
    if level == Level::Major && !is_major_bump(released, current) {
        return Err(format!(
            "{current} was set after {released}, but a breaking change needs a major release: \
             set {required}, or make the change compatible"
        ));
    }
    if current < &required {
        return Err(format!(
            "{current} was set after {released}, but the changes since need at least \
             {required}: set {required} or higher"
        ));
    }
    Ok(current.clone())
}

/// A version as the specs write it (`1.2.0`, or `v1.2`): parsed leniently,
/// missing parts read as zero.
pub fn lenient(text: &str) -> Result<Version, String> {
    let trimmed = text.trim().trim_start_matches('v');
    let core = trimmed.split(['-', '+']).next().unwrap_or(trimmed);
    let mut parts = core.split('.').map(|p| p.parse::<u64>());
    let mut next = || match parts.next() {
        None => Ok(0),
        Some(Ok(n)) => Ok(n),
        Some(Err(_)) => Err(format!("`{text}` is not a version")),
    };
    let (major, minor, patch) = (next()?, next()?, next()?);
    Ok(Version::new(major, minor, patch))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn an_unchanged_version_moves_by_the_level_the_changes_require() {
        assert_eq!(
            propose(&v("1.2.0"), &v("1.2.0"), Level::None),
            Ok(v("1.2.0"))
        );
        assert_eq!(
            propose(&v("1.2.0"), &v("1.2.0"), Level::Minor),
            Ok(v("1.3.0"))
        );
        assert_eq!(
            propose(&v("1.2.0"), &v("1.2.0"), Level::Major),
            Ok(v("2.0.0"))
        );
        assert_eq!(
            propose(&v("0.1.0"), &v("0.1.0"), Level::Minor),
            Ok(v("0.1.1"))
        );
        assert_eq!(
            propose(&v("0.1.0"), &v("0.1.0"), Level::Major),
            Ok(v("0.2.0"))
        );
    }

    #[test]
    fn a_version_raised_by_hand_is_kept_when_it_is_enough() {
        assert_eq!(
            propose(&v("1.2.0"), &v("1.4.0"), Level::Minor),
            Ok(v("1.4.0"))
        );
        assert_eq!(
            propose(&v("1.2.0"), &v("3.0.0"), Level::Major),
            Ok(v("3.0.0"))
        );
        let short = propose(&v("1.2.0"), &v("1.3.0"), Level::Major).unwrap_err();
        assert!(short.contains("set 2.0.0"), "{short}");
        assert!(propose(&v("1.2.0"), &v("1.1.0"), Level::None).is_err());
        // Raised by hand, but by less than the changes need.
        let patch = propose(&v("1.2.0"), &v("1.2.1"), Level::Minor).unwrap_err();
        assert!(patch.contains("at least 1.3.0"), "{patch}");
        assert_eq!(
            propose(&v("1.2.0"), &v("1.2.1"), Level::None),
            Ok(v("1.2.1"))
        );
        assert_eq!(
            propose(&v("0.1.0"), &v("0.1.1"), Level::Minor),
            Ok(v("0.1.1"))
        );
    }

    #[test]
    fn spec_versions_read_leniently() {
        assert_eq!(lenient("1.2.0"), Ok(v("1.2.0")));
        assert_eq!(lenient("v2"), Ok(v("2.0.0")));
        assert_eq!(lenient("1.0.0-beta"), Ok(v("1.0.0")));
        assert!(lenient("one").is_err());
    }
}
