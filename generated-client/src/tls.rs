//! The TLS setup of the HTTP client, chosen by the crate's features.
//!
//! - `rustls` (default): rustls with the *ring* crypto provider. reqwest's
//!   own `rustls` feature uses aws-lc-rs, whose C library (`aws-lc-sys`) is
//!   compiled from source and takes more than half of a consumer's clean
//!   debug build; ring's native part is small (BENCHMARKS.md, section 6).
//! - `rustls-aws-lc`: reqwest's own rustls setup with aws-lc-rs (or the
//!   process-wide provider an application installed), as reqwest builds it.
//! - `native-tls`: the platform's TLS library, as reqwest builds it.
//!
//! When `rustls-aws-lc` or `native-tls` is on as well as `rustls`, they win,
//! as reqwest itself prefers native TLS when both are compiled in.
//!
//! The ring configuration is handed to reqwest whole
//! (`tls_backend_preconfigured`) rather than installed as the process-wide
//! default provider, which is set once per process and would clash with an
//! application's own choice (reqwest's own TLS options then no longer apply
//! to the client; `Config::build` sets none). It is what reqwest builds for
//! aws-lc-rs, with ring in its place:
//!
//! - TLS 1.3 and TLS 1.2, the provider's default cipher suites (AES-GCM and
//!   ChaCha20-Poly1305, ECDHE only);
//! - the server's certificate verified by `rustls-platform-verifier`, the
//!   verifier reqwest uses: on Linux the system's roots (through
//!   `rustls-native-certs`, honouring `SSL_CERT_FILE` and `SSL_CERT_DIR`),
//!   chain, validity period, key usage and the host name checked by webpki;
//! - ALPN `http/1.1` (the client is built without HTTP/2), SNI on, no
//!   client certificate.
//!
//! What ring lacks against aws-lc-rs: the post-quantum hybrid key exchange
//! X25519MLKEM768 (aws-lc-rs lists it after X25519 and sends no key share
//! for it, so only a server that asks for it gets it) and signatures with
//! P-521 and ML-DSA keys, which the web PKI does not use today (Mozilla's
//! root store admits ECDSA keys on P-256 and P-384 only). Choose
//! `rustls-aws-lc` where those matter.

/// `builder` with the TLS setup of this crate's features.
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    #[cfg(all(
        feature = "rustls",
        not(any(feature = "rustls-aws-lc", feature = "native-tls"))
    ))]
    let builder = builder.tls_backend_preconfigured(ring::client_config());
    builder
}

#[cfg(all(
    feature = "rustls",
    not(any(feature = "rustls-aws-lc", feature = "native-tls"))
))]
mod ring {
    use std::sync::Arc;

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};

    /// The ring provider with the platform's verifier. Without any usable
    /// root certificate (a container without a CA bundle) every handshake
    /// fails, naming the reason; building the client itself cannot fail
    /// here, as with native TLS.
    pub(super) fn client_config() -> ClientConfig {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier: Arc<dyn ServerCertVerifier> =
            match rustls_platform_verifier::Verifier::new(provider.clone()) {
                Ok(verifier) => Arc::new(verifier),
                Err(error) => {
                    tracing::warn!(%error, "no root certificates: every TLS connection will fail");
                    let reason = match error {
                        rustls::Error::General(reason) => reason,
                        other => other.to_string(),
                    };
                    Arc::new(NoRoots::new(&provider, reason))
                }
            };
        with_verifier(provider, verifier)
    }

    /// A client configuration of `provider` that checks servers with
    /// `verifier` (tests pass one with their own root).
    pub(super) fn with_verifier(
        provider: Arc<CryptoProvider>,
        verifier: Arc<dyn ServerCertVerifier>,
    ) -> ClientConfig {
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            // Fails only for a provider without suites for these versions;
            // ring's default provider has both.
            .expect("the ring provider supports TLS 1.3 and 1.2")
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        // HTTP/1.1 only: the client is built without HTTP/2 (the services
        // answer HTTP/1.1, and the h2 stack would add to every build).
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        config
    }

    /// Refuses every server: there is nothing to verify it against.
    #[derive(Debug)]
    pub(super) struct NoRoots {
        reason: String,
        schemes: Vec<SignatureScheme>,
    }

    impl NoRoots {
        pub(super) fn new(provider: &CryptoProvider, reason: String) -> Self {
            Self {
                reason,
                schemes: provider
                    .signature_verification_algorithms
                    .supported_schemes(),
            }
        }

        fn refuse<T>(&self) -> Result<T, rustls::Error> {
            Err(rustls::Error::General(format!(
                "cannot verify the server's certificate: {}",
                self.reason
            )))
        }
    }

    impl ServerCertVerifier for NoRoots {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            self.refuse()
        }

        fn verify_tls12_signature(
            &self,
            _message: &[u8],
            _cert: &CertificateDer<'_>,
            _dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.refuse()
        }

        fn verify_tls13_signature(
            &self,
            _message: &[u8],
            _cert: &CertificateDer<'_>,
            _dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.refuse()
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.schemes.clone()
        }
    }
}

#[cfg(all(
    test,
    feature = "rustls",
    not(any(feature = "rustls-aws-lc", feature = "native-tls"))
))]
mod tests;
