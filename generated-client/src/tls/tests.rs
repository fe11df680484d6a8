//! Real handshakes over loopback sockets: a one-shot HTTPS server with a
//! self-signed certificate, and reqwest clients built from the ring
//! configuration with the platform's verifier plus that certificate as an
//! extra root.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{CertifiedKey, KeyPair};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ProtocolVersion, ServerConfig, SupportedProtocolVersion};
use rustls_platform_verifier::Verifier;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::ring::{NoRoots, client_config, with_verifier};

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A self-signed certificate for `name`, with rcgen's fixed subject.
fn certificate(name: &str) -> CertifiedKey<KeyPair> {
    rcgen::generate_simple_self_signed(vec![name.to_string()]).expect("certificate")
}

/// A self-signed certificate for `name` whose subject (so issuer) is
/// `common_name`.
fn certificate_named(name: &str, common_name: &str) -> CertifiedKey<KeyPair> {
    let mut params = rcgen::CertificateParams::new(vec![name.to_string()]).expect("names");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, common_name);
    let signing_key = KeyPair::generate().expect("key");
    let cert = params.self_signed(&signing_key).expect("certificate");
    CertifiedKey { cert, signing_key }
}

/// What the server saw of a completed handshake.
#[derive(Debug)]
struct Handshake {
    version: Option<ProtocolVersion>,
    alpn: Option<Vec<u8>>,
}

/// Serves one HTTPS request on loopback with `cert`, speaking only
/// `versions`; answers `200 ok`.
async fn serve_once(
    cert: &CertifiedKey<KeyPair>,
    versions: &[&'static SupportedProtocolVersion],
) -> (SocketAddr, JoinHandle<std::io::Result<Handshake>>) {
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.signing_key.serialize_der()));
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(versions)
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert.der().clone()], key)
        .expect("server certificate");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let task = tokio::spawn(async move {
        let (socket, _) = listener.accept().await?;
        let mut tls = acceptor.accept(socket).await?;
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = tls.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        tls.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
            .await?;
        tls.shutdown().await?;
        let (_, connection) = tls.get_ref();
        Ok(Handshake {
            version: connection.protocol_version(),
            alpn: connection.alpn_protocol().map(<[u8]>::to_vec),
        })
    });
    (addr, task)
}

/// A client of the ring configuration that trusts the platform's roots and
/// `extra`, reaching `localhost` at `addr`.
fn client(extra: &CertificateDer<'static>, addr: SocketAddr) -> reqwest::Client {
    let verifier = Verifier::new_with_extra_roots([extra.clone()], provider()).expect("verifier");
    client_with(with_verifier(provider(), Arc::new(verifier)), addr)
}

fn client_with(config: rustls::ClientConfig, addr: SocketAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .resolve("localhost", addr)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

async fn get(client: &reqwest::Client, addr: SocketAddr) -> Result<String, String> {
    let url = format!("https://localhost:{}/", addr.port());
    match client.get(url).send().await {
        Ok(response) => Ok(response.text().await.map_err(|e| e.to_string())?),
        Err(error) => Err(chain(&error)),
    }
}

/// An error with all its sources, where rustls's reason is.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

async fn handshake_with(versions: &[&'static SupportedProtocolVersion]) -> Handshake {
    let cert = certificate("localhost");
    let (addr, server) = serve_once(&cert, versions).await;
    let body = get(&client(cert.cert.der(), addr), addr).await;
    assert_eq!(body.as_deref(), Ok("ok"));
    server.await.expect("server task").expect("server side")
}

#[tokio::test]
async fn trusted_certificate_over_tls13() {
    let handshake = handshake_with(&[&rustls::version::TLS13]).await;
    assert_eq!(handshake.version, Some(ProtocolVersion::TLSv1_3));
    assert_eq!(handshake.alpn.as_deref(), Some(&b"http/1.1"[..]));
}

#[tokio::test]
async fn trusted_certificate_over_tls12() {
    let handshake = handshake_with(&[&rustls::version::TLS12]).await;
    assert_eq!(handshake.version, Some(ProtocolVersion::TLSv1_2));
}

async fn refused(trusted: &CertifiedKey<KeyPair>, served: &CertifiedKey<KeyPair>) -> String {
    let (addr, server) = serve_once(served, &[&rustls::version::TLS13]).await;
    let error = get(&client(trusted.cert.der(), addr), addr)
        .await
        .expect_err("an untrusted certificate is refused");
    server.abort();
    error
}

#[tokio::test]
async fn certificate_from_an_unknown_issuer_is_refused() {
    let trusted = certificate_named("localhost", "trusted test root");
    let served = certificate_named("localhost", "someone else");
    let error = refused(&trusted, &served).await;
    assert!(error.contains("UnknownIssuer"), "{error}");
}

/// Same subject as the trusted root, another key: the name alone earns no
/// trust.
#[tokio::test]
async fn certificate_with_a_trusted_name_but_another_key_is_refused() {
    let error = refused(&certificate("localhost"), &certificate("localhost")).await;
    assert!(error.contains("BadSignature"), "{error}");
}

#[tokio::test]
async fn certificate_for_another_name_is_refused() {
    let cert = certificate("other.example");
    let (addr, server) = serve_once(&cert, &[&rustls::version::TLS13]).await;
    let error = get(&client(cert.cert.der(), addr), addr)
        .await
        .expect_err("a certificate for another host is refused");
    assert!(error.contains("not valid for name"), "{error}");
    server.abort();
}

/// The client `Config::build` makes, with the platform's roots only: a
/// self-signed certificate is not among them. (With no other TLS feature,
/// reqwest has no crypto provider of its own: a client built without this
/// module's configuration would panic here.)
#[tokio::test]
async fn config_build_refuses_a_self_signed_certificate() {
    let cert = certificate("localhost");
    let (addr, server) = serve_once(&cert, &[&rustls::version::TLS13]).await;
    let (base, http, _) = crate::Config::anonymous()
        .endpoint(format!("https://localhost:{}", addr.port()))
        .build(crate::SERVICES[0])
        .expect("a client");
    let error = http.get(base).send().await.expect_err("refused");
    let error = chain(&error);
    assert!(error.contains("UnknownIssuer"), "{error}");
    server.abort();
}

#[tokio::test]
async fn without_roots_every_server_is_refused_with_the_reason() {
    let cert = certificate("localhost");
    let (addr, server) = serve_once(&cert, &[&rustls::version::TLS13]).await;
    let config = with_verifier(
        provider(),
        Arc::new(NoRoots::new(&provider(), "no CA bundle here".into())),
    );
    let error = get(&client_with(config, addr), addr)
        .await
        .expect_err("refused");
    assert!(
        error.contains("cannot verify the server's certificate: no CA bundle here"),
        "{error}"
    );
    server.abort();
}

#[test]
fn offers_http_1_1_with_sni() {
    let config = client_config();
    assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
    assert!(config.enable_sni);
}

/// Set in the child process of `no_system_roots_*`.
const CHILD: &str = "HWC_TLS_TEST_NO_SYSTEM_ROOTS";

/// With no root certificate on the system (`SSL_CERT_FILE` and
/// `SSL_CERT_DIR` naming an empty file and folder), `Config::build` still
/// builds the client and every handshake fails, saying why. The variables
/// are process-wide, so the check runs in a child process of this binary.
#[test]
fn no_system_roots_fails_each_handshake_saying_why() {
    let dir = std::env::temp_dir().join(format!("hwc-tls-no-roots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let file = dir.join("empty.pem");
    std::fs::write(&file, "").expect("empty bundle");
    let output = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "tls::tests::in_child_without_system_roots",
            "--ignored",
        ])
        .env("SSL_CERT_FILE", &file)
        .env("SSL_CERT_DIR", &dir)
        .env(CHILD, "1")
        .output()
        .expect("child test process");
    std::fs::remove_dir_all(&dir).ok();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("1 passed"), "{stdout}{stderr}");
}

#[tokio::test]
#[ignore = "run in a child process by no_system_roots_fails_each_handshake_saying_why"]
async fn in_child_without_system_roots() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let cert = certificate("localhost");
    let (addr, server) = serve_once(&cert, &[&rustls::version::TLS13]).await;
    let (base, http, _) = crate::Config::anonymous()
        .endpoint(format!("https://localhost:{}", addr.port()))
        .build(crate::SERVICES[0])
        .expect("the client builds without roots");
    let error = chain(&http.get(base).send().await.expect_err("refused"));
    assert!(
        error.contains("cannot verify the server's certificate: No CA certificates"),
        "{error}"
    );
    server.abort();
}
