#!/usr/bin/env python3
"""Local task-list server for the CLI-vs-SDK benchmark (loopback only).

One ThreadingHTTPServer per service, each on its own port of 127.0.0.1, all
in this process. Every response waits DELAY seconds (default 0.05) before it
is sent. Pages are built from the request (instance id, offset, limit), so
every client sees the same tasks:

  dcs       GET /v2/{project}/instances/{instance}/tasks   offset (from 0) / limit
  rabbitmq  GET /v2/{project}/instances/{instance}/tasks   start (from 1) / limit
  kafka     GET /v2/{project}/instances/{instance}/tasks   start (from 1) / limit
  rocketmq  GET /v2/{project}/instances/{instance}/tasks   start (from 1) / limit
  opengauss GET /v3/{project}/tasks                        offset / limit
  dds       GET /v3.1/{project}/jobs                       offset / limit, start_time and end_time required

Requests without an Authorization header get 401. GET /_bench/requests, on
any port, answers at once (no delay, no count) with the requests served so
far per service: {"dcs": n, ...}. Usage:

  task_server.py --ports-file FILE [--delay 0.05] [--project-tasks 250]

writes {"dcs": port, ...} to FILE once listening and serves until SIGTERM.
"""
import argparse
import json
import re
import signal
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SERVICES = ("dcs", "rabbitmq", "kafka", "rocketmq", "opengauss", "dds")
INSTANCE_SERVICES = ("dcs", "rabbitmq", "kafka", "rocketmq")
# Started at 1 (the DMS services' `start`), not 0 (`offset`).
FROM_ONE = ("rabbitmq", "kafka", "rocketmq")
INSTANCE_PATH = re.compile(r"^/v2/([0-9A-Za-z]+)/instances/([^/]+)/tasks$")
STATUSES = {
    "dcs": ["SUCCESS", "FAILED", "EXECUTING", "SUCCESS", "SUCCESS"],
    "rabbitmq": ["SUCCESS", "FAILED", "EXECUTING", "CREATED", "SUCCESS"],
    "kafka": ["SUCCESS", "FAILED", "EXECUTING", "CREATED", "SUCCESS"],
    "rocketmq": ["SUCCESS", "FAILED", "EXECUTING", "CREATED", "SUCCESS"],
    "opengauss": ["Completed", "Failed", "Running", "Completed"],
    "dds": ["Completed", "Failed", "Running", "Completed"],
}
NAMES = {
    "dcs": ["modify", "restart", "extendInstance", "backup", "flush"],
    "rabbitmq": ["restart", "modify", "extend", "bindEip", "createUser"],
    "kafka": ["createTopic", "restart", "extendInstance", "modifyConfig", "bindEip"],
    "rocketmq": ["bindInstancePublicIp", "restart", "extendInstance", "createTopic", "modify"],
    "opengauss": ["CREATE_INSTANCE", "RESTART_INSTANCE", "BACKUP", "RESIZE_FLAVOR"],
    "dds": ["Create DB Instance", "Restart DB Instance", "Resize Volume", "Backup"],
}


def per_instance_count(instance):
    """A few tasks per instance (2 to 8), fixed by the id."""
    return 2 + zlib.crc32(instance.encode()) % 7


def instance_task(service, instance, i):
    seed = zlib.crc32(f"{service}/{instance}/{i}".encode())
    minute = seed % 60
    day = 1 + seed % 28
    task = {
        "id": f"{seed:08x}-{i:04d}-4c1e-9a3b-{zlib.crc32(instance.encode()):012x}",
        "name": NAMES[service][seed % len(NAMES[service])],
        "user_name": "paas_ops_01",
        "user_id": "2f8ad1f6bd0a4c2c9c1a3e5d7f9b1c3d",
        "params": json.dumps({"old_capacity": "2", "new_capacity": "4", "instance_id": instance}),
        "status": STATUSES[service][seed % len(STATUSES[service])],
        "created_at": f"2026-11-{day:02d}T08:{minute:02d}:06.597Z",
        "updated_at": f"2026-11-{day:02d}T08:{minute:02d}:48.130Z",
    }
    if service == "dcs":
        task["enable_show"] = True
        task["job_id"] = f"ff80808{seed:09x}"
        task["details"] = {"old_capacity": "2", "new_capacity": "4"}
    return task


def project_task(service, i):
    seed = zlib.crc32(f"{service}/project/{i}".encode())
    day = 1 + seed % 28
    minute = seed % 60
    instance = f"{seed:08x}5f3b4a7e9c1d2e3f4a5b6c7din14"
    name = NAMES[service][seed % len(NAMES[service])]
    status = STATUSES[service][seed % len(STATUSES[service])]
    created = f"2026-11-{day:02d}T09:{minute:02d}:07+0800"
    ended = None if status == "Running" else f"2026-11-{day:02d}T09:{minute:02d}:55+0800"
    if service == "opengauss":
        return {
            "job_id": f"{seed:08x}-{i:04d}-4d6e-8f0a-1b2c3d4e5f60",
            "name": name,
            "status": status,
            "process": "100%" if ended else "40%",
            "instance_info": {"instance_id": instance, "instance_name": f"gauss-{i}", "instance_status": "ACTIVE"},
            "created_at": created,
            "ended_at": ended,
            "order_id": "",
            "fail_reason": "" if status != "Failed" else "flavor not available",
        }
    return {
        "id": f"{seed:08x}-{i:04d}-4d6e-8f0a-1b2c3d4e5f60",
        "name": name,
        "status": status,
        "progress": "100%" if ended else "40%",
        "instance_id": instance,
        "instance_name": f"dds-{i}",
        "created_at": created,
        "ended_at": ended,
        "fail_reason": None if status != "Failed" else "volume resize failed",
    }


class Counter:
    """Requests served per service, across the servers' threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {s: 0 for s in SERVICES}

    def add(self, service):
        with self.lock:
            self.counts[service] += 1

    def snapshot(self):
        with self.lock:
            return dict(self.counts)


class Server(ThreadingHTTPServer):
    # A listen backlog for a client that opens 64 connections at once (the
    # default of 5 drops SYNs, each then retried a second later).
    request_queue_size = 1024
    daemon_threads = True


def make_handler(service, delay, project_tasks, counter):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Head and body leave in one write (flushed after each request), with
        # Nagle off: no delayed-ACK stall between them on a kept-alive socket.
        wbufsize = -1
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def reply(self, code, body, wait=True):
            data = json.dumps(body).encode()
            if wait:
                time.sleep(delay)
            self.send_response(code)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Request-Id", "bench-%08x" % zlib.crc32(self.path.encode()))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/_bench/requests":
                return self.reply(200, counter.snapshot(), wait=False)
            counter.add(service)
            if "Authorization" not in self.headers:
                return self.reply(401, {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"})
            try:
                limit = int(q.get("limit", "10"))
                if service in FROM_ONE:
                    first = int(q.get("start", "1")) - 1
                else:
                    first = int(q.get("offset", "0"))
            except ValueError:
                return self.reply(400, {"error_code": "BENCH.400", "error_msg": "bad paging"})
            if service in INSTANCE_SERVICES:
                m = INSTANCE_PATH.match(url.path)
                if not m:
                    return self.reply(404, {"error_code": "BENCH.404", "error_msg": url.path})
                instance = m.group(2)
                total = per_instance_count(instance)
                tasks = [instance_task(service, instance, i) for i in range(first, min(total, first + limit))]
                count = total if service == "dcs" else str(total)
                return self.reply(200, {"task_count": count, "tasks": tasks})
            if service == "opengauss":
                if not re.match(r"^/v3/[0-9A-Za-z]{32}/tasks$", url.path):
                    return self.reply(404, {"error_code": "BENCH.404", "error_msg": url.path})
                tasks = [project_task(service, i) for i in range(first, min(project_tasks, first + limit))]
                return self.reply(200, {"tasks": tasks, "total_count": project_tasks})
            if not re.match(r"^/v3\.1/[0-9A-Za-z]+/jobs$", url.path):
                return self.reply(404, {"error_code": "BENCH.404", "error_msg": url.path})
            if "start_time" not in q or "end_time" not in q:
                return self.reply(400, {"error_code": "DBS.200022", "error_msg": "start_time and end_time are required"})
            jobs = [project_task(service, i) for i in range(first, min(project_tasks, first + limit))]
            return self.reply(200, {"jobs": jobs, "total_count": project_tasks})

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ports-file", required=True)
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--project-tasks", type=int, default=250)
    args = ap.parse_args()
    servers = {}
    counter = Counter()
    for service in SERVICES:
        srv = Server(("127.0.0.1", 0), make_handler(service, args.delay, args.project_tasks, counter))
        servers[service] = srv
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    with open(args.ports_file + ".tmp", "w") as f:
        json.dump({s: srv.server_address[1] for s, srv in servers.items()}, f)
    import os
    os.replace(args.ports_file + ".tmp", args.ports_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for srv in servers.values():
        srv.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
