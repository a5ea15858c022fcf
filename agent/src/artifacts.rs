//! The rules for artefacts the device downloads and runs (`dm.agent.update`, `dm.apps.install`,
//! `dm.certificates.install` by URL): the transport, downgrades, publisher signatures and the
//! user the agent's preflight runs as.
//!
//! The SHA-256 in a request proves the file is the one the *operator* named; it says nothing
//! about who built it. Whoever can call methods on the device (a leaked service key, a
//! compromised pipeline) could otherwise point it at any binary. So a device can name the
//! publisher keys it trusts, and then runs nothing they did not sign, whatever the request
//! says. Each refusal has its own error code so a fleet report tells them apart:
//! `insecureUrl`, `downgradeRefused`, `signatureRequired`, `signatureUntrusted`,
//! `signatureInvalid`.
//!
//! Signatures are minisign's (`minisign -S`, Ed25519 over the file's BLAKE2b-512, with a
//! signed trusted comment), verified by the `minisign-verify` crate while the file is streamed
//! from disk, before it is installed or executed.

use std::cmp::Ordering;
use std::fmt;
use std::io::Read as _;
use std::path::Path;

use base64::Engine as _;
use dm_contract::{ArtifactUrl, error_code};

use crate::error::{DmError, DmResult};
use crate::runner::RunAs;

/// The configuration key that lets a device download artefacts over plain `http`.
pub const ALLOW_HTTP_KEY: &str = "artifacts.allow_http";
/// The configuration key naming the trusted publisher keys.
pub const TRUSTED_KEYS_KEY: &str = "artifacts.trusted_keys";
/// The configuration key naming the user a root agent runs preflights as.
pub const PREFLIGHT_USER_KEY: &str = "artifacts.preflight_user";
/// The user a root agent runs preflights as unless configured otherwise.
pub const DEFAULT_PREFLIGHT_USER: &str = "nobody";

/// How the device treats the artefacts it is asked to download and run.
#[derive(Clone, PartialEq, Eq)]
pub struct ArtifactPolicy {
    /// Allow plain `http` URLs (the SHA-256 still proves the file, but the request's URL and
    /// the file's existence are visible and a redirect could be steered). Default: off.
    pub allow_http: bool,
    /// Publisher keys; when any is set, every artefact needs a signature by one of them.
    pub trusted_keys: Vec<TrustedKey>,
    /// The user an agent running as root runs a new binary's preflight (`--version`) as;
    /// `None` keeps the agent's own privileges (for tests and containers without the user).
    pub preflight_user: Option<String>,
}

impl Default for ArtifactPolicy {
    fn default() -> Self {
        Self {
            allow_http: false,
            trusted_keys: Vec::new(),
            preflight_user: Some(DEFAULT_PREFLIGHT_USER.to_owned()),
        }
    }
}

impl fmt::Debug for ArtifactPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArtifactPolicy")
            .field("allow_http", &self.allow_http)
            .field("trusted_keys", &self.trusted_keys)
            .field("preflight_user", &self.preflight_user)
            .finish()
    }
}

/// A trusted publisher key.
#[derive(Clone, PartialEq, Eq)]
pub struct TrustedKey {
    kind: KeyKind,
}

#[derive(Clone, PartialEq, Eq)]
enum KeyKind {
    /// A minisign public key: its key id binds it to the signatures it made.
    Minisign {
        key: minisign_verify::PublicKey,
        key_id: [u8; 8],
    },
    /// A bare Ed25519 public key: it checks signatures of any key id.
    Raw([u8; 32]),
}

impl fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            KeyKind::Minisign { key_id, .. } => write!(f, "minisign key {}", show_key_id(*key_id)),
            KeyKind::Raw(bytes) => write!(
                f,
                "raw Ed25519 key {}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            ),
        }
    }
}

/// minisign shows key ids as the little-endian 64-bit number in upper-case hex.
fn show_key_id(id: [u8; 8]) -> String {
    format!("{:016X}", u64::from_le_bytes(id))
}

const MINISIGN_ED25519: [u8; 2] = *b"Ed";
const MINISIGN_KEY_LEN: usize = 42;

impl TrustedKey {
    /// Parses a key as written in the configuration: a minisign public key (the `RW…` base64
    /// line, or the whole `minisign.pub` text with its comment line), or a raw 32-byte Ed25519
    /// public key in base64. The error says which forms are accepted; keys are public, so
    /// nothing here is secret.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let line = match text.lines().map(str::trim).collect::<Vec<_>>().as_slice() {
            [one] => *one,
            [comment, key] if comment.starts_with("untrusted comment:") => *key,
            _ => {
                return Err(
                    "is neither a minisign public key (the `RW…` line or the minisign.pub text) nor a raw Ed25519 key in base64".to_owned(),
                );
            }
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(line)
            .map_err(|_| {
                "is not base64: give a minisign public key (`RW…`) or a raw 32-byte Ed25519 key in base64".to_owned()
            })?;
        match bytes.len() {
            MINISIGN_KEY_LEN => {
                let key = minisign_verify::PublicKey::from_base64(line).map_err(|e| {
                    format!(
                        "is not a minisign Ed25519 public key ({})",
                        e.to_string().to_lowercase()
                    )
                })?;
                let mut key_id = [0_u8; 8];
                key_id.copy_from_slice(&bytes[2..10]);
                Ok(Self {
                    kind: KeyKind::Minisign { key, key_id },
                })
            }
            32 => {
                let mut raw = [0_u8; 32];
                raw.copy_from_slice(&bytes);
                Ok(Self {
                    kind: KeyKind::Raw(raw),
                })
            }
            n => Err(format!(
                "decodes to {n} bytes: a minisign public key has {MINISIGN_KEY_LEN}, a raw Ed25519 key 32"
            )),
        }
    }

    /// This key as a minisign key for a signature of `key_id` (a raw key takes any id).
    fn for_key_id(&self, key_id: [u8; 8]) -> Option<minisign_verify::PublicKey> {
        match &self.kind {
            KeyKind::Minisign { key, key_id: own } => (*own == key_id).then(|| key.clone()),
            KeyKind::Raw(raw) => {
                let mut bytes = Vec::with_capacity(MINISIGN_KEY_LEN);
                bytes.extend_from_slice(&MINISIGN_ED25519);
                bytes.extend_from_slice(&key_id);
                bytes.extend_from_slice(raw);
                minisign_verify::PublicKey::from_base64(
                    &base64::engine::general_purpose::STANDARD.encode(bytes),
                )
                .ok()
            }
        }
    }

    fn is_minisign(&self) -> bool {
        matches!(self.kind, KeyKind::Minisign { .. })
    }
}

/// Whether `url` is plain `http` (the contract allows only `http` and `https`).
fn is_plain_http(url: &str) -> bool {
    url.get(..5)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http:"))
}

impl ArtifactPolicy {
    /// Refuses a plain `http` URL unless the configuration allows it.
    pub fn check_url(&self, url: &ArtifactUrl) -> DmResult<()> {
        if self.allow_http || !is_plain_http(url.expose()) {
            return Ok(());
        }
        Err(DmError::failed(
            error_code::INSECURE_URL,
            format!(
                "{} is plain http; this device downloads artefacts over https only (set `{ALLOW_HTTP_KEY} = true` in its configuration to allow http)",
                url.redacted()
            ),
        ))
    }

    /// Whether a redirect to `url` may be followed (an `https` download must not be steered
    /// to `http`).
    pub fn allows_redirect_to(&self, url: &str) -> bool {
        self.allow_http || !is_plain_http(url)
    }

    /// Checks the downloaded file at `path` against the trusted keys: with none configured,
    /// anything passes; otherwise `signature` must be a minisign signature of the file by one of
    /// them. Reads the file in chunks (blocking: call it off the runtime).
    pub fn verify_file(&self, path: &Path, signature: Option<&str>) -> DmResult<()> {
        self.verify(Signed::File(path), signature)
    }

    /// [`ArtifactPolicy::verify_file`] for material that came inline in the request (a
    /// certificate's `pem`): it is installed as it is, so it is signed as it is.
    pub fn verify_bytes(&self, what: &str, bytes: &[u8], signature: Option<&str>) -> DmResult<()> {
        self.verify(Signed::Bytes(what, bytes), signature)
    }

    fn verify(&self, signed: Signed<'_>, signature: Option<&str>) -> DmResult<()> {
        if self.trusted_keys.is_empty() {
            return Ok(());
        }
        let Some(text) = signature else {
            return Err(DmError::failed(
                error_code::SIGNATURE_REQUIRED,
                format!(
                    "this device trusts {} publisher key(s) (`{TRUSTED_KEYS_KEY}`) and the request carries no `signature`; sign the file with `minisign -S` and pass its .minisig (dmctl --signature FILE)",
                    self.trusted_keys.len()
                ),
            ));
        };
        let signature = minisign_verify::Signature::decode(text).map_err(|e| {
            DmError::failed(
                error_code::SIGNATURE_INVALID,
                format!(
                    "`signature` is not a minisign signature ({})",
                    e.to_string().to_lowercase()
                ),
            )
        })?;
        let key_id = signature_key_id(text).ok_or_else(|| {
            DmError::failed(
                error_code::SIGNATURE_INVALID,
                "`signature` is not a minisign signature (no key id)",
            )
        })?;
        let shown = show_key_id(key_id);
        let mut named_key_failed = None;
        for trusted in &self.trusted_keys {
            let Some(key) = trusted.for_key_id(key_id) else {
                continue;
            };
            match verify_stream(&key, &signature, signed)? {
                Ok(()) => {
                    tracing::info!(target: "audit", key_id = %shown, file = %signed, "artefact signature verified");
                    return Ok(());
                }
                Err(reason) if trusted.is_minisign() => named_key_failed = Some(reason),
                Err(_) => {}
            }
        }
        match named_key_failed {
            Some(reason) => Err(DmError::failed(
                error_code::SIGNATURE_INVALID,
                format!(
                    "the signature by trusted key {shown} does not match {}: {reason}; nothing was installed",
                    signed.described()
                ),
            )),
            None => Err(DmError::failed(
                error_code::SIGNATURE_UNTRUSTED,
                format!(
                    "the file is signed by key {shown}, which is not among the keys this device trusts (`{TRUSTED_KEYS_KEY}`), or the signature does not match it; nothing was installed"
                ),
            )),
        }
    }
}

/// What a signature is checked over.
#[derive(Clone, Copy)]
enum Signed<'a> {
    /// A downloaded file.
    File(&'a Path),
    /// Material that came inline in the request, named for messages.
    Bytes(&'a str, &'a [u8]),
}

impl Signed<'_> {
    /// How a refusal names it.
    fn described(self) -> String {
        match self {
            Signed::File(_) => "the downloaded file".to_owned(),
            Signed::Bytes(what, _) => format!("the `{what}` sent"),
        }
    }
}

impl fmt::Display for Signed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Signed::File(path) => write!(f, "{}", path.display()),
            Signed::Bytes(what, _) => write!(f, "inline `{what}`"),
        }
    }
}

/// The key id a minisign signature names (bytes 2..10 of its second line).
fn signature_key_id(text: &str) -> Option<[u8; 8]> {
    let line = text.lines().nth(1)?.trim();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(line)
        .ok()?;
    bytes.get(2..10)?.try_into().ok()
}

/// Verifies `signature` over `signed` with `key`: the outer error is an I/O failure, the inner
/// one why the signature does not hold.
fn verify_stream(
    key: &minisign_verify::PublicKey,
    signature: &minisign_verify::Signature,
    signed: Signed<'_>,
) -> DmResult<Result<(), String>> {
    let mut verifier = match key.verify_stream(signature) {
        Ok(verifier) => verifier,
        Err(minisign_verify::Error::UnsupportedLegacyMode) => {
            return Ok(Err(
                "it is a legacy (not prehashed) signature; sign with a current `minisign -S`"
                    .to_owned(),
            ));
        }
        Err(e) => return Ok(Err(e.to_string().to_lowercase())),
    };
    let path = match signed {
        Signed::File(path) => path,
        Signed::Bytes(_, bytes) => {
            verifier.update(bytes);
            return Ok(verifier
                .finalize()
                .map_err(|e| e.to_string().to_lowercase()));
        }
    };
    let mut file = std::fs::File::open(path).map_err(|e| DmError::io("cannot open", path, e))?;
    let mut buf = vec![0_u8; 64 * 1024];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| DmError::io("cannot read", path, e))?;
        if n == 0 {
            break;
        }
        verifier.update(&buf[..n]);
    }
    Ok(verifier
        .finalize()
        .map_err(|e| e.to_string().to_lowercase()))
}

/// A version as the downgrade check reads it: semantic, with an optional leading `v`.
fn semantic(version: &str) -> Option<semver::Version> {
    let bare = version
        .strip_prefix('v')
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(version);
    semver::Version::parse(bare).ok()
}

/// How `requested` compares with `current`: `None` when either is not a semantic version (and
/// they are not the same text).
pub fn compare_versions(current: &str, requested: &str) -> Option<Ordering> {
    if current == requested {
        return Some(Ordering::Equal);
    }
    Some(semantic(requested)?.cmp(&semantic(current)?))
}

/// Refuses to replace `current` by an older `requested` (or one that cannot be compared with
/// it) unless `allow_downgrade`. `what` names the thing: "the agent", "app `plc-bridge`".
pub fn check_downgrade(
    what: &str,
    current: &str,
    requested: &str,
    allow_downgrade: bool,
) -> DmResult<()> {
    let refusal = match compare_versions(current, requested) {
        Some(Ordering::Equal | Ordering::Greater) => return Ok(()),
        Some(Ordering::Less) => format!(
            "{requested} is older than {current}, the version of {what} now; set `allowDowngrade` (dmctl --allow-downgrade) to install it anyway"
        ),
        None => format!(
            "cannot tell whether {requested} is newer than {current}, the version of {what} now: they are not both semantic versions (MAJOR.MINOR.PATCH); set `allowDowngrade` (dmctl --allow-downgrade) to install it anyway"
        ),
    };
    if allow_downgrade {
        tracing::warn!(target: "audit", %what, from = %current, to = %requested, "downgrade allowed by the request");
        return Ok(());
    }
    Err(DmError::failed(error_code::DOWNGRADE_REFUSED, refusal))
}

/// [`check_downgrade`] for a request that may not name the version it installs (an app
/// install without `version`): with no version to compare, replacing an installed version is
/// refused unless the request allows a downgrade, because it may be one.
pub fn check_unversioned_or_downgrade(
    what: &str,
    current: &str,
    requested: Option<&str>,
    allow_downgrade: bool,
) -> DmResult<()> {
    if let Some(requested) = requested {
        return check_downgrade(what, current, requested, allow_downgrade);
    }
    if allow_downgrade {
        tracing::warn!(target: "audit", %what, from = %current, "replacement of unknown version allowed by the request");
        return Ok(());
    }
    Err(DmError::failed(
        error_code::DOWNGRADE_REFUSED,
        format!(
            "{what} is version {current} and the request names no version, so it may be a downgrade; name the package's version (`version`, dmctl --expect-version) or set `allowDowngrade` (dmctl --allow-downgrade) to install it without comparing"
        ),
    ))
}

impl ArtifactPolicy {
    /// Whom a preflight runs as: the configured user when this process runs as root.
    pub fn preflight_identity(&self) -> DmResult<Option<RunAs>> {
        let Some(name) = self.preflight_user.as_deref().filter(|n| !n.is_empty()) else {
            return Ok(None);
        };
        if !nix::unistd::geteuid().is_root() {
            return Ok(None);
        }
        match nix::unistd::User::from_name(name) {
            Ok(Some(user)) => Ok(Some(RunAs {
                name: name.to_owned(),
                uid: user.uid.as_raw(),
                gid: user.gid.as_raw(),
            })),
            Ok(None) => Err(DmError::failed(
                error_code::PREFLIGHT_FAILED,
                format!(
                    "the preflight user `{name}` (`{PREFLIGHT_USER_KEY}`) does not exist on this device; the agent does not run a new binary as root"
                ),
            )),
            Err(e) => Err(DmError::failed(
                error_code::PREFLIGHT_FAILED,
                format!("cannot look up the preflight user `{name}` (`{PREFLIGHT_USER_KEY}`): {e}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_semantically_and_refuse_what_cannot_be_compared() {
        assert_eq!(compare_versions("0.9.1", "0.10.0"), Some(Ordering::Greater));
        assert_eq!(compare_versions("1.0.0", "v0.9.0"), Some(Ordering::Less));
        assert_eq!(compare_versions("1.0.0", "1.0.0-rc1"), Some(Ordering::Less));
        assert_eq!(compare_versions("2024.1", "2024.1"), Some(Ordering::Equal));
        assert_eq!(compare_versions("2024.1", "2024.2"), None);
        check_downgrade("the agent", "0.9.1", "0.10.0", false).unwrap();
        check_downgrade("the agent", "0.9.1", "0.9.1", false).unwrap();
        let err = check_downgrade("the agent", "0.10.0", "0.9.1", false).unwrap_err();
        assert_eq!(err.code(), "downgradeRefused");
        assert!(
            err.to_string().contains("0.9.1 is older than 0.10.0"),
            "{err}"
        );
        let err = check_downgrade("app `x`", "1:2.0-1", "2.1", false).unwrap_err();
        assert_eq!(err.code(), "downgradeRefused");
        assert!(err.to_string().contains("cannot tell"), "{err}");
        check_downgrade("the agent", "0.10.0", "0.9.1", true).unwrap();
        check_downgrade("app `x`", "1:2.0-1", "2.1", true).unwrap();
    }

    #[test]
    fn http_is_refused_unless_allowed_and_the_message_names_the_key() {
        let url = ArtifactUrl::new("http://a.example/p.deb?sig=SECRET");
        let err = ArtifactPolicy::default().check_url(&url).unwrap_err();
        assert_eq!(err.code(), "insecureUrl");
        let text = err.to_string();
        assert!(text.contains("artifacts.allow_http"), "{text}");
        assert!(!text.contains("SECRET"), "{text}");
        ArtifactPolicy::default()
            .check_url(&ArtifactUrl::new("https://a.example/p.deb"))
            .unwrap();
        let open = ArtifactPolicy {
            allow_http: true,
            ..ArtifactPolicy::default()
        };
        open.check_url(&url).unwrap();
        assert!(!ArtifactPolicy::default().allows_redirect_to("HTTP://a.example/x"));
        assert!(open.allows_redirect_to("http://a.example/x"));
    }

    #[test]
    fn keys_parse_in_every_documented_form_and_bad_ones_say_why() {
        let keypair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        let line = keypair.pk.to_base64();
        let file = keypair.pk.to_box().unwrap().into_string();
        assert!(TrustedKey::parse(&line).unwrap().is_minisign());
        assert!(TrustedKey::parse(&file).unwrap().is_minisign());
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&line)
            .unwrap();
        let raw = base64::engine::general_purpose::STANDARD.encode(&raw[10..]);
        assert!(!TrustedKey::parse(&raw).unwrap().is_minisign());
        assert!(
            TrustedKey::parse("not base64!")
                .unwrap_err()
                .contains("base64")
        );
        assert!(TrustedKey::parse("AAAA").unwrap_err().contains("3 bytes"));
    }
}
