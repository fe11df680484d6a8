//! A raw TCP server on loopback whose every connection runs a script: the
//! test decides byte by byte what is answered, and when the connection is
//! closed, reset or left hanging, which an HTTP mock server cannot do.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The head of one request as it arrived (request line and headers), with
/// the number of the connection it came on (0 for the first).
#[derive(Clone, Debug)]
pub struct RawRequest {
    pub connection: usize,
    pub request_line: String,
    pub headers: Vec<(String, String)>,
}

impl RawRequest {
    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One accepted connection, handed to the script.
pub struct Conn {
    /// 0 for the first connection the server accepted, then 1, 2...
    pub number: usize,
    stream: TcpStream,
    log: Arc<Mutex<Vec<RawRequest>>>,
}

impl Conn {
    /// Reads one request head (and a `Content-Length` body, which is
    /// dropped) and records it; `None` when the client closed first.
    pub async fn read_request(&mut self) -> Option<RawRequest> {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match self.stream.read(&mut byte).await {
                Ok(1) => head.push(byte[0]),
                _ => return None,
            }
        }
        let text = String::from_utf8_lossy(&head).into_owned();
        let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
        let request_line = lines.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect();
        let request = RawRequest {
            connection: self.number,
            request_line,
            headers,
        };
        if let Some(length) = request
            .header("content-length")
            .and_then(|v| v.parse::<usize>().ok())
        {
            let mut body = vec![0u8; length];
            self.stream.read_exact(&mut body).await.ok()?;
        }
        self.log.lock().unwrap().push(request.clone());
        Some(request)
    }

    /// Writes bytes and flushes them; errors (the client left) are ignored.
    pub async fn write(&mut self, bytes: impl AsRef<[u8]>) {
        let _ = self.stream.write_all(bytes.as_ref()).await;
        let _ = self.stream.flush().await;
    }

    /// Writes `bytes` one at a time with `pause` before each.
    pub async fn drip(&mut self, bytes: impl AsRef<[u8]>, pause: Duration) {
        for byte in bytes.as_ref() {
            tokio::time::sleep(pause).await;
            if self.stream.write_all(&[*byte]).await.is_err() {
                return;
            }
        }
    }

    /// Ends the connection with a TCP reset (RST), not an orderly close.
    pub fn reset(self) {
        let _ = self.stream.set_zero_linger();
        drop(self.stream);
    }

    /// Ends the connection with an orderly close (FIN).
    pub async fn close(mut self) {
        let _ = self.stream.shutdown().await;
    }

    /// Keeps the connection open, saying nothing, until the client leaves.
    pub async fn hang(mut self) {
        let mut sink = [0u8; 1024];
        while matches!(self.stream.read(&mut sink).await, Ok(n) if n > 0) {}
    }
}

type Script = Arc<dyn Fn(Conn) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// The server: its address, how many connections it accepted and the
/// requests it read. Dropping it stops accepting.
pub struct Scripted {
    address: SocketAddr,
    accepted: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<RawRequest>>>,
    task: JoinHandle<()>,
}

impl Scripted {
    /// Starts a server running `script` on each connection it accepts.
    pub async fn start<F, Fut>(script: F) -> Self
    where
        F: Fn(Conn) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let script: Script = Arc::new(move |conn| Box::pin(script(conn)));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (count, requests) = (accepted.clone(), log.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let number = count.fetch_add(1, Ordering::SeqCst);
                let conn = Conn {
                    number,
                    stream,
                    log: requests.clone(),
                };
                tokio::spawn(script(conn));
            }
        });
        Self {
            address,
            accepted,
            log,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// `127.0.0.1:PORT`, as a `Host` or `Location` names it.
    pub fn authority(&self) -> String {
        self.address.to_string()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Request heads read so far, in order of arrival.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// An HTTP/1.1 response head with these headers and `Content-Length`.
pub fn head(status: &str, headers: &[(&str, &str)], content_length: Option<usize>) -> String {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(length) = content_length {
        out.push_str(&format!("Content-Length: {length}\r\n"));
    }
    out.push_str("\r\n");
    out
}

/// A complete `200 OK` JSON response carrying `X-Request-Id: request_id`.
pub fn json_ok(request_id: &str, body: &[u8]) -> Vec<u8> {
    let mut out = head(
        "200 OK",
        &[
            ("Content-Type", "application/json"),
            ("X-Request-Id", request_id),
        ],
        Some(body.len()),
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}
