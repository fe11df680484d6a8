"""Generates clients in other languages from the published OpenAPI documents and
checks that every example embedded in a document fits what was generated.

Run by .ci/generated-clients from the repository root with the pinned tools of
this directory; the script runs openapi-typescript and tsc between the steps:

  check.py prepare OUT  for each published/<module>/openapi.yaml and its
                        openapi.json twin: a Python client generated from each
                        file (openapi-python-client; any warning fails), the
                        list of TypeScript outputs for openapi-typescript
                        (OUT/redocly.yaml), and the check files for every
                        example (OUT/checks/python/check_<module>.py,
                        OUT/checks/ts/<module>.check.ts)
  check.py python OUT   runs the Python check files, naming every example the
                        generated code rejects

OUT/from-yaml and OUT/from-json hold what the generators made of each file
(python/<module>_client/, ts/<module>.ts); the script requires them to be
identical. The checks read the examples from openapi.json and run them against
the code generated from openapi.yaml.
"""

from __future__ import annotations

import json
import re
import runpy
import sys
import textwrap
from pathlib import Path
from pprint import pformat

from openapi_python_client import generate
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser.openapi import generate_operation_id
from openapi_python_client.schema.untrusted_string import UntrustedString
from openapi_python_client.strings import PythonIdentifier

import examples

HERE = Path(__file__).resolve().parent
# Defaults, except that the code is not formatted with ruff: it is only imported.
CONFIG = ConfigFile(post_hooks=[])


def documents() -> list[tuple[str, Path, Path]]:
    """(module, openapi.yaml, openapi.json) of every published service."""
    found = []
    for yaml_path in sorted(Path("published").glob("*/openapi.yaml")):
        json_path = yaml_path.with_suffix(".json")
        if not json_path.is_file():
            sys.exit(f"error: {yaml_path} has no {json_path.name} beside it")
        found.append((yaml_path.parent.name, yaml_path, json_path))
    if not found:
        sys.exit("error: nothing published; run `cargo xtask publish`")
    return found


def package_name(module: str) -> str:
    return re.sub(r"\W", "_", module) + "_client"


def generate_python(source: Path, output: Path) -> bool:
    config = Config.from_sources(CONFIG, MetaType.NONE, source, "utf-8", overwrite=True, output_path=output)
    errors = generate(config=config)
    for error in errors:
        print(f"{source}: openapi-python-client: {error.header} {error.detail or ''}", file=sys.stderr)
    return not errors


def endpoint_module(package: str, operation: examples.Operation) -> str:
    """The generated module of an operation, named as openapi-python-client names it."""
    tag = PythonIdentifier(operation.tag or "default", prefix="tag")
    if operation.operation_id:
        name = PythonIdentifier(operation.operation_id, prefix=CONFIG.field_prefix)
    else:
        name = generate_operation_id(
            path=UntrustedString(operation.path), method=operation.method, prefix=CONFIG.field_prefix
        )
    return f"{package}.api.{tag}.{name}"


def python_checks(source: Path, package: str, found: list[examples.Example]) -> tuple[str, int]:
    lines = [
        f'"""Examples of {source}, run through the Python client generated from it."""',
        "",
        "from decode import expect_parameter, expect_request_body, expect_response",
        "",
    ]
    count = 0
    for example in found:
        if example.python is None:
            continue
        kind, *details = example.python
        module = endpoint_module(package, example.operation)
        if kind == "response":
            call, args = "expect_response", [module, *details]
        elif kind == "request-body":
            call, args = "expect_request_body", [module, *details]
        else:
            call, args = "expect_parameter", [module, PythonIdentifier(details[0], prefix=CONFIG.field_prefix)]
        args.append(f"{source}#{example.pointer}")
        value = textwrap.indent(pformat(example.value, width=96, sort_dicts=False), "    ")
        lines += [f"{call}({', '.join(repr(str(a) if isinstance(a, str) else a) for a in args)},", value + ")", ""]
        count += 1
    return "\n".join(lines), count


def ts_checks(source: Path, module: str, found: list[examples.Example]) -> tuple[str, int]:
    lines = [
        f"// Examples of {source}, each a constant of the type openapi-typescript",
        "// generated for the place it is written in.",
        f'import type {{ components, paths }} from "../../from-yaml/ts/{module}";',
        "",
    ]
    written: set[str] = set()
    for example in found:
        if example.ts_type is None or example.pointer in written:
            continue
        written.add(example.pointer)
        value = json.dumps(example.value, indent=2, ensure_ascii=False)
        lines += [
            f"// {source}#{example.pointer}",
            f"export const example{len(written)}: {example.ts_type} = {value};",
            "",
        ]
    return "\n".join(lines), len(written)


TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "noEmit": True,
        "target": "ES2022",
        "lib": ["ES2022"],
        "module": "ESNext",
        "moduleResolution": "Bundler",
        "types": [],
        "skipLibCheck": True,
    },
    "include": ["*.check.ts"],
}


def prepare(out: Path) -> int:
    failed = False
    apis = {}
    for directory in ("checks/python", "checks/ts"):
        (out / directory).mkdir(parents=True, exist_ok=True)
    for module, yaml_path, json_path in documents():
        for form, source in (("yaml", yaml_path), ("json", json_path)):
            failed |= not generate_python(source, out / f"from-{form}/python/{package_name(module)}")
            apis[f"{module}-{form}"] = {
                "root": str(source.resolve()),
                "x-openapi-ts": {"output": str((out / f"from-{form}/ts/{module}.ts").resolve())},
            }
        walker = examples.Walker(json.loads(json_path.read_text()))
        try:
            found = walker.walk()
        except ValueError as error:
            print(f"error: {json_path}#{error}", file=sys.stderr)
            failed = True
            continue
        for pointer in walker.unchecked():
            print(f"error: {json_path}#{pointer}: an example this check does not know how to reach", file=sys.stderr)
            failed = True
        python, python_count = python_checks(json_path, package_name(module), found)
        (out / f"checks/python/check_{package_name(module)}.py").write_text(python)
        typescript, ts_count = ts_checks(json_path, module, found)
        (out / f"checks/ts/{module}.check.ts").write_text(typescript)
        print(f"{json_path}: {ts_count} examples as TypeScript constants, {python_count} Python decodings")
    # openapi-typescript reads its inputs and outputs from a Redocly configuration (one process for all).
    (out / "redocly.yaml").write_text(json.dumps({"apis": apis}, indent=2) + "\n")
    (out / "checks/ts/tsconfig.json").write_text(json.dumps(TSCONFIG, indent=2) + "\n")
    return 1 if failed else 0


def run_python(out: Path) -> int:
    sys.path[:0] = [str(out / "from-yaml/python"), str(HERE)]
    import decode

    for path in sorted((out / "checks/python").glob("check_*.py")):
        runpy.run_path(str(path))
    print(f"{decode.checked} examples decoded by the generated Python clients, {len(decode.failures)} failed")
    return 1 if decode.failures else 0


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("prepare", "python"):
        sys.exit(f"usage: {argv[0]} prepare|python OUT")
    out = Path(argv[2])
    return prepare(out) if argv[1] == "prepare" else run_python(out)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
