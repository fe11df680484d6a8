//! The endpoints section: server URLs, their variables and, for the
//! `region` variable, the endpoint of every region.
//!
//! A region's endpoint is the URL pattern with the region filled in, unless
//! the model's endpoint exceptions (`x-hwc-endpoint-exceptions` on the first
//! server) name another one; the table says which.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{self, Service};

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

pub fn endpoints(service: &Service) -> Endpoints {
    let none = BTreeMap::new();
    Endpoints {
        servers: service
            .servers
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

fn server(server: &model::Server, exceptions: &BTreeMap<String, String>) -> Server {
    let variables = server
        .variables
        .iter()
        .filter(|v| v.name != "region")
        .map(|v| Variable {
            name: v.name.clone(),
            description: v.description.clone().unwrap_or_default(),
            default: v.default.clone(),
        })
        .collect();
    let region = server
        .variables
        .iter()
        .find(|v| v.name == "region")
        .map(|region| regions(&server.url, region, exceptions));
    Server {
        url: server.url.clone(),
        description: server.description.clone(),
        variables,
        region,
    }
}

fn regions(
    url: &str,
    region: &model::ServerVariable,
    exceptions: &BTreeMap<String, String>,
) -> Region {
    let rows = region
        .values
        .iter()
        .map(|id| {
            let exception = exceptions.get(id);
            let endpoint = exception
                .cloned()
                .unwrap_or_else(|| url.replace("{region}", id));
            RegionRow {
                endpoint_labels: endpoint.split('.').map(str::to_string).collect(),
                default: *id == region.default,
                exception: exception.is_some(),
                id: id.clone(),
            }
        })
        .collect();
    Region {
        description: region.description.clone(),
        default: region.default.clone(),
        rows,
    }
}
