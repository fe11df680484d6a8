#!/usr/bin/env bash
# Instructions per page decode, counted by callgrind: a load-independent
# cross-check of the `decode` binary's timings (instructions are not time:
# cache misses and allocator latency are not in them).
#
#     benchmarks/scripts/decode_callgrind.sh
#
# Needs valgrind (`apt-get install valgrind`). Each count is
# (run with N decodes - run with none) / N, so page generation and start-up
# cancel out.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cargo build -q --release -p benchmarks --bin decode
bin="$CARGO_TARGET_DIR/release/decode"
n=${ITERATIONS:-5}
out=$(mktemp -d /tmp/decode-callgrind-XXXXXX)
trap 'rm -rf "$out"' EXIT

count() {
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" repeat \
        --operation "$1" --decoder "$2" --iterations "$3" 2>&1 >/dev/null |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}

echo "| operation | generated | plain | Value | generated / plain | generated / Value |"
echo "|---|---|---|---|---|---|"
for operation in dcs-center dcs-instance rabbitmq opengauss; do
    base=$(count "$operation" none 0)
    row=()
    for decoder in generated plain value; do
        total=$(count "$operation" "$decoder" "$n")
        row+=($(((total - base) / n)))
    done
    awk -v op="$operation" -v g="${row[0]}" -v p="${row[1]}" -v v="${row[2]}" \
        'BEGIN { printf "| %s | %.2f M | %.2f M | %.2f M | %.2fx | %.2fx |\n", op, g/1e6, p/1e6, v/1e6, g/p, g/v }'
done
