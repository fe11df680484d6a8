//! Interleaved measurement: every candidate of one comparison runs in every
//! round, in a rotating order, so a burst of load on a busy machine hits all
//! of them alike. Results are medians over rounds, and ratios are the median of
//! the per-round ratios (paired), which is what stays stable on a noisy
//! 2-core machine where separate runs drift by 20% or more.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// How long and how often to measure.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Rounds; each round times every candidate once.
    pub rounds: usize,
    /// Target duration of one timed batch of iterations.
    pub batch: Duration,
}

impl Options {
    /// Defaults, scaled down by `--quick` and overridden by `--rounds N`.
    pub fn from_args(args: &Args, rounds: usize, batch_ms: u64) -> Self {
        let quick = args.flag("--quick");
        Self {
            rounds: args.usize("--rounds").unwrap_or(if quick {
                rounds.div_ceil(4).max(3)
            } else {
                rounds
            }),
            batch: Duration::from_millis(if quick {
                batch_ms.div_ceil(4)
            } else {
                batch_ms
            }),
        }
    }
}

/// One thing to time: a closure doing one iteration of the work.
pub struct Candidate<'a> {
    pub name: String,
    /// Runs `n` iterations and returns the time they took.
    run: Box<dyn FnMut(u64) -> Duration + 'a>,
}

impl<'a> Candidate<'a> {
    /// A candidate whose closure result is kept from being optimized away
    /// (and dropped inside the timing, like any result a caller discards).
    pub fn new<T>(name: impl Into<String>, mut run: impl FnMut() -> T + 'a) -> Self {
        Self {
            name: name.into(),
            run: Box::new(move |n| {
                let start = Instant::now();
                for _ in 0..n {
                    black_box(run());
                }
                start.elapsed()
            }),
        }
    }

    /// A candidate whose inputs are made by `setup` before the timing starts
    /// (one per iteration) and whose outputs are dropped after it ends.
    pub fn batched<I, T>(
        name: impl Into<String>,
        mut setup: impl FnMut() -> I + 'a,
        mut run: impl FnMut(I) -> T + 'a,
    ) -> Self {
        Self {
            name: name.into(),
            run: Box::new(move |n| {
                let inputs: Vec<I> = (0..n).map(|_| setup()).collect();
                let mut outputs: Vec<T> = Vec::with_capacity(inputs.len());
                let start = Instant::now();
                for input in inputs {
                    outputs.push(run(black_box(input)));
                }
                let elapsed = start.elapsed();
                drop(black_box(outputs));
                elapsed
            }),
        }
    }
}

/// Time per iteration of one candidate, one value per round.
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub ns: Vec<f64>,
    pub iters_per_batch: u64,
}

impl Series {
    /// Median time per iteration, in nanoseconds.
    pub fn median(&self) -> f64 {
        quantile(&self.ns, 0.5)
    }

    /// The `q` quantile (0..=1) of the per-round times.
    pub fn quantile(&self, q: f64) -> f64 {
        quantile(&self.ns, q)
    }

    /// Fastest round.
    pub fn min(&self) -> f64 {
        self.ns.iter().copied().fold(f64::INFINITY, f64::min)
    }
}

/// Median of the per-round ratios `a / b` (rounds are paired).
pub fn paired_ratio(a: &Series, b: &Series) -> f64 {
    let ratios: Vec<f64> = a.ns.iter().zip(&b.ns).map(|(x, y)| x / y).collect();
    quantile(&ratios, 0.5)
}

/// The `q` quantile of `values` (linear interpolation).
pub fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Runs every candidate in every round and returns their series, in the
/// order given.
pub fn interleaved(candidates: &mut [Candidate<'_>], options: Options) -> Vec<Series> {
    let iters: Vec<u64> = candidates
        .iter_mut()
        .map(|c| calibrate(&mut c.run, options.batch))
        .collect();
    let mut series: Vec<Series> = candidates
        .iter()
        .zip(&iters)
        .map(|(c, &n)| Series {
            name: c.name.clone(),
            ns: Vec::with_capacity(options.rounds),
            iters_per_batch: n,
        })
        .collect();
    let count = candidates.len();
    for round in 0..options.rounds {
        for k in 0..count {
            // Rotate the order so no candidate always runs first or last.
            let i = (round + k) % count;
            let n = iters[i];
            let elapsed = (candidates[i].run)(n);
            series[i].ns.push(elapsed.as_nanos() as f64 / n as f64);
        }
    }
    series
}

/// Iterations that take about `batch`, after a warm-up of about a quarter
/// of a batch.
fn calibrate(run: &mut dyn FnMut(u64) -> Duration, batch: Duration) -> u64 {
    let once = run(1);
    if once >= batch {
        return 1;
    }
    let mut n = 1u64;
    let mut spent = Duration::ZERO;
    let mut done = 0u64;
    while spent < batch / 4 {
        spent += run(n);
        done += n;
        n = (n * 2).min(1 << 20);
    }
    let per_iter = (spent.as_nanos() / u128::from(done)).max(1);
    (batch.as_nanos() / per_iter).clamp(1, 100_000_000) as u64
}

/// `1.23 ms`, `4.56 µs`, `789 ns`.
pub fn fmt_ns(ns: f64) -> String {
    if ns < 0.0 {
        return format!("-{}", fmt_ns(-ns));
    }
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.3} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Minimal `--name value` / `--flag` command-line reading.
pub struct Args(Vec<String>);

impl Args {
    /// The process arguments after the program name.
    pub fn from_env() -> Self {
        Self(std::env::args().skip(1).collect())
    }

    /// Arguments as given.
    pub fn new(args: Vec<String>) -> Self {
        Self(args)
    }

    /// The first argument, when it is not an option (a subcommand).
    pub fn subcommand(&self) -> Option<&str> {
        self.0
            .first()
            .filter(|a| !a.starts_with("--"))
            .map(String::as_str)
    }

    /// Whether `--name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.0.iter().any(|a| a == name)
    }

    /// The value after `--name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .position(|a| a == name)
            .and_then(|i| self.0.get(i + 1))
            .map(String::as_str)
    }

    /// The value after `--name` as a number.
    pub fn usize(&self, name: &str) -> Option<usize> {
        self.value(name).map(|v| {
            v.replace('_', "")
                .parse()
                .unwrap_or_else(|_| panic!("{name} expects a number, got {v:?}"))
        })
    }
}
