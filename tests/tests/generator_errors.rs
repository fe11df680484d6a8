//! A broken spec gives a clear error naming the file and the JSON pointer, never
//! a panic, and leaves the previously generated and published files exactly as
//! they were.

use std::path::{Path, PathBuf};

use workspace_tests::{generated_dir, published_dir, spec_dir};

/// Appended to every scratch output file before a failed run, so the files
/// differ from what a fresh generation would write: a generator that wrote the
/// valid services' files before failing on the broken one would replace them.
const MARKER: &str = "\n// scratch copy: must survive a failed run byte for byte\n";

/// A scratch copy of `spec/` and of the committed generated and published
/// files.
struct Scratch {
    _dir: tempfile::TempDir,
    spec: PathBuf,
    out: PathBuf,
    published: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec = dir.path().join("spec");
        let out = dir.path().join("generated");
        let published = dir.path().join("published");
        copy_dir(&spec_dir(), &spec);
        copy_dir(&generated_dir(), &out);
        copy_dir(&published_dir(), &published);
        Scratch {
            _dir: dir,
            spec,
            out,
            published,
        }
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.spec.join(file);
        let text = std::fs::read_to_string(&path).expect("read spec");
        assert!(text.contains(from), "{file} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write spec");
    }

    /// Runs the generate and the publish step and returns the generate
    /// error's text; asserts both fail with the same error and leave every
    /// output file (each first made stale with [`MARKER`]) byte for byte as it
    /// was, with no file added or removed.
    fn generate_err(&self) -> String {
        mark_every_file(&self.out);
        mark_every_file(&self.published);
        let generated = snapshot(&self.out);
        let published = snapshot(&self.published);

        let result = generator::regenerate(&self.spec, "spec", &self.out);
        assert_untouched("generated", &generated, &snapshot(&self.out));
        let error = match result {
            Ok(_) => panic!("a broken spec generated without error"),
            Err(e) => e.to_string(),
        };

        let result = generator::republish(&self.spec, "spec", None, &self.published);
        assert_untouched("published", &published, &snapshot(&self.published));
        match result {
            Ok(_) => panic!("a broken spec was published without error"),
            Err(e) => assert_eq!(e.to_string(), error, "publish and generate disagree"),
        }
        error
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    files
}

fn collect(dir: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            let bytes = std::fs::read(&path).expect("read");
            files.push((path, bytes));
        }
    }
}

/// Fails naming every file added, removed or changed between two snapshots.
fn assert_untouched(what: &str, before: &[(PathBuf, Vec<u8>)], after: &[(PathBuf, Vec<u8>)]) {
    let changed: Vec<String> = before
        .iter()
        .filter(|(path, bytes)| !after.iter().any(|(p, b)| p == path && b == bytes))
        .map(|(path, _)| format!("changed or removed: {}", path.display()))
        .chain(
            after
                .iter()
                .filter(|(path, _)| !before.iter().any(|(p, _)| p == path))
                .map(|(path, _)| format!("added: {}", path.display())),
        )
        .collect();
    assert!(
        changed.is_empty(),
        "a failed run touched {what} files:\n{}",
        changed.join("\n")
    );
}

fn mark_every_file(dir: &Path) {
    let files = snapshot(dir);
    assert!(!files.is_empty(), "{} is empty", dir.display());
    for (path, mut bytes) in files {
        bytes.extend_from_slice(MARKER.as_bytes());
        std::fs::write(&path, bytes).expect("mark");
    }
}

#[test]
fn invalid_yaml_names_the_file_and_line() {
    let s = Scratch::new();
    s.edit("rabbitmq.yaml", "openapi: 3.0.3", "openapi: [3.0.3");
    let e = s.generate_err();
    assert!(e.contains("rabbitmq.yaml"), "{e}");
    assert!(e.contains("invalid YAML (line"), "{e}");
}

#[test]
fn dangling_local_ref_names_file_and_pointer() {
    let s = Scratch::new();
    s.edit(
        "dcs.yaml",
        "$ref: \"#/components/schemas/CenterTask\"",
        "$ref: \"#/components/schemas/NoSuchTask\"",
    );
    let e = s.generate_err();
    assert!(
        e.contains(
            "dcs.yaml#/components/schemas/ListCenterTaskResponse/properties/tasks/items/$ref"
        ),
        "{e}"
    );
    assert!(
        e.contains("dangling $ref `#/components/schemas/NoSuchTask`"),
        "{e}"
    );
}

#[test]
fn dangling_ref_into_the_shared_file_names_the_referring_place() {
    let s = Scratch::new();
    s.edit(
        "opengauss.yaml",
        "shared/common.yaml#/components/responses/Forbidden",
        "shared/common.yaml#/components/responses/Gone",
    );
    let e = s.generate_err();
    assert!(
        e.contains("opengauss.yaml#/paths/~1v3~1{project_id}~1tasks/get/responses/403/$ref"),
        "{e}"
    );
    assert!(
        e.contains("has nothing at #/components/responses/Gone"),
        "{e}"
    );
}

#[test]
fn missing_operation_id_is_an_error_not_a_panic() {
    let s = Scratch::new();
    s.edit(
        "rabbitmq.yaml",
        "      operationId: ListBackgroundTasks\n",
        "",
    );
    let e = s.generate_err();
    assert!(e.contains("rabbitmq.yaml#/paths/~1v2~1{project_id}~1instances~1{instance_id}~1tasks/get: operation has no operationId"), "{e}");
}

#[test]
fn duplicate_operation_id_within_a_spec() {
    let s = Scratch::new();
    s.edit(
        "dcs.yaml",
        "operationId: ListBackgroundTask",
        "operationId: ListCenterTask",
    );
    let e = s.generate_err();
    assert!(
        e.contains("dcs.yaml#/paths/~1v2~1{project_id}~1tasks/get/operationId: operationId `ListCenterTask` is already used at /paths/~1v2~1{project_id}~1instances~1{instance_id}~1tasks/get"),
        "{e}"
    );
}

#[test]
fn extension_values_are_checked_against_their_published_schema() {
    let s = Scratch::new();
    s.edit("rabbitmq.yaml", "first-offset: 1", "first-offset: 2");
    let e = s.generate_err();
    assert!(
        e.contains("rabbitmq.yaml#/paths/~1v2~1{project_id}~1instances~1{instance_id}~1tasks/get/x-hwc-paging/first-offset: x-hwc-paging:"),
        "{e}"
    );
    let s = Scratch::new();
    s.edit("rabbitmq.yaml", "first-offset: 1", "first_offset: 1");
    let e = s.generate_err();
    assert!(
        e.contains("x-hwc-paging: Additional properties are not allowed"),
        "{e}"
    );
}

#[test]
fn services_may_share_operation_ids() {
    // Each service has its own module, so names the official SDKs share
    // across services (ListBackgroundTasks...) do not clash.
    let s = Scratch::new();
    s.edit(
        "rabbitmq.yaml",
        "operationId: ListBackgroundTasks",
        "operationId: ListTasks",
    );
    s.edit(
        "rabbitmq.yaml",
        "list-instance: ListBackgroundTasks",
        "list-instance: ListTasks",
    );
    generator::load_and_check(&s.spec, "spec").expect("a name used by another service is fine");
}

#[test]
fn a_task_view_naming_a_missing_operation_is_refused() {
    let s = Scratch::new();
    s.edit(
        "rabbitmq.yaml",
        "list-instance: ListBackgroundTasks",
        "list-instance: ListEverything",
    );
    let e = s.generate_err();
    assert!(
        e.contains("rabbitmq.yaml#/x-hwc-task-view/list-instance: no operation `ListEverything` in this spec"),
        "{e}"
    );
}

#[test]
fn example_that_does_not_match_its_schema() {
    let s = Scratch::new();
    s.edit("opengauss.yaml", "total_count: 2\n", "total_count: two\n");
    let e = s.generate_err();
    assert!(
        e.contains("opengauss.yaml#/paths/~1v3~1{project_id}~1tasks/get/responses/200/content/application~1json/example/total_count"),
        "{e}"
    );
    assert!(e.contains("example does not match its schema"), "{e}");
}

#[test]
fn invalid_example_in_the_shared_file_is_located_there() {
    let s = Scratch::new();
    s.edit(
        "shared/common.yaml",
        "error_code: APIGW.0302",
        "error_code: 302",
    );
    let e = s.generate_err();
    assert!(
        e.contains("common.yaml#/components/responses/Forbidden/content/application~1json/example/error_code"),
        "{e}"
    );
}

#[test]
fn undescribed_property_is_refused() {
    let s = Scratch::new();
    s.edit("dcs.yaml", "          description: Job ID.\n", "");
    let e = s.generate_err();
    assert!(e.contains("dcs.yaml#/components/schemas/CenterTask/properties/job_id: property `job_id` has no description"), "{e}");
}

#[test]
fn unknown_vendor_extension_is_refused() {
    let s = Scratch::new();
    s.edit("dcs.yaml", "x-hwc-scalar: count", "x-hwc-scaler: count");
    let e = s.generate_err();
    assert!(
        e.contains(
            "dcs.yaml#/components/schemas/TaskCount/x-hwc-scaler: unknown extension `x-hwc-scaler`"
        ),
        "{e}"
    );
}

#[test]
fn malformed_paging_extension_is_refused() {
    let s = Scratch::new();
    s.edit("opengauss.yaml", "total: total_count", "total: total");
    let e = s.generate_err();
    assert!(
        e.contains("opengauss.yaml#/paths/~1v3~1{project_id}~1tasks/get/x-hwc-paging: paging total `total`: `total` is not a property of the success response"),
        "{e}"
    );
}

#[test]
fn error_responses_must_share_one_schema() {
    let s = Scratch::new();
    s.edit(
        "dcs.yaml",
        "        \"500\":\n          $ref: \"shared/common.yaml#/components/responses/InternalServerError\"\n\n  /v2/{project_id}/instances",
        "        \"500\":\n          description: Internal service error.\n          headers:\n            X-Request-Id:\n              $ref: \"shared/common.yaml#/components/headers/XRequestId\"\n          content:\n            application/json:\n              schema:\n                type: object\n                description: Another error shape.\n\n  /v2/{project_id}/instances",
    );
    let e = s.generate_err();
    assert!(e.contains("error responses must share one schema"), "{e}");
}

#[test]
fn stale_generated_file_is_reported_with_a_diff() {
    let s = Scratch::new();
    let path = s.out.join("rabbitmq.rs");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replacen("pub struct BackgroundTask", "pub struct BackgroundTsk", 1),
    )
    .expect("write");
    let files = generator::generate_all(&s.spec, "spec").expect("generation");
    let stale = generator::write::stale(&s.out, &files);
    assert_eq!(stale.len(), 1);
    assert!(
        stale[0].diff.contains("-pub struct BackgroundTsk")
            || stale[0].diff.contains("-    pub struct BackgroundTsk"),
        "{}",
        stale[0].diff
    );
    assert!(
        stale[0].diff.contains("+    pub struct BackgroundTask"),
        "{}",
        stale[0].diff
    );
}

/// Generation with openGauss's project id pattern replaced by `pattern`:
/// the error, which must point at that pattern.
fn refused_pattern(pattern: &str) -> String {
    let s = Scratch::new();
    s.edit(
        "opengauss.yaml",
        "pattern: \"^[0-9]{1,13}$\"",
        &format!("pattern: \"{pattern}\""),
    );
    let e = s.generate_err();
    assert!(
        e.contains(
            "opengauss.yaml#/paths/~1v3~1{project_id}~1tasks/get/parameters/4/schema/pattern"
        ),
        "{e}"
    );
    e
}

#[test]
fn pattern_that_does_not_compile_is_refused() {
    let e = refused_pattern("^[a-z(");
    assert!(e.contains("does not compile"), "{e}");
}

#[test]
fn pattern_the_client_cannot_match_is_refused() {
    // Valid ECMAScript (a look-ahead), but not in the client's matcher.
    let e = refused_pattern("^(?=.*[0-9])[a-z0-9]{32}$");
    assert!(e.contains("regex-lite"), "{e}");
}

/// What the generated code cannot hold is refused at check time, at its
/// place, with what to write instead; never a module that does not compile.
mod refused_shapes {
    use super::Scratch;

    const TASK: &str =
        "      description: A background task of a RabbitMQ instance.\n      properties:\n";

    #[test]
    fn two_property_names_that_become_one_rust_name() {
        let s = Scratch::new();
        s.edit(
            "rabbitmq.yaml",
            TASK,
            &format!(
                "{TASK}        userName:\n          type: string\n          description: Twin.\n"
            ),
        );
        let e = s.generate_err();
        assert!(
            e.contains("rabbitmq.yaml#/components/schemas/BackgroundTask/properties/user_name: properties `userName` and `user_name` both become the Rust field `user_name`"),
            "{e}"
        );
    }

    #[test]
    fn a_total_that_is_not_a_number() {
        let s = Scratch::new();
        s.edit(
            "rabbitmq.yaml",
            "        total: task_count\n",
            "        total: tasks\n",
        );
        let e = s.generate_err();
        assert!(
            e.contains("x-hwc-paging: paging total `tasks` is `array`: write an integer, a string holding a number, or a count"),
            "{e}"
        );
    }

    #[test]
    fn a_marker_without_where_the_next_one_is() {
        let s = Scratch::new();
        s.edit(
            "rabbitmq.yaml",
            "        offset: start\n        limit: limit\n        items: tasks\n        total: task_count\n        first-offset: 1\n",
            "        marker: start\n        limit: limit\n        items: tasks\n",
        );
        let e = s.generate_err();
        assert!(
            e.contains("x-hwc-paging: a `marker` needs exactly one of `next-marker`"),
            "{e}"
        );
    }

    #[test]
    fn two_ways_of_paging_at_once() {
        let s = Scratch::new();
        s.edit(
            "rabbitmq.yaml",
            "        offset: start\n",
            "        offset: start\n        page: limit\n",
        );
        let e = s.generate_err();
        assert!(
            e.contains("name exactly one of `offset` (a position), `page` (a page number) and `marker` (a cursor); found offset, page"),
            "{e}"
        );
    }

    #[test]
    fn success_statuses_with_different_bodies() {
        let s = Scratch::new();
        // A 202 answering one task beside the 200 answering the list.
        let list_200 =
            "        \"200\":\n          description: The tasks are listed successfully.\n";
        s.edit(
            "rabbitmq.yaml",
            list_200,
            &format!("        \"202\":\n          description: Accepted.\n          headers:\n            X-Request-Id:\n              $ref: \"shared/common.yaml#/components/headers/XRequestId\"\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/BackgroundTask\"\n{list_200}"),
        );
        let e = s.generate_err();
        assert!(e.contains("/responses/202: 2xx responses answer different bodies (BackgroundTask here, ListBackgroundTasksResponse at"), "{e}");
    }

    #[test]
    fn an_enum_of_booleans() {
        let s = Scratch::new();
        s.edit(
            "rabbitmq.yaml",
            TASK,
            &format!("{TASK}        urgent:\n          type: boolean\n          enum: [true]\n          description: Urgent.\n"),
        );
        let e = s.generate_err();
        assert!(
            e.contains("BackgroundTask/properties/urgent/enum: an `enum` of a `boolean` schema cannot be kept open"),
            "{e}"
        );
    }
}

/// `generate` builds the client and the published documents before it
/// writes either: when publishing fails after every client module was built,
/// no file of either changes.
#[test]
fn a_failure_to_publish_after_the_client_is_built_writes_nothing() {
    let s = Scratch::new();
    mark_every_file(&s.out);
    mark_every_file(&s.published);
    let (generated, published) = (snapshot(&s.out), snapshot(&s.published));
    let ws = generator::Workspace {
        spec_dir: &s.spec,
        spec_label: "spec",
        client_dir: &s.out,
        published_dir: &s.published,
        changelog: None,
    };
    let mut built = 0;
    let result = generator::generate_with(&ws, |checked| {
        built = checked
            .iter()
            .filter(|c| !c.client.contents.is_empty())
            .count();
        Err(generator::Error::Generate {
            file: "published".into(),
            message: "the page cannot be rendered".into(),
        })
    });
    let error = result.expect_err("publishing failed").to_string();
    assert!(error.contains("the page cannot be rendered"), "{error}");
    assert!(built >= 6, "every client module was built first ({built})");
    assert_untouched("generated", &generated, &snapshot(&s.out));
    assert_untouched("published", &published, &snapshot(&s.published));

    // And with a publisher that works, both sets are written in one run.
    let (client, published) = generator::generate(&ws).expect("generates");
    assert_eq!(
        client.written.len(),
        client.files,
        "every stale module rewritten"
    );
    assert_eq!(
        published.written.len(),
        published.files,
        "every stale document rewritten"
    );
}
