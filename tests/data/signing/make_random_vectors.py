#!/usr/bin/env python3
"""Generate hundreds of random AK/SK signing vectors with the official Python signer.

Where make_vectors.py writes a few hand-picked cases, this script draws
requests from a seeded random generator (methods, paths whose parameters hold
Unicode, spaces and reserved characters, query keys and values with `+`, `=`,
`&`, `~`, repeats and empty values, headers with padding and non-ASCII text,
bodies of several content types, dates, keys, project ids and security tokens)
and has huaweicloudsdkcore sign each one, through the same `sign_case` as
make_vectors.py, into random_vectors.json (same format as vectors.json, read
by tests/tests/signing_properties.rs).

Run from anywhere; without the pinned SDK importable, the script creates a
temporary virtual environment, pip-installs it there and runs itself again:

    python3 tests/data/signing/make_random_vectors.py [--seed N] [--count N]

The same seed, count and SDK version give the same file, byte for byte.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import make_vectors  # noqa: E402  (after the path is set)

DEFAULT_SEED = 20240102
DEFAULT_COUNT = 300

METHODS = ["GET"] * 4 + ["DELETE", "POST", "PUT", "PATCH", "HEAD", "OPTIONS"]
HOSTS = [
    ("https", "dcs.ap-southeast-1.myhuaweicloud.com"),
    ("https", "gaussdb-opengauss.cn-north-4.myhuaweicloud.com"),
    ("https", "api.example.com"),
    ("https", "localhost:8443"),
    ("http", "127.0.0.1:40123"),
    ("http", "[::1]:8080"),
]
LITERAL_SEGMENTS = ["v1", "v2", "v3.1", "tasks", "instances", "jobs", "a-b_c.d~e", "progress"]
# Characters drawn for parameter values, keys and header text: ASCII letters,
# digits and punctuation, the characters URLs and forms treat specially, and
# non-ASCII text (accents, CJK, an emoji, a combining mark, U+FFFD).
ASCII = "abcxyzABCXYZ0189"
SPECIAL = " +=&~*'()!$,;:@/?#%[]\"<>^`{|}\\"
UNICODE = "éßΩж中文字😀\u0301\ufffd\u3000"
QUERY_KEYS = ["limit", "offset", "name", "tag", "q", "key with space", "ключ", "a+b", "k=v",
              "x&y", "~t", "Z", "a", "A", "_", "名"]
HEADER_NAMES = ["X-Custom-Header", "X-Trace-Id", "Accept", "X_Underscore_Header", "x-lower-case",
                "X-UPPER-CASE", "User-Agent", "X-Note", "X-Empty", "Accept-Language"]
# Whitespace Python's str.strip() and the Rust signer both remove from the
# ends of a header value, in bytes an HTTP header may carry.
PADDING = [" ", "\t", "\u00a0", "\u3000", "\u2003", "\u0085", "  \t"]
CONTENT_TYPES = ["application/json", "application/json;charset=UTF-8", "application/bson",
                 "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=b",
                 "application/octet-stream", ""]


def text(rng, alphabet, low, high):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def mixed(rng, low, high):
    alphabet = ASCII * 3 + SPECIAL + UNICODE
    return text(rng, alphabet, low, high)


def random_case(rng, n):
    method = rng.choice(METHODS)
    scheme, netloc = rng.choice(HOSTS)
    segments, params = [], {}
    for i in range(rng.randint(1, 4)):
        if rng.random() < 0.5:
            segments.append(rng.choice(LITERAL_SEGMENTS))
        else:
            name = "p%d" % i
            segments.append("{%s}" % name)
            params[name] = mixed(rng, 0 if rng.random() < 0.1 else 1, 12)
    path = "/" + "/".join(segments) + ("/" if rng.random() < 0.15 else "")

    query = []
    for _ in range(rng.choice([0, 0, 1, 2, 3, 5, 8])):
        if query and rng.random() < 0.25:
            key = rng.choice(query)[0]  # a repeated key
        elif rng.random() < 0.6:
            key = rng.choice(QUERY_KEYS)
        else:
            key = mixed(rng, 1, 6)
        value = "" if rng.random() < 0.15 else mixed(rng, 1, 16)
        query.append((key, value))

    headers = {}
    for _ in range(rng.randint(0, 4)):
        name = rng.choice(HEADER_NAMES)
        if any(name.lower() == h.lower() for h in headers):
            continue
        value = "" if name == "X-Empty" else text(rng, ASCII + " -_.:;/=+" + "éü中", 1, 20)
        if rng.random() < 0.4:
            value = rng.choice(PADDING) + value + rng.choice(PADDING)
        headers[name] = value

    body = None
    if method in ("POST", "PUT", "PATCH") or rng.random() < 0.1:
        roll = rng.random()
        if roll < 0.6:
            headers["Content-Type"] = rng.choice(CONTENT_TYPES)
        if rng.random() < 0.85:
            body = '{"name": "%s", "n": %d}' % (mixed(rng, 0, 10).replace("\\", "").replace('"', ""),
                                                rng.randint(0, 9999))
    elif rng.random() < 0.05:
        headers["Content-Type"] = rng.choice(CONTENT_TYPES)

    case = dict(
        name="random_%03d" % n, method=method, scheme=scheme, netloc=netloc, path=path,
        path_params=params, query=query, headers=headers, body=body,
        ak=text(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20, 20),
        sk=text(rng, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=", 40, 40),
        sdk_date="%04d%02d%02dT%02d%02d%02dZ" % (rng.randint(2000, 2099), rng.randint(1, 12),
                                                 rng.randint(1, 28), rng.randint(0, 23),
                                                 rng.randint(0, 59), rng.randint(0, 59)),
    )
    if rng.random() < 0.3:
        case["project_id"] = text(rng, "0123456789abcdef", 32, 32)
    if rng.random() < 0.25:
        case["security_token"] = text(rng, ASCII + "+/=", 24, 64)
    return case


def in_pinned_sdk():
    """Whether the pinned huaweicloudsdkcore is importable here."""
    try:
        import importlib.metadata
        return importlib.metadata.version("huaweicloudsdkcore") == make_vectors.PINNED_SDK_VERSION
    except Exception:  # not installed
        return False


def rerun_in_venv():
    venv = tempfile.mkdtemp(prefix="hwc-random-vectors-venv-")
    try:
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        python = os.path.join(venv, "bin", "python")
        subprocess.check_call([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                               "huaweicloudsdkcore==%s" % make_vectors.PINNED_SDK_VERSION])
        return subprocess.call([python, os.path.abspath(__file__)] + sys.argv[1:])
    finally:
        shutil.rmtree(venv, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--output", default=os.path.join(HERE, "random_vectors.json"))
    args = parser.parse_args()
    if not in_pinned_sdk():
        sys.exit(rerun_in_venv())

    import importlib.metadata
    import json
    import platform

    rng = random.Random(args.seed)
    cases = [random_case(rng, n) for n in range(args.count)]
    home = tempfile.mkdtemp(prefix="hwc-vectors-home-")
    os.environ["HOME"] = home
    os.environ["USERPROFILE"] = home
    try:
        vectors = [make_vectors.sign_case(case) for case in cases]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    document = {
        "generator": "tests/data/signing/make_random_vectors.py --seed %d --count %d with "
                     "huaweicloudsdkcore %s (Python %s)"
                     % (args.seed, args.count, importlib.metadata.version("huaweicloudsdkcore"),
                        platform.python_version()),
        "vectors": vectors,
    }
    # One vector per line: hundreds of them stay small and diff line by line.
    with open(args.output, "w", encoding="utf-8", newline="\n") as out:
        out.write('{"generator": %s,\n "vectors": [\n' % json.dumps(document["generator"]))
        out.write(",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in vectors))
        out.write("\n]}\n")
    print("wrote %d vectors to %s" % (len(vectors), args.output))


if __name__ == "__main__":
    main()
