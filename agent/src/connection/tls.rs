//! The TLS client configurations of the agent: the hub connection (MQTT/TLS, WebSocket and the
//! hub's HTTPS device API) and the HTTPS client for artefacts and log bundles.
//!
//! The hub is trusted through `hub.ca_file` (a local hub generates its own CA) and the
//! platform's trust store (what `rustls-native-certs` reads: `SSL_CERT_FILE`, `SSL_CERT_DIR`,
//! then the system's bundle). The store is read only when a handshake is not verified by the
//! CA file alone (`iothub_tls::LazyRoots`): an agent trusting its hub through `hub.ca_file`
//! never reads it, and one trusting a real hub reads it at its first handshake and keeps only
//! the parsed trust anchors. The device may present an X.509 client certificate instead of a
//! SAS token. A configuration is built once per connection object and reused on every
//! reconnect.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::DmError;

/// The hub connection's configuration: `extra_ca_pem` (`hub.ca_file`) if any, the platform's
/// store when needed, and the client certificate if any (`(cert_pem, key_pem)`).
pub fn client_config(
    extra_ca_pem: Option<&[u8]>,
    client_cert: Option<(&[u8], &[u8])>,
) -> Result<Arc<rustls::ClientConfig>, DmError> {
    let builder = config_builder(extra_ca_pem, "the CA file")?;
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

/// The HTTPS client's configuration (artefact downloads, log-bundle uploads): `extra_ca_pem`
/// (the storage CA) if any and the platform's store when needed; HTTP/1.1 by ALPN, the one
/// version the agent's HTTP client speaks. `what` names the CA's origin in errors.
pub(crate) fn https_config(
    extra_ca_pem: Option<&[u8]>,
    what: &str,
) -> Result<rustls::ClientConfig, DmError> {
    let mut config = config_builder(extra_ca_pem, what)?.with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The configuration up to the client's own authentication: the extra CA parsed now (so a bad
/// file is reported at start, naming `what`), the platform's store left for a handshake that
/// needs it.
fn config_builder(
    extra_ca_pem: Option<&[u8]>,
    what: &str,
) -> Result<rustls::ConfigBuilder<rustls::ClientConfig, rustls::client::WantsClientCert>, DmError> {
    let mut added = Vec::new();
    if let Some(pem) = extra_ca_pem {
        for cert in CertificateDer::pem_slice_iter(pem) {
            added.push(cert.map_err(|e| DmError::Tls(format!("{what} is not PEM: {e}")))?);
        }
        if added.is_empty() {
            return Err(DmError::Tls(format!("{what} holds no certificate")));
        }
    }
    iothub_tls::config_builder(added, true).map_err(|e| match e {
        iothub_tls::TrustError::UnusableCa { source, .. } => {
            DmError::Tls(format!("{what} has an unusable certificate: {source}"))
        }
        iothub_tls::TrustError::Protocol(source) => DmError::Tls(source.to_string()),
    })
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

    #[test]
    fn the_https_client_offers_http_1_1_only() {
        let (ca, _) = self_signed();
        let config = https_config(Some(ca.as_bytes()), "the storage CA").unwrap();
        assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
        let err = https_config(
            Some(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            "the storage CA",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("the storage CA"), "{err}");
    }
}
