//! Which certificate authorities an IoT Hub client trusts, loaded only when a handshake needs
//! them. Shared by `dmctl`'s service client (`iothub-client`) and the device agent (`dm-agent`).
//!
//! Reading the platform's trust store is the most expensive thing a short-lived client does:
//! on a Debian-like system it means decoding every certificate of the CA bundle and walking the
//! certificate directory (hundreds of PEM files), before any byte is sent. A `dmctl` call
//! against the local hub never needs it — the hub's certificate chains to the CA given with
//! `--ca-file` — and a call against a real hub needs it once, during its first handshake. For
//! the agent, which runs for months on small devices, the store is also memory: ~150 roots kept
//! as DER plus their parsed trust anchors are about half a megabyte of heap that an agent
//! trusting its hub through `hub.ca_file` never uses.
//!
//! [`LazyRoots`] therefore verifies a server's certificate in two steps:
//!
//! 1. against the CAs the caller added (usually one certificate, parsed when the client is
//!    built so that a bad file is reported before anything is sent);
//! 2. only if that fails, and unless the caller asked for its CAs alone, against the added CAs
//!    *plus* the platform's store, read the first time this step is reached and kept for the
//!    life of the client — as parsed trust anchors only: the DER read from disk is dropped
//!    once parsed.
//!
//! The verdict is the one a single store holding both sets would give: a chain that verifies
//! against a subset of the roots verifies against the whole set, and every chain that does not
//! is checked against the whole set. The platform store is what `rustls-native-certs` reads,
//! which honours `SSL_CERT_FILE` and `SSL_CERT_DIR` (a corporate proxy's root, a custom
//! bundle) before the system's own locations.

#![warn(missing_docs, unreachable_pub, clippy::print_stdout)]

use std::fmt;
use std::sync::{Arc, OnceLock};

use rustls::client::WantsClientCert;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ConfigBuilder, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// The verifier of a store, or why the store could not be used.
type Loaded = Result<Arc<WebPkiServerVerifier>, rustls::Error>;

/// A server certificate verifier that reads the platform's trust store only when the caller's
/// own CAs do not verify the server (see the module documentation).
pub struct LazyRoots {
    provider: Arc<CryptoProvider>,
    /// The CAs added by the caller, as given (they are also part of the combined store).
    added: Vec<CertificateDer<'static>>,
    /// A verifier over the added CAs alone; `None` when none were added.
    added_only: Option<Arc<WebPkiServerVerifier>>,
    /// Whether the platform's store may be consulted at all.
    use_platform: bool,
    /// The added CAs plus the platform's store, built on first need.
    combined: OnceLock<Loaded>,
}

impl LazyRoots {
    /// A verifier trusting `added` (already-decoded certificates) and, if `use_platform`, the
    /// platform's store. Fails if an added certificate is not a usable CA certificate; the
    /// error names it by its position (1-based).
    pub fn new(
        provider: Arc<CryptoProvider>,
        added: Vec<CertificateDer<'static>>,
        use_platform: bool,
    ) -> Result<Self, TrustError> {
        let added_only = if added.is_empty() {
            None
        } else {
            let mut store = RootCertStore::empty();
            for (index, cert) in added.iter().enumerate() {
                store
                    .add(cert.clone())
                    .map_err(|source| TrustError::UnusableCa {
                        position: index + 1,
                        source,
                    })?;
            }
            Some(
                verifier_for(store, &provider).map_err(|source| TrustError::UnusableCa {
                    position: 1,
                    source,
                })?,
            )
        };
        Ok(Self {
            provider,
            added,
            added_only,
            use_platform,
            combined: OnceLock::new(),
        })
    }

    /// Whether the platform's store has been read (for tests and diagnostics).
    pub fn platform_loaded(&self) -> bool {
        self.combined.get().is_some()
    }

    /// The added CAs plus the platform's store, read on the first call.
    fn combined(&self) -> &Loaded {
        self.combined.get_or_init(|| {
            let mut store = RootCertStore::empty();
            for cert in &self.added {
                // Checked by `new`.
                let _ = store.add(cert.clone());
            }
            let platform = rustls_native_certs::load_native_certs();
            for error in &platform.errors {
                tracing::debug!(%error, "skipped part of the platform trust store");
            }
            let (loaded, ignored) = store.add_parsable_certificates(platform.certs);
            tracing::debug!(
                loaded,
                ignored,
                "read the platform trust store (SSL_CERT_FILE/SSL_CERT_DIR or the system's)"
            );
            if store.is_empty() {
                return Err(rustls::Error::General(
                    "no trusted CA certificate: the platform trust store is empty or unreadable \
                     (see SSL_CERT_FILE/SSL_CERT_DIR) and no CA was added"
                        .to_owned(),
                ));
            }
            verifier_for(store, &self.provider)
        })
    }
}

fn verifier_for(store: RootCertStore, provider: &Arc<CryptoProvider>) -> Loaded {
    WebPkiServerVerifier::builder_with_provider(Arc::new(store), Arc::clone(provider))
        .build()
        .map_err(|e| rustls::Error::General(format!("cannot use the trusted CAs: {e}")))
}

impl ServerCertVerifier for LazyRoots {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let first = match &self.added_only {
            Some(added) => {
                match added.verify_server_cert(
                    end_entity,
                    intermediates,
                    server_name,
                    ocsp_response,
                    now,
                ) {
                    Ok(verified) => return Ok(verified),
                    Err(e) => Some(e),
                }
            }
            None => None,
        };
        match (first, self.use_platform) {
            (Some(e), false) => Err(e),
            (None, false) => Err(rustls::Error::General(
                "no CA certificate to verify the server with".to_owned(),
            )),
            (_, true) => match self.combined() {
                Ok(combined) => combined.verify_server_cert(
                    end_entity,
                    intermediates,
                    server_name,
                    ocsp_response,
                    now,
                ),
                Err(e) => Err(e.clone()),
            },
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

impl fmt::Debug for LazyRoots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyRoots")
            .field("added", &self.added.len())
            .field("use_platform", &self.use_platform)
            .field("platform_loaded", &self.combined.get().is_some())
            .finish_non_exhaustive()
    }
}

/// Why a TLS client configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// One of the caller's CA certificates cannot anchor a chain (not a parsable X.509
    /// certificate, or unusable as a trust anchor).
    #[error("CA certificate #{position} is not a usable CA certificate")]
    UnusableCa {
        /// Its position among the caller's certificates, 1-based.
        position: usize,
        /// What rustls or webpki said about it.
        #[source]
        source: rustls::Error,
    },
    /// The crypto provider offers none of the safe protocol versions.
    #[error("could not set up TLS")]
    Protocol(#[source] rustls::Error),
}

/// A TLS client configuration under construction, waiting for the client's own authentication
/// (`with_no_client_auth` or `with_client_auth_cert`): the process's default crypto provider
/// (aws-lc-rs unless the application installed another), safe protocol versions, and
/// [`LazyRoots`] over `added` (and the platform's store if `use_platform`) as the certificate
/// verifier. ALPN is left to the caller.
pub fn config_builder(
    added: Vec<CertificateDer<'static>>,
    use_platform: bool,
) -> Result<ConfigBuilder<ClientConfig, WantsClientCert>, TrustError> {
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let verifier = LazyRoots::new(Arc::clone(&provider), added, use_platform)?;
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(TrustError::Protocol)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider() -> Arc<CryptoProvider> {
        Arc::new(rustls::crypto::aws_lc_rs::default_provider())
    }

    /// A CA named `name` and a `localhost` certificate it signed.
    fn pki(name: &str) -> (CertificateDer<'static>, CertificateDer<'static>) {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.distinguished_name.push(DnType::CommonName, name);
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca_key = KeyPair::generate().unwrap();
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(vec!["localhost".to_owned()])
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        (
            CertificateDer::from(ca.der().to_vec()),
            CertificateDer::from(leaf.der().to_vec()),
        )
    }

    fn verify(roots: &LazyRoots, leaf: &CertificateDer<'_>) -> Result<(), rustls::Error> {
        roots
            .verify_server_cert(
                leaf,
                &[],
                &ServerName::try_from("localhost").unwrap(),
                &[],
                UnixTime::now(),
            )
            .map(|_| ())
    }

    #[test]
    fn the_added_ca_verifies_without_reading_the_platform_store() {
        let (ca, leaf) = pki("hub CA");
        let roots = LazyRoots::new(provider(), vec![ca], true).unwrap();
        verify(&roots, &leaf).unwrap();
        assert!(!roots.platform_loaded());
    }

    #[test]
    fn an_unknown_issuer_falls_back_to_the_platform_store_once() {
        let (ca, _) = pki("hub CA");
        let (_, other_leaf) = pki("another CA");
        let roots = LazyRoots::new(provider(), vec![ca], true).unwrap();
        // The other CA is in no store: refused, after consulting the platform's.
        assert!(verify(&roots, &other_leaf).is_err());
        assert!(roots.platform_loaded());
    }

    #[test]
    fn only_added_cas_never_read_the_platform_store() {
        let (ca, _) = pki("hub CA");
        let (_, other_leaf) = pki("another CA");
        let roots = LazyRoots::new(provider(), vec![ca], false).unwrap();
        let err = verify(&roots, &other_leaf).unwrap_err();
        assert!(
            matches!(
                err,
                rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)
            ),
            "{err:?}"
        );
        assert!(!roots.platform_loaded());
    }

    #[test]
    fn a_malformed_added_certificate_is_named_by_position() {
        let (ca, _) = pki("hub CA");
        let err = LazyRoots::new(
            provider(),
            vec![ca, CertificateDer::from(b"not DER".to_vec())],
            true,
        )
        .unwrap_err();
        assert!(
            matches!(err, TrustError::UnusableCa { position: 2, .. }),
            "{err:?}"
        );
    }
}
