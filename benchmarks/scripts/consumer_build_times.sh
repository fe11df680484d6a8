#!/usr/bin/env bash
# Clean debug build of a consumer of huaweicloud-tasks, once per TLS feature:
# a small program outside the workspace (the README's example: Config and one
# typed client) that depends on generated-client/ by path, built with
#
#   aws-lc      features = ["rustls-aws-lc"]  (reqwest's own rustls: aws-lc-rs)
#   ring        default features               (rustls with the ring provider)
#   native-tls  features = ["native-tls"]      (the system's OpenSSL)
#
# in fresh target directories, interleaved (aws-lc ring native-tls, aws-lc ...),
# `cargo build -j 2` wall time per build, load average before each, medians at
# the end, as Markdown. Each build first waits for the 1-minute load average
# to fall below $LOAD_LIMIT (default 1.5), for at most $MAX_WAIT seconds
# (default 300), then builds anyway.
#
#     benchmarks/scripts/consumer_build_times.sh [ROUNDS]     # default 3
#
# The programs live in $BENCH_DIR (default /tmp/hwc-consumer-bench), with the
# workspace's Cargo.lock so that they build the same versions; their target
# directories are $TARGET_PREFIX-<variant> (default /tmp/target-consumer),
# deleted before each build and at the end (KEEP=1 keeps the last ones, with
# cargo's --timings report in cargo-timings/). Crates are fetched once before
# the first round, so no download is timed.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-3}
bench_dir=${BENCH_DIR:-/tmp/hwc-consumer-bench}
target_prefix=${TARGET_PREFIX:-/tmp/target-consumer}
variants=(aws-lc ring native-tls)
limit=${LOAD_LIMIT:-1.5}
max_wait=${MAX_WAIT:-300}

wait_quiet() {
    local waited=0
    while ! awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$limit" 'BEGIN { exit !(l < m) }' &&
        [ "$waited" -lt "$max_wait" ]; do
        sleep 10
        waited=$((waited + 10))
    done
}

features_of() {
    case $1 in
        aws-lc) echo 'default-features = false, features = ["rustls-aws-lc"]' ;;
        ring) echo 'default-features = true' ;;
        native-tls) echo 'default-features = false, features = ["native-tls"]' ;;
    esac
}

for variant in "${variants[@]}"; do
    dir=$bench_dir/$variant
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "consumer-$variant"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
huaweicloud-tasks = { path = "$root/generated-client", $(features_of "$variant") }
chrono = { version = "0.4", default-features = false, features = ["clock"] }
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }

# Not part of any enclosing workspace.
[workspace]
EOF
    cat >"$dir/src/main.rs" <<'EOF'
use huaweicloud_tasks::{Config, dcs};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = dcs::Client::from_config(&Config::from_env()?.region("ap-southeast-1"))?;
    let page = client
        .list_center_task()
        .project_id("a4d31cb63d724fdc8ec96e3a41e47f71")
        .limit(100)
        .start_time(chrono::Utc::now() - chrono::Duration::days(7))
        .call()
        .await?;
    for task in page.tasks.iter().flatten() {
        println!("{:?} {:?}", task.name, task.status);
    }
    Ok(())
}
EOF
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
    (cd "$dir" && cargo fetch -q)
done

# The build script (or the whole unit) that compiles each variant's native
# crypto, from cargo's --timings report.
native_part() {
    python3 - "$1" <<'PY'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
parts = []
for name in ("aws-lc-sys", "aws-lc-rs", "ring", "openssl-sys", "openssl"):
    d = sum(u["duration"] for u in units if u["name"] == name)
    if d:
        parts.append("%s %.1f s" % (name, d))
print("%d units; %s" % (len(units), ", ".join(parts) or "none"))
PY
}

declare -A times
echo "| round | variant | load average before | wall time | units; native crypto (unit time) |"
echo "|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
    for variant in "${variants[@]}"; do
        target=$target_prefix-$variant
        rm -rf "$target"
        wait_quiet
        load=$(cut -d' ' -f1-3 /proc/loadavg)
        start=$(date +%s.%N)
        log=$bench_dir/$variant/build.log
        (cd "$bench_dir/$variant" && CARGO_TARGET_DIR=$target cargo build -q -j 2 --timings 2>"$log") ||
            { cat "$log" >&2; exit 1; }
        end=$(date +%s.%N)
        wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
        times[$variant]="${times[$variant]:-} $wall"
        echo "| $round | $variant | $load | $wall s | $(native_part "$target/cargo-timings/cargo-timing.html") |"
    done
done

echo
echo "| variant | builds | median | min | max |"
echo "|---|---|---|---|---|"
for variant in "${variants[@]}"; do
    echo "${times[$variant]}" | tr ' ' '\n' | grep . | sort -n | awk -v v="$variant" '
        { t[NR] = $1 }
        END {
            m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
            printf "| %s | %d | %.1f s | %.1f s | %.1f s |\n", v, NR, m, t[1], t[NR]
        }'
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -z "${KEEP:-}" ]; then
    for variant in "${variants[@]}"; do
        rm -rf "$target_prefix-$variant"
    done
fi
