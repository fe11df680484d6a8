//! The published documents (`published/<service>/`): fresh, faithful to the
//! bundled spec, self-contained.
//!
//! - the committed files equal a fresh `cargo xtask publish`;
//! - `openapi.yaml` and `openapi.json` both read back as exactly the bundled
//!   document, with no external reference and the spec's `info.version`;
//! - `reference.html` loads nothing from anywhere, names every operation,
//!   schema and region, and says for each operation whether a failed attempt
//!   is sent again;
//! - the README's table of services names every service and operation.

use serde_json::Value;
use workspace_tests::{published_dir, spec_dir};

fn changelog() -> std::path::PathBuf {
    workspace_tests::workspace_root().join("CHANGELOG.md")
}

#[test]
fn committed_published_files_are_fresh() {
    let files = generator::publish_all(&spec_dir(), "spec", Some(&changelog())).expect("publish");
    let services = generator::service_specs(&spec_dir())
        .expect("spec dir")
        .len();
    assert_eq!(
        files.len(),
        services * generator::publish::FILES.len() + 2,
        "each service's files, the extensions' schema and the portal"
    );
    let stale = generator::publish::stale(&published_dir(), &files);
    let diffs: Vec<String> = stale.iter().map(|s| s.diff.clone()).collect();
    assert!(
        stale.is_empty(),
        "published files are stale; run `cargo xtask publish`:\n{}",
        diffs.join("\n")
    );
}

#[test]
fn publishing_is_deterministic() {
    let first = generator::publish_all(&spec_dir(), "spec", Some(&changelog())).expect("publish");
    let second = generator::publish_all(&spec_dir(), "spec", Some(&changelog())).expect("publish");
    assert_eq!(first, second);
}

#[test]
fn documents_read_back_as_the_bundled_spec() {
    let bundles: Vec<generator::Bundle> = generator::load_and_check(&spec_dir(), "spec")
        .expect("specs check")
        .into_iter()
        .map(|c| c.bundle)
        .collect();
    for bundle in &bundles {
        let module = generator::module_name(&bundle.file);
        let dir = published_dir().join(&module);
        let yaml: Value =
            serde_yaml::from_str(&std::fs::read_to_string(dir.join("openapi.yaml")).unwrap())
                .expect("openapi.yaml parses");
        let json: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("openapi.json")).unwrap())
                .expect("openapi.json parses");
        assert_eq!(yaml, bundle.document, "{module}/openapi.yaml");
        assert_eq!(json, bundle.document, "{module}/openapi.json");
        assert_eq!(json["openapi"], "3.0.3");
        let spec: Value =
            serde_yaml::from_str(&std::fs::read_to_string(&bundle.file).unwrap()).unwrap();
        assert_eq!(json["info"]["version"], spec["info"]["version"]);
        generator::spec::bundle::walk_refs(&json, "", &mut |at, reference| {
            assert!(
                reference.starts_with("#/"),
                "{module}: external reference {reference} at {at}"
            );
        });
        serde_json::from_value::<openapiv3::OpenAPI>(json).expect("an OpenAPI 3 document");
    }
}

#[test]
fn json_keeps_the_order_the_spec_was_written_in() {
    let json = std::fs::read_to_string(published_dir().join("dcs/openapi.json")).unwrap();
    let at = |needle: &str| json.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("\"openapi\"") < at("\"info\""));
    assert!(at("\"info\"") < at("\"paths\""));
    assert!(at("\"paths\"") < at("\"components\""));
    // Properties as written: `id` before `name` before `details` in CenterTask.
    let center = at("\"CenterTask\": {");
    let rest = &json[center..];
    assert!(rest.find("\"id\"").unwrap() < rest.find("\"name\"").unwrap());
    assert!(rest.find("\"name\"").unwrap() < rest.find("\"details\"").unwrap());
}

#[test]
fn reference_pages_are_self_contained_and_complete() {
    let bundles: Vec<generator::Bundle> = generator::load_and_check(&spec_dir(), "spec")
        .expect("specs check")
        .into_iter()
        .map(|c| c.bundle)
        .collect();
    for bundle in &bundles {
        let module = generator::module_name(&bundle.file);
        let html =
            std::fs::read_to_string(published_dir().join(&module).join("reference.html")).unwrap();
        let lower = html.to_ascii_lowercase();
        for forbidden in [
            "<script", "<link", "<iframe", "<img", "@import", "url(", "src=", "http://", "//fonts.",
        ] {
            assert!(
                !lower.contains(forbidden),
                "{module}/reference.html contains {forbidden}"
            );
        }
        // The only absolute URLs are the service endpoints, shown as text.
        for (i, _) in lower.match_indices("href=\"") {
            let target = &lower[i + 6..];
            assert!(
                target.starts_with('#') || target.starts_with("openapi."),
                "{module}: link to {}",
                &target[..target.find('"').unwrap_or(target.len())]
            );
        }
        let doc = &bundle.document;
        for generator::spec::walk::OperationAt { op, .. } in generator::spec::walk::operations(doc)
        {
            let id = op["operationId"].as_str().unwrap();
            assert!(html.contains(&format!("id=\"op-{id}\"")), "{module}: {id}");
        }
        for name in doc["components"]["schemas"].as_object().unwrap().keys() {
            assert!(
                html.contains(&format!("id=\"schema-{name}\"")),
                "{module}: {name}"
            );
        }
        for region in doc["servers"][0]["variables"]["region"]["enum"]
            .as_array()
            .unwrap()
        {
            assert!(
                html.contains(&format!("<code>{}</code>", region.as_str().unwrap())),
                "{module}: region {region}"
            );
        }
        let version = doc["info"]["version"].as_str().unwrap();
        assert!(html.contains(&format!("version {version}")));
    }
}

#[test]
fn reference_pages_say_whether_each_operation_is_retried() {
    for checked in generator::load_and_check(&spec_dir(), "spec").expect("specs check") {
        let module = &checked.service.module;
        let html =
            std::fs::read_to_string(published_dir().join(module).join("reference.html")).unwrap();
        for op in &checked.service.operations {
            let start = html
                .find(&format!("id=\"op-{}\"", op.name))
                .unwrap_or_else(|| panic!("{module}: {}", op.name));
            let article = &html[start..];
            let article = &article[..article.find("</article>").unwrap()];
            let (said, not_said) = if op.idempotent {
                ("Retried on failure: yes", "Sent once")
            } else {
                ("Sent once: not idempotent", "Retried on failure")
            };
            assert!(article.contains(said), "{module}: {} {said}", op.name);
            assert!(!article.contains(not_said), "{module}: {}", op.name);
        }
    }
}

#[test]
fn reference_page_escapes_spec_text() {
    let doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "<T&>", "version": "1.0.0", "description": "a `<b>` \"q\""},
        "paths": {"/x": {"get": {
            "operationId": "Op",
            "summary": "<script>alert(1)</script>",
            "parameters": [{"name": "p\"><", "in": "query", "description": "d<",
                            "schema": {"type": "string", "pattern": "^<[a]>$"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/S\"x"},
                "example": {"k": "</pre><script>"}}}}}
        }}},
        "components": {"schemas": {"S\"x": {"type": "object", "description": "<i>",
            "x-hwc-open-enum": ["<a>"]}}}
    });
    let mut service = service_model(
        &[("S\"x", &["<a>"])],
        &[("/components/schemas/S\"x", generator::model::Scalar::Count)],
    );
    // The page reads only the model: its parts are read from the document
    // with the model's own readers.
    use generator::model::{Location, Method, Operation, Param, Response, Schema, Success};
    let doc = generator::spec::document::Node::sorted(&doc);
    let op = doc.pointer("/paths/~1x/get").unwrap();
    let p = op.pointer("/parameters/0").unwrap();
    service.title = "<T&>".into();
    service.version = "1.0.0".into();
    service.description = Some("a `<b>` \"q\"".into());
    service.schemas = Schema::components(&doc);
    service.operations = vec![Operation {
        name: "Op".into(),
        fn_name: "op".into(),
        method: Method::Get,
        path: "/x".into(),
        pointer: "/paths/~1x/get".into(),
        position: 0,
        summary: "<script>alert(1)</script>".into(),
        description: "<script>".into(),
        deprecated: false,
        tags: Vec::new(),
        params: vec![Param {
            name: "p\"><".into(),
            location: Location::Query,
            required: false,
            pointer: "/paths/~1x/get/parameters/0".into(),
            schema: Schema::read(
                p.get("schema").unwrap(),
                "/paths/~1x/get/parameters/0/schema",
            ),
            description: "d<".into(),
            example: None,
            json_type: "string".into(),
            format: None,
            rules: Vec::new(),
            default: None,
            scalar: None,
            open_enum: None,
        }],
        request_body: None,
        request: None,
        success: Success {
            statuses: vec![200],
            schema: Some("S\"x".into()),
            body_optional: false,
        },
        error_statuses: Vec::new(),
        responses: Response::all(&doc, op, "/paths/~1x/get"),
        paging: None,
        idempotent: true,
    }];
    let html = generator::publish::reference::render(&service, "spec/<x>.yaml");
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<T&>"));
    assert!(!html.contains("<i>"));
    assert!(!html.contains("<a>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("<code>&lt;b&gt;</code>"));
    assert!(html.contains("&lt;/pre&gt;&lt;script&gt;"));
    assert!(html.contains("id=\"schema-S_22_x\""));
    assert!(html.contains("href=\"#schema-S_22_x\""));
    // Open lists and scalars come from the model.
    assert!(html.contains("<code>&lt;a&gt;</code>"));
    assert!(html.contains("<code>x-hwc-scalar: count</code>"));
}

/// A model with the given open lists (component name → known values) and
/// scalars (schema pointer → kind), and nothing else.
fn service_model(
    open_enums: &[(&str, &[&str])],
    scalars: &[(&str, generator::model::Scalar)],
) -> generator::model::Service {
    generator::model::Service {
        module: "x".into(),
        file: "spec/x.yaml".into(),
        title: String::new(),
        version: String::new(),
        description: None,
        openapi: "3.0.3".into(),
        servers: Vec::new(),
        endpoints: generator::model::Endpoints {
            sdk_service: String::new(),
            pattern: String::new(),
            default_region: String::new(),
            regions: Vec::new(),
            exceptions: Default::default(),
        },
        operations: Vec::new(),
        open_enums: open_enums
            .iter()
            .map(|(name, values)| {
                let list = generator::model::OpenList {
                    description: String::new(),
                    values: values.iter().map(|v| v.to_string()).collect(),
                    integer: false,
                };
                (name.to_string(), list)
            })
            .collect(),
        implicit_enums: Default::default(),
        scalars: scalars
            .iter()
            .map(|(pointer, scalar)| (pointer.to_string(), *scalar))
            .collect(),
        security: Vec::new(),
        security_schemes: Vec::new(),
        schemas: Vec::new(),
        task_view: None,
        scheduled_view: None,
        source: None,
    }
}

#[test]
fn changelog_records_every_published_version() {
    let changelog =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../CHANGELOG.md"))
            .expect("CHANGELOG.md");
    let bundles: Vec<generator::Bundle> = generator::load_and_check(&spec_dir(), "spec")
        .expect("specs check")
        .into_iter()
        .map(|c| c.bundle)
        .collect();
    for bundle in &bundles {
        let module = generator::module_name(&bundle.file);
        let version = bundle.document["info"]["version"].as_str().unwrap();
        let heading = format!("### {module} {version}\n");
        assert!(
            changelog.contains(&heading),
            "CHANGELOG.md has no entry `{}` for the published version",
            heading.trim_end()
        );
        let start = changelog.find(&heading).unwrap();
        let entry = &changelog[start + heading.len()..];
        let entry = &entry[..entry.find("\n#").unwrap_or(entry.len())];
        for generator::spec::walk::OperationAt { op, .. } in
            generator::spec::walk::operations(&bundle.document)
        {
            let id = op["operationId"].as_str().unwrap();
            assert!(
                entry.contains(&format!("`{id}`")) || version != "1.0.0",
                "the first entry of {module} lists every operation; `{id}` is missing"
            );
        }
    }
}

/// The README's table is where a new user first looks: each service's row
/// names every one of its operations, by the SDK's name.
#[test]
fn the_readme_table_lists_every_operation() {
    let readme = std::fs::read_to_string(workspace_tests::workspace_root().join("README.md"))
        .expect("README.md");
    let mut missing = Vec::new();
    for service in huaweicloud_tasks::SERVICES {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", service.module)));
        let Some(row) = row else {
            missing.push(format!("no row for `{}`", service.module));
            continue;
        };
        for operation in service.operations {
            if !row.contains(&format!("`{}`", operation.name)) {
                missing.push(format!("`{}` {}", service.module, operation.name));
            }
        }
    }
    assert!(missing.is_empty(), "README.md's table lacks: {missing:?}");
}

/// The portal names every service with its published version and every
/// operation with its method and path, links each service's documents and
/// the extensions' schema, and carries the changelog; like the reference
/// pages it loads nothing from anywhere.
#[test]
fn the_portal_lists_every_service_and_operation() {
    let portal = std::fs::read_to_string(published_dir().join("index.html")).expect("index.html");
    for checked in generator::load_and_check(&spec_dir(), "spec").expect("specs check") {
        let s = &checked.service;
        assert!(
            portal.contains(&format!(
                "{} <span class=\"badge version\">version {}</span>",
                s.title, s.version
            )),
            "{} {}",
            s.module,
            s.version
        );
        for file in generator::publish::FILES {
            assert!(
                portal.contains(&format!("href=\"{}/{file}\"", s.module)),
                "{} {file}",
                s.module
            );
        }
        for op in &s.operations {
            assert!(
                portal.contains(&format!(
                    ">{}</span></td><td><code class=\"path\">{}</code>",
                    op.method.key().to_uppercase(),
                    op.path
                )),
                "{} {} {}",
                s.module,
                op.name,
                op.path
            );
            assert!(
                portal.contains(&format!(">{}</a>: ", op.name)),
                "{} {}",
                s.module,
                op.name
            );
        }
    }
    assert!(portal.contains(&format!(
        "href=\"{}\"",
        generator::publish::EXTENSIONS_SCHEMA
    )));
    assert!(portal.contains("<section id=\"changelog\">"));
    for loads in ["src=\"http", "href=\"http", "@import", "url("] {
        assert!(!portal.contains(loads), "the portal loads nothing: {loads}");
    }
}
