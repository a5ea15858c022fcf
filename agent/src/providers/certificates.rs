//! Certificates: trust anchors and client certificates, by SHA-256 thumbprint.
//!
//! Both backends keep dm's certificates as files named by thumbprint in two directories (the
//! Linux backend in `/usr/local/share/ca-certificates/dm-agent/`, where `update-ca-certificates`
//! picks them up, and `/etc/dm-agent/certs/client/`; the sandbox under `<sandbox>/certs/`), so
//! they share one implementation that differs only in paths and in the trust-store refresh
//! command. Client files hold a private key: they are created with mode 0600 and their key is
//! never read back out.

use std::fmt::Write as _;
use std::os::unix::fs::DirBuilderExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use dm_contract::{Backend, CertDetails, CertInfo, CertResult, CertStore, ProviderStatus};
use futures::future::BoxFuture;
use jiff::Timestamp;
use sha2::{Digest as _, Sha256};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::pem::Pem;
use x509_parser::x509::X509Name;

use super::{active, inactive, not_active, under};
use crate::error::{DmError, DmResult};
use crate::runner::{Command, Runner, run_checked};

/// Installs, removes and lists certificates.
pub trait CertificatesProvider: Send + Sync + 'static {
    /// Whether the provider can serve, and its backend.
    fn status(&self) -> ProviderStatus;
    /// Installs a certificate (PEM or DER; for `client`, PEM with its private key).
    fn install<'a>(
        &'a self,
        store: CertStore,
        material: &'a [u8],
    ) -> BoxFuture<'a, DmResult<CertResult>>;
    /// Removes a dm-installed certificate.
    fn remove<'a>(
        &'a self,
        store: CertStore,
        thumbprint: &'a str,
    ) -> BoxFuture<'a, DmResult<CertResult>>;
    /// Certificates of one store or both, the OS bundle included (`managed: false`).
    fn list(&self, store: Option<CertStore>) -> BoxFuture<'_, DmResult<Vec<CertInfo>>>;
    /// One certificate with its public PEM.
    fn show<'a>(
        &'a self,
        store: CertStore,
        thumbprint: &'a str,
    ) -> BoxFuture<'a, DmResult<CertDetails>>;
}

/// A certificate parsed from what an operator sent.
#[derive(Debug, Clone)]
pub struct ParsedCert {
    /// Lower-case hex SHA-256 of the DER.
    pub thumbprint: String,
    /// The DER bytes.
    pub der: Vec<u8>,
    /// Subject, RFC 4514.
    pub subject: String,
    /// Issuer, RFC 4514.
    pub issuer: String,
    /// Validity start.
    pub not_before: Timestamp,
    /// Validity end.
    pub not_after: Timestamp,
    /// Serial number, lower-case hex.
    pub serial: String,
    /// DNS names and IPs of the subjectAltName extension.
    pub alt_names: Vec<String>,
}

impl ParsedCert {
    /// Parses one DER certificate.
    pub fn from_der(der: &[u8]) -> DmResult<Self> {
        let (_, cert) =
            x509_parser::parse_x509_certificate(der).map_err(|e| invalid_material(&e))?;
        Ok(Self::from_parsed(&cert, der))
    }

    fn from_parsed(cert: &X509Certificate<'_>, der: &[u8]) -> Self {
        let validity = cert.validity();
        let ts = |secs: i64| Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH);
        let alt_names = match cert.subject_alternative_name() {
            Ok(Some(san)) => san
                .value
                .general_names
                .iter()
                .filter_map(|name| match name {
                    GeneralName::DNSName(dns) => Some((*dns).to_owned()),
                    GeneralName::IPAddress(bytes) => ip_to_string(bytes),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        Self {
            thumbprint: hex(&Sha256::digest(der)),
            der: der.to_vec(),
            subject: rfc4514(cert.subject()),
            issuer: rfc4514(cert.issuer()),
            not_before: ts(validity.not_before.timestamp()),
            not_after: ts(validity.not_after.timestamp()),
            serial: hex(cert.raw_serial()),
            alt_names,
        }
    }

    /// The certificate as PEM.
    pub fn pem(&self) -> String {
        let b64 = base64::engine::general_purpose::STANDARD.encode(&self.der);
        let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
        for chunk in b64.as_bytes().chunks(64) {
            out.push_str(&String::from_utf8_lossy(chunk));
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
        out
    }

    fn info(&self, store: CertStore, managed: bool) -> CertInfo {
        CertInfo {
            thumbprint: self.thumbprint.clone(),
            store,
            subject: self.subject.clone(),
            issuer: self.issuer.clone(),
            not_before: self.not_before,
            not_after: self.not_after,
            managed,
        }
    }
}

fn invalid_material(e: &dyn std::fmt::Display) -> DmError {
    DmError::failed(
        "invalidCertificate",
        format!("not a valid X.509 certificate: {e}"),
    )
}

fn ip_to_string(bytes: &[u8]) -> Option<String> {
    match bytes.len() {
        4 => Some(std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string()),
        16 => <[u8; 16]>::try_from(bytes)
            .ok()
            .map(|b| std::net::Ipv6Addr::from(b).to_string()),
        _ => None,
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A distinguished name in RFC 4514 form: last RDN first, `CN=Plant Root CA,O=Example`.
fn rfc4514(name: &X509Name<'_>) -> String {
    let rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|attr| {
                    let oid = attr.attr_type().to_id_string();
                    let key = match oid.as_str() {
                        "2.5.4.3" => "CN",
                        "2.5.4.6" => "C",
                        "2.5.4.7" => "L",
                        "2.5.4.8" => "ST",
                        "2.5.4.9" => "STREET",
                        "2.5.4.10" => "O",
                        "2.5.4.11" => "OU",
                        "0.9.2342.19200300.100.1.25" => "DC",
                        "0.9.2342.19200300.100.1.1" => "UID",
                        other => other,
                    };
                    let value = attr.as_str().map_or_else(
                        |_| format!("#{}", hex(attr.attr_value().data)),
                        escape_dn_value,
                    );
                    format!("{key}={value}")
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(",")
}

fn escape_dn_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && matches!(c, '#' | ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The certificates in a PEM text (or a single DER certificate), and whether it holds a key.
pub fn parse_material(material: &[u8]) -> DmResult<(Vec<ParsedCert>, bool)> {
    let is_pem = material.windows(11).any(|w| w == b"-----BEGIN ");
    if !is_pem {
        return Ok((vec![ParsedCert::from_der(material)?], false));
    }
    let mut certs = Vec::new();
    let mut has_key = false;
    for pem in Pem::iter_from_buffer(material) {
        let pem: Pem = pem.map_err(|e| invalid_material(&e))?;
        if pem.label == "CERTIFICATE" {
            let cert = pem.parse_x509().map_err(|e| invalid_material(&e))?;
            certs.push(ParsedCert::from_parsed(&cert, &pem.contents));
        } else if pem.label.ends_with("PRIVATE KEY") {
            has_key = true;
        }
    }
    if certs.is_empty() {
        return Err(DmError::failed(
            "invalidCertificate",
            "the PEM holds no certificate",
        ));
    }
    Ok((certs, has_key))
}

/// dm's certificates as files in a trust directory and a client directory.
pub struct FileCertStore {
    /// Backend reported in the manifest.
    backend: Backend,
    /// Trust anchors, one `<thumbprint>.<ext>` PEM each.
    trust_dir: PathBuf,
    /// Extension of trust files (`crt` for update-ca-certificates).
    trust_ext: &'static str,
    /// Client certificates with keys, `<thumbprint>.pem`, mode 0600.
    client_dir: PathBuf,
    /// The OS's own CA bundle, listed as unmanaged.
    os_bundle: Option<PathBuf>,
    /// Rebuilds the OS trust store after a change.
    refresh: Option<(Arc<dyn Runner>, Command)>,
    /// Probe result.
    status: ProviderStatus,
}

impl FileCertStore {
    /// The Debian layout under `root`, refreshed with `update-ca-certificates`.
    pub fn linux(runner: Arc<dyn Runner>, root: &Path) -> Self {
        let status = if runner.has_program("update-ca-certificates") {
            active(Backend::Linux)
        } else {
            inactive(Backend::Linux, "update-ca-certificates was not found")
        };
        Self {
            backend: Backend::Linux,
            trust_dir: under(root, "/usr/local/share/ca-certificates/dm-agent"),
            trust_ext: "crt",
            client_dir: under(root, "/etc/dm-agent/certs/client"),
            os_bundle: Some(under(root, "/etc/ssl/certs/ca-certificates.crt")),
            refresh: Some((runner, Command::new("update-ca-certificates", [""; 0]))),
            status,
        }
    }

    /// `<sandbox>/certs/trust` and `<sandbox>/certs/client`.
    pub fn sandbox(sandbox: &Path) -> Self {
        Self {
            backend: Backend::Sandbox,
            trust_dir: sandbox.join("certs/trust"),
            trust_ext: "pem",
            client_dir: sandbox.join("certs/client"),
            os_bundle: None,
            refresh: None,
            status: active(Backend::Sandbox),
        }
    }

    fn file(&self, store: CertStore, thumbprint: &str) -> PathBuf {
        match store {
            CertStore::Trust => self
                .trust_dir
                .join(format!("{thumbprint}.{}", self.trust_ext)),
            CertStore::Client => self.client_dir.join(format!("{thumbprint}.pem")),
        }
    }

    fn dir(&self, store: CertStore) -> &Path {
        match store {
            CertStore::Trust => &self.trust_dir,
            CertStore::Client => &self.client_dir,
        }
    }

    async fn refresh(&self, store: CertStore) -> DmResult<()> {
        if store == CertStore::Trust
            && let Some((runner, command)) = &self.refresh
        {
            run_checked(runner.as_ref(), command.clone()).await?;
        }
        Ok(())
    }

    fn managed(&self, store: CertStore) -> DmResult<Vec<ParsedCert>> {
        let dir = self.dir(store);
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(DmError::io("cannot list", dir, e)),
        };
        let mut certs = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            match parse_material(&bytes) {
                Ok((mut parsed, _)) if !parsed.is_empty() => certs.push(parsed.swap_remove(0)),
                _ => {
                    tracing::warn!(path = %path.display(), "skipping an unreadable certificate file");
                }
            }
        }
        Ok(certs)
    }

    fn find(&self, store: CertStore, thumbprint: &str) -> DmResult<(ParsedCert, bool)> {
        let thumbprint = thumbprint.to_ascii_lowercase();
        if let Some(cert) = self
            .managed(store)?
            .into_iter()
            .find(|c| c.thumbprint == thumbprint)
        {
            return Ok((cert, true));
        }
        if store == CertStore::Trust
            && let Some(cert) = self
                .bundle()?
                .into_iter()
                .find(|c| c.thumbprint == thumbprint)
        {
            return Ok((cert, false));
        }
        Err(DmError::NotFound(format!(
            "no certificate {thumbprint} in the {} store",
            store_name(store)
        )))
    }

    fn bundle(&self) -> DmResult<Vec<ParsedCert>> {
        let Some(path) = &self.os_bundle else {
            return Ok(Vec::new());
        };
        match std::fs::read(path) {
            Ok(bytes) => Ok(parse_material(&bytes).map(|(c, _)| c).unwrap_or_default()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(DmError::io("cannot read", path, e)),
        }
    }
}

fn store_name(store: CertStore) -> &'static str {
    match store {
        CertStore::Trust => "trust",
        CertStore::Client => "client",
    }
}

impl CertificatesProvider for FileCertStore {
    fn status(&self) -> ProviderStatus {
        self.status.clone()
    }

    fn install<'a>(
        &'a self,
        store: CertStore,
        material: &'a [u8],
    ) -> BoxFuture<'a, DmResult<CertResult>> {
        Box::pin(async move {
            if !self.status.active {
                return Err(not_active(&self.status, "certificates"));
            }
            let (certs, has_key) = parse_material(material)?;
            let cert = &certs[0];
            let (contents, mode) = match store {
                CertStore::Trust => {
                    if has_key {
                        return Err(DmError::failed(
                            "invalidCertificate",
                            "a trust anchor must not come with a private key",
                        ));
                    }
                    if certs.len() > 1 {
                        return Err(DmError::failed(
                            "invalidCertificate",
                            format!(
                                "the material holds {} certificates; install trust anchors one at a time",
                                certs.len()
                            ),
                        ));
                    }
                    (cert.pem().into_bytes(), 0o644)
                }
                CertStore::Client => {
                    if !has_key {
                        return Err(DmError::failed(
                            "invalidCertificate",
                            "a client certificate needs its private key in the same PEM",
                        ));
                    }
                    (material.to_vec(), 0o600)
                }
            };
            let dir = self.dir(store);
            let mode_dir = if store == CertStore::Client {
                0o700
            } else {
                0o755
            };
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(mode_dir)
                .create(dir)
                .map_err(|e| DmError::io("cannot create", dir, e))?;
            crate::state::write_atomic(&self.file(store, &cert.thumbprint), &contents, mode)?;
            self.refresh(store).await?;
            tracing::info!(store = store_name(store), thumbprint = %cert.thumbprint, subject = %cert.subject, "certificate installed");
            Ok(CertResult {
                thumbprint: cert.thumbprint.clone(),
                store,
                not_after: Some(cert.not_after),
            })
        })
    }

    fn remove<'a>(
        &'a self,
        store: CertStore,
        thumbprint: &'a str,
    ) -> BoxFuture<'a, DmResult<CertResult>> {
        Box::pin(async move {
            let thumbprint = thumbprint.to_ascii_lowercase();
            let path = self.file(store, &thumbprint);
            let not_after = self
                .managed(store)?
                .into_iter()
                .find(|c| c.thumbprint == thumbprint)
                .ok_or_else(|| {
                    DmError::NotFound(format!(
                        "no certificate {thumbprint} was installed through dm in the {} store",
                        store_name(store)
                    ))
                })?
                .not_after;
            std::fs::remove_file(&path).map_err(|e| DmError::io("cannot remove", &path, e))?;
            self.refresh(store).await?;
            tracing::info!(store = store_name(store), %thumbprint, "certificate removed");
            Ok(CertResult {
                thumbprint,
                store,
                not_after: Some(not_after),
            })
        })
    }

    fn list(&self, store: Option<CertStore>) -> BoxFuture<'_, DmResult<Vec<CertInfo>>> {
        Box::pin(async move {
            let mut out = Vec::new();
            for s in [CertStore::Trust, CertStore::Client] {
                if store.is_some_and(|want| want != s) {
                    continue;
                }
                let managed = self.managed(s)?;
                if s == CertStore::Trust {
                    for cert in self.bundle()? {
                        if !managed.iter().any(|m| m.thumbprint == cert.thumbprint) {
                            out.push(cert.info(s, false));
                        }
                    }
                }
                out.extend(managed.iter().map(|c| c.info(s, true)));
            }
            out.sort_by(|a, b| {
                a.subject
                    .cmp(&b.subject)
                    .then_with(|| a.thumbprint.cmp(&b.thumbprint))
            });
            Ok(out)
        })
    }

    fn show<'a>(
        &'a self,
        store: CertStore,
        thumbprint: &'a str,
    ) -> BoxFuture<'a, DmResult<CertDetails>> {
        Box::pin(async move {
            let (cert, managed) = self.find(store, thumbprint)?;
            Ok(CertDetails {
                info: cert.info(store, managed),
                serial_number: cert.serial.clone(),
                subject_alt_names: cert.alt_names.clone(),
                pem: cert.pem(),
            })
        })
    }
}

impl FileCertStore {
    /// The backend (for the manifest).
    pub fn backend(&self) -> Backend {
        self.backend
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::runner::RecordingRunner;
    use std::os::unix::fs::PermissionsExt as _;

    /// A self-signed certificate and its key, as PEM.
    pub(crate) fn self_signed(cn: &str) -> (String, String) {
        let mut params = rcgen::CertificateParams::new(vec!["device.example".to_owned()]).unwrap();
        params.distinguished_name = rcgen::DistinguishedName::new();
        // DER order is most significant first (O, then CN); RFC 4514 shows it reversed.
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "Example, Inc");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, cn);
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        (cert.pem(), key.serialize_pem())
    }

    #[test]
    fn material_is_parsed_with_rfc4514_names() {
        let (pem, key) = self_signed("Plant Root CA");
        let (certs, has_key) = parse_material(pem.as_bytes()).unwrap();
        assert!(!has_key);
        assert_eq!(certs[0].subject, "CN=Plant Root CA,O=Example\\, Inc");
        assert_eq!(certs[0].alt_names, ["device.example"]);
        assert_eq!(certs[0].thumbprint.len(), 64);
        // DER and PEM give the same thumbprint, and the PEM round-trips.
        let again = ParsedCert::from_der(&certs[0].der).unwrap();
        assert_eq!(again.thumbprint, certs[0].thumbprint);
        assert_eq!(
            parse_material(certs[0].pem().as_bytes()).unwrap().0[0].thumbprint,
            certs[0].thumbprint
        );
        let (_, has_key) = parse_material(format!("{pem}{key}").as_bytes()).unwrap();
        assert!(has_key);
        assert!(
            parse_material(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
                .is_err()
        );
        assert!(parse_material(b"garbage").is_err());
    }

    #[tokio::test]
    async fn linux_store_writes_files_and_refreshes() {
        let root = tempfile::tempdir().unwrap();
        let runner = RecordingRunner::new();
        let store = FileCertStore::linux(Arc::new(runner.clone()), root.path());
        let (pem, key) = self_signed("Plant Root CA");
        let trust = store
            .install(CertStore::Trust, pem.as_bytes())
            .await
            .unwrap();
        let file = root.path().join(format!(
            "usr/local/share/ca-certificates/dm-agent/{}.crt",
            trust.thumbprint
        ));
        assert!(file.is_file());
        assert_eq!(runner.lines(), ["update-ca-certificates"]);
        let (client_pem, client_key) = self_signed("sensor-042");
        let client = store
            .install(
                CertStore::Client,
                format!("{client_pem}{client_key}").as_bytes(),
            )
            .await
            .unwrap();
        let client_file = root.path().join(format!(
            "etc/dm-agent/certs/client/{}.pem",
            client.thumbprint
        ));
        assert_eq!(
            std::fs::metadata(&client_file)
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
        assert_eq!(
            runner.lines().len(),
            1,
            "client certificates need no trust refresh"
        );
        // A client certificate without its key, and a trust anchor with one, are refused.
        assert!(
            store
                .install(CertStore::Client, client_pem.as_bytes())
                .await
                .is_err()
        );
        assert!(
            store
                .install(CertStore::Trust, format!("{pem}{key}").as_bytes())
                .await
                .is_err()
        );
        // The key is never shown.
        let shown = store
            .show(CertStore::Client, &client.thumbprint)
            .await
            .unwrap();
        assert!(!shown.pem.contains("PRIVATE KEY"));
        assert!(shown.info.managed);
        store
            .remove(CertStore::Trust, &trust.thumbprint)
            .await
            .unwrap();
        assert!(!file.exists());
        assert_eq!(
            runner.lines(),
            ["update-ca-certificates", "update-ca-certificates"]
        );
        assert_eq!(
            store
                .remove(CertStore::Trust, &trust.thumbprint)
                .await
                .unwrap_err()
                .status(),
            404
        );
    }

    #[tokio::test]
    async fn the_os_bundle_is_listed_as_unmanaged() {
        let root = tempfile::tempdir().unwrap();
        let (a, _) = self_signed("Bundle A");
        let (b, _) = self_signed("Bundle B");
        let bundle = root.path().join("etc/ssl/certs/ca-certificates.crt");
        std::fs::create_dir_all(bundle.parent().unwrap()).unwrap();
        std::fs::write(&bundle, format!("{a}{b}")).unwrap();
        let store = FileCertStore::linux(Arc::new(RecordingRunner::new()), root.path());
        let (mine, _) = self_signed("Mine");
        store
            .install(CertStore::Trust, mine.as_bytes())
            .await
            .unwrap();
        let list = store.list(Some(CertStore::Trust)).await.unwrap();
        let got: Vec<_> = list
            .iter()
            .map(|c| (c.subject.as_str(), c.managed))
            .collect();
        assert_eq!(
            got,
            [
                ("CN=Bundle A,O=Example\\, Inc", false),
                ("CN=Bundle B,O=Example\\, Inc", false),
                ("CN=Mine,O=Example\\, Inc", true)
            ]
        );
        assert!(
            store
                .list(Some(CertStore::Client))
                .await
                .unwrap()
                .is_empty()
        );
        let unmanaged = &list[0].thumbprint;
        assert_eq!(
            store
                .remove(CertStore::Trust, unmanaged)
                .await
                .unwrap_err()
                .status(),
            404
        );
        assert!(
            !store
                .show(CertStore::Trust, unmanaged)
                .await
                .unwrap()
                .info
                .managed
        );
    }
}
