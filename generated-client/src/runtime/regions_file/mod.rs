//! The official SDKs' regions file: `HUAWEICLOUD_SDK_REGIONS_FILE`, or
//! `~/.huaweicloud/regions.yaml`, read after the environment override and
//! before the built-in table. It maps a service's SDK name (`DCS`, matched
//! without regard to case, as the SDKs upper-case it) to region entries:
//!
//! ```yaml
//! DCS:
//!   - id: cn-north-9
//!     endpoint: https://dcs.cn-north-9.example.com
//!   - id: ap-southeast-9
//!     endpoints:
//!       - https://dcs.ap-southeast-9.example.com
//! ```
//!
//! As in the SDKs, `endpoints` come before `endpoint`, the first one is used,
//! and of two entries with the same id the later wins. The whole file must
//! be valid (an error names the file, the line and column, and the path in
//! it); within the service asked about, an entry without `id`, or the entry
//! for the region asked about without any endpoint, is an error too rather
//! than being skipped, since it can only be a mistake.

mod yaml;

use std::path::PathBuf;

use crate::auth::provider::{EnvLookup, home_dir};
use yaml::{Node, Value};

/// Environment variable naming the regions file, as read by the official SDKs.
pub(crate) const ENV_REGIONS_FILE: &str = "HUAWEICLOUD_SDK_REGIONS_FILE";

/// One region entry; other keys are ignored, as by the SDKs.
#[derive(Default)]
struct Entry {
    id: Option<String>,
    endpoint: Option<String>,
    endpoints: Option<Vec<String>>,
}

/// The regions file `lookup` selects, if a home folder or the variable names one.
pub(crate) fn path(lookup: &EnvLookup) -> Option<PathBuf> {
    match lookup(ENV_REGIONS_FILE).filter(|p| !p.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => home_dir(lookup).map(|home| home.join(".huaweicloud").join("regions.yaml")),
    }
}

/// The endpoint the file at `path` gives `sdk_service` in `region`:
/// `Ok(None)` when there is no file or no entry for it. The error is the
/// reason, without the file's name.
pub(crate) fn endpoint(
    path: &std::path::Path,
    sdk_service: &str,
    region: &str,
) -> Result<Option<String>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot be read: {e}")),
    };
    let Some(document) = yaml::parse(&text)? else {
        return Ok(None);
    };
    let services = services(&document)?;
    let Some((key, entries)) = services
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(sdk_service))
    else {
        return Ok(None);
    };
    let mut found = None;
    for (index, entry) in entries.iter().enumerate() {
        let id = entry
            .id
            .as_deref()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| format!("{key}[{index}] has no id"))?;
        if id == region {
            found = Some((index, entry));
        }
    }
    let Some((index, entry)) = found else {
        return Ok(None);
    };
    let first = entry
        .endpoints
        .iter()
        .flatten()
        .chain(&entry.endpoint)
        .map(|e| e.trim())
        .find(|e| !e.is_empty())
        .ok_or_else(|| format!("{key}[{index}] (region {region}) has no endpoint or endpoints"))?;
    Ok(Some(first.to_string()))
}

/// The whole file read as the SDKs read it: service name to region entries.
/// Every service is checked, not only the one asked about.
fn services(document: &Node) -> Result<Vec<(String, Vec<Entry>)>, String> {
    let entries = match &document.value {
        Value::Map(entries) => entries,
        Value::Null => return Ok(Vec::new()),
        _ => return Err(shape("the file", document, "a mapping of service names")),
    };
    entries
        .iter()
        .map(|(key, list)| {
            let items = match &list.value {
                Value::List(items) => items.as_slice(),
                Value::Null => &[],
                _ => return Err(shape(key, list, "a list of region entries")),
            };
            let entries = items
                .iter()
                .enumerate()
                .map(|(index, item)| entry(&format!("{key}[{index}]"), item))
                .collect::<Result<_, _>>()?;
            Ok((key.clone(), entries))
        })
        .collect()
}

fn entry(path: &str, node: &Node) -> Result<Entry, String> {
    let Value::Map(fields) = &node.value else {
        return Err(shape(
            path,
            node,
            "a mapping with id and endpoint or endpoints",
        ));
    };
    let mut entry = Entry::default();
    for (name, value) in fields {
        let at = format!("{path}.{name}");
        match name.as_str() {
            "id" => entry.id = text(&at, value)?,
            "endpoint" => entry.endpoint = text(&at, value)?,
            "endpoints" => {
                entry.endpoints = match &value.value {
                    Value::Null => None,
                    Value::List(items) => Some(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| {
                                text(&format!("{at}[{i}]"), item).map(Option::unwrap_or_default)
                            })
                            .collect::<Result<_, _>>()?,
                    ),
                    _ => return Err(shape(&at, value, "a list of endpoints")),
                }
            }
            _ => {}
        }
    }
    Ok(entry)
}

fn text(path: &str, node: &Node) -> Result<Option<String>, String> {
    match &node.value {
        Value::Text(text) => Ok(Some(text.clone())),
        Value::Null => Ok(None),
        _ => Err(shape(path, node, "a text")),
    }
}

fn shape(path: &str, node: &Node, expected: &str) -> String {
    format!(
        "{path} at {}: expected {expected}, found {}",
        node.place(),
        node.kind()
    )
}
