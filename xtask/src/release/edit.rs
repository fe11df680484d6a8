//! The edits a release writes: `info.version` in a spec (a line edit, so the
//! hand-written YAML keeps its comments and layout) and the versions in the
//! crates' manifests (through toml_edit, which keeps theirs).

use semver::Version;

/// The spec text with `info.version` set to `version`: the `version:` key
/// directly under the top-level `info:` mapping.
pub fn set_spec_version(spec: &str, version: &str) -> Result<String, String> {
    let mut out = Vec::new();
    let mut in_info = false;
    // The indentation of `info`'s own keys, from its first key: a `version:`
    // deeper down (under an extension, say) is not `info.version`.
    let mut key_indent = None;
    let mut done = false;
    for line in spec.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let content = body.trim_start();
        let indent = body.len() - content.len();
        if content.is_empty() || content.starts_with('#') {
            out.push(line.to_string());
            continue;
        }
        if indent == 0 {
            in_info = without_comment(body) == "info:";
            key_indent = None;
        } else if in_info && !done {
            let own = *key_indent.get_or_insert(indent);
            if indent == own
                && let Some(value) = content.strip_prefix("version:")
            {
                let ending = &line[body.len()..];
                let comment = value.find(" #").map(|i| &value[i..]).unwrap_or("");
                out.push(format!(
                    "{}version: {version}{comment}{ending}",
                    &body[..indent]
                ));
                done = true;
                continue;
            }
        }
        out.push(line.to_string());
    }
    if done {
        Ok(out.concat())
    } else {
        Err("no `version:` under the top-level `info:`".into())
    }
}

/// A line without its trailing comment and spaces (a `#` after a space
/// starts a comment in YAML).
fn without_comment(line: &str) -> &str {
    let end = line.find(" #").unwrap_or(line.len());
    line[..end].trim_end()
}

/// The manifest with `package.version` set.
pub fn set_package_version(manifest: &str, version: &Version) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = manifest
        .parse()
        .map_err(|e| format!("the manifest is not TOML: {e}"))?;
    let package = doc
        .get_mut("package")
        .and_then(|p| p.as_table_like_mut())
        .ok_or("the manifest has no [package]")?;
    let slot = package
        .get_mut("version")
        .ok_or("the manifest has no package.version")?;
    set_keeping_decor(slot, version);
    Ok(doc.to_string())
}

/// Sets a string value, keeping the spaces and comment around it.
fn set_keeping_decor(slot: &mut toml_edit::Item, version: &Version) {
    match slot.as_value_mut() {
        Some(value) => {
            let decor = value.decor().clone();
            *value = toml_edit::Value::from(version.to_string());
            *value.decor_mut() = decor;
        }
        None => *slot = toml_edit::value(version.to_string()),
    }
}

/// The manifest with the version requirement on `dependency` set to
/// `version` (a path dependency that is also published carries both).
pub fn set_dependency_version(
    manifest: &str,
    dependency: &str,
    version: &Version,
) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = manifest
        .parse()
        .map_err(|e| format!("the manifest is not TOML: {e}"))?;
    let entry = doc
        .get_mut("dependencies")
        .and_then(|d| d.get_mut(dependency))
        .and_then(|e| e.as_table_like_mut())
        .ok_or_else(|| format!("the manifest has no [dependencies] table for {dependency}"))?;
    let slot = entry
        .get_mut("version")
        .ok_or_else(|| format!("the dependency on {dependency} has no version"))?;
    set_keeping_decor(slot, version);
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_info_version_changes() {
        let spec = "openapi: 3.0.3\ninfo:\n  title: T\n  version: 1.0.0 # kept\n  x: 1\npaths:\n  /a:\n    version: 9\n";
        assert_eq!(
            set_spec_version(spec, "2.0.0").unwrap(),
            "openapi: 3.0.3\ninfo:\n  title: T\n  version: 2.0.0 # kept\n  x: 1\npaths:\n  /a:\n    version: 9\n"
        );
        assert!(set_spec_version("openapi: 3.0.3\npaths: {}\n", "1.0.0").is_err());
        assert!(set_spec_version("info:\n  title: T\nx:\n  version: 1\n", "1.0.0").is_err());
        // A comment after `info:`; a `version:` nested under one of info's
        // keys comes first and stays.
        let nested =
            "info:  # the service\n  x-hwc-source:\n    version: 0.1.2\n  version: '1.0.0'\n";
        assert_eq!(
            set_spec_version(nested, "1.1.0").unwrap(),
            "info:  # the service\n  x-hwc-source:\n    version: 0.1.2\n  version: 1.1.0\n"
        );
    }

    #[test]
    fn manifests_keep_their_layout() {
        let manifest = "[package]\nname = \"c\"\nversion = \"0.1.0\" # the crate\n\n[dependencies]\nd = { path = \"../d\", version = \"0.1.0\", features = [\"m\"] }\n";
        let v = Version::new(0, 2, 0);
        let bumped = set_package_version(manifest, &v).unwrap();
        assert!(
            bumped.contains("version = \"0.2.0\" # the crate\n"),
            "{bumped}"
        );
        let dep = set_dependency_version(&bumped, "d", &v).unwrap();
        assert!(
            dep.contains("d = { path = \"../d\", version = \"0.2.0\", features = [\"m\"] }"),
            "{dep}"
        );
        assert!(set_dependency_version(manifest, "e", &v).is_err());
    }
}
