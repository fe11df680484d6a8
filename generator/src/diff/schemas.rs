//! Comparing bodies and schemas: media types, types and formats, tolerant
//! scalars, nullability, enum and open-list values, request constraints and
//! object properties, recursively through items and `oneOf`/`anyOf`/`allOf`.
//!
//! The same schema change is judged by the way data flows through it
//! ([`Flow`]): what a client sends may be accepted more widely but not more
//! narrowly, what it receives may come narrower but not wider.

use serde_json::Value;

use super::context::{Context, EMPTY, Flow, NULL, flag, quoted, resolve, str_of, strings};
use super::report::{Class, Kind};
use crate::model::extensions::{EnumValue, Extensions, Scalar};

impl<'a> Context<'a> {
    /// The media types of a body and their schemas.
    pub(super) fn content(
        &mut self,
        at: &str,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
        flow: Flow,
    ) {
        let old = old.and_then(Value::as_object).unwrap_or(&EMPTY);
        let new = new.and_then(Value::as_object).unwrap_or(&EMPTY);
        for (media, a) in old {
            let here = format!("{at} ({media})");
            match new.get(media) {
                None => self.push(
                    Class::Breaking,
                    Kind::MediaTypeRemoved,
                    &here,
                    "media type removed",
                ),
                Some(b) => {
                    self.schema(
                        &format!("{at} body"),
                        a.get("schema").unwrap_or(&NULL),
                        b.get("schema").unwrap_or(&NULL),
                        flow,
                    );
                }
            }
        }
        for media in new.keys().filter(|m| !old.contains_key(*m)) {
            let class = match flow {
                // A client may send the old media type still; a new response
                // media type is one it may not read.
                Flow::Request => Class::Compatible,
                Flow::Response => Class::Breaking,
            };
            self.push(
                class,
                Kind::MediaTypeAdded,
                &format!("{at} ({media})"),
                "media type added",
            );
        }
    }

    /// Compares two schemas found at the same place.
    pub(super) fn schema(&mut self, at: &str, old: &'a Value, new: &'a Value, flow: Flow) {
        let key = (
            str_of(old, "$ref").unwrap_or_default().to_string(),
            str_of(new, "$ref").unwrap_or_default().to_string(),
            flow,
        );
        if !key.0.is_empty() && !key.1.is_empty() {
            // Compare a pair of named schemas once per flow; their own places
            // name the changes of every use.
            if !self.seen.insert(key) {
                return;
            }
        }
        let (o, n) = (resolve(self.old_doc, old), resolve(self.new_doc, new));
        let (old_shape, new_shape) = (shape(self.old_doc, o), shape(self.new_doc, n));
        if old_shape != new_shape {
            self.push(
                Class::Breaking,
                Kind::TypeChanged,
                at,
                format!("type changed from {old_shape} to {new_shape}"),
            );
            return;
        }
        let (old_format, new_format) = (str_of(o, "format"), str_of(n, "format"));
        if old_format != new_format {
            self.push(
                Class::Breaking,
                Kind::FormatChanged,
                at,
                format!(
                    "format changed from {} to {}",
                    old_format.unwrap_or("(none)"),
                    new_format.unwrap_or("(none)")
                ),
            );
        }
        let (old_ext, new_ext) = (Extensions::of(o), Extensions::of(n));
        let name = |s: Option<Scalar>| s.map(Scalar::spec_name);
        let (old_scalar, new_scalar) = (name(old_ext.scalar), name(new_ext.scalar));
        if old_scalar != new_scalar {
            // The wire type is the schema's; x-hwc-scalar says how tolerantly
            // a client reads it. Reading a response more tolerantly is
            // compatible, less tolerantly is not; a request value keeps its
            // wire form either way. Trading one kind for another changes the
            // value's meaning.
            let class = match (flow, old_scalar, new_scalar) {
                (_, Some(_), Some(_)) => Class::Breaking,
                (Flow::Response, Some(_), None) => Class::Breaking,
                _ => Class::Compatible,
            };
            self.push(
                class,
                Kind::TypeChanged,
                at,
                format!(
                    "x-hwc-scalar changed from {} to {}",
                    old_scalar.unwrap_or("(none)"),
                    new_scalar.unwrap_or("(none)")
                ),
            );
        }
        match (flow, flag(o, "nullable"), flag(n, "nullable")) {
            (Flow::Response, false, true) => self.push(
                Class::Breaking,
                Kind::NullabilityChanged,
                at,
                "may now be null",
            ),
            (Flow::Request, true, false) => self.push(
                Class::Breaking,
                Kind::NullabilityChanged,
                at,
                "no longer accepts null",
            ),
            (_, a, b) if a != b => self.push(
                Class::Compatible,
                Kind::NullabilityChanged,
                at,
                if b { "accepts null" } else { "is never null" },
            ),
            _ => {}
        }
        let closed = |v: &Value| v.get("enum").map(|e| strings(Some(e)));
        self.values(at, closed(o), closed(n), flow, false);
        let open = |e: &Extensions| {
            e.open_enum
                .as_ref()
                .map(|list| list.0.iter().map(EnumValue::text).collect())
        };
        self.values(at, open(&old_ext), open(&new_ext), flow, true);
        if flow == Flow::Request {
            self.constraints(at, o, n);
        }
        self.properties(at, o, n, flow);
        if let (Some(a), Some(b)) = (o.get("items"), n.get("items")) {
            self.schema(&format!("{at}[]"), a, b, flow);
        }
        for keyword in ["oneOf", "anyOf", "allOf"] {
            if let (Some(a), Some(b)) = (
                o.get(keyword).and_then(Value::as_array),
                n.get(keyword).and_then(Value::as_array),
            ) {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    self.schema(&format!("{at} ({keyword} {i})"), x, y, flow);
                }
            }
        }
    }

    /// Enum values (closed or open) gained or lost.
    fn values(
        &mut self,
        at: &str,
        old: Option<Vec<String>>,
        new: Option<Vec<String>>,
        flow: Flow,
        open: bool,
    ) {
        let list = if open { "open list" } else { "enum" };
        let (a, b) = match (old, new) {
            (None, None) => return,
            (Some(a), Some(b)) => (a, b),
            (_, new) => {
                // An enum appearing restricts what is sent or received; one
                // disappearing lifts the restriction.
                let (class, what) = match (flow, new.is_some(), open) {
                    (_, _, true) => (Class::Compatible, format!("{list} added or removed")),
                    (Flow::Request, true, false) => {
                        (Class::Breaking, "now restricted to an enum".to_string())
                    }
                    (Flow::Response, false, false) => (
                        Class::Breaking,
                        "no longer restricted to an enum".to_string(),
                    ),
                    _ => (Class::Compatible, format!("{list} added or removed")),
                };
                self.push(class, Kind::TypeChanged, at, what);
                return;
            }
        };
        let removed: Vec<&String> = a.iter().filter(|v| !b.contains(v)).collect();
        let added: Vec<&String> = b.iter().filter(|v| !a.contains(v)).collect();
        if !removed.is_empty() {
            let (class, note) = match (flow, open) {
                (Flow::Request, _) => (Class::Breaking, ""),
                (Flow::Response, true) => (Class::Compatible, " (still decodes, as unknown)"),
                (Flow::Response, false) => (Class::Compatible, ""),
            };
            self.push(
                class,
                Kind::EnumValueRemoved,
                at,
                format!("{list} value(s) removed: {}{note}", quoted(&removed)),
            );
        }
        if !added.is_empty() {
            let (class, note) = match (flow, open) {
                (Flow::Response, false) => (Class::Breaking, " (a client cannot decode it)"),
                _ => (Class::Compatible, ""),
            };
            self.push(
                class,
                Kind::EnumValueAdded,
                at,
                format!("{list} value(s) added: {}{note}", quoted(&added)),
            );
        }
    }

    /// Request constraints: tighter breaks callers, looser does not.
    fn constraints(&mut self, at: &str, o: &Value, n: &Value) {
        // (keyword, true when a larger value is tighter)
        for (key, larger_is_tighter) in [
            ("minimum", true),
            ("maximum", false),
            ("exclusiveMinimum", true),
            ("exclusiveMaximum", true),
            ("minLength", true),
            ("maxLength", false),
            ("minItems", true),
            ("maxItems", false),
        ] {
            let number = |v: &Value| -> Option<f64> {
                match v.get(key)? {
                    Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
                    other => other.as_f64(),
                }
            };
            let (a, b) = (number(o), number(n));
            let tighter = match (a, b) {
                (None, None) => continue,
                (Some(x), Some(y)) if x == y => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => (y > x) == larger_is_tighter,
            };
            let show = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or("(none)".into());
            let what = format!("{key} changed from {} to {}", show(a), show(b));
            if tighter {
                self.push(Class::Breaking, Kind::ConstraintTightened, at, what);
            } else {
                self.push(Class::Compatible, Kind::ConstraintLoosened, at, what);
            }
        }
        let (a, b) = (str_of(o, "pattern"), str_of(n, "pattern"));
        if a != b {
            let (class, kind) = if b.is_none() {
                (Class::Compatible, Kind::ConstraintLoosened)
            } else {
                (Class::Breaking, Kind::ConstraintTightened)
            };
            self.push(
                class,
                kind,
                at,
                format!(
                    "pattern changed from {} to {}",
                    a.map(|p| format!("`{p}`")).unwrap_or("(none)".into()),
                    b.map(|p| format!("`{p}`")).unwrap_or("(none)".into())
                ),
            );
        }
    }

    /// Object properties: removed, added, and newly required or optional.
    fn properties(&mut self, at: &str, o: &'a Value, n: &'a Value, flow: Flow) {
        let a = o
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let b = n
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let (ra, rb) = (strings(o.get("required")), strings(n.get("required")));
        let field = |name: &str| {
            if at.ends_with(" body") {
                format!("{at} field `{name}`")
            } else {
                format!("{at}.{name}")
            }
        };
        for (name, x) in a {
            let here = field(name);
            match b.get(name) {
                None => self.push(
                    Class::Breaking,
                    Kind::FieldRemoved,
                    &here,
                    match flow {
                        Flow::Response => "response field removed",
                        Flow::Request => "request field removed",
                    },
                ),
                Some(y) => {
                    match (flow, ra.contains(name), rb.contains(name)) {
                        (Flow::Response, true, false) => self.push(
                            Class::Breaking,
                            Kind::FieldNoLongerRequired,
                            &here,
                            "may now be absent",
                        ),
                        (Flow::Request, false, true) => self.push(
                            Class::Breaking,
                            Kind::FieldNewlyRequired,
                            &here,
                            "field is now required",
                        ),
                        (_, true, false) => self.push(
                            Class::Compatible,
                            Kind::FieldNoLongerRequired,
                            &here,
                            "field is now optional",
                        ),
                        (_, false, true) => self.push(
                            Class::Compatible,
                            Kind::FieldNewlyRequired,
                            &here,
                            "field is now always present",
                        ),
                        _ => {}
                    }
                    self.schema(&here, x, y, flow);
                }
            }
        }
        for name in b.keys().filter(|k| !a.contains_key(*k)) {
            let here = field(name);
            if flow == Flow::Request && rb.contains(name) {
                self.push(
                    Class::Breaking,
                    Kind::FieldNewlyRequired,
                    &here,
                    "new required request field",
                );
            } else {
                self.push(
                    Class::Compatible,
                    Kind::FieldAdded,
                    &here,
                    match flow {
                        Flow::Response => "response field added",
                        Flow::Request => "optional request field added",
                    },
                );
            }
        }
    }
}

/// The type of a schema as a client sees it: `type`, or the types of its
/// `oneOf`/`anyOf`/`allOf` members, or `any`.
fn shape(doc: &Value, schema: &Value) -> String {
    if let Some(t) = str_of(schema, "type") {
        return t.to_string();
    }
    for keyword in ["oneOf", "anyOf", "allOf"] {
        if let Some(members) = schema.get(keyword).and_then(Value::as_array) {
            let types: Vec<String> = members
                .iter()
                .map(|m| {
                    let m = resolve(doc, m);
                    str_of(m, "type")
                        .map(str::to_string)
                        .unwrap_or_else(|| "any".into())
                })
                .collect();
            return format!("{keyword}({})", types.join(" | "));
        }
    }
    if schema.get("properties").is_some() {
        return "object".into();
    }
    "any".into()
}
