//! Snapshot guards for the spec and the generated output.
//!
//! - `spec_summary_*`: a readable summary of each bundled spec, so a
//!   documentation-driven edit shows up as a small reviewable diff;
//! - `api_surface_*`: the public surface of each generated module;
//! - the committed generated files must equal a fresh generation.

use workspace_tests::{generated_dir, spec_dir};

#[test]
fn spec_summaries() {
    let bundles = generator::load_and_check(&spec_dir()).expect("specs check");
    assert_eq!(bundles.len(), 3, "one spec per service");
    for bundle in &bundles {
        let module = generator::module_name(&bundle.file);
        insta::assert_snapshot!(
            format!("spec_summary_{module}"),
            generator::publish::summary::summarize(bundle)
        );
    }
}

#[test]
fn api_surfaces() {
    let files = generator::generate_all(&spec_dir(), "spec").expect("generation");
    for file in &files {
        let module = file.name.trim_end_matches(".rs");
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
