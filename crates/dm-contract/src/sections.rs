//! Typed twin sections: what operators write in `desired.dm` and what the agent reports in
//! `reported.dm`.
//!
//! Configuration the device should *keep* (reboot schedule and maintenance window, update
//! policy, time zone and NTP) is desired state: the agent reconciles it after every reconnect, so
//! a device that was offline converges instead of missing a command. One-off actions (install,
//! reboot now, collect logs) and anything carrying a secret or an artefact are methods.
//!
//! Lists are JSON arrays, not maps: a patch replaces an array as a whole, so removing an entry
//! needs no `"refreshing"` dance (the Windows client's workaround for merge patches), and SSIDs
//! or unit names with `.` or spaces never have to become twin keys.
//!
//! These types accept unknown fields when read (a newer peer may have added some). The agent
//! reads desired sections with [`parse_desired`], which refuses unknown fields so an operator's
//! typo is reported as a failed `dm.<section>.apply` operation instead of being ignored.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::check::{self, TimeOfDay, Validate};
use crate::operation::Operations;
use crate::results::{AppStatus, DeviceInfo, WifiProfile};
use crate::{AgentManifest, ContractError, LogLevel, Section};

/// Most entries of `desired.dm.updates.approved`.
pub const MAX_APPROVED_UPDATES: usize = 256;
/// Most NTP servers in `desired.dm.time.ntpServers`.
pub const MAX_NTP_SERVERS: usize = 8;
/// Most available updates listed in `reported.dm.updates.available` (the count is exact).
pub const MAX_REPORTED_UPDATES: usize = 25;
/// Most entries the agent reports in any other reported list (apps, certificates, Wi-Fi).
pub const MAX_REPORTED_ITEMS: usize = 32;

// ---------------------------------------------------------------------------------------------
// desired.dm.reboot

/// `desired.dm.reboot` (and echoed in `reported.dm.reboot`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RebootDesired {
    /// Scheduled reboots; `null` clears them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<RebootSchedule>,
    /// When unattended disruptive work may happen; `null` means any time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_window: Option<MaintenanceWindow>,
}

/// Scheduled reboots: once at an instant and/or every day at a local time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RebootSchedule {
    /// Reboot once at this instant (UTC). Past instants are ignored (reported, not replayed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single: Option<Timestamp>,
    /// Reboot every day at this local time, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily: Option<TimeOfDay>,
    /// Time zone of `daily`; absent means the device's own zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// A daily window, in local time, for unattended disruptive work (automatic update installs and
/// the reboots they need). `end` before `start` means the window crosses midnight.
///
/// Explicit commands (`dm.reboot`, `dm.updates.install`) and the explicit reboot schedule are
/// not held to it: the operator asked for that time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaintenanceWindow {
    /// Opens at, `HH:MM`, inclusive.
    pub start: TimeOfDay,
    /// Closes at, `HH:MM`, exclusive.
    pub end: TimeOfDay,
    /// Time zone of `start`/`end`; absent means the device's own zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

impl MaintenanceWindow {
    /// Whether the window crosses midnight (e.g. 22:00–04:00).
    pub fn crosses_midnight(&self) -> bool {
        self.end < self.start
    }

    /// Whether a local time of day falls inside the window.
    pub fn contains(&self, time: TimeOfDay) -> bool {
        if self.crosses_midnight() {
            time >= self.start || time < self.end
        } else {
            time >= self.start && time < self.end
        }
    }
}

impl Validate for RebootSchedule {
    fn validate(&self) -> Result<(), ContractError> {
        if let Some(tz) = &self.time_zone {
            check::time_zone("timeZone", tz)?;
        }
        Ok(())
    }
}

impl Validate for MaintenanceWindow {
    fn validate(&self) -> Result<(), ContractError> {
        if self.start == self.end {
            return Err(ContractError::invalid(
                "end",
                "equals `start`; a window needs a length (drop the window to allow any time)",
            ));
        }
        if let Some(tz) = &self.time_zone {
            check::time_zone("timeZone", tz)?;
        }
        Ok(())
    }
}

impl Validate for RebootDesired {
    fn validate(&self) -> Result<(), ContractError> {
        if let Some(schedule) = &self.schedule {
            schedule.validate().map_err(|e| e.within("schedule"))?;
        }
        if let Some(window) = &self.maintenance_window {
            window
                .validate()
                .map_err(|e| e.within("maintenanceWindow"))?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// desired.dm.updates

/// How the agent handles OS updates on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UpdatePolicy {
    /// Nothing automatic; only `dm.updates.install` installs.
    Manual,
    /// Install the `approved` packages automatically, inside the maintenance window.
    ApprovedOnly,
    /// Install approved packages and all security updates automatically.
    Security,
    /// Install everything available automatically.
    Automatic,
}

/// `desired.dm.updates`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatesDesired {
    /// The policy; absent means the agent leaves the device's own update configuration alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<UpdatePolicy>,
    /// Approved packages, `name` or `name=version`; the array is replaced as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<Vec<String>>,
}

impl Validate for UpdatesDesired {
    fn validate(&self) -> Result<(), ContractError> {
        if let Some(approved) = &self.approved {
            check::max_items("approved", approved, MAX_APPROVED_UPDATES)?;
            for (i, spec) in approved.iter().enumerate() {
                check::package_spec(&format!("approved[{i}]"), spec)?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// desired.dm.time

/// `desired.dm.time`. An absent field is not managed: the device keeps its own setting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeDesired {
    /// IANA time zone, e.g. `Europe/Paris`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// NTP servers (host names or IPs), in order of preference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ntp_servers: Option<Vec<String>>,
}

impl Validate for TimeDesired {
    fn validate(&self) -> Result<(), ContractError> {
        if let Some(tz) = &self.time_zone {
            check::time_zone("timeZone", tz)?;
        }
        if let Some(servers) = &self.ntp_servers {
            check::max_items("ntpServers", servers, MAX_NTP_SERVERS)?;
            for (i, server) in servers.iter().enumerate() {
                check::host(&format!("ntpServers[{i}]"), server)?;
            }
        }
        Ok(())
    }
}

/// All of `desired.dm`, for tools that handle the whole document (profiles, diffs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DesiredDm {
    /// `desired.dm.reboot`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reboot: Option<RebootDesired>,
    /// `desired.dm.updates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updates: Option<UpdatesDesired>,
    /// `desired.dm.time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeDesired>,
}

impl Validate for DesiredDm {
    fn validate(&self) -> Result<(), ContractError> {
        if let Some(s) = &self.reboot {
            s.validate().map_err(|e| e.within("reboot"))?;
        }
        if let Some(s) = &self.updates {
            s.validate().map_err(|e| e.within("updates"))?;
        }
        if let Some(s) = &self.time {
            s.validate().map_err(|e| e.within("time"))?;
        }
        Ok(())
    }
}

/// Parses a desired section strictly, for the agent: unknown fields are an error (naming the
/// field path), then the section is validated.
///
/// `value` is the section's merged value from the full desired document, not a patch: a patch
/// may hold `null`s for deleted keys, which the agent merges first.
pub fn parse_desired<T>(section: Section, value: &Value) -> Result<T, ContractError>
where
    T: DeserializeOwned + Serialize + Validate,
{
    let what = format!("desired.dm.{section}");
    let clean = strip_dollar_keys(value);
    let parsed: T = crate::error::from_value(&what, &clean)?;
    let echoed = serde_json::to_value(&parsed).map_err(|e| ContractError::from_json(&what, &e))?;
    if let Some(path) = first_unknown_key(&clean, &echoed, "") {
        return Err(ContractError::InvalidPayload {
            what,
            field: Some(path.clone()),
            detail: format!("unknown field `{path}`"),
        });
    }
    parsed.validate()?;
    Ok(parsed)
}

/// A key of `input` (recursively) that did not survive a parse/serialize round trip, i.e. a
/// field the type does not know. `null` values are skipped: they mean "absent".
fn first_unknown_key(input: &Value, echoed: &Value, prefix: &str) -> Option<String> {
    let (Value::Object(input), Value::Object(echoed)) = (input, echoed) else {
        return None;
    };
    for (key, value) in input {
        if value.is_null() {
            continue;
        }
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match echoed.get(key) {
            None => return Some(path),
            Some(inner) => {
                if let Some(found) = first_unknown_key(value, inner, &path) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// A copy of `value` without `$`-prefixed keys (`$version`, `$metadata`), which the hub adds
/// and which are never contract fields.
pub(crate) fn strip_dollar_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip_dollar_keys(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_dollar_keys).collect()),
        other => other.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// reported sections

/// A busy lease held by an application on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusyLease {
    /// Lease id, unique on the device.
    pub id: String,
    /// Who holds it (the application's name).
    pub holder: String,
    /// Why, in the holder's words.
    pub reason: String,
    /// When it was taken.
    pub acquired_at: Timestamp,
    /// When it expires unless renewed; a crashed holder cannot block reboots past this.
    pub expires_at: Timestamp,
}

/// `reported.dm.busy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusyReport {
    /// Leases held now; empty when the device is idle.
    #[serde(default)]
    pub leases: Vec<BusyLease>,
}

impl BusyReport {
    /// Seconds until every lease active at `now` has expired (rounded up), or `None` when none
    /// is active: the `retryAfter` of a 409 `busy` answer.
    pub fn retry_after(&self, now: Timestamp) -> Option<u32> {
        let latest = self
            .leases
            .iter()
            .map(|l| l.expires_at)
            .filter(|&at| at > now)
            .max()?;
        let span = latest.duration_since(now);
        let secs = span.as_secs() + i64::from(span.subsec_nanos() > 0);
        Some(u32::try_from(secs).unwrap_or(u32::MAX))
    }
}

/// `reported.dm.reboot`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RebootReport {
    /// The kernel's boot time (`btime`), not the agent's start time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_boot_time: Option<Timestamp>,
    /// The `reason` of the reboot request that caused the last boot, if dm caused it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reboot_reason: Option<String>,
    /// The schedule in effect (echo of the applied desired value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<RebootSchedule>,
    /// The maintenance window in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_window: Option<MaintenanceWindow>,
    /// The next scheduled reboot, computed by the agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_reboot_at: Option<Timestamp>,
    /// Operation envelopes (`dm.reboot`, `dm.reboot.apply`).
    #[serde(default, skip_serializing_if = "Operations::is_empty")]
    pub operations: Operations,
}

/// `reported.dm.factoryReset`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactoryResetReport {
    /// When the device last came up from a factory reset. A reset may wipe the agent's store
    /// and with it the envelope, so `dmctl` treats a `lastResetAt` later than its request as
    /// success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reset_at: Option<Timestamp>,
    /// Operation envelopes.
    #[serde(default, skip_serializing_if = "Operations::is_empty")]
    pub operations: Operations,
}

/// `reported.dm.apps`: apps installed through dm (the full inventory is `dm.apps.list`: it
/// would not fit the twin).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppsReport {
    /// Managed apps, at most [`MAX_REPORTED_ITEMS`].
    #[serde(default)]
    pub managed: Vec<AppStatus>,
    /// Operation envelopes.
    #[serde(default, skip_serializing_if = "Operations::is_empty")]
    pub operations: Operations,
}

/// An available OS update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateItem {
    /// Package name.
    pub name: String,
    /// Candidate version.
    pub version: String,
    /// A security update.
    #[serde(default)]
    pub security: bool,
}

/// `reported.dm.updates`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatesReport {
    /// The policy in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<UpdatePolicy>,
    /// The approved list in effect.
    #[serde(default)]
    pub approved: Vec<String>,
    /// The last successful scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_scan_time: Option<Timestamp>,
    /// The last install.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_install_time: Option<Timestamp>,
    /// Available updates, at most [`MAX_REPORTED_UPDATES`], security ones first.
    #[serde(default)]
    pub available: Vec<UpdateItem>,
    /// How many updates are available in total.
    #[serde(default)]
    pub available_count: u32,
    /// Of which security updates.
    #[serde(default)]
    pub security_count: u32,
    /// An installed update waits for a reboot.
    #[serde(default)]
    pub pending_reboot: bool,
    /// Operation envelopes.
    #[serde(default, skip_serializing_if = "Operations::is_empty")]
    pub operations: Operations,
}

/// A certificate in `reported.dm.certificates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertSummary {
    /// SHA-256 fingerprint, lower-case hex.
    pub thumbprint: String,
    /// Subject distinguished name.
    pub subject: String,
    /// End of validity.
    pub not_after: Timestamp,
}

/// `reported.dm.certificates`: certificates installed through dm (the OS's own CA bundle is
/// listed by `dm.certificates.list`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificatesReport {
    /// Trust anchors added through dm.
    #[serde(default)]
    pub trust: Vec<CertSummary>,
    /// Client certificates.
    #[serde(default)]
    pub client: Vec<CertSummary>,
    /// Operation envelopes.
    #[serde(default, skip_serializing_if = "Operations::is_empty")]
    pub operations: Operations,
}

/// `reported.dm.time`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeReport {
    /// The time zone in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// NTP servers in effect.
    #[serde(default)]
    pub ntp_servers: Vec<String>,
    /// Whether the clock is NTP-synchronized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ntp_synchronized: Option<bool>,
    /// Operation envelopes (`dm.time.apply`).
    #[serde(default, skip_serializing_if = "Operations::is_empty")]
    pub operations: Operations,
}

/// `reported.dm.network`: profile ids and SSIDs, never passphrases.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkReport {
    /// Wi-Fi profiles.
    #[serde(default)]
    pub wifi: Vec<WifiProfile>,
    /// Operation envelopes.
    #[serde(default, skip_serializing_if = "Operations::is_empty")]
    pub operations: Operations,
}

/// `reported.dm.diagnostics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticsReport {
    /// The agent's log level now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<LogLevel>,
    /// When a temporary level reverts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level_reverts_at: Option<Timestamp>,
    /// Operation envelopes (uploads of `dm.diagnostics.collect`).
    #[serde(default, skip_serializing_if = "Operations::is_empty")]
    pub operations: Operations,
}

/// `reported.dm.agentUpdate` (since v2): the agent's self-updates. A section of its own rather
/// than `reported.dm.agent`, which is the manifest: the manifest is rewritten whole at every
/// start, which would clobber envelopes kept in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentUpdateReport {
    /// The version the agent ran before its last successful self-update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_version: Option<String>,
    /// When the last self-update succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update_at: Option<Timestamp>,
    /// Operation envelopes (`dm.agent.update`).
    #[serde(default, skip_serializing_if = "Operations::is_empty")]
    pub operations: Operations,
}

/// All of `reported.dm`, for tools that show the whole document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportedDm {
    /// `reported.dm.agent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentManifest>,
    /// `reported.dm.busy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub busy: Option<BusyReport>,
    /// `reported.dm.reboot`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reboot: Option<RebootReport>,
    /// `reported.dm.factoryReset`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factory_reset: Option<FactoryResetReport>,
    /// `reported.dm.apps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apps: Option<AppsReport>,
    /// `reported.dm.updates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updates: Option<UpdatesReport>,
    /// `reported.dm.certificates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificates: Option<CertificatesReport>,
    /// `reported.dm.time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeReport>,
    /// `reported.dm.network`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkReport>,
    /// `reported.dm.diagnostics`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<DiagnosticsReport>,
    /// `reported.dm.info`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<DeviceInfo>,
    /// `reported.dm.agentUpdate` (since v2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_update: Option<AgentUpdateReport>,
    /// Sections added by newer agents, kept as JSON.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tod(s: &str) -> TimeOfDay {
        TimeOfDay::parse("t", s).unwrap()
    }

    fn window(start: &str, end: &str) -> MaintenanceWindow {
        MaintenanceWindow {
            start: tod(start),
            end: tod(end),
            time_zone: None,
        }
    }

    #[test]
    fn window_within_a_day() {
        let w = window("01:00", "04:00");
        assert!(!w.crosses_midnight());
        assert!(!w.contains(tod("00:59")));
        assert!(w.contains(tod("01:00")));
        assert!(w.contains(tod("03:59")));
        assert!(!w.contains(tod("04:00")));
    }

    #[test]
    fn window_across_midnight() {
        let w = window("22:00", "04:00");
        assert!(w.crosses_midnight());
        assert!(!w.contains(tod("21:59")));
        assert!(w.contains(tod("22:00")));
        assert!(w.contains(tod("23:59")));
        assert!(w.contains(tod("00:00")));
        assert!(w.contains(tod("03:59")));
        assert!(!w.contains(tod("04:00")));
        assert!(!w.contains(tod("12:00")));
    }

    #[test]
    fn empty_window_is_invalid() {
        let err = window("03:00", "03:00").validate().unwrap_err();
        assert_eq!(err.field(), Some("end"));
        let desired = RebootDesired {
            schedule: None,
            maintenance_window: Some(window("03:00", "03:00")),
        };
        assert_eq!(
            desired.validate().unwrap_err().field(),
            Some("maintenanceWindow.end")
        );
    }

    #[test]
    fn strict_desired_parse_names_unknown_nested_fields() {
        let err = parse_desired::<RebootDesired>(
            Section::Reboot,
            &json!({"schedule": {"dialy": "03:00"}}),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("schedule.dialy"));
        assert!(err.to_string().contains("desired.dm.reboot"), "{err}");

        let err =
            parse_desired::<TimeDesired>(Section::Time, &json!({"timezone": "UTC"})).unwrap_err();
        assert_eq!(err.field(), Some("timezone"));
    }

    #[test]
    fn strict_desired_parse_accepts_nulls_and_hub_metadata() {
        let parsed = parse_desired::<RebootDesired>(
            Section::Reboot,
            &json!({
                "$metadata": {"$lastUpdated": "2025-03-01T10:00:00Z"},
                "schedule": {"daily": "03:30", "single": null, "timeZone": "Europe/Paris"},
                "maintenanceWindow": null
            }),
        )
        .unwrap();
        let schedule = parsed.schedule.unwrap();
        assert_eq!(schedule.daily, Some(tod("03:30")));
        assert_eq!(schedule.single, None);
        assert_eq!(parsed.maintenance_window, None);
    }

    #[test]
    fn strict_desired_parse_validates() {
        let err = parse_desired::<TimeDesired>(
            Section::Time,
            &json!({"ntpServers": ["pool.ntp.org", "bad host"]}),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("ntpServers[1]"));
        let many: Vec<String> = (0..=MAX_NTP_SERVERS)
            .map(|i| format!("ntp{i}.example"))
            .collect();
        assert!(parse_desired::<TimeDesired>(Section::Time, &json!({"ntpServers": many})).is_err());
        let err =
            parse_desired::<UpdatesDesired>(Section::Updates, &json!({"policy": "sometimes"}))
                .unwrap_err();
        assert!(err.to_string().contains("sometimes"), "{err}");
        let err = parse_desired::<UpdatesDesired>(
            Section::Updates,
            &json!({"approved": ["openssl", "bad spec"]}),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("approved[1]"));
    }

    #[test]
    fn retry_after_is_the_latest_active_lease() {
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        let lease = |id: &str, expires: &str| BusyLease {
            id: id.into(),
            holder: "plc".into(),
            reason: "flashing".into(),
            acquired_at: at("2025-03-01T09:00:00Z"),
            expires_at: at(expires),
        };
        let now = at("2025-03-01T10:00:00Z");
        let mut busy = BusyReport::default();
        assert_eq!(busy.retry_after(now), None);
        busy.leases.push(lease("expired", "2025-03-01T09:59:59Z"));
        assert_eq!(busy.retry_after(now), None);
        busy.leases.push(lease("a", "2025-03-01T10:01:00Z"));
        busy.leases.push(lease("b", "2025-03-01T10:00:30.2Z"));
        assert_eq!(busy.retry_after(now), Some(60));
        busy.leases.push(lease("c", "2025-03-01T10:02:00.5Z"));
        assert_eq!(busy.retry_after(now), Some(121));
    }

    #[test]
    fn reported_dm_keeps_unknown_sections() {
        let doc: ReportedDm =
            serde_json::from_value(json!({"time": {"timeZone": "UTC"}, "gps": {"fix": true}}))
                .unwrap();
        assert_eq!(doc.time.unwrap().time_zone.as_deref(), Some("UTC"));
        assert_eq!(doc.other["gps"], json!({"fix": true}));
    }
}
