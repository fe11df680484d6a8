//! Snapshot guards for the spec and the generated output.
//!
//! - `spec_summary_*`: a readable summary of each bundled spec, so a
//!   documentation-driven edit shows up as a small reviewable diff;
//! - `api_surface_*`: the public surface of each generated module;
//! - the committed generated files must equal a fresh generation.

use workspace_tests::{generated_dir, spec_dir};

#[test]
fn spec_summaries() {
    let checked = generator::load_and_check(&spec_dir(), "spec").expect("specs check");
    let specs = generator::service_specs(&spec_dir()).expect("spec dir");
    assert_eq!(checked.len(), specs.len(), "one checked service per spec");
    for service in &checked {
        insta::assert_snapshot!(
            format!("spec_summary_{}", service.service.module),
            generator::publish::summary::summarize(service)
        );
    }
}

#[test]
fn api_surfaces() {
    let files = generator::generate_all(&spec_dir(), "spec").expect("generation");
    let checked = generator::load_and_check(&spec_dir(), "spec").expect("specs check");
    for service in &checked {
        let module = &service.service.module;
        let file = files
            .iter()
            .find(|f| f.name == format!("{module}.rs"))
            .expect("one generated module per service");
        let surface =
            generator::client::surface::surface(&file.contents).expect("generated code parses");
        insta::assert_snapshot!(format!("api_surface_{module}"), surface);
    }
}

#[test]
fn committed_generated_files_are_fresh() {
    let files = generator::generate_all(&spec_dir(), "spec").expect("generation");
    let stale = generator::write::stale(&generated_dir(), &files);
    let diffs: Vec<String> = stale.iter().map(|s| s.diff.clone()).collect();
    assert!(
        stale.is_empty(),
        "generated files are stale; run `cargo xtask generate`:\n{}",
        diffs.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let first = generator::generate_all(&spec_dir(), "spec").expect("generation");
    let second = generator::generate_all(&spec_dir(), "spec").expect("generation");
    assert_eq!(first, second);
}
