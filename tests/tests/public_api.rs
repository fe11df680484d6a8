//! Snapshot guard for the hand-written public API of `huaweicloud-tasks`:
//! every public item reachable from the crate root outside the generated
//! modules, with its signature. Adding, removing or changing one changes the
//! snapshot, so such a change is always reviewed.

use std::path::Path;

#[test]
fn hand_written_public_api() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-client/src");
    let listing = generator::client::surface::crate_surface(&src).expect("runtime sources parse");
    insta::assert_snapshot!("public_api", listing);
}
