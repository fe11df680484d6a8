//! Criterion view of signing (the `sign` binary interleaves the same
//! candidates):
//!
//!     cargo bench -p benchmarks --bench sign

use chrono::TimeZone as _;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use huaweicloud_tasks::auth::{AccessKeyCredentials, Credentials, sign_parts, sign_request};

const AK: &str = "HPUAEXAMPLEAK0000000";
const SK: &str = "exampleSecretKey/0123456789abcdef";
const PROJECT_ID: &str = "a4d31cb63d724fdc8ec96e3a41e47f71";

fn sign(c: &mut Criterion) {
    let url: url::Url = format!(
        "https://dcs.ap-southeast-1.myhuaweicloud.com/v2/{PROJECT_ID}/tasks?limit=1000&offset=2000&start_time=20240101000000&end_time=20240131235959"
    )
    .parse()
    .unwrap();
    let mut template = reqwest::Request::new(reqwest::Method::GET, url.clone());
    template.headers_mut().insert(
        reqwest::header::ACCEPT,
        reqwest::header::HeaderValue::from_static("application/json"),
    );
    let credentials = Credentials::from(
        AccessKeyCredentials::new(AK, SK)
            .unwrap()
            .with_project_id(PROJECT_ID),
    );
    let now = chrono::Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    c.bench_function("sign_request", |b| {
        b.iter_batched(
            || template.try_clone().unwrap(),
            |mut request| {
                sign_request(&mut request, &credentials, now).unwrap();
                request
            },
            BatchSize::SmallInput,
        )
    });
    let headers = [("Accept", "application/json"), ("X-Project-Id", PROJECT_ID)];
    c.bench_function("sign_parts", |b| {
        b.iter(|| sign_parts("GET", &url, &headers, b"", "20240102T030405Z", AK, SK).unwrap())
    });
}

criterion_group!(benches, sign);
criterion_main!(benches);
