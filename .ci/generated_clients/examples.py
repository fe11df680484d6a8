"""Finds the examples embedded in an OpenAPI 3.0 document and what each must fit.

Every example gets the TypeScript type that openapi-typescript generates for the
place it is written (a component, or an inline part of an operation), and the
examples a Python client handles (responses, request bodies, parameters) also
get the operation and role through which openapi-python-client's code decodes
or sends them. A `$ref` from an operation to a component adds only the Python
side: the component's own walk gives the TypeScript constant, once.

`unchecked` lists the examples no walk reached (inside `allOf`/`oneOf`, or in a
shape added to the documents later), so that a check built on this module
fails instead of skipping them silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Keys whose object maps names (paths, status codes, schema or property
# names...) to objects: a child called "example" there is a name, not an example.
NAME_MAPS = {
    "callbacks",
    "content",
    "encoding",
    "examples",
    "headers",
    "links",
    "parameters",
    "paths",
    "properties",
    "requestBodies",
    "responses",
    "schemas",
    "securitySchemes",
    "variables",
}


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    operation_id: str | None
    tag: str | None  # the first tag: openapi-python-client files the operation under it


@dataclass(frozen=True)
class Example:
    pointer: str  # JSON pointer of the example value
    value: object
    ts_type: str | None  # over the generated `paths` and `components`; None: checked elsewhere
    operation: Operation | None = None
    # How the Python client meets it: ("response", status, media type),
    # ("request-body", media type) or ("parameter", name); None: no Python check.
    python: tuple | None = None


def escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def ts(key: str) -> str:
    """An index into a TypeScript type: `["key"]`."""
    return f"[{json.dumps(key)}]"


class Walker:
    def __init__(self, document: dict):
        self.document = document
        self.found: list[Example] = []
        self.covered: set[str] = set()

    def walk(self) -> list[Example]:
        components = self.document.get("components", {})
        for name, schema in components.get("schemas", {}).items():
            self.schema(schema, f"/components/schemas/{escape(name)}", f'components["schemas"]{ts(name)}')
        for kind, walk in (
            ("parameters", self.parameter),
            ("headers", self.header),
            ("requestBodies", self.request_body),
            ("responses", self.response),
        ):
            for name, item in components.get(kind, {}).items():
                walk(item, f"/components/{kind}/{escape(name)}", f"components{ts(kind)}{ts(name)}", None)
        for path, item in self.document.get("paths", {}).items():
            self.path_item(path, item)
        return self.found

    def unchecked(self) -> list[str]:
        return [p for p in example_pointers(self.document) if p not in self.covered]

    def add(self, pointer: str, value: object, ts_type: str | None, operation=None, python=None):
        self.covered.add(pointer)
        self.found.append(Example(pointer, value, ts_type, operation, python))

    def resolve(self, node: dict, pointer: str) -> tuple[dict, str, bool]:
        """Follows a local `$ref`: the target, its pointer, and whether it was one."""
        if "$ref" not in node:
            return node, pointer, False
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"{pointer}: only local references are supported, found {ref!r}")
        target = self.document
        for token in ref[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or token not in target:
                raise ValueError(f"{pointer}: {ref!r} points at nothing")
            target = target[token]
        return self.resolve(target, ref[1:])[0], ref[1:], True

    def examples_of(self, node: dict, pointer: str):
        """The `example` and `examples` values of a media type, parameter or header."""
        if "example" in node:
            yield f"{pointer}/example", node["example"]
        for name, entry in node.get("examples", {}).items():
            self.covered.add(f"{pointer}/examples/{escape(name)}")
            entry, entry_pointer, _ = self.resolve(entry, f"{pointer}/examples/{escape(name)}")
            self.covered.add(entry_pointer)
            if "value" in entry:
                yield f"{entry_pointer}/value", entry["value"]

    def schema(self, schema: dict, pointer: str, ts_type: str | None):
        """Examples of a schema written here and of its properties and items
        (a `$ref` is walked under its own name among the components)."""
        if "$ref" in schema or ts_type is None:
            return
        if "example" in schema:
            self.add(f"{pointer}/example", schema["example"], ts_type)
        for name, prop in schema.get("properties", {}).items():
            self.schema(prop, f"{pointer}/properties/{escape(name)}", f"NonNullable<{ts_type}>{ts(name)}")
        if isinstance(schema.get("items"), dict):
            self.schema(schema["items"], f"{pointer}/items", f"NonNullable<{ts_type}>[number]")
        if isinstance(schema.get("additionalProperties"), dict):
            self.schema(
                schema["additionalProperties"], f"{pointer}/additionalProperties", f"NonNullable<{ts_type}>[string]"
            )

    # Each of the four walks below takes the object, its pointer, the TypeScript
    # type of its value (None when reached through a `$ref`) and the operation.

    def parameter(self, param: dict, pointer: str, ts_type: str | None, operation: Operation | None):
        python = ("parameter", param["name"]) if operation else None
        for where, value in self.examples_of(param, pointer):
            self.add(where, value, ts_type, operation, python)
        schema = param.get("schema", {})
        if "$ref" not in schema and "example" in schema:
            self.add(f"{pointer}/schema/example", schema["example"], ts_type, operation, python)
        self.schema({k: v for k, v in schema.items() if k != "example"}, f"{pointer}/schema", ts_type)

    def header(self, header: dict, pointer: str, ts_type: str | None, operation: Operation | None):
        for where, value in self.examples_of(header, pointer):
            self.add(where, value, ts_type)
        self.schema(header.get("schema", {}), f"{pointer}/schema", ts_type)

    def request_body(self, body: dict, pointer: str, ts_type: str | None, operation: Operation | None):
        python = (lambda media_type: ("request-body", media_type)) if operation else None
        self.content(body, pointer, ts_type, operation, python)

    def response(
        self, response: dict, pointer: str, ts_type: str | None, operation: Operation | None, status: str | None = None
    ):
        python = None
        if operation and status and status.isdigit():
            python = lambda media_type: ("response", int(status), media_type)
        self.content(response, pointer, ts_type, operation, python)
        for name, header in response.get("headers", {}).items():
            header_pointer = f"{pointer}/headers/{escape(name)}"
            header, header_pointer, via_ref = self.resolve(header, header_pointer)
            if not via_ref and ts_type is not None:
                self.header(header, header_pointer, f"{ts_type}{ts('headers')}{ts(name)}", None)

    def content(self, owner: dict, pointer: str, ts_type: str | None, operation, python):
        for media_type, media in owner.get("content", {}).items():
            media_pointer = f"{pointer}/content/{escape(media_type)}"
            media_ts = f"{ts_type}{ts('content')}{ts(media_type)}" if ts_type else None
            for where, value in self.examples_of(media, media_pointer):
                self.add(where, value, media_ts, operation, python(media_type) if python else None)
            self.schema(media.get("schema", {}), f"{media_pointer}/schema", media_ts)

    def parameter_key(self, param: dict) -> tuple[str, str]:
        param = self.resolve(param, "")[0]
        return param["name"], param["in"]

    def path_item(self, path: str, item: dict):
        path_pointer = f"/paths/{escape(path)}"
        path_ts = f"paths{ts(path)}"
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            operation = Operation(path, method, op.get("operationId"), (op.get("tags") or [None])[0])
            op_pointer, op_ts = f"{path_pointer}/{method}", f"{path_ts}{ts(method)}"
            # Operation parameters override the path item's of the same name and place.
            own = {self.parameter_key(p) for p in op.get("parameters", [])}
            params = [
                (p, f"{path_pointer}/parameters/{i}", path_ts)
                for i, p in enumerate(shared)
                if self.parameter_key(p) not in own
            ]
            params += [(p, f"{op_pointer}/parameters/{i}", op_ts) for i, p in enumerate(op.get("parameters", []))]
            for param, pointer, owner_ts in params:
                param, pointer, via_ref = self.resolve(param, pointer)
                value_ts = (
                    None if via_ref else f'NonNullable<{owner_ts}["parameters"]{ts(param["in"])}>{ts(param["name"])}'
                )
                self.parameter(param, pointer, value_ts, operation)
            if "requestBody" in op:
                body, pointer, via_ref = self.resolve(op["requestBody"], f"{op_pointer}/requestBody")
                self.request_body(body, pointer, None if via_ref else f'NonNullable<{op_ts}["requestBody"]>', operation)
            for status, response in op.get("responses", {}).items():
                response, pointer, via_ref = self.resolve(response, f"{op_pointer}/responses/{escape(status)}")
                value_ts = None if via_ref else f'{op_ts}["responses"]{ts(status)}'
                self.response(response, pointer, value_ts, operation, status)


def example_pointers(node: object, pointer: str = "", names: bool = False):
    """Pointers of every example embedded in a document: each `example` value and
    each entry of an `examples` map, wherever they are (extensions aside)."""
    if isinstance(node, list):
        for i, value in enumerate(node):
            yield from example_pointers(value, f"{pointer}/{i}")
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        here = f"{pointer}/{escape(key)}"
        if names:
            yield from example_pointers(value, here)
        elif key.startswith("x-") or key in ("enum", "default"):
            continue
        elif key == "example":
            yield here
        elif key == "examples" and isinstance(value, dict):
            yield from (f"{here}/{escape(name)}" for name in value)
        else:
            yield from example_pointers(value, here, names=key in NAME_MAPS)
