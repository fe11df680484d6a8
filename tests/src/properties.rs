//! The configuration every property test of the workspace runs with.
//!
//! In CI a property test must run the same cases every time: a fixed seed
//! ([`SEED`], ChaCha) and the case count its file states, plus the failures
//! recorded in `tests/proptest-regressions/<file>.txt`, which proptest
//! replays first. For a longer exploratory search, proptest's own variables
//! override both:
//!
//! ```sh
//! PROPTEST_CASES=20000 PROPTEST_RNG_SEED=$RANDOM cargo test -p workspace-tests --test corpus_mutation
//! ```
//!
//! (`PROPTEST_RNG_SEED` takes a `u64`; the other `PROPTEST_*` variables
//! apply as usual. `PROPTEST_CASES` sets the count of every property test
//! the run reaches, so name the test file with `--test`.) A failure found
//! that way is appended to the file's regressions by proptest; commit the
//! line so every later run replays it.

use proptest::test_runner::{
    Config, FileFailurePersistence, RngAlgorithm, RngSeed, contextualize_config,
};

/// The seed of every property test when `PROPTEST_RNG_SEED` is not set.
pub const SEED: u64 = 0x5eed_2024_0001;

/// `cases` cases drawn from [`SEED`], with the failures recorded in
/// `tests/proptest-regressions/<file>.txt` (`file` is the test file's stem,
/// `corpus_mutation`) replayed first; `PROPTEST_CASES`, `PROPTEST_RNG_SEED`
/// and the other `PROPTEST_*` variables override, except a count of zero,
/// which would make the test pass without checking anything: refused.
pub fn config(file: &str, cases: u32) -> Config {
    let config = contextualize_config(Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(SEED),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(regressions(file)))),
        ..Config::default()
    });
    assert!(
        config.cases > 0,
        "PROPTEST_CASES=0 would run no case of {file}: give a count of at least 1"
    );
    config
}

/// The path of a test file's recorded failures.
fn regressions(file: &str) -> &'static str {
    // proptest keeps a `&'static str`; one short path per test function.
    String::leak(format!(
        "{}/proptest-regressions/{file}.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
}
