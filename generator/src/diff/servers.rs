//! Comparing where a service is reached: the server URL, its regions and the
//! per-region endpoint exceptions.
//!
//! A client builds every request URL from these, so a region removed or the
//! URL changed breaks it even when no operation changed.

use std::collections::BTreeMap;

use serde_json::Value;

use super::context::{Context, quoted, str_of, strings};
use super::report::{Class, Kind};
use crate::model::extensions::Extensions;

impl Context<'_> {
    /// The first server of each document: its URL, regions and endpoints.
    pub(super) fn servers(&mut self) {
        let (old, new) = (
            self.old_doc.pointer("/servers/0"),
            self.new_doc.pointer("/servers/0"),
        );
        let (Some(old), Some(new)) = (old, new) else {
            if old.is_some() != new.is_some() {
                self.push(
                    Class::Breaking,
                    Kind::ServerChanged,
                    "servers",
                    "the server was added or removed",
                );
            }
            return;
        };
        let (old_url, new_url) = (str_of(old, "url"), str_of(new, "url"));
        if old_url != new_url {
            self.push(
                Class::Breaking,
                Kind::ServerChanged,
                "servers",
                format!(
                    "server URL changed from `{}` to `{}`",
                    old_url.unwrap_or_default(),
                    new_url.unwrap_or_default()
                ),
            );
        }
        let old_regions = strings(old.pointer("/variables/region/enum"));
        let new_regions = strings(new.pointer("/variables/region/enum"));
        let removed: Vec<&String> = old_regions
            .iter()
            .filter(|r| !new_regions.contains(r))
            .collect();
        let added: Vec<&String> = new_regions
            .iter()
            .filter(|r| !old_regions.contains(r))
            .collect();
        if !removed.is_empty() {
            self.push(
                Class::Breaking,
                Kind::RegionRemoved,
                "regions",
                format!("region(s) removed: {}", quoted(&removed)),
            );
        }
        if !added.is_empty() {
            self.push(
                Class::Compatible,
                Kind::RegionAdded,
                "regions",
                format!("region(s) added: {}", quoted(&added)),
            );
        }
        let exceptions = |s: &Value| -> BTreeMap<String, String> {
            Extensions::of(s)
                .endpoint_exceptions
                .unwrap_or_default()
                .into_iter()
                .map(|(region, url)| (region, url.0))
                .collect()
        };
        let (old_ex, new_ex) = (exceptions(old), exceptions(new));
        for region in new_regions.iter().filter(|r| old_regions.contains(r)) {
            let endpoint = |ex: &BTreeMap<String, String>, url: Option<&str>| {
                ex.get(region)
                    .cloned()
                    .unwrap_or_else(|| url.unwrap_or_default().replace("{region}", region))
            };
            let (before, after) = (endpoint(&old_ex, old_url), endpoint(&new_ex, new_url));
            if before != after && old_url == new_url {
                self.push(
                    Class::Compatible,
                    Kind::EndpointChanged,
                    "regions",
                    format!("endpoint of `{region}` changed from `{before}` to `{after}`"),
                );
            }
        }
    }
}
