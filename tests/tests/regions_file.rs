//! The official SDKs' regions file (`HUAWEICLOUD_SDK_REGIONS_FILE` or
//! `~/.huaweicloud/regions.yaml`): read after the environment override and
//! before the generated region table, keyed by each service table's
//! `sdk_service`. Variables come from an injected table, never the process
//! environment.

use std::path::Path;

use huaweicloud_tasks::runtime::Service;
use huaweicloud_tasks::{Config, ConfigError, SERVICES, dcs, opengauss, rabbitmq};
use workspace_tests::env_table as env;

fn resolve(service: &Service, region: &str, pairs: &[(&str, &str)]) -> Result<String, ConfigError> {
    Config::anonymous()
        .env_lookup(env(pairs))
        .region(region)
        .resolve_endpoint(service)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file.display().to_string()
}

#[test]
fn the_file_adds_regions_and_overrides_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let dcs_key = dcs::SERVICE.sdk_service;
    let rabbitmq_key = rabbitmq::SERVICE.sdk_service.to_lowercase();
    let text = format!(
        "{dcs_key}:\n  - id: xx-test-1\n    endpoint: https://dcs.xx-test-1.example.com/\n  - id: ap-southeast-1\n    endpoints:\n      - https://dcs-a.example.com\n      - https://dcs-b.example.com\n    endpoint: https://dcs-c.example.com\n{rabbitmq_key}:\n  - id: xx-test-1\n    endpoint: https://dms.xx-test-1.example.com\n"
    );
    let file = write(dir.path(), "regions.yaml", &text);
    let with_file = [("HUAWEICLOUD_SDK_REGIONS_FILE", file.as_str())];

    // A region the table does not know; the trailing '/' goes.
    assert_eq!(
        resolve(&dcs::SERVICE, "xx-test-1", &with_file).unwrap(),
        "https://dcs.xx-test-1.example.com"
    );
    // A known region: the file comes before the table; `endpoints` before
    // `endpoint`, the first of them.
    assert_eq!(
        resolve(&dcs::SERVICE, "ap-southeast-1", &with_file).unwrap(),
        "https://dcs-a.example.com"
    );
    // The service key matches without regard to case, as the SDKs upper-case it.
    assert_eq!(
        resolve(&rabbitmq::SERVICE, "xx-test-1", &with_file).unwrap(),
        "https://dms.xx-test-1.example.com"
    );
    // Another service, or another region, keeps the table.
    assert_eq!(
        resolve(&opengauss::SERVICE, "cn-east-2", &with_file).unwrap(),
        "https://gaussdb.cn-east-2.myhuaweicloud.com"
    );
    assert_eq!(
        resolve(&dcs::SERVICE, "cn-north-4", &with_file).unwrap(),
        "https://dcs.cn-north-4.myhuaweicloud.com"
    );

    // The environment override comes before the file.
    let variable = format!("HUAWEICLOUD_SDK_REGION_{dcs_key}_AP_SOUTHEAST_1");
    let both = [
        ("HUAWEICLOUD_SDK_REGIONS_FILE", file.as_str()),
        (variable.as_str(), "https://from-env.example.com"),
    ];
    assert_eq!(
        resolve(&dcs::SERVICE, "ap-southeast-1", &both).unwrap(),
        "https://from-env.example.com"
    );

    // An explicit endpoint comes before all of them.
    let explicit = Config::anonymous()
        .env_lookup(env(&both))
        .region("ap-southeast-1")
        .endpoint("http://127.0.0.1:9")
        .resolve_endpoint(&dcs::SERVICE)
        .unwrap();
    assert_eq!(explicit, "http://127.0.0.1:9");
}

#[test]
fn the_default_file_is_in_the_home_folder() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join(".huaweicloud");
    std::fs::create_dir(&folder).unwrap();
    let home_path = home.path().to_str().unwrap();
    // No file yet: the table decides, and an unknown region says where to add it.
    let error = resolve(&dcs::SERVICE, "xx-test-2", &[("HOME", home_path)]).unwrap_err();
    assert!(
        matches!(error, ConfigError::UnknownRegion { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("regions file"), "{error}");

    // Every service can be given a region by its SDK name from the table.
    let mut text = String::new();
    for service in SERVICES {
        text.push_str(&format!(
            "{}:\n  - id: xx-test-2\n    endpoint: https://{}.xx-test-2.example.com\n",
            service.sdk_service, service.module
        ));
    }
    write(&folder, "regions.yaml", &text);
    for service in SERVICES {
        assert_eq!(
            resolve(service, "xx-test-2", &[("HOME", home_path)]).unwrap(),
            format!("https://{}.xx-test-2.example.com", service.module)
        );
    }
}

#[test]
fn a_bad_file_is_an_error_naming_the_file_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let key = dcs::SERVICE.sdk_service;
    let cases = [
        // Not YAML.
        (
            format!("{key}:\n  - id: a\n\t- id: b\n"),
            // The scanner names the end of the scalar the tab interrupts.
            vec!["tab".to_string(), "line 2".to_string()],
        ),
        (
            format!("{key}:\n  - id: \"unclosed\n"),
            vec!["quoted scalar".to_string(), "line 2 column 9".to_string()],
        ),
        // Not the shape the SDKs read.
        (
            format!("{key}:\n  - id: cn-north-4\n    endpoints: https://one.example.com\n"),
            vec![format!("{key}[0].endpoints"), "line 3".into()],
        ),
        (
            format!("{key}: https://dcs.example.com\n"),
            vec![key.into(), "line 1".into()],
        ),
        // An entry of this service without an id.
        (
            format!(
                "{key}:\n  - id: cn-north-4\n    endpoint: https://a.example.com\n  - endpoint: https://b.example.com\n"
            ),
            vec![format!("{key}[1] has no id")],
        ),
        // The region asked about, without an endpoint.
        (
            format!("{key}:\n  - id: xx-test-3\n"),
            vec![format!("{key}[0] (region xx-test-3) has no endpoint")],
        ),
        // An endpoint the client refuses (plain http only as an explicit endpoint).
        (
            format!("{key}:\n  - id: xx-test-3\n    endpoint: http://dcs.example.com\n"),
            vec![
                "region xx-test-3".into(),
                "http://dcs.example.com".into(),
                "plain http".into(),
            ],
        ),
    ];
    for (text, expected) in cases {
        let file = write(dir.path(), "regions.yaml", &text);
        let error = resolve(
            &dcs::SERVICE,
            "xx-test-3",
            &[("HUAWEICLOUD_SDK_REGIONS_FILE", file.as_str())],
        )
        .unwrap_err();
        let ConfigError::RegionsFile { path, reason } = &error else {
            panic!("expected a regions file error for {text:?}, got {error:?}");
        };
        assert_eq!(path, &file);
        let message = error.to_string();
        assert!(
            message.starts_with(&format!("regions file {file}: ")),
            "{message}"
        );
        for part in &expected {
            assert!(
                reason.contains(part.as_str()),
                "{part:?} not in {reason:?} for {text:?}"
            );
        }
    }

    // A file that is there but cannot be read (a folder) is an error, not
    // a missing file.
    let folder = dir.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let folder = folder.display().to_string();
    let error = resolve(
        &dcs::SERVICE,
        "cn-north-4",
        &[("HUAWEICLOUD_SDK_REGIONS_FILE", folder.as_str())],
    )
    .unwrap_err();
    let ConfigError::RegionsFile { path, reason } = &error else {
        panic!("expected a regions file error for a folder, got {error:?}");
    };
    assert_eq!(
        (path.as_str(), reason.starts_with("cannot be read")),
        (folder.as_str(), true),
        "{reason}"
    );

    // An empty file, an explicit null, a service with no entries, or a file
    // that names only other services, changes nothing.
    let no_entries = format!("{key}:\nOTHER: ~\n");
    for text in [
        "",
        "\n# nothing yet\n",
        "~\n",
        "null\n",
        no_entries.as_str(),
        "OTHER:\n  - id: xx-test-3\n    endpoint: https://x.example.com\n",
    ] {
        let file = write(dir.path(), "regions.yaml", text);
        let known = resolve(
            &dcs::SERVICE,
            "cn-north-4",
            &[("HUAWEICLOUD_SDK_REGIONS_FILE", file.as_str())],
        );
        assert_eq!(known.unwrap(), "https://dcs.cn-north-4.myhuaweicloud.com");
    }

    // A file named but absent is no file.
    let missing = dir.path().join("absent.yaml");
    assert_eq!(
        resolve(
            &dcs::SERVICE,
            "cn-north-4",
            &[("HUAWEICLOUD_SDK_REGIONS_FILE", missing.to_str().unwrap())]
        )
        .unwrap(),
        "https://dcs.cn-north-4.myhuaweicloud.com"
    );
}

#[test]
fn a_field_left_null_counts_as_absent() {
    let dir = tempfile::tempdir().unwrap();
    let key = dcs::SERVICE.sdk_service;
    for (text, expected) in [
        (
            format!(
                "{key}:\n  - id: xx-test-4\n    endpoints: ~\n    endpoint: https://one.example.com\n"
            ),
            "https://one.example.com",
        ),
        (
            format!(
                "{key}:\n  - id: xx-test-4\n    endpoint: null\n    endpoints: [https://two.example.com]\n"
            ),
            "https://two.example.com",
        ),
    ] {
        let file = write(dir.path(), "regions.yaml", &text);
        let found = resolve(
            &dcs::SERVICE,
            "xx-test-4",
            &[("HUAWEICLOUD_SDK_REGIONS_FILE", file.as_str())],
        );
        assert_eq!(found.unwrap(), expected, "{text}");
    }
}
