//! Reference pages as input (`reference_docs`, `cargo xtask doc diff`): every
//! seed page in `tests/data/doc/seeds/` (English and Chinese, three table
//! renderings) reads into the expected operation; each agrees with the
//! specs in `spec/` once their recorded deviations (`x-hwc-doc-deviation`)
//! are counted; pages changed in code give exactly the expected findings; an
//! unreadable page names its line and makes the command exit with 2.

use std::path::PathBuf;
use std::sync::OnceLock;

use generator::Checked;
use reference_docs::diff::{Kind, PageDiff, diff};
use reference_docs::page::{Children, Field, ParamLocation};
use reference_docs::{Page, parse};

const DCS_CENTER_EN: &str = "000_e7e1c9e8daea71a6.txt";
const DCS_CENTER_ZH: &str = "001_10775e7705203748.txt";
const DCS_INSTANCE: &str = "002_8b65ac2dfa8e4913.txt";
const OPENGAUSS: &str = "003_d3ec0f6f6096153e.txt";
const RABBITMQ: &str = "004_d1118a2df3bcd98f.txt";

fn root() -> PathBuf {
    workspace_tests::workspace_root()
}

fn seed_path(name: &str) -> PathBuf {
    root().join("tests/data/doc/seeds").join(name)
}

fn seed_text(name: &str) -> String {
    std::fs::read_to_string(seed_path(name)).expect("seed page")
}

fn read(name: &str, text: &str) -> Page {
    parse(name, text).unwrap_or_else(|e| panic!("{e}"))
}

/// The specs, checked once.
fn specs() -> &'static [Checked] {
    static SPECS: OnceLock<Vec<Checked>> = OnceLock::new();
    SPECS.get_or_init(|| {
        generator::load_and_check(&root().join("spec"), "spec").unwrap_or_else(|e| panic!("{e}"))
    })
}

fn compare(name: &str, text: &str) -> PageDiff {
    diff(&read(name, text), specs(), None).unwrap_or_else(|e| panic!("{e}"))
}

/// A finding as (kind, name, page, spec, pointer).
type Brief = (Kind, String, Option<String>, Option<String>, String);

/// The unacknowledged findings.
fn open(d: &PageDiff) -> Vec<Brief> {
    d.findings
        .iter()
        .filter(|f| !f.acknowledged)
        .map(|f| {
            (
                f.kind,
                f.name.clone(),
                f.page.clone(),
                f.spec.clone(),
                f.pointer.clone(),
            )
        })
        .collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// Replaces exactly one occurrence, so a mutation cannot silently miss.
fn once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    text.replacen(from, to, 1)
}

fn field<'a>(fields: &'a [Field], path: &[&str]) -> &'a Field {
    let (first, rest) = path.split_first().expect("a path");
    let f = fields
        .iter()
        .find(|f| f.name == *first)
        .unwrap_or_else(|| panic!("no field {first}"));
    match (rest.is_empty(), &f.children) {
        (true, _) => f,
        (false, Children::Fields(children)) => field(children, rest),
        (false, other) => panic!("{first} has no fields: {other:?}"),
    }
}

#[test]
fn every_seed_page_reads_into_its_operation() {
    struct Expected {
        file: &'static str,
        path: &'static str,
        params: &'static [(&'static str, ParamLocation)],
        statuses: &'static [&'static str],
        examples: usize,
    }
    use ParamLocation::{Path as P, Query as Q};
    let expected = [
        Expected {
            file: DCS_CENTER_EN,
            path: "/v2/{project_id}/tasks",
            params: &[
                ("project_id", P),
                ("offset", Q),
                ("limit", Q),
                ("start_time", Q),
                ("end_time", Q),
            ],
            statuses: &["200", "400", "500"],
            examples: 1,
        },
        Expected {
            file: DCS_CENTER_ZH,
            path: "/v2/{project_id}/tasks",
            params: &[
                ("project_id", P),
                ("offset", Q),
                ("limit", Q),
                ("start_time", Q),
                ("end_time", Q),
            ],
            statuses: &["200", "400", "500"],
            examples: 1,
        },
        Expected {
            file: DCS_INSTANCE,
            path: "/v2/{project_id}/instances/{instance_id}/tasks",
            params: &[
                ("project_id", P),
                ("instance_id", P),
                ("offset", Q),
                ("limit", Q),
                ("start_time", Q),
                ("end_time", Q),
            ],
            statuses: &["200", "400", "401", "403", "404", "500"],
            examples: 1,
        },
        Expected {
            file: OPENGAUSS,
            path: "/v3/{project_id}/tasks",
            params: &[
                ("project_id", P),
                ("status", Q),
                ("name", Q),
                ("start_time", Q),
                ("end_time", Q),
                ("offset", Q),
                ("limit", Q),
            ],
            statuses: &[],
            examples: 3,
        },
        Expected {
            file: RABBITMQ,
            path: "/v2/{project_id}/instances/{instance_id}/tasks",
            params: &[
                ("project_id", P),
                ("instance_id", P),
                ("start", Q),
                ("limit", Q),
                ("begin_time", Q),
                ("end_time", Q),
            ],
            statuses: &["200"],
            examples: 1,
        },
    ];
    for e in expected {
        let page = read(e.file, &seed_text(e.file));
        assert_eq!(
            (page.method.as_str(), page.path.as_str()),
            ("GET", e.path),
            "{}",
            e.file
        );
        let params: Vec<(&str, ParamLocation)> = page
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.location))
            .collect();
        assert_eq!(params, e.params, "{}", e.file);
        assert_eq!(page.statuses(), e.statuses, "{}", e.file);
        assert_eq!(page.examples.len(), e.examples, "{}", e.file);
        assert_eq!(page.example_responses.len(), 1, "{}", e.file);
        assert!(!page.responses.is_empty(), "{}", e.file);
    }
}

#[test]
fn english_and_chinese_pages_agree() {
    let en = read(DCS_CENTER_EN, &seed_text(DCS_CENTER_EN));
    let zh = read(DCS_CENTER_ZH, &seed_text(DCS_CENTER_ZH));
    assert_eq!(
        en.title.as_deref(),
        Some("Querying the Task List in the Task Center")
    );
    assert_eq!(zh.title.as_deref(), Some("查询任务中心任务列表"));
    for (a, b) in en.params.iter().zip(&zh.params) {
        assert_eq!(
            (&a.name, a.location, &a.ty, a.bounds, &a.default),
            (&b.name, b.location, &b.ty, b.bounds, &b.default)
        );
    }
    // The Chinese rendering drops the mandatory marks.
    assert_eq!(en.params[0].required, Some(true));
    assert_eq!(zh.params[0].required, None);
    let limit = en.param("limit").expect("limit");
    assert_eq!(
        (limit.bounds.min, limit.bounds.max, limit.default.as_deref()),
        (Some(1), Some(1000), Some("10"))
    );
    assert_eq!(
        en.responses,
        zh.responses
            .iter()
            .map(|r| {
                // Same structure; descriptions differ by language.
                let mut r = r.clone();
                fn copy(to: &mut [Field], from: &[Field]) {
                    for (t, f) in to.iter_mut().zip(from) {
                        t.description.clone_from(&f.description);
                        t.line = f.line;
                        if let (Children::Fields(tc), Children::Fields(fc)) =
                            (&mut t.children, &f.children)
                        {
                            copy(tc, fc);
                        }
                    }
                }
                if let Some(e) = en.responses.iter().find(|e| e.status == r.status) {
                    copy(&mut r.fields, &e.fields);
                    r.line = e.line;
                }
                r
            })
            .collect::<Vec<_>>()
    );
    let details = field(
        &en.responses[0].fields,
        &["tasks", "details", "rename_commands"],
    );
    assert_eq!(details.ty.shape(), "array of string");
}

#[test]
fn nested_tables_link_by_name_by_order_and_by_table_number() {
    // Captions name the tables.
    let en = read(DCS_CENTER_EN, &seed_text(DCS_CENTER_EN));
    assert_eq!(
        field(
            &en.responses[0].fields,
            &["tasks", "details", "old_capacity"]
        )
        .ty
        .shape(),
        "string"
    );
    // No captions: the tables follow in order of reference.
    let instance = read(DCS_INSTANCE, &seed_text(DCS_INSTANCE));
    assert_eq!(
        field(
            &instance.responses[0].fields,
            &["tasks", "details", "new_cache_mode"]
        )
        .line,
        120
    );
    // `see Table 3`, and a `see Table 4` the page does not contain.
    let og = read(OPENGAUSS, &seed_text(OPENGAUSS));
    assert_eq!(og.responses[0].status, None);
    let info = field(&og.responses[0].fields, &["tasks", "instance_info"]);
    assert_eq!(info.children, Children::Undescribed("Table 4".into()));
    let offset = og.param("offset").expect("offset");
    assert_eq!(
        (
            offset.bounds.min,
            offset.bounds.max,
            offset.default.as_deref()
        ),
        (Some(0), Some(2_147_483_647), Some("0"))
    );
    assert_eq!(
        og.examples[0].path,
        "/opengauss/v3/0611f1bd8b00d5d32f17c017f15b599f/tasks"
    );
}

#[test]
fn a_markdown_rendering_reads_like_the_others() {
    let md = "Listing Background Tasks\n\nURI\n\nGET /v2/{project_id}/instances/{instance_id}/tasks\n\n\
        Table 1 Path Parameters\n\n| Parameter | Mandatory | Type | Description |\n|---|---|---|---|\n\
        | project_id | Yes | String | Project ID. |\n| instance_id | Yes | String | Instance ID. |\n\n\
        Table 2 Query Parameters\n\n| Parameter | Mandatory | Type | Description |\n| --- | --- | --- | --- |\n\
        | start | No | Integer | ID of the task where the query starts. |\n| limit | No | Integer | Number of tasks to be queried. |\n\
        | begin_time | No | String | Time of task where the query starts. |\n| end_time | No | String | Time of task where the query ends. |\n\n\
        Response Parameters\n\nStatus code: 200\n\nTable 3 Response body parameters\n\n\
        | Parameter | Type | Description |\n|---|---|---|\n| task_count | String | Number of tasks. |\n\
        | tasks | Array of tasks objects | Task list. |\n\nTable 4 tasks\n\n| Parameter | Type | Description |\n|---|---|---|\n\
        | id | String | Task ID. |\n| name | String | Task name. |\n| user_name | String | Username. |\n| user_id | String | User ID. |\n\
        | params | String | Task parameters. |\n| status | String | Task status. |\n| created_at | String | Start time. |\n\
        | updated_at | String | End time. |\n\nStatus Codes\n\n| Status Code | Description |\n|---|---|\n| 200 | The tasks are listed successfully. |\n";
    let md_page = read("page.md", md);
    let text_page = read(RABBITMQ, &seed_text(RABBITMQ));
    let names = |p: &Page| {
        p.params
            .iter()
            .map(|q| (q.name.clone(), q.location, q.required))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&md_page), names(&text_page));
    let shapes = |p: &Page| {
        fn walk(fields: &[Field], out: &mut Vec<(String, String)>) {
            for f in fields {
                out.push((f.name.clone(), f.ty.shape()));
                if let Children::Fields(c) = &f.children {
                    walk(c, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&p.responses[0].fields, &mut out);
        out
    };
    assert_eq!(shapes(&md_page), shapes(&text_page));
    assert_eq!(md_page.statuses(), vec!["200"]);
    let d = diff(&md_page, specs(), Some("rabbitmq")).expect("an operation");
    assert_eq!(open(&d), vec![]);
}

#[test]
fn every_seed_agrees_with_the_fixtures_once_deviations_are_counted() {
    for (file, operation) in [
        (DCS_CENTER_EN, "ListCenterTask"),
        (DCS_CENTER_ZH, "ListCenterTask"),
        (DCS_INSTANCE, "ListBackgroundTask"),
        (OPENGAUSS, "ListTasks"),
        (RABBITMQ, "ListBackgroundTasks"),
    ] {
        let d = compare(file, &seed_text(file));
        assert_eq!(d.operation, operation, "{file}");
        assert_eq!(
            open(&d),
            vec![],
            "{file}:\n{}",
            reference_docs::report::render(&d, reference_docs::report::Style::plain())
        );
        assert!(d.clean());
        assert!(
            !d.findings.is_empty(),
            "{file}: the deviations are listed as acknowledged"
        );
    }
}

#[test]
fn acknowledged_findings_name_the_deviation_and_the_spec_file() {
    let d = compare(DCS_CENTER_EN, &seed_text(DCS_CENTER_EN));
    let count = d
        .findings
        .iter()
        .find(|f| f.name == "task_count")
        .expect("task_count");
    assert_eq!(count.kind, Kind::FieldRetyped);
    assert_eq!(
        (count.page.as_deref(), count.spec.as_deref()),
        (Some("string"), Some("string|integer"))
    );
    assert!(count.file.ends_with("dcs.yaml"), "{}", count.file);
    assert_eq!(count.pointer, "/components/schemas/TaskCount");
    assert!(
        count
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("JSON number"))
    );
    // A field the page adds to an error body is located in the shared file.
    let text = once(
        &seed_text(DCS_CENTER_EN),
        "Table 6 Response body parameters\n\nParameter\n\nType\n\nDescription\n\n",
        "Table 6 Response body parameters\n\nParameter\n\nType\n\nDescription\n\n\
         request_trace\n\nString\n\nTrace of the request.\n\n",
    );
    let d = compare(DCS_CENTER_EN, &text);
    let shared = d
        .findings
        .iter()
        .find(|f| f.name == "[400] request_trace")
        .expect("a field of the shared error body");
    assert_eq!(shared.kind, Kind::FieldAdded);
    assert!(
        shared.file.ends_with("shared/common.yaml"),
        "{}",
        shared.file
    );
    assert_eq!(shared.pointer, "/components/schemas/ErrorBody");
}

#[test]
fn a_renamed_parameter_is_one_rename() {
    let text = once(&seed_text(DCS_CENTER_EN), "\nend_time\n", "\nfinish_time\n");
    let d = compare(DCS_CENTER_EN, &text);
    assert_eq!(
        open(&d),
        vec![(
            Kind::ParameterRenamed,
            "end_time".into(),
            s("finish_time"),
            s("end_time"),
            "/components/parameters/EndTime".into()
        )]
    );
}

#[test]
fn a_new_query_parameter_is_added() {
    let text = once(
        &seed_text(RABBITMQ),
        "The format is YYYYMMDDHHmmss.\n\nRequest Parameters",
        "The format is YYYYMMDDHHmmss.\n\nstatus\n\nNo\n\nString\n\nTask status.\n\nRequest Parameters",
    );
    let d = compare(RABBITMQ, &text);
    assert_eq!(
        open(&d),
        vec![(
            Kind::ParameterAdded,
            "status".into(),
            s("query string"),
            None,
            "/paths/~1v2~1{project_id}~1instances~1{instance_id}~1tasks/get".into()
        )]
    );
}

#[test]
fn a_changed_bound_is_found() {
    let text = once(&seed_text(OPENGAUSS), "Range 1–100", "Range 1–500");
    let d = compare(OPENGAUSS, &text);
    assert_eq!(
        open(&d),
        vec![(
            Kind::ParameterBounds,
            "limit".into(),
            s("1..500"),
            s("1..100"),
            "/paths/~1v3~1{project_id}~1tasks/get/parameters/7".into()
        )]
    );
}

#[test]
fn a_field_added_deep_in_a_nested_table_is_found() {
    let text = once(
        &seed_text(DCS_CENTER_EN),
        "Length of the updated configuration item.\n",
        "Length of the updated configuration item.\n\nshard_count\n\nInteger\n\nNumber of shards.\n",
    );
    let d = compare(DCS_CENTER_EN, &text);
    assert_eq!(
        open(&d),
        vec![(
            Kind::FieldAdded,
            "tasks[].details.shard_count".into(),
            s("integer"),
            None,
            "/components/schemas/TaskDetails".into()
        )]
    );
}

#[test]
fn a_changed_type_is_found() {
    let text = once(
        &seed_text(DCS_INSTANCE),
        "enable_ssl |\nBoolean |",
        "enable_ssl |\nString |",
    );
    let d = compare(DCS_INSTANCE, &text);
    assert_eq!(
        open(&d),
        vec![(
            Kind::FieldRetyped,
            "tasks[].details.enable_ssl".into(),
            s("string"),
            s("boolean"),
            "/components/schemas/TaskDetails/properties/enable_ssl".into()
        )]
    );
}

#[test]
fn a_removed_status_code_is_found() {
    let text = seed_text(DCS_CENTER_EN);
    let start = text.find("Status code: 500").expect("the 500 section");
    let end = text.find("Example Requests").expect("the examples");
    let text = format!("{}{}", &text[..start], &text[end..]);
    let text = once(&text, "500\n\nInternal service error.\n", "");
    let d = compare(DCS_CENTER_EN, &text);
    assert_eq!(
        open(&d),
        vec![(
            Kind::StatusRemoved,
            "500".into(),
            None,
            s("500"),
            "/paths/~1v2~1{project_id}~1tasks/get".into()
        )]
    );
}

#[test]
fn a_deviation_the_page_no_longer_matches_is_drift() {
    let text = seed_text(OPENGAUSS).replace("/opengauss/v3/", "/gaussdb/v3/");
    let d = compare(OPENGAUSS, &text);
    let op = "/paths/~1v3~1{project_id}~1tasks/get".to_string();
    assert_eq!(
        open(&d),
        vec![
            (
                Kind::ExamplePrefix,
                "example request".into(),
                s("/gaussdb"),
                None,
                op.clone()
            ),
            (
                Kind::DeviationDrift,
                "example request".into(),
                s("/opengauss"),
                None,
                op
            ),
        ]
    );
}

#[test]
fn without_recorded_deviations_the_seed_differences_are_open() {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("x-hwc-doc-deviation");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut specs = specs().to_vec();
    for checked in &mut specs {
        strip(&mut checked.bundle.document);
    }
    let page = read(DCS_INSTANCE, &seed_text(DCS_INSTANCE));
    let d = diff(&page, &specs, None).expect("an operation");
    let kinds: Vec<(Kind, String)> = open(&d).into_iter().map(|f| (f.0, f.1)).collect();
    assert!(
        kinds.contains(&(Kind::ExampleParameter, "begin_time".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(Kind::FieldRetyped, "task_count".into())),
        "{kinds:?}"
    );
}

#[test]
fn an_unreadable_page_names_the_line() {
    let text = once(
        &seed_text(DCS_CENTER_EN),
        "\nGET /v2/{project_id}/tasks\n",
        "\nGET v2 tasks\n",
    );
    let err = parse("page.txt", &text).expect_err("no operation line");
    assert_eq!(err.line, 207);
    assert!(err.message.contains("METHOD /path"), "{err}");
    assert!(err.to_string().starts_with("page.txt:207: "), "{err}");

    let text = once(
        &seed_text(DCS_CENTER_EN),
        "\"task_count\" : 2,",
        "\"task_count\" : 2,,",
    );
    let err = parse("page.txt", &text).expect_err("broken example");
    assert_eq!(err.line, 628);
    assert!(err.message.contains("JSON"), "{err}");

    let text = once(&seed_text(DCS_INSTANCE), "Project ID. |\n", "Project ID.\n");
    // The cells shift by one: the next row's mandatory mark lands in the
    // type column.
    let err = parse("page.txt", &text).expect_err("a cell that never ends");
    assert_eq!(err.line, 16);
    assert!(err.message.contains("expected a type"), "{err}");

    let err = parse("page.txt", "Feedback\nWas this page helpful?\n").expect_err("no URI");
    assert!(err.message.contains("URI"), "{err}");
}

fn xtask(args: &[&str]) -> (i32, String, String) {
    workspace_tests::xtask(&[&["doc", "diff"][..], args].concat())
}

#[test]
fn the_command_exits_0_1_or_2() {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let spec = root().join("spec");
    let spec = spec.to_str().expect("a UTF-8 path");

    let clean = seed_path(OPENGAUSS);
    let (code, out, err) = xtask(&["--json", "--spec", spec, clean.to_str().expect("UTF-8")]);
    assert_eq!(code, 0, "{out}{err}");
    let findings: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let findings = findings.as_array().expect("an array");
    // X-Language and the example prefix; the two time patterns' format.
    assert_eq!(findings.len(), 4);
    for f in findings {
        for key in [
            "operation",
            "kind",
            "name",
            "page",
            "spec",
            "pointer",
            "acknowledged",
        ] {
            assert!(f.get(key).is_some(), "{key} in {f}");
        }
        assert_eq!(f["acknowledged"], true);
    }

    let changed = dir.path().join("changed.txt");
    std::fs::write(
        &changed,
        seed_text(OPENGAUSS).replace("Range 1–100", "Range 1–500"),
    )
    .expect("write");
    let (code, out, err) = xtask(&["--spec", spec, changed.to_str().expect("UTF-8")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("parameter-bounds") && out.contains("limit: page 1..500, spec 1..100"),
        "{out}"
    );

    let broken = dir.path().join("broken.txt");
    std::fs::write(
        &broken,
        seed_text(DCS_CENTER_EN).replace("\nGET /v2/{project_id}/tasks\n", "\nGET v2 tasks\n"),
    )
    .expect("write");
    let (code, out, err) = xtask(&["--spec", spec, broken.to_str().expect("UTF-8")]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("broken.txt:207:"), "{err}");

    let elsewhere = dir.path().join("elsewhere.txt");
    std::fs::write(
        &elsewhere,
        seed_text(OPENGAUSS).replace("GET /v3/{project_id}/tasks", "GET /v9/{project_id}/jobs"),
    )
    .expect("write");
    let (code, out, err) = xtask(&["--spec", spec, elsewhere.to_str().expect("UTF-8")]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("matches no operation"), "{err}");
}

/// What a cut or shuffled page may give: an error naming the file, or a
/// page whose request line is where it says, in the text it was given.
#[track_caller]
fn assert_page_or_named_error(name: &str, text: &str) -> Option<Page> {
    match parse(name, text) {
        Ok(page) => {
            assert_eq!(page.file, name);
            let line = text.lines().nth(page.line.saturating_sub(1)).unwrap_or("");
            assert!(
                line.contains(&page.method),
                "{name}: line {} is {line:?}, not the request line {} {}",
                page.line,
                page.method,
                page.path
            );
            Some(page)
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with(name), "{message}");
            assert!(!message.contains('\n'), "one line: {message}");
            None
        }
    }
}

#[test]
fn cut_or_shuffled_pages_give_a_located_page_or_an_error_naming_the_file() {
    for name in [
        DCS_CENTER_EN,
        DCS_CENTER_ZH,
        DCS_INSTANCE,
        OPENGAUSS,
        RABBITMQ,
    ] {
        let text = seed_text(name);
        let whole = read(name, &text);
        let lines: Vec<&str> = text.lines().collect();
        for cut in (0..lines.len()).step_by(7) {
            assert_page_or_named_error(name, &lines[..cut].join("\n"));
            assert_page_or_named_error(name, &lines[cut..].join("\n"));
            let mut swapped = lines.clone();
            if cut + 1 < swapped.len() {
                swapped.swap(cut, cut + 1);
            }
            let Some(page) = assert_page_or_named_error(name, &swapped.join("\n")) else {
                continue;
            };
            // Two lines swapped still name the operation the whole page does.
            if (page.method.as_str(), page.path.as_str()) == (&whole.method, &whole.path) {
                assert!(
                    diff(&page, specs(), None).is_ok(),
                    "{name}: lines {cut} and {} swapped, the operation is not found",
                    cut + 1
                );
            }
        }
    }
}
