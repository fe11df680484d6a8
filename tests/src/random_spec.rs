//! Random specs from the grammar the generator supports, for the property
//! that every spec `check` accepts generates a module that compiles.
//!
//! A spec has a few operations (GET, DELETE, PUT, POST) under versioned
//! paths with path parameters of any name, query and header parameters of
//! every type (plain, lists of strings and integers, arrays), request bodies,
//! one or several 2xx responses with one body or none, and paging of every
//! kind with totals of every type; its schemas are object trees of bounded
//! depth with nested and recursive references, arrays of arrays, nullable
//! and free-form fields, inline lists and awkward property names. The specs
//! follow the house rules (every piece described, `X-Request-Id` declared)
//! so that what is tested is the shapes, not the rules.
//!
//! Everything comes from one seeded generator, so a seed always gives the
//! same specs.

use proptest::prelude::RngExt;
use proptest::test_runner::TestRng;
use serde_json::{Map, Value, json};

/// Builds specs from a seeded generator.
pub struct SpecMaker {
    rng: TestRng,
    /// Components of the spec being made.
    schemas: Map<String, Value>,
    counter: usize,
}

const PROPERTY_NAMES: &[&str] = &[
    "id",
    "status",
    "type",
    "self",
    "match",
    "jobId",
    "job-id",
    "sub_jobs",
    "UPPER",
    "x1",
    "begin_time",
    "entities",
    "name",
    "error_code",
    "progress",
    "ref",
];

const PATH_PARAMS: &[&str] = &["job_id", "jobId", "cluster_id", "server-id", "task"];

impl SpecMaker {
    /// A maker whose specs depend only on `seed`.
    pub fn new(seed: [u8; 32]) -> Self {
        Self {
            rng: TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &seed),
            schemas: Map::new(),
            counter: 0,
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.rng.random_range(0..from.len())]
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{}", self.counter)
    }

    /// One spec, as a JSON value to be written as YAML (JSON is YAML).
    pub fn spec(&mut self) -> Value {
        self.schemas = Map::new();
        self.counter = 0;
        let mut paths = Map::new();
        let operations = self.rng.random_range(1..=4);
        for i in 0..operations {
            let (path, item) = self.operation(i);
            let entry = paths.entry(path).or_insert_with(|| json!({}));
            if let (Some(entry), Value::Object(item)) = (entry.as_object_mut(), item) {
                for (method, op) in item {
                    entry.entry(method).or_insert(op);
                }
            }
        }
        json!({
            "openapi": "3.0.3",
            "info": {"title": "Random shapes", "version": "1.0.0",
                     "description": "A spec made from the supported grammar."},
            "x-hwc-sdk-service": "RANDOM",
            "servers": [{"url": "https://random.{region}.myhuaweicloud.com",
                         "description": "Regional endpoint.",
                         "variables": {"region": {"description": "Region ID.",
                             "default": "ap-southeast-1", "enum": ["ap-southeast-1"]}}}],
            "security": [{"AkSk": []}],
            "tags": [{"name": "Things", "description": "Things."}],
            "paths": paths,
            "components": {
                "securitySchemes": {"AkSk": {"$ref": "shared/common.yaml#/components/securitySchemes/AkSk"}},
                "schemas": self.schemas.clone(),
            },
        })
    }

    fn operation(&mut self, index: usize) -> (String, Value) {
        let method = *self.pick(&["get", "get", "delete", "put", "post"]);
        let version = *self.pick(&["v1", "v2", "v3.1"]);
        let mut path = format!("/{version}/{{project_id}}/things{index}");
        let mut parameters =
            vec![json!({"$ref": "shared/common.yaml#/components/parameters/ProjectId"})];
        for _ in 0..self.rng.random_range(0..=2) {
            let name = *self.pick(PATH_PARAMS);
            if path.contains(&format!("{{{name}}}")) {
                continue;
            }
            path.push_str(&format!("/{{{name}}}"));
            parameters.push(json!({"name": name, "in": "path", "required": true,
                "description": "An ID.", "schema": {"type": "string"}}));
        }
        let id = format!("Op{index}{}", method.to_uppercase());
        for _ in 0..self.rng.random_range(0..=3) {
            let p = self.query_parameter();
            let name = p["name"].clone();
            if !parameters.iter().any(|q| q["name"] == name) {
                parameters.push(p);
            }
        }
        if self.chance(0.3) {
            parameters.push(self.header_parameter());
        }
        let mut op = json!({
            "operationId": id, "tags": ["Things"], "summary": "Does a thing.",
            "description": "Does a thing.",
        });
        let paged = method == "get" && self.chance(0.5);
        let body = if paged {
            Some(self.paging(&mut op, &mut parameters))
        } else if method == "delete" || self.chance(0.2) {
            None
        } else {
            Some(self.object_component(0))
        };
        let responses = self.responses(body, paged);
        if matches!(method, "post" | "put") && self.chance(0.6) {
            let schema = self.object_component(0);
            op["requestBody"] = json!({"required": true, "description": "What to send.",
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
        }
        op["parameters"] = Value::Array(parameters);
        op["responses"] = responses;
        (path, json!({ method: op }))
    }

    fn responses(&mut self, body: Option<String>, paged: bool) -> Value {
        let header =
            json!({"X-Request-Id": {"$ref": "shared/common.yaml#/components/headers/XRequestId"}});
        let with_body = |schema: &str| {
            json!({"description": "OK.", "headers": header.clone(),
            "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
        };
        let without = json!({"description": "OK.", "headers": header.clone()});
        let mut responses = Map::new();
        match body {
            Some(schema) if paged => {
                responses.insert("200".into(), with_body(&schema));
            }
            Some(schema) => match self.rng.random_range(0..4) {
                0 => {
                    responses.insert("200".into(), with_body(&schema));
                }
                1 => {
                    responses.insert("200".into(), with_body(&schema));
                    responses.insert("201".into(), with_body(&schema));
                }
                2 => {
                    responses.insert("202".into(), with_body(&schema));
                }
                _ => {
                    responses.insert("200".into(), with_body(&schema));
                    responses.insert("204".into(), without.clone());
                }
            },
            None => {
                let code = *self.pick(&["200", "204", "202"]);
                responses.insert(code.into(), without);
            }
        }
        responses.insert(
            "400".into(),
            json!({"$ref": "shared/common.yaml#/components/responses/BadRequest"}),
        );
        Value::Object(responses)
    }

    fn query_parameter(&mut self) -> Value {
        let name = self.fresh("q");
        let schema = match self.rng.random_range(0..8) {
            0 => json!({"type": "string", "maxLength": 64}),
            1 => json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": 100}),
            2 => json!({"type": "integer", "format": "int64"}),
            3 => json!({"type": "boolean"}),
            4 => json!({"type": "string", "enum": ["a-b", "c_d", "EF"]}),
            5 => json!({"type": "integer", "enum": [0, 1, 2]}),
            6 => json!({"type": "number"}),
            _ => json!({"type": "string", "pattern": "^[a-z0-9-]+$"}),
        };
        json!({"name": name, "in": "query", "required": self.chance(0.3),
               "description": "A filter.", "schema": schema})
    }

    fn header_parameter(&mut self) -> Value {
        if self.chance(0.5) {
            json!({"name": "X-Language", "in": "header", "description": "Language.",
                   "schema": {"type": "string", "enum": ["en-us", "zh-cn"]}})
        } else {
            json!({"name": "X-Client-Token", "in": "header", "required": true,
                   "description": "A token.", "schema": {"type": "string", "minLength": 1}})
        }
    }

    /// Adds what a paged list needs (parameters, a page schema) and returns
    /// the page's component name.
    fn paging(&mut self, op: &mut Value, parameters: &mut Vec<Value>) -> String {
        let item = self.object_component(1);
        let page = self.fresh("Page");
        let mut properties = Map::new();
        properties.insert(
            "items".into(),
            json!({"type": "array", "description": "Items.",
            "items": {"$ref": format!("#/components/schemas/{item}")}}),
        );
        let integer = |name: &str| {
            json!({"name": name, "in": "query", "description": "Paging.",
            "schema": {"type": "integer", "minimum": 0}})
        };
        let text = |name: &str| {
            json!({"name": name, "in": "query", "description": "Paging.",
            "schema": {"type": "string"}})
        };
        let mut paging = Map::new();
        paging.insert("limit".into(), json!("limit"));
        paging.insert("items".into(), json!("items"));
        paging.insert(
            "max-page-size".into(),
            json!(self.rng.random_range(1..=500)),
        );
        parameters.push(if self.chance(0.8) {
            integer("limit")
        } else {
            text("limit")
        });
        match self.rng.random_range(0..3) {
            0 => {
                paging.insert("offset".into(), json!("offset"));
                parameters.push(if self.chance(0.8) {
                    integer("offset")
                } else {
                    text("offset")
                });
                if self.chance(0.3) {
                    paging.insert("first-offset".into(), json!(1));
                }
            }
            1 => {
                paging.insert("page".into(), json!("page_no"));
                parameters.push(integer("page_no"));
            }
            _ => {
                paging.insert("marker".into(), json!("marker"));
                parameters.push(text("marker"));
                if self.chance(0.5) {
                    paging.insert("next-marker".into(), json!("page_info.next_marker"));
                    properties.insert(
                        "page_info".into(),
                        json!({"type": "object",
                        "description": "Where the next page starts.",
                        "properties": {"next_marker": {"type": "string", "nullable": true,
                            "description": "The next marker."}}}),
                    );
                } else {
                    paging.insert("marker-item".into(), json!("id"));
                    if let Some(Value::Object(schema)) = self.schemas.get_mut(&item) {
                        schema.insert("required".into(), json!(["id"]));
                        if let Some(Value::Object(props)) = schema.get_mut("properties") {
                            props.insert(
                                "id".into(),
                                json!({"type": "string", "description": "ID."}),
                            );
                        }
                    }
                }
            }
        }
        let total = match self.rng.random_range(0..6) {
            0 => Some(json!({"type": "integer", "format": "int32", "description": "Total."})),
            1 => Some(json!({"type": "integer", "format": "int64", "description": "Total."})),
            2 => Some(json!({"type": "string", "description": "Total, as text."})),
            3 => Some(json!({"oneOf": [{"type": "string"}, {"type": "integer"}],
                "description": "Total.", "x-hwc-scalar": "count"})),
            _ => None,
        };
        if let Some(total) = total {
            paging.insert("total".into(), json!("total"));
            properties.insert("total".into(), total);
        }
        let required: Vec<&str> = if self.chance(0.3) {
            vec!["items"]
        } else {
            vec![]
        };
        self.schemas.insert(
            page.clone(),
            json!({"type": "object", "description": "A page.",
            "required": required, "properties": properties}),
        );
        op["x-hwc-paging"] = Value::Object(paging);
        page
    }

    /// A named object schema; returns its name.
    fn object_component(&mut self, depth: usize) -> String {
        let name = self.fresh("Thing");
        self.schemas.insert(
            name.clone(),
            json!({"type": "object", "description": "Placeholder."}),
        );
        let schema = self.object(depth, &name);
        self.schemas.insert(name.clone(), schema);
        name
    }

    fn object(&mut self, depth: usize, component: &str) -> Value {
        let mut properties = Map::new();
        for _ in 0..self.rng.random_range(0..=5) {
            let name = *self.pick(PROPERTY_NAMES);
            let schema = self.property(depth, component);
            properties.insert(name.to_string(), schema);
        }
        let names: Vec<String> = properties.keys().cloned().collect();
        let required: Vec<String> = names
            .into_iter()
            .filter(|_| self.rng.random_bool(0.3))
            .collect();
        let mut object =
            json!({"type": "object", "description": "An object.", "properties": properties});
        if !required.is_empty() {
            object["required"] = json!(required);
        }
        object
    }

    fn property(&mut self, depth: usize, component: &str) -> Value {
        let leaf = depth >= 3;
        let choice = self.rng.random_range(0..if leaf { 9 } else { 14 });
        let mut schema = match choice {
            0 => json!({"type": "string"}),
            1 => json!({"type": "integer", "format": *self.pick(&["int32", "int64"])}),
            2 => json!({"type": "number"}),
            3 => json!({"type": "boolean"}),
            4 => json!({"type": "string", "enum": ["RUNNING", "SUCCESS", "fail-1"]}),
            5 => json!({"type": "integer", "enum": [0, 1, 2, 3]}),
            6 => json!({"type": "string", "x-hwc-scalar": "timestamp"}),
            7 => json!({"type": "object", "additionalProperties": true}),
            8 => json!({"type": "object", "additionalProperties": {"type": "string"}}),
            9 => self.object(depth + 1, component),
            10 => {
                let items = self.property(depth + 1, component);
                json!({"type": "array", "items": items})
            }
            11 => json!({"$ref": format!("#/components/schemas/{component}")}),
            12 => {
                let other = self.object_component(depth + 1);
                json!({"$ref": format!("#/components/schemas/{other}")})
            }
            _ => json!({"type": "array", "items": {"type": "array",
                "items": {"type": "integer", "description": "A cell."}, "description": "A row."}}),
        };
        if schema.get("$ref").is_none() {
            schema["description"] = json!("A field.");
            if self.chance(0.15) {
                schema["nullable"] = json!(true);
            }
        }
        schema
    }
}
