//! API Explorer definitions as input (`reference_docs::explorer`, `cargo
//! xtask doc diff|import DEF.json`): the real definitions in
//! `tests/data/doc/definitions/` (see its README for the crates and
//! versions) read into the page model with `#/parameters/...` and
//! `#/definitions/...` references followed; the DCS ones compared with
//! `spec/` agree, each difference acknowledged with its source; every kind of finding comes
//! from some definition; the commands exit 0, 1 or 2 and write nothing on 2;
//! a definition imported into a new service checks, and one imported into
//! an existing operation keeps the spec's English descriptions; no mutated
//! definition makes the reader panic.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use generator::Checked;
use proptest::prelude::*;
use reference_docs::diff::{Kind, PageDiff, diff};
use reference_docs::import::{Request, import};
use reference_docs::page::{Children, Field, PageType, ParamLocation};
use reference_docs::{Page, explorer};
use serde_json::{Value, json};
use workspace_tests::properties;

const LIST_TASKS: &str = "DCS/0.1.20260626/ListBackgroundTask.json";
const DELETE_TASK: &str = "DCS/0.1.20260626/DeleteBackgroundTask.json";
const CENTER_TASKS: &str = "DCS/0.1.20260626/ListCenterTask.json";
const JOB_INFO: &str = "DCS/0.1.20260626/ShowJobInfo.json";
const ECS: &str = "ECS/0.1.20261024/ListLaunchTemplateVersions.json";
const CCE: &str = "CCE/0.1.20260918/ListPartitions.json";
const FOREIGN: &str = "RocketMQ/0.1.20260918/EnableDns.json";

fn root() -> PathBuf {
    workspace_tests::workspace_root()
}

fn path(name: &str) -> PathBuf {
    root().join("tests/data/doc/definitions").join(name)
}

/// Every fixture file, by its name under `tests/data/doc/definitions`
/// (`DCS/0.1.20260626/ListBackgroundTask.json`), sorted.
fn every_fixture() -> &'static [String] {
    static ALL: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let base = root().join("tests/data/doc/definitions");
        let mut out = Vec::new();
        let mut dirs = vec![base.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("fixtures") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    let name = path.strip_prefix(&base).expect("under the base");
                    out.push(name.to_string_lossy().into_owned());
                }
            }
        }
        out.sort();
        out
    });
    &ALL
}

fn json_of(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path(name)).expect("fixture")).expect("JSON")
}

fn read(name: &str) -> Page {
    reference_docs::read(&path(name)).unwrap_or_else(|e| panic!("{e}"))
}

fn specs() -> &'static [Checked] {
    static SPECS: OnceLock<Vec<Checked>> = OnceLock::new();
    SPECS.get_or_init(|| {
        generator::load_and_check(&root().join("spec"), "spec").unwrap_or_else(|e| panic!("{e}"))
    })
}

fn compare(page: &Page) -> PageDiff {
    diff(page, specs(), None).unwrap_or_else(|e| panic!("{e}"))
}

fn field<'a>(fields: &'a [Field], dotted: &[&str]) -> &'a Field {
    let f = fields
        .iter()
        .find(|f| f.name == dotted[0])
        .unwrap_or_else(|| panic!("no field `{}`", dotted[0]));
    match (&dotted[1..], &f.children) {
        ([], _) => f,
        (rest, Children::Fields(children)) => field(children, rest),
        (_, other) => panic!("`{}` has no fields: {other:?}", f.name),
    }
}

#[test]
fn definitions_read_into_pages_with_their_references_followed() {
    let page = read(LIST_TASKS);
    assert_eq!(page.method, "GET");
    assert_eq!(page.path, "/v2/{project_id}/instances/{instance_id}/tasks");
    assert_eq!(page.operation_id.as_deref(), Some("ListBackgroundTask"));
    assert_eq!(page.services, ["dcs"]);
    assert_eq!(page.function.as_deref(), Some("查询后台任务列表"));
    let limit = page.param("limit").expect("limit");
    assert_eq!(
        (limit.location, limit.required),
        (ParamLocation::Query, Some(false))
    );
    assert_eq!(limit.ty.shape(), "integer");
    assert_eq!(page.statuses(), ["200", "400", "401", "403", "404", "500"]);
    let fields = &page.responses[0].fields;
    let tasks = field(fields, &["tasks"]);
    assert_eq!(tasks.type_text, "Array of SingleBackgroundTask objects");
    assert_eq!(
        field(fields, &["tasks", "details", "new_port"]).ty.shape(),
        "integer"
    );
    assert_eq!(page.examples.len(), 1);
    assert_eq!(page.example_responses[0].status, Some(200));

    // `#/parameters/...` on the operation; the token header is no parameter.
    let ecs = read(ECS);
    let project = ecs.param("project_id").expect("project_id by reference");
    assert_eq!(
        (project.location, project.required),
        (ParamLocation::Path, Some(true))
    );
    assert!(ecs.param("X-Auth-Token").is_none());
    assert_eq!(ecs.param("limit").expect("limit").bounds.min, Some(1));
    assert_eq!(
        ecs.param("version").expect("version").ty.shape(),
        "array of integer"
    );
    let deep = &[
        "launch_template_versions",
        "template_data",
        "internet_access",
        "publicip",
    ];
    let publicip = field(&ecs.responses[0].fields, deep);
    assert_eq!(
        publicip.ty,
        PageType::Object {
            table: Some("TemplatePublicIpOption".into())
        }
    );
    let size = field(
        &ecs.responses[0].fields,
        &[deep, &["bandwidth", "size"][..]].concat(),
    );
    assert_eq!(size.type_text, "Integer");

    // `#/parameters/...` on the path item.
    let cce = read(CCE);
    let located: Vec<_> = cce
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location))
        .collect();
    assert!(
        located.contains(&("project_id", ParamLocation::Path)),
        "{located:?}"
    );
    assert!(
        located.contains(&("cluster_id", ParamLocation::Path)),
        "{located:?}"
    );
}

#[test]
fn the_dcs_definitions_agree_with_the_spec_or_it_says_why() {
    let list = compare(&read(LIST_TASKS));
    assert!(list.clean(), "{:?}", list.findings);
    // The page's top-level fields, kept for callers: acknowledged, with the
    // SDK as the source.
    let kept: BTreeSet<(Kind, String)> = list
        .findings
        .iter()
        .filter(|f| {
            f.reason
                .as_deref()
                .is_some_and(|r| r.contains("SDK 3.1.219"))
        })
        .map(|f| (f.kind, f.name.clone()))
        .collect();
    let removed: BTreeSet<(Kind, String)> = ["created_at", "status", "updated_at"]
        .iter()
        .map(|n| (Kind::FieldRemoved, n.to_string()))
        .collect();
    assert_eq!(kept, removed);
    // The deviations recorded for the instance task page's missing detail
    // fields are the page's: the definition neither needs them nor drifts.
    assert!(list.findings.iter().all(|f| f.kind != Kind::DeviationDrift));

    // 200 with a message or 204 without a body, as the definition says.
    let delete = compare(&read(DELETE_TASK));
    assert!(delete.findings.is_empty(), "{:?}", delete.findings);

    for name in [CENTER_TASKS, JOB_INFO] {
        let d = compare(&read(name));
        assert!(d.clean(), "{name}: {:?}", d.findings);
    }
}

#[test]
fn a_constraint_only_the_spec_states_is_a_finding() {
    // ListCenterTask's `limit` is 1 to 1000 in the spec because the
    // definition says so in its description; without that sentence the
    // range has no source.
    let mut doc = json_of(CENTER_TASKS);
    let params = doc["paths"]["/v2/{project_id}/tasks"]["get"]["parameters"]
        .as_array_mut()
        .expect("parameters");
    let limit = params
        .iter_mut()
        .find(|p| p["name"] == "limit")
        .expect("limit");
    assert!(compare(&read(CENTER_TASKS)).clean());
    limit["description"] = json!("每页显示的条目数量。");
    let page = explorer::definition(CENTER_TASKS, &doc).unwrap_or_else(|e| panic!("{e}"));
    let d = compare(&page);
    let unsourced: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.kind == Kind::ConstraintUnsourced && !f.acknowledged)
        .map(|f| (f.name.as_str(), f.spec.as_deref()))
        .collect();
    assert_eq!(unsourced, [("limit", Some("range 1..1000"))]);

    // A pattern the definition states is a source; the date patterns the
    // spec writes out are acknowledged with theirs.
    let stated = d
        .findings
        .iter()
        .filter(|f| f.name == "start_time" || f.name == "end_time")
        .all(|f| f.acknowledged);
    assert!(stated, "{:?}", d.findings);
}

/// The DCS ListBackgroundTask definition with one change made in memory.
fn changed(change: impl Fn(&mut Value)) -> Page {
    let mut doc = json_of(LIST_TASKS);
    change(&mut doc);
    explorer::definition(LIST_TASKS, &doc).unwrap_or_else(|e| panic!("{e}"))
}

fn op(doc: &mut Value) -> &mut Value {
    &mut doc["paths"]["/v2/{project_id}/instances/{instance_id}/tasks"]["get"]
}

fn param<'a>(doc: &'a mut Value, name: &str) -> &'a mut Value {
    let list = op(doc)["parameters"].as_array_mut().expect("parameters");
    list.iter_mut()
        .find(|p| p["name"] == name)
        .expect("parameter")
}

#[test]
fn every_kind_of_finding_comes_from_some_definition() {
    let mut kinds: BTreeSet<Kind> = BTreeSet::new();
    for name in [LIST_TASKS, DELETE_TASK, JOB_INFO] {
        kinds.extend(compare(&read(name)).findings.iter().map(|f| f.kind));
    }
    let url = "x-request-examples-url-1";
    let base = "GET https://{endpoint}/v2/{project_id}/instances/{instance_id}/tasks";
    type Change = Box<dyn Fn(&mut Value)>;
    let changes: Vec<(Kind, Change)> = vec![
        (
            Kind::PathPrefix,
            Box::new(|d| {
                let paths = d["paths"].as_object_mut().expect("paths");
                let item = paths
                    .remove("/v2/{project_id}/instances/{instance_id}/tasks")
                    .expect("the path");
                paths.insert(
                    "/dcs/v2/{project_id}/instances/{instance_id}/tasks".into(),
                    item,
                );
            }),
        ),
        (
            Kind::ParameterAdded,
            Box::new(|d| {
                let list = op(d)["parameters"].as_array_mut().expect("list");
                list.push(json!({"name": "status", "in": "query", "type": "string"}));
            }),
        ),
        (
            Kind::ParameterRemoved,
            Box::new(|d| {
                op(d)["parameters"]
                    .as_array_mut()
                    .expect("list")
                    .retain(|p| p["name"] != "end_time");
            }),
        ),
        (
            Kind::ParameterRenamed,
            Box::new(|d| param(d, "offset")["name"] = json!("start")),
        ),
        (
            Kind::ParameterLocation,
            Box::new(|d| param(d, "start_time")["in"] = json!("header")),
        ),
        (
            Kind::ParameterType,
            Box::new(|d| param(d, "limit")["type"] = json!("string")),
        ),
        (
            Kind::ParameterRequired,
            Box::new(|d| param(d, "limit")["required"] = json!(true)),
        ),
        (
            Kind::ParameterBounds,
            Box::new(|d| param(d, "limit")["maximum"] = json!(500)),
        ),
        (
            Kind::ParameterDefault,
            Box::new(|d| param(d, "limit")["default"] = json!(20)),
        ),
        (
            Kind::ParameterEnum,
            Box::new(|d| param(d, "start_time")["enum"] = json!(["today"])),
        ),
        (
            Kind::FieldAdded,
            Box::new(|d| {
                d["definitions"]["BackgroundTaskListResp"]["properties"]["total"] =
                    json!({"type": "integer"});
            }),
        ),
        (
            Kind::FieldRetyped,
            Box::new(|d| {
                d["definitions"]["SingleBackgroundTask"]["properties"]["id"]["type"] =
                    json!("integer");
            }),
        ),
        (
            Kind::StatusAdded,
            Box::new(|d| {
                op(d)["responses"]["202"] = json!({"description": "Accepted."});
            }),
        ),
        (
            // The example URL no longer sends begin_time: the deviation
            // recorded for it matches nothing.
            Kind::DeviationDrift,
            Box::new(move |d| op(d)[url] = json!(format!("{base}?start_time=20200609160000"))),
        ),
        (
            Kind::StatusRemoved,
            Box::new(|d| {
                op(d)["responses"]
                    .as_object_mut()
                    .expect("responses")
                    .remove("404");
            }),
        ),
        (
            Kind::ExamplePrefix,
            Box::new(move |d| {
                op(d)[url] = json!(base.replace("/v2/", "/dcs/v2/"));
            }),
        ),
        (
            Kind::ExampleParameter,
            Box::new(move |d| op(d)[url] = json!(format!("{base}?since=1"))),
        ),
    ];
    for (kind, change) in changes {
        let found: Vec<Kind> = compare(&changed(change))
            .findings
            .iter()
            .map(|f| f.kind)
            .collect();
        assert!(found.contains(&kind), "{kind:?} not in {found:?}");
        kinds.insert(kind);
    }
    let every = [
        Kind::PathPrefix,
        Kind::ParameterAdded,
        Kind::ParameterRemoved,
        Kind::ParameterRenamed,
        Kind::ParameterLocation,
        Kind::ParameterType,
        Kind::ParameterRequired,
        Kind::ParameterBounds,
        Kind::ParameterDefault,
        Kind::ParameterEnum,
        Kind::FieldAdded,
        Kind::FieldRemoved,
        Kind::FieldRetyped,
        Kind::StatusAdded,
        Kind::StatusRemoved,
        Kind::ExamplePath,
        Kind::ExamplePrefix,
        Kind::ExampleParameter,
        Kind::ExampleField,
        Kind::DeviationDrift,
    ];
    for kind in every {
        assert!(kinds.contains(&kind), "no definition gives {kind:?}");
    }
}

/// A spec directory: `spec/shared` and copies of the hand-written specs.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    workspace_tests::scratch::copy_workspace(&root().join("spec"), dir.path());
    dir
}

fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    workspace_tests::scratch::files(dir)
}

#[test]
fn the_commands_exit_0_1_or_2_and_write_nothing_on_2() {
    let spec = root().join("spec");
    let spec = spec.to_str().expect("UTF-8");
    let diff = |file: &Path, json: bool| {
        let file = file.to_str().expect("UTF-8");
        let mut args = vec!["doc", "diff", "--spec", spec, file];
        if json {
            args.push("--json");
        }
        workspace_tests::xtask(&args)
    };
    let (code, out, err) = diff(&path(CENTER_TASKS), true);
    assert_eq!(code, 0, "{out}{err}");
    let findings: Value = serde_json::from_str(&out).expect("JSON");
    assert!(
        findings
            .as_array()
            .expect("array")
            .iter()
            .all(|f| f["acknowledged"] == true)
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let bounded = dir.path().join("ListBackgroundTask.json");
    let mut doc = json_of(LIST_TASKS);
    param(&mut doc, "limit")["maximum"] = json!(500);
    std::fs::write(&bounded, doc.to_string()).expect("write");
    let (code, out, err) = diff(&bounded, false);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("parameter-bounds") && out.contains("limit: page ..500"),
        "{out}"
    );

    let cut = dir.path().join("cut.json");
    let text = std::fs::read_to_string(path(LIST_TASKS)).expect("fixture");
    std::fs::write(&cut, &text[..text.len() / 2]).expect("write");
    let not_a_definition = dir.path().join("openapi.txt");
    std::fs::write(&not_a_definition, r#"{"openapi": "3.0.3"}"#).expect("write");
    for (file, says) in [
        (path(FOREIGN), "found a string"),
        (cut.clone(), "not JSON"),
        (not_a_definition.clone(), "found an object without `paths`"),
    ] {
        let (code, out, err) = diff(&file, false);
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains(&file.display().to_string()), "{err}");
        assert!(
            err.contains("expected an API Explorer definition") && err.contains(says),
            "{err}"
        );
    }

    let scratch = scratch();
    let before = files(scratch.path());
    for file in [path(FOREIGN), cut] {
        let (code, out, err) = workspace_tests::xtask(&[
            "doc",
            "import",
            file.to_str().expect("UTF-8"),
            "--service",
            "dcs",
            "--spec",
            scratch.path().to_str().expect("UTF-8"),
        ]);
        assert_eq!(code, 2, "{out}{err}");
    }
    assert_eq!(files(scratch.path()), before);
}

#[test]
fn a_definition_imported_into_a_new_service_checks_and_agrees() {
    let dir = scratch();
    // Modules no spec has yet (the workspace's own ECS and CCE specs exist).
    for (name, module) in [(ECS, "ecs_templates"), (CCE, "cce_partitions")] {
        let page = read(name);
        let request = Request {
            server: Some(format!("https://{module}.{{region}}.myhuaweicloud.com")),
            regions: vec!["cn-north-4".into()],
            ..Request::new(
                dir.path(),
                module,
                page.operation_id.clone().expect("operationId"),
            )
        };
        let report = import(&page, &request).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.created_file && report.written, "{}", report.render());
        let checked =
            generator::load_and_check(dir.path(), "scratch").unwrap_or_else(|e| panic!("{e}"));
        let d = diff(&page, &checked, Some(module)).unwrap_or_else(|e| panic!("{e}"));
        assert!(d.clean(), "{:?}", d.findings);
    }
}

fn chinese(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
}

#[test]
fn an_import_into_an_existing_operation_keeps_its_english_descriptions() {
    let dir = scratch();
    let file = dir.path().join("dcs.yaml");
    let before = std::fs::read_to_string(&file).expect("dcs.yaml");
    let page = changed(|d| param(d, "limit")["maximum"] = json!(500));
    let request = Request::new(
        dir.path(),
        "dcs",
        page.operation_id.clone().expect("operationId"),
    );
    let report = import(&page, &request).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.contains("parameter-bounds limit")),
        "{:?}",
        report.changes
    );
    let after = std::fs::read_to_string(&file).expect("dcs.yaml");
    assert!(after.contains("maximum: 500"));
    assert!(after.contains("Number of records per page."));
    assert!(after.contains("Lists the background tasks of one DCS instance."));
    assert_eq!(chinese(&after), chinese(&before));
}

/// One change to a definition's JSON.
#[derive(Debug, Clone)]
enum Mutation {
    /// The node at this index (in document order) becomes another type.
    Swap(usize, u8),
    /// The key at this index is dropped.
    Drop(usize),
    /// The `$ref` at this index points elsewhere: nowhere, outside, or at
    /// the definition holding it (a cycle).
    Retarget(usize, u8),
    /// A definition becomes a reference to another, possibly to itself.
    Chain(usize, usize),
}

fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                pointers(
                    c,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(l) => {
            for (i, c) in l.iter().enumerate() {
                pointers(c, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn apply(doc: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let refs: Vec<&String> = all.iter().filter(|p| p.ends_with("/$ref")).collect();
    let names: Vec<String> = doc["definitions"]
        .as_object()
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default();
    match *m {
        Mutation::Swap(i, to) => {
            if let Some(node) = doc.pointer_mut(&all[i % all.len()]) {
                *node = [
                    json!(null),
                    json!(7),
                    json!("x"),
                    json!([]),
                    json!({}),
                    json!(true),
                ][usize::from(to) % 6]
                    .clone();
            }
        }
        Mutation::Drop(i) => {
            let at = &all[i % all.len()];
            if let Some((parent, key)) = at.rsplit_once('/')
                && let Some(Value::Object(map)) = doc.pointer_mut(parent)
            {
                map.remove(&key.replace("~1", "/").replace("~0", "~"));
            }
        }
        Mutation::Retarget(i, how) if !refs.is_empty() => {
            let at = refs[i % refs.len()].clone();
            let holder = at.split('/').nth(2).unwrap_or("").to_string();
            let target = match how % 3 {
                0 => "#/definitions/Nowhere".to_string(),
                1 => "https://example.com/x.json".to_string(),
                _ => format!("#/definitions/{holder}"),
            };
            if let Some(node) = doc.pointer_mut(&at) {
                *node = json!(target);
            }
        }
        Mutation::Chain(a, b) if !names.is_empty() => {
            let (a, b) = (&names[a % names.len()], &names[b % names.len()]);
            doc["definitions"][a] = json!({"$ref": format!("#/definitions/{b}")});
        }
        _ => {}
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, t)| Mutation::Swap(i, t)),
        any::<usize>().prop_map(Mutation::Drop),
        (any::<usize>(), any::<u8>()).prop_map(|(i, h)| Mutation::Retarget(i, h)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Chain(a, b)),
    ]
}

proptest! {
    #![proptest_config(properties::config("doc_definitions", 256))]

    #[test]
    fn mutated_definitions_read_or_fail_naming_the_file(
        which in 0..every_fixture().len(),
        changes in proptest::collection::vec(mutation(), 1..4),
    ) {
        let name = every_fixture()[which].as_str();
        let mut doc = json_of(name);
        for m in &changes {
            apply(&mut doc, m);
        }
        match explorer::definition(name, &doc) {
            Ok(page) => {
                let _ = diff(&page, specs(), None);
            }
            Err(e) => prop_assert_eq!(e.file, name),
        }
        let text = serde_json::to_string(&doc).expect("JSON");
        if let Err(e) = explorer::read(name, &text) {
            prop_assert_eq!(e.file, name);
        }
    }
}

/// A spec that declares a parameter of its own (openGauss's `ProjectId` in
/// its `components/parameters`) gets an imported operation that refers to
/// that one: referring to the shared parameter of the same name and
/// location would make the spec declare a component it also imports, which
/// does not check.
#[test]
fn an_import_refers_to_the_specs_own_parameter_of_a_name() {
    const SCHEDULE: &str = "GaussDBforopenGauss/0.1.20260821/ListScheduleTask.json";
    let dir = scratch();
    let file = dir.path().join("opengauss.yaml");
    let mut spec: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&file).expect("opengauss.yaml"))
            .expect("YAML");
    let own = spec["components"]["parameters"]["ProjectId"]["name"].clone();
    assert_eq!(
        own,
        serde_yaml::Value::from("project_id"),
        "the spec's own parameter"
    );
    // The spec without its scheduled tasks, as before they were imported.
    let root = spec.as_mapping_mut().expect("mapping");
    root.remove("x-hwc-scheduled-view");
    let paths = root
        .get_mut("paths")
        .and_then(serde_yaml::Value::as_mapping_mut)
        .expect("paths");
    paths.retain(|path, _| !path.as_str().unwrap_or_default().contains("schedule-task"));
    std::fs::write(&file, serde_yaml::to_string(&spec).expect("YAML")).expect("write");
    generator::load_and_check(dir.path(), "scratch").unwrap_or_else(|e| panic!("{e}"));

    let page = read(SCHEDULE);
    let request = Request::new(dir.path(), "opengauss", "ListScheduleTask");
    let report = import(&page, &request).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.written, "{}", report.render());
    let after: Value =
        serde_yaml::from_str(&std::fs::read_to_string(&file).expect("opengauss.yaml"))
            .expect("YAML");
    let refs: Vec<&str> = after["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(path, _)| path.contains("schedule-tasks"))
        .flat_map(|(_, item)| item["get"]["parameters"].as_array().into_iter().flatten())
        .filter_map(|p| p["$ref"].as_str())
        .collect();
    assert!(
        refs.contains(&"#/components/parameters/ProjectId"),
        "{refs:?}"
    );
    assert!(
        !refs
            .iter()
            .any(|r| r.starts_with("shared/") && r.ends_with("/ProjectId")),
        "{refs:?}"
    );
    generator::load_and_check(dir.path(), "scratch").unwrap_or_else(|e| panic!("{e}"));
}
