#!/usr/bin/env python3
"""`hwc-tasks list` against the official Python SDK on one workload, served
by benchmarks/python/task_server.py on 127.0.0.1 with 50 ms per response.

Workload: every task of 200 instances (67 DCS, 67 RabbitMQ, 66 Kafka; 2 to 8
tasks each) plus the openGauss and DDS project lists (250 tasks each, pages
of 100). Candidates, each printing every task as one JSON line:

  cli-seq    five `hwc-tasks --endpoint URL list SERVICE ... --all -o ndjson
             --concurrency 16` processes, one per service, one after another
             (the CLI takes one --endpoint, and the services listen on
             different ports), as a shell script would run them
  cli-par    the same five processes started at once (`&` ... `wait`)
  sdk-seq    sdk_list.py --threads 1: the SDK's calls one after another
  sdk-t16    sdk_list.py --threads 16: a ThreadPoolExecutor(16)

Each round runs every candidate once, in a rotating order; each process is
timed by GNU time (user, sys, max RSS). Wall time is the driver's clock
around the candidate; CPU time is the sum over its processes; peak memory is
the largest process (cli-seq, sdk-*) or the sum of the five (cli-par, which
holds them at once). Results: medians over rounds, and medians of the
per-round ratios.

  cli_vs_sdk.py --cli PATH --python VENV_PYTHON [--rounds 5] [--json]
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
TIME = "/usr/bin/time"


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def wait_quiet(limit=1.5, most=180):
    """Waits (at most `most` seconds) for the 1-minute load average to fall below `limit`."""
    end = time.monotonic() + most
    while load1() >= limit and time.monotonic() < end:
        time.sleep(5)
    return load1()


def timed(argv, env, out, tmp, wait=True):
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
            raise SystemExit(f"candidate failed ({p.returncode}): {p.args}\n{err.decode()[-2000:]}")
        with open(path) as f:
            user, sys_, rss = f.read().split()[-3:]
        os.unlink(path)
        stats.append((float(user) + float(sys_), int(rss) / 1024.0))
    return stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rounds = max(3, min(args.rounds, 50))

    tmp = tempfile.mkdtemp(prefix="hwc-cli-vs-sdk-")
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    env = dict(os.environ, HOME=home, HUAWEICLOUD_SDK_AK="BENCHACCESSKEY0000001",
               HUAWEICLOUD_SDK_SK="benchsecretkey0000000000000000000000001",
               HUAWEICLOUD_SDK_PROJECT_ID="0a1b2c3d4e5f60718293a4b5c6d7e8f9")
    rng = random.Random(20261201)
    ids = {s: [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n)]
           for s, n in (("dcs", 67), ("rabbitmq", 67), ("kafka", 66))}
    ids_file = os.path.join(tmp, "ids.json")
    with open(ids_file, "w") as f:
        json.dump(ids, f)
    ports_file = os.path.join(tmp, "ports.json")
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "task_server.py"), "--ports-file", ports_file])
    try:
        for _ in range(100):
            if os.path.exists(ports_file):
                break
            time.sleep(0.1)
        else:
            raise SystemExit("the task server did not start")
        with open(ports_file) as f:
            ports = json.load(f)

        def cli_argv(service):
            argv = [args.cli, "--endpoint", f"http://127.0.0.1:{ports[service]}", "list", service,
                    "--all", "-o", "ndjson", "--concurrency", "16"]
            for i in ids.get(service, []):
                argv += ["--instance-id", i]
            return argv

        services = ["dcs", "rabbitmq", "kafka", "opengauss", "dds"]
        sdk = [args.python, os.path.join(HERE, "sdk_list.py"), "--ports", ports_file, "--ids", ids_file]

        def run(name, out):
            start = time.perf_counter()
            if name == "cli-seq":
                stats = []
                for s in services:
                    stats += finish([timed(cli_argv(s), env, out, tmp)])
            elif name == "cli-par":
                stats = finish([timed(cli_argv(s), env, out, tmp) for s in services])
            else:
                threads = "1" if name == "sdk-seq" else "16"
                stats = finish([timed(sdk + ["--threads", threads], env, out, tmp)])
            wall = time.perf_counter() - start
            cpu = sum(c for c, _ in stats)
            rss = sum(r for _, r in stats) if name == "cli-par" else max(r for _, r in stats)
            return wall, cpu, rss

        names = ["cli-seq", "cli-par", "sdk-seq", "sdk-t16"]
        # Same output from everyone: count the tasks once.
        counts = {}
        for name in names:
            path = os.path.join(tmp, name + ".ndjson")
            with open(path, "w") as out:
                run(name, out)
            with open(path) as f:
                counts[name] = sum(1 for line in f if line.strip())
        if len(set(counts.values())) != 1:
            raise SystemExit(f"the candidates disagree on the task count: {counts}")

        load_start = wait_quiet()
        results = {n: [] for n in names}
        for r in range(rounds):
            order = names[r % len(names):] + names[:r % len(names)]
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

    report = {
        "tasks": counts["cli-seq"], "rounds": rounds, "load_start": load_start, "load_end": load_end,
        "median": {n: {"wall_s": med(n, 0), "cpu_s": med(n, 1), "max_rss_mib": med(n, 2)} for n in names},
        "ratios": {f"{base}/{n}": {"wall": ratio(base, n, 0), "cpu": ratio(base, n, 1)}
                   for n in ("cli-seq", "cli-par") for base in ("sdk-seq", "sdk-t16")},
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['tasks']} tasks, {rounds} rounds; load average {load_start:.2f} at the start, {load_end:.2f} at the end\n")
    print("| candidate | wall (median) | CPU user+sys | peak RSS |")
    print("|---|---|---|---|")
    for n in names:
        m = report["median"][n]
        print(f"| {n} | {m['wall_s']:.3f} s | {m['cpu_s']:.3f} s | {m['max_rss_mib']:.1f} MiB |")
    print("\n| ratio (paired median) | wall | CPU |")
    print("|---|---|---|")
    for k, v in report["ratios"].items():
        print(f"| {k} | {v['wall']:.2f}x | {v['cpu']:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
