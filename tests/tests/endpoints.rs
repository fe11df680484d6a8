//! Region tables generated from the specs, the official SDKs' override
//! variable and explicit endpoints. (Credentials read from the environment
//! are tested beside their reader, `generated-client/src/auth/credentials.rs`.)

use huaweicloud_tasks::runtime::Service;
use huaweicloud_tasks::{Config, ConfigError, SERVICES, dcs, opengauss, rabbitmq};
use serde_json::Value;

fn no_env(_: &str) -> Option<String> {
    None
}

fn resolve(service: &Service, region: &str) -> Result<String, ConfigError> {
    Config::anonymous()
        .env_lookup(no_env)
        .region(region)
        .resolve_endpoint(service)
}

/// Every service of `SERVICES`, against its published document (a separate
/// output of the same spec): the region list is the document's, and every
/// region resolves to the server URL pattern, or to the document's
/// exception for it.
#[test]
fn every_region_follows_the_pattern_except_the_documented_exceptions() {
    assert!(!SERVICES.is_empty());
    for service in SERVICES {
        let document: Value = workspace_tests::published_document(service.module);
        let server = &document["servers"][0];
        let pattern = server["url"].as_str().expect("a server URL");
        assert!(pattern.contains("{region}"), "{pattern}");
        let regions: Vec<&str> = server["variables"]["region"]["enum"]
            .as_array()
            .expect("a region list")
            .iter()
            .map(|r| r.as_str().expect("a region id"))
            .collect();
        assert_eq!(service.endpoints.regions, regions, "{}", service.module);
        let exceptions = server["x-hwc-endpoint-exceptions"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            service.endpoints.exceptions.len(),
            exceptions.len(),
            "{}",
            service.module
        );
        for region in service.endpoints.regions {
            let expected = exceptions
                .get(*region)
                .map(|url| url.as_str().expect("an exception URL").to_string())
                .unwrap_or_else(|| pattern.replace("{region}", region));
            assert_eq!(
                resolve(service, region).unwrap(),
                expected,
                "{} {region}",
                service.module
            );
        }
    }
}

/// Facts of the pages, written out by hand: the region counts, and where an
/// exception is one service's and not another's.
#[test]
fn the_documented_region_counts_and_domains() {
    assert_eq!(dcs::SERVICE.endpoints.regions.len(), 34);
    assert_eq!(rabbitmq::SERVICE.endpoints.regions.len(), 34);
    assert_eq!(opengauss::SERVICE.endpoints.regions.len(), 25);
    // DCS keeps the .com domain in eu-west-101.
    assert_eq!(
        resolve(&dcs::SERVICE, "eu-west-101").unwrap(),
        "https://dcs.eu-west-101.myhuaweicloud.com"
    );
}

#[test]
fn unknown_region_lists_the_known_ones_and_the_override_variable() {
    let e = resolve(&opengauss::SERVICE, "eu-west-101")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown region `eu-west-101` for opengauss"),
        "{e}"
    );
    assert!(e.contains("cn-north-4") && e.contains("tr-west-1"), "{e}");
    assert!(
        e.contains("HUAWEICLOUD_SDK_REGION_GAUSSDBFOROPENGAUSS_EU_WEST_101"),
        "{e}"
    );
}

#[test]
fn the_sdk_override_variable_wins_and_takes_its_first_entry() {
    fn env(name: &str) -> Option<String> {
        (name == "HUAWEICLOUD_SDK_REGION_RABBITMQ_CN_NORTH_4")
            .then(|| " https://dms.internal.example.com/ , https://backup.example.com".to_string())
    }
    let config = Config::anonymous().env_lookup(env).region("cn-north-4");
    assert_eq!(
        config.resolve_endpoint(&rabbitmq::SERVICE).unwrap(),
        "https://dms.internal.example.com"
    );
    // The variable also makes an otherwise unknown region usable.
    fn env2(name: &str) -> Option<String> {
        (name == "HUAWEICLOUD_SDK_REGION_DCS_XX_NEW_1")
            .then(|| "https://dcs.xx-new-1.example.com".into())
    }
    let config = Config::anonymous().env_lookup(env2).region("xx-new-1");
    assert_eq!(
        config.resolve_endpoint(&dcs::SERVICE).unwrap(),
        "https://dcs.xx-new-1.example.com"
    );
}

#[test]
fn plain_http_only_when_given_explicitly() {
    fn env(_: &str) -> Option<String> {
        Some("http://127.0.0.1:8080".into())
    }
    let e = Config::anonymous()
        .env_lookup(env)
        .region("cn-north-4")
        .resolve_endpoint(&dcs::SERVICE)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("plain http is accepted only as an explicit endpoint"),
        "{e}"
    );
    let explicit = Config::anonymous()
        .endpoint("http://127.0.0.1:8080/")
        .resolve_endpoint(&dcs::SERVICE)
        .unwrap();
    assert_eq!(explicit, "http://127.0.0.1:8080");
    let e = Config::anonymous()
        .endpoint("ftp://x")
        .resolve_endpoint(&dcs::SERVICE)
        .unwrap_err();
    assert!(e.to_string().contains("unsupported scheme `ftp`"), "{e}");
    let e = Config::anonymous()
        .resolve_endpoint(&dcs::SERVICE)
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("no region or endpoint given for dcs"),
        "{e}"
    );
}
