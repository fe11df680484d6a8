//! Bundling: one self-contained document per service.
//!
//! Service specs share pieces through relative `$ref`s such as
//! `shared/common.yaml#/components/schemas/ErrorBody`. Bundling copies every such
//! component into the service document under the same name and rewrites the
//! reference to `#/components/...`, recursively, so the result has no external
//! references. It remembers where each imported piece came from, so later
//! checks can still name the original file.
//!
//! It works on the ordered documents the files were read into, so the bundle
//! keeps the authors' key order (see [`super::document`] for where added
//! pieces go), and derives the JSON the later stages read from it once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, SpecError, pointer_join};
use crate::spec::document::Node;
use crate::spec::load::load_document;

/// A bundled service document plus the origin of every imported component.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The service's own spec file.
    pub file: PathBuf,
    /// The self-contained document, keys in the order the authors wrote
    /// them: what is published.
    pub ordered: Node,
    /// The same document as JSON (its objects sort their keys): what the
    /// checks, the model and progenitor read.
    pub document: Value,
    /// Bundled pointer prefix (`/components/<kind>/<name>`) → (file, pointer in file).
    origins: BTreeMap<String, (PathBuf, String)>,
}

impl Bundle {
    /// Maps a pointer in the bundled document back to the file and pointer it
    /// was written at.
    pub fn locate(&self, pointer: &str) -> (PathBuf, String) {
        for (prefix, (file, origin)) in self.origins.range(..=pointer.to_string()).rev() {
            if pointer == prefix || pointer.starts_with(&format!("{prefix}/")) {
                return (
                    file.clone(),
                    format!("{origin}{}", &pointer[prefix.len()..]),
                );
            }
        }
        (self.file.clone(), pointer.to_string())
    }

    /// A [`SpecError`] for a pointer in the bundled document, located in its
    /// original file.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> SpecError {
        let (file, pointer) = self.locate(pointer);
        SpecError::new(&file, pointer, message)
    }
}

/// Loads `path` and resolves its relative file references.
pub fn bundle(path: &Path) -> Result<Bundle, Error> {
    let main = load_document(path)?;
    let mut document = main.clone();
    let mut state = State {
        main: path.to_path_buf(),
        files: BTreeMap::from([(path.to_path_buf(), main.clone())]),
        imported: BTreeMap::new(),
        errors: Vec::new(),
    };
    let mut pending = Vec::new();
    rewrite_refs(&mut document, path, "", true, &mut state, &mut pending);
    // Import transitively: each imported component may reference more.
    while let Some(import) = pending.pop() {
        let key = format!("/components/{}/{}", import.kind, import.name);
        if let Some((file, _)) = state.imported.get(&key) {
            if *file != import.file {
                state.errors.push(SpecError::new(
                    &import.from_file,
                    import.from_pointer.clone(),
                    format!(
                        "`{}` is imported from both {} and {}; rename one",
                        key,
                        file.display(),
                        import.file.display()
                    ),
                ));
            }
            continue;
        }
        let found = match state.load(&import.file) {
            Ok(source) => source.pointer(&import.pointer).cloned(),
            Err(e) => {
                state.errors.push(SpecError::new(
                    &import.from_file,
                    import.from_pointer.clone(),
                    format!("$ref to {} cannot be loaded: {e}", import.file.display()),
                ));
                continue;
            }
        };
        let Some(mut value) = found else {
            state.errors.push(SpecError::new(
                &import.from_file,
                import.from_pointer.clone(),
                format!(
                    "dangling $ref: {} has nothing at #{}",
                    import.file.display(),
                    import.pointer
                ),
            ));
            continue;
        };
        // A service may list a shared component under the same name as a bare
        // `$ref` (securitySchemes are referenced by name, so they must be
        // listed); that placeholder is replaced by the imported value.
        let placeholder = Node::Object(vec![("$ref".into(), Node::String(format!("#{key}")))]);
        let existing = document.pointer(&key);
        if existing.is_some_and(|v| *v != placeholder) && !state.imported.contains_key(&key) {
            state.errors.push(SpecError::new(
                &import.from_file,
                import.from_pointer.clone(),
                format!(
                    "`{key}` exists in the service spec and is also imported from {}",
                    import.file.display()
                ),
            ));
            continue;
        }
        state
            .imported
            .insert(key.clone(), (import.file.clone(), import.pointer.clone()));
        let file = import.file.clone();
        rewrite_refs(
            &mut value,
            &file,
            &import.pointer,
            false,
            &mut state,
            &mut pending,
        );
        insert_component(&mut document, &import.kind, &import.name, value);
    }
    if !state.errors.is_empty() {
        return Err(Error::Spec(state.errors));
    }
    let main = state.files.remove(path).unwrap_or(Node::Null);
    settle_order(&mut document, Some(&main), 0);
    let bundle = Bundle {
        file: path.to_path_buf(),
        document: document.to_value(),
        ordered: document,
        origins: state.imported,
    };
    check_local_refs(&bundle)?;
    Ok(bundle)
}

struct State {
    main: PathBuf,
    /// Every file read so far (the service's and each one it imports
    /// from), each parsed once.
    files: BTreeMap<PathBuf, Node>,
    imported: BTreeMap<String, (PathBuf, String)>,
    errors: Vec<SpecError>,
}

impl State {
    fn load(&mut self, path: &Path) -> Result<&Node, Error> {
        if !self.files.contains_key(path) {
            let document = load_document(path)?;
            self.files.insert(path.to_path_buf(), document);
        }
        Ok(&self.files[path])
    }
}

struct Import {
    file: PathBuf,
    pointer: String,
    kind: String,
    name: String,
    from_file: PathBuf,
    from_pointer: String,
}

/// Rewrites every `$ref` under `value` (found in `file` at `pointer`) to a local
/// reference, queueing the components it needs.
fn rewrite_refs(
    value: &mut Node,
    file: &Path,
    pointer: &str,
    is_main: bool,
    state: &mut State,
    pending: &mut Vec<Import>,
) {
    match value {
        Node::Object(pairs) => {
            // By key, as a JSON object lists them: which import is queued
            // first, and so which conflict is reported, does not depend on
            // how the file orders its keys.
            let mut by_key: Vec<usize> = (0..pairs.len()).collect();
            by_key.sort_by(|&a, &b| pairs[a].0.cmp(&pairs[b].0));
            for at in by_key {
                let (key, child) = &mut pairs[at];
                if key == "example" || key == "examples" {
                    continue;
                }
                let child_pointer = pointer_join(pointer, key);
                if key == "$ref" {
                    if let Node::String(reference) = child
                        && let Some(local) =
                            rewrite_one(reference, file, &child_pointer, is_main, state, pending)
                    {
                        *reference = local;
                    }
                    continue;
                }
                rewrite_refs(child, file, &child_pointer, is_main, state, pending);
            }
        }
        Node::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                let child_pointer = format!("{pointer}/{i}");
                rewrite_refs(child, file, &child_pointer, is_main, state, pending);
            }
        }
        _ => {}
    }
}

fn rewrite_one(
    reference: &str,
    file: &Path,
    at: &str,
    is_main: bool,
    state: &mut State,
    pending: &mut Vec<Import>,
) -> Option<String> {
    let (file_part, target) = reference.split_once('#').unwrap_or((reference, ""));
    if file_part.is_empty() && is_main {
        return None;
    }
    let target_file = if file_part.is_empty() {
        file.to_path_buf()
    } else {
        let base = file.parent().unwrap_or(Path::new("."));
        normalize(&base.join(file_part))
    };
    if target_file == state.main {
        return Some(format!("#{target}"));
    }
    let tokens: Vec<&str> = target.split('/').collect();
    match tokens.as_slice() {
        ["", "components", kind, name] if !kind.is_empty() && !name.is_empty() => {
            pending.push(Import {
                file: target_file,
                pointer: target.to_string(),
                kind: (*kind).to_string(),
                name: (*name).to_string(),
                from_file: file.to_path_buf(),
                from_pointer: at.to_string(),
            });
            Some(format!("#{target}"))
        }
        _ => {
            state.errors.push(SpecError::new(
                file,
                at,
                format!(
                    "unsupported $ref `{reference}`: references to other files must point at \
                     #/components/<kind>/<name>"
                ),
            ));
            None
        }
    }
}

fn insert_component(document: &mut Node, kind: &str, name: &str, value: Node) {
    if let Some(group) = document
        .entry_object("components")
        .and_then(|components| components.entry_object(kind))
    {
        group.insert(name.to_string(), value);
    }
}

/// Puts the keys bundling added after the keys `written` has, sorted by
/// name: at the top level, under `components` and in each of its groups
/// (the only places bundling adds keys). `depth` counts those levels.
fn settle_order(node: &mut Node, written: Option<&Node>, depth: usize) {
    let Node::Object(pairs) = node else {
        return;
    };
    let (mut kept, mut added): (Vec<_>, Vec<_>) = std::mem::take(pairs)
        .into_iter()
        .partition(|(k, _)| written.and_then(|w| w.get(k)).is_some());
    added.sort_by(|a, b| a.0.cmp(&b.0));
    kept.extend(added);
    *pairs = kept;
    for (key, child) in pairs.iter_mut() {
        if (depth == 0 && key == "components") || depth == 1 {
            settle_order(child, written.and_then(|w| w.get(key)), depth + 1);
        }
    }
}

/// Lexically removes `.` and `..` so the same file always has the same key.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Every remaining (local) `$ref` must resolve inside the bundled document.
fn check_local_refs(bundle: &Bundle) -> Result<(), Error> {
    let mut errors = Vec::new();
    walk_refs(&bundle.document, "", &mut |at, reference| {
        let target = reference.strip_prefix('#').unwrap_or(reference);
        if !reference.starts_with('#') || bundle.document.pointer(target).is_none() {
            errors.push(bundle.error(at, format!("dangling $ref `{reference}`")));
        }
    });
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Spec(errors))
    }
}

/// Calls `f(pointer_of_the_$ref, reference)` for every `$ref` string.
pub fn walk_refs(value: &Value, pointer: &str, f: &mut dyn FnMut(&str, &str)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer = pointer_join(pointer, key);
                match (key.as_str(), child) {
                    ("$ref", Value::String(r)) => f(&child_pointer, r),
                    // Examples are data: a `$ref` key inside one is not a reference.
                    ("example" | "examples", _) => {}
                    _ => walk_refs(child, &child_pointer, f),
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk_refs(child, &format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(node: &Node) -> Vec<&str> {
        node.entries().iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn the_bundle_keeps_the_authors_order_and_puts_added_pieces_after_it_sorted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("shared")).unwrap();
        std::fs::write(
            dir.path().join("shared/common.yaml"),
            "components:\n  schemas:\n    Beta: {type: string}\n    Omega:\n      required: [b]\n      \
             properties:\n        b: {$ref: '#/components/schemas/Beta'}\n        a: {type: integer}\n      \
             type: object\n  securitySchemes:\n    Sig: {type: apiKey, in: header, name: Authorization}\n",
        )
        .unwrap();
        let main = dir.path().join("svc.yaml");
        std::fs::write(
            &main,
            "paths:\n  /b: {get: {responses: {'200': {content: {application/json: {schema: \
             {$ref: 'shared/common.yaml#/components/schemas/Omega'}}}}}}}\n  /a: {}\n\
             info: {version: '1', title: T}\nopenapi: 3.0.3\ncomponents:\n  securitySchemes:\n    \
             Sig: {$ref: 'shared/common.yaml#/components/securitySchemes/Sig'}\n",
        )
        .unwrap();
        let bundle = bundle(&main).unwrap();
        let doc = &bundle.ordered;
        assert_eq!(keys(doc), ["paths", "info", "openapi", "components"]);
        assert_eq!(keys(doc.get("paths").unwrap()), ["/b", "/a"]);
        let components = doc.get("components").unwrap();
        // `securitySchemes` was written; `schemas` was added.
        assert_eq!(keys(components), ["securitySchemes", "schemas"]);
        // The placeholder holds the imported scheme in its file's order.
        let sig = components.pointer("/securitySchemes/Sig").unwrap();
        assert_eq!(keys(sig), ["type", "in", "name"]);
        // Imported schemas sorted by name; each keeps its file's order.
        let schemas = components.get("schemas").unwrap();
        assert_eq!(keys(schemas), ["Beta", "Omega"]);
        let omega = schemas.get("Omega").unwrap();
        assert_eq!(keys(omega), ["required", "properties", "type"]);
        assert_eq!(keys(omega.get("properties").unwrap()), ["b", "a"]);
        // The JSON the later stages read is the same document.
        assert_eq!(bundle.document, doc.to_value());
        assert_eq!(
            bundle
                .document
                .pointer("/components/schemas/Omega/properties/b/$ref"),
            Some(&Value::from("#/components/schemas/Beta"))
        );
    }
}
