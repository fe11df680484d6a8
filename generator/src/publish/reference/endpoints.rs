//! The endpoints section: server URLs, their variables and, for the
//! `region` variable, the endpoint of every region.
//!
//! A region's endpoint is the URL pattern with the region filled in, unless
//! the model's endpoint exceptions (`x-hwc-endpoint-exceptions` on the first
//! server) name another one; the table says which.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{optional_str, str_at};
use crate::model::Service;
use crate::spec::document::Node;

#[derive(Serialize)]
pub struct Endpoints {
    servers: Vec<Server>,
    /// The model's SDK service name (`x-hwc-sdk-service`): names the
    /// environment variables that override a region's endpoint.
    sdk_service: Option<String>,
}

#[derive(Serialize)]
struct Server {
    url: String,
    description: Option<String>,
    /// The variables other than `region`.
    variables: Vec<Variable>,
    region: Option<Region>,
}

#[derive(Serialize)]
struct Variable {
    name: String,
    description: String,
    default: String,
}

#[derive(Serialize)]
struct Region {
    description: Option<String>,
    default: String,
    rows: Vec<RegionRow>,
}

#[derive(Serialize)]
struct RegionRow {
    id: String,
    /// The endpoint split at its dots, so the page can offer a line break
    /// after each one.
    endpoint_labels: Vec<String>,
    default: bool,
    exception: bool,
}

pub fn endpoints(doc: &Node, service: &Service) -> Endpoints {
    let servers = doc.get("servers").and_then(Node::as_array).unwrap_or(&[]);
    let none = BTreeMap::new();
    Endpoints {
        servers: servers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                // Only the first server carries exceptions.
                let exceptions = if i == 0 {
                    &service.endpoints.exceptions
                } else {
                    &none
                };
                server(s, exceptions)
            })
            .collect(),
        sdk_service: Some(service.endpoints.sdk_service.clone()).filter(|s| !s.is_empty()),
    }
}

fn server(server: &Node, exceptions: &BTreeMap<String, String>) -> Server {
    let url = str_at(server, "url");
    let variables = server
        .get("variables")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter(|(name, _)| name != "region")
        .map(|(name, variable)| Variable {
            name: name.clone(),
            description: str_at(variable, "description").to_string(),
            default: variable
                .get("default")
                .map(Node::to_text)
                .unwrap_or_default(),
        })
        .collect();
    let region = server
        .pointer("/variables/region")
        .map(|region| regions(url, region, exceptions));
    Server {
        url: url.to_string(),
        description: optional_str(server, "description"),
        variables,
        region,
    }
}

fn regions(url: &str, region: &Node, exceptions: &BTreeMap<String, String>) -> Region {
    let default = str_at(region, "default");
    let rows = region
        .get("enum")
        .and_then(Node::as_array)
        .unwrap_or(&[])
        .iter()
        .map(|r| {
            let id = r.to_text();
            let exception = exceptions.get(&id);
            let endpoint = exception
                .cloned()
                .unwrap_or_else(|| url.replace("{region}", &id));
            RegionRow {
                endpoint_labels: endpoint.split('.').map(str::to_string).collect(),
                default: id == default,
                exception: exception.is_some(),
                id,
            }
        })
        .collect();
    Region {
        description: optional_str(region, "description"),
        default: default.to_string(),
        rows,
    }
}
