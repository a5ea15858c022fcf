//! The rollouts screen's data: every rollout found in the hub's twin tags
//! (`tags.dmRollouts.<name>`, one record per device reached) joined with the plans stored on
//! this machine, summarized wave by wave the way `dmctl rollout status` does.
//!
//! The hub side is read with one projected query (only the rollout tags, never whole twins),
//! page by page within the dashboard's query budget, so another operator's rollout shows here
//! too; the local plans add what only the machine running a rollout knows (its waves before they
//! are reached, its status, whether its process is alive).

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::rollout::engine::{self, Failure, WaveCounts};
use crate::rollout::spec::{DeviceRecord, Outcome, TAG};
use crate::rollout::store::{LocalRollout, Store};

/// The query that reads every device's rollout records: only the tag, for the devices that have
/// one.
pub fn query() -> String {
    format!("SELECT deviceId, tags.{TAG} AS rollouts FROM devices WHERE IS_DEFINED(tags.{TAG})")
}

/// A plan stored on this machine and whether a process is running it now.
#[derive(Debug, Clone)]
pub struct LocalPlan {
    /// The plan and the status its runner last wrote.
    pub rollout: LocalRollout,
    /// Whether a live process holds its lock.
    pub running: bool,
}

/// Reads the plans stored on this machine; a missing directory is no plan.
pub fn read_local(store: &Store) -> Result<Vec<LocalPlan>, crate::exit::CliError> {
    let mut plans = Vec::new();
    for rollout in store.list()? {
        let running = store.is_running(&rollout.spec.name)?;
        plans.push(LocalPlan { rollout, running });
    }
    Ok(plans)
}

/// Records by rollout name, then by device id, as read from the hub so far.
pub type Records = BTreeMap<String, HashMap<String, DeviceRecord>>;

/// Adds the records of one page of [`query`] to `records`; rows whose tag is not a dmctl
/// record are skipped (another tool's tag must not hide the others).
pub fn add_page(records: &mut Records, rows: &[Value]) {
    for row in rows {
        let Some(id) = row.get("deviceId").and_then(Value::as_str) else {
            continue;
        };
        let Some(Value::Object(by_name)) = row.get("rollouts") else {
            continue;
        };
        for (name, record) in by_name {
            if let Ok(record) = serde_json::from_value::<DeviceRecord>(record.clone()) {
                records
                    .entry(name.clone())
                    .or_default()
                    .insert(id.to_owned(), record);
            }
        }
    }
}

/// One rollout as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloutSummary {
    /// Its name.
    pub name: String,
    /// `running`, `paused`, `waiting`, `interrupted`, `completed`, … or `in hub only` when the
    /// plan is on another machine.
    pub status: String,
    /// Why it stopped or what it waits for.
    pub reason: Option<String>,
    /// The typed command it runs (`reboot`, `apps restart web`), when the plan is here.
    pub operation: Option<String>,
    /// The wave in progress or next, from 1 (`None` when every wave is done).
    pub current_wave: Option<usize>,
    /// Per-wave counts.
    pub waves: Vec<WaveCounts>,
    /// Failed devices.
    pub failures: Vec<Failure>,
    /// Whether it may still change (not finished): shown first.
    pub active: bool,
}

impl RolloutSummary {
    /// Devices in every wave.
    pub fn devices(&self) -> usize {
        self.waves.iter().map(|w| w.devices).sum()
    }

    /// Devices that succeeded.
    pub fn succeeded(&self) -> usize {
        self.waves.iter().map(|w| w.succeeded).sum()
    }

    /// Devices that failed.
    pub fn failed(&self) -> usize {
        self.waves.iter().map(|w| w.failed).sum()
    }
}

/// Joins the hub's records with the local plans: one summary per rollout name, the active ones
/// first, then by name.
pub fn summarize(records: &Records, local: &[LocalPlan]) -> Vec<RolloutSummary> {
    let empty = HashMap::new();
    let mut names: Vec<&str> = records.keys().map(String::as_str).collect();
    for plan in local {
        if !records.contains_key(&plan.rollout.spec.name) {
            names.push(&plan.rollout.spec.name);
        }
    }
    let mut summaries: Vec<RolloutSummary> = names
        .into_iter()
        .map(|name| {
            let devices = records.get(name).unwrap_or(&empty);
            let plan = local.iter().find(|p| p.rollout.spec.name == name);
            let (waves, failures) = engine::summarize(plan.map(|p| &p.rollout.spec), devices);
            let current_wave = waves
                .iter()
                .find(|w| w.pending > 0 || w.sent > 0)
                .map(|w| w.wave);
            let (status, active) = match plan {
                Some(p) => (
                    crate::rollout::command::status_name(p.rollout.status, p.running).to_owned(),
                    !p.rollout.status.is_final(),
                ),
                // Without the plan, a rollout with a device still in flight is active.
                None => (
                    "in hub only".to_owned(),
                    devices.values().any(|r| r.outcome == Outcome::Sent),
                ),
            };
            RolloutSummary {
                name: name.to_owned(),
                status,
                reason: plan.and_then(|p| p.rollout.reason.clone()),
                operation: plan.map(|p| p.rollout.spec.operation.join(" ")),
                current_wave,
                waves,
                failures,
                active,
            }
        })
        .collect();
    summaries.sort_by(|a, b| b.active.cmp(&a.active).then_with(|| a.name.cmp(&b.name)));
    summaries
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn record(name: &str, wave: usize, outcome: &str) -> Value {
        json!({"name": name, "plan": "abc", "wave": wave, "outcome": outcome,
               "time": "2026-03-01T11:00:00Z"})
    }

    #[test]
    fn records_from_the_hub_become_waves_and_foreign_tags_are_skipped() {
        let mut records = Records::new();
        add_page(
            &mut records,
            &[
                json!({"deviceId": "d1", "rollouts": {"fw": record("fw", 1, "succeeded")}}),
                json!({"deviceId": "d2", "rollouts": {"fw": record("fw", 2, "sent"),
                                                       "other": {"not": "ours"}}}),
                json!({"deviceId": "d3", "rollouts": {"old": record("old", 1, "failed")}}),
            ],
        );
        assert_eq!(records.len(), 2, "{records:?}");
        let summaries = summarize(&records, &[]);
        // `fw` has a device in flight: active, first.
        assert_eq!(summaries[0].name, "fw");
        assert!(summaries[0].active);
        assert_eq!(summaries[0].status, "in hub only");
        assert_eq!(summaries[0].waves.len(), 2);
        assert_eq!(summaries[0].current_wave, Some(2));
        assert_eq!(summaries[1].name, "old");
        assert!(!summaries[1].active);
        assert_eq!(summaries[1].failed(), 1);
        assert_eq!(summaries[1].failures[0].device_id, "d3");
    }
}
