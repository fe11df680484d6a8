//! The document's own facts, read from the ordered document so they keep
//! the order written: its servers with their variables, its security
//! requirements and schemes, and where each operation is listed.

use std::collections::BTreeMap;

use super::{SecurityScheme, Server, ServerVariable};
use crate::error::pointer_join;
use crate::spec::document::Node;
use crate::spec::walk::METHODS;

/// Where the document lists each operation (by the JSON pointer of the
/// operation object): paths as written, then methods as written.
pub(super) fn positions(doc: &Node) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (path, item) in doc.get("paths").map(Node::entries).unwrap_or_default() {
        let at = pointer_join("/paths", path);
        for (method, _) in item.entries() {
            if METHODS.contains(&method.as_str()) {
                let next = out.len();
                out.insert(pointer_join(&at, method), next);
            }
        }
    }
    out
}

pub(super) fn servers(doc: &Node) -> Vec<Server> {
    doc.get("servers")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .map(|server| Server {
            url: server.text("url").unwrap_or_default(),
            description: server.text("description"),
            variables: server
                .get("variables")
                .map(Node::entries)
                .unwrap_or_default()
                .iter()
                .map(|(name, variable)| ServerVariable {
                    name: name.clone(),
                    description: variable.text("description"),
                    default: variable
                        .get("default")
                        .map(Node::to_text)
                        .unwrap_or_default(),
                    values: variable
                        .get("enum")
                        .and_then(Node::as_array)
                        .unwrap_or_default()
                        .iter()
                        .map(Node::to_text)
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

pub(super) fn security(doc: &Node) -> Vec<Vec<String>> {
    doc.get("security")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .map(|r| r.entries().iter().map(|(k, _)| k.clone()).collect())
        .collect()
}

pub(super) fn security_schemes(doc: &Node) -> Vec<SecurityScheme> {
    doc.pointer("/components/securitySchemes")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(name, scheme)| SecurityScheme {
            name: name.clone(),
            kind: scheme.text("type").unwrap_or_default(),
            place: match (scheme.get("in"), scheme.get("name")) {
                (Some(i), Some(n)) => Some((i.to_text(), n.to_text())),
                _ => None,
            },
            description: scheme.text("description").unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::load::parse_document;

    #[test]
    fn the_document_s_own_facts_keep_the_order_written() {
        let doc = parse_document(
            std::path::Path::new("spec/t.yaml"),
            r#"
servers:
  - url: https://s.{region}.example.com/{base}
    variables:
      region: {default: r2, enum: [r2, r1], description: Region.}
      base: {default: v1}
security: [{Sig: [], Token: []}, {Token: []}]
paths:
  /b:
    delete: {}
    parameters: []
    get: {}
  /a:
    post: {}
components:
  securitySchemes:
    Token: {type: http, description: A token.}
    Sig: {type: apiKey, in: header, name: Authorization}
"#,
        )
        .unwrap();
        let order: Vec<(String, usize)> = {
            let mut by_place: Vec<_> = positions(&doc).into_iter().collect();
            by_place.sort_by_key(|(_, at)| *at);
            by_place
        };
        assert_eq!(
            order,
            [
                ("/paths/~1b/delete".to_string(), 0),
                ("/paths/~1b/get".to_string(), 1),
                ("/paths/~1a/post".to_string(), 2),
            ]
        );
        let [server] = &servers(&doc)[..] else {
            panic!("one server")
        };
        let names: Vec<&str> = server.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["region", "base"]);
        assert_eq!(server.variables[0].values, ["r2", "r1"]);
        assert_eq!(server.variables[0].description.as_deref(), Some("Region."));
        assert_eq!(
            (
                server.variables[1].default.as_str(),
                server.variables[1].description.as_deref()
            ),
            ("v1", None)
        );
        assert_eq!(security(&doc), [vec!["Sig", "Token"], vec!["Token"]]);
        let schemes = security_schemes(&doc);
        let names: Vec<&str> = schemes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Token", "Sig"]);
        assert_eq!(schemes[0].place, None);
        assert_eq!(
            schemes[1].place,
            Some(("header".to_string(), "Authorization".to_string()))
        );
    }
}
