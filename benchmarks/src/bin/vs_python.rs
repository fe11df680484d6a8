//! The official Python SDK against the generated client on the same bytes:
//! decoding the DCS task-center page (the SDK's own response handler into
//! `ListCenterTaskResponse`) and signing one request, in one invocation.
//!
//!     cargo run --release -p benchmarks --bin vs_python [-- --payload FILE] [--rounds N] [--quick]
//!
//! The Rust side is measured before and after the Python script runs (the
//! script builds its pinned virtual environment under /tmp the first time);
//! medians are compared with medians.

use std::path::PathBuf;
use std::process::Command;

use benchmarks::harness::{Args, Candidate, Options, Series, fmt_ns, interleaved, quantile};
use benchmarks::payload::{self, Operation};
use benchmarks::plain;
use chrono::TimeZone as _;
use huaweicloud_tasks::auth::{Credentials, sign_request};
use huaweicloud_tasks::dcs;
use serde::de::IgnoredAny;
use serde_json::Value;

const PROJECT_ID: &str = "a4d31cb63d724fdc8ec96e3a41e47f71";

fn main() {
    let args = Args::from_env();
    let options = Options::from_args(&args, 20, 40);
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR")));
    let payload_path = args
        .value("--payload")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("data/dcs_center_1000.json"));
    let bytes = std::fs::read(&payload_path)
        .unwrap_or_else(|e| panic!("read {}: {e}", payload_path.display()));
    if bytes != payload::decode_page(Operation::DcsCenter) {
        eprintln!(
            "warning: {} differs from the generated page; rewrite it with `cargo run --release -p benchmarks --bin payload`",
            payload_path.display()
        );
    }
    let page: dcs::types::ListCenterTaskResponse =
        serde_json::from_slice(&bytes).expect("the page decodes");
    assert_eq!(page.tasks.map_or(0, |t| t.len()), 1000);

    println!("# The official Python SDK against huaweicloud-tasks\n");
    println!("{}\n", benchmarks::machine_summary());

    let before = measure_rust(&bytes, options);
    let python = run_python(&root.join("python/decode_bench.py"), &payload_path);
    let after = measure_rust(&bytes, options);

    let combined = |i: usize| -> Series {
        let mut s = before[i].clone();
        s.ns.extend(&after[i].ns);
        s
    };
    let ours_decode = combined(0);
    let ours_sign = combined(RUST_SIGN);
    let sdk_decode = python["sdk_decode"]["median_ns"]
        .as_f64()
        .expect("sdk_decode");
    let json_loads = python["json_loads"]["median_ns"]
        .as_f64()
        .expect("json_loads");
    let sdk_sign = python["sdk_sign"]["median_ns"].as_f64().expect("sdk_sign");

    println!(
        "Payload: {} ({} bytes, 1,000 tasks). Python {}, huaweicloudsdkcore {}, huaweicloudsdkdcs {}.\n",
        payload_path
            .strip_prefix(root.parent().unwrap_or(&root))
            .unwrap_or(&payload_path)
            .display(),
        bytes.len(),
        python["python"].as_str().unwrap_or("?"),
        python["sdk"]["huaweicloudsdkcore"].as_str().unwrap_or("?"),
        python["sdk"]["huaweicloudsdkdcs"].as_str().unwrap_or("?"),
    );
    println!("| work | huaweicloud-tasks (median) | Python SDK (median) | SDK / ours |");
    println!("|---|---|---|---|");
    let decode_ratio = sdk_decode / ours_decode.median();
    println!(
        "| decode the page into `ListCenterTaskResponse` | {} | {} | **{:.1}x** |",
        fmt_ns(ours_decode.median()),
        fmt_ns(sdk_decode),
        decode_ratio
    );
    println!(
        "| sign the GET request (AK/SK) | {} | {} | {:.1}x |",
        fmt_ns(ours_sign.median()),
        fmt_ns(sdk_sign),
        sdk_sign / ours_sign.median()
    );
    println!("\nReferences on the same bytes (medians):\n");
    println!("| decoder | median | SDK handler / this |");
    println!("|---|---|---|");
    println!(
        "| Python `json.loads` (text to dicts only) | {} | {:.1}x |",
        fmt_ns(json_loads),
        sdk_decode / json_loads
    );
    for (i, label) in [
        (1, "Rust plain structs (owned `String`s)"),
        (2, "Rust `serde_json::Value`"),
        (
            3,
            "Rust plain structs borrowing unescaped strings from the input (zero-copy)",
        ),
        (4, "Rust `IgnoredAny` (parse and validate only)"),
    ] {
        let s = combined(i);
        println!(
            "| {label} | {} | {:.1}x |",
            fmt_ns(s.median()),
            sdk_decode / s.median()
        );
    }
    let spread = |s: &Series| {
        format!(
            "{}..{}",
            fmt_ns(quantile(&s.ns, 0.25)),
            fmt_ns(quantile(&s.ns, 0.75))
        )
    };
    println!(
        "\nOurs: decode interquartile range {}, sign {}; Python SDK decode {}..{} over {} runs.",
        spread(&ours_decode),
        spread(&ours_sign),
        fmt_ns(python["sdk_decode"]["p25_ns"].as_f64().unwrap_or(f64::NAN)),
        fmt_ns(python["sdk_decode"]["p75_ns"].as_f64().unwrap_or(f64::NAN)),
        python["sdk_decode"]["iterations"]
    );
    println!(
        "Decode target (ours at least 25x faster than the SDK): {} ({decode_ratio:.1}x). Load average at end: {}",
        if decode_ratio >= 25.0 {
            "met"
        } else {
            "MISSED"
        },
        benchmarks::load_average()
    );
}

const RUST_SIGN: usize = 5;

fn measure_rust(bytes: &[u8], options: Options) -> Vec<Series> {
    let credentials = Credentials::from(
        huaweicloud_tasks::auth::AccessKeyCredentials::new(
            "HPUAEXAMPLEAK0000000",
            "exampleSecretKey/0123456789abcdef",
        )
        .expect("credentials")
        .with_project_id(PROJECT_ID),
    );
    let template = {
        let url = format!(
            "https://dcs.ap-southeast-1.myhuaweicloud.com/v2/{PROJECT_ID}/tasks?limit=1000&offset=2000&start_time=20240101000000&end_time=20240131235959"
        );
        let mut request = reqwest::Request::new(reqwest::Method::GET, url.parse().expect("URL"));
        request.headers_mut().insert(
            reqwest::header::ACCEPT,
            reqwest::header::HeaderValue::from_static("application/json"),
        );
        request
    };
    let now = chrono::Utc
        .with_ymd_and_hms(2024, 1, 2, 3, 4, 5)
        .single()
        .expect("time");
    let mut candidates = [
        Candidate::new("ours", || {
            serde_json::from_slice::<dcs::types::ListCenterTaskResponse>(bytes).unwrap()
        }),
        Candidate::new("plain", || {
            serde_json::from_slice::<plain::DcsCenterPage>(bytes).unwrap()
        }),
        Candidate::new("value", || serde_json::from_slice::<Value>(bytes).unwrap()),
        Candidate::new("borrowed", || {
            serde_json::from_slice::<plain::DcsCenterPageBorrowed<'_>>(bytes).unwrap()
        }),
        Candidate::new("ignored", || {
            serde_json::from_slice::<IgnoredAny>(bytes).unwrap()
        }),
        // Each request is signed once: copies are made before the timing.
        Candidate::batched(
            "sign",
            || template.try_clone().expect("no body"),
            |mut request| {
                sign_request(&mut request, &credentials, now).expect("signs");
                request
            },
        ),
    ];
    interleaved(&mut candidates, options)
}

fn run_python(script: &std::path::Path, payload: &std::path::Path) -> Value {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    eprintln!("running {} {} --json", python, script.display());
    let output = Command::new(&python)
        .arg(script)
        .arg("--payload")
        .arg(payload)
        .arg("--json")
        .output()
        .unwrap_or_else(|e| panic!("run {python}: {e}"));
    if !output.status.success() {
        panic!(
            "the Python benchmark failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON from the Python benchmark:\n{stdout}"));
    serde_json::from_str(line).expect("the Python benchmark prints JSON")
}
