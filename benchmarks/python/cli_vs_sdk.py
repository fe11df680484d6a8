#!/usr/bin/env python3
"""`hwc-tasks list` against the official Python SDK on one workload, served
by benchmarks/python/task_server.py on 127.0.0.1 with 50 ms per response.

Workload: every task of --instances instances (default 1,000, a quarter each
of DCS, RabbitMQ, Kafka and RocketMQ; 2 to 8 tasks each) plus the openGauss
and DDS project lists (250 tasks each, pages of 100). Candidates, each
printing every task as one JSON line:

  cli-one    one `hwc-tasks list dcs rabbitmq kafka rocketmq opengauss dds
             --all -o ndjson` process, each service sent to its own server
             (`--endpoint SERVICE=URL`) and each instance to its service
             (`--instance-id SERVICE=ID`), at the tool's default --concurrency
  sdk-seq    sdk_list.py --threads 1: the SDK's calls one after another
  sdk-t16    sdk_list.py --threads 16: a ThreadPoolExecutor(16)

A first pass runs every candidate once and stops when they disagree on the
task count (or on the count the workload holds); it also counts the
requests each made, from the server. Then each round runs every candidate
once, in a rotating order; each process is timed by GNU time (user, sys, max
RSS). Wall time is the driver's clock around the candidate; CPU time is the
sum over its processes; peak memory is the largest process. Results: medians over rounds, and
medians of the per-round ratios. The floor of a candidate is its requests /
its concurrency x 50 ms (at least its longest chain of pages, one after
another).

Startup: `hwc-tasks --help` and `/bin/true`, --startup-runs times each,
interleaved, wall time on the driver's clock; medians.

  cli_vs_sdk.py --cli PATH --python VENV_PYTHON [--rounds 5] [--instances 1000]
                [--startup-runs 50] [--json]
"""
import argparse
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TIME = "/usr/bin/time"
DELAY = 0.05
PROJECT_TASKS = 250
INSTANCE_SERVICES = ["dcs", "rabbitmq", "kafka", "rocketmq"]
SERVICES = INSTANCE_SERVICES + ["opengauss", "dds"]
# Page sizes as hwc-tasks and sdk_list.py ask for them.
PAGE = {"dcs": 1000, "rabbitmq": 100, "kafka": 100, "rocketmq": 100, "opengauss": 100, "dds": 100}
CANDIDATES = ["cli-one", "sdk-seq", "sdk-t16"]


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def wait_quiet(limit=1.5, most=180):
    """Waits (at most `most` seconds) for the 1-minute load average to fall below `limit`."""
    end = time.monotonic() + most
    while load1() >= limit and time.monotonic() < end:
        time.sleep(5)
    return load1()


def timed(argv, env, out, tmp):
    fd, path = tempfile.mkstemp(dir=tmp, suffix=".time")
    os.close(fd)
    p = subprocess.Popen([TIME, "-f", "%U %S %M", "-o", path] + argv, env=env, stdout=out,
                         stderr=subprocess.PIPE)
    return p, path


def finish(procs):
    stats = []
    for p, path in procs:
        _, err = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"candidate failed ({p.returncode}): {' '.join(p.args)[:300]}\n{err.decode()[-2000:]}")
        with open(path) as f:
            user, sys_, rss = f.read().split()[-3:]
        os.unlink(path)
        stats.append((float(user) + float(sys_), int(rss) / 1024.0))
    return stats


def default_concurrency(cli):
    """The default of --concurrency, as `hwc-tasks --help` prints it."""
    text = subprocess.run([cli, "--help"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"--concurrency <N>.*?\[default: (\d+)\]", text, re.S)
    if not m:
        raise SystemExit("cannot read the default of --concurrency from `hwc-tasks --help`")
    return int(m.group(1))


def startup(cli, runs):
    """Wall times of `hwc-tasks --help` and `/bin/true`, interleaved (rotating order)."""
    argvs = {"hwc-tasks --help": [cli, "--help"], "/bin/true": ["/bin/true"]}
    times = {k: [] for k in argvs}
    names = list(argvs)
    for r in range(runs):
        for name in (names if r % 2 == 0 else names[::-1]):
            start = time.perf_counter()
            subprocess.run(argvs[name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in times.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--instances", type=int, default=1000)
    ap.add_argument("--startup-runs", type=int, default=50)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rounds = max(1, min(args.rounds, 50))
    instances = max(len(INSTANCE_SERVICES), args.instances)
    concurrency = default_concurrency(args.cli)

    tmp = tempfile.mkdtemp(prefix="hwc-cli-vs-sdk-")
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    env = dict(os.environ, HOME=home, HUAWEICLOUD_SDK_AK="BENCHACCESSKEY0000001",
               HUAWEICLOUD_SDK_SK="benchsecretkey0000000000000000000000001",
               HUAWEICLOUD_SDK_PROJECT_ID="0a1b2c3d4e5f60718293a4b5c6d7e8f9")
    for name in ("HUAWEICLOUD_SDK_REGION", "HUAWEICLOUD_SDK_PROFILE", "HUAWEICLOUD_SDK_CREDENTIALS_FILE"):
        env.pop(name, None)
    rng = random.Random(20261201)
    share = {s: instances // len(INSTANCE_SERVICES) + (k < instances % len(INSTANCE_SERVICES))
             for k, s in enumerate(INSTANCE_SERVICES)}
    ids = {s: [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(share[s])]
           for s in INSTANCE_SERVICES}
    # What the workload holds (as task_server.py builds it): tasks and requests.
    expected_tasks = sum(2 + zlib.crc32(i.encode()) % 7 for s in ids for i in ids[s]) + 2 * PROJECT_TASKS
    ids_file = os.path.join(tmp, "ids.json")
    with open(ids_file, "w") as f:
        json.dump(ids, f)
    ports_file = os.path.join(tmp, "ports.json")
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "task_server.py"), "--ports-file", ports_file,
                               "--delay", str(DELAY), "--project-tasks", str(PROJECT_TASKS)])
    try:
        for _ in range(100):
            if os.path.exists(ports_file):
                break
            time.sleep(0.1)
        else:
            raise SystemExit("the task server did not start")
        with open(ports_file) as f:
            ports = json.load(f)

        def served():
            with urllib.request.urlopen(f"http://127.0.0.1:{ports['dcs']}/_bench/requests") as r:
                return json.load(r)

        def cli_argv():
            argv = [args.cli]
            for service in SERVICES:
                argv += ["--endpoint", f"{service}=http://127.0.0.1:{ports[service]}"]
            argv += ["list"] + SERVICES + ["--all", "-o", "ndjson"]
            for service, instances in ids.items():
                for i in instances:
                    argv += ["--instance-id", f"{service}={i}"]
            return argv

        sdk = [args.python, os.path.join(HERE, "sdk_list.py"), "--ports", ports_file, "--ids", ids_file]

        def run(name, out):
            start = time.perf_counter()
            if name == "cli-one":
                stats = finish([timed(cli_argv(), env, out, tmp)])
            else:
                threads = "1" if name == "sdk-seq" else "16"
                stats = finish([timed(sdk + ["--threads", threads], env, out, tmp)])
            wall = time.perf_counter() - start
            cpu = sum(c for c, _ in stats)
            return wall, cpu, max(r for _, r in stats), sum(r for _, r in stats)

        # Same output from everyone, and the workload's: count the tasks
        # once; count the requests each candidate made.
        counts, requests = {}, {}
        for name in CANDIDATES:
            path = os.path.join(tmp, name + ".ndjson")
            before = served()
            with open(path, "w") as out:
                run(name, out)
            after = served()
            requests[name] = {s: after[s] - before[s] for s in SERVICES}
            with open(path) as f:
                counts[name] = sum(1 for line in f if line.strip())
        if len(set(counts.values())) != 1 or counts["cli-one"] != expected_tasks:
            raise SystemExit(f"the candidates disagree on the task count (the workload holds "
                             f"{expected_tasks}): {counts}")

        startup_load = wait_quiet()
        spawn = startup(args.cli, max(1, args.startup_runs))
        load_start = wait_quiet()
        results = {n: [] for n in CANDIDATES}
        for r in range(rounds):
            order = CANDIDATES[r % len(CANDIDATES):] + CANDIDATES[:r % len(CANDIDATES)]
            for name in order:
                results[name].append(run(name, subprocess.DEVNULL))
        load_end = load1()
    finally:
        server.terminate()
        server.wait(timeout=10)

    def med(name, k):
        return statistics.median(x[k] for x in results[name])

    def ratio(base, name, k):
        return statistics.median(b[k] / c[k] for b, c in zip(results[base], results[name]))

    # Floors: requests / concurrency x 50 ms, and at least the longest chain
    # of pages asked one after another (a project list's three pages).
    chain = max(math.ceil(PROJECT_TASKS / PAGE[s]) for s in SERVICES if s not in INSTANCE_SERVICES)
    total = {n: sum(requests[n].values()) for n in CANDIDATES}
    floor = {
        "cli-one": max(total["cli-one"] / concurrency, chain) * DELAY,
        "sdk-seq": total["sdk-seq"] * DELAY,
        "sdk-t16": max(total["sdk-t16"] / 16, chain) * DELAY,
    }

    report = {
        "tasks": counts["cli-one"], "instances": {s: len(v) for s, v in ids.items()}, "rounds": rounds,
        "default_concurrency": concurrency, "requests": requests,
        "load_start": load_start, "load_end": load_end,
        "median": {n: {"wall_s": med(n, 0), "cpu_s": med(n, 1), "max_rss_mib": med(n, 2),
                       "sum_rss_mib": med(n, 3), "floor_s": floor[n]} for n in CANDIDATES},
        "ratios": {f"{base}/{n}": {"wall": ratio(base, n, 0), "cpu": ratio(base, n, 1)}
                   for n in ("cli-one",) for base in ("sdk-seq", "sdk-t16")},
        "startup": {"runs": args.startup_runs, "load": startup_load,
                    "help_s": spawn["hwc-tasks --help"], "true_s": spawn["/bin/true"]},
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    n_inst = sum(report["instances"].values())
    print(f"{report['tasks']} tasks of {n_inst} instances ({', '.join(f'{s} {k}' for s, k in report['instances'].items())}) "
          f"and 2 project lists; {rounds} round(s); load average {load_start:.2f} at the start, {load_end:.2f} at the end; "
          f"hwc-tasks default --concurrency {concurrency}\n")
    print("| candidate | requests | wall (median) | floor | CPU user+sys | peak RSS |")
    print("|---|---|---|---|---|---|")
    for n in CANDIDATES:
        m = report["median"][n]
        rss = f"{m['max_rss_mib']:.1f} MiB"
        print(f"| {n} | {total[n]} | {m['wall_s']:.3f} s | {m['floor_s']:.3f} s | {m['cpu_s']:.3f} s | {rss} |")
    print("\n| ratio (paired median) | wall | CPU |")
    print("|---|---|---|")
    for k, v in report["ratios"].items():
        print(f"| {k} | {v['wall']:.2f}x | {v['cpu']:.2f}x |")
    s = report["startup"]
    print(f"\nStartup, median of {s['runs']} runs each, interleaved (load {s['load']:.2f}): "
          f"`hwc-tasks --help` {s['help_s'] * 1000:.2f} ms, `/bin/true` {s['true_s'] * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
