//! The emulator's own certificate authority and server certificate.
//!
//! Clients must verify the hub's certificate (the Python device SDK insists on it), so the
//! emulator generates a CA once into its data directory and issues a server certificate for
//! `localhost`, `127.0.0.1`, `::1` and the configured hub name. Users trust `ca.pem`; it stays the
//! same across restarts so that trust survives.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};

use crate::error::EmulatorError;

const CA_NAME: &str = "dmctl local IoT Hub CA";

/// The CA and server certificate in use, and the TLS configurations built from them.
pub struct TlsMaterial {
    /// Path of the CA certificate clients should trust.
    pub ca_path: PathBuf,
    /// The CA certificate in PEM.
    pub ca_pem: String,
    /// Configuration for the HTTPS (and WebSocket) listener.
    pub https: Arc<rustls::ServerConfig>,
    /// Configuration for the MQTT/TLS listener.
    pub mqtt: Arc<rustls::ServerConfig>,
}

impl std::fmt::Debug for TlsMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsMaterial")
            .field("ca_path", &self.ca_path)
            .finish_non_exhaustive()
    }
}

fn tls_err(e: impl std::fmt::Display) -> EmulatorError {
    EmulatorError::Tls(e.to_string())
}

fn ca_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, CA_NAME);
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params
}

fn write_private(path: &Path, contents: &str) -> Result<(), EmulatorError> {
    use std::io::Write;
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(EmulatorError::io("writing", path))?;
    file.write_all(contents.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(EmulatorError::io("writing", path))
}

fn write_public(path: &Path, contents: &str) -> Result<(), EmulatorError> {
    fs::write(path, contents).map_err(EmulatorError::io("writing", path))
}

fn read(path: &Path) -> Result<String, EmulatorError> {
    fs::read_to_string(path).map_err(EmulatorError::io("reading", path))
}

/// The names the server certificate must cover for `hub_name`.
fn server_names(hub_name: &str) -> Vec<String> {
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    let host = hub_name.split(':').next().unwrap_or(hub_name).to_string();
    if !names.contains(&host) && !host.is_empty() {
        names.push(host);
    }
    names
}

/// Loads the CA and server certificate from `data_dir`, generating what is missing: the CA on
/// first start, the server certificate when it does not cover `hub_name`.
pub fn load_or_generate(data_dir: &Path, hub_name: &str) -> Result<TlsMaterial, EmulatorError> {
    let ca_path = data_dir.join("ca.pem");
    let ca_key_path = data_dir.join("ca-key.pem");
    let server_path = data_dir.join("server.pem");
    let server_key_path = data_dir.join("server-key.pem");
    let names_path = data_dir.join("server.names");

    let (ca_pem, ca_key) = if ca_path.exists() && ca_key_path.exists() {
        let key = KeyPair::from_pem(&read(&ca_key_path)?).map_err(tls_err)?;
        (read(&ca_path)?, key)
    } else {
        let key = KeyPair::generate().map_err(tls_err)?;
        let cert = ca_params().self_signed(&key).map_err(tls_err)?;
        write_private(&ca_key_path, &key.serialize_pem())?;
        write_public(&ca_path, &cert.pem())?;
        (cert.pem(), key)
    };

    let names = server_names(hub_name);
    let covered = fs::read_to_string(&names_path)
        .is_ok_and(|s| names.iter().all(|n| s.lines().any(|l| l == n)));
    if !(covered && server_path.exists() && server_key_path.exists()) {
        // The issuer is rebuilt from the same name and key, which is all a signature chain needs.
        let issuer = Issuer::new(ca_params(), ca_key);
        let key = KeyPair::generate().map_err(tls_err)?;
        let mut params = CertificateParams::new(names.clone()).map_err(tls_err)?;
        let mut dn = DistinguishedName::new();
        dn.push(
            DnType::CommonName,
            names.last().cloned().unwrap_or_default(),
        );
        params.distinguished_name = dn;
        params.not_before = rcgen::date_time_ymd(2024, 1, 1);
        params.not_after = rcgen::date_time_ymd(2049, 12, 31);
        let cert = params.signed_by(&key, &issuer).map_err(tls_err)?;
        write_private(&server_key_path, &key.serialize_pem())?;
        write_public(&server_path, &format!("{}{}", cert.pem(), ca_pem))?;
        write_public(&names_path, &names.join("\n"))?;
    }

    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&server_path)
        .map_err(tls_err)?
        .collect::<Result<_, _>>()
        .map_err(tls_err)?;
    let key = PrivateKeyDer::from_pem_file(&server_key_path).map_err(tls_err)?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let build = |alpn: Vec<Vec<u8>>,
                 client_certs: bool|
     -> Result<Arc<rustls::ServerConfig>, EmulatorError> {
        let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(tls_err)?;
        let builder = if client_certs {
            builder.with_client_cert_verifier(Arc::new(AnyClientCert {
                algorithms: provider.signature_verification_algorithms,
            }))
        } else {
            builder.with_no_client_auth()
        };
        let mut config = builder
            .with_single_cert(chain.clone(), key.clone_key())
            .map_err(tls_err)?;
        config.alpn_protocols = alpn;
        Ok(Arc::new(config))
    };
    Ok(TlsMaterial {
        ca_path,
        ca_pem,
        // Devices may present a certificate on HTTPS too (X.509 devices' file upload).
        https: build(vec![b"http/1.1".to_vec()], true)?,
        mqtt: build(Vec::new(), true)?,
    })
}

/// Asks clients for a certificate without requiring one, and accepts any certificate the
/// client proves it holds the key of. Whether the certificate belongs to the identity is
/// decided after CONNECT by comparing its thumbprint with the registry (X.509 self-signed
/// authentication), which is where the real hub decides it too.
#[derive(Debug)]
struct AnyClientCert {
    algorithms: rustls::crypto::WebPkiSupportedAlgorithms,
}

impl rustls::server::danger::ClientCertVerifier for AnyClientCert {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[rustls::DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::server::danger::ClientCertVerified, rustls::Error> {
        Ok(rustls::server::danger::ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02X}");
        s
    })
}

/// The SHA-1 thumbprint of a DER certificate, 40 uppercase hex digits (as the portal shows it).
pub fn thumbprint_sha1(der: &[u8]) -> String {
    use sha1::Digest;
    hex(&sha1::Sha1::digest(der))
}

/// The SHA-256 thumbprint of a DER certificate, 64 uppercase hex digits.
pub fn thumbprint_sha256(der: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(der))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprints_are_uppercase_hex_digests() {
        assert_eq!(
            thumbprint_sha1(b"abc"),
            "A9993E364706816ABA3E25717850C26C9CD0D89D"
        );
        assert_eq!(
            thumbprint_sha256(b"abc"),
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"
        );
    }

    #[test]
    fn ca_is_generated_once_and_leaf_follows_the_hub_name() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_generate(dir.path(), "localhost").unwrap();
        let again = load_or_generate(dir.path(), "localhost").unwrap();
        assert_eq!(first.ca_pem, again.ca_pem);
        let leaf_before = fs::read_to_string(dir.path().join("server.pem")).unwrap();
        let renamed = load_or_generate(dir.path(), "myhub.azure-devices.net").unwrap();
        assert_eq!(renamed.ca_pem, first.ca_pem, "the CA must survive a rename");
        let leaf_after = fs::read_to_string(dir.path().join("server.pem")).unwrap();
        assert_ne!(leaf_before, leaf_after);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join("ca-key.pem"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "the CA key must not be readable by others");
        }
    }
}
