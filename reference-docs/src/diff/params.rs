//! Parameters: added, removed (a removal and an addition of the same type
//! at the same position is one rename), and each compared rule.

use serde_json::Value;

use super::{Differ, Kind};
use super::{bounds_text, type_of_param, value_text};
use crate::page::{Page, ParamLocation, Parameter};
use generator::error::pointer_join;
use generator::model::{Location, Param, Rule};
use generator::spec::walk::deref;

impl Differ<'_> {
    /// The pointer of a spec parameter: the component a `$ref` names, or
    /// the entry in the operation's list.
    pub(super) fn param_anchor(&self, p: &Param) -> String {
        let list = pointer_join(&self.op.pointer, "parameters");
        if let Some(Value::Array(items)) = self.doc.pointer(&list) {
            for (i, item) in items.iter().enumerate() {
                let target = deref(self.doc, item);
                let location = target.get("in").and_then(Value::as_str);
                if target.get("name").and_then(Value::as_str) == Some(&p.name)
                    && location == Some(p.location.as_str())
                {
                    return match item.get("$ref").and_then(Value::as_str) {
                        Some(r) => r.trim_start_matches('#').to_string(),
                        None => format!("{list}/{i}"),
                    };
                }
            }
        }
        self.op.pointer.clone()
    }

    pub(super) fn parameters(&mut self, page: &Page) {
        let plain: Vec<&Parameter> = page
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Body)
            .collect();
        let spec: Vec<&Param> = self.op.params.iter().collect();
        let mut added: Vec<&Parameter> = Vec::new();
        for p in &plain {
            match spec.iter().find(|s| s.name == p.name) {
                Some(s) => self.compare_param(p, s),
                None => added.push(p),
            }
        }
        let mut removed: Vec<&Param> = spec
            .iter()
            .copied()
            .filter(|s| !plain.iter().any(|p| p.name == s.name))
            .collect();
        for p in added {
            let position = |name: &str, loc: &str, list: &[String]| {
                list.iter()
                    .position(|n| n == name)
                    .map(|i| (loc.to_string(), i))
            };
            let page_names: Vec<String> = plain
                .iter()
                .filter(|q| q.location == p.location)
                .map(|q| q.name.clone())
                .collect();
            let page_at = position(&p.name, p.location.as_str(), &page_names);
            let renamed = removed.iter().position(|s| {
                let spec_names: Vec<String> = spec
                    .iter()
                    .filter(|q| q.location.as_str() == s.location.as_str())
                    .map(|q| q.name.clone())
                    .collect();
                s.location.as_str() == p.location.as_str()
                    && type_of_param(s) == p.ty.shape()
                    && position(&s.name, s.location.as_str(), &spec_names) == page_at
            });
            match renamed {
                Some(k) => {
                    let s = removed.remove(k);
                    let anchor = self.param_anchor(s);
                    self.visited.insert(anchor.clone());
                    self.push(
                        Kind::ParameterRenamed,
                        &s.name,
                        Some(p.name.clone()),
                        Some(s.name.clone()),
                        &anchor,
                    );
                }
                None => {
                    let op = self.op.pointer.clone();
                    self.push(
                        Kind::ParameterAdded,
                        &p.name,
                        Some(format!("{} {}", p.location.as_str(), p.ty.shape())),
                        None,
                        &op,
                    );
                }
            }
        }
        for s in removed {
            let anchor = self.param_anchor(s);
            self.visited.insert(anchor.clone());
            self.push(
                Kind::ParameterRemoved,
                &s.name,
                None,
                Some(format!("{} {}", s.location.as_str(), type_of_param(s))),
                &anchor,
            );
        }
        let body = page.body_fields();
        if !body.is_empty() {
            match &self.op.request_body {
                Some(name) => {
                    let at = pointer_join("/components/schemas", name);
                    self.fields(&body, &at, "", "");
                }
                None => {
                    let op = self.op.pointer.clone();
                    for f in &body {
                        self.push(
                            Kind::ParameterAdded,
                            &f.name,
                            Some(format!("body {}", f.ty.shape())),
                            None,
                            &op,
                        );
                    }
                }
            }
        }
    }

    pub(super) fn compare_param(&mut self, p: &Parameter, s: &Param) {
        let anchor = self.param_anchor(s);
        self.visited.insert(anchor.clone());
        let name = s.name.as_str();
        let location = match s.location {
            Location::Path => ParamLocation::Path,
            Location::Query => ParamLocation::Query,
            Location::Header => ParamLocation::Header,
        };
        if p.location != location {
            self.push(
                Kind::ParameterLocation,
                name,
                Some(p.location.as_str().into()),
                Some(location.as_str().into()),
                &anchor,
            );
        }
        let page_type = p.ty.shape();
        let spec_type = type_of_param(s);
        let comparable = if spec_type == "array" {
            page_type.starts_with("array")
        } else {
            page_type == spec_type
        };
        if !comparable {
            self.push(
                Kind::ParameterType,
                name,
                Some(page_type),
                Some(spec_type.clone()),
                &anchor,
            );
        }
        if let Some(required) = p.required
            && required != s.required
        {
            self.push(
                Kind::ParameterRequired,
                name,
                Some(required.to_string()),
                Some(s.required.to_string()),
                &anchor,
            );
        }
        if !p.bounds.is_empty() {
            let (mut min, mut max) = (None, None);
            for rule in &s.rules {
                match rule {
                    Rule::Integer { min: lo, max: hi } if spec_type == "integer" => {
                        min = *lo;
                        max = *hi;
                    }
                    Rule::MinLength(n) if spec_type == "string" => min = i64::try_from(*n).ok(),
                    Rule::MaxLength(n) if spec_type == "string" => max = i64::try_from(*n).ok(),
                    _ => {}
                }
            }
            // "At least 0" said of a string (`大于等于0` on a time in
            // `YYYYMMDDHHmmss`) holds for every string: no length bound.
            let page_min = p.bounds.min.filter(|n| !(spec_type == "string" && *n == 0));
            let differs = (page_min.is_some() && page_min != min)
                || (p.bounds.max.is_some() && p.bounds.max != max);
            if differs {
                self.push(
                    Kind::ParameterBounds,
                    name,
                    Some(bounds_text(p.bounds.min, p.bounds.max)),
                    Some(bounds_text(min, max)),
                    &anchor,
                );
            }
        }
        self.unsourced(p, s, &anchor);
        if let Some(default) = &p.default {
            let spec_default = s.default.as_ref().map(value_text);
            if spec_default.as_deref() != Some(default.as_str()) {
                self.push(
                    Kind::ParameterDefault,
                    name,
                    Some(default.clone()),
                    spec_default,
                    &anchor,
                );
            }
        }
        if !p.enumeration.is_empty() {
            let mut known: Vec<String> = s
                .rules
                .iter()
                .find_map(|r| match r {
                    Rule::OneOf(values) => Some(values.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            if let Some(list) = s
                .open_enum
                .as_ref()
                .and_then(|c| self.checked.service.open_enum(c))
            {
                known.extend(list.values.iter().cloned());
            }
            if p.enumeration.iter().any(|v| !known.contains(v)) {
                self.push(
                    Kind::ParameterEnum,
                    name,
                    Some(p.enumeration.join(", ")),
                    Some(known.join(", ")),
                    &anchor,
                );
            }
        }
    }

    /// The constraints of a spec parameter that the page does not state.
    /// Enumerations are left out: the client keeps every list open, so no
    /// value is refused for being unlisted. `minLength: 1` on a path
    /// parameter is the path's own (an empty segment would address another
    /// resource), and on a required one what "required" means.
    fn unsourced(&mut self, p: &Parameter, s: &Param, anchor: &str) {
        for rule in &s.rules {
            let constraint = match rule {
                Rule::Pattern(re) if p.pattern.is_none() => format!("pattern {re}"),
                Rule::Integer { min, max }
                    if p.bounds.is_empty() && (min.is_some() || max.is_some()) =>
                {
                    format!("range {}", bounds_text(*min, *max))
                }
                Rule::MinLength(1) if s.location == Location::Path || s.required => continue,
                Rule::MinLength(n) if p.bounds.min.is_none() => format!("minLength {n}"),
                Rule::MaxLength(n) if p.bounds.max.is_none() => format!("maxLength {n}"),
                _ => continue,
            };
            self.push(
                Kind::ConstraintUnsourced,
                &s.name,
                None,
                Some(constraint),
                anchor,
            );
        }
    }
}
