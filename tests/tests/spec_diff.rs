//! The breaking-change gate (`cargo xtask diff`, `generator::diff`): one test
//! per kind of change on a small fixture document, the version rule, and the
//! comparison with a git revision in a scratch repository.

use std::collections::BTreeMap;
use std::path::Path;

use workspace_tests::scratch::git;

use generator::diff::{Class, Kind, Report, compare_documents, compare_services};
use serde_json::{Value, json};

/// A small service: one list operation with a path, a query and a header
/// parameter, an open-enum filter, and a response with nested fields.
fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Fixture", "version": "1.2.0"},
        "servers": [{
            "url": "https://svc.{region}.example.com",
            "variables": {"region": {"default": "r-1", "enum": ["r-1", "r-2"]}},
            "x-hwc-endpoint-exceptions": {"r-2": "https://svc.r-2.example.eu"}
        }],
        "paths": {
            "/v1/{project_id}/tasks": {
                "get": {
                    "operationId": "ListTasks",
                    "parameters": [
                        {"name": "project_id", "in": "path", "required": true,
                         "description": "Project.", "schema": {"type": "string"}},
                        {"name": "limit", "in": "query", "description": "Page size.",
                         "schema": {"type": "integer", "format": "int32",
                                    "minimum": 1, "maximum": 100}},
                        {"name": "status", "in": "query", "description": "Filter.",
                         "schema": {"$ref": "#/components/schemas/Status"}},
                        {"name": "X-Language", "in": "header", "description": "Language.",
                         "schema": {"type": "string", "enum": ["en-us", "zh-cn"]}}
                    ],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "headers": {"X-Request-Id": {"description": "Id.",
                                                         "schema": {"type": "string"}}},
                            "content": {"application/json": {"schema":
                                {"$ref": "#/components/schemas/Page"}}}
                        },
                        "400": {"$ref": "#/components/responses/Error"}
                    }
                }
            },
            "/v1/{project_id}/tasks/{task_id}": {
                "get": {
                    "operationId": "ShowTask",
                    "parameters": [
                        {"name": "project_id", "in": "path", "required": true,
                         "description": "Project.", "schema": {"type": "string"}},
                        {"name": "task_id", "in": "path", "required": true,
                         "description": "Task.", "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "OK", "content": {"application/json":
                        {"schema": {"$ref": "#/components/schemas/Task"}}}}}
                }
            }
        },
        "components": {
            "responses": {"Error": {"description": "Error.", "headers": {"X-Request-Id":
                {"description": "Id.", "schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"type": "object",
                    "properties": {"error_code": {"type": "string", "description": "Code."}}}}}}},
            "schemas": {
                "Page": {"type": "object", "description": "A page.", "required": ["tasks"],
                    "properties": {
                        "total": {"type": "integer", "format": "int32", "description": "Total."},
                        "tasks": {"type": "array", "description": "Tasks.",
                                  "items": {"$ref": "#/components/schemas/Task"}}
                    }},
                "Task": {"type": "object", "description": "A task.", "properties": {
                    "id": {"type": "string", "description": "Id."},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "kind": {"type": "string", "description": "Kind.", "enum": ["a", "b"]},
                    "created_at": {"type": "string", "description": "Format `...Z`.",
                                   "x-hwc-scalar": "timestamp"}
                }},
                "Status": {"type": "string", "description": "Status.",
                           "x-hwc-open-enum": ["Running", "Done"]}
            }
        }
    })
}

/// The base document changed by `edit`.
fn changed(edit: impl FnOnce(&mut Value)) -> Value {
    let mut doc = base();
    edit(&mut doc);
    doc
}

fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("fixture has {pointer}"))
}

const LIST: &str = "/paths/~1v1~1{project_id}~1tasks/get";

/// The only change between base and `new`, of this kind and class.
fn assert_change(new: &Value, kind: Kind, class: Class) {
    let changes = compare_documents(&base(), new);
    assert!(
        changes.iter().any(|c| c.kind == kind && c.class == class),
        "expected a {class:?} {kind:?} change, got {changes:#?}"
    );
    assert!(
        changes.iter().all(|c| c.class == class),
        "expected only {class:?} changes, got {changes:#?}"
    );
}

#[test]
fn the_same_document_written_differently_has_no_changes() {
    // Parameters in another order, and a parameter's schema written inline
    // where the base names a component: the same API.
    let other = changed(|d| {
        let status = at(d, "/components/schemas/Status").clone();
        at(d, &format!("{LIST}/parameters"))
            .as_array_mut()
            .unwrap()
            .reverse();
        *at(d, &format!("{LIST}/parameters/1/schema")) = status;
    });
    assert_ne!(base(), other, "written differently");
    assert!(compare_documents(&base(), &other).is_empty());
    // And the same comparison sees a real change made to that writing.
    let mut narrowed = other;
    *at(&mut narrowed, "/servers/0/variables/region/enum") = json!(["r-1"]);
    assert!(!compare_documents(&base(), &narrowed).is_empty());
}

#[test]
fn documentation_is_not_a_change() {
    let new = changed(|d| {
        *at(d, "/info/title") = json!("Renamed");
        *at(d, &format!("{LIST}/parameters/1/description")) = json!("Other words.");
        *at(d, "/components/schemas/Task/description") = json!("Other words.");
        at(d, LIST)
            .as_object_mut()
            .unwrap()
            .insert("summary".into(), json!("New summary"));
    });
    assert!(compare_documents(&base(), &new).is_empty());
}

#[test]
fn moving_a_schema_behind_a_ref_is_not_a_change() {
    let new = changed(|d| {
        let limit = at(d, &format!("{LIST}/parameters/1/schema")).take();
        *at(d, &format!("{LIST}/parameters/1/schema")) =
            json!({"$ref": "#/components/schemas/Limit"});
        at(d, "/components/schemas")
            .as_object_mut()
            .unwrap()
            .insert("Limit".into(), limit);
    });
    assert!(compare_documents(&base(), &new).is_empty());
}

#[test]
fn operation_removed_is_breaking() {
    let new = changed(|d| {
        at(d, "/paths")
            .as_object_mut()
            .unwrap()
            .remove("/v1/{project_id}/tasks/{task_id}");
    });
    assert_change(&new, Kind::OperationRemoved, Class::Breaking);
}

#[test]
fn operation_added_is_compatible() {
    let new = changed(|d| {
        let op = at(d, LIST).clone();
        at(d, "/paths/~1v1~1{project_id}~1tasks")
            .as_object_mut()
            .unwrap()
            .insert("post".into(), {
                let mut op = op;
                op["operationId"] = json!("CreateTask");
                op
            });
    });
    assert_change(&new, Kind::OperationAdded, Class::Compatible);
}

#[test]
fn operation_moved_is_breaking() {
    let new = changed(|d| {
        let paths = at(d, "/paths").as_object_mut().unwrap();
        let item = paths.remove("/v1/{project_id}/tasks").unwrap();
        paths.insert("/v2/{project_id}/tasks".into(), item);
    });
    assert_change(&new, Kind::OperationMoved, Class::Breaking);
}

#[test]
fn parameter_removed_is_breaking() {
    let new = changed(|d| {
        at(d, &format!("{LIST}/parameters"))
            .as_array_mut()
            .unwrap()
            .remove(1);
    });
    assert_change(&new, Kind::ParameterRemoved, Class::Breaking);
}

#[test]
fn optional_parameter_added_is_compatible() {
    let new = changed(|d| {
        at(d, &format!("{LIST}/parameters"))
            .as_array_mut()
            .unwrap()
            .push(
                json!({"name": "offset", "in": "query", "description": "Offset.",
                         "schema": {"type": "integer"}}),
            );
    });
    assert_change(&new, Kind::ParameterAdded, Class::Compatible);
}

#[test]
fn required_parameter_added_is_breaking() {
    let new = changed(|d| {
        at(d, &format!("{LIST}/parameters"))
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "region", "in": "query", "required": true,
                         "description": "Region.", "schema": {"type": "string"}}));
    });
    assert_change(&new, Kind::ParameterNewlyRequired, Class::Breaking);
}

#[test]
fn parameter_newly_required_is_breaking() {
    let new = changed(|d| {
        at(d, &format!("{LIST}/parameters/1"))
            .as_object_mut()
            .unwrap()
            .insert("required".into(), json!(true));
    });
    assert_change(&new, Kind::ParameterNewlyRequired, Class::Breaking);
}

#[test]
fn parameter_no_longer_required_is_compatible() {
    let new = changed(|d| {
        *at(
            d,
            "/paths/~1v1~1{project_id}~1tasks~1{task_id}/get/parameters/1/required",
        ) = json!(false);
    });
    assert_change(&new, Kind::ParameterNoLongerRequired, Class::Compatible);
}

#[test]
fn parameter_type_changed_is_breaking() {
    let new = changed(|d| {
        *at(d, &format!("{LIST}/parameters/1/schema")) = json!({"type": "string"});
    });
    assert_change(&new, Kind::TypeChanged, Class::Breaking);
}

#[test]
fn format_changed_is_breaking() {
    let new = changed(|d| {
        *at(d, &format!("{LIST}/parameters/1/schema/format")) = json!("int64");
    });
    assert_change(&new, Kind::FormatChanged, Class::Breaking);
}

#[test]
fn response_field_type_changed_is_breaking() {
    let new = changed(|d| {
        *at(d, "/components/schemas/Page/properties/total") =
            json!({"type": "string", "description": "Total."});
    });
    assert_change(&new, Kind::TypeChanged, Class::Breaking);
}

#[test]
fn enum_value_removed_from_a_request_parameter_is_breaking() {
    let new = changed(|d| {
        *at(d, &format!("{LIST}/parameters/3/schema/enum")) = json!(["en-us"]);
    });
    assert_change(&new, Kind::EnumValueRemoved, Class::Breaking);
}

#[test]
fn enum_value_added_to_a_request_parameter_is_compatible() {
    let new = changed(|d| {
        *at(d, &format!("{LIST}/parameters/3/schema/enum")) = json!(["en-us", "zh-cn", "fr-fr"]);
    });
    assert_change(&new, Kind::EnumValueAdded, Class::Compatible);
}

#[test]
fn open_enum_value_removed_is_breaking_for_the_request_parameter_only() {
    // `Status` is both a request parameter and a response field.
    let new = changed(|d| {
        *at(d, "/components/schemas/Status/x-hwc-open-enum") = json!(["Running"]);
    });
    let changes = compare_documents(&base(), &new);
    let removed: Vec<_> = changes
        .iter()
        .filter(|c| c.kind == Kind::EnumValueRemoved)
        .collect();
    assert!(
        removed
            .iter()
            .any(|c| c.class == Class::Breaking && c.at.contains("parameter query `status`")),
        "{changes:#?}"
    );
    assert!(
        removed
            .iter()
            .any(|c| c.class == Class::Compatible && c.at.contains("response 200")),
        "{changes:#?}"
    );
}

#[test]
fn open_enum_value_added_is_compatible() {
    let new = changed(|d| {
        *at(d, "/components/schemas/Status/x-hwc-open-enum") = json!(["Running", "Done", "Paused"]);
    });
    assert_change(&new, Kind::EnumValueAdded, Class::Compatible);
}

#[test]
fn closed_response_enum_gaining_a_value_is_breaking() {
    let new = changed(|d| {
        *at(d, "/components/schemas/Task/properties/kind/enum") = json!(["a", "b", "c"]);
    });
    assert_change(&new, Kind::EnumValueAdded, Class::Breaking);
}

#[test]
fn response_field_removed_is_breaking() {
    let new = changed(|d| {
        at(d, "/components/schemas/Task/properties")
            .as_object_mut()
            .unwrap()
            .remove("created_at");
    });
    assert_change(&new, Kind::FieldRemoved, Class::Breaking);
}

#[test]
fn response_field_added_is_compatible() {
    let new = changed(|d| {
        at(d, "/components/schemas/Task/properties")
            .as_object_mut()
            .unwrap()
            .insert(
                "job_id".into(),
                json!({"type": "string", "description": "Job."}),
            );
    });
    assert_change(&new, Kind::FieldAdded, Class::Compatible);
}

#[test]
fn response_field_no_longer_required_is_breaking() {
    let new = changed(|d| {
        *at(d, "/components/schemas/Page/required") = json!([]);
    });
    assert_change(&new, Kind::FieldNoLongerRequired, Class::Breaking);
}

#[test]
fn response_field_that_may_be_null_is_breaking() {
    let new = changed(|d| {
        at(d, "/components/schemas/Task/properties/id")
            .as_object_mut()
            .unwrap()
            .insert("nullable".into(), json!(true));
    });
    assert_change(&new, Kind::NullabilityChanged, Class::Breaking);
}

#[test]
fn response_status_removed_is_breaking() {
    let new = changed(|d| {
        at(d, &format!("{LIST}/responses"))
            .as_object_mut()
            .unwrap()
            .remove("400");
    });
    assert_change(&new, Kind::ResponseStatusRemoved, Class::Breaking);
}

#[test]
fn response_status_added_is_compatible() {
    let new = changed(|d| {
        at(d, &format!("{LIST}/responses"))
            .as_object_mut()
            .unwrap()
            .insert(
                "404".into(),
                json!({"$ref": "#/components/responses/Error"}),
            );
    });
    assert_change(&new, Kind::ResponseStatusAdded, Class::Compatible);
}

#[test]
fn response_header_removed_is_breaking() {
    let new = changed(|d| {
        at(d, &format!("{LIST}/responses/200/headers"))
            .as_object_mut()
            .unwrap()
            .remove("X-Request-Id");
    });
    assert_change(&new, Kind::ResponseHeaderRemoved, Class::Breaking);
}

#[test]
fn tighter_request_constraint_is_breaking_and_looser_compatible() {
    let tighter = changed(|d| *at(d, &format!("{LIST}/parameters/1/schema/maximum")) = json!(50));
    assert_change(&tighter, Kind::ConstraintTightened, Class::Breaking);
    let looser = changed(|d| *at(d, &format!("{LIST}/parameters/1/schema/maximum")) = json!(1000));
    assert_change(&looser, Kind::ConstraintLoosened, Class::Compatible);
    let pattern = changed(|d| {
        at(d, &format!("{LIST}/parameters/0/schema"))
            .as_object_mut()
            .unwrap()
            .insert("pattern".into(), json!("^[0-9a-f]{32}$"));
    });
    assert_change(&pattern, Kind::ConstraintTightened, Class::Breaking);
}

#[test]
fn tolerant_scalar_added_to_a_response_is_compatible_and_kind_change_breaking() {
    let added = changed(|d| {
        at(d, "/components/schemas/Page/properties/total")
            .as_object_mut()
            .unwrap()
            .insert("x-hwc-scalar".into(), json!("count"));
    });
    assert_change(&added, Kind::TypeChanged, Class::Compatible);
    let removed = changed(|d| {
        at(d, "/components/schemas/Task/properties/created_at")
            .as_object_mut()
            .unwrap()
            .remove("x-hwc-scalar");
    });
    assert_change(&removed, Kind::TypeChanged, Class::Breaking);
    let other = changed(|d| {
        *at(
            d,
            "/components/schemas/Task/properties/created_at/x-hwc-scalar",
        ) = json!("compact-time");
    });
    assert_change(&other, Kind::TypeChanged, Class::Breaking);
}

#[test]
fn an_extension_value_that_does_not_read_as_its_type_counts_as_absent() {
    // An earlier revision is not checked against today's rules: its
    // `x-hwc-scalar: stamp` is no scalar kind, so `timestamp` now is one
    // added to a response (compatible), not a kind traded for another.
    let old = changed(|d| {
        *at(
            d,
            "/components/schemas/Task/properties/created_at/x-hwc-scalar",
        ) = json!("stamp");
    });
    let changes = compare_documents(&old, &base());
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].class, Class::Compatible);
    assert!(
        changes[0].what.contains("from (none) to timestamp"),
        "{changes:#?}"
    );
}

#[test]
fn an_endpoint_exception_changed_is_named_with_both_endpoints() {
    let new = changed(|d| {
        *at(d, "/servers/0/x-hwc-endpoint-exceptions/r-2") = json!("https://svc.r-2.example.com");
    });
    let changes = compare_documents(&base(), &new);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(
        (changes[0].kind, changes[0].class),
        (Kind::EndpointChanged, Class::Compatible)
    );
    assert!(
        changes[0]
            .what
            .contains("from `https://svc.r-2.example.eu` to `https://svc.r-2.example.com`"),
        "{changes:#?}"
    );
}

#[test]
fn region_removed_is_breaking_and_added_compatible() {
    let removed = changed(|d| *at(d, "/servers/0/variables/region/enum") = json!(["r-1"]));
    let changes = compare_documents(&base(), &removed);
    assert!(
        changes
            .iter()
            .any(|c| c.kind == Kind::RegionRemoved && c.class == Class::Breaking),
        "{changes:#?}"
    );
    let added =
        changed(|d| *at(d, "/servers/0/variables/region/enum") = json!(["r-1", "r-2", "r-3"]));
    assert_change(&added, Kind::RegionAdded, Class::Compatible);
    let moved = changed(|d| *at(d, "/servers/0/url") = json!("https://svc.{region}.example.org"));
    assert_change(&moved, Kind::ServerChanged, Class::Breaking);
}

fn services(docs: &[(&str, Value)]) -> BTreeMap<String, Value> {
    docs.iter()
        .map(|(name, doc)| (name.to_string(), doc.clone()))
        .collect()
}

fn report(old: &[(&str, Value)], new: &[(&str, Value)]) -> Report {
    Report {
        base: "BASE".into(),
        note: None,
        services: compare_services(&services(old), &services(new)),
    }
}

#[test]
fn service_removed_is_breaking_and_service_added_compatible() {
    let gone = report(&[("svc", base()), ("old", base())], &[("svc", base())]);
    assert!(!gone.passes(), "{}", gone.render());
    let diff = gone.services.iter().find(|s| s.service == "old").unwrap();
    assert_eq!(diff.changes[0].kind, Kind::ServiceRemoved);
    assert!(gone.render().contains("error: old has breaking changes"));

    let new = report(&[("svc", base())], &[("svc", base()), ("new", base())]);
    assert!(new.passes(), "{}", new.render());
    let diff = new.services.iter().find(|s| s.service == "new").unwrap();
    assert_eq!(diff.changes[0].kind, Kind::ServiceAdded);
    assert_eq!(diff.changes[0].class, Class::Compatible);
}

#[test]
fn a_breaking_change_passes_only_with_a_major_version_bump() {
    let breaking = |version: &str| {
        changed(|d| {
            *at(d, "/info/version") = json!(version);
            at(d, &format!("{LIST}/parameters"))
                .as_array_mut()
                .unwrap()
                .remove(1);
        })
    };
    for (version, passes) in [
        ("1.2.0", false),
        ("1.3.0", false),
        ("2.0.0", true),
        ("10.0.0", true),
    ] {
        let r = report(&[("svc", base())], &[("svc", breaking(version))]);
        assert_eq!(r.passes(), passes, "1.2.0 -> {version}:\n{}", r.render());
    }
    let r = report(&[("svc", base())], &[("svc", breaking("1.3.0"))]);
    assert!(
        r.render().contains("bump info.version to 2.0.0"),
        "{}",
        r.render()
    );

    let compatible = changed(|d| {
        *at(d, "/info/version") = json!("1.3.0");
        *at(d, "/servers/0/variables/region/enum") = json!(["r-1", "r-2", "r-3"]);
    });
    assert!(report(&[("svc", base())], &[("svc", compatible)]).passes());
}

/// The specs as bundled now against the committed published documents, a
/// separate output (`published/<module>/openapi.json`): no change between
/// them, and each service's list of changes is empty because the two agree,
/// not because nothing was compared (one region less is seen).
#[test]
fn the_specs_and_the_published_documents_have_no_changes_between_them() {
    let dir = workspace_tests::spec_dir();
    let now = generator::diff::bundle_dir(&dir).expect("specs bundle");
    let specs = generator::service_specs(&dir).expect("spec dir");
    assert_eq!(now.len(), specs.len(), "every spec bundles");
    let published: BTreeMap<String, Value> = now
        .keys()
        .map(|module| (module.clone(), workspace_tests::published_document(module)))
        .collect();
    let diffs = compare_services(&published, &now);
    assert_eq!(diffs.len(), now.len(), "every service compared");
    for diff in &diffs {
        assert!(diff.changes.is_empty(), "{diff:#?}");
    }
    for (module, document) in &published {
        let mut fewer = document.clone();
        let regions = fewer
            .pointer_mut("/servers/0/variables/region/enum")
            .and_then(Value::as_array_mut)
            .unwrap_or_else(|| panic!("{module}: a region list"));
        regions.pop();
        let diffs = compare_services(&published, &BTreeMap::from([(module.clone(), fewer)]));
        assert!(
            diffs
                .iter()
                .any(|d| d.service == *module && !d.changes.is_empty()),
            "{module}: a region removed is a change"
        );
    }
}

// ---------------------------------------------------------------------------
// Against a git revision, in a scratch repository.
// ---------------------------------------------------------------------------

fn write_spec(dir: &Path, doc: &Value) {
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    std::fs::write(
        dir.join("spec/svc.yaml"),
        serde_yaml::to_string(doc).unwrap(),
    )
    .unwrap();
}

#[test]
fn against_a_git_revision() {
    let repo = tempfile::tempdir().unwrap();
    let dir = repo.path();
    git(dir, &["init", "-q"]);
    std::fs::write(dir.join("README.md"), "fixture\n").unwrap();
    git(dir, &["add", "README.md"]);
    git(dir, &["commit", "-q", "-m", "no spec yet"]);
    let before_spec = git(dir, &["rev-parse", "HEAD"]);
    write_spec(dir, &base());
    git(dir, &["add", "spec"]);
    git(dir, &["commit", "-q", "-m", "spec 1.2.0"]);

    let diff = |rev: &str| generator::diff::against_git_ref(dir, rev, Path::new("spec"));

    // A revision without spec/: passes with a note; every service is new.
    let r = diff(&before_spec).expect("compares");
    assert!(r.passes());
    assert!(
        r.note
            .as_deref()
            .unwrap_or_default()
            .contains("does not exist")
    );
    assert_eq!(r.services[0].changes[0].kind, Kind::ServiceAdded);

    // Unchanged work tree.
    let r = diff("HEAD").expect("compares");
    assert!(r.passes());
    assert!(r.services[0].changes.is_empty(), "{}", r.render());

    // A breaking edit in the work tree, without and then with a major bump.
    let mut doc = base();
    at(&mut doc, &format!("{LIST}/parameters"))
        .as_array_mut()
        .unwrap()
        .remove(1);
    write_spec(dir, &doc);
    let r = diff("HEAD").expect("compares");
    assert!(!r.passes(), "{}", r.render());
    assert!(
        r.render()
            .contains("parameter query `limit`: parameter removed"),
        "{}",
        r.render()
    );
    *at(&mut doc, "/info/version") = json!("2.0.0");
    write_spec(dir, &doc);
    assert!(diff("HEAD").expect("compares").passes());

    // The service is gone.
    std::fs::remove_file(dir.join("spec/svc.yaml")).unwrap();
    let r = diff("HEAD").expect("compares");
    assert!(!r.passes());
    assert_eq!(r.services[0].changes[0].kind, Kind::ServiceRemoved);

    // An unknown revision is an error, not a pass.
    let error = diff("no-such-revision").unwrap_err();
    assert!(error.to_string().contains("no-such-revision"), "{error}");
}
