//! `cargo xtask explorer pull`: Huawei's API Explorer definitions, fetched
//! through cargo itself.
//!
//! The `huawei-cloud-api-definitions-<PRODUCT>` crates carry one definition
//! per operation (`src/<OperationId>.json`). A throwaway manifest that
//! depends on the crate is fetched with `cargo fetch` (the registry, the
//! proxy and the credentials cargo already uses; no other network access),
//! `cargo metadata` says where the sources landed, and the definitions are
//! copied into `target/explorer/<PRODUCT>/<VERSION>/`. A version already
//! there is used as it is, without the network.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::model::extensions::DefinitionsSource;

/// The cache of definitions, under the workspace root.
pub const CACHE: &str = "target/explorer";

/// A product to fetch, at a version or the newest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub product: String,
    pub version: Option<String>,
}

impl Wanted {
    /// Reads `PRODUCT` or `PRODUCT@VERSION` (`DCS@0.1.20260626`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let (product, version) = match text.split_once('@') {
            Some((p, v)) => (p, Some(v)),
            None => (text, None),
        };
        let product_ok = product.starts_with(|c: char| c.is_ascii_alphabetic())
            && product.chars().all(|c| c.is_ascii_alphanumeric());
        if !product_ok {
            return Err(format!(
                "`{text}`: the product is the crate name's last part, letters and digits \
                 (DCS, Kafka, GaussDBforopenGauss), optionally @VERSION"
            ));
        }
        if let Some(v) = version {
            let parts: Vec<&str> = v.split('.').collect();
            let version_ok = parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
            if !version_ok {
                return Err(format!(
                    "`{text}`: the version is the crate's, three numbers (0.1.20260626)"
                ));
            }
        }
        Ok(Self {
            product: product.to_string(),
            version: version.map(str::to_string),
        })
    }

    fn crate_name(&self) -> String {
        format!("huawei-cloud-api-definitions-{}", self.product)
    }
}

impl From<&DefinitionsSource> for Wanted {
    fn from(s: &DefinitionsSource) -> Self {
        Self {
            product: s.product.clone(),
            version: Some(s.definitions.clone()),
        }
    }
}

/// Definitions in the cache.
#[derive(Debug, Clone)]
pub struct Pulled {
    pub source: DefinitionsSource,
    pub dir: PathBuf,
    pub files: usize,
    /// Whether they were already there.
    pub cached: bool,
}

/// Fetches `wanted` into `cache` (unless that version is there already)
/// and says where it is.
pub fn pull(wanted: &Wanted, cache: &Path) -> Result<Pulled, String> {
    if let Some(version) = &wanted.version {
        let source = DefinitionsSource {
            product: wanted.product.clone(),
            definitions: version.clone(),
        };
        let dir = reference_docs::sync::definitions_dir(cache, &source);
        if dir.is_dir() {
            let files = count_json(&dir);
            return Ok(Pulled {
                source,
                dir,
                files,
                cached: true,
            });
        }
    }
    let (version, src) = fetch(wanted, cache)?;
    let source = DefinitionsSource {
        product: wanted.product.clone(),
        definitions: version,
    };
    let dir = reference_docs::sync::definitions_dir(cache, &source);
    let files = if dir.is_dir() {
        count_json(&dir)
    } else {
        copy_definitions(&src, &dir)?
    };
    Ok(Pulled {
        source,
        dir,
        files,
        cached: false,
    })
}

/// Fetches the crate through a throwaway manifest: its version and the
/// folder of its definitions.
fn fetch(wanted: &Wanted, cache: &Path) -> Result<(String, PathBuf), String> {
    let name = wanted.crate_name();
    let requirement = match &wanted.version {
        Some(v) => format!("={v}"),
        None => "*".to_string(),
    };
    let label = format!(
        "{}-{}",
        wanted.product,
        wanted.version.as_deref().unwrap_or("newest")
    );
    let project = cache.join(".fetch").join(&label);
    let manifest = project.join("Cargo.toml");
    let text = format!(
        "# Written by `cargo xtask explorer pull` to fetch definitions; never built.\n\
         [package]\nname = \"explorer-fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[lib]\npath = \"lib.rs\"\n\n[dependencies]\n\
         definitions = {{ package = \"{name}\", version = \"{requirement}\", \
         default-features = false }}\n\n[workspace]\n"
    );
    let io =
        |what: &str, p: &Path, e: std::io::Error| format!("cannot {what} {}: {e}", p.display());
    std::fs::create_dir_all(&project).map_err(|e| io("create", &project, e))?;
    std::fs::write(&manifest, text).map_err(|e| io("write", &manifest, e))?;
    let lib = project.join("lib.rs");
    std::fs::write(&lib, "").map_err(|e| io("write", &lib, e))?;
    // The newest is resolved again on every pull.
    let _ = std::fs::remove_file(project.join("Cargo.lock"));
    let fetched = cargo()
        .args(["fetch", "--manifest-path"])
        .arg(&manifest)
        .output()
        .map_err(|e| format!("cargo did not run: {e}"))?;
    if !fetched.status.success() {
        return Err(format!(
            "cannot fetch {name} {requirement} through cargo (is the crate registry reachable, \
             and is there such a version?):\n{}",
            String::from_utf8_lossy(&fetched.stderr).trim()
        ));
    }
    let metadata = cargo()
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(&manifest)
        .output()
        .map_err(|e| format!("cargo did not run: {e}"))?;
    if !metadata.status.success() {
        return Err(format!(
            "`cargo metadata` failed for {name}:\n{}",
            String::from_utf8_lossy(&metadata.stderr).trim()
        ));
    }
    located(&name, &metadata.stdout)
}

/// The version and `src/` folder of package `name` in `cargo metadata`'s
/// output.
fn located(name: &str, metadata: &[u8]) -> Result<(String, PathBuf), String> {
    let doc: serde_json::Value = serde_json::from_slice(metadata)
        .map_err(|e| format!("`cargo metadata` answered something other than JSON: {e}"))?;
    let packages = doc
        .get("packages")
        .and_then(serde_json::Value::as_array)
        .ok_or("`cargo metadata` answered no `packages`")?;
    let package = packages
        .iter()
        .find(|p| p.get("name").and_then(serde_json::Value::as_str) == Some(name))
        .ok_or_else(|| format!("`cargo metadata` does not list {name}"))?;
    let text = |key: &str| {
        package
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("`cargo metadata` gives {name} no `{key}`"))
    };
    let version = text("version")?;
    let manifest = PathBuf::from(text("manifest_path")?);
    let src = manifest
        .parent()
        .map(|d| d.join("src"))
        .ok_or_else(|| format!("{name}'s manifest {} has no folder", manifest.display()))?;
    Ok((version, src))
}

/// Copies every `*.json` of `src` into `dir`, whole or not at all: into a
/// sibling folder first, renamed when complete.
fn copy_definitions(src: &Path, dir: &Path) -> Result<usize, String> {
    let partial = dir.with_extension("partial");
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial)
        .map_err(|e| format!("cannot create {}: {e}", partial.display()))?;
    let files = reference_docs::sync::definition_files(src)
        .map_err(|e| format!("cannot list {}: {e}", src.display()))?;
    for path in &files {
        let to = partial.join(path.file_name().unwrap_or_default());
        std::fs::copy(path, &to).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
    }
    if files.is_empty() {
        return Err(format!(
            "{} holds no definitions (*.json); is it an API Explorer definitions crate?",
            src.display()
        ));
    }
    std::fs::rename(&partial, dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(files.len())
}

fn count_json(dir: &Path) -> usize {
    reference_docs::sync::definition_files(dir).map_or(0, |files| files.len())
}

/// The definitions every spec that pins some pins (`x-hwc-source`).
pub fn pinned(checked: &[generator::Checked]) -> Vec<Wanted> {
    checked
        .iter()
        .filter_map(|c| c.service.source.as_ref())
        .map(Wanted::from)
        .collect()
}

/// The cargo that runs this command (`CARGO`), or the one on the path.
pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_and_versions() {
        assert_eq!(
            Wanted::parse("DCS@0.1.20260626"),
            Ok(Wanted {
                product: "DCS".into(),
                version: Some("0.1.20260626".into())
            })
        );
        assert_eq!(Wanted::parse("Kafka").map(|w| w.version), Ok(None));
        for bad in [
            "",
            "dcs-x",
            "DCS@",
            "DCS@1.2",
            "DCS@1.x.3",
            "../DCS",
            "DCS@1.2.3@4",
        ] {
            assert!(Wanted::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_package_in_metadata() {
        let metadata =
            br#"{"packages":[{"name":"other","version":"1.0.0","manifest_path":"/x/Cargo.toml"},
            {"name":"huawei-cloud-api-definitions-DCS","version":"0.1.20260626",
             "manifest_path":"/reg/huawei-cloud-api-definitions-DCS-0.1.20260626/Cargo.toml"}]}"#;
        let (version, src) = located("huawei-cloud-api-definitions-DCS", metadata).unwrap();
        assert_eq!(version, "0.1.20260626");
        assert_eq!(
            src,
            Path::new("/reg/huawei-cloud-api-definitions-DCS-0.1.20260626/src")
        );
        assert!(located("huawei-cloud-api-definitions-ECS", metadata).is_err());
        assert!(located("x", b"not json").is_err());
    }
}
