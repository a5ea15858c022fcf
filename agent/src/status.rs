//! `dm-agent status` as a library function (the binary prints exactly this): what the agent on this device is doing, read from
//! its state directory (so it works whether or not the daemon is running, and never disturbs
//! it).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use dm_contract::{BusyLease, OperationStatus, Operations, RebootDesired, UpdatePolicy};
use jiff::Timestamp;
use serde::Serialize;

use crate::client::Persisted;
use crate::connection::status::ConnectionStatus;
use crate::error::{DmError, DmResult};
use crate::state::StateDir;

/// A snapshot of the agent's state. The default is the state of an agent that never ran.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentStatus {
    /// The connection, as the daemon last wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection: Option<ConnectionStatus>,
    /// The desired `$version` last seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_version: Option<u64>,
    /// Active busy leases.
    pub leases: Vec<BusyLease>,
    /// Operations not finished yet.
    pub running: Vec<SectionOperation>,
    /// The most recent finished operations (newest first).
    pub recent: Vec<SectionOperation>,
    /// The reboot schedule and window in effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reboot: Option<RebootDesired>,
    /// The next scheduled reboot (in the host's time zone when the schedule has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_reboot_at: Option<Timestamp>,
    /// The update policy in effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_policy: Option<UpdatePolicy>,
    /// Desired sections whose last apply failed.
    pub failed_desired: Vec<String>,
    /// Reported patches not yet acknowledged by the hub.
    pub queued_reports: usize,
}

/// An envelope with its section.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionOperation {
    /// The section.
    pub section: String,
    /// The envelope.
    #[serde(flatten)]
    pub operation: OperationStatus,
}

/// How many finished operations the status shows.
const RECENT: usize = 10;

/// Reads the status from `state_dir`.
pub fn read_status(state_dir: &Path) -> DmResult<AgentStatus> {
    if !state_dir.is_dir() {
        return Err(DmError::Config(format!(
            "no agent state at `{}` (is this the agent's state directory, and may you read it?)",
            state_dir.display()
        )));
    }
    let state = StateDir::open(state_dir)?;
    let mem: Persisted = state.load("client.json")?.unwrap_or_default();
    let operations: BTreeMap<String, Operations> =
        state.load("operations.json")?.unwrap_or_default();
    let leases: Vec<BusyLease> = state.load("leases.json")?.unwrap_or_default();
    let now = Timestamp::now();
    let mut running = Vec::new();
    let mut recent = Vec::new();
    for (section, ops) in operations {
        for op in ops.into_values() {
            let entry = SectionOperation {
                section: section.clone(),
                operation: op,
            };
            if entry.operation.is_final() {
                recent.push(entry);
            } else {
                running.push(entry);
            }
        }
    }
    let changed = |o: &SectionOperation| {
        o.operation
            .finished_at
            .or(o.operation.started_at)
            .unwrap_or(o.operation.requested_at)
    };
    recent.sort_by_key(|o| std::cmp::Reverse(changed(o)));
    recent.truncate(RECENT);
    running.sort_by_key(|o| o.operation.requested_at);
    let next_reboot_at = mem
        .reboots
        .reboot
        .as_ref()
        .and_then(|r| r.schedule.as_ref())
        .and_then(|s| {
            crate::client::schedule::next_reboot(
                now,
                s,
                &jiff::tz::TimeZone::system(),
                mem.reboots.last_scheduled_reboot,
            )
            .ok()
            .flatten()
            .map(|(at, _)| at)
        });
    Ok(AgentStatus {
        connection: ConnectionStatus::read(state_dir),
        desired_version: mem.desired.desired_version,
        leases: leases.into_iter().filter(|l| l.expires_at > now).collect(),
        running,
        recent,
        reboot: mem.reboots.reboot,
        next_reboot_at,
        update_policy: mem.updates.update_policy,
        failed_desired: mem.desired.failed.into_iter().collect(),
        queued_reports: crate::connection::queue::ReportQueue::count(
            &crate::connection::queue_dir(state_dir),
        ),
    })
}

/// Writes `status` for people, or as one JSON document.
pub fn write_status(status: &AgentStatus, json: bool, out: &mut dyn Write) -> std::io::Result<()> {
    if json {
        let doc = serde_json::to_string_pretty(status).map_err(std::io::Error::other)?;
        return writeln!(out, "{doc}");
    }
    match &status.connection {
        Some(c) => {
            write!(
                out,
                "connection: {} to {} as {}",
                c.state.as_str(),
                c.endpoint,
                c.device_id
            )?;
            if let Some(since) = c.since {
                write!(out, " since {since}")?;
            }
            writeln!(out)?;
            if let Some(t) = c.last_connected_at {
                writeln!(out, "last connected: {t}")?;
            }
            if let Some(err) = &c.last_error {
                writeln!(out, "last error: {err}")?;
            }
            if c.failed_attempts > 0 {
                writeln!(
                    out,
                    "failed attempts: {} since the last connection",
                    c.failed_attempts
                )?;
            }
        }
        None => writeln!(
            out,
            "connection: unknown (the daemon has not written its status)"
        )?,
    }
    match status.desired_version {
        Some(v) => writeln!(out, "desired version: {v}")?,
        None => writeln!(out, "desired version: none yet")?,
    }
    writeln!(out, "queued reports: {}", status.queued_reports)?;
    if !status.failed_desired.is_empty() {
        writeln!(
            out,
            "desired sections not applied: {}",
            status.failed_desired.join(", ")
        )?;
    }
    if let Some(policy) = status.update_policy {
        let name = serde_json::to_value(policy).ok();
        writeln!(
            out,
            "update policy: {}",
            name.as_ref().and_then(|v| v.as_str()).unwrap_or("?")
        )?;
    }
    match status.next_reboot_at {
        Some(at) => writeln!(out, "next scheduled reboot: {at}")?,
        None => writeln!(out, "next scheduled reboot: none")?,
    }
    if let Some(window) = status
        .reboot
        .as_ref()
        .and_then(|r| r.maintenance_window.as_ref())
    {
        writeln!(
            out,
            "maintenance window: {}-{} {}",
            window.start,
            window.end,
            window.time_zone.as_deref().unwrap_or("(device time zone)")
        )?;
    }
    writeln!(out, "busy leases:")?;
    let mut table = Vec::new();
    crate::leases::cli::write_table(&status.leases, &mut table)?;
    for line in String::from_utf8_lossy(&table).lines() {
        writeln!(out, "  {line}")?;
    }
    for (title, ops) in [
        ("operations in progress", &status.running),
        ("recent operations", &status.recent),
    ] {
        writeln!(out, "{title}:")?;
        if ops.is_empty() {
            writeln!(out, "  none")?;
        }
        for o in ops {
            write!(
                out,
                "  {}  {}  {}",
                o.operation.id, o.operation.op, o.operation.state
            )?;
            if let Some(err) = &o.operation.error {
                write!(out, "  {}: {}", err.code, err.message)?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_state_directory_reads_as_idle() {
        let dir = tempfile::tempdir().unwrap();
        let status = read_status(dir.path()).unwrap();
        assert!(status.leases.is_empty() && status.running.is_empty());
        let mut out = Vec::new();
        write_status(&status, false, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("no busy leases")
                && text.contains("desired version: none yet")
                && text.contains("queued reports: 0"),
            "{text}"
        );
        assert!(read_status(&dir.path().join("missing")).is_err());
    }
}
