//! Bundling: one self-contained document per service.
//!
//! Service specs share pieces through relative `$ref`s such as
//! `shared/common.yaml#/components/schemas/ErrorBody`. Bundling copies every such
//! component into the service document under the same name and rewrites the
//! reference to `#/components/...`, recursively, so the result has no external
//! references. It remembers where each imported piece came from, so later
//! checks can still name the original file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, SpecError, pointer_join};
use crate::spec::load::{Source, load_source};

/// A bundled service document plus the origin of every imported component.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The service's own spec file.
    pub file: PathBuf,
    /// The self-contained document.
    pub document: Value,
    /// Bundled pointer prefix (`/components/<kind>/<name>`) → (file, pointer in file).
    origins: BTreeMap<String, (PathBuf, String)>,
    /// Every file the document was read from (the service's and each one it
    /// imports from), in source order: parsed once, here, so publishing
    /// keeps the authors' key order without reading a file again.
    sources: BTreeMap<PathBuf, serde_yaml::Value>,
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

    /// The file `file` as parsed, in source order (`None` for a file the
    /// bundle was not read from).
    pub fn source(&self, file: &Path) -> Option<&serde_yaml::Value> {
        self.sources.get(file)
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
    let main = load_source(path)?;
    let mut document = main.value.clone();
    let mut state = State {
        main: path.to_path_buf(),
        files: BTreeMap::from([(path.to_path_buf(), main)]),
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
        let source = match state.load(&import.file) {
            Ok(v) => v,
            Err(e) => {
                state.errors.push(SpecError::new(
                    &import.from_file,
                    import.from_pointer.clone(),
                    format!("$ref to {} cannot be loaded: {e}", import.file.display()),
                ));
                continue;
            }
        };
        let Some(mut value) = source.pointer(&import.pointer).cloned() else {
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
        let placeholder = serde_json::json!({ "$ref": format!("#{key}") });
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
    let origins = state.imported;
    let sources = state
        .files
        .into_iter()
        .map(|(file, source)| (file, source.ordered))
        .collect();
    let bundle = Bundle {
        file: path.to_path_buf(),
        document,
        origins,
        sources,
    };
    check_local_refs(&bundle)?;
    Ok(bundle)
}

struct State {
    main: PathBuf,
    files: BTreeMap<PathBuf, Source>,
    imported: BTreeMap<String, (PathBuf, String)>,
    errors: Vec<SpecError>,
}

impl State {
    fn load(&mut self, path: &Path) -> Result<Value, Error> {
        if let Some(source) = self.files.get(path) {
            return Ok(source.value.clone());
        }
        let source = load_source(path)?;
        let value = source.value.clone();
        self.files.insert(path.to_path_buf(), source);
        Ok(value)
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
    value: &mut Value,
    file: &Path,
    pointer: &str,
    is_main: bool,
    state: &mut State,
    pending: &mut Vec<Import>,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "example" || key == "examples" {
                    continue;
                }
                let child_pointer = pointer_join(pointer, key);
                if key == "$ref" {
                    if let Value::String(reference) = child
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
        Value::Array(items) => {
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

fn insert_component(document: &mut Value, kind: &str, name: &str, value: Value) {
    let Value::Object(root) = document else {
        return;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Default::default()));
    let Value::Object(components) = components else {
        return;
    };
    let group = components
        .entry(kind.to_string())
        .or_insert_with(|| Value::Object(Default::default()));
    if let Value::Object(group) = group {
        group.insert(name.to_string(), value);
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
