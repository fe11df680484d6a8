//! Writes `$OUT_DIR/operations.rs`: one function per operation of every
//! published document (`published/<module>/openapi.json`) that calls it
//! through the generated typed client with its required parameters set to
//! their documented examples, and the table `OPERATIONS` of them all.
//!
//! Tests that must reach every operation (invented responses from Prism,
//! mutated payloads, faults on the wire) iterate over that table instead of
//! naming services or operations; `tests/src/operations.rs` checks at run
//! time that it lists exactly the operations of the crate's `SERVICES`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use heck::ToSnakeCase;
use serde_json::Value;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let published = manifest.join("../published");
    println!("cargo:rerun-if-changed={}", published.display());

    let mut modules: Vec<PathBuf> = std::fs::read_dir(&published)
        .unwrap_or_else(|e| panic!("reading {}: {e}", published.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.join("openapi.json").is_file())
        .collect();
    modules.sort();

    let mut functions = String::new();
    let mut table = String::new();
    let mut bounded = String::new();
    let mut walks = String::new();
    let mut patterned = String::new();
    for dir in &modules {
        let module = dir.file_name().unwrap().to_string_lossy().into_owned();
        let file = dir.join("openapi.json");
        println!("cargo:rerun-if-changed={}", file.display());
        let document = read(&file);
        for op in operations(&document, &file) {
            let function = format!("call_{module}_{}", op.builder);
            let mut setters = String::new();
            for (name, value) in &op.required {
                let _ = write!(setters, ".{}({value})", name.to_snake_case());
            }
            let value = if op.has_body {
                "serde_json::to_value(response.into_inner()).expect(\"a decoded response encodes again\")"
            } else {
                "{ let () = response.into_inner(); serde_json::Value::Null }"
            };
            caller(
                &mut functions,
                &function,
                "",
                &module,
                &op.builder,
                &setters,
                value,
            );
            let every_function = format!("every_{module}_{}", op.builder);
            let mut every_setters = setters.clone();
            let mut sent = String::new();
            for (location, name, literal, value) in &op.every {
                if !op.required.iter().any(|(r, _)| r == name) {
                    let _ = write!(every_setters, ".{}({literal})", name.to_snake_case());
                }
                let _ = write!(sent, "({location:?}, {name:?}, {value:?}), ");
            }
            caller(
                &mut functions,
                &every_function,
                "",
                &module,
                &op.builder,
                &every_setters,
                value,
            );
            for (pname, min, max) in &op.bounded {
                let setter = pname.to_snake_case();
                let bounded_function = format!("set_{module}_{}_{setter}", op.builder);
                let set = format!("{setters}.{setter}(value)");
                caller(
                    &mut functions,
                    &bounded_function,
                    ", value: i64",
                    &module,
                    &op.builder,
                    &set,
                    value,
                );
                let _ = writeln!(
                    bounded,
                    "    Bounded {{ module: {module:?}, name: {name:?}, id: {builder:?}, parameter: {pname:?}, \
                     min: {min:?}, max: {max:?}, call: {bounded_function} }},",
                    name = op.name,
                    builder = op.builder,
                );
            }
            for (pname, pattern) in &op.patterned {
                let setter = pname.to_snake_case();
                let text_function = format!("text_{module}_{}_{setter}", op.builder);
                let set = format!("{setters}.{setter}(value)");
                caller(
                    &mut functions,
                    &text_function,
                    ", value: &'static str",
                    &module,
                    &op.builder,
                    &set,
                    value,
                );
                let _ = writeln!(
                    patterned,
                    "    Patterned {{ module: {module:?}, name: {name:?}, id: {builder:?}, parameter: {pname:?}, \
                     pattern: {pattern:?}, call: {text_function} }},",
                    name = op.name,
                    builder = op.builder,
                );
            }
            if let Some(paging) = &op.paging {
                let walk_function = format!("walk_{module}_{}", op.builder);
                let _ = writeln!(
                    functions,
                    "fn {walk_function}(to: Endpoint, page_size: u64) -> PendingItems {{\n    Box::pin(async move {{\n        \
                     use futures::TryStreamExt as _;\n        \
                     let client = huaweicloud_tasks::{module}::Client::new_with_client(&to.base, to.http, to.context);\n        \
                     let items: Vec<_> = client.{builder}(){setters}.paginate().page_size(page_size).items().try_collect().await?;\n        \
                     Ok(items.into_iter().map(|item| serde_json::to_value(item).expect(\"an item encodes\")).collect())\n    }})\n}}\n",
                    builder = op.builder,
                );
                let text = |key: &str| paging.get(key).and_then(Value::as_str).map(str::to_owned);
                let _ = writeln!(
                    walks,
                    "    Walk {{ module: {module:?}, name: {name:?}, id: {builder:?}, offset: {offset:?}, \
                     limit: {limit:?}, items: {items:?}, total: {total:?}, first_offset: {first}, call: {walk_function} }},",
                    name = op.name,
                    builder = op.builder,
                    offset = text("offset"),
                    limit = text("limit").expect("x-hwc-paging names its limit"),
                    items = text("items").expect("x-hwc-paging names its items"),
                    total = text("total"),
                    first = paging
                        .get("first-offset")
                        .and_then(Value::as_u64)
                        .unwrap_or(0),
                );
            }
            let _ = writeln!(
                table,
                "    Operation {{ module: {module:?}, name: {name:?}, id: {builder:?}, method: {method:?}, \
                 path: {path:?}, status: {status}, has_body: {has_body}, call: {function}, \
                 call_every: {every_function}, sent: &[{sent}] }},",
                name = op.name,
                builder = op.builder,
                method = op.method,
                path = op.path,
                status = op.status,
                has_body = op.has_body,
            );
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("operations.rs");
    let text = format!(
        "// Written by tests/build.rs from published/*/openapi.json.\n\n{functions}\n\
         /// Every operation of every published document, in module and path order.\n\
         pub static OPERATIONS: &[Operation] = &[\n{table}];\n\n\
         /// Every bounded integer query parameter of every operation, with a call that sets it.\n\
         pub static BOUNDED: &[Bounded] = &[\n{bounded}];\n\n\
         /// Every paged operation, with a call that walks all its pages.\n\
         pub static WALKS: &[Walk] = &[\n{walks}];\n\n\
         /// Every string parameter with a pattern, with a call that sets it to a text.\n\
         pub static PATTERNED: &[Patterned] = &[\n{patterned}];\n"
    );
    std::fs::write(&out, text).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}

/// Writes `fn NAME(to: Endpoint EXTRA) -> Pending`: a call of `module`'s
/// `builder` with `setters`, answering the decoded body as JSON (`value`).
fn caller(
    functions: &mut String,
    name: &str,
    extra: &str,
    module: &str,
    builder: &str,
    setters: &str,
    value: &str,
) {
    let _ = writeln!(
        functions,
        "fn {name}(to: Endpoint{extra}) -> Pending {{\n    Box::pin(async move {{\n        \
         let client = huaweicloud_tasks::{module}::Client::new_with_client(&to.base, to.http, to.context);\n        \
         let response = client.{builder}(){setters}.call().await?;\n        \
         Ok({value})\n    }})\n}}\n",
    );
}

struct Op {
    name: String,
    builder: String,
    method: String,
    path: String,
    status: u16,
    has_body: bool,
    /// (parameter name, Rust literal of its example)
    required: Vec<(String, String)>,
    /// Every string or integer parameter with a documented example, required
    /// or not, scalars aside: (location, wire name, Rust literal, the value
    /// as sent).
    every: Vec<(String, String, String, String)>,
    /// Integer query parameters with a documented minimum or maximum:
    /// (name, minimum, maximum).
    bounded: Vec<(String, Option<i64>, Option<i64>)>,
    /// String parameters with a `pattern`: (name, pattern).
    patterned: Vec<(String, String)>,
    /// The operation's `x-hwc-paging`, if it pages.
    paging: Option<serde_json::Map<String, Value>>,
}

fn read(file: &Path) -> Value {
    let text =
        std::fs::read_to_string(file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", file.display()))
}

fn deref<'a>(document: &'a Value, mut value: &'a Value) -> &'a Value {
    while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let pointer = reference.strip_prefix('#').expect("a local $ref");
        value = document.pointer(pointer).expect("a $ref that resolves");
    }
    value
}

fn operations(document: &Value, file: &Path) -> Vec<Op> {
    let mut out = Vec::new();
    let paths = document["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
            let Some(op) = item.get(method) else { continue };
            let name = op["operationId"].as_str().expect("operationId").to_owned();
            let at = format!("{} {method} {path} ({name})", file.display());
            let mut parameters: Vec<&Value> = Vec::new();
            for list in [&item["parameters"], &op["parameters"]] {
                for parameter in list.as_array().into_iter().flatten() {
                    parameters.push(deref(document, parameter));
                }
            }
            let required = parameters
                .iter()
                .filter(|p| p["required"].as_bool() == Some(true))
                .map(|p| {
                    let pname = p["name"].as_str().expect("parameter name").to_owned();
                    let schema = deref(document, &p["schema"]);
                    // Without an example, any value of an unconstrained string or
                    // integer will do.
                    let invented = match (schema["type"].as_str(), schema.get("pattern")) {
                        (Some("string"), None) => Some(Value::String(format!("{pname}-1"))),
                        (Some("integer"), _) => Some(schema.get("minimum").cloned().unwrap_or(Value::from(1))),
                        _ => None,
                    };
                    let example = p
                        .get("example")
                        .or_else(|| schema.get("example"))
                        .or_else(|| schema.get("default"))
                        .or_else(|| schema.pointer("/enum/0"))
                        .or(invented.as_ref())
                        .unwrap_or_else(|| panic!("{at}: required parameter {pname} has no example"));
                    let literal = match example {
                        Value::String(s) => format!("{s:?}"),
                        Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
                        other => panic!("{at}: parameter {pname}: example {other} is neither a string nor an integer"),
                    };
                    (pname, literal)
                })
                .collect();
            let every = parameters
                .iter()
                .filter_map(|p| {
                    let pname = p["name"].as_str().expect("parameter name").to_owned();
                    let location = p["in"].as_str().expect("parameter location").to_owned();
                    let schema = deref(document, &p["schema"]);
                    // A scalar (x-hwc-scalar: a time sent in the service's
                    // format) takes a time, not its wire text: its own tests.
                    if schema.get("x-hwc-scalar").is_some() {
                        return None;
                    }
                    let example = p.get("example").or_else(|| schema.get("example"))?;
                    let (literal, sent) = match (schema["type"].as_str(), example) {
                        (Some("string"), Value::String(s)) => (format!("{s:?}"), s.clone()),
                        (Some("integer"), Value::Number(n)) if n.is_i64() => {
                            (n.to_string(), n.to_string())
                        }
                        _ => return None,
                    };
                    Some((location, pname, literal, sent))
                })
                .collect();
            let bounded = parameters
                .iter()
                .filter(|p| p["in"].as_str() == Some("query"))
                .filter_map(|p| {
                    let schema = deref(document, &p["schema"]);
                    let (min, max) = (schema["minimum"].as_i64(), schema["maximum"].as_i64());
                    (schema["type"].as_str() == Some("integer") && (min.is_some() || max.is_some()))
                        .then(|| {
                            (
                                p["name"].as_str().expect("parameter name").to_owned(),
                                min,
                                max,
                            )
                        })
                })
                .collect();
            let patterned = parameters
                .iter()
                .filter_map(|p| {
                    let schema = deref(document, &p["schema"]);
                    let pattern = schema["pattern"].as_str()?;
                    (schema["type"].as_str() == Some("string")).then(|| {
                        (
                            p["name"].as_str().expect("parameter name").to_owned(),
                            pattern.to_owned(),
                        )
                    })
                })
                .collect();
            let (status, response) = op["responses"]
                .as_object()
                .expect("responses")
                .iter()
                .find(|(code, _)| code.starts_with('2'))
                .unwrap_or_else(|| panic!("{at}: no 2xx response"));
            let response = deref(document, response);
            out.push(Op {
                builder: name.to_snake_case(),
                name,
                method: method.to_uppercase(),
                path: path.clone(),
                status: status.parse().expect("numeric status"),
                has_body: response["content"]["application/json"]["schema"].is_object(),
                required,
                every,
                bounded,
                patterned,
                paging: op["x-hwc-paging"].as_object().cloned(),
            });
        }
    }
    out
}
