//! Desired state: `desired.dm.reboot`, `desired.dm.updates` and `desired.dm.time`.
//!
//! Desired state is reconciled, not replayed. The client tracks the desired `$version`: a
//! patch at or below the last version seen is skipped, a gap makes it fetch the full twin, and
//! every (re)connect converges on the full twin. Each section has one worker that applies the
//! *latest* value it was given, so a burst of patches ends in the final state without replaying
//! every intermediate one, and applies of one section never overlap. Each apply is an operation
//! (`dm.<section>.apply`, id `d<version>-<section>`) whose envelope carries the version.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Weak};

use dm_contract::{
    OperationId, OperationStatus, RebootDesired, Section, TimeDesired, UpdatesDesired, apply_op,
    error_code, parse_desired,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::watch;

use super::{Inner, OpSpec, Outcome};
use crate::error::{DmError, DmResult};

/// What desired-state handling remembers across restarts (part of `client.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct DesiredMemory {
    /// The last desired `$version` seen.
    pub desired_version: Option<u64>,
    /// `desired.dm` as last merged.
    pub desired_dm: Map<String, Value>,
    /// Per desired section, the value last applied successfully.
    pub applied: BTreeMap<String, Value>,
    /// Desired sections whose last apply failed (retried on the next full twin).
    pub failed: BTreeSet<String>,
}

/// One value to apply.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Job {
    /// The section's merged desired value (`null` when absent).
    pub value: Value,
    /// The desired `$version` it comes from.
    pub version: Option<u64>,
}

/// RFC 7396 merge: `null` deletes, objects merge recursively, anything else replaces.
pub(crate) fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                } else {
                    merge(target.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
        (target, patch) => {
            if let Value::Object(map) = patch {
                // Merging an object into a non-object starts from an empty object.
                let mut fresh = Value::Object(Map::new());
                merge(&mut fresh, &Value::Object(map.clone()));
                *target = fresh;
            } else {
                *target = patch.clone();
            }
        }
    }
}

/// A copy without `$`-keys (`$version`, `$metadata`) at any depth.
fn strip(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

impl Inner {
    fn submit(&self, section: Section, value: Value, version: Option<u64>) {
        if let Some(tx) = self.desired_tx.get(&section) {
            tx.send_replace(Some(Job { value, version }));
        }
    }

    /// A desired patch arrived.
    pub(crate) async fn desired_patch(self: &Arc<Self>, patch: &Value) {
        let guard = self.desired_lock.lock().await;
        let version = patch.get("$version").and_then(Value::as_u64);
        let last = self.mem(|m| m.desired.desired_version);
        if let (Some(v), Some(l)) = (version, last) {
            if v <= l {
                tracing::debug!(
                    version = v,
                    last = l,
                    "skipping a desired patch already applied"
                );
                return;
            }
            if v > l + 1 {
                tracing::info!(
                    version = v,
                    last = l,
                    "desired version gap: fetching the full twin"
                );
                match self.transport.get_twin().await {
                    Ok(twin) => {
                        drop(guard);
                        self.converge(&twin).await;
                        return;
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, "cannot fetch the twin; applying the patch alone");
                    }
                }
            }
        }
        let Some(dm) = patch.get(dm_contract::NAMESPACE) else {
            self.mem_update(|m| m.desired.desired_version = version.or(m.desired.desired_version));
            return;
        };
        let dm = strip(dm);
        let touched: Vec<String> = match &dm {
            Value::Object(map) => map.keys().cloned().collect(),
            _ => Section::ALL
                .iter()
                .filter(|s| s.is_desired())
                .map(|s| s.name().to_owned())
                .collect(),
        };
        let merged = self.mem_update(|m| {
            let mut doc = Value::Object(std::mem::take(&mut m.desired.desired_dm));
            if dm.is_object() {
                merge(&mut doc, &dm);
            } else {
                doc = Value::Object(Map::new());
            }
            m.desired.desired_dm = match doc {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            m.desired.desired_version = version.or(m.desired.desired_version);
            m.desired.desired_dm.clone()
        });
        for name in touched {
            match Section::from_name(&name) {
                Ok(section) if section.is_desired() => {
                    self.submit(
                        section,
                        merged.get(&name).cloned().unwrap_or(Value::Null),
                        version,
                    );
                }
                _ => {
                    tracing::warn!(section = %name, "ignoring desired.dm.{name}: not a desired section of this agent");
                }
            }
        }
    }

    /// Converges on a full twin's desired state: applies each section whose value differs from
    /// what was last applied (or whose last apply failed).
    pub(crate) async fn converge(self: &Arc<Self>, twin: &Value) {
        let _guard = self.desired_lock.lock().await;
        let desired = dm_contract::desired_properties(twin)
            .cloned()
            .unwrap_or(Value::Null);
        let version = dm_contract::desired_version(twin);
        let dm = match desired.get(dm_contract::NAMESPACE).map(strip) {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let (applied, failed) = self.mem(|m| (m.desired.applied.clone(), m.desired.failed.clone()));
        for section in Section::ALL.into_iter().filter(|s| s.is_desired()) {
            let value = dm.get(section.name()).cloned().unwrap_or(Value::Null);
            let last = applied.get(section.name()).cloned().unwrap_or(Value::Null);
            if value != last || failed.contains(section.name()) {
                self.submit(section, value, version);
            }
        }
        self.mem_update(|m| {
            m.desired.desired_dm = dm;
            m.desired.desired_version = version.or(m.desired.desired_version);
        });
    }

    /// Applies one job as a `dm.<section>.apply` operation and waits for it.
    async fn apply(self: &Arc<Self>, section: Section, job: Job) {
        let now = Timestamp::now();
        let stamp = now.strftime("%Y%m%dT%H%M%SZ");
        let id = match job.version {
            Some(v) => format!("d{v}-{section}"),
            None => format!("d{stamp}-{section}"),
        };
        let Ok(id) = OperationId::new(id) else { return };
        // An invalid desired section is refused before anything starts: `rejected`.
        if let Err(err) = validate(section, &job.value) {
            let mut status = OperationStatus::pending(id, apply_op(section), now);
            status.desired_version = job.version;
            status.reject(now, err.code(), err.to_string());
            self.mem_update(|m| {
                m.desired.failed.insert(section.name().to_owned());
            });
            tracing::warn!(section = section.name(), error = %err, "refusing invalid desired state");
            self.finish_envelope(section, &status).await;
            return;
        }
        let mut spec = OpSpec::new(apply_op(section), section, self.settings.apply_timeout);
        spec.id = Some(id.clone());
        spec.desired_version = job.version;
        spec.target = Some(format!("desired:{section}"));
        let value = job.value.clone();
        let work: super::Work = Box::new(move |inner, _| {
            let work: futures::future::BoxFuture<'static, DmResult<Outcome>> =
                Box::pin(async move {
                    inner
                        .apply_section(section, &value)
                        .await
                        .map(|()| Outcome::Done(None))
                });
            work
        });
        match self.begin(spec, work) {
            Ok((_, task)) => {
                let _ = task.await;
            }
            Err(response) => {
                tracing::warn!(
                    section = section.name(),
                    status = response.status,
                    "could not start a desired apply"
                );
                return;
            }
        }
        let succeeded = self
            .ops
            .get(section, &id)
            .is_some_and(|s| s.state == dm_contract::OperationState::Succeeded);
        self.mem_update(|m| {
            if succeeded {
                m.desired
                    .applied
                    .insert(section.name().to_owned(), job.value.clone());
                m.desired.failed.remove(section.name());
            } else {
                m.desired.failed.insert(section.name().to_owned());
            }
        });
        self.report_section(section).await;
    }

    /// Makes the device match one desired section.
    async fn apply_section(&self, section: Section, value: &Value) -> DmResult<()> {
        match section {
            Section::Time => {
                let desired: TimeDesired = if value.is_null() {
                    TimeDesired::default()
                } else {
                    parse_desired(section, value)?
                };
                if let Some(zone) = &desired.time_zone {
                    self.providers.time.set_time_zone(zone).await?;
                }
                if let Some(servers) = &desired.ntp_servers {
                    self.providers.time.set_ntp_servers(servers).await?;
                }
                Ok(())
            }
            Section::Reboot => {
                let desired: Option<RebootDesired> = if value.is_null() {
                    None
                } else {
                    Some(parse_desired(section, value)?)
                };
                if let Some(desired) = &desired {
                    let zones = desired
                        .schedule
                        .as_ref()
                        .and_then(|s| s.time_zone.as_deref())
                        .into_iter()
                        .chain(
                            desired
                                .maintenance_window
                                .as_ref()
                                .and_then(|w| w.time_zone.as_deref()),
                        );
                    for zone in zones {
                        super::schedule::zone(zone)?;
                    }
                }
                self.mem_update(|m| {
                    m.reboots.reboot = desired.filter(|d| *d != RebootDesired::default());
                });
                self.wake.notify_one();
                Ok(())
            }
            Section::Updates => {
                let desired: UpdatesDesired = if value.is_null() {
                    UpdatesDesired::default()
                } else {
                    parse_desired(section, value)?
                };
                self.mem_update(|m| {
                    m.updates.update_policy = desired.policy;
                    m.updates.approved = desired.approved.clone().unwrap_or_default();
                });
                self.wake.notify_one();
                Ok(())
            }
            other => Err(DmError::failed(
                error_code::FAILED,
                format!("{other} is not a desired section"),
            )),
        }
    }
}

/// Parses (without applying) a desired section, so invalid state is `rejected` up front.
fn validate(section: Section, value: &Value) -> DmResult<()> {
    if value.is_null() {
        return Ok(());
    }
    match section {
        Section::Time => parse_desired::<TimeDesired>(section, value).map(drop)?,
        Section::Reboot => parse_desired::<RebootDesired>(section, value).map(drop)?,
        Section::Updates => parse_desired::<UpdatesDesired>(section, value).map(drop)?,
        _ => {}
    }
    Ok(())
}

/// One section's worker: applies the latest job, one at a time, until the client is dropped.
pub(crate) async fn worker(
    inner: Weak<Inner>,
    section: Section,
    mut rx: watch::Receiver<Option<Job>>,
) {
    while rx.changed().await.is_ok() {
        let job = rx.borrow_and_update().clone();
        let Some(job) = job else { continue };
        let Some(inner) = inner.upgrade() else { return };
        // A panic inside an apply must not end the worker: run it as its own task.
        let task = tokio::spawn({
            let inner = inner.clone();
            async move { inner.apply(section, job).await }
        });
        if let Err(err) = task.await {
            tracing::error!(
                section = section.name(),
                panicked = err.is_panic(),
                "a desired apply died"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_follows_rfc_7396() {
        let mut doc = json!({"time": {"timeZone": "UTC", "ntpServers": ["a"]}, "reboot": {"schedule": {"daily": "03:00"}}});
        merge(
            &mut doc,
            &json!({"time": {"ntpServers": null}, "reboot": {"schedule": {"daily": "04:00"}}, "updates": {"policy": "manual"}}),
        );
        assert_eq!(
            doc,
            json!({"time": {"timeZone": "UTC"}, "reboot": {"schedule": {"daily": "04:00"}}, "updates": {"policy": "manual"}})
        );
        merge(&mut doc, &json!({"time": null}));
        assert!(doc.get("time").is_none());
        let mut scalar = json!(5);
        merge(&mut scalar, &json!({"a": {"b": null, "c": 1}}));
        assert_eq!(scalar, json!({"a": {"c": 1}}));
    }

    #[test]
    fn strip_drops_hub_metadata() {
        assert_eq!(
            strip(&json!({"$version": 3, "time": {"$metadata": {}, "timeZone": "UTC"}})),
            json!({"time": {"timeZone": "UTC"}})
        );
    }
}
