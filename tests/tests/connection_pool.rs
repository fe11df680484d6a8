//! One pool of connections per configuration: every service built from one
//! `Config` (and its clones) shares one HTTP client, so calls to services
//! behind one endpoint reuse a connection instead of opening one each.

use huaweicloud_tasks::{Config, Credentials, SERVICES};
use workspace_tests::operations::{self, Endpoint};
use workspace_tests::scripted::{Scripted, json_ok};
use workspace_tests::wire::{AK, SK};

/// A server that answers every request on a connection with `{}`, keeping
/// the connection open for the next.
async fn keep_alive_server() -> Scripted {
    Scripted::start(|mut conn| async move {
        while conn.read_request().await.is_some() {
            conn.write(json_ok("pool-request", b"{}")).await;
        }
    })
    .await
}

fn config(server: &Scripted) -> Config {
    Config::new(Credentials::access_key(AK, SK).unwrap())
        .endpoint(server.url())
        .retry(huaweicloud_tasks::RetryPolicy::disabled())
}

/// One operation of each service, in the table's order.
fn one_per_service() -> Vec<&'static operations::Operation> {
    let mut chosen: Vec<&operations::Operation> = Vec::new();
    for operation in operations::all() {
        if !chosen.iter().any(|c| c.module == operation.module) {
            chosen.push(operation);
        }
    }
    assert_eq!(chosen.len(), SERVICES.len());
    chosen
}

#[tokio::test]
async fn every_service_built_from_one_config_shares_one_connection() {
    let server = keep_alive_server().await;
    let config = config(&server);
    let clone = config.clone();
    for (i, operation) in one_per_service().into_iter().enumerate() {
        // Alternate between the configuration and its clone.
        let config = if i % 2 == 0 { &config } else { &clone };
        let endpoint = Endpoint::new(config, operation.service(), None);
        let _ = (operation.call)(endpoint).await;
    }
    assert_eq!(server.requests().len(), SERVICES.len());
    assert_eq!(server.connections(), 1, "one connection for every service");
}

#[tokio::test]
async fn a_new_connect_timeout_starts_a_client_of_its_own() {
    let server = keep_alive_server().await;
    let first = config(&server);
    let operation = one_per_service()[0];
    let _ = (operation.call)(Endpoint::new(&first, operation.service(), None)).await;
    let second = first
        .clone()
        .connect_timeout(std::time::Duration::from_secs(7));
    let _ = (operation.call)(Endpoint::new(&second, operation.service(), None)).await;
    let _ = (operation.call)(Endpoint::new(&first, operation.service(), None)).await;
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        server.connections(),
        2,
        "the first client's connection is reused"
    );
}

/// `Config::max_in_flight` bounds the attempts in flight over every service
/// built from the configuration and its clones.
#[tokio::test]
async fn max_in_flight_bounds_every_service_built_from_one_config() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (n, m) = (now.clone(), most.clone());
    let server = Scripted::start(move |mut conn| {
        let (now, most) = (n.clone(), m.clone());
        async move {
            while conn.read_request().await.is_some() {
                most.fetch_max(now.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(30)).await;
                now.fetch_sub(1, Ordering::SeqCst);
                conn.write(json_ok("pool-request", b"{}")).await;
            }
        }
    })
    .await;
    let config = config(&server).max_in_flight(2);
    let calls = one_per_service()
        .into_iter()
        .enumerate()
        .map(|(i, operation)| {
            let config = if i % 2 == 0 {
                config.clone()
            } else {
                config.clone().region("x")
            };
            (operation.call)(Endpoint::new(&config, operation.service(), None))
        });
    futures::future::join_all(calls).await;
    assert_eq!(server.requests().len(), SERVICES.len());
    assert_eq!(most.load(Ordering::SeqCst), 2);
}
