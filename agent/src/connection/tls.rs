//! The TLS client configuration for the hub connection (both MQTT/TLS and WebSocket).
//!
//! The hub is trusted through the system's CA bundle plus, optionally, one extra CA (a local
//! hub generates its own). The device may present an X.509 client certificate instead of a SAS
//! token. The configuration is built once per connection object and reused on every reconnect;
//! the system bundle is read once per process, since a simulation runs many agents.

use std::sync::{Arc, OnceLock};

use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::DmError;

/// The system's trusted CA certificates, read once.
fn system_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let loaded = rustls_native_certs::load_native_certs();
        if !loaded.errors.is_empty() {
            tracing::debug!(
                errors = loaded.errors.len(),
                "some system CA certificates could not be read"
            );
        }
        loaded.certs
    })
}

/// Builds the client configuration: system roots, `extra_ca_pem` if any, and the client
/// certificate if any (`(cert_pem, key_pem)`).
pub fn client_config(
    extra_ca_pem: Option<&[u8]>,
    client_cert: Option<(&[u8], &[u8])>,
) -> Result<Arc<rustls::ClientConfig>, DmError> {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(system_roots().iter().cloned());
    if let Some(pem) = extra_ca_pem {
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| DmError::Tls(format!("the CA file is not PEM: {e}")))?;
            roots.add(cert).map_err(|e| {
                DmError::Tls(format!("the CA file has an unusable certificate: {e}"))
            })?;
            added += 1;
        }
        if added == 0 {
            return Err(DmError::Tls("the CA file holds no certificate".to_owned()));
        }
    }
    if roots.is_empty() {
        return Err(DmError::Tls(
            "no trusted CA: the system has no CA bundle and `hub.ca_file` is not set".to_owned(),
        ));
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| DmError::Tls(e.to_string()))?
        .with_root_certificates(roots);
    let config = match client_cert {
        None => builder.with_no_client_auth(),
        Some((cert_pem, key_pem)) => {
            let chain = CertificateDer::pem_slice_iter(cert_pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| DmError::Tls(format!("the X.509 certificate is not PEM: {e}")))?;
            if chain.is_empty() {
                return Err(DmError::Tls(
                    "the X.509 certificate file holds no certificate".to_owned(),
                ));
            }
            // The parser's error text never includes key material.
            let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| {
                DmError::Tls(format!(
                    "the X.509 key file holds no usable private key: {e}"
                ))
            })?;
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                DmError::Tls(format!("the X.509 certificate and key do not fit: {e}"))
            })?
        }
    };
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn self_signed() -> (String, String) {
        let cert = rcgen::generate_simple_self_signed(vec!["device-1".to_owned()]).unwrap();
        (cert.cert.pem(), cert.signing_key.serialize_pem())
    }

    #[test]
    fn an_extra_ca_and_a_client_certificate_are_accepted() {
        let (ca, _) = self_signed();
        let (cert, key) = self_signed();
        client_config(Some(ca.as_bytes()), Some((cert.as_bytes(), key.as_bytes()))).unwrap();
    }

    #[test]
    fn unusable_material_is_named() {
        let err = client_config(Some(b"not a pem"), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("CA file"), "{err}");
        let (cert, _) = self_signed();
        let err = client_config(None, Some((cert.as_bytes(), b"nothing here")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("key"), "{err}");
        let (_, other_key) = self_signed();
        let err = client_config(None, Some((cert.as_bytes(), other_key.as_bytes())))
            .unwrap_err()
            .to_string();
        assert!(err.contains("do not fit"), "{err}");
    }
}
