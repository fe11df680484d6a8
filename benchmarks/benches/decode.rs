//! Criterion view of the decoding comparison (the `decode` binary interleaves
//! the same candidates, which holds better on a noisy machine):
//!
//!     cargo bench -p benchmarks --bench decode

use benchmarks::payload::{self, Operation};
use benchmarks::plain;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use huaweicloud_tasks::{dcs, opengauss, rabbitmq};
use serde::de::DeserializeOwned;
use serde_json::Value;

fn group<G: DeserializeOwned, P: DeserializeOwned>(c: &mut Criterion, operation: Operation) {
    let bytes = payload::decode_page(operation);
    let mut group = c.benchmark_group(operation.label());
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("generated", "1000 tasks"),
        &bytes,
        |b, bytes| b.iter(|| serde_json::from_slice::<G>(bytes).unwrap()),
    );
    group.bench_with_input(
        BenchmarkId::new("plain", "1000 tasks"),
        &bytes,
        |b, bytes| b.iter(|| serde_json::from_slice::<P>(bytes).unwrap()),
    );
    group.bench_with_input(
        BenchmarkId::new("value", "1000 tasks"),
        &bytes,
        |b, bytes| b.iter(|| serde_json::from_slice::<Value>(bytes).unwrap()),
    );
    group.finish();
}

fn decode(c: &mut Criterion) {
    group::<dcs::types::ListCenterTaskResponse, plain::DcsCenterPage>(c, Operation::DcsCenter);
    group::<dcs::types::ListBackgroundTaskResponse, plain::DcsInstancePage>(
        c,
        Operation::DcsInstance,
    );
    group::<rabbitmq::types::ListBackgroundTasksResponse, plain::RabbitmqPage>(
        c,
        Operation::Rabbitmq,
    );
    group::<opengauss::types::ListTasksResponse, plain::OpengaussPage>(c, Operation::Opengauss);
}

criterion_group!(benches, decode);
criterion_main!(benches);
