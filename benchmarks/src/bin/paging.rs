//! Listing every task of a DCS task center from a loopback server: the
//! generated paging stream
//! (`client.list_center_task().project_id(..).paginate().items()`) against a
//! raw `reqwest` loop over the same pages (same page size) decoding into plain
//! structs or into `serde_json::Value`.
//!
//!     cargo run --release -p benchmarks --bin paging -- compare [--total 100000] [--rounds N]
//!     cargo run --release -p benchmarks --bin paging -- rss [--totals 10000,100000]
//!
//! `compare` alternates the three listings in one process; `rss` runs each
//! listing once per total in its own process and reports that process's peak
//! resident memory (`VmHWM`). The server runs in a child process with every
//! page body precomputed, so it is neither the bottleneck nor in the client's
//! memory.

use std::hint::black_box;
use std::time::Duration;

use benchmarks::harness::{Args, Candidate, Options, fmt_ns, interleaved, paired_ratio};
use benchmarks::plain;
use benchmarks::server::{PROJECT_ID, ServerProcess, run_server_process};
use futures::TryStreamExt as _;
use huaweicloud_tasks::auth::AccessKeyCredentials;
use huaweicloud_tasks::{Config, Credentials, dcs};
use serde_json::Value;

const PAGE_SIZE: usize = 1000;

fn main() {
    let args = Args::from_env();
    match args.subcommand() {
        Some("serve") => run_server_process(
            args.usize("--total").unwrap_or(100_000),
            args.usize("--page-size").unwrap_or(PAGE_SIZE),
        ),
        Some("compare") | None => compare(&args),
        Some("rss") => rss(&args),
        Some("rss-one") => rss_one(&args),
        Some(other) => {
            eprintln!("unknown subcommand {other:?}: use compare, rss or serve");
            std::process::exit(2);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lister {
    Generated,
    RawPlain,
    RawValue,
}

impl Lister {
    const ALL: [Lister; 3] = [Lister::Generated, Lister::RawPlain, Lister::RawValue];

    fn name(self) -> &'static str {
        match self {
            Lister::Generated => "generated",
            Lister::RawPlain => "raw-plain",
            Lister::RawValue => "raw-value",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Lister::Generated => "generated `paginate().items()` (signed AK/SK)",
            Lister::RawPlain => "raw reqwest loop, plain structs",
            Lister::RawValue => "raw reqwest loop, `serde_json::Value`",
        }
    }
}

/// The clients of one benchmark process.
struct Clients {
    generated: dcs::Client,
    http: reqwest::Client,
    base_url: String,
}

impl Clients {
    fn new(base_url: &str) -> Self {
        let credentials = Credentials::from(
            AccessKeyCredentials::new("HPUAEXAMPLEAK0000000", "exampleSecretKey/0123456789abcdef")
                .expect("credentials")
                .with_project_id(PROJECT_ID),
        );
        let generated =
            dcs::Client::from_config(&Config::new(credentials).endpoint(base_url)).expect("client");
        Self {
            generated,
            http: {
                // huaweicloud-tasks configures TLS for its own clients only;
                // this one needs reqwest's, which has no provider of its own.
                let _ = rustls::crypto::ring::default_provider().install_default();
                reqwest::Client::new()
            },
            base_url: base_url.to_string(),
        }
    }

    /// Lists every task; returns how many and the bytes of their ids (so
    /// nothing is optimized away).
    async fn list(&self, lister: Lister) -> (usize, usize) {
        match lister {
            Lister::Generated => self.generated().await,
            Lister::RawPlain => self.raw_plain().await,
            Lister::RawValue => self.raw_value().await,
        }
    }

    async fn generated(&self) -> (usize, usize) {
        let mut items = self
            .generated
            .list_center_task()
            .project_id(PROJECT_ID)
            .paginate()
            .items();
        let (mut count, mut id_bytes) = (0, 0);
        while let Some(task) = items.try_next().await.expect("listing succeeds") {
            count += 1;
            id_bytes += task.id.as_ref().map_or(0, String::len);
            black_box(&task);
        }
        (count, id_bytes)
    }

    async fn page(&self, offset: usize) -> bytes::Bytes {
        self.http
            .get(format!("{}/v2/{PROJECT_ID}/tasks", self.base_url))
            .query(&[("limit", PAGE_SIZE), ("offset", offset)])
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("page request succeeds")
            .bytes()
            .await
            .expect("page body")
    }

    async fn raw_plain(&self) -> (usize, usize) {
        let (mut offset, mut id_bytes) = (0, 0);
        loop {
            let body = self.page(offset).await;
            let page: plain::DcsCenterPage = serde_json::from_slice(&body).expect("page decodes");
            let total = page.total();
            let tasks = page.tasks.unwrap_or_default();
            let count = tasks.len();
            for task in tasks {
                id_bytes += task.id.as_ref().map_or(0, String::len);
                black_box(&task);
            }
            offset += count;
            let done = count == 0
                || match total {
                    Some(total) => offset as u64 >= total,
                    None => count < PAGE_SIZE,
                };
            if done {
                return (offset, id_bytes);
            }
        }
    }

    async fn raw_value(&self) -> (usize, usize) {
        let (mut offset, mut id_bytes) = (0, 0);
        loop {
            let body = self.page(offset).await;
            let mut page: Value = serde_json::from_slice(&body).expect("page decodes");
            let total = match &page["task_count"] {
                Value::String(s) => s.parse::<u64>().ok(),
                other => other.as_u64(),
            };
            let tasks = match page["tasks"].take() {
                Value::Array(tasks) => tasks,
                _ => Vec::new(),
            };
            let count = tasks.len();
            for task in tasks {
                id_bytes += task["id"].as_str().map_or(0, str::len);
                black_box(&task);
            }
            offset += count;
            let done = count == 0
                || match total {
                    Some(total) => offset as u64 >= total,
                    None => count < PAGE_SIZE,
                };
            if done {
                return (offset, id_bytes);
            }
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn compare(args: &Args) {
    let total = args.usize("--total").unwrap_or(100_000);
    let options = Options {
        rounds: args
            .usize("--rounds")
            .unwrap_or(if args.flag("--quick") { 3 } else { 11 }),
        batch: Duration::ZERO,
    };
    println!("# Listing {total} tasks through the paging stream\n");
    println!("{}\n", benchmarks::machine_summary());
    let server = ServerProcess::spawn(total, PAGE_SIZE);
    let rt = runtime();
    let clients = Clients::new(&server.base_url);
    // Every lister must see every task, or the comparison is void.
    let expected = rt.block_on(clients.list(Lister::Generated));
    assert_eq!(expected.0, total);
    for lister in Lister::ALL {
        assert_eq!(rt.block_on(clients.list(lister)), expected, "{lister:?}");
    }
    let mut candidates: Vec<Candidate<'_>> = Lister::ALL
        .iter()
        .map(|&lister| {
            let (rt, clients) = (&rt, &clients);
            Candidate::new(lister.name(), move || rt.block_on(clients.list(lister)))
        })
        .collect();
    let series = interleaved(&mut candidates, options);
    println!(
        "{} pages of {PAGE_SIZE} from `{}` (a child process, pages precomputed), {} rounds alternating the listings in one process, current-thread tokio runtime.\n",
        total.div_ceil(PAGE_SIZE),
        server.base_url,
        options.rounds
    );
    println!("| listing | median | p25..p75 | tasks/s | / raw plain | / raw Value |");
    println!("|---|---|---|---|---|---|");
    for (lister, s) in Lister::ALL.iter().zip(&series) {
        println!(
            "| {} | {} | {}..{} | {:.0} | {:.2}x | {:.2}x |",
            lister.label(),
            fmt_ns(s.median()),
            fmt_ns(s.quantile(0.25)),
            fmt_ns(s.quantile(0.75)),
            total as f64 / s.median() * 1e9,
            paired_ratio(s, &series[1]),
            paired_ratio(s, &series[2]),
        );
    }
    let ratio = paired_ratio(&series[0], &series[1]);
    println!(
        "\nGenerated / raw plain: {ratio:.2}x (target at most 1.15x: {}). Load average at end: {}",
        if ratio <= 1.15 { "met" } else { "MISSED" },
        benchmarks::load_average()
    );
}

fn rss(args: &Args) {
    let totals: Vec<usize> = args
        .value("--totals")
        .unwrap_or("10000,100000")
        .split(',')
        .map(|t| t.replace('_', "").parse().expect("--totals: numbers"))
        .collect();
    println!("# Peak memory while listing\n");
    println!("{}\n", benchmarks::machine_summary());
    println!(
        "One process per cell; the server is another process. `VmHWM` is the client process's peak resident set, read after the listing; \"before\" is read after building the runtime and client.\n"
    );
    let mut header = String::from("| listing |");
    let mut rule = String::from("|---|");
    for total in &totals {
        header.push_str(&format!(" {total} tasks: peak (before) |"));
        rule.push_str("---|");
    }
    println!("{header}\n{rule}");
    let exe = std::env::current_exe().expect("path of this program");
    for lister in Lister::ALL {
        let mut row = format!("| {} |", lister.label());
        for total in &totals {
            let output = std::process::Command::new(&exe)
                .args([
                    "rss-one",
                    "--total",
                    &total.to_string(),
                    "--lister",
                    lister.name(),
                ])
                .output()
                .expect("run a measurement process");
            assert!(
                output.status.success(),
                "rss-one failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let text = String::from_utf8_lossy(&output.stdout);
            let numbers: Vec<u64> = text
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            let [peak, before, listed] = numbers[..] else {
                panic!("unexpected rss-one output {text:?}")
            };
            assert_eq!(listed, *total as u64);
            row.push_str(&format!(
                " {:.1} MiB ({:.1} MiB) |",
                peak as f64 / 1024.0,
                before as f64 / 1024.0
            ));
        }
        println!("{row}");
    }
    println!("\nLoad average at end: {}", benchmarks::load_average());
}

fn rss_one(args: &Args) {
    let total = args.usize("--total").unwrap_or(10_000);
    let lister = match args.value("--lister").unwrap_or("generated") {
        "generated" => Lister::Generated,
        "raw-plain" => Lister::RawPlain,
        "raw-value" => Lister::RawValue,
        other => panic!("unknown lister {other:?}"),
    };
    let server = ServerProcess::spawn(total, PAGE_SIZE);
    let rt = runtime();
    let clients = Clients::new(&server.base_url);
    let (before, _) = benchmarks::memory_kib();
    let (listed, _) = rt.block_on(clients.list(lister));
    let (peak, _) = benchmarks::memory_kib();
    println!("{peak} {before} {listed}");
}
