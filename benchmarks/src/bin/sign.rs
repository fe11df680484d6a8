//! Signing one request: `auth::sign_request` on a realistic GET with a query
//! (what every call pays), the lower-level `auth::sign_parts`, and the
//! cryptographic floor any `SDK-HMAC-SHA256` signer pays (one SHA-256 of the
//! canonical request plus one HMAC-SHA256), interleaved. The official Python
//! signer is compared in the `vs_python` binary.
//!
//!     cargo run --release -p benchmarks --bin sign [-- --rounds N] [--quick]

use benchmarks::harness::{Args, Candidate, Options, fmt_ns, interleaved, paired_ratio};
use chrono::TimeZone as _;
use hmac::{Hmac, Mac as _};
use huaweicloud_tasks::auth::{AccessKeyCredentials, Credentials, sign_parts, sign_request};
use sha2::{Digest as _, Sha256};

const AK: &str = "HPUAEXAMPLEAK0000000";
const SK: &str = "exampleSecretKey/0123456789abcdef";
const PROJECT_ID: &str = "a4d31cb63d724fdc8ec96e3a41e47f71";
const DATE: &str = "20240102T030405Z";

fn main() {
    let args = Args::from_env();
    let options = Options::from_args(&args, 30, 40);
    println!("# Signing one request\n");
    println!("{}\n", benchmarks::machine_summary());

    let url = format!(
        "https://dcs.ap-southeast-1.myhuaweicloud.com/v2/{PROJECT_ID}/tasks?limit=1000&offset=2000&start_time=20240101000000&end_time=20240131235959"
    );
    let parsed: url::Url = url.parse().expect("URL");
    let mut template = reqwest::Request::new(reqwest::Method::GET, parsed.clone());
    template.headers_mut().insert(
        reqwest::header::ACCEPT,
        reqwest::header::HeaderValue::from_static("application/json"),
    );
    let credentials = Credentials::from(
        AccessKeyCredentials::new(AK, SK)
            .expect("credentials")
            .with_project_id(PROJECT_ID),
    );
    let now = chrono::Utc
        .with_ymd_and_hms(2024, 1, 2, 3, 4, 5)
        .single()
        .expect("time");
    let headers = [("Accept", "application/json"), ("X-Project-Id", PROJECT_ID)];
    let parts = sign_parts("GET", &parsed, &headers, b"", DATE, AK, SK).expect("signs");
    {
        // sign_parts and sign_request must agree, or the comparison is void.
        let mut request = template.try_clone().expect("no body");
        sign_request(&mut request, &credentials, now).expect("signs");
        assert_eq!(
            request.headers()["authorization"],
            parts.authorization.as_str()
        );
        eprintln!("canonical request:\n{}\n", parts.canonical_request);
    }
    let canonical_request = parts.canonical_request.clone();

    let mut candidates = [
        Candidate::batched(
            "sign_request",
            || template.try_clone().expect("no body"),
            |mut request| {
                sign_request(&mut request, &credentials, now).expect("signs");
                request
            },
        ),
        Candidate::new("sign_parts", || {
            sign_parts("GET", &parsed, &headers, b"", DATE, AK, SK).expect("signs")
        }),
        Candidate::new("crypto floor", || {
            let hash = hex::encode(Sha256::digest(canonical_request.as_bytes()));
            let to_sign = format!("SDK-HMAC-SHA256\n{DATE}\n{hash}");
            let mut mac = Hmac::<Sha256>::new_from_slice(SK.as_bytes()).expect("any key");
            mac.update(to_sign.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }),
    ];
    let series = interleaved(&mut candidates, options);
    println!(
        "{} rounds, batches of about {} ms, order rotating. Request: `GET {url}` with `Accept` and project-id credentials.\n",
        options.rounds,
        options.batch.as_millis()
    );
    println!("| what | median | p25..p75 | / crypto floor |");
    println!("|---|---|---|---|");
    for s in &series {
        println!(
            "| {} | {} | {}..{} | {:.2}x |",
            s.name,
            fmt_ns(s.median()),
            fmt_ns(s.quantile(0.25)),
            fmt_ns(s.quantile(0.75)),
            paired_ratio(s, &series[2])
        );
    }
    let worst = series[0].median().max(series[1].median());
    println!(
        "\nTarget under 5 µs: {} ({}). Load average at end: {}",
        if worst < 5_000.0 { "met" } else { "MISSED" },
        fmt_ns(worst),
        benchmarks::load_average()
    );
}
