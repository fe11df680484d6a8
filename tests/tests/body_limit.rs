//! The cap on response bodies (`Config::max_response_body`): a longer body
//! fails the call as soon as the cap is passed, without reading the rest,
//! and is not retried. Raw loopback servers control exactly what is sent.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use huaweicloud_tasks::{Config, ErrorKind, dcs};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;
use workspace_tests::wire::{PROJECT, json_response, quick_retries, server_answering};

/// What a raw server sends after the head.
#[derive(Clone, Copy)]
enum Body {
    /// Bytes without end (bounded at 1 GiB and 20 s, so a failing test stops).
    Endless,
    /// Nothing: the connection stays open until the client closes it (or
    /// 30 s pass, so a failing test stops).
    Silent,
}

/// How one connection ended: bytes of body written, whether a write failed
/// or a read saw the connection closed (the client went away). Counts, not
/// times: how fast a loaded machine moves bytes is not the client's doing.
#[derive(Debug)]
struct Outcome {
    written: usize,
    broken: bool,
}

/// A loopback HTTP/1.1 server that answers every request with `head`, then
/// `body`; it counts connections and reports how each one ended.
async fn raw_server(
    head: &str,
    body: Body,
) -> (String, Arc<AtomicUsize>, mpsc::UnboundedReceiver<Outcome>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let (report, outcomes) = mpsc::unbounded_channel();
    let head = head.replace('\n', "\r\n") + "\r\n";
    let count = accepted.clone();
    tokio::spawn(async move {
        // A handful of connections at most: the tests make one or two.
        for _ in 0..8 {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            count.fetch_add(1, Ordering::SeqCst);
            let head = head.clone();
            let report = report.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 65536 {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let started = Instant::now();
                let mut outcome = Outcome {
                    written: 0,
                    broken: socket.write_all(head.as_bytes()).await.is_err(),
                };
                match body {
                    Body::Endless => {
                        let chunk = vec![b' '; 16 * 1024];
                        while !outcome.broken
                            && outcome.written < 1 << 30
                            && started.elapsed() < Duration::from_secs(20)
                        {
                            match socket.write_all(&chunk).await {
                                Ok(()) => outcome.written += chunk.len(),
                                Err(_) => outcome.broken = true,
                            }
                        }
                    }
                    Body::Silent => {
                        let mut rest = [0u8; 1024];
                        // Ok(0) or an error: the client closed the connection.
                        let read =
                            tokio::time::timeout(Duration::from_secs(30), socket.read(&mut rest))
                                .await;
                        outcome.broken = matches!(read, Ok(Ok(0) | Err(_)));
                    }
                }
                let _ = report.send(outcome);
            });
        }
    });
    (uri, accepted, outcomes)
}

fn client(config: Config, uri: &str) -> dcs::Client {
    dcs::Client::from_config(&config.endpoint(uri).retry(quick_retries())).unwrap()
}

#[tokio::test]
async fn a_body_past_the_limit_fails_at_once_and_is_not_read_to_its_end() {
    let (uri, accepted, mut outcomes) = raw_server(
        "HTTP/1.1 200 OK\nContent-Type: application/json\nX-Request-Id: req-endless\nConnection: close\n",
        Body::Endless,
    )
    .await;
    let limit = 64 * 1024;
    let error = client(Config::anonymous().max_response_body(limit), &uri)
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge, "{error}");
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.request_id(), Some("req-endless"));
    assert_eq!(error.attempts(), 1, "not retried");
    assert!(!error.is_retryable());
    let message = error.to_string();
    for part in [
        "ListCenterTask: response body too large, status 200",
        "limit of 65536 bytes",
        "max_response_body",
        "(request id req-endless)",
    ] {
        assert!(message.contains(part), "{part:?} not in {message}");
    }
    // The client hung up: the server's writes failed long before it ran out
    // of body (the slack is what loopback socket buffers hold).
    let outcome = outcomes.recv().await.expect("the server reports");
    assert!(outcome.broken, "{outcome:?}");
    assert!(outcome.written < 64 << 20, "{outcome:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_content_length_past_the_default_limit_fails_before_any_body_arrives() {
    assert_eq!(Config::DEFAULT_MAX_RESPONSE_BODY, 16 * 1024 * 1024);
    // The head announces 256 MiB, and then nothing comes: only the header
    // can end the call before the attempt times out (a timeout would be an
    // error of another kind).
    let (uri, _, mut outcomes) = raw_server(
        "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 268435456\nX-Request-Id: req-huge\n",
        Body::Silent,
    )
    .await;
    let error = client(Config::anonymous(), &uri)
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge, "{error}");
    assert_eq!(error.request_id(), Some("req-huge"));
    let message = error.to_string();
    assert!(
        message.contains("limit of 16777216 bytes (Content-Length 268435456)"),
        "{message}"
    );
    // The connection was dropped, not left waiting for the body.
    let outcome = outcomes.recv().await.expect("the server reports");
    assert!(
        outcome.broken,
        "the client closed the connection: {outcome:?}"
    );
    assert_eq!(outcome.written, 0, "{outcome:?}");
}

#[tokio::test]
async fn an_error_status_past_the_limit_is_not_retried() {
    // 503 is retried as a rule; a body too large for the limit is not.
    let (uri, accepted, _outcomes) = raw_server(
        "HTTP/1.1 503 Service Unavailable\nContent-Length: 52428800\nX-Request-Id: req-503\n",
        Body::Silent,
    )
    .await;
    let error = client(Config::anonymous(), &uri)
        .list_center_task()
        .project_id(PROJECT)
        .call()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge, "{error}");
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.attempts(), 1);
    // Counted when accepted, before the head was sent: a retry would have
    // connected before the error could be returned.
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_larger_limit_lets_the_same_body_through() {
    let tasks: Vec<_> = (0..400)
        .map(|i| json!({ "id": format!("task-{i:05}"), "name": "x".repeat(200), "status": "SUCCESS" }))
        .collect();
    let body = json!({ "task_count": "400", "tasks": tasks });
    let size = serde_json::to_vec(&body).unwrap().len() as u64;
    assert!(size > 64 * 1024, "{size}");
    let server = server_answering(json_response(200, &body)).await;
    let list = |limit: u64| {
        let client = client(Config::anonymous().max_response_body(limit), &server.uri());
        async move { client.list_center_task().project_id(PROJECT).call().await }
    };

    let error = list(64 * 1024).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge, "{error}");
    assert!(
        error
            .to_string()
            .contains(&format!("(Content-Length {size})")),
        "{error}"
    );
    // One byte short fails, the exact size passes, and so does more.
    assert_eq!(
        list(size - 1).await.unwrap_err().kind(),
        ErrorKind::BodyTooLarge
    );
    for limit in [size, 1024 * 1024, Config::DEFAULT_MAX_RESPONSE_BODY] {
        let page = list(limit).await.unwrap();
        assert_eq!(
            page.tasks.as_ref().map(Vec::len),
            Some(400),
            "limit {limit}"
        );
    }
}
