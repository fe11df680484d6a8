//! Huawei's API Explorer definitions as input: the machine-readable
//! description of one operation that the `huawei-cloud-api-definitions-*`
//! crates carry as `src/<OperationId>.json` (a wrapper naming the product,
//! host and region around Swagger 2.0), read into the same [`Page`] the
//! page readers produce, so `diff` and `import` take either.
//!
//! - `params`: path, query and header parameters and the request body's
//!   fields, `#/parameters/...` references followed;
//! - `schema`: schemas into fields, `$ref`s into `definitions` followed.
//!
//! Every place the definition cannot be read is a [`DocError`] naming the
//! file and the JSON pointer; nothing panics on any JSON.

mod params;
mod schema;

use serde_json::Value;

use crate::DocError;
use crate::page::{ExampleRequest, ExampleResponse, Page, Response, StatusCode};
use schema::text;

/// What a definition is, for errors about a file that is not one.
const EXPECTED: &str = "expected an API Explorer definition (a JSON object whose `paths` hold \
                        one operation, as the huawei-cloud-api-definitions crates carry)";

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

/// A definition being read: the file (for errors) and its JSON.
pub(crate) struct Json<'a> {
    file: &'a str,
    doc: &'a Value,
}

impl Json<'_> {
    /// An error at a JSON pointer of the definition.
    fn error(&self, at: &str, message: impl Into<String>) -> DocError {
        let at = if at.is_empty() { "/" } else { at };
        DocError::new(self.file, 1, format!("at `{at}`: {}", message.into()))
    }
}

/// Whether a file is to be read as JSON: it is named `.json`, or its text
/// is a JSON object.
pub fn is_json(path: &std::path::Path, text: &str) -> bool {
    let named = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    named
        || (text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
            && serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')).is_ok())
}

/// Reads a definition's text. `file` names it in errors.
pub fn read(file: &str, text: &str) -> Result<Page, DocError> {
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        DocError::new(
            file,
            e.line().max(1),
            format!("{EXPECTED}; the file is not JSON: {e}"),
        )
    })?;
    definition(file, &doc)
}

/// Reads a definition already parsed.
pub fn definition(file: &str, doc: &Value) -> Result<Page, DocError> {
    let found = match doc {
        Value::Object(map) if map.contains_key("paths") => None,
        Value::Object(_) => Some("an object without `paths`".to_string()),
        Value::Array(_) => Some("a list".into()),
        Value::String(_) => Some("a string".into()),
        Value::Number(_) => Some("a number".into()),
        Value::Bool(_) => Some("a boolean".into()),
        Value::Null => Some("null".into()),
    };
    if let Some(found) = found {
        return Err(DocError::new(file, 1, format!("{EXPECTED}; found {found}")));
    }
    let json = Json { file, doc };
    let (path, method, path_item, op) = json.operation()?;
    let path_at = format!("/paths/{}", generator::error::pointer_token(&path));
    let op_at = format!("{path_at}/{method}");
    let params = json.parameters(path_item, &path_at, op, &op_at)?;
    let (responses, status_codes, example_responses) = json.responses(op, &op_at)?;
    let base = text(doc, "base_path")
        .or_else(|| text(doc, "basePath"))
        .unwrap_or_default();
    let full_path = format!("{}{}", base.trim_end_matches('/'), path);
    // A path parameter the path has no place for cannot be sent: some
    // definitions declare `project_id` on paths without it (IMS
    // ShowJobProgress, `/v1/cloudimages/job/{job_id}`).
    let mut params = params;
    params.retain(|p| {
        p.location != crate::page::ParamLocation::Path
            || full_path.contains(&format!("{{{}}}", p.name))
    });
    Ok(Page {
        file: file.to_string(),
        source: crate::page::DocSource::Definition,
        title: text(op, "summary")
            .or_else(|| text(op, "x-name"))
            .or_else(|| text(doc, "summary")),
        function: text(op, "description").or_else(|| text(op, "summary")),
        method: method.to_ascii_uppercase(),
        path: full_path,
        line: 1,
        params,
        responses,
        examples: examples(op),
        example_responses,
        status_codes,
        services: services(doc, op),
        operation_id: text(op, "operationId").or_else(|| text(doc, "name")),
    })
}

impl<'a> Json<'a> {
    /// The definition's one operation: its path, method, path item and
    /// operation object. With several, the one the wrapper's `name` (or
    /// `method`) names.
    fn operation(&self) -> Result<(String, String, &'a Value, &'a Value), DocError> {
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else {
            return Err(self.error("/paths", "expected `paths` to be an object"));
        };
        let mut found = Vec::new();
        for (path, item) in paths {
            let Some(methods) = item.as_object() else {
                let at = format!("/paths/{}", generator::error::pointer_token(path));
                return Err(self.error(&at, "expected a path item (an object of methods)"));
            };
            for (method, op) in methods {
                if METHODS.contains(&method.to_ascii_lowercase().as_str()) && op.is_object() {
                    found.push((path.clone(), method.clone(), item, op));
                }
            }
        }
        if found.len() > 1 {
            let name = text(self.doc, "name");
            let method = text(self.doc, "method").map(|m| m.to_ascii_lowercase());
            found.retain(|(_, m, _, op)| {
                name.is_some() && text(op, "operationId") == name
                    || name.is_none() && method.as_deref() == Some(&m.to_ascii_lowercase())
            });
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(self.error(
                "/paths",
                "expected one operation (`/path` → `get`, `post`...); the definition has none",
            )),
            n => Err(self.error(
                "/paths",
                format!("expected one operation; the definition has {n} and names none of them"),
            )),
        }
    }

    /// The responses with fields, every status with its description, and
    /// the example bodies.
    #[allow(clippy::type_complexity)]
    fn responses(
        &self,
        op: &'a Value,
        op_at: &str,
    ) -> Result<(Vec<Response>, Option<Vec<StatusCode>>, Vec<ExampleResponse>), DocError> {
        let mut responses = Vec::new();
        let mut codes = Vec::new();
        let mut examples = Vec::new();
        let Some(map) = op.get("responses").and_then(Value::as_object) else {
            return Ok((responses, None, examples));
        };
        for (code, response) in map {
            let Ok(status) = code.parse::<u16>() else {
                continue;
            };
            let at = format!("{op_at}/responses/{code}");
            codes.push(StatusCode {
                code: code.clone(),
                description: text(response, "description").unwrap_or_default(),
                line: 1,
            });
            if let Some(schema) = response.get("schema") {
                let mut stack = Vec::new();
                if let Some(fields) =
                    self.object_fields(schema, &format!("{at}/schema"), &mut stack)?
                {
                    responses.push(Response {
                        status: Some(status),
                        fields,
                        line: 1,
                    });
                }
            }
            let bodies = response.get("examples").and_then(Value::as_object);
            for (media, body) in bodies.into_iter().flatten() {
                if !media.contains("json") {
                    continue;
                }
                let body = match body {
                    Value::String(s) => match serde_json::from_str(s) {
                        Ok(v) => v,
                        Err(_) => continue,
                    },
                    other => other.clone(),
                };
                examples.push(ExampleResponse {
                    status: Some(status),
                    body,
                    line: 1,
                });
            }
        }
        let codes = (!codes.is_empty()).then_some(codes);
        Ok((responses, codes, examples))
    }
}

/// The example request lines (`x-request-examples-url-1`: `GET
/// https://{endpoint}/v2/...`).
fn examples(op: &Value) -> Vec<ExampleRequest> {
    let Some(map) = op.as_object() else {
        return Vec::new();
    };
    map.iter()
        .filter(|(k, _)| k.starts_with("x-request-examples-url"))
        .filter_map(|(_, v)| v.as_str())
        .filter_map(|t| crate::parse::example_request(t.trim().trim_matches(['\'', '"', '`']), 1))
        .collect()
}

/// The service names a definition gives: its product (`product_short`);
/// without one, its host's first label and those its example URLs show.
/// Products that share a host (Kafka, RabbitMQ and RocketMQ on `dms.`) are
/// told apart by the product alone.
fn services(doc: &Value, op: &Value) -> Vec<String> {
    if let Some(product) = text(doc, "product_short") {
        return vec![product.to_ascii_lowercase()];
    }
    let mut mentions = String::new();
    if let Some(host) = text(doc, "host") {
        mentions.push_str(&format!("https://{host}\n"));
    }
    for ex in examples(op) {
        mentions.push_str(&ex.url);
        mentions.push('\n');
    }
    crate::parse::services(&mentions)
}
