#!/usr/bin/env bash
# Clean build time of huaweicloud-tasks in fresh target directories (debug and
# release), with cargo's --timings report, and the slowest compilation units
# from that report. For a consumer's build with each TLS feature, see
# consumer_build_times.sh beside this script.
#
#     benchmarks/scripts/build_times.sh [debug|release|both]   # default both
#     benchmarks/scripts/build_times.sh report    # reports of the last builds again
#
# Uses /tmp/target-build-<profile> (deleted first); the HTML reports stay in
# /tmp/target-build-<profile>/cargo-timings/ for a closer look.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
which=${1:-both}
cd "$root"

report() {
    # The 12 longest units of a cargo-timing.html, the time by crate family,
    # and when the TLS stack and the client itself finished.
    python3 - "$1" <<'PY'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
total = re.search(r"<td>Total time:</td><td>([^<]*)</td>", html)
summed = sum(u["duration"] for u in units)
print("cargo's total: %s; %d units, %.1f s of unit time on 2 jobs" % (total.group(1) if total else "?", len(units), summed))
print()
print("| unit | target | start | duration | share of unit time |")
print("|---|---|---|---|---|")
for u in sorted(units, key=lambda u: -u["duration"])[:12]:
    print("| %s %s | %s | %.1f s | %.1f s | %.0f%% |" % (u["name"], u["version"], u["target"].strip() or "lib",
                                                     u["start"], u["duration"], 100 * u["duration"] / summed))
def family(name):
    if name.startswith("aws-lc") or name == "ring":
        return "TLS crypto: ring (or aws-lc-sys, aws-lc-rs)"
    if "rustls" in name or "webpki" in name:
        return "TLS: rustls, webpki, verifiers"
    if name in ("syn", "proc-macro2", "quote", "serde_derive", "thiserror-impl", "tokio-macros", "zerofrom-derive",
                "yoke-derive", "synstructure", "displaydoc", "zerovec-derive", "tracing-attributes", "futures-macro"):
        return "proc macros: syn, quote, derives"
    return name
families = {}
for u in units:
    families[family(u["name"])] = families.get(family(u["name"]), 0) + u["duration"]
print()
print("| crate family | unit time | share |")
print("|---|---|---|")
for name, d in sorted(families.items(), key=lambda kv: -kv[1])[:8]:
    print("| %s | %.1f s | %.0f%% |" % (name, d, 100 * d / summed))
ends = {}
for u in units:
    ends[u["name"]] = max(ends.get(u["name"], 0), u["start"] + u["duration"])
print()
crypto = "aws-lc-sys" if "aws-lc-sys" in ends else "ring"
print("Critical path: %s done at %.1f s, rustls at %.1f s, reqwest at %.1f s, huaweicloud-tasks at %.1f s."
      % (crypto, ends.get(crypto, 0), ends.get("rustls", 0), ends.get("reqwest", 0), ends.get("huaweicloud-tasks", 0)))
PY
}

if [ "$which" = report ]; then
    for profile in debug release; do
        echo "== $profile"
        report "/tmp/target-build-$profile/cargo-timings/cargo-timing.html"
        echo
    done
    exit 0
fi

for profile in debug release; do
    if [ "$which" != both ] && [ "$which" != "$profile" ]; then
        continue
    fi
    dir=/tmp/target-build-$profile
    rm -rf "$dir"
    flag=()
    [ "$profile" = release ] && flag=(--release)
    echo "== cargo build -p huaweicloud-tasks ${flag[*]} --timings (fresh $dir)"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    start=$(date +%s.%N)
    CARGO_TARGET_DIR=$dir cargo build -q -p huaweicloud-tasks "${flag[@]}" --timings
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "wall time: %.1f s\n", e - s }'
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    report "$dir/cargo-timings/cargo-timing.html"
    echo
done
