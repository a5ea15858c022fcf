//! The emulator's own certificate authority and server certificate.
//!
//! Clients must verify the hub's certificate (the Python device SDK insists on it), so the
//! emulator generates a CA once into its data directory and issues a server certificate for
//! `localhost`, `127.0.0.1`, `::1` and the configured hub name. Users trust `ca.pem`; it stays the
//! same across restarts so that trust survives.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::net::IpAddr;

use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DistinguishedName, DnType, GeneralSubtree,
    IsCa, Issuer, KeyPair, KeyUsagePurpose, NameConstraints,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};

use crate::error::EmulatorError;

const CA_NAME: &str = "dmctl local IoT Hub CA";
/// How long a generated CA (and the server certificates it issues) is valid.
const CA_VALIDITY_YEARS: i16 = 5;
/// How long before the CA expires the hub starts warning that it should be rotated.
const EXPIRY_WARNING_DAYS: i32 = 60;

/// What the CA was generated for, kept next to it (`ca.json`): the names it may certify and
/// the last day it is valid.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct CaRecord {
    /// The host names and addresses its name constraints permit.
    names: Vec<String>,
    /// Its last day of validity (`YYYY-MM-DD`, UTC).
    not_after: jiff::civil::Date,
}

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

/// Sets a certificate's validity from midnight UTC of `from` to midnight UTC of `to`.
fn set_validity(params: &mut CertificateParams, from: jiff::civil::Date, to: jiff::civil::Date) {
    let at = |date: jiff::civil::Date| {
        rcgen::date_time_ymd(
            i32::from(date.year()),
            u8::try_from(date.month()).unwrap_or(1),
            u8::try_from(date.day()).unwrap_or(1),
        )
    };
    params.not_before = at(from);
    params.not_after = at(to);
}

/// The CA's parameters. Its name constraints permit only the names the hub serves, so that
/// trusting `ca.pem` (which sits on the same machine as its key) cannot let it vouch for any
/// other site; its validity is a few years, not forever.
fn ca_params(record: &CaRecord, not_before: jiff::civil::Date) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, CA_NAME);
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    set_validity(&mut params, not_before, record.not_after);
    let mut permitted = Vec::new();
    for name in &record.names {
        match name.parse::<IpAddr>() {
            Ok(ip) => permitted.push(GeneralSubtree::IpAddress(CidrSubnet::from_addr_prefix(
                ip,
                if ip.is_ipv4() { 32 } else { 128 },
            ))),
            Err(_) => permitted.push(GeneralSubtree::DnsName(name.clone())),
        }
    }
    params.name_constraints = Some(NameConstraints {
        permitted_subtrees: permitted,
        excluded_subtrees: Vec::new(),
    });
    params
}

fn write_private(path: &Path, contents: &str) -> Result<(), EmulatorError> {
    crate::datadir::write_atomic(path, contents.as_bytes(), 0o600)
}

fn write_public(path: &Path, contents: &str) -> Result<(), EmulatorError> {
    crate::datadir::write_atomic(path, contents.as_bytes(), 0o644)
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

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

/// Generates a new CA for `names` into `data_dir`, replacing any previous one.
fn generate_ca(
    data_dir: &Path,
    names: &[String],
) -> Result<(String, KeyPair, CaRecord), EmulatorError> {
    let start = today();
    let not_after = start
        .checked_add(jiff::Span::new().years(CA_VALIDITY_YEARS))
        .map_err(tls_err)?;
    let record = CaRecord {
        names: names.to_vec(),
        not_after,
    };
    let key = KeyPair::generate().map_err(tls_err)?;
    // A day of slack for clocks behind this one.
    let not_before = start.yesterday().unwrap_or(start);
    let cert = ca_params(&record, not_before)
        .self_signed(&key)
        .map_err(tls_err)?;
    write_private(&data_dir.join("ca-key.pem"), &key.serialize_pem())?;
    write_public(&data_dir.join("ca.pem"), &cert.pem())?;
    let text = serde_json::to_string_pretty(&record).map_err(tls_err)?;
    write_public(&data_dir.join("ca.json"), &text)?;
    // A server certificate of the old CA is worthless now.
    let _ = fs::remove_file(data_dir.join("server.names"));
    Ok((cert.pem(), key, record))
}

/// Loads the CA and server certificate from `data_dir`, generating what is missing: the CA on
/// first start (or when the hub name is outside the names it may certify, or it has expired),
/// the server certificate when it does not cover `hub_name`.
///
/// Rotating the CA by hand: stop the hub, delete `ca.pem`, `ca-key.pem` and `ca.json`, start
/// it again and have clients trust the new `ca.pem`.
pub fn load_or_generate(data_dir: &Path, hub_name: &str) -> Result<TlsMaterial, EmulatorError> {
    let ca_path = data_dir.join("ca.pem");
    let ca_key_path = data_dir.join("ca-key.pem");
    let record_path = data_dir.join("ca.json");
    let server_path = data_dir.join("server.pem");
    let server_key_path = data_dir.join("server-key.pem");
    let names_path = data_dir.join("server.names");
    let names = server_names(hub_name);

    let existing = if ca_path.exists() && ca_key_path.exists() {
        let record: Option<CaRecord> = fs::read(&record_path)
            .ok()
            .and_then(|text| serde_json::from_slice(&text).ok());
        Some((record, read(&ca_path)?, read(&ca_key_path)?))
    } else {
        None
    };
    let (ca_pem, ca_key, record) = match existing {
        Some((Some(record), pem, key))
            if names.iter().all(|n| record.names.contains(n)) && record.not_after > today() =>
        {
            let key = KeyPair::from_pem(&key).map_err(tls_err)?;
            (pem, key, record)
        }
        Some((Some(_), ..)) => {
            tracing::warn!(
                ca = %ca_path.display(),
                "the hub's CA does not cover the host name {hub_name} or has expired: a new CA \
                 was generated, and clients must trust the new {}",
                ca_path.display()
            );
            generate_ca(data_dir, &names)?
        }
        Some((None, ..)) => {
            // A CA from a version that did not constrain it (valid until 4096, for any name).
            tracing::warn!(
                ca = %ca_path.display(),
                "the hub's CA has no name constraints and no end date: a new, constrained CA \
                 was generated, and clients must trust the new {}",
                ca_path.display()
            );
            generate_ca(data_dir, &names)?
        }
        None => generate_ca(data_dir, &names)?,
    };
    if let Ok(left) = record.not_after.since(today())
        && left.get_days() < EXPIRY_WARNING_DAYS
    {
        tracing::warn!(
            ca = %ca_path.display(),
            expires = %record.not_after,
            "the hub's CA expires soon; rotate it (see the README, \"Using the local hub\")"
        );
    }

    let covered = fs::read_to_string(&names_path)
        .is_ok_and(|s| names.iter().all(|n| s.lines().any(|l| l == n)));
    if !(covered && server_path.exists() && server_key_path.exists()) {
        // The issuer is rebuilt from the same name and key, which is all a signature chain needs.
        let issuer = Issuer::new(ca_params(&record, today()), ca_key);
        let key = KeyPair::generate().map_err(tls_err)?;
        let mut params = CertificateParams::new(names.clone()).map_err(tls_err)?;
        let mut dn = DistinguishedName::new();
        dn.push(
            DnType::CommonName,
            names.last().cloned().unwrap_or_default(),
        );
        params.distinguished_name = dn;
        let start = today();
        set_validity(
            &mut params,
            start.yesterday().unwrap_or(start),
            record.not_after,
        );
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
        // The CA may only certify the names it was made for: another hub name needs a new one.
        let renamed = load_or_generate(dir.path(), "myhub.azure-devices.net").unwrap();
        assert_ne!(
            renamed.ca_pem, first.ca_pem,
            "the CA cannot certify a new name"
        );
        let leaf_after = fs::read_to_string(dir.path().join("server.pem")).unwrap();
        assert_ne!(leaf_before, leaf_after);
        let again = load_or_generate(dir.path(), "myhub.azure-devices.net").unwrap();
        assert_eq!(again.ca_pem, renamed.ca_pem, "the CA survives restarts");
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

    /// Verifies `leaf` for `name` against `ca_pem` as a client trusting only that CA would.
    fn client_accepts(
        ca_pem: &str,
        leaf: &CertificateDer<'static>,
        name: &str,
        at: std::time::SystemTime,
    ) -> Result<(), rustls::Error> {
        use rustls::client::danger::ServerCertVerifier as _;
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
            roots.add(cert.unwrap()).unwrap();
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let verifier =
            rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
        let name = rustls::pki_types::ServerName::try_from(name.to_string()).unwrap();
        let now = rustls::pki_types::UnixTime::since_unix_epoch(
            at.duration_since(std::time::UNIX_EPOCH).unwrap(),
        );
        verifier
            .verify_server_cert(leaf, &[], &name, &[], now)
            .map(drop)
    }

    #[test]
    fn the_ca_certifies_only_the_hub_names_and_only_for_some_years() {
        let dir = tempfile::tempdir().unwrap();
        let material = load_or_generate(dir.path(), "hub.local").unwrap();
        let now = std::time::SystemTime::now();
        let served: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(dir.path().join("server.pem"))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
        for name in ["localhost", "hub.local", "127.0.0.1"] {
            client_accepts(&material.ca_pem, &served[0], name, now)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }

        // Whoever holds the CA key cannot make it vouch for another site.
        let ca_key = KeyPair::from_pem(&read(&dir.path().join("ca-key.pem")).unwrap()).unwrap();
        let record: CaRecord =
            serde_json::from_slice(&fs::read(dir.path().join("ca.json")).unwrap()).unwrap();
        let issuer = Issuer::new(ca_params(&record, today()), ca_key);
        let key = KeyPair::generate().unwrap();
        let forged = CertificateParams::new(vec!["login.example.com".to_string()])
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        let refused =
            client_accepts(&material.ca_pem, forged.der(), "login.example.com", now).unwrap_err();
        assert!(
            format!("{refused:?}").contains("NameConstraintViolation"),
            "{refused:?}"
        );

        // Years, not centuries.
        let in_six_years = now + std::time::Duration::from_secs(6 * 366 * 24 * 3600);
        let expired =
            client_accepts(&material.ca_pem, &served[0], "localhost", in_six_years).unwrap_err();
        assert!(format!("{expired:?}").contains("Expired"), "{expired:?}");
    }
}
