#!/usr/bin/env python3
"""Time the official Python SDK decoding a DCS task-center page, and signing a request.

The baseline for `huaweicloud-tasks`' decoding and signing benchmarks: what a
user of the official SDK (huaweicloudsdkdcs / huaweicloudsdkcore, pinned
below) pays for the same work.

Decoding goes through the SDK's own response handler: the client's
`sync_response_handler` (which `DcsClient.list_center_task` calls after the
HTTP exchange) on a real `requests.Response` holding the page bytes, with the
response type and headers the SDK's own `_list_center_task_http_info` names.
That covers the SDK's `json.loads` (simplejson, decimals as `Decimal`) and its
model building into `ListCenterTaskResponse`. Plain `json.loads` of the same
text is timed as a reference.

Signing goes through `BasicCredentials.sign_request`, the SDK's AK/SK signer,
on the GET request the Rust signing benchmark signs.

Run it with any Python 3.8+; it creates (once) a throwaway virtual environment
under /tmp with the pinned SDK and re-runs itself there:

    python3 benchmarks/python/decode_bench.py [--payload FILE] [--iterations N] [--json]

FILE defaults to benchmarks/data/dcs_center_1000.json (written by
`cargo run --release -p benchmarks --bin payload`). Importing the SDK writes
$HOME/.huaweicloud/application_id, so HOME points at a temporary directory
before the import and that directory is removed afterwards.
"""

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SDK_VERSION = "3.1.219"
PINS = ["huaweicloudsdkcore==" + SDK_VERSION, "huaweicloudsdkdcs==" + SDK_VERSION]
VENV = os.environ.get("HWC_BENCH_VENV", "/tmp/hwc-python-sdk-" + SDK_VERSION)
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PAYLOAD = os.path.join(HERE, "..", "data", "dcs_center_1000.json")

AK = "HPUAEXAMPLEAK0000000"
SK = "exampleSecretKey/0123456789abcdef"
PROJECT_ID = "a4d31cb63d724fdc8ec96e3a41e47f71"
HOST = "dcs.ap-southeast-1.myhuaweicloud.com"


def in_venv():
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def installed_pins():
    try:
        return all(importlib.metadata.version(pin.split("==")[0]) == pin.split("==")[1] for pin in PINS)
    except importlib.metadata.PackageNotFoundError:
        return False


def bootstrap():
    """Re-runs this script inside the pinned virtual environment."""
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        print("creating %s" % VENV, file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    check = subprocess.run([python, "-c", "import importlib.metadata as m; print(m.version('huaweicloudsdkdcs'), "
                                          "m.version('huaweicloudsdkcore'))"],
                           capture_output=True, text=True)
    if check.stdout.split() != [SDK_VERSION, SDK_VERSION]:
        print("installing %s into %s" % (" ".join(PINS), VENV), file=sys.stderr)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + PINS,
                       check=True, stdout=sys.stderr)
    os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


def timed(function, iterations, warmup):
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter_ns()
        function()
        samples.append(time.perf_counter_ns() - start)
    samples.sort()
    return {
        "median_ns": statistics.median(samples),
        "min_ns": samples[0],
        "p25_ns": samples[len(samples) // 4],
        "p75_ns": samples[(3 * len(samples)) // 4],
        "iterations": iterations,
    }


def run(args):
    with open(args.payload, "rb") as f:
        body = f.read()

    home = tempfile.mkdtemp(prefix="hwc-bench-home-")
    os.environ["HOME"] = home
    os.environ["USERPROFILE"] = home
    try:
        return measure(args, body)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def measure(args, body):
    # Imported only now: HOME already points at the temporary directory.
    import requests
    from requests.structures import CaseInsensitiveDict
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkdcs.v2 import DcsClient, ListCenterTaskRequest

    credentials = BasicCredentials(AK, SK, PROJECT_ID)
    client = DcsClient.new_builder() \
        .with_credentials(credentials) \
        .with_endpoints(["https://" + HOST]) \
        .build()

    # What DcsClient.list_center_task hands to the response handler.
    http_info = client._list_center_task_http_info(ListCenterTaskRequest(offset=0, limit=1000))
    response_type = http_info["response_type"]
    response_headers = http_info.get("response_headers")

    def response():
        r = requests.models.Response()
        r.status_code = 200
        r._content = body
        r.encoding = "utf-8"
        r.headers = CaseInsensitiveDict({
            "Content-Type": "application/json;charset=UTF-8",
            "X-Request-Id": "0c2bfa7e5a1f4f6c9c1c3d6f0e8a9b7d",
            "Content-Length": str(len(body)),
        })
        return r

    def sdk_decode():
        return client.sync_response_handler(response(), response_type, response_headers, None)

    decoded = sdk_decode()
    tasks = decoded.tasks or []
    assert type(decoded).__name__ == "ListCenterTaskResponse", type(decoded)
    assert len(tasks) == 1000 and type(tasks[0]).__name__ == "ListCenterTasksResp", len(tasks)

    text = body.decode("utf-8")
    results = {
        "python": platform.python_version(),
        "sdk": {pin.split("==")[0]: importlib.metadata.version(pin.split("==")[0]) for pin in PINS},
        "payload_bytes": len(body),
        "tasks": len(tasks),
        "sdk_decode": timed(sdk_decode, args.iterations, 3),
        "json_loads": timed(lambda: json.loads(text), args.iterations, 3),
    }

    query = [("limit", 1000), ("offset", 2000), ("start_time", "20240101000000"),
             ("end_time", "20240131235959")]

    def sdk_sign():
        request = SdkRequest(method="GET", schema="https", host=HOST,
                             resource_path="/v2/%s/tasks" % PROJECT_ID, query_params=list(query),
                             header_params={"Accept": "application/json"}, body="")
        return credentials.sign_request(request)

    signed = sdk_sign()
    assert "Authorization" in signed.header_params
    results["sdk_sign"] = timed(sdk_sign, args.iterations * 100, 50)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payload", default=DEFAULT_PAYLOAD, help="page to decode (JSON)")
    parser.add_argument("--iterations", type=int, default=30, help="timed decodes (signing: 100x this)")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    args = parser.parse_args()
    args.payload = os.path.abspath(args.payload)

    if not in_venv() or not installed_pins():
        bootstrap()

    results = run(args)
    if args.json:
        print(json.dumps(results))
        return
    print("Python %s, %s" % (results["python"],
                             ", ".join("%s %s" % kv for kv in results["sdk"].items())))
    print("page: %d bytes, %d tasks" % (results["payload_bytes"], results["tasks"]))
    for key, label in [("sdk_decode", "SDK response handler -> ListCenterTaskResponse"),
                       ("json_loads", "json.loads (reference)"),
                       ("sdk_sign", "SDK BasicCredentials.sign_request")]:
        r = results[key]
        print("%-48s median %10.1f us  (min %.1f, p25 %.1f, p75 %.1f; %d runs)"
              % (label, r["median_ns"] / 1e3, r["min_ns"] / 1e3, r["p25_ns"] / 1e3, r["p75_ns"] / 1e3,
                 r["iterations"]))


if __name__ == "__main__":
    main()
