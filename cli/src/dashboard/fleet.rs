//! One fleet row per device, read from one projected query: what `dmctl status` prints and what
//! the dashboard's fleet view shows.
//!
//! A real S1 hub allows 20 queries per minute per unit, and a page carries up to 1,000 rows, so
//! the fleet is read with a query that projects only the fields shown (never whole twins: a twin
//! can hold 64 KB of properties) and counted with `GROUP BY` instead of being fetched. The row is
//! derived from that projection alone, so `status` and the dashboard agree by construction.
//!
//! Compliance is judged per desired dm section (`reboot`, `updates`, `time`) from what the agent
//! reports: the desired fields must be echoed in the reported section, and the section's latest
//! `dm.<section>.apply` envelope says whether the agent is still working on it or failed.

use std::collections::BTreeMap;

use dm_contract::{OperationState, OperationStatus, Section, apply_op};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::printer::rfc3339;

/// The desired sections of the dm contract and the fields an agent echoes for each.
pub const DESIRED_FIELDS: [(Section, &[&str]); 3] = [
    (Section::Reboot, &["schedule", "maintenanceWindow"]),
    (Section::Updates, &["policy", "approved"]),
    (Section::Time, &["timeZone", "ntpServers"]),
];

/// Where one desired section stands on one device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Compliance {
    /// Every desired field is reported with the same value.
    InSync,
    /// The agent has not applied the desired value yet (it is working on it, has not seen it,
    /// or the device is offline and will converge when it connects).
    Pending,
    /// The agent applied this version, but what it reports differs since.
    Drifted,
    /// The agent's last apply of this section failed or was rejected.
    Failed,
}

/// What a device with no desired dm section at all is counted as: its agent may be connected
/// and healthy, there is simply nothing it must converge to (not "no agent").
pub const NO_DESIRED_STATE: &str = "no desired state";

impl Compliance {
    /// The word shown in tables.
    pub fn label(self) -> &'static str {
        match self {
            Compliance::InSync => "in sync",
            Compliance::Pending => "pending",
            Compliance::Drifted => "drifted",
            Compliance::Failed => "failed",
        }
    }
}

/// An operation that has not reached a final state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunningOp {
    /// The section it reports under.
    pub section: String,
    /// Its operation id.
    pub id: String,
    /// The method or apply it runs (`dm.reboot`).
    pub op: String,
    /// `pending`, `running` or `postponed`.
    pub state: String,
}

/// A busy lease, as the fleet view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeaseSummary {
    /// The application holding it.
    pub holder: String,
    /// Why.
    pub reason: String,
    /// When it ends on its own (RFC 3339).
    pub expires_at: String,
}

/// One device in the fleet view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetRow {
    /// The device id.
    pub device_id: String,
    /// `Connected` or `Disconnected`.
    pub connection_state: String,
    /// When the connection state last changed (RFC 3339), if ever.
    pub connection_since: Option<String>,
    /// The device's last activity (RFC 3339), if any.
    pub last_activity: Option<String>,
    /// The dm agent's version, when it reported a manifest.
    pub agent_version: Option<String>,
    /// The dm contract version the agent speaks.
    pub contract_version: Option<u64>,
    /// The device's last boot (RFC 3339), as the agent reports it.
    pub last_boot: Option<String>,
    /// Operations not finished yet, across sections.
    pub running: Vec<RunningOp>,
    /// Busy leases reported by the agent (active or not yet pruned).
    pub leases: Vec<LeaseSummary>,
    /// Per desired section with a desired value: where it stands. Sections nobody manages are
    /// absent.
    pub compliance: BTreeMap<String, Compliance>,
}

impl FleetRow {
    /// Whether the hub sees the device connected.
    pub fn connected(&self) -> bool {
        self.connection_state.eq_ignore_ascii_case("connected")
    }

    /// The worst compliance across sections; `None` when no section is managed.
    pub fn worst(&self) -> Option<Compliance> {
        self.compliance.values().copied().max()
    }

    /// Connected, and every managed section in sync: what `dmctl status` exits 0 on.
    pub fn healthy(&self) -> bool {
        self.connected() && self.worst().is_none_or(|c| c == Compliance::InSync)
    }

    /// Reads a row of [`fleet_query`]'s projection.
    pub fn from_projection(row: &Value) -> Self {
        let text = |key: &str| row.get(key).and_then(Value::as_str).map(str::to_owned);
        let time = |key: &str| {
            row.get(key)
                .and_then(Value::as_str)
                .map(rfc3339)
                .and_then(|v| v.as_str().map(str::to_owned))
        };
        let mut running = Vec::new();
        let mut envelopes: BTreeMap<&str, Vec<OperationStatus>> = BTreeMap::new();
        for section in Section::ALL.into_iter().filter(|s| s.has_operations()) {
            let Some(Value::Object(ops)) = row.get(ops_alias(section).as_str()) else {
                continue;
            };
            for op in ops.values() {
                let Ok(op) = serde_json::from_value::<OperationStatus>(op.clone()) else {
                    continue;
                };
                if !op.state.is_final() {
                    running.push(RunningOp {
                        section: section.name().to_owned(),
                        id: op.id.to_string(),
                        op: op.op.clone(),
                        state: state_word(op.state).to_owned(),
                    });
                }
                envelopes.entry(section.name()).or_default().push(op);
            }
        }
        running.sort_by(|a, b| a.id.cmp(&b.id));
        let leases = row
            .get("leases")
            .and_then(Value::as_array)
            .map(|leases| {
                leases
                    .iter()
                    .map(|l| {
                        let field = |k: &str| {
                            l.get(k)
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_owned()
                        };
                        LeaseSummary {
                            holder: field("holder"),
                            reason: field("reason"),
                            expires_at: field("expiresAt"),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let desired_dm = row.get("desiredDm");
        let desired_version = row.get("desiredVersion").and_then(Value::as_u64);
        let mut compliance = BTreeMap::new();
        for (section, fields) in DESIRED_FIELDS {
            let Some(Value::Object(desired)) = desired_dm.and_then(|d| d.get(section.name()))
            else {
                continue;
            };
            let desired: Map<String, Value> = desired
                .iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if desired.is_empty() {
                continue;
            }
            let mut reported = Map::new();
            for field in fields {
                if let Some(value) = row.get(reported_alias(section, field).as_str()) {
                    reported.insert((*field).to_owned(), value.clone());
                }
            }
            let latest = envelopes.get(section.name()).and_then(|ops| {
                ops.iter()
                    .filter(|op| op.op == apply_op(section))
                    .max_by_key(|op| (op.desired_version, op.requested_at))
            });
            compliance.insert(
                section.name().to_owned(),
                judge(&desired, &reported, latest, desired_version),
            );
        }
        Self {
            device_id: text("deviceId").unwrap_or_default(),
            connection_state: text("connectionState").unwrap_or_else(|| "Disconnected".into()),
            connection_since: time("connectionStateUpdatedTime"),
            last_activity: time("lastActivityTime"),
            agent_version: text("agentVersion"),
            contract_version: row.get("contractVersion").and_then(Value::as_u64),
            last_boot: time("lastBootTime"),
            running,
            leases,
            compliance,
        }
    }
}

/// Desired vs reported for one section, with the section's latest apply envelope.
fn judge(
    desired: &Map<String, Value>,
    reported: &Map<String, Value>,
    latest: Option<&OperationStatus>,
    desired_version: Option<u64>,
) -> Compliance {
    if latest.is_some_and(|op| !op.state.is_final()) {
        return Compliance::Pending;
    }
    let matches = desired
        .iter()
        .all(|(key, value)| covers(value, reported.get(key)));
    if matches {
        return Compliance::InSync;
    }
    match latest {
        Some(op) if matches!(op.state, OperationState::Failed | OperationState::Rejected) => {
            Compliance::Failed
        }
        Some(op)
            if op.state == OperationState::Succeeded
                && op.desired_version.is_some()
                && op.desired_version >= desired_version =>
        {
            Compliance::Drifted
        }
        _ => Compliance::Pending,
    }
}

/// Whether `reported` shows the `desired` value: objects field by field (fields the operator did
/// not set are the device's own), an empty list as absent, anything else equal.
fn covers(desired: &Value, reported: Option<&Value>) -> bool {
    match (desired, reported) {
        (Value::Object(d), Some(Value::Object(r))) => d
            .iter()
            .filter(|(k, _)| !k.starts_with('$'))
            .all(|(k, v)| covers(v, r.get(k))),
        (Value::Array(d), None) => d.is_empty(),
        (Value::Null, None) => true,
        (d, Some(r)) => d == r,
        (_, None) => false,
    }
}

fn state_word(state: OperationState) -> &'static str {
    state.as_str()
}

/// The alias of a section's `operations` map in the projection.
fn ops_alias(section: Section) -> String {
    format!("ops_{}", section.name())
}

/// The alias of one reported field of a desired section in the projection.
fn reported_alias(section: Section, field: &str) -> String {
    format!("rep_{}_{field}", section.name())
}

/// The projection of a fleet row: only the fields [`FleetRow`] reads.
pub fn projection() -> String {
    let mut items = vec![
        "deviceId".to_owned(),
        "connectionState".to_owned(),
        "connectionStateUpdatedTime".to_owned(),
        "lastActivityTime".to_owned(),
        "properties.reported.dm.agent.version AS agentVersion".to_owned(),
        "properties.reported.dm.agent.contractVersion AS contractVersion".to_owned(),
        "properties.reported.dm.reboot.lastBootTime AS lastBootTime".to_owned(),
        "properties.reported.dm.busy.leases AS leases".to_owned(),
        "properties.desired.dm AS desiredDm".to_owned(),
        "properties.desired.$version AS desiredVersion".to_owned(),
    ];
    for (section, fields) in DESIRED_FIELDS {
        for field in fields {
            items.push(format!(
                "properties.reported.dm.{}.{field} AS {}",
                section.name(),
                reported_alias(section, field)
            ));
        }
    }
    for section in Section::ALL.into_iter().filter(|s| s.has_operations()) {
        items.push(format!(
            "properties.reported.dm.{}.operations AS {}",
            section.name(),
            ops_alias(section)
        ));
    }
    items.join(", ")
}

/// `SELECT <projection> FROM devices [WHERE condition]`.
pub fn fleet_query(condition: Option<&str>) -> String {
    let mut query = format!("SELECT {} FROM devices", projection());
    if let Some(condition) = condition {
        query.push_str(" WHERE ");
        query.push_str(condition);
    }
    query
}

/// The fleet query restricted to `ids` (to refresh the rows on screen).
pub fn rows_query(ids: &[String]) -> String {
    let list = ids
        .iter()
        .map(|id| format!("'{}'", id.replace('\\', "\\\\").replace('\'', "\\'")))
        .collect::<Vec<_>>()
        .join(", ");
    fleet_query(Some(&format!("deviceId IN [{list}]")))
}

/// `SELECT COUNT() AS n, connectionState FROM devices [WHERE …] GROUP BY connectionState`.
pub fn count_query(condition: Option<&str>) -> String {
    let mut query = "SELECT COUNT() AS n, connectionState FROM devices".to_owned();
    if let Some(condition) = condition {
        query.push_str(" WHERE ");
        query.push_str(condition);
    }
    query.push_str(" GROUP BY connectionState");
    query
}

/// Devices by connection state, counted by the hub.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCounts {
    /// Every device the condition selects.
    pub total: u64,
    /// Connected devices.
    pub connected: u64,
    /// Disconnected devices.
    pub disconnected: u64,
}

impl ConnectionCounts {
    /// Reads the rows of [`count_query`].
    pub fn from_rows(rows: &[Value]) -> Self {
        let mut counts = Self::default();
        for row in rows {
            let n = row.get("n").and_then(Value::as_u64).unwrap_or(0);
            counts.total += n;
            match row.get("connectionState").and_then(Value::as_str) {
                Some(s) if s.eq_ignore_ascii_case("connected") => counts.connected += n,
                _ => counts.disconnected += n,
            }
        }
        counts
    }
}

/// Devices by compliance, counted over the rows read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplianceCounts {
    /// Every managed section in sync.
    pub in_sync: u64,
    /// Worst section pending.
    pub pending: u64,
    /// Worst section drifted.
    pub drifted: u64,
    /// Worst section failed.
    pub failed: u64,
    /// No desired dm section at all ([`NO_DESIRED_STATE`]): nothing to be in sync with.
    pub no_desired_state: u64,
}

impl ComplianceCounts {
    /// The non-zero counts with their words (`in sync`, …, `no desired state`), worst last.
    pub fn words(&self) -> Vec<(u64, &'static str)> {
        [
            (self.in_sync, Compliance::InSync.label()),
            (self.pending, Compliance::Pending.label()),
            (self.drifted, Compliance::Drifted.label()),
            (self.failed, Compliance::Failed.label()),
            (self.no_desired_state, NO_DESIRED_STATE),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .collect()
    }

    /// Counts `rows` by their worst section.
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a FleetRow>) -> Self {
        let mut counts = Self::default();
        for row in rows {
            match row.worst() {
                None => counts.no_desired_state += 1,
                Some(Compliance::InSync) => counts.in_sync += 1,
                Some(Compliance::Pending) => counts.pending += 1,
                Some(Compliance::Drifted) => counts.drifted += 1,
                Some(Compliance::Failed) => counts.failed += 1,
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn envelope(id: &str, op: &str, state: &str, version: Option<u64>) -> Value {
        let mut v =
            json!({"id": id, "op": op, "state": state, "requestedAt": "2026-01-01T00:00:00Z"});
        if matches!(state, "succeeded" | "failed" | "rejected") {
            v["finishedAt"] = json!("2026-01-01T00:00:01Z");
        }
        if state == "failed" || state == "rejected" {
            v["error"] = json!({"code": "x", "message": "no"});
        }
        if let Some(version) = version {
            v["desiredVersion"] = json!(version);
        }
        v
    }

    #[test]
    fn compliance_follows_the_reported_echo_and_the_latest_apply() {
        let base = json!({
            "deviceId": "d1",
            "connectionState": "Connected",
            "desiredVersion": 7,
            "desiredDm": {"time": {"timeZone": "Europe/Paris"}, "updates": {"policy": "security", "approved": []}},
            "rep_time_timeZone": "Europe/Paris",
            "rep_updates_policy": "security",
            "ops_time": {"d7-time": envelope("d7-time", "dm.time.apply", "succeeded", Some(7))},
        });
        let row = FleetRow::from_projection(&base);
        assert_eq!(row.compliance["time"], Compliance::InSync);
        assert_eq!(row.compliance["updates"], Compliance::InSync);
        assert!(!row.compliance.contains_key("reboot"));
        assert!(row.healthy());

        let mut drifted = base.clone();
        drifted["rep_time_timeZone"] = json!("UTC");
        assert_eq!(
            FleetRow::from_projection(&drifted).compliance["time"],
            Compliance::Drifted
        );

        let mut pending = drifted.clone();
        pending["desiredVersion"] = json!(8);
        assert_eq!(
            FleetRow::from_projection(&pending).compliance["time"],
            Compliance::Pending
        );

        let mut failed = drifted.clone();
        failed["ops_time"]["d8-time"] = envelope("d8-time", "dm.time.apply", "failed", Some(8));
        failed["desiredVersion"] = json!(8);
        let row = FleetRow::from_projection(&failed);
        assert_eq!(row.compliance["time"], Compliance::Failed);
        assert!(!row.healthy());

        let mut running = base.clone();
        running["ops_time"]["d8-time"] = envelope("d8-time", "dm.time.apply", "running", Some(8));
        let row = FleetRow::from_projection(&running);
        assert_eq!(row.compliance["time"], Compliance::Pending);
        assert_eq!(row.running.len(), 1);
        assert_eq!(row.running[0].op, "dm.time.apply");
    }

    #[test]
    fn a_disconnected_device_is_not_healthy() {
        let row =
            FleetRow::from_projection(&json!({"deviceId": "d", "connectionState": "Disconnected"}));
        assert!(row.compliance.is_empty());
        assert!(!row.healthy());
    }

    #[test]
    fn queries_project_and_count() {
        let condition = crate::fleet::bare_condition;
        assert_eq!(condition("WHERE tags.a = 1"), Some("tags.a = 1"));
        assert_eq!(condition("where\ttags.a = 1"), Some("tags.a = 1"));
        assert_eq!(condition(" * "), None);
        assert_eq!(condition(""), None);
        assert_eq!(
            condition(" WHERE "),
            None,
            "a bare WHERE selects no condition"
        );
        assert_eq!(condition("WHEREx = 1"), Some("WHEREx = 1"));
        let q = fleet_query(Some("tags.a = 1"));
        assert!(q.starts_with("SELECT deviceId, connectionState"));
        assert!(q.ends_with("FROM devices WHERE tags.a = 1"));
        assert!(!q.contains('*'));
        assert_eq!(
            count_query(None),
            "SELECT COUNT() AS n, connectionState FROM devices GROUP BY connectionState"
        );
        assert!(rows_query(&["a'b".into()]).ends_with("WHERE deviceId IN ['a\\'b']"));
        let counts = ConnectionCounts::from_rows(&[
            json!({"n": 3, "connectionState": "Connected"}),
            json!({"n": 2, "connectionState": "Disconnected"}),
        ]);
        assert_eq!(
            (counts.total, counts.connected, counts.disconnected),
            (5, 3, 2)
        );
    }
}
