//! Decoding a 1,000-task page of each operation: the generated tolerant types
//! against hand-written plain structs and against `serde_json::Value`, all
//! with `serde_json::from_slice` on the same bytes, interleaved.
//!
//!     cargo run --release -p benchmarks --bin decode [-- --rounds N] [--quick]
//!
//! `decode repeat --operation dcs-center --decoder generated --iterations N`
//! only decodes, for instruction counts under `valgrind --tool=callgrind`
//! (see `benchmarks/scripts/decode_callgrind.sh`).

use benchmarks::harness::{Args, Candidate, Options, fmt_ns, interleaved, paired_ratio};
use benchmarks::payload::{self, Operation};
use benchmarks::plain;
use huaweicloud_tasks::{dcs, opengauss, rabbitmq};
use serde_json::Value;

fn main() {
    let args = Args::from_env();
    if args.subcommand() == Some("repeat") {
        repeat(&args);
        return;
    }
    let options = Options::from_args(&args, 30, 40);
    println!("# Decoding one 1,000-task page\n");
    println!("{}\n", benchmarks::machine_summary());
    println!(
        "{} rounds, batches of about {} ms per candidate and round, order rotating.\n",
        options.rounds,
        options.batch.as_millis()
    );
    println!(
        "| operation | page | generated types | plain structs | serde_json::Value | generated / plain | generated / Value | generated throughput |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut worst: f64 = 0.0;
    for operation in Operation::ALL {
        let bytes = payload::decode_page(operation);
        describe(operation, &bytes);
        let series = match operation {
            Operation::DcsCenter => {
                measure::<dcs::types::ListCenterTaskResponse, plain::DcsCenterPage>(&bytes, options)
            }
            Operation::DcsInstance => measure::<
                dcs::types::ListBackgroundTaskResponse,
                plain::DcsInstancePage,
            >(&bytes, options),
            Operation::Rabbitmq => measure::<
                rabbitmq::types::ListBackgroundTasksResponse,
                plain::RabbitmqPage,
            >(&bytes, options),
            Operation::Opengauss => measure::<
                opengauss::types::ListTasksResponse,
                plain::OpengaussPage,
            >(&bytes, options),
        };
        let [generated, plain, value] = &series[..] else {
            unreachable!("three candidates")
        };
        let vs_plain = paired_ratio(generated, plain);
        let vs_value = paired_ratio(generated, value);
        worst = worst.max(vs_plain);
        println!(
            "| {} | {:.0} KB | {} | {} | {} | {:.2}x | {:.2}x | {:.0} MB/s |",
            operation.label(),
            bytes.len() as f64 / 1000.0,
            fmt_ns(generated.median()),
            fmt_ns(plain.median()),
            fmt_ns(value.median()),
            vs_plain,
            vs_value,
            bytes.len() as f64 / generated.median() * 1e3,
        );
    }
    println!(
        "\nWorst generated / plain ratio: {worst:.2}x (target at most 1.20x: {}). Load average at end: {}",
        if worst <= 1.2 { "met" } else { "MISSED" },
        benchmarks::load_average()
    );
}

fn measure<G, P>(bytes: &[u8], options: Options) -> Vec<benchmarks::harness::Series>
where
    G: serde::de::DeserializeOwned,
    P: serde::de::DeserializeOwned,
{
    // Every candidate must decode the page, or the comparison is void.
    serde_json::from_slice::<G>(bytes).expect("generated types decode the page");
    serde_json::from_slice::<P>(bytes).expect("plain structs decode the page");
    let mut candidates = [
        Candidate::new("generated", || serde_json::from_slice::<G>(bytes).unwrap()),
        Candidate::new("plain", || serde_json::from_slice::<P>(bytes).unwrap()),
        Candidate::new("value", || serde_json::from_slice::<Value>(bytes).unwrap()),
    ];
    interleaved(&mut candidates, options)
}

/// Prints, on stderr, what quirks the page holds, as decoded by the generated
/// types (so the table is known to measure them).
fn describe(operation: Operation, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let offsets = text.matches("+0800\"").count();
    let nulls = text.matches(":null").count();
    let unknown = match operation {
        Operation::DcsCenter => {
            let page: dcs::types::ListCenterTaskResponse = serde_json::from_slice(bytes).unwrap();
            page.tasks
                .unwrap_or_default()
                .iter()
                .filter(|t| {
                    t.name.as_ref().is_some_and(|n| n.is_unknown())
                        || t.status.as_ref().is_some_and(|s| s.is_unknown())
                })
                .count()
        }
        Operation::DcsInstance => {
            let page: dcs::types::ListBackgroundTaskResponse =
                serde_json::from_slice(bytes).unwrap();
            page.tasks
                .unwrap_or_default()
                .iter()
                .filter(|t| {
                    t.name.as_ref().is_some_and(|n| n.is_unknown())
                        || t.status.as_ref().is_some_and(|s| s.is_unknown())
                })
                .count()
        }
        Operation::Rabbitmq => {
            let page: rabbitmq::types::ListBackgroundTasksResponse =
                serde_json::from_slice(bytes).unwrap();
            page.tasks
                .unwrap_or_default()
                .iter()
                .filter(|t| t.status.as_ref().is_some_and(|s| s.is_unknown()))
                .count()
        }
        Operation::Opengauss => {
            let page: opengauss::types::ListTasksResponse = serde_json::from_slice(bytes).unwrap();
            page.tasks
                .unwrap_or_default()
                .iter()
                .filter(|t| {
                    t.name.as_ref().is_some_and(|n| n.is_unknown())
                        || t.status.as_ref().is_some_and(|s| s.is_unknown())
                })
                .count()
        }
    };
    eprintln!(
        "{}: {} bytes, {} tasks with an unknown name or status, {} time stamps with +0800, {} nulls",
        operation.label(),
        bytes.len(),
        unknown,
        offsets,
        nulls
    );
}

/// Decodes one page `--iterations` times with one decoder and nothing else.
fn repeat(args: &Args) {
    let operation = match args.value("--operation").unwrap_or("dcs-center") {
        "dcs-center" => Operation::DcsCenter,
        "dcs-instance" => Operation::DcsInstance,
        "rabbitmq" => Operation::Rabbitmq,
        "opengauss" => Operation::Opengauss,
        other => panic!("unknown operation {other:?}"),
    };
    let decoder = args.value("--decoder").unwrap_or("generated");
    let iterations = args.usize("--iterations").unwrap_or(1);
    let bytes = payload::decode_page(operation);
    fn run<T: serde::de::DeserializeOwned>(bytes: &[u8], n: usize) {
        for _ in 0..n {
            std::hint::black_box(serde_json::from_slice::<T>(bytes).unwrap());
        }
    }
    match (decoder, operation) {
        ("none", _) => {}
        ("value", _) => run::<Value>(&bytes, iterations),
        ("generated", Operation::DcsCenter) => {
            run::<dcs::types::ListCenterTaskResponse>(&bytes, iterations)
        }
        ("generated", Operation::DcsInstance) => {
            run::<dcs::types::ListBackgroundTaskResponse>(&bytes, iterations)
        }
        ("generated", Operation::Rabbitmq) => {
            run::<rabbitmq::types::ListBackgroundTasksResponse>(&bytes, iterations)
        }
        ("generated", Operation::Opengauss) => {
            run::<opengauss::types::ListTasksResponse>(&bytes, iterations)
        }
        ("plain", Operation::DcsCenter) => run::<plain::DcsCenterPage>(&bytes, iterations),
        ("plain", Operation::DcsInstance) => run::<plain::DcsInstancePage>(&bytes, iterations),
        ("plain", Operation::Rabbitmq) => run::<plain::RabbitmqPage>(&bytes, iterations),
        ("plain", Operation::Opengauss) => run::<plain::OpengaussPage>(&bytes, iterations),
        (other, _) => panic!("unknown decoder {other:?}"),
    }
}
