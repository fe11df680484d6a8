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
/// and the other `PROPTEST_*` variables override, except a count of zero
/// (the test would pass without checking anything) or one that is not a
/// number (proptest would run its default instead): both refused.
pub fn config(file: &str, cases: u32) -> Config {
    // proptest reads PROPTEST_CASES itself and falls back to the default on
    // anything but a number: refuse that, and zero, here.
    if let Ok(value) = std::env::var("PROPTEST_CASES") {
        count_from("PROPTEST_CASES", Some(&value), 0);
    }
    contextualize_config(Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(SEED),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(regressions(file)))),
        ..Config::default()
    })
}

/// The path of a test file's recorded failures.
fn regressions(file: &str) -> &'static str {
    // proptest keeps a `&'static str`; one short path per test function.
    String::leak(format!(
        "{}/proptest-regressions/{file}.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
}

/// A count a test takes from the environment variable `var`, `default` when
/// it is not set. Zero, or anything but a number, is refused with a panic
/// naming the variable: a count of zero would let the test pass without
/// checking anything, and a value silently replaced by the default would
/// not be the run that was asked for.
pub fn count_from_env(var: &str, default: usize) -> usize {
    count_from(var, std::env::var(var).ok().as_deref(), default)
}

fn count_from(var: &str, value: Option<&str>, default: usize) -> usize {
    let Some(value) = value else {
        return default;
    };
    match value.trim().parse::<usize>() {
        Ok(0) => panic!("{var}=0 would check nothing: give a count of at least 1"),
        Ok(n) => n,
        Err(_) => panic!("{var}={value:?} is not a count: give a whole number of at least 1"),
    }
}

#[cfg(test)]
mod tests {
    use super::count_from;

    #[test]
    fn a_count_is_taken_or_defaulted() {
        assert_eq!(count_from("N", None, 24), 24);
        assert_eq!(count_from("N", Some("3"), 24), 3);
        assert_eq!(count_from("N", Some(" 7 "), 24), 7);
    }

    #[test]
    #[should_panic(expected = "N=0 would check nothing")]
    fn zero_is_refused() {
        count_from("N", Some("0"), 24);
    }

    #[test]
    #[should_panic(expected = "N=\"many\" is not a count")]
    fn a_word_is_refused() {
        count_from("N", Some("many"), 24);
    }
}
