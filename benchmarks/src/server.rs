//! A loopback HTTP/1.1 server answering DCS `ListCenterTask` with precomputed
//! pages, so that serving costs a lookup and a reference-counted clone of the
//! body and the server is never what a paging benchmark measures.
//!
//! Run it in its own process (the `paging` binary starts itself with `serve`)
//! so its page bodies never count in the client's memory.

use std::convert::Infallible;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::payload::{Operation, page};

/// Project id in the paths the clients request.
pub const PROJECT_ID: &str = "a4d31cb63d724fdc8ec96e3a41e47f71";

/// The page bodies of one listing of `total` tasks.
pub struct Pages {
    page_size: usize,
    bodies: Vec<Bytes>,
    empty: Bytes,
}

impl Pages {
    /// Builds every page of a listing of `total` DCS task-center tasks.
    pub fn precompute(total: usize, page_size: usize) -> Self {
        let bodies = (0..total.div_ceil(page_size))
            .map(|p| {
                let first = p * page_size;
                let count = page_size.min(total - first);
                Bytes::from(page(Operation::DcsCenter, first, count, total))
            })
            .collect();
        Self {
            page_size,
            bodies,
            empty: Bytes::from(page(Operation::DcsCenter, total, 0, total)),
        }
    }

    /// Total size of the page bodies in bytes.
    pub fn bytes(&self) -> usize {
        self.bodies.iter().map(Bytes::len).sum()
    }

    fn answer(&self, query: Option<&str>) -> Result<Bytes, String> {
        let mut offset = 0usize;
        let mut limit = None;
        for pair in query.unwrap_or_default().split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let number = || value.parse::<usize>().map_err(|_| format!("bad {key}"));
            match key {
                "offset" => offset = number()?,
                "limit" => limit = Some(number()?),
                _ => {}
            }
        }
        if limit != Some(self.page_size) || !offset.is_multiple_of(self.page_size) {
            return Err(format!(
                "this server serves pages of {} at multiples of it, got offset {offset} limit {limit:?}",
                self.page_size
            ));
        }
        Ok(self
            .bodies
            .get(offset / self.page_size)
            .cloned()
            .unwrap_or_else(|| self.empty.clone()))
    }
}

/// Serves `pages` on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, pages: Arc<Pages>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let pages = Arc::clone(&pages);
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                let pages = Arc::clone(&pages);
                async move { Ok::<_, Infallible>(respond(&pages, &request)) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn respond(pages: &Pages, request: &Request<Incoming>) -> Response<Full<Bytes>> {
    let expected = format!("/v2/{PROJECT_ID}/tasks");
    let (status, body) = if request.uri().path() != expected {
        (
            StatusCode::NOT_FOUND,
            Bytes::from_static(br#"{"error_code":"DCS.4001","error_msg":"no such path"}"#),
        )
    } else {
        match pages.answer(request.uri().query()) {
            Ok(body) => (StatusCode::OK, body),
            Err(message) => (
                StatusCode::BAD_REQUEST,
                Bytes::from(
                    serde_json::json!({"error_code": "DCS.4000", "error_msg": message}).to_string(),
                ),
            ),
        }
    };
    Response::builder()
        .status(status)
        .header("content-type", "application/json;charset=UTF-8")
        .header("x-request-id", "0c2bfa7e5a1f4f6c9c1c3d6f0e8a9b7d")
        .body(Full::new(body))
        .expect("static headers are valid")
}

/// Runs the server in this process: prints `listening http://ADDR` on stdout
/// and serves until standard input closes (the parent ended) or an hour has
/// passed, whichever comes first.
pub fn run_server_process(total: usize, page_size: usize) {
    let pages = Arc::new(Pages::precompute(total, page_size));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        println!("listening http://{addr} {} bytes", pages.bytes());
        std::io::stdout().flush().expect("stdout");
        let server = tokio::spawn(serve(listener, pages));
        let stdin_closed = tokio::task::spawn_blocking(|| {
            let mut sink = String::new();
            while std::io::stdin().read_line(&mut sink).unwrap_or(0) > 0 {
                sink.clear();
            }
        });
        tokio::select! {
            _ = stdin_closed => {}
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
        server.abort();
    });
}

/// A server started as a child process of this one; ended when dropped.
pub struct ServerProcess {
    child: Child,
    _stdin: ChildStdin,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
}

impl ServerProcess {
    /// Starts `current_exe() serve --total N --page-size P`; the binary must
    /// handle that subcommand with [`run_server_process`].
    pub fn spawn(total: usize, page_size: usize) -> Self {
        let exe = std::env::current_exe().expect("path of this program");
        let mut child = Command::new(exe)
            .args([
                "serve",
                "--total",
                &total.to_string(),
                "--page-size",
                &page_size.to_string(),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server process");
        let stdin = child.stdin.take().expect("piped stdin");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("server announces its address");
        let base_url = line
            .split_whitespace()
            .nth(1)
            .unwrap_or_else(|| panic!("unexpected server greeting {line:?}"))
            .to_string();
        Self {
            child,
            _stdin: stdin,
            base_url,
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
