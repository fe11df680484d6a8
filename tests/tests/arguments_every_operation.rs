//! Integer bounds and patterns of every operation, from the tables: each bounded query
//! parameter of each operation (`workspace_tests::operations::bounded`, from
//! the published documents and checked against `SERVICES`) is refused one
//! past either bound, naming the operation, the parameter, the value and the
//! allowed range, with nothing sent; at the bounds it is sent as given.
//! Each string parameter with a pattern refuses a stray text and sends a
//! time in a form its pattern allows. `arguments.rs` holds the rest (empty
//! path parameters, time conversions, values no source constrains).

use huaweicloud_tasks::{Config, ErrorKind, RetryPolicy};
use wiremock::MockServer;
use workspace_tests::operations::{self, Bounded, Endpoint, Pending};
use workspace_tests::wire::{empty_page_server, query_pairs, received};

/// Runs `call` (a call of `module`'s operation `id`) against a server that
/// answers an empty page, without retries.
async fn on_empty_server(
    module: &str,
    id: &str,
    call: impl FnOnce(Endpoint) -> Pending,
) -> (
    MockServer,
    Result<serde_json::Value, huaweicloud_tasks::Error>,
) {
    let server = empty_page_server().await;
    let config = Config::anonymous()
        .endpoint(server.uri())
        .retry(RetryPolicy::disabled());
    let op = operations::all()
        .iter()
        .find(|op| op.module == module && op.id == id)
        .expect("the operation of the parameter");
    let result = call(Endpoint::new(&config, op.service(), None)).await;
    (server, result)
}

async fn call(bounded: &Bounded, value: i64) -> (MockServer, Result<(), huaweicloud_tasks::Error>) {
    let (server, result) =
        on_empty_server(bounded.module, bounded.id, |to| (bounded.call)(to, value)).await;
    (server, result.map(|_| ()))
}

#[tokio::test]
async fn one_past_a_bound_is_refused_and_the_bound_itself_is_sent() {
    let all = operations::bounded();
    assert!(!all.is_empty(), "no bounded parameter anywhere");
    for bounded in all {
        let label = bounded.label();
        let outside = [bounded.min.map(|m| m - 1), bounded.max.map(|m| m + 1)];
        for value in outside.into_iter().flatten() {
            let (server, result) = call(bounded, value).await;
            let error = result.expect_err(&format!("{label}={value} is refused"));
            assert_eq!(
                error.kind(),
                ErrorKind::InvalidArgument,
                "{label}={value}: {error}"
            );
            assert_eq!(error.operation(), bounded.name, "{label}");
            assert_eq!(error.attempts(), 0, "{label}={value}");
            assert!(received(&server).await.is_empty(), "{label}={value}: sent");
            if i32::try_from(value).is_err() {
                // A bound at the end of the 32-bit range: the typed setter
                // cannot hold the value, and says so itself.
                continue;
            }
            let message = error.to_string();
            assert!(
                message.contains(&format!("`{}` = \"{value}\"", bounded.parameter)),
                "{label}={value}: {message}"
            );
            for bound in [bounded.min, bounded.max].into_iter().flatten() {
                assert!(
                    message.contains(&bound.to_string()),
                    "{label}={value}: the range is not named: {message}"
                );
            }
        }
        for value in [bounded.min, bounded.max].into_iter().flatten() {
            // Whatever the empty answer decodes to: the request is what counts.
            let (server, _) = call(bounded, value).await;
            let requests = received(&server).await;
            assert_eq!(requests.len(), 1, "{label}={value}: sent once");
            let sent: Vec<String> = query_pairs(&requests[0])
                .into_iter()
                .filter(|(k, _)| k == bounded.parameter)
                .map(|(_, v)| v)
                .collect();
            assert_eq!(sent, [value.to_string()], "{label}={value}");
        }
    }
}

/// Every string parameter with a pattern (`workspace_tests::operations::
/// patterned`, from the published documents): a text that is not a time
/// and matches no such pattern is refused before sending, naming the
/// operation and the parameter; an RFC 3339 time is sent, and what arrives
/// matches the parameter's pattern, whether the client sends the text as
/// given (DDS) or a time scalar in the service's own format (DCS's
/// `yyyyMMddHHmmss`, openGauss's milliseconds).
#[tokio::test]
async fn a_patterned_parameter_refuses_a_stray_text_and_sends_what_its_pattern_allows() {
    let all = operations::patterned();
    assert!(!all.is_empty(), "no patterned parameter anywhere");
    for patterned in all {
        let label = patterned.label();
        let pattern = regex_lite::Regex::new(patterned.pattern).expect("the pattern compiles");
        let run = |value: &'static str| {
            on_empty_server(patterned.module, patterned.id, move |to| {
                (patterned.call)(to, value)
            })
        };

        let stray = "yesterday at noon";
        assert!(!pattern.is_match(stray), "{label}: {stray:?} matches");
        let (server, result) = run(stray).await;
        let error = result.expect_err(&format!("{label}: {stray:?} is refused"));
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{label}: {error}");
        assert_eq!(error.operation(), patterned.name, "{label}");
        assert!(
            error.to_string().contains(patterned.parameter),
            "{label}: {error}"
        );
        assert!(received(&server).await.is_empty(), "{label}: sent");

        let (server, _) = run("2026-12-01T10:00:00Z").await;
        let requests = received(&server).await;
        assert_eq!(requests.len(), 1, "{label}: sent once");
        let sent: Vec<String> = query_pairs(&requests[0])
            .into_iter()
            .filter(|(k, _)| k == patterned.parameter)
            .map(|(_, v)| v)
            .collect();
        assert_eq!(sent.len(), 1, "{label}: {sent:?}");
        assert!(
            pattern.is_match(&sent[0]),
            "{label}: {:?} does not match {}",
            sent[0],
            patterned.pattern
        );
    }
}
