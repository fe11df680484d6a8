#!/usr/bin/env bash
# `hwc-tasks list` against the official Python SDK (sequential and with 16
# threads) on 200 instances plus two project lists, served on 127.0.0.1 with
# 50 ms per response. Builds the release CLI, creates (once) a virtual
# environment with the SDK 3.1.219 under /tmp, and runs
# benchmarks/python/cli_vs_sdk.py (which starts and stops the local servers).
#
#     benchmarks/scripts/cli_vs_sdk.sh [--rounds N] [--json]
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
venv=${HWC_BENCH_CLI_VENV:-/tmp/hwc-python-sdk-cli-3.1.219}
version=3.1.219

command -v /usr/bin/time >/dev/null || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

cargo build --release -p hwc-tasks >&2

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    HOME=$(mktemp -d) "$venv/bin/pip" install -q \
        "huaweicloudsdkcore==$version" "huaweicloudsdkdcs==$version" \
        "huaweicloudsdkrabbitmq==$version" "huaweicloudsdkkafka==$version" \
        "huaweicloudsdkgaussdbforopengauss==$version" "huaweicloudsdkdds==$version" >&2
fi

exec python3 benchmarks/python/cli_vs_sdk.py \
    --cli "$CARGO_TARGET_DIR/release/hwc-tasks" --python "$venv/bin/python" "$@"
