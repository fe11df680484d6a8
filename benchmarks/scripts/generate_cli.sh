#!/usr/bin/env bash
# Wall time of `cargo xtask generate` (what a maintainer runs) and of the xtask
# binary alone, on the real specs and on a synthetic spec set, with hyperfine
# when it is installed (`apt-get install hyperfine`) and a timed loop otherwise.
#
#     benchmarks/scripts/generate_cli.sh [OPERATIONS]     # default 500
#     OPTIMIZED_DEV=1 benchmarks/scripts/generate_cli.sh  # dev profile with the
#         generator and every dependency at opt-level 3 (cargo --config)
#
# Runs in a copy of the workspace under /tmp, so the working tree is never
# written; the copy's build goes to $CARGO_TARGET_DIR (default
# /tmp/target-bench-cli), which the first run fills (a few minutes).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
operations=${1:-500}
runs=${RUNS:-10}
config=()
if [ -n "${OPTIMIZED_DEV:-}" ]; then
    config=(--config 'profile.dev.package.generator.opt-level=3'
        --config 'profile.dev.package."*".opt-level=3')
    export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/target-bench-cli-optimized}
else
    export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/target-bench-cli}
fi

work=$(mktemp -d /tmp/xtask-generate-XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -C "$root" --exclude=./target --exclude=./.git -cf - . | tar -C "$work" -xf -
cd "$work"

echo "building xtask (dev profile, as cargo xtask does${config:+, with ${config[*]}}) in $work" >&2
cargo "${config[@]}" build -q -p xtask
cargo run -q --release -p benchmarks --bin generate -- --write-spec "$work/synthetic-spec" --operations "$operations" >&2
xtask="$CARGO_TARGET_DIR/debug/xtask"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
time_runs() {
    # name, runs, command...
    local name=$1 count=$2
    shift 2
    if command -v hyperfine >/dev/null; then
        hyperfine --style none --warmup 1 --runs "$count" --command-name "$name" \
            --export-json "$work/hyperfine.json" "$(printf '%q ' "$@")" >/dev/null
        python3 - "$work/hyperfine.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%s: median %.0f ms (min %.0f, max %.0f) over %d runs (hyperfine)"
      % (r["command"], r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3, len(r["times"])))
PY
    else
        local samples=()
        "$@" >/dev/null
        for _ in $(seq "$count"); do
            local start end
            start=$(date +%s%N)
            "$@" >/dev/null
            end=$(date +%s%N)
            samples+=($(((end - start) / 1000000)))
        done
        printf '%s: median %s ms over %s runs\n' "$name" \
            "$(printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" "$count"
    fi
}

time_runs "cargo xtask generate (real specs)" "$runs" cargo "${config[@]}" xtask generate
time_runs "xtask binary generate (real specs)" "$runs" "$xtask" generate

# The same binary on the synthetic set: swap spec/ for it inside the copy.
mv spec spec.real
cp -r "$work/synthetic-spec" spec
time_runs "xtask binary generate ($operations synthetic operations)" 3 "$xtask" generate
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
