//! Every paged operation walks all its pages, from the tables: each
//! operation with `x-hwc-paging` (`workspace_tests::operations::walks`, from
//! the published documents and checked against `SERVICES`) is walked through
//! its generated `paginate()` against a server that pages a list of items
//! by the operation's own parameters: every item comes once and in order,
//! each request asks for the next position with the chosen page size, and
//! the walk stops at the total without asking for an empty page.
//! `runtime_behaviour.rs` and `tests/data/shapes/` cover the paging styles
//! no service uses yet.

use std::sync::{Arc, Mutex};

use huaweicloud_tasks::{Config, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use workspace_tests::operations::{self, Endpoint, Walk};
use workspace_tests::wire::deref;

const ITEMS: u64 = 25;
const PAGE: u64 = 10;

/// Serves `ITEMS` items, sliced by the walk's position and limit
/// parameters, each with its number in `field`, and records each request's
/// (position, limit).
struct Pages {
    walk: &'static Walk,
    field: String,
    seen: Arc<Mutex<Vec<(u64, u64)>>>,
}

/// A plain string member of the operation's items (no open list, no
/// tolerant scalar), which decodes and encodes again unchanged: where each
/// served item carries its number.
fn marker_field(walk: &Walk) -> String {
    let op = walk.operation();
    let document: Value = workspace_tests::published_document(op.module);
    let response = deref(
        &document,
        &document["paths"][op.path][op.method.to_lowercase()]["responses"][op.status.to_string()],
    );
    let page = deref(
        &document,
        &response["content"]["application/json"]["schema"],
    );
    let list = deref(&document, &page["properties"][walk.items]);
    let item = deref(&document, &list["items"]);
    let properties = item["properties"].as_object().expect("item properties");
    let mut plain: Vec<&String> = properties
        .iter()
        .filter(|(_, schema)| {
            let schema = deref(&document, schema);
            schema["type"] == "string"
                && [
                    "enum",
                    "x-hwc-open-enum",
                    "x-hwc-scalar",
                    "format",
                    "pattern",
                ]
                .iter()
                .all(|key| schema.get(key).is_none())
        })
        .map(|(name, _)| name)
        .collect();
    plain.sort();
    plain
        .first()
        .map(|name| name.to_string())
        .unwrap_or_else(|| panic!("{}: no plain string member in the items", op.label()))
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<u64>().ok())
        };
        let offset = self.walk.offset.expect("offset paging");
        let position = query(offset).unwrap_or(self.walk.first_offset);
        let limit = query(self.walk.limit).unwrap_or(PAGE);
        self.seen.lock().unwrap().push((position, limit));
        let start = position.saturating_sub(self.walk.first_offset);
        let items: Vec<Value> = (start..(start + limit).min(ITEMS))
            .map(|i| json!({ self.field.as_str(): format!("item-{i:04}") }))
            .collect();
        let mut body = json!({});
        body[self.walk.items] = Value::Array(items);
        if let Some(total) = self.walk.total {
            // A dotted name is a member of a nested object.
            let mut at = &mut body;
            let mut names = total.split('.').peekable();
            while let Some(name) = names.next() {
                at = &mut at[name];
                if names.peek().is_none() {
                    *at = json!(ITEMS);
                }
            }
        }
        ResponseTemplate::new(200).set_body_json(body)
    }
}

#[tokio::test]
async fn every_paged_operation_walks_every_page_once() {
    let walks = operations::walks();
    assert!(!walks.is_empty(), "no paged operation");
    for walk in walks {
        let label = walk.operation().label();
        assert!(
            walk.offset.is_some(),
            "{label}: a paging style without a position parameter needs a responder here"
        );
        let server = MockServer::start().await;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let field = marker_field(walk);
        Mock::given(any())
            .respond_with(Pages {
                walk,
                field: field.clone(),
                seen: seen.clone(),
            })
            .mount(&server)
            .await;
        let config = Config::anonymous()
            .endpoint(server.uri())
            .retry(RetryPolicy::disabled());
        let op = walk.operation();
        let items = (walk.call)(Endpoint::new(&config, op.service(), None), PAGE)
            .await
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let ids: Vec<&str> = items
            .iter()
            .map(|i| i[field.as_str()].as_str().unwrap_or(""))
            .collect();
        let expected: Vec<String> = (0..ITEMS).map(|i| format!("item-{i:04}")).collect();
        assert_eq!(ids, expected, "{label}: every item once, in order");
        let first = walk.first_offset;
        let asked: Vec<(u64, u64)> = (0..ITEMS.div_ceil(PAGE))
            .map(|page| (first + page * PAGE, PAGE))
            .collect();
        // With a total or without, the third page (short, reaching the
        // total) is the last asked for.
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen, asked, "{label}: positions and page sizes asked for");
    }
}
