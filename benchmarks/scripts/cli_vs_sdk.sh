#!/usr/bin/env bash
# `hwc-tasks list` against the official Python SDK (sequential and with 16
# threads) on 1,000 instances (DCS, RabbitMQ, Kafka, RocketMQ) plus two
# project lists, served on 127.0.0.1 with 50 ms per response, and the
# startup of `hwc-tasks --help` against `/bin/true`. Builds the release CLI,
# creates (once) a virtual environment with the SDK 3.1.219 under /tmp, and
# runs benchmarks/python/cli_vs_sdk.py (which starts and stops the local
# servers).
#
#     benchmarks/scripts/cli_vs_sdk.sh [--rounds N] [--instances N] [--startup-runs N] [--json]
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
venv=${HWC_BENCH_CLI_VENV:-/tmp/hwc-python-sdk-cli2-3.1.219}
version=3.1.219

[ -x /usr/bin/time ] || {
    echo "needs GNU time at /usr/bin/time: the Debian package \`time\` (apt-get install time)" >&2
    exit 2
}

cargo build --release -p hwc-tasks >&2

if ! "$venv/bin/python" -c "import huaweicloudsdkrocketmq" 2>/dev/null; then
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    HOME=$(mktemp -d) "$venv/bin/pip" install -q \
        "huaweicloudsdkcore==$version" "huaweicloudsdkdcs==$version" \
        "huaweicloudsdkrabbitmq==$version" "huaweicloudsdkkafka==$version" \
        "huaweicloudsdkrocketmq==$version" \
        "huaweicloudsdkgaussdbforopengauss==$version" "huaweicloudsdkdds==$version" >&2
fi

exec python3 benchmarks/python/cli_vs_sdk.py \
    --cli "$CARGO_TARGET_DIR/release/hwc-tasks" --python "$venv/bin/python" "$@"
