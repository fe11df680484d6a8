#!/usr/bin/env python3
"""Generate AK/SK signing test vectors with Huawei Cloud's official Python signer.

The Rust signer (`huaweicloud_tasks::auth`) must reproduce every string in
vectors.json byte for byte (see tests/tests/signing_vectors.rs). The values
come from the SDK's own classes: `BasicCredentials.sign_request`, which adds
X-Project-Id / X-Security-Token and calls `huaweicloudsdkcore.signer.signer.Signer`;
a thin subclass only records the canonical request and string to sign that
the SDK computes on the way.

Re-run (from the repository root) after changing the case list below:

    python3 -m venv /tmp/hwc-vectors-venv
    /tmp/hwc-vectors-venv/bin/pip install 'huaweicloudsdkcore==3.1.219'
    /tmp/hwc-vectors-venv/bin/python tests/data/signing/make_vectors.py

It rewrites tests/data/signing/vectors.json (or the path given with
--output). Importing the SDK writes $HOME/.huaweicloud/application_id, so the
script points HOME at a temporary directory first. The keys are fake.
"""

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import sys
import tempfile
from urllib.parse import quote

PINNED_SDK_VERSION = "3.1.219"

AK = "HPUAEXAMPLEAK0000000"
SK = "exampleSecretKey/0123456789abcdef"
SDK_DATE = "20240102T030405Z"
PROJECT_ID = "0123456789abcdef0123456789abcdef"
SECURITY_TOKEN = "gQpjbi1ub3J0aC00NTEXAMPLE+token/with=base64chars"

# Each case: the request as the SDK client would hand it to the signer
# (`ak`, `sk` and `sdk_date` default to the constants above).
# `path` is a template whose {name} placeholders are filled from `path_params`
# the way huaweicloudsdkcore's client does it: quote(str(value), safe='').
CASES = [
    dict(name="plain_get", method="GET", scheme="https",
         netloc="ecs.cn-north-4.myhuaweicloud.com", path="/v1/servers"),
    dict(name="get_with_simple_query", method="GET", scheme="https",
         netloc="dcs.cn-north-4.myhuaweicloud.com", path="/v2/instances",
         query=[("limit", "10"), ("offset", "0"), ("name", "redis-01")],
         headers={"Content-Type": "application/json"}),
    dict(name="query_special_characters", method="GET", scheme="https",
         netloc="api.example.com", path="/v1/search",
         query=[("q", "hello world"), ("plus", "1+1=2"), ("star", "a*b"),
                ("tilde", "~home"), ("unicode", "中文 é 😀"), ("slash", "a/b?c#d"),
                ("amp", "x&y=z"), ("percent", "100%"), ("key with space", "v"),
                ("reserved", "!'();:@$,[]")]),
    dict(name="query_empty_and_repeated_values", method="GET", scheme="https",
         netloc="api.example.com", path="/v1/tags",
         query=[("tag", "b"), ("tag", "a"), ("tag", ""), ("empty", ""),
                ("n", "2"), ("n", "10"), ("Z", "upper"), ("a", "lower"),
                ("tag", "a b"), ("tag", "a+b")]),
    dict(name="path_segments_needing_escaping", method="GET", scheme="https",
         netloc="api.example.com", path="/v1/{project}/files/{file}/{pct}/{misc}",
         path_params={"project": "my project", "file": "你好.txt", "pct": "50%",
                      "misc": "a+b~c(d)*e'f"}),
    dict(name="path_with_invalid_utf8_escape", method="GET", scheme="https",
         netloc="api.example.com", path="/v1/raw/%FF%FEend/%E4%BD"),
    dict(name="path_with_trailing_slash", method="GET", scheme="https",
         netloc="api.example.com", path="/v1/items/"),
    dict(name="root_path_with_query", method="GET", scheme="https",
         netloc="api.example.com", path="/", query=[("b", "2"), ("a", "1")]),
    dict(name="host_with_port", method="GET", scheme="https",
         netloc="localhost:8443", path="/v1/health", query=[("verbose", "true")]),
    dict(name="http_ipv6_host_with_port", method="GET", scheme="http",
         netloc="[::1]:8080", path="/v1/health"),
    dict(name="project_id", method="GET", scheme="https",
         netloc="rabbitmq.cn-north-4.myhuaweicloud.com", path="/v2/{project_id}/instances",
         path_params={"project_id": PROJECT_ID}, project_id=PROJECT_ID,
         query=[("engine", "rabbitmq"), ("limit", "5")],
         headers={"Content-Type": "application/json"}),
    dict(name="security_token_and_project_id", method="GET", scheme="https",
         netloc="gaussdb-opengauss.cn-north-4.myhuaweicloud.com",
         path="/v3/{project_id}/jobs", path_params={"project_id": PROJECT_ID},
         project_id=PROJECT_ID, security_token=SECURITY_TOKEN,
         query=[("status", "Running"), ("limit", "10")]),
    dict(name="security_token_only", method="GET", scheme="https",
         netloc="iam.myhuaweicloud.com", path="/v3/auth/domains",
         security_token=SECURITY_TOKEN),
    dict(name="post_json_body", method="POST", scheme="https",
         netloc="dcs.cn-north-4.myhuaweicloud.com", path="/v2/{project_id}/instances",
         path_params={"project_id": PROJECT_ID}, project_id=PROJECT_ID,
         headers={"Content-Type": "application/json;charset=UTF-8"},
         body='{"name": "dcs-\u00e9t\u00e9", "capacity": 2, "tags": ["a b", "c+d"]}'),
    dict(name="put_json_body_with_query", method="PUT", scheme="https",
         netloc="api.example.com:444", path="/v1/items/{id}", path_params={"id": "item 1"},
         query=[("dry_run", "false")], headers={"Content-Type": "application/json"},
         body='{"description":"x"}'),
    dict(name="post_form_body_is_unsigned_payload", method="POST", scheme="https",
         netloc="api.example.com", path="/v1/forms",
         headers={"Content-Type": "application/x-www-form-urlencoded"}, body="a=1&b=two+words"),
    dict(name="delete_without_body", method="DELETE", scheme="https",
         netloc="api.example.com", path="/v1/items/{id}", path_params={"id": "42"},
         query=[("force", "true")]),
    dict(name="extra_headers_trimmed_filtered_and_unicode", method="GET", scheme="https",
         netloc="api.example.com", path="/v1/headers",
         headers={"X-Custom-Header": "  padded value\t", "X_Underscore_Header": "not signed",
                  "Accept": "application/json", "X-Note": "h\u00e9llo w\u00f6rld",
                  "User-Agent": "huaweicloud-tasks-tests"}),
]


def form_urlencode(pairs):
    """Query string as reqwest's .query() (serde_urlencoded) writes it."""
    def enc(text):
        out = []
        for byte in text.encode("utf-8"):
            char = chr(byte)
            if byte < 0x80 and (char.isalnum() or char in "*-._"):
                out.append(char)
            elif char == " ":
                out.append("+")
            else:
                out.append("%%%02X" % byte)
        return "".join(out)
    return "&".join("%s=%s" % (enc(k), enc(v)) for k, v in pairs)


def resource_path(case):
    path = case["path"]
    for key, value in case.get("path_params", {}).items():
        path = path.replace("{%s}" % key, quote(str(value), safe=""))
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                         "vectors.json"))
    args = parser.parse_args()

    version = importlib.metadata.version("huaweicloudsdkcore")
    if version != PINNED_SDK_VERSION:
        sys.exit("huaweicloudsdkcore %s is installed, but these vectors pin %s: "
                 "pip install 'huaweicloudsdkcore==%s'" % (version, PINNED_SDK_VERSION, PINNED_SDK_VERSION))

    home = tempfile.mkdtemp(prefix="hwc-vectors-home-")
    os.environ["HOME"] = home
    os.environ["USERPROFILE"] = home
    try:
        vectors = [sign_case(case) for case in CASES]
    finally:
        shutil.rmtree(home, ignore_errors=True)

    document = {
        "generator": "tests/data/signing/make_vectors.py with huaweicloudsdkcore %s (Python %s)"
                     % (version, platform.python_version()),
        "vectors": vectors,
    }
    with open(args.output, "w", encoding="utf-8", newline="\n") as out:
        out.write(json.dumps(document, indent=2, ensure_ascii=False))
        out.write("\n")
    print("wrote %d vectors to %s" % (len(vectors), args.output))


def sign_case(case):
    # Imported here so that HOME already points at the temporary directory.
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.algorithm import SigningAlgorithm
    from huaweicloudsdkcore.signer.signer import Signer

    recorded = {}

    class RecordingSigner(Signer):
        """The SDK's signer, noting the intermediate strings it computes."""

        def _process_canonical_request(self, request, signed_headers):
            value = super()._process_canonical_request(request, signed_headers)
            recorded["canonical_request"] = value
            recorded["signed_headers"] = ";".join(signed_headers)
            return value

        def _process_string_to_sign(self, canonical_request, time):
            value = super()._process_string_to_sign(canonical_request, time)
            recorded["string_to_sign"] = value
            return value

    ak, sk, sdk_date = case.get("ak", AK), case.get("sk", SK), case.get("sdk_date", SDK_DATE)
    credentials = BasicCredentials(ak, sk, case.get("project_id"))
    if case.get("security_token"):
        credentials.with_security_token(case["security_token"])
    credentials._SIGNER_CASE = {SigningAlgorithm.HMAC_SHA256: RecordingSigner}

    path = resource_path(case)
    query = list(case.get("query", []))
    given_headers = dict(case.get("headers", {}))
    body = case.get("body")
    headers = dict(given_headers)
    headers["X-Sdk-Date"] = sdk_date  # fixes the signing time
    request = SdkRequest(method=case["method"], schema=case["scheme"], host=case["netloc"],
                         resource_path=path, query_params=list(query), header_params=headers,
                         body=body)
    signed = credentials.sign_request(request)

    uri = signed.uri
    wire_query = uri.split("?", 1)[1] if "?" in uri else ""
    # The SDK re-encodes header values as UTF-8 bytes held in a latin-1 str
    # (for `requests`); undo that to show the text that is sent.
    sdk_headers = {k: str(v).encode("iso-8859-1").decode("utf-8")
                   for k, v in signed.header_params.items()}
    url = "%s://%s%s" % (case["scheme"], case["netloc"], path)
    if query:
        url += "?" + form_urlencode(query)
    return {
        "name": case["name"],
        "method": case["method"],
        "url": url,
        "query_pairs": [[k, v] for k, v in query],
        "headers": [[k, v] for k, v in given_headers.items()],
        "body": body or "",
        "ak": ak,
        "sk": sk,
        "sdk_date": sdk_date,
        "project_id": case.get("project_id"),
        "security_token": case.get("security_token"),
        "sdk_resource_path": path,
        "canonical_request": recorded["canonical_request"],
        "string_to_sign": recorded["string_to_sign"],
        "signed_headers": recorded["signed_headers"],
        "authorization": sdk_headers["Authorization"],
        "wire_query": wire_query,
        "sdk_headers": sdk_headers,
    }


if __name__ == "__main__":
    main()
