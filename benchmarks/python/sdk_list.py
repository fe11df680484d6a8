#!/usr/bin/env python3
"""The official Python SDK (3.1.219) listing the benchmark workload: the
tasks of every DCS, RabbitMQ, Kafka and RocketMQ instance in --ids, then the
openGauss and DDS project lists, every page of each, one JSON line per task
on stdout.

  sdk_list.py --ports FILE --ids FILE [--threads N]

--threads 1 makes the calls one after another, as the SDK's samples do;
--threads N runs the listings in a concurrent.futures.ThreadPoolExecutor(N).
Credentials come from HUAWEICLOUD_SDK_AK / SK / PROJECT_ID. Run it in a
virtual environment holding the SDK packages, with HOME pointing at a
temporary directory (importing the SDK writes under $HOME/.huaweicloud).
"""
import argparse
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkdcs.v2 import DcsClient, ListBackgroundTaskRequest
from huaweicloudsdkrabbitmq.v2 import RabbitMQClient
from huaweicloudsdkrabbitmq.v2 import ListBackgroundTasksRequest as RabbitRequest
from huaweicloudsdkkafka.v2 import KafkaClient
from huaweicloudsdkkafka.v2 import ListBackgroundTasksRequest as KafkaRequest
from huaweicloudsdkrocketmq.v2 import RocketMQClient
from huaweicloudsdkrocketmq.v2 import ListBackgroundTasksRequest as RocketRequest
from huaweicloudsdkgaussdbforopengauss.v3 import GaussDBforopenGaussClient
from huaweicloudsdkgaussdbforopengauss.v3 import ListTasksRequest as GaussRequest
from huaweicloudsdkdds.v3 import DdsClient
from huaweicloudsdkdds.v3 import ListTasksRequest as DdsRequest

# Page sizes as hwc-tasks asks for them.
PAGE = {"dcs": 1000, "rabbitmq": 100, "kafka": 100, "rocketmq": 100, "opengauss": 100, "dds": 100}
# The `start`-paged lists (from 1), each with its SDK's request class.
START_REQUEST = {"rabbitmq": RabbitRequest, "kafka": KafkaRequest, "rocketmq": RocketRequest}


def client(cls, port, pool):
    cred = BasicCredentials(os.environ["HUAWEICLOUD_SDK_AK"], os.environ["HUAWEICLOUD_SDK_SK"],
                            os.environ["HUAWEICLOUD_SDK_PROJECT_ID"])
    config = HttpConfig.get_default_config()
    config.pool_connections = max(10, pool)
    config.pool_maxsize = max(10, pool)
    return (cls.new_builder().with_credentials(cred).with_http_config(config)
            .with_endpoints([f"http://127.0.0.1:{port}"]).build())


def instance_pages(c, service, instance):
    """Every task of one instance, page by page; a list of dicts."""
    out = []
    if service == "dcs":
        offset = 0
        while True:
            r = c.list_background_task(ListBackgroundTaskRequest(instance_id=instance, offset=offset, limit=PAGE[service]))
            tasks = r.tasks or []
            out.extend(t.to_dict() for t in tasks)
            offset += len(tasks)
            if not tasks or offset >= int(r.task_count or 0):
                return service, instance, out
    req = START_REQUEST[service]
    start = 1
    while True:
        r = c.list_background_tasks(req(instance_id=instance, start=start, limit=PAGE[service]))
        tasks = r.tasks or []
        out.extend(t.to_dict() for t in tasks)
        start += len(tasks)
        if not tasks or start - 1 >= int(r.task_count or 0):
            return service, instance, out


def project_pages(c, service):
    out = []
    offset = 0
    now = datetime.now(timezone.utc)
    window = dict(start_time=(now - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
                  end_time=now.strftime("%Y-%m-%dT%H:%M:%S+0000"))
    while True:
        if service == "opengauss":
            r = c.list_tasks(GaussRequest(offset=offset, limit=PAGE[service]))
            items = r.tasks or []
        else:
            r = c.list_tasks(DdsRequest(offset=offset, limit=PAGE[service], **window))
            items = r.jobs or []
        out.extend(t.to_dict() for t in items)
        offset += len(items)
        if not items or offset >= int(r.total_count or 0):
            return service, None, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ports", required=True)
    ap.add_argument("--ids", required=True)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    ports = json.load(open(args.ports))
    ids = json.load(open(args.ids))
    clients = {
        "dcs": client(DcsClient, ports["dcs"], args.threads),
        "rabbitmq": client(RabbitMQClient, ports["rabbitmq"], args.threads),
        "kafka": client(KafkaClient, ports["kafka"], args.threads),
        "rocketmq": client(RocketMQClient, ports["rocketmq"], args.threads),
        "opengauss": client(GaussDBforopenGaussClient, ports["opengauss"], args.threads),
        "dds": client(DdsClient, ports["dds"], args.threads),
    }
    jobs = [(instance_pages, clients[s], s, i) for s in ("dcs", "rabbitmq", "kafka", "rocketmq") for i in ids[s]]
    jobs += [(project_pages, clients[s], s) for s in ("opengauss", "dds")]
    if args.threads <= 1:
        results = [f(*a) for f, *a in jobs]
    else:
        with ThreadPoolExecutor(args.threads) as pool:
            results = list(pool.map(lambda j: j[0](*j[1:]), jobs))
    out = sys.stdout
    for service, instance, tasks in results:
        for t in tasks:
            t["service"] = service
            if instance:
                t["instance_id"] = instance
            out.write(json.dumps(t, default=str))
            out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
