//! How typed results look to people: one table or key/value view per answer type.
//!
//! JSON output is the contract's own JSON, untouched; these views exist only for the table
//! output, where a person reads them. Each answer type of the dm contract gets a view here,
//! plus a one-line summary used in the per-device table of a fleet run, where a full view per
//! device would drown the reader.

use dm_contract::{
    AgentUpdateResult, AppInventory, AppStatus, BusyReport, CertDetails, CertList, CertResult,
    DeviceInfo, DiagnosticsResult, Method, MethodReply, OperationStatus, ReportAllResult, Section,
    TimeInfo, UpdatesReport, WifiList, WifiProfile, WifiRemoved, read_section,
};
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A neutral table: headers and rows of cells. A key/value view has the headers `FIELD`,
/// `VALUE`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<String>>,
}

impl View {
    /// A table with these headers and no rows yet.
    pub fn table(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// A key/value view.
    pub fn fields() -> Self {
        Self::table(&["FIELD", "VALUE"])
    }

    /// Adds a row.
    pub fn row(&mut self, cells: impl IntoIterator<Item = String>) -> &mut Self {
        self.rows.push(cells.into_iter().collect());
        self
    }

    /// Adds a key/value row when the value is present.
    pub fn field(&mut self, key: &str, value: Option<String>) -> &mut Self {
        if let Some(value) = value {
            self.rows.push(vec![key.to_owned(), value]);
        }
        self
    }

    /// Whether the view has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// `3m ago`, `in 2h`, `just now`: how tables show instants (the printer's one rule for it).
pub fn relative(at: Timestamp, now: Timestamp) -> String {
    crate::printer::relative_time_from(&at.to_string(), now)
}

/// A missing table cell: `-`, so plain-text columns stay countable for `awk`.
fn dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "-".to_owned())
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut unit = 0;
    let mut whole = n;
    let mut tenths = 0;
    while whole >= 1024 && unit < UNITS.len() - 1 {
        tenths = (whole % 1024) * 10 / 1024;
        whole /= 1024;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{whole}.{tenths} {}", UNITS[unit])
    }
}

fn short(thumbprint: &str) -> String {
    thumbprint
        .get(..16)
        .map_or_else(|| thumbprint.to_owned(), |s| format!("{s}…"))
}

fn parse<T: DeserializeOwned>(value: &Value) -> Option<T> {
    serde_json::from_value(value.clone()).ok()
}

/// The view of a 200 answer to `method`; `None` when the answer has no known shape (the raw
/// JSON is shown instead).
pub fn result_view(method: Method, value: &Value, now: Timestamp) -> Option<View> {
    match method {
        Method::AppsList => parse::<AppInventory>(value).map(|inv| apps_view(&inv.apps)),
        Method::AppsEnable | Method::AppsDisable => {
            parse::<AppStatus>(value).map(|app| app_fields(&app, now))
        }
        Method::CertificatesList => parse::<CertList>(value).map(|list| {
            let mut view = View::table(&["THUMBPRINT", "STORE", "SUBJECT", "EXPIRES", "MANAGED"]);
            for c in &list.certificates {
                view.row([
                    short(&c.thumbprint),
                    store_name(c.store).to_owned(),
                    c.subject.clone(),
                    relative(c.not_after, now),
                    yes_no(c.managed),
                ]);
            }
            view
        }),
        Method::CertificatesShow => parse::<CertDetails>(value).map(|c| {
            let mut view = View::fields();
            view.field("thumbprint", Some(c.info.thumbprint.clone()))
                .field("store", Some(store_name(c.info.store).to_owned()))
                .field("subject", Some(c.info.subject.clone()))
                .field("issuer", Some(c.info.issuer.clone()))
                .field("serial", Some(c.serial_number.clone()))
                .field("valid from", Some(c.info.not_before.to_string()))
                .field("valid until", Some(c.info.not_after.to_string()))
                .field(
                    "alt names",
                    (!c.subject_alt_names.is_empty()).then(|| c.subject_alt_names.join(", ")),
                )
                .field("managed", Some(yes_no(c.info.managed)));
            view
        }),
        Method::CertificatesRemove => parse::<CertResult>(value).map(|c| {
            let mut view = View::fields();
            view.field("removed", Some(c.thumbprint))
                .field("store", Some(store_name(c.store).to_owned()));
            view
        }),
        Method::TimeGet => parse::<TimeInfo>(value).map(|t| {
            let mut view = View::fields();
            view.field("time zone", Some(t.time_zone))
                .field("local time", Some(t.local_time))
                .field("utc time", Some(t.utc_time.to_string()))
                .field(
                    "ntp servers",
                    Some(if t.ntp_servers.is_empty() {
                        "-".to_owned()
                    } else {
                        t.ntp_servers.join(", ")
                    }),
                )
                .field("ntp synchronized", t.ntp_synchronized.map(yes_no));
            view
        }),
        Method::WifiList => parse::<WifiList>(value).map(|l| wifi_view(&l.profiles)),
        Method::WifiAdd => parse::<WifiProfile>(value).map(|p| wifi_view(&[p])),
        Method::WifiRemove => parse::<WifiRemoved>(value).map(|r| wifi_view(&r.removed)),
        Method::InfoGet => parse::<DeviceInfo>(value).map(|i| info_view(&i, now)),
        Method::ReportAll => parse::<ReportAllResult>(value).map(|r| {
            let mut view = View::table(&["SECTION"]);
            for s in r.sections {
                view.row([s]);
            }
            view
        }),
        Method::DiagnosticsCollect => parse::<DiagnosticsResult>(value).map(|d| {
            let mut view = View::fields();
            view.field("collected", Some(bytes(d.bytes)))
                .field("truncated", d.truncated.then(|| yes_no(true)))
                .field("blob", d.upload.as_ref().map(|u| u.blob_name.clone()))
                .field("url", d.upload.and_then(|u| u.url));
            view
        }),
        _ => None,
    }
}

/// What a list answer of `method` holds, for saying "no …" when it is empty.
pub fn empty_list_name(method: Method) -> Option<&'static str> {
    match method {
        Method::AppsList => Some("apps matched"),
        Method::CertificatesList => Some("certificates"),
        Method::WifiList => Some("Wi-Fi profiles"),
        Method::WifiRemove => Some("Wi-Fi profile matched; nothing was removed"),
        _ => None,
    }
}

fn store_name(store: dm_contract::CertStore) -> &'static str {
    match store {
        dm_contract::CertStore::Trust => "trust",
        dm_contract::CertStore::Client => "client",
    }
}

fn apps_view(apps: &[AppStatus]) -> View {
    let mut view = View::table(&["NAME", "KIND", "VERSION", "STATE", "ENABLED"]);
    for app in apps {
        view.row([
            app.name.clone(),
            kind_name(app.kind).to_owned(),
            dash(app.version.clone()),
            dash(app.state.clone()),
            dash(app.enabled.map(yes_no)),
        ]);
    }
    view
}

fn kind_name(kind: dm_contract::AppKind) -> &'static str {
    match kind {
        dm_contract::AppKind::Unit => "unit",
        dm_contract::AppKind::Package => "package",
    }
}

fn app_fields(app: &AppStatus, now: Timestamp) -> View {
    let mut view = View::fields();
    view.field("name", Some(app.name.clone()))
        .field("kind", Some(kind_name(app.kind).to_owned()))
        .field("version", app.version.clone())
        .field("state", app.state.clone())
        .field("enabled", app.enabled.map(yes_no))
        .field("installed", app.installed_at.map(|t| relative(t, now)));
    view
}

fn wifi_view(profiles: &[WifiProfile]) -> View {
    let mut view = View::table(&["SSID", "ID", "SECURITY", "AUTO", "PRIORITY", "ACTIVE"]);
    for p in profiles {
        view.row([
            p.ssid.clone(),
            p.id.clone(),
            security_name(p.security).to_owned(),
            yes_no(p.auto_connect),
            dash(p.priority.map(|n| n.to_string())),
            yes_no(p.active),
        ]);
    }
    view
}

/// The wire name of a Wi-Fi security mode.
pub fn security_name(security: dm_contract::WifiSecurity) -> &'static str {
    match security {
        dm_contract::WifiSecurity::Open => "open",
        dm_contract::WifiSecurity::Wpa2Psk => "wpa2Psk",
        dm_contract::WifiSecurity::Wpa3Sae => "wpa3Sae",
    }
}

fn info_view(info: &DeviceInfo, now: Timestamp) -> View {
    let mut view = View::fields();
    let os = info
        .os_pretty_name
        .clone()
        .or_else(|| match (&info.os_id, &info.os_version) {
            (Some(id), Some(v)) => Some(format!("{id} {v}")),
            (Some(id), None) => Some(id.clone()),
            _ => None,
        });
    view.field("hostname", info.hostname.clone())
        .field("os", os)
        .field("kernel", info.kernel.clone())
        .field("arch", info.arch.clone())
        .field(
            "cpu",
            match (&info.cpu_model, info.cpu_count) {
                (Some(m), Some(n)) => Some(format!("{m} × {n}")),
                (Some(m), None) => Some(m.clone()),
                (None, Some(n)) => Some(format!("{n} CPUs")),
                (None, None) => None,
            },
        )
        .field(
            "memory",
            info.memory_total_bytes
                .map(|total| match info.memory_available_bytes {
                    Some(avail) => format!("{} of {} available", bytes(avail), bytes(total)),
                    None => bytes(total),
                }),
        );
    for disk in &info.disks {
        view.field(
            &format!("disk {}", disk.mount),
            Some(format!(
                "{} of {} available",
                bytes(disk.available_bytes),
                bytes(disk.total_bytes)
            )),
        );
    }
    view.field("booted", info.boot_time.map(|t| relative(t, now)))
        .field("agent", info.agent_version.clone());
    view
}

/// The view of a final operation envelope.
pub fn operation_view(op: &OperationStatus, now: Timestamp) -> View {
    let mut view = View::fields();
    view.field("operation", Some(op.id.to_string()))
        .field("op", Some(op.op.clone()))
        .field("state", Some(op.state.as_str().to_owned()))
        .field("requested", Some(relative(op.requested_at, now)))
        .field("finished", op.finished_at.map(|t| relative(t, now)))
        .field(
            "error",
            op.error
                .as_ref()
                .map(|e| format!("{}: {}", e.code, e.message)),
        );
    // An uploaded log bundle reads as where it went, not as nested JSON.
    if op.op == Method::DiagnosticsCollect.name()
        && let Some(d) = op.result.as_ref().and_then(parse::<DiagnosticsResult>)
    {
        view.field("collected", Some(bytes(d.bytes)))
            .field("truncated", d.truncated.then(|| yes_no(true)))
            .field("blob", d.upload.as_ref().map(|u| u.blob_name.clone()))
            .field("url", d.upload.and_then(|u| u.url));
        return view;
    }
    if let Some(result) = &op.result
        && let Some(map) = result.as_object()
    {
        for (key, value) in map {
            let shown = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            // A result's own `state` (an app's, say) must not read as the operation's.
            let taken = view.rows.iter().any(|row| row[0] == *key);
            let label = if taken {
                format!("result {key}")
            } else {
                key.clone()
            };
            view.field(&label, Some(shown));
        }
    }
    view
}

/// The view of a reported section read from the twin.
pub fn section_view(section: Section, reported: &Value, now: Timestamp) -> Option<View> {
    match section {
        Section::Busy => {
            let report: BusyReport = read_section(reported, section).ok().flatten()?;
            let mut view = View::table(&["LEASE", "HOLDER", "REASON", "SINCE", "EXPIRES"]);
            for lease in report.leases.iter().filter(|l| l.expires_at > now) {
                view.row([
                    lease.id.clone(),
                    lease.holder.clone(),
                    lease.reason.clone(),
                    relative(lease.acquired_at, now),
                    relative(lease.expires_at, now),
                ]);
            }
            Some(view)
        }
        Section::Updates => {
            let report: UpdatesReport = read_section(reported, section).ok().flatten()?;
            let mut view = View::fields();
            view.field(
                "policy",
                report.policy.map(|p| {
                    serde_json::to_value(p)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                }),
            )
            .field(
                "approved",
                (!report.approved.is_empty()).then(|| report.approved.join(", ")),
            )
            .field("last scan", report.last_scan_time.map(|t| relative(t, now)))
            .field(
                "last install",
                report.last_install_time.map(|t| relative(t, now)),
            )
            .field(
                "available",
                Some(format!(
                    "{} ({} security)",
                    report.available_count, report.security_count
                )),
            )
            .field("pending reboot", Some(yes_no(report.pending_reboot)));
            for item in &report.available {
                let tag = if item.security { " (security)" } else { "" };
                view.field(
                    "update",
                    Some(format!("{} {}{tag}", item.name, item.version)),
                );
            }
            Some(view)
        }
        _ => None,
    }
}

/// One line about a device's answer, for the per-device table of a fleet run.
pub fn reply_summary(method: Method, reply: &MethodReply) -> String {
    match reply {
        MethodReply::Done(value) => done_summary(method, value),
        MethodReply::Accepted(accepted) => format!(
            "{} (operation {})",
            accepted.state.as_str(),
            accepted.operation_id
        ),
        MethodReply::Error { status, body } => {
            format!("{status} {}: {}", body.code, body.message)
        }
    }
}

fn done_summary(method: Method, value: &Value) -> String {
    match method {
        Method::AppsList => parse::<AppInventory>(value).map(|inv| format!("{} apps", inv.total)),
        Method::CertificatesList => {
            parse::<CertList>(value).map(|l| format!("{} certificates", l.certificates.len()))
        }
        Method::WifiList => {
            parse::<WifiList>(value).map(|l| format!("{} profiles", l.profiles.len()))
        }
        Method::WifiRemove => {
            parse::<WifiRemoved>(value).map(|r| format!("{} removed", r.removed.len()))
        }
        Method::TimeGet => {
            parse::<TimeInfo>(value).map(|t| format!("{} ({})", t.local_time, t.time_zone))
        }
        Method::InfoGet => parse::<DeviceInfo>(value).map(|i| {
            [
                i.os_pretty_name.or(i.os_id),
                i.arch,
                i.agent_version.map(|v| format!("agent {v}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        }),
        Method::ReportAll => parse::<ReportAllResult>(value)
            .map(|r| format!("{} sections re-reported", r.sections.len())),
        Method::DiagnosticsCollect => {
            parse::<DiagnosticsResult>(value).map(|d| format!("{} collected", bytes(d.bytes)))
        }
        _ => None,
    }
    .unwrap_or_else(|| "done".to_owned())
}

/// One line about a final envelope.
pub fn operation_summary(op: &OperationStatus) -> String {
    match &op.error {
        Some(e) => format!("{} ({}: {})", op.state.as_str(), e.code, e.message),
        None => match op.result.as_ref().and_then(parse::<AgentUpdateResult>) {
            Some(update) if op.op == Method::AgentUpdate.name() => format!(
                "{} (agent {} -> {})",
                op.state.as_str(),
                update.previous_version,
                update.version
            ),
            _ => op.state.as_str().to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn now() -> Timestamp {
        "2025-03-01T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn byte_sizes_use_binary_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(4_124_225_536), "3.8 GiB");
    }

    #[test]
    fn an_inventory_becomes_a_table() {
        let view = result_view(
            Method::AppsList,
            &json!({"apps": [{"name": "plc-bridge.service", "kind": "unit", "state": "failed", "enabled": true}], "total": 1}),
            now(),
        )
        .unwrap();
        assert_eq!(
            view.headers,
            ["NAME", "KIND", "VERSION", "STATE", "ENABLED"]
        );
        assert_eq!(
            view.rows,
            [["plc-bridge.service", "unit", "-", "failed", "yes"]]
        );
    }

    #[test]
    fn device_info_skips_what_the_agent_could_not_read() {
        let view = result_view(
            Method::InfoGet,
            &json!({"hostname": "sensor-042", "osId": "debian", "osVersion": "12", "bootTime": "2025-03-01T06:00:00Z"}),
            now(),
        )
        .unwrap();
        assert_eq!(
            view.rows,
            [
                ["hostname", "sensor-042"],
                ["os", "debian 12"],
                ["booted", "4h ago"]
            ]
        );
    }

    #[test]
    fn unknown_shapes_fall_back_to_json() {
        assert!(result_view(Method::InfoGet, &json!("text"), now()).is_none());
        assert!(result_view(Method::Reboot, &json!({}), now()).is_none());
    }

    #[test]
    fn only_live_leases_are_shown() {
        let reported = json!({"dm": {"busy": {"leases": [
            {"id": "flash", "holder": "plc", "reason": "flashing", "acquiredAt": "2025-03-01T09:58:00Z", "expiresAt": "2025-03-01T10:04:00Z"},
            {"id": "old", "holder": "x", "reason": "y", "acquiredAt": "2025-03-01T08:00:00Z", "expiresAt": "2025-03-01T09:00:00Z"}
        ]}}});
        let view = section_view(Section::Busy, &reported, now()).unwrap();
        assert_eq!(view.rows, [["flash", "plc", "flashing", "2m ago", "in 4m"]]);
    }

    #[test]
    fn an_agent_update_summary_names_both_versions() {
        let op: OperationStatus = serde_json::from_value(json!({
            "id": "op-1", "op": "dm.agent.update", "state": "succeeded",
            "requestedAt": "2025-03-01T10:00:00Z", "finishedAt": "2025-03-01T10:00:09Z",
            "result": {"version": "0.2.0", "previousVersion": "0.1.0"}
        }))
        .unwrap();
        assert_eq!(operation_summary(&op), "succeeded (agent 0.1.0 -> 0.2.0)");
        let view = operation_view(&op, now());
        assert!(
            view.rows
                .iter()
                .any(|r| r[0] == "version" && r[1] == "0.2.0")
        );
        assert!(
            view.rows
                .iter()
                .any(|r| r[0] == "previousVersion" && r[1] == "0.1.0")
        );
    }

    #[test]
    fn summaries_name_the_outcome() {
        let reply = MethodReply::from_response(
            409,
            &json!({"code": "busy", "message": "lease held", "retryAfter": 30}),
        )
        .unwrap();
        assert_eq!(
            reply_summary(Method::Reboot, &reply),
            "409 busy: lease held"
        );
        let reply =
            MethodReply::from_response(202, &json!({"operationId": "op-1", "state": "postponed"}))
                .unwrap();
        assert_eq!(
            reply_summary(Method::Reboot, &reply),
            "postponed (operation op-1)"
        );
    }
}
