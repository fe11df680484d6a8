#!/usr/bin/env bash
# Clean debug build of a consumer of huaweicloud-tasks: a small program outside
# the workspace (the README's example: Config and one typed client) that
# depends on generated-client/ by path, once per variant:
#
#   ring        default features (rustls with the ring provider), the
#               workspace's Cargo.lock: idna's Unicode back end is unicode-rs
#               (idna_adapter 1.1), as the README recommends to applications
#   icu4x       the same, with idna_adapter as cargo resolves it when the
#               application makes no choice (1.2.x: ICU4X)
#   aws-lc      features = ["rustls-aws-lc"]  (reqwest's own rustls: aws-lc-rs)
#   native-tls  features = ["native-tls"]      (the system's OpenSSL)
#   base        ring, against the commit $BASE_REV (its generated-client/ and
#               its Cargo.lock, checked out in $BENCH_DIR/base-src): the
#               baseline of a before/after comparison
#
# in fresh target directories, interleaved (variant 1, 2, ..., 1, 2, ...),
# `cargo build -j 2` wall time per build, load average before each, medians at
# the end, as Markdown. Each build first waits for the 1-minute load average
# to fall below $LOAD_LIMIT (default 1.5), for at most $MAX_WAIT seconds
# (default 300), then builds anyway.
#
#     benchmarks/scripts/consumer_build_times.sh [ROUNDS]     # default 3
#     VARIANTS="aws-lc ring native-tls" benchmarks/scripts/consumer_build_times.sh
#     BASE_REV=c0876af benchmarks/scripts/consumer_build_times.sh
#
# VARIANTS defaults to "ring icu4x", with "base" first when BASE_REV is set.
# The programs live in $BENCH_DIR (default /tmp/hwc-consumer-bench); their
# target directories are $TARGET_PREFIX-<variant> (default
# /tmp/target-consumer), deleted before each build and at the end (KEEP=1
# keeps the last ones, with cargo's --timings report in cargo-timings/).
# Crates are fetched once before the first round, so no download is timed.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-3}
bench_dir=${BENCH_DIR:-/tmp/hwc-consumer-bench}
target_prefix=${TARGET_PREFIX:-/tmp/target-consumer}
default_variants="ring icu4x"
[ -n "${BASE_REV:-}" ] && default_variants="base $default_variants"
read -r -a variants <<<"${VARIANTS:-$default_variants}"
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
        ring | icu4x | base) echo 'default-features = true' ;;
        native-tls) echo 'default-features = false, features = ["native-tls"]' ;;
        *) echo "unknown variant $1" >&2; exit 2 ;;
    esac
}

# The source tree a variant builds against: this checkout, or for `base` a
# detached worktree of $BASE_REV.
source_of() {
    if [ "$1" != base ]; then
        echo "$root"
        return
    fi
    [ -n "${BASE_REV:-}" ] || { echo "variant base needs BASE_REV" >&2; exit 2; }
    local src=$bench_dir/base-src
    if [ "$(git -C "$src" rev-parse HEAD 2>/dev/null)" != "$(git -C "$root" rev-parse "$BASE_REV^{commit}")" ]; then
        git -C "$root" worktree remove --force "$src" 2>/dev/null || rm -rf "$src"
        git -C "$root" worktree add -q --detach "$src" "$BASE_REV"
    fi
    echo "$src"
}

for variant in "${variants[@]}"; do
    dir=$bench_dir/$variant
    src=$(source_of "$variant")
    features=$(features_of "$variant")
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "consumer-$variant"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
huaweicloud-tasks = { path = "$src/generated-client", $features }
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
    cp "$src/Cargo.lock" "$dir/Cargo.lock"
    if [ "$variant" = icu4x ]; then
        (cd "$dir" && cargo update -q -p idna_adapter)
    fi
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
total = sum(u["duration"] for u in units)
print("%d units, %.1f s; %s" % (len(units), total, ", ".join(parts) or "none"))
PY
}

declare -A times
echo "idna_adapter: $(for v in "${variants[@]}"; do printf '%s %s  ' "$v" "$(grep -A1 'name = "idna_adapter"' "$bench_dir/$v/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p')"; done)"
echo
echo "| round | variant | load average before | wall time | units, unit time; native crypto (unit time) |"
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
    if [ -d "$bench_dir/base-src" ]; then
        git -C "$root" worktree remove --force "$bench_dir/base-src"
    fi
fi
