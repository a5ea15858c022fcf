//! Typed payloads of every direct method, with their validation.
//!
//! Requests are strict (`deny_unknown_fields`): a typo such as `delaySecs` must come back as
//! 400 naming the field rather than be silently ignored, which is how the Windows client lost
//! commands. Forward compatibility comes from the manifest instead (see the crate docs,
//! "Versioning"): fields added after contract v1 are optional and `dmctl` sends them only to
//! agents whose `contractVersion` knows them. Defaults are omitted when serializing, so a
//! request that does not use a newer feature is byte-for-byte what an older agent expects.

use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::check::{self, ArtifactUrl, MAX_TEXT_LEN, Secret, Validate};
use crate::{ContractError, Method, OperationId};

/// Longest accepted reboot delay: one day. Later reboots belong in `desired.dm.reboot.schedule`.
pub const MAX_REBOOT_DELAY_SECONDS: u32 = 86_400;
/// Most packages one `dm.updates.install` may name.
pub const MAX_UPDATE_PACKAGES: usize = 256;
/// Largest PEM accepted inline by `dm.certificates.install`, in bytes.
pub const MAX_PEM_BYTES: usize = 64 * 1024;
/// Most units or paths one `dm.diagnostics.collect` may name.
pub const MAX_LOG_SOURCES: usize = 32;
/// Default collection cap of `dm.diagnostics.collect`: 1 MiB.
pub const DEFAULT_COLLECT_MAX_BYTES: u32 = 1024 * 1024;
/// Smallest `maxBytes` of `dm.diagnostics.collect`: 1 KiB.
pub const MIN_COLLECT_MAX_BYTES: u32 = 1024;
/// Largest `maxBytes` of `dm.diagnostics.collect`: 64 MiB (uploaded, never inline).
pub const MAX_COLLECT_MAX_BYTES: u32 = 64 * 1024 * 1024;
/// Largest log text returned inline in a 200 answer: 64 KiB, well under the hub's 128 KB
/// method-response limit once JSON-escaped.
pub const MAX_INLINE_LOG_BYTES: u32 = 64 * 1024;
/// Longest temporary log-level change: 7 days.
pub const MAX_LOG_LEVEL_DURATION_SECONDS: u32 = 7 * 86_400;
/// Default and maximum number of entries `dm.apps.list` returns.
pub const DEFAULT_APPS_LIST_LIMIT: u32 = 500;
/// Maximum `limit` of `dm.apps.list` (keeps the answer under 128 KB).
pub const MAX_APPS_LIST_LIMIT: u32 = 2000;

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_false(value: &bool) -> bool {
    !*value
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_true(value: &bool) -> bool {
    *value
}

fn yes() -> bool {
    true
}

/// The `force` and `postpone` flags of a disruptive method.
pub trait Disruptive {
    /// Override busy leases and run anyway.
    fn force(&self) -> bool;
    /// Wait for busy leases to end instead of answering 409.
    fn postpone(&self) -> bool;
}

fn check_disruption(force: bool, postpone: bool) -> Result<(), ContractError> {
    if force && postpone {
        return Err(ContractError::invalid(
            "postpone",
            "cannot be combined with `force`: force runs now, postpone waits for busy leases",
        ));
    }
    Ok(())
}

macro_rules! disruptive {
    ($($ty:ty),*) => {$(
        impl Disruptive for $ty {
            fn force(&self) -> bool { self.force }
            fn postpone(&self) -> bool { self.postpone }
        }
    )*};
}

/// Payload of the methods that take none (`dm.updates.scan`, `dm.time.get`, `dm.wifi.list`,
/// `dm.info.get`, `dm.reportAll`): `{}` or no payload at all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmptyRequest {}

impl Validate for EmptyRequest {
    fn validate(&self) -> Result<(), ContractError> {
        Ok(())
    }
}

/// `dm.reboot`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RebootRequest {
    /// Seconds to wait before rebooting, 0 to [`MAX_REBOOT_DELAY_SECONDS`]; absent means now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_seconds: Option<u32>,
    /// Why, for the audit log and `reported.dm.reboot.lastRebootReason` (≤ 256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Reboot even if busy leases are held.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force: bool,
    /// Wait for busy leases to end instead of answering 409.
    #[serde(default, skip_serializing_if = "is_false")]
    pub postpone: bool,
}

impl Validate for RebootRequest {
    fn validate(&self) -> Result<(), ContractError> {
        if let Some(delay) = self.delay_seconds {
            check::range("delaySeconds", delay, 0, MAX_REBOOT_DELAY_SECONDS)?;
        }
        if let Some(reason) = &self.reason {
            check::text("reason", reason, MAX_TEXT_LEN)?;
        }
        check_disruption(self.force, self.postpone)
    }
}

/// `dm.factoryReset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FactoryResetRequest {
    /// The device's own id, as confirmation; the agent refuses the reset (400) if it differs.
    pub confirm_device_id: String,
    /// Also clear the TPM (device identity keys held there are lost).
    #[serde(default, skip_serializing_if = "is_false")]
    pub clear_tpm: bool,
    /// Also erase the data partition (application data), not only configuration.
    #[serde(default, skip_serializing_if = "is_false")]
    pub wipe_data: bool,
    /// Reset even if busy leases are held.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force: bool,
    /// Wait for busy leases to end instead of answering 409.
    #[serde(default, skip_serializing_if = "is_false")]
    pub postpone: bool,
}

impl FactoryResetRequest {
    /// A reset of `device_id` with no optional flags.
    pub fn new(device_id: impl Into<String>) -> Self {
        Self {
            confirm_device_id: device_id.into(),
            clear_tpm: false,
            wipe_data: false,
            force: false,
            postpone: false,
        }
    }

    /// Checks the confirmation against the receiving device's id (the agent calls this after
    /// [`Validate::validate`]).
    pub fn confirm(&self, device_id: &str) -> Result<(), ContractError> {
        if self.confirm_device_id == device_id {
            Ok(())
        } else {
            Err(ContractError::ConfirmationMismatch)
        }
    }
}

impl Validate for FactoryResetRequest {
    fn validate(&self) -> Result<(), ContractError> {
        check::device_id("confirmDeviceId", &self.confirm_device_id)?;
        check_disruption(self.force, self.postpone)
    }
}

/// `dm.apps.install`: download a package, check its SHA-256, install it, then manage `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppInstallRequest {
    /// The app's name once installed: its package and/or systemd unit name.
    pub name: String,
    /// Where to download the package from: `https`, or `http` only where the device's
    /// configuration allows it (`artifacts.allow_http`); may be a signed URL.
    pub url: ArtifactUrl,
    /// SHA-256 of the downloaded file, 64 hex digits. Mandatory: it, not TLS, proves the file.
    pub sha256: String,
    /// The version the package should report after install; the operation fails if it differs.
    /// The agent also compares it with the installed version and refuses a lower one unless
    /// `allowDowngrade` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Enable the app's unit at boot (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enable: bool,
    /// Start the app's unit after install (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub start: bool,
    /// Install `version` even when it is lower than the installed one (or cannot be compared).
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_downgrade: bool,
    /// The publisher's detached minisign signature of the file (the text of its `.minisig`).
    /// Required by agents configured with trusted keys; checked before anything is installed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

impl Validate for AppInstallRequest {
    fn validate(&self) -> Result<(), ContractError> {
        check::name("name", &self.name)?;
        check::download_url("url", self.url.expose())?;
        check::sha256("sha256", &self.sha256)?;
        if let Some(version) = &self.version {
            check::version_string("version", version)?;
        }
        if let Some(signature) = &self.signature {
            check::signature("signature", signature)?;
        }
        Ok(())
    }
}

/// `dm.agent.update` (since v2): download a new agent binary, check its SHA-256, check that it
/// runs and is `version`, then replace the running agent and restart it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AgentUpdateRequest {
    /// Where to download the binary from: `https`, or `http` only where the device's
    /// configuration allows it (`artifacts.allow_http`); may be a signed URL.
    pub url: ArtifactUrl,
    /// SHA-256 of the downloaded file, 64 hex digits. Mandatory: it, not TLS, proves the file.
    pub sha256: String,
    /// The version the new binary must report (`--version`) and the agent must run as after
    /// the restart; 1 to 64 characters from `0-9 A-Z a-z . + -`.
    pub version: String,
    /// Install `version` even when it is lower than the running one (or cannot be compared).
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_downgrade: bool,
    /// The publisher's detached minisign signature of the binary (the text of its `.minisig`).
    /// Required by agents configured with trusted keys; checked before the binary runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

impl Validate for AgentUpdateRequest {
    fn validate(&self) -> Result<(), ContractError> {
        check::download_url("url", self.url.expose())?;
        check::sha256("sha256", &self.sha256)?;
        check::agent_version("version", &self.version)?;
        if let Some(signature) = &self.signature {
            check::signature("signature", signature)?;
        }
        Ok(())
    }
}

/// `dm.apps.remove`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppRemoveRequest {
    /// The app to remove.
    pub name: String,
    /// Also delete its configuration and data (package purge).
    #[serde(default, skip_serializing_if = "is_false")]
    pub purge: bool,
    /// Remove even if busy leases are held.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force: bool,
    /// Wait for busy leases to end instead of answering 409.
    #[serde(default, skip_serializing_if = "is_false")]
    pub postpone: bool,
}

impl Validate for AppRemoveRequest {
    fn validate(&self) -> Result<(), ContractError> {
        check::name("name", &self.name)?;
        check_disruption(self.force, self.postpone)
    }
}

/// `dm.apps.start`, `dm.apps.enable`, `dm.apps.disable`: one app by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppRequest {
    /// The app (package or systemd unit name).
    pub name: String,
}

impl Validate for AppRequest {
    fn validate(&self) -> Result<(), ContractError> {
        check::name("name", &self.name)
    }
}

/// `dm.apps.stop`, `dm.apps.restart`: one app, disruptively.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppControlRequest {
    /// The app (package or systemd unit name).
    pub name: String,
    /// Act even if busy leases are held.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force: bool,
    /// Wait for busy leases to end instead of answering 409.
    #[serde(default, skip_serializing_if = "is_false")]
    pub postpone: bool,
}

impl Validate for AppControlRequest {
    fn validate(&self) -> Result<(), ContractError> {
        check::name("name", &self.name)?;
        check_disruption(self.force, self.postpone)
    }
}

/// What an app entry is on the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AppKind {
    /// A systemd unit.
    Unit,
    /// An OS package.
    Package,
}

/// `dm.apps.list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppListRequest {
    /// Only units or only packages; absent means both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AppKind>,
    /// Case-insensitive substring the name must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// At most this many entries, 1 to [`MAX_APPS_LIST_LIMIT`] (default
    /// [`DEFAULT_APPS_LIST_LIMIT`]); the answer says when it was truncated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl Validate for AppListRequest {
    fn validate(&self) -> Result<(), ContractError> {
        if let Some(filter) = &self.filter {
            check::text("filter", filter, check::MAX_NAME_LEN)?;
        }
        if let Some(limit) = self.limit {
            check::range("limit", limit, 1, MAX_APPS_LIST_LIMIT)?;
        }
        Ok(())
    }
}

/// `dm.updates.install`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdatesInstallRequest {
    /// Packages to update, as `name` or `name=version`. Empty means what the update policy
    /// allows: the `approved` list, plus security updates under `security`, plus everything
    /// under `automatic`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    /// Reboot after install when an update needs it; otherwise the agent reports
    /// `pendingReboot: true` and leaves the reboot to the operator or the schedule.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reboot_if_required: bool,
    /// Install even if busy leases are held.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force: bool,
    /// Wait for busy leases to end instead of answering 409.
    #[serde(default, skip_serializing_if = "is_false")]
    pub postpone: bool,
}

impl Validate for UpdatesInstallRequest {
    fn validate(&self) -> Result<(), ContractError> {
        check::max_items("packages", &self.packages, MAX_UPDATE_PACKAGES)?;
        for (i, package) in self.packages.iter().enumerate() {
            check::package_spec(&format!("packages[{i}]"), package)?;
        }
        check_disruption(self.force, self.postpone)
    }
}

/// Which certificate store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CertStore {
    /// Trust anchors (CA certificates the device trusts).
    Trust,
    /// Client certificates with their private keys (the device's own identities).
    Client,
}

/// `dm.certificates.install`: from `url` + `sha256`, or inline `pem`, exactly one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CertInstallRequest {
    /// The store to install into.
    pub store: CertStore,
    /// Where to download the certificate (PEM or DER; for `client`, PEM with key or PKCS#12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<ArtifactUrl>,
    /// SHA-256 of the downloaded file; required with `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The certificate inline as PEM (for `client`, followed by its private key). Redacted from
    /// `Debug`; never echoed into the twin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pem: Option<Secret>,
    /// The publisher's detached minisign signature of the certificate file (the downloaded
    /// file, or the `pem` text exactly as sent). Required by agents configured with trusted
    /// keys, as for every artefact: a certificate decides whom the device trusts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

impl Validate for CertInstallRequest {
    fn validate(&self) -> Result<(), ContractError> {
        if let Some(signature) = &self.signature {
            check::signature("signature", signature)?;
        }
        match (&self.url, &self.sha256, &self.pem) {
            (Some(url), Some(sha256), None) => {
                check::download_url("url", url.expose())?;
                check::sha256("sha256", sha256)
            }
            (Some(_), None, None) => {
                Err(ContractError::invalid("sha256", "is required with `url`"))
            }
            (None, Some(_), None) => {
                Err(ContractError::invalid("url", "is required with `sha256`"))
            }
            (None, None, Some(pem)) => {
                let pem = pem.expose();
                if pem.len() > MAX_PEM_BYTES {
                    return Err(ContractError::invalid(
                        "pem",
                        format!("is larger than {MAX_PEM_BYTES} bytes"),
                    ));
                }
                if !pem.contains("-----BEGIN CERTIFICATE-----") {
                    return Err(ContractError::invalid(
                        "pem",
                        "holds no `BEGIN CERTIFICATE` block",
                    ));
                }
                if self.store == CertStore::Trust && pem.contains("PRIVATE KEY-----") {
                    return Err(ContractError::invalid(
                        "pem",
                        "holds a private key; trust anchors must be certificates only",
                    ));
                }
                Ok(())
            }
            (None, None, None) => Err(ContractError::invalid(
                "url",
                "give either `url` with `sha256`, or `pem`",
            )),
            (_, _, Some(_)) => Err(ContractError::invalid(
                "pem",
                "cannot be combined with `url`/`sha256`",
            )),
        }
    }
}

/// `dm.certificates.remove`, `dm.certificates.show`: one certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CertRef {
    /// The store holding it.
    pub store: CertStore,
    /// SHA-256 fingerprint of the DER certificate, 64 hex digits.
    pub thumbprint: String,
}

impl Validate for CertRef {
    fn validate(&self) -> Result<(), ContractError> {
        check::thumbprint("thumbprint", &self.thumbprint)
    }
}

/// `dm.certificates.list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CertListRequest {
    /// Only this store; absent means both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<CertStore>,
}

impl Validate for CertListRequest {
    fn validate(&self) -> Result<(), ContractError> {
        Ok(())
    }
}

/// Wi-Fi security of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WifiSecurity {
    /// No encryption; no passphrase.
    Open,
    /// WPA2 personal (PSK).
    Wpa2Psk,
    /// WPA3 personal (SAE).
    Wpa3Sae,
}

/// `dm.wifi.add`: add a profile, or replace the profile with the same SSID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WifiAddRequest {
    /// The network name, 1 to 32 bytes of UTF-8.
    pub ssid: String,
    /// The security mode.
    pub security: WifiSecurity,
    /// The passphrase: 8 to 63 printable ASCII characters (or 64 hex digits for a raw WPA2
    /// key). Required unless `open`. It travels only here: the twin never holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase: Option<Secret>,
    /// The network does not broadcast its SSID.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hidden: bool,
    /// Connect automatically when in range (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub auto_connect: bool,
    /// Preference among profiles, -999 to 999; higher wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
}

fn check_ssid(field: &str, ssid: &str) -> Result<(), ContractError> {
    if ssid.is_empty() || ssid.len() > 32 {
        return Err(ContractError::invalid(field, "must be 1 to 32 bytes"));
    }
    if ssid.chars().any(char::is_control) {
        return Err(ContractError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

impl Validate for WifiAddRequest {
    fn validate(&self) -> Result<(), ContractError> {
        check_ssid("ssid", &self.ssid)?;
        match (self.security, &self.passphrase) {
            (WifiSecurity::Open, Some(_)) => {
                return Err(ContractError::invalid(
                    "passphrase",
                    "must be absent for an open network",
                ));
            }
            (WifiSecurity::Open, None) => {}
            (_, None) => {
                return Err(ContractError::invalid(
                    "passphrase",
                    "is required for a secured network",
                ));
            }
            (security, Some(secret)) => {
                let p = secret.expose();
                let printable =
                    (8..=63).contains(&p.len()) && p.bytes().all(|b| (0x20..=0x7e).contains(&b));
                let raw_key = security == WifiSecurity::Wpa2Psk
                    && p.len() == 64
                    && p.bytes().all(|b| b.is_ascii_hexdigit());
                if !printable && !raw_key {
                    return Err(ContractError::invalid(
                        "passphrase",
                        "must be 8 to 63 printable ASCII characters (or 64 hex digits for WPA2)",
                    ));
                }
            }
        }
        if let Some(priority) = self.priority {
            check::range("priority", priority, -999, 999)?;
        }
        Ok(())
    }
}

/// `dm.wifi.remove`: by profile `id`, or every profile of an `ssid`; exactly one of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WifiRemoveRequest {
    /// The profile id as reported in `reported.dm.network.wifi[].id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Remove every profile for this SSID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssid: Option<String>,
}

impl Validate for WifiRemoveRequest {
    fn validate(&self) -> Result<(), ContractError> {
        match (&self.id, &self.ssid) {
            (Some(id), None) => check::text("id", id, check::MAX_NAME_LEN).and_then(|()| {
                if id.is_empty() {
                    Err(ContractError::invalid("id", "must not be empty"))
                } else {
                    Ok(())
                }
            }),
            (None, Some(ssid)) => check_ssid("ssid", ssid),
            (Some(_), Some(_)) => Err(ContractError::invalid(
                "ssid",
                "give either `id` or `ssid`, not both",
            )),
            (None, None) => Err(ContractError::invalid("id", "give either `id` or `ssid`")),
        }
    }
}

/// How `dm.diagnostics.collect` returns what it collected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Delivery {
    /// Inline (200) when at most [`MAX_INLINE_LOG_BYTES`], otherwise uploaded (202).
    #[default]
    Auto,
    /// Always inline (200); truncated to [`MAX_INLINE_LOG_BYTES`], newest lines kept.
    Inline,
    /// Always through IoT Hub file upload (202).
    Upload,
}

/// `dm.diagnostics.collect`: journal and/or file logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DiagnosticsCollectRequest {
    /// Include the systemd journal (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub journal: bool,
    /// Only these systemd units' journal entries; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    /// Log files or directories to include; absolute, no `..`. The agent may restrict them to
    /// its configured roots (answering 400 `pathNotAllowed`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Only entries at or after this instant (device clock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
    /// Only entries before this instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Timestamp>,
    /// Stop collecting after this many bytes (newest kept), [`MIN_COLLECT_MAX_BYTES`] to
    /// [`MAX_COLLECT_MAX_BYTES`]; default [`DEFAULT_COLLECT_MAX_BYTES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u32>,
    /// Inline, upload, or decide by size (default).
    #[serde(default, skip_serializing_if = "is_auto")]
    pub delivery: Delivery,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_auto(delivery: &Delivery) -> bool {
    *delivery == Delivery::Auto
}

impl Default for DiagnosticsCollectRequest {
    fn default() -> Self {
        Self {
            journal: true,
            units: Vec::new(),
            paths: Vec::new(),
            since: None,
            until: None,
            max_bytes: None,
            delivery: Delivery::Auto,
        }
    }
}

impl Validate for DiagnosticsCollectRequest {
    fn validate(&self) -> Result<(), ContractError> {
        check::max_items("units", &self.units, MAX_LOG_SOURCES)?;
        check::max_items("paths", &self.paths, MAX_LOG_SOURCES)?;
        if !self.journal && !self.units.is_empty() {
            return Err(ContractError::invalid(
                "units",
                "filters the journal, but `journal` is false",
            ));
        }
        if !self.journal && self.paths.is_empty() {
            return Err(ContractError::invalid(
                "paths",
                "nothing to collect: `journal` is false and no paths are given",
            ));
        }
        for (i, unit) in self.units.iter().enumerate() {
            check::name(&format!("units[{i}]"), unit)?;
        }
        for (i, path) in self.paths.iter().enumerate() {
            check::absolute_path(&format!("paths[{i}]"), path)?;
        }
        if let (Some(since), Some(until)) = (self.since, self.until)
            && since >= until
        {
            return Err(ContractError::invalid(
                "until",
                "must be later than `since`",
            ));
        }
        if let Some(max) = self.max_bytes {
            check::range(
                "maxBytes",
                max,
                MIN_COLLECT_MAX_BYTES,
                MAX_COLLECT_MAX_BYTES,
            )?;
        }
        Ok(())
    }
}

/// The agent's log level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LogLevel {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warn,
    /// The default.
    Info,
    /// Debugging detail.
    Debug,
    /// Everything.
    Trace,
}

/// `dm.diagnostics.setLogLevel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetLogLevelRequest {
    /// The new level.
    pub level: LogLevel,
    /// Revert to the configured level after this many seconds (1 to
    /// [`MAX_LOG_LEVEL_DURATION_SECONDS`]); absent means until the agent restarts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
}

impl Validate for SetLogLevelRequest {
    fn validate(&self) -> Result<(), ContractError> {
        if let Some(duration) = self.duration_seconds {
            check::range(
                "durationSeconds",
                duration,
                1,
                MAX_LOG_LEVEL_DURATION_SECONDS,
            )?;
        }
        Ok(())
    }
}

/// `dm.operations.cancel`: cancel a `pending` or `postponed` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelRequest {
    /// The operation to cancel.
    pub operation_id: OperationId,
}

impl Validate for CancelRequest {
    fn validate(&self) -> Result<(), ContractError> {
        // The id's syntax is checked while parsing.
        Ok(())
    }
}

disruptive!(
    RebootRequest,
    FactoryResetRequest,
    AppRemoveRequest,
    AppControlRequest,
    UpdatesInstallRequest
);

macro_rules! requests {
    ($( $variant:ident($ty:ty) ),* $(,)?) => {
        /// A parsed and validated request for any method.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Request {
            $(
                #[doc = concat!("The payload of [`Method::", stringify!($variant), "`].")]
                $variant($ty),
            )*
        }

        impl Request {
            /// The method this request is for.
            pub fn method(&self) -> Method {
                match self { $( Request::$variant(_) => Method::$variant, )* }
            }

            /// Parses `payload` as `method`'s request and validates it. A JSON `null` (no
            /// payload) counts as `{}`.
            pub fn parse(method: Method, payload: &Value) -> Result<Self, ContractError> {
                match method {
                    $( Method::$variant => parse_payload::<$ty>(method, payload).map(Request::$variant), )*
                }
            }

            /// Parses a method call as the agent receives it: the method name and its payload.
            /// An unknown name is [`ContractError::UnknownMethod`] (answer it with
            /// [`MethodResponse::from_error`](crate::MethodResponse::from_error), giving 404).
            pub fn parse_call(name: &str, payload: &Value) -> Result<Self, ContractError> {
                Self::parse(Method::from_name(name)?, payload)
            }

            /// The JSON payload to send.
            pub fn to_payload(&self) -> Result<Value, ContractError> {
                let method = self.method();
                let value = match self { $( Request::$variant(r) => serde_json::to_value(r), )* };
                value.map_err(|e| ContractError::from_json(format!("{method} payload"), &e))
            }

            /// The `force`/`postpone` flags, for disruptive methods.
            pub fn disruption(&self) -> Option<&dyn Disruptive> {
                match self {
                    Request::Reboot(r) => Some(r),
                    Request::FactoryReset(r) => Some(r),
                    Request::AppsRemove(r) => Some(r),
                    Request::AppsStop(r) | Request::AppsRestart(r) => Some(r),
                    Request::UpdatesInstall(r) => Some(r),
                    _ => None,
                }
            }
        }

        impl Validate for Request {
            fn validate(&self) -> Result<(), ContractError> {
                match self { $( Request::$variant(r) => r.validate(), )* }
            }
        }
    };
}

requests! {
    Reboot(RebootRequest),
    FactoryReset(FactoryResetRequest),
    AppsInstall(AppInstallRequest),
    AppsRemove(AppRemoveRequest),
    AppsStart(AppRequest),
    AppsStop(AppControlRequest),
    AppsRestart(AppControlRequest),
    AppsEnable(AppRequest),
    AppsDisable(AppRequest),
    AppsList(AppListRequest),
    UpdatesScan(EmptyRequest),
    UpdatesInstall(UpdatesInstallRequest),
    CertificatesInstall(CertInstallRequest),
    CertificatesRemove(CertRef),
    CertificatesList(CertListRequest),
    CertificatesShow(CertRef),
    TimeGet(EmptyRequest),
    WifiList(EmptyRequest),
    WifiAdd(WifiAddRequest),
    WifiRemove(WifiRemoveRequest),
    DiagnosticsCollect(DiagnosticsCollectRequest),
    DiagnosticsSetLogLevel(SetLogLevelRequest),
    InfoGet(EmptyRequest),
    ReportAll(EmptyRequest),
    OperationsCancel(CancelRequest),
    AgentUpdate(AgentUpdateRequest),
}

/// Parses and validates one method's payload as `T`.
pub fn parse_payload<T>(method: Method, payload: &Value) -> Result<T, ContractError>
where
    T: DeserializeOwned + Validate,
{
    let empty = Value::Object(serde_json::Map::new());
    let payload = if payload.is_null() { &empty } else { payload };
    let request: T = crate::error::from_value(format!("{method} payload"), payload)?;
    request.validate()?;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DIGEST: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[allow(clippy::needless_pass_by_value)] // callers build the payload inline
    fn field_of(method: Method, payload: Value) -> Option<String> {
        match Request::parse(method, &payload) {
            Ok(r) => panic!("{method} accepted {payload}: {r:?}"),
            Err(e) => e.field().map(str::to_owned),
        }
    }

    #[test]
    fn every_method_rejects_unknown_fields() {
        for &method in Method::ALL {
            let err = Request::parse(method, &json!({"surelyNotAField": 1})).unwrap_err();
            assert_eq!(err.field(), Some("surelyNotAField"), "{method}: {err}");
            assert!(err.to_string().contains(method.name()), "{err}");
        }
    }

    #[test]
    fn parse_call_separates_unknown_methods_from_bad_payloads() {
        assert!(matches!(
            Request::parse_call("dm.reboot", &json!({"delaySeconds": 5})),
            Ok(Request::Reboot(RebootRequest {
                delay_seconds: Some(5),
                ..
            }))
        ));
        assert_eq!(
            Request::parse_call("dm.rebooot", &json!({})).unwrap_err(),
            ContractError::UnknownMethod("dm.rebooot".into())
        );
        assert!(matches!(
            Request::parse_call("dm.reboot", &json!({"delaySeconds": "soon"})),
            Err(ContractError::InvalidPayload { .. })
        ));
    }

    #[test]
    fn typo_is_named() {
        assert_eq!(
            field_of(Method::Reboot, json!({"delaySecs": 5})).as_deref(),
            Some("delaySecs")
        );
    }

    #[test]
    fn null_payload_is_an_empty_object() {
        assert_eq!(
            Request::parse(Method::Reboot, &Value::Null).unwrap(),
            Request::Reboot(RebootRequest::default())
        );
        assert_eq!(
            field_of(Method::FactoryReset, Value::Null).as_deref(),
            Some("confirmDeviceId")
        );
    }

    #[test]
    fn reboot_bounds() {
        let ok = |p| Request::parse(Method::Reboot, &p).is_ok();
        assert!(ok(json!({"delaySeconds": 0})));
        assert!(ok(json!({"delaySeconds": MAX_REBOOT_DELAY_SECONDS})));
        assert_eq!(
            field_of(
                Method::Reboot,
                json!({"delaySeconds": MAX_REBOOT_DELAY_SECONDS + 1})
            )
            .as_deref(),
            Some("delaySeconds")
        );
        assert!(Request::parse(Method::Reboot, &json!({"delaySeconds": -1})).is_err());
        assert!(ok(json!({"reason": "r".repeat(MAX_TEXT_LEN)})));
        assert_eq!(
            field_of(
                Method::Reboot,
                json!({"reason": "r".repeat(MAX_TEXT_LEN + 1)})
            )
            .as_deref(),
            Some("reason")
        );
        assert_eq!(
            field_of(Method::Reboot, json!({"force": true, "postpone": true})).as_deref(),
            Some("postpone")
        );
    }

    #[test]
    fn defaults_are_not_serialized() {
        let reboot = Request::Reboot(RebootRequest::default());
        assert_eq!(reboot.to_payload().unwrap(), json!({}));
        let collect = Request::DiagnosticsCollect(DiagnosticsCollectRequest::default());
        assert_eq!(collect.to_payload().unwrap(), json!({}));
        let install: AppInstallRequest = serde_json::from_value(
            json!({"name": "a", "url": "https://x.example/a.deb", "sha256": DIGEST}),
        )
        .unwrap();
        assert!(install.enable && install.start);
        assert_eq!(
            serde_json::to_value(&install).unwrap(),
            json!({"name": "a", "url": "https://x.example/a.deb", "sha256": DIGEST})
        );
    }

    #[test]
    fn factory_reset_confirmation() {
        let r = FactoryResetRequest::new("dev-1");
        r.validate().unwrap();
        r.confirm("dev-1").unwrap();
        assert_eq!(
            r.confirm("dev-2").unwrap_err().field(),
            Some("confirmDeviceId")
        );
        assert_eq!(
            field_of(Method::FactoryReset, json!({"confirmDeviceId": ""})).as_deref(),
            Some("confirmDeviceId")
        );
    }

    #[test]
    fn app_install_rules() {
        let base = json!({"name": "telemetry", "url": "https://x.example/t.deb", "sha256": DIGEST});
        Request::parse(Method::AppsInstall, &base).unwrap();
        for (key, value, field) in [
            ("sha256", json!("abc"), "sha256"),
            ("url", json!("ftp://x.example/t.deb"), "url"),
            ("name", json!("-rf"), "name"),
            ("version", json!("1 2"), "version"),
        ] {
            let mut p = base.clone();
            p[key] = value;
            assert_eq!(field_of(Method::AppsInstall, p).as_deref(), Some(field));
        }
        let mut missing = base.clone();
        missing.as_object_mut().unwrap().remove("sha256");
        assert_eq!(
            field_of(Method::AppsInstall, missing).as_deref(),
            Some("sha256")
        );
    }

    #[test]
    fn agent_update_rules() {
        let base = json!({"url": "https://x.example/dm-agent", "sha256": DIGEST, "version": "1.2.0+build.7"});
        let parsed = Request::parse(Method::AgentUpdate, &base).unwrap();
        assert_eq!(parsed.to_payload().unwrap(), base);
        assert!(parsed.disruption().is_none(), "restarts only the agent");
        for (key, value, field) in [
            ("sha256", json!("abc"), "sha256"),
            ("url", json!("file:///tmp/dm-agent"), "url"),
            ("version", json!(""), "version"),
            ("version", json!("1.2.0 beta"), "version"),
            ("version", json!("1.2.0~rc1"), "version"),
            ("version", json!("v".repeat(65)), "version"),
        ] {
            let mut p = base.clone();
            p[key] = value;
            assert_eq!(field_of(Method::AgentUpdate, p).as_deref(), Some(field));
        }
        let mut p = base.clone();
        p["version"] = json!("v".repeat(64));
        Request::parse(Method::AgentUpdate, &p).unwrap();
        for missing in ["url", "sha256", "version"] {
            let mut p = base.clone();
            p.as_object_mut().unwrap().remove(missing);
            assert_eq!(field_of(Method::AgentUpdate, p).as_deref(), Some(missing));
        }
    }

    /// The text of a `.minisig` file (shape only: the agent verifies it).
    const MINISIG: &str = "untrusted comment: signature from minisign secret key\nRUSNX6XBsuP0AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=\ntrusted comment: timestamp:1740823200\tfile:dm-agent\nQEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw==\n";

    #[test]
    fn artefact_requests_take_a_signature_and_allow_downgrade() {
        for (method, base) in [
            (
                Method::AgentUpdate,
                json!({"url": "https://x.example/dm-agent", "sha256": DIGEST, "version": "1.2.0"}),
            ),
            (
                Method::AppsInstall,
                json!({"name": "plc", "url": "https://x.example/p.deb", "sha256": DIGEST}),
            ),
        ] {
            let mut full = base.clone();
            full["allowDowngrade"] = json!(true);
            full["signature"] = json!(MINISIG);
            let parsed = Request::parse(method, &full).unwrap();
            assert_eq!(parsed.to_payload().unwrap(), full, "{method}");
            // Defaults stay off the wire.
            let parsed = Request::parse(method, &base).unwrap();
            assert_eq!(parsed.to_payload().unwrap(), base, "{method}");
            for bad in [
                json!("RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"),
                json!("untrusted comment: x\nnot base64\n"),
                json!(format!(
                    "untrusted comment: {}",
                    "x".repeat(check::MAX_SIGNATURE_LEN)
                )),
                json!(""),
                json!(42),
            ] {
                let mut p = base.clone();
                p["signature"] = bad.clone();
                assert_eq!(
                    field_of(method, p).as_deref(),
                    Some("signature"),
                    "{method}: {bad}"
                );
            }
            let mut p = base.clone();
            p["allowDowngrade"] = json!("yes");
            assert_eq!(field_of(method, p).as_deref(), Some("allowDowngrade"));
        }
        let err = check::signature(
            "signature",
            "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains(".minisig"), "{err}");
    }

    #[test]
    fn app_list_limit_bounds() {
        let parse = |limit: u32| Request::parse(Method::AppsList, &json!({"limit": limit}));
        assert!(parse(1).is_ok());
        assert!(parse(MAX_APPS_LIST_LIMIT).is_ok());
        assert!(parse(0).is_err());
        assert!(parse(MAX_APPS_LIST_LIMIT + 1).is_err());
    }

    #[test]
    fn updates_install_packages() {
        let ok =
            json!({"packages": ["openssl", "curl=8.5.0-2ubuntu10.6"], "rebootIfRequired": true});
        Request::parse(Method::UpdatesInstall, &ok).unwrap();
        assert_eq!(
            field_of(
                Method::UpdatesInstall,
                json!({"packages": ["ok", "bad name"]})
            )
            .as_deref(),
            Some("packages[1]")
        );
        let many: Vec<String> = (0..=MAX_UPDATE_PACKAGES).map(|i| format!("p{i}")).collect();
        assert_eq!(
            field_of(Method::UpdatesInstall, json!({"packages": many})).as_deref(),
            Some("packages")
        );
    }

    #[test]
    fn cert_install_needs_exactly_one_source() {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let ok = [
            json!({"store": "trust", "url": "https://pki.example/ca.pem", "sha256": DIGEST}),
            json!({"store": "trust", "pem": pem}),
            json!({"store": "client", "pem": format!("{pem}-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n")}),
        ];
        for p in ok {
            Request::parse(Method::CertificatesInstall, &p).unwrap();
        }
        for (p, field) in [
            (json!({"store": "trust"}), "url"),
            (
                json!({"store": "trust", "url": "https://pki.example/ca.pem"}),
                "sha256",
            ),
            (json!({"store": "trust", "sha256": DIGEST}), "url"),
            (
                json!({"store": "trust", "pem": pem, "url": "https://pki.example/ca.pem", "sha256": DIGEST}),
                "pem",
            ),
            (json!({"store": "trust", "pem": "not a pem"}), "pem"),
            (
                json!({"store": "trust", "pem": format!("{pem}-----BEGIN EC PRIVATE KEY-----\n")}),
                "pem",
            ),
            (
                json!({"store": "trust", "pem": "x".repeat(MAX_PEM_BYTES + 1)}),
                "pem",
            ),
        ] {
            assert_eq!(
                field_of(Method::CertificatesInstall, p).as_deref(),
                Some(field)
            );
        }
        let err = Request::parse(
            Method::CertificatesInstall,
            &json!({"store": "system", "pem": pem}),
        )
        .unwrap_err();
        assert!(err.to_string().contains("system"), "{err}");
    }

    #[test]
    fn pem_and_url_never_show_in_debug() {
        let r: CertInstallRequest = serde_json::from_value(json!({
            "store": "client",
            "pem": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nKEYDATA\n-----END PRIVATE KEY-----\n"
        }))
        .unwrap();
        assert!(!format!("{r:?}").contains("KEYDATA"));
        let r: CertInstallRequest = serde_json::from_value(json!({
            "store": "trust", "url": "https://a.example/ca.pem?sig=SIGNATURE", "sha256": DIGEST
        }))
        .unwrap();
        assert!(!format!("{r:?}").contains("SIGNATURE"));
    }

    #[test]
    fn thumbprint_rules() {
        assert!(
            Request::parse(
                Method::CertificatesShow,
                &json!({"store": "client", "thumbprint": DIGEST})
            )
            .is_ok()
        );
        assert_eq!(
            field_of(
                Method::CertificatesRemove,
                json!({"store": "client", "thumbprint": "AB:CD"})
            )
            .as_deref(),
            Some("thumbprint")
        );
    }

    #[test]
    fn wifi_add_rules() {
        let ok = |p: Value| Request::parse(Method::WifiAdd, &p).is_ok();
        assert!(ok(json!({"ssid": "Cafe", "security": "open"})));
        assert!(ok(
            json!({"ssid": "Plant 4", "security": "wpa2Psk", "passphrase": "12345678"})
        ));
        assert!(ok(
            json!({"ssid": "x", "security": "wpa2Psk", "passphrase": "a".repeat(63)})
        ));
        assert!(ok(
            json!({"ssid": "x", "security": "wpa2Psk", "passphrase": "ab".repeat(32)})
        ));
        assert!(ok(
            json!({"ssid": "s".repeat(32), "security": "open", "priority": 999})
        ));
        for (p, field) in [
            (json!({"ssid": "", "security": "open"}), "ssid"),
            (json!({"ssid": "s".repeat(33), "security": "open"}), "ssid"),
            (
                json!({"ssid": "x", "security": "open", "passphrase": "12345678"}),
                "passphrase",
            ),
            (json!({"ssid": "x", "security": "wpa3Sae"}), "passphrase"),
            (
                json!({"ssid": "x", "security": "wpa2Psk", "passphrase": "1234567"}),
                "passphrase",
            ),
            (
                json!({"ssid": "x", "security": "wpa3Sae", "passphrase": "ab".repeat(32)}),
                "passphrase",
            ),
            (
                json!({"ssid": "x", "security": "wpa2Psk", "passphrase": "pässword"}),
                "passphrase",
            ),
            (
                json!({"ssid": "x", "security": "open", "priority": 1000}),
                "priority",
            ),
        ] {
            let err = Request::parse(Method::WifiAdd, &p).unwrap_err();
            assert_eq!(err.field(), Some(field), "{p}");
            assert!(!err.to_string().contains("12345678"), "{err}");
        }
    }

    #[test]
    fn wifi_remove_needs_exactly_one_key() {
        assert!(Request::parse(Method::WifiRemove, &json!({"id": "a1"})).is_ok());
        assert!(Request::parse(Method::WifiRemove, &json!({"ssid": "Cafe"})).is_ok());
        assert_eq!(
            field_of(Method::WifiRemove, json!({})).as_deref(),
            Some("id")
        );
        assert_eq!(
            field_of(Method::WifiRemove, json!({"id": ""})).as_deref(),
            Some("id")
        );
        assert_eq!(
            field_of(Method::WifiRemove, json!({"id": "a", "ssid": "b"})).as_deref(),
            Some("ssid")
        );
    }

    #[test]
    fn diagnostics_collect_rules() {
        let ok = |p: Value| Request::parse(Method::DiagnosticsCollect, &p).is_ok();
        assert!(ok(json!({})));
        assert!(ok(json!({"journal": false, "paths": ["/var/log/app.log"]})));
        assert!(ok(json!({"maxBytes": MIN_COLLECT_MAX_BYTES})));
        assert!(ok(json!({"maxBytes": MAX_COLLECT_MAX_BYTES})));
        assert!(ok(
            json!({"since": "2025-03-01T00:00:00Z", "until": "2025-03-01T00:00:01Z"})
        ));
        for (p, field) in [
            (json!({"journal": false}), "paths"),
            (
                json!({"journal": false, "units": ["a"], "paths": ["/x"]}),
                "units",
            ),
            (json!({"units": ["ok.service", "-bad"]}), "units[1]"),
            (json!({"paths": ["/var/log/../../etc/shadow"]}), "paths[0]"),
            (json!({"paths": ["relative.log"]}), "paths[0]"),
            (
                json!({"since": "2025-03-01T00:00:00Z", "until": "2025-03-01T00:00:00Z"}),
                "until",
            ),
            (json!({"maxBytes": MIN_COLLECT_MAX_BYTES - 1}), "maxBytes"),
            (json!({"maxBytes": MAX_COLLECT_MAX_BYTES + 1}), "maxBytes"),
        ] {
            assert_eq!(
                field_of(Method::DiagnosticsCollect, p.clone()).as_deref(),
                Some(field),
                "{p}"
            );
        }
        let many: Vec<String> = (0..=MAX_LOG_SOURCES).map(|i| format!("/l/{i}")).collect();
        assert_eq!(
            field_of(Method::DiagnosticsCollect, json!({"paths": many})).as_deref(),
            Some("paths")
        );
        assert!(
            Request::parse(Method::DiagnosticsCollect, &json!({"since": "yesterday"})).is_err()
        );
    }

    #[test]
    fn log_level_rules() {
        assert!(
            Request::parse(
                Method::DiagnosticsSetLogLevel,
                &json!({"level": "debug", "durationSeconds": 1})
            )
            .is_ok()
        );
        assert!(
            Request::parse(
                Method::DiagnosticsSetLogLevel,
                &json!({"level": "debug", "durationSeconds": MAX_LOG_LEVEL_DURATION_SECONDS})
            )
            .is_ok()
        );
        assert_eq!(
            field_of(
                Method::DiagnosticsSetLogLevel,
                json!({"level": "debug", "durationSeconds": 0})
            )
            .as_deref(),
            Some("durationSeconds")
        );
        assert!(
            Request::parse(Method::DiagnosticsSetLogLevel, &json!({"level": "verbose"})).is_err()
        );
    }

    #[test]
    fn cancel_checks_the_id() {
        assert!(Request::parse(Method::OperationsCancel, &json!({"operationId": "op-1"})).is_ok());
        assert!(Request::parse(Method::OperationsCancel, &json!({"operationId": "op.1"})).is_err());
    }

    #[test]
    fn request_knows_its_method_and_flags() {
        for &method in Method::ALL {
            if let Ok(r) = Request::parse(method, &json!({})) {
                assert_eq!(r.method(), method);
                assert_eq!(r.disruption().is_some(), method.is_disruptive(), "{method}");
            }
        }
        let r = Request::parse(Method::AppsStop, &json!({"name": "a", "postpone": true})).unwrap();
        let flags = r.disruption().unwrap();
        assert!(flags.postpone() && !flags.force());
    }
}
