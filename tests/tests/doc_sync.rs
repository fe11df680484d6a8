//! `cargo xtask doc sync`: every operation of a spec against the API
//! Explorer definitions of the version it pins (`x-hwc-source`), read from
//! `tests/data/doc/definitions/` (laid out as `cargo xtask explorer pull`
//! lays out its cache). The real DCS spec agrees with its definitions; a
//! changed definition is a difference that `--write` applies, leaving the
//! recorded deviations alone; an operation without a definition, a pinned
//! version that is not there and a broken definition are refused with exit
//! 1 or 2 and nothing written.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// The spec the fixtures cover.
const MODULE: &str = "dcs";
const VERSION_DIR: &str = "DCS/0.1.20260626";

fn root() -> PathBuf {
    workspace_tests::workspace_root()
}

/// A spec directory holding `shared/` and the one spec the fixtures cover.
fn specs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    workspace_tests::scratch::copy_workspace(&root().join("spec"), dir.path());
    for entry in std::fs::read_dir(dir.path()).expect("list") {
        let path = entry.expect("entry").path();
        let keep = path.file_stem().is_some_and(|s| s == MODULE);
        if path.extension().is_some_and(|e| e == "yaml") && !keep {
            std::fs::remove_file(path).expect("remove");
        }
    }
    dir
}

/// A copy of the definition fixtures, to change.
fn definitions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    workspace_tests::scratch::copy_workspace(
        &root().join("tests/data/doc/definitions"),
        dir.path(),
    );
    dir
}

fn sync(spec: &Path, explorer: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "doc",
        "sync",
        "--spec",
        spec.to_str().expect("UTF-8"),
        "--explorer",
        explorer.to_str().expect("UTF-8"),
    ];
    args.extend_from_slice(extra);
    workspace_tests::xtask(&args)
}

fn operation_ids(spec: &Path) -> Vec<String> {
    let checked = generator::load_and_check(spec, "spec").unwrap_or_else(|e| panic!("{e}"));
    checked[0]
        .service
        .operations
        .iter()
        .map(|op| op.name.clone())
        .collect()
}

fn edit_json(file: &Path, change: impl Fn(&mut Value)) {
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("read")).expect("JSON");
    change(&mut doc);
    std::fs::write(file, doc.to_string()).expect("write");
}

#[test]
fn the_spec_agrees_with_the_definitions_it_pins() {
    let spec = specs();
    let fixtures = root().join("tests/data/doc/definitions");
    let (code, out, err) = sync(spec.path(), &fixtures, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let ids = operation_ids(spec.path());
    assert_eq!(ids.len(), 6);
    for id in &ids {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("{id} not in {out}"));
        assert!(line.contains("agrees"), "{line}");
    }
    assert!(out.contains("6 operations compared, 0 to review"), "{out}");

    let (code, out, err) = sync(spec.path(), &fixtures, &["--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let findings: Value = serde_json::from_str(&out).expect("JSON");
    let findings = findings.as_array().expect("array");
    assert!(!findings.is_empty(), "the acknowledged ones are listed");
    assert!(findings.iter().all(|f| f["acknowledged"] == true), "{out}");
}

#[test]
fn write_applies_a_changed_definition_and_keeps_the_deviations() {
    let spec = specs();
    let defs = definitions();
    let list = defs
        .path()
        .join(VERSION_DIR)
        .join("ListBackgroundTask.json");
    edit_json(&list, |d| {
        let params =
            d["paths"]["/v2/{project_id}/instances/{instance_id}/tasks"]["get"]["parameters"]
                .as_array_mut()
                .expect("parameters");
        let limit = params
            .iter_mut()
            .find(|p| p["name"] == "limit")
            .expect("limit");
        limit["maximum"] = json!(500);
    });
    let file = spec.path().join(format!("{MODULE}.yaml"));
    let before = std::fs::read_to_string(&file).expect("spec");

    let (code, out, err) = sync(spec.path(), defs.path(), &[]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("ListBackgroundTask") && out.contains("parameter-bounds"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&file).expect("spec"), before);

    let (code, out, err) = sync(spec.path(), defs.path(), &["--write"]);
    assert_eq!(code, 0, "{out}{err}");
    let after = std::fs::read_to_string(&file).expect("spec");
    assert!(after.contains("maximum: 500"), "{after}");
    let deviations = |t: &str| t.matches("x-hwc-doc-deviation").count();
    assert_eq!(deviations(&after), deviations(&before));
    let for_pages = |t: &str| t.matches("source: page").count();
    assert_eq!(for_pages(&after), for_pages(&before));
    assert!(for_pages(&before) > 0);
}

#[test]
fn an_operation_without_a_definition_is_a_finding() {
    let spec = specs();
    let defs = definitions();
    std::fs::remove_file(defs.path().join(VERSION_DIR).join("ShowJobInfo.json")).expect("rm");
    let (code, out, err) = sync(spec.path(), defs.path(), &[]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("ShowJobInfo") && out.contains("no definition"),
        "{out}"
    );
    let (code, out, _) = sync(spec.path(), defs.path(), &["--json"]);
    assert_eq!(code, 1);
    let findings: Value = serde_json::from_str(&out).expect("JSON");
    let missing: Vec<&Value> = findings
        .as_array()
        .expect("array")
        .iter()
        .filter(|f| f["kind"] == "definition-missing")
        .collect();
    assert_eq!(missing.len(), 1, "{out}");
    assert_eq!(missing[0]["operation"], "ShowJobInfo");
    assert_eq!(missing[0]["spec"], "GET /v2/{project_id}/jobs/{job_id}");
}

#[test]
fn a_definition_under_another_name_is_found_by_method_and_path() {
    let spec = specs();
    let defs = definitions();
    let dir = defs.path().join(VERSION_DIR);
    std::fs::rename(dir.join("ShowJobInfo.json"), dir.join("Renamed.json")).expect("mv");
    let (code, out, err) = sync(spec.path(), defs.path(), &[]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_pinned_version_that_is_not_there_or_a_broken_definition_exits_2_writing_nothing() {
    let spec = specs();
    let file = spec.path().join(format!("{MODULE}.yaml"));
    let text = std::fs::read_to_string(&file).expect("spec");
    let pinned = text.replace("definitions: 0.1.20260626", "definitions: 0.1.1");
    assert_ne!(pinned, text);
    std::fs::write(&file, &pinned).expect("write");
    let fixtures = root().join("tests/data/doc/definitions");
    let before = workspace_tests::scratch::files(spec.path());
    let (code, out, err) = sync(spec.path(), &fixtures, &["--write"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("cargo xtask explorer pull DCS@0.1.1"), "{err}");
    assert_eq!(workspace_tests::scratch::files(spec.path()), before);

    std::fs::write(&file, &text).expect("write");
    let defs = definitions();
    let broken = defs
        .path()
        .join(VERSION_DIR)
        .join("ListBackgroundTask.json");
    std::fs::write(&broken, "{\"paths\": ").expect("write");
    let before = workspace_tests::scratch::files(spec.path());
    let (code, out, err) = sync(spec.path(), defs.path(), &["--write"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("ListBackgroundTask.json"), "{err}");
    assert_eq!(workspace_tests::scratch::files(spec.path()), before);
}

#[test]
fn a_spec_that_pins_nothing_is_named_not_compared_and_not_in_step() {
    let spec = specs();
    let file = spec.path().join(format!("{MODULE}.yaml"));
    let text = std::fs::read_to_string(&file).expect("spec");
    let start = text.find("x-hwc-source:").expect("pinned");
    let end = start + text[start..].find("\nx-hwc-task-view").expect("next key");
    std::fs::write(&file, format!("{}{}", &text[..start], &text[end + 1..])).expect("write");
    let empty = tempfile::tempdir().expect("temp dir");
    let (code, out, err) = sync(spec.path(), empty.path(), &[]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("pins no definitions"), "{out}");
    assert!(
        out.contains("0 operations compared, 0 to review, 1 spec(s) pinning no definitions"),
        "{out}"
    );
}

#[test]
fn explorer_pull_refuses_a_bad_product_before_fetching() {
    for bad in ["../DCS", "DCS@latest", "DCS@1.2"] {
        let (code, out, err) = workspace_tests::xtask(&["explorer", "pull", bad]);
        assert_eq!(code, 2, "{bad}: {out}{err}");
        assert!(err.contains(bad), "{err}");
    }
}

/// The definition's example of a 200 answer, as JSON (some definitions
/// carry it as a string).
fn definition_example(file: &str) -> Value {
    let text = std::fs::read_to_string(root().join("tests/data/doc/definitions").join(file))
        .expect("fixture");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    let (_, item) = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .next()
        .expect("a path");
    let (_, op) = item
        .as_object()
        .expect("item")
        .iter()
        .next()
        .expect("an operation");
    match &op["responses"]["200"]["examples"]["application/json"] {
        // The DDS list's example is text with typographic quotes around one key.
        Value::String(text) => {
            serde_json::from_str(&text.replace(['“', '”'], "\"")).expect("JSON once quoted")
        }
        other => other.clone(),
    }
}

/// The spec's example of a 200 answer.
fn spec_example(module: &str, path: &str, method: &str) -> Value {
    let text =
        std::fs::read_to_string(root().join("spec").join(format!("{module}.yaml"))).expect("spec");
    let doc: Value = serde_yaml::from_str(&text).expect("YAML");
    doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["example"].clone()
}

#[test]
fn the_specs_serve_the_examples_the_definitions_document() {
    for (module, path, definition) in [
        (
            "dcs",
            "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}/progress",
            "DCS/0.1.20260626/ShowBackgroundTaskProgress.json",
        ),
        (
            "dcs",
            "/v2/{project_id}/jobs/{job_id}",
            "DCS/0.1.20260626/ShowJobInfo.json",
        ),
        (
            "dds",
            "/v3.1/{project_id}/jobs",
            "DDS/0.1.20260918/ListTasks.json",
        ),
        (
            "dds",
            "/v3/{project_id}/jobs",
            "DDS/0.1.20260918/ShowJobDetail.json",
        ),
        (
            "opengauss",
            "/v3/{project_id}/jobs",
            "GaussDBforopenGauss/0.1.20260821/ShowJobDetail.json",
        ),
    ] {
        let mut expected = definition_example(definition);
        // The one correction the spec records: the DCS job example's
        // misspelt `fail_resson` (its schema says fail_reason).
        if let Some(map) = expected.as_object_mut()
            && let Some(v) = map.remove("fail_resson")
        {
            map.insert("fail_reason".into(), v);
        }
        assert_eq!(
            spec_example(module, path, "get"),
            expected,
            "{module} {path}"
        );
    }
}
