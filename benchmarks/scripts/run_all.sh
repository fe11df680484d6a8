#!/usr/bin/env bash
# Every benchmark in order, as Markdown on stdout; each waits for a quiet
# machine first (1-minute load average below $LOAD_LIMIT, default 1.5,
# checking every 30 s for at most $MAX_WAIT seconds, default 900).
#
#     benchmarks/scripts/run_all.sh | tee /tmp/benchmarks.md
#     SLOW=1 benchmarks/scripts/run_all.sh    # also the CLI, clean-build and fleet timings
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
limit=${LOAD_LIMIT:-1.5}
max_wait=${MAX_WAIT:-900}

wait_quiet() {
    local waited=0 load
    while :; do
        load=$(cut -d' ' -f1 /proc/loadavg)
        if awk -v l="$load" -v m="$limit" 'BEGIN { exit !(l < m) }'; then
            echo "(load average $load after waiting ${waited} s)" >&2
            return
        fi
        if [ "$waited" -ge "$max_wait" ]; then
            echo "(load average still $load after ${waited} s; measuring anyway)" >&2
            return
        fi
        sleep 30
        waited=$((waited + 30))
    done
}

cargo build -q --release -p benchmarks --bins
bin=$CARGO_TARGET_DIR/release

wait_quiet; "$bin/decode"; echo
wait_quiet; "$bin/vs_python"; echo
wait_quiet; "$bin/sign"; echo
wait_quiet; "$bin/paging" compare; echo
"$bin/paging" rss; echo
wait_quiet; "$bin/generate"; echo
if command -v valgrind >/dev/null; then
    echo "## Instructions per decode (callgrind)"; echo
    benchmarks/scripts/decode_callgrind.sh; echo
fi
if [ -n "${SLOW:-}" ]; then
    wait_quiet; benchmarks/scripts/generate_cli.sh; echo
    wait_quiet; benchmarks/scripts/build_times.sh; echo
    benchmarks/scripts/consumer_build_times.sh    # waits for a quiet machine itself
    echo; benchmarks/scripts/cli_vs_sdk.sh        # the fleet benchmark; waits itself too
fi
