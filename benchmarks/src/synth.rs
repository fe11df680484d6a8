//! Synthetic service specs of any size for the generator benchmark.
//!
//! A synthetic service is `spec/dcs.yaml` with its two operations repeated:
//! operation `k` is a copy of `ListCenterTask` (even `k`) or
//! `ListBackgroundTask` (odd `k`) under its own path, with its own
//! `operationId` and its own named response schema, so that operations, paths,
//! response types, builders and paging extras all grow with `k`. The shared
//! pieces come from a copy of `spec/shared/common.yaml`.

use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

/// The repository's `spec/` directory.
pub fn spec_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"))
}

/// Writes `dir/synthetic.yaml` with `operations` operations and
/// `dir/shared/common.yaml`.
pub fn write_spec_dir(dir: &Path, operations: usize) -> std::io::Result<()> {
    let spec = spec_dir();
    std::fs::create_dir_all(dir.join("shared"))?;
    std::fs::copy(
        spec.join("shared/common.yaml"),
        dir.join("shared/common.yaml"),
    )?;
    let text = std::fs::read_to_string(spec.join("dcs.yaml"))?;
    let yaml = synthetic(&text, operations).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("synthetic.yaml"), yaml)
}

fn synthetic(dcs: &str, operations: usize) -> Result<String, String> {
    let mut doc: Value = serde_yaml::from_str(dcs).map_err(|e| e.to_string())?;
    let paths = doc
        .get("paths")
        .and_then(Value::as_mapping)
        .ok_or("dcs.yaml has no paths")?
        .clone();
    let templates: Vec<(String, Value)> = paths
        .iter()
        .map(|(path, item)| (path.as_str().unwrap_or_default().to_string(), item.clone()))
        .collect();
    if templates.len() != 2 {
        return Err(format!(
            "expected 2 paths in dcs.yaml, found {}",
            templates.len()
        ));
    }
    let schemas = doc["components"]["schemas"]
        .as_mapping()
        .ok_or("dcs.yaml has no schemas")?
        .clone();
    let mut new_paths = Mapping::new();
    let mut new_schemas = schemas.clone();
    for k in 0..operations {
        let (path, item) = &templates[k % 2];
        let mut item = item.clone();
        let get = item
            .get_mut("get")
            .and_then(Value::as_mapping_mut)
            .ok_or("template path has no get")?;
        let id = format!(
            "{}{k}",
            get.get("operationId")
                .and_then(Value::as_str)
                .unwrap_or("Op")
        );
        get.insert("operationId".into(), Value::String(id.clone()));
        let schema = &mut get["responses"]["200"]["content"]["application/json"]["schema"];
        let target = schema["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .ok_or("template response is not a local $ref")?
            .to_string();
        let renamed = format!("{id}Response");
        schema["$ref"] = Value::String(format!("#/components/schemas/{renamed}"));
        let mut copy = schemas
            .get(target.as_str())
            .cloned()
            .ok_or("response schema missing")?;
        copy["description"] = Value::String(format!("A page of synthetic operation {id}."));
        new_schemas.insert(Value::String(renamed), copy);
        let new_path = path.replacen("/tasks", &format!("/synthetic{k}/tasks"), 1);
        new_paths.insert(Value::String(new_path), item);
    }
    doc["paths"] = Value::Mapping(new_paths);
    doc["components"]["schemas"] = Value::Mapping(new_schemas);
    doc["info"]["title"] = Value::String(format!("Synthetic service with {operations} operations"));
    serde_yaml::to_string(&doc).map_err(|e| e.to_string())
}
