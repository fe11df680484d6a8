//! Generation time: `generator::generate_all` in-process on the real specs
//! and on synthetic services of growing size, plus where the time goes
//! (load, bundle and check against code generation and formatting).
//!
//!     cargo run --release -p benchmarks --bin generate [-- --sizes 50,200,500] [--rounds N]
//!     cargo run --release -p benchmarks --bin generate -- --write-spec DIR [--operations N]
//!
//! Built without `--release` it measures the dev profile, which is what
//! `cargo xtask generate` runs. The CLI's wall time is measured by
//! `benchmarks/scripts/generate_cli.sh`.

use std::path::Path;
use std::time::{Duration, Instant};

use benchmarks::harness::{Args, Candidate, Options, fmt_ns, interleaved};
use benchmarks::synth;

fn main() {
    let args = Args::from_env();
    if let Some(dir) = args.value("--write-spec") {
        // Used by scripts/generate_cli.sh to time the CLI on a synthetic set.
        let ops = args.usize("--operations").unwrap_or(500);
        synth::write_spec_dir(Path::new(dir), ops).expect("write the synthetic spec");
        println!("wrote a synthetic spec with {ops} operations to {dir}");
        return;
    }
    let sizes: Vec<usize> = args
        .value("--sizes")
        .unwrap_or("50,200,500")
        .split(',')
        .map(|s| s.parse().expect("--sizes: numbers"))
        .collect();
    let quick = args.flag("--quick");
    let rounds = args.usize("--rounds").unwrap_or(if quick { 2 } else { 5 });
    let profile = if cfg!(debug_assertions) {
        "dev (debug)"
    } else {
        "release"
    };
    println!("# Generation time ({profile} profile)\n");
    println!("{}\n", benchmarks::machine_summary());

    let dirs: Vec<(usize, tempfile::TempDir)> = sizes
        .iter()
        .map(|&n| {
            let dir = tempfile::Builder::new()
                .prefix(&format!("synthetic-spec-{n}-"))
                .tempdir()
                .expect("temporary directory");
            synth::write_spec_dir(dir.path(), n).expect("write the synthetic spec");
            (n, dir)
        })
        .collect();
    let real = synth::spec_dir();
    let real_ops = count_operations(&real);
    // Every spec must generate, or the timing is of an error path.
    check(&real);
    for (_, dir) in &dirs {
        check(dir.path());
    }

    let mut sets = vec![("real specs (spec/)".to_string(), real_ops, real.clone())];
    for (n, dir) in &dirs {
        sets.push((
            format!("synthetic, {n} operations"),
            *n,
            dir.path().to_path_buf(),
        ));
    }
    let bundles: Vec<Vec<generator::Bundle>> = sets
        .iter()
        .map(|(_, _, dir)| {
            generator::load_and_check(dir, "spec")
                .expect("checks")
                .into_iter()
                .map(|c| c.bundle)
                .collect()
        })
        .collect();
    for set in &bundles {
        let errors: usize = set
            .iter()
            .map(|b| generator::model::rules::examples::check(b).len())
            .sum();
        assert_eq!(errors, 0, "every example is valid");
    }
    const PHASES: usize = 3;
    let mut candidates = Vec::new();
    for ((label, _, dir), set) in sets.iter().zip(&bundles) {
        candidates.push(Candidate::new(
            format!("{label}: generate_all"),
            move || generator::generate_all(dir, "spec").expect("generates"),
        ));
        candidates.push(Candidate::new(
            format!("{label}: load_and_check"),
            move || generator::load_and_check(dir, "spec").expect("checks"),
        ));
        candidates.push(Candidate::new(format!("{label}: examples"), move || {
            set.iter()
                .map(|b| generator::model::rules::examples::check(b).len())
                .sum::<usize>()
        }));
    }
    let series = interleaved(
        &mut candidates,
        Options {
            rounds,
            batch: Duration::ZERO,
        },
    );

    println!(
        "Median of {rounds} rounds, every measurement once per round in rotating order. `load_and_check` is load, bundle, house rules and example validation (`examples::check`, also timed alone on the loaded documents); the rest of `generate_all` is transform, progenitor, extras and formatting.\n"
    );
    println!(
        "| spec set | operations | generate_all | load_and_check | of which examples::check | per operation | output |"
    );
    println!("|---|---|---|---|---|---|---|");
    let output_size = |dir: &Path| -> usize {
        generator::generate_all(dir, "spec")
            .expect("generates")
            .iter()
            .map(|f| f.contents.len())
            .sum()
    };
    let mut points = Vec::new();
    for (i, (label, ops, dir)) in sets.iter().enumerate() {
        let median = |k: usize| series[PHASES * i + k].median();
        let (full, checked, examples) = (median(0), median(1), median(2));
        println!(
            "| {label} | {ops} | {} | {} | {} | {} | {:.0} KB |",
            fmt_ns(full),
            fmt_ns(checked),
            fmt_ns(examples),
            fmt_ns(full / *ops as f64),
            output_size(dir) as f64 / 1000.0,
        );
        if i > 0 {
            points.push((*ops as f64, full));
        }
    }
    if points.len() >= 2 {
        let (slope, intercept, r2) = fit(&points);
        println!(
            "\nLeast squares over the synthetic sets: {} + {} per operation, R² = {r2:.4}.",
            fmt_ns(intercept),
            fmt_ns(slope)
        );
        let (first, last) = (points[0], points[points.len() - 1]);
        println!(
            "{}x the operations took {:.2}x the time.",
            last.0 / first.0,
            last.1 / first.1
        );
    }
    if let Some(&(ops, time)) = points.iter().find(|(ops, _)| *ops == 500.0) {
        println!(
            "Target under 2 s for {ops} operations: {} ({}).",
            if time < 2e9 { "met" } else { "MISSED" },
            fmt_ns(time)
        );
    }
    println!("Load average at end: {}", benchmarks::load_average());
}

fn check(dir: &Path) {
    let started = Instant::now();
    let files = generator::generate_all(dir, "spec")
        .unwrap_or_else(|e| panic!("{} does not generate: {e}", dir.display()));
    eprintln!(
        "{}: {} file(s) in {:?}",
        dir.display(),
        files.len(),
        started.elapsed()
    );
}

fn count_operations(dir: &Path) -> usize {
    generator::load_and_check(dir, "spec")
        .expect("real specs check")
        .iter()
        .map(|c| c.service.operations.len())
        .sum()
}

/// Least squares `y = slope * x + intercept`, with R².
fn fit(points: &[(f64, f64)]) -> (f64, f64, f64) {
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    let ss_tot: f64 = points.iter().map(|p| (p.1 - mean_y).powi(2)).sum();
    let ss_res: f64 = points
        .iter()
        .map(|p| (p.1 - (slope * p.0 + intercept)).powi(2))
        .sum();
    (slope, intercept, 1.0 - ss_res / ss_tot)
}
