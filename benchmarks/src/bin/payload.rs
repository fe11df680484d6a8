//! Writes the sample pages the Python comparison reads.
//!
//!     cargo run --release -p benchmarks --bin payload -- [DIR]
//!
//! DIR defaults to `benchmarks/data`. The pages are deterministic, so
//! rewriting them changes no byte unless the generator in `payload.rs` changed.

use std::path::PathBuf;

use benchmarks::payload::{self, Operation};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data")));
    std::fs::create_dir_all(&dir).expect("create the output directory");
    let path = dir.join(SAMPLE);
    let bytes = payload::decode_page(Operation::DcsCenter);
    std::fs::write(&path, &bytes).expect("write the sample");
    println!("wrote {} ({} bytes)", path.display(), bytes.len());
}

const SAMPLE: &str = "dcs_center_1000.json";
