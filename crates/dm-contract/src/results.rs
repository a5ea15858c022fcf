//! Typed results: the 200 payloads of methods and the `result` of operation envelopes.
//!
//! These types are read by `dmctl`, possibly from a newer agent, so unlike requests they accept
//! unknown fields: agents only ever add fields. The same item shapes (an app, a certificate, a
//! Wi-Fi profile) appear in method answers and in reported sections, so they are defined once.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ContractError;
use crate::check::{self, Validate};
use crate::request::{AppKind, CertStore, LogLevel, WifiSecurity};

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_false(value: &bool) -> bool {
    !*value
}

/// An app on the device: `dm.apps.*` answers and `reported.dm.apps.managed[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    /// Package or unit name.
    pub name: String,
    /// What it is.
    pub kind: AppKind,
    /// Installed version, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The unit's state as systemd names it (`active`, `inactive`, `failed`, `activating`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Whether the unit starts at boot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// SHA-256 of the package it was installed from, for apps installed through dm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// When dm installed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_at: Option<Timestamp>,
}

/// `dm.apps.list` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInventory {
    /// The entries, sorted by name.
    pub apps: Vec<AppStatus>,
    /// How many entries matched before the limit.
    pub total: u32,
    /// Whether `apps` was cut at the request's `limit`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub truncated: bool,
}

/// A certificate: `dm.certificates.list` entries and `reported.dm.certificates` lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertInfo {
    /// SHA-256 fingerprint of the DER certificate, lower-case hex.
    pub thumbprint: String,
    /// The store holding it.
    pub store: CertStore,
    /// Subject distinguished name (RFC 4514).
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Start of validity.
    pub not_before: Timestamp,
    /// End of validity.
    pub not_after: Timestamp,
    /// Installed through dm (as opposed to shipped with the OS).
    #[serde(default, skip_serializing_if = "is_false")]
    pub managed: bool,
}

/// `dm.certificates.list` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertList {
    /// The certificates, sorted by subject.
    pub certificates: Vec<CertInfo>,
}

/// `dm.certificates.show` answer: [`CertInfo`] plus the certificate itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertDetails {
    /// The summary fields.
    #[serde(flatten)]
    pub info: CertInfo,
    /// Serial number, hex.
    pub serial_number: String,
    /// DNS names and IPs of the subjectAltName extension.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subject_alt_names: Vec<String>,
    /// The certificate as PEM (public; never the private key).
    pub pem: String,
}

/// Result of `dm.certificates.install` (envelope) and answer of `dm.certificates.remove`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertResult {
    /// SHA-256 fingerprint, lower-case hex.
    pub thumbprint: String,
    /// The store.
    pub store: CertStore,
    /// End of validity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<Timestamp>,
}

/// `dm.time.get` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeInfo {
    /// The IANA time zone in effect.
    pub time_zone: String,
    /// NTP servers in effect.
    pub ntp_servers: Vec<String>,
    /// Whether the clock is synchronized, when the backend can tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ntp_synchronized: Option<bool>,
    /// The device clock, UTC.
    pub utc_time: Timestamp,
    /// The device clock as local time with its offset (RFC 3339), e.g.
    /// `2025-03-01T11:00:00+01:00`.
    pub local_time: String,
}

/// A Wi-Fi profile as reported: identifiers only, never the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WifiProfile {
    /// The profile id on the device (e.g. a `NetworkManager` connection UUID).
    pub id: String,
    /// The network name.
    pub ssid: String,
    /// The security mode.
    pub security: WifiSecurity,
    /// Hidden network.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hidden: bool,
    /// Connects automatically.
    pub auto_connect: bool,
    /// Preference among profiles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    /// Currently connected through this profile.
    #[serde(default, skip_serializing_if = "is_false")]
    pub active: bool,
}

/// `dm.wifi.list` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WifiList {
    /// The profiles.
    pub profiles: Vec<WifiProfile>,
}

/// `dm.wifi.remove` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WifiRemoved {
    /// The profiles that were removed (empty: nothing matched, still 200).
    pub removed: Vec<WifiProfile>,
}

/// Where an uploaded log bundle went (IoT Hub file upload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadedBlob {
    /// The blob name as the hub reports it (`<deviceId>/<name>`).
    pub blob_name: String,
    /// The blob's URL **without** a SAS query; reading it needs the operator's own storage
    /// access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `dm.diagnostics.collect` outcome: the 200 answer (inline) or the envelope result (upload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticsResult {
    /// Bytes collected (before compression).
    pub bytes: u64,
    /// Whether collection stopped at `maxBytes` (or the inline cap).
    #[serde(default, skip_serializing_if = "is_false")]
    pub truncated: bool,
    /// The log text, when returned inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The uploaded bundle (`.tar.gz`), when uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<UploadedBlob>,
}

impl Validate for DiagnosticsResult {
    fn validate(&self) -> Result<(), ContractError> {
        if self.content.is_some() == self.upload.is_some() {
            return Err(ContractError::invalid(
                "content",
                "exactly one of `content` and `upload` must be present",
            ));
        }
        if let Some(url) = self.upload.as_ref().and_then(|u| u.url.as_deref())
            && (url.contains('?') || url.contains('#'))
        {
            // A blob URL with a query is a SAS: it must never reach the twin.
            return Err(ContractError::invalid(
                "upload.url",
                "must not carry a query string (a SAS token is a secret)",
            ));
        }
        Ok(())
    }
}

/// `dm.diagnostics.setLogLevel` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogLevelResult {
    /// The level now in effect.
    pub level: LogLevel,
    /// The level before.
    pub previous: LogLevel,
    /// When it reverts, for a temporary change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverts_at: Option<Timestamp>,
}

/// Envelope result of `dm.updates.scan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatesScanResult {
    /// Updates available after the scan.
    pub available_count: u32,
    /// Of which security updates.
    pub security_count: u32,
}

/// Envelope result of `dm.updates.install`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatesInstallResult {
    /// Packages updated.
    pub installed_count: u32,
    /// A reboot is needed to finish (and was not done).
    #[serde(default, skip_serializing_if = "is_false")]
    pub reboot_required: bool,
}

/// Envelope result of `dm.agent.update` (since v2): written by the agent once it runs as the
/// new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentUpdateResult {
    /// The version the agent runs now.
    pub version: String,
    /// The version it ran before the update.
    pub previous_version: String,
}

/// Envelope result of `dm.reboot`: written by the agent after the device is back up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RebootResult {
    /// The kernel's boot time of the new boot.
    pub boot_time: Timestamp,
}

/// A mounted file system in [`DeviceInfo`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskInfo {
    /// Mount point.
    pub mount: String,
    /// Size in bytes.
    pub total_bytes: u64,
    /// Bytes available to unprivileged users.
    pub available_bytes: u64,
}

/// Device inventory: `dm.info.get` answer and `reported.dm.info`.
///
/// A value the agent cannot read is absent, never a placeholder string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInfo {
    /// Host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// `ID` from os-release, e.g. `debian`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_id: Option<String>,
    /// `VERSION_ID` from os-release, e.g. `12`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    /// `PRETTY_NAME` from os-release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_pretty_name: Option<String>,
    /// Kernel release (`uname -r`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel: Option<String>,
    /// Machine architecture (`uname -m`), e.g. `aarch64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// CPU model name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_model: Option<String>,
    /// Logical CPUs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_count: Option<u32>,
    /// Total memory in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_total_bytes: Option<u64>,
    /// Available memory in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_available_bytes: Option<u64>,
    /// Mounted file systems worth reporting (root and data partitions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disks: Vec<DiskInfo>,
    /// The true boot time (kernel `btime`), not the agent's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_time: Option<Timestamp>,
    /// Seconds since boot at the time of the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uptime_seconds: Option<u64>,
    /// The agent's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_version: Option<String>,
}

/// `dm.reportAll` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportAllResult {
    /// The sections re-reported (queued as reported patches).
    pub sections: Vec<String>,
}

/// Checks an upload URL an agent is about to report: it must not carry a SAS.
pub fn check_blob_url(field: &str, url: &str) -> Result<(), ContractError> {
    check::download_url(field, url)?;
    if url.contains('?') {
        return Err(ContractError::invalid(
            field,
            "must not carry a query string (a SAS token is a secret)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diagnostics_result_is_inline_xor_upload_and_never_holds_a_sas() {
        let inline: DiagnosticsResult =
            serde_json::from_value(json!({"bytes": 3, "content": "abc"})).unwrap();
        inline.validate().unwrap();
        let neither: DiagnosticsResult = serde_json::from_value(json!({"bytes": 3})).unwrap();
        assert!(neither.validate().is_err());
        let leaky: DiagnosticsResult = serde_json::from_value(json!({
            "bytes": 3,
            "upload": {"blobName": "d/x.tgz", "url": "https://a.blob.core.windows.net/c/d/x.tgz?sig=S"}
        }))
        .unwrap();
        assert_eq!(leaky.validate().unwrap_err().field(), Some("upload.url"));
        assert!(check_blob_url("url", "https://a.blob.core.windows.net/c/x?sig=S").is_err());
        assert!(check_blob_url("url", "https://a.blob.core.windows.net/c/x").is_ok());
    }

    #[test]
    fn results_accept_fields_added_by_newer_agents() {
        let info: DeviceInfo =
            serde_json::from_value(json!({"kernel": "6.1.0", "gpuModel": "future"})).unwrap();
        assert_eq!(info.kernel.as_deref(), Some("6.1.0"));
    }
}
