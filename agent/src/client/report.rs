//! Building and sending the reported sections.
//!
//! A twin patch merges: a field left out keeps its old value. So a section whose optional
//! field went away (a cleared schedule, a policy no longer managed) is reported with an
//! explicit `null` for it, and `operations` is never part of a section report (envelopes are
//! patched one by one and would otherwise be clobbered).

use std::sync::Arc;

use dm_contract::{
    AgentUpdateReport, AppsReport, CertStore, CertSummary, CertificatesReport, DiagnosticsReport,
    FactoryResetReport, MAX_REPORTED_ITEMS, MAX_REPORTED_UPDATES, NetworkReport, RebootReport,
    Section, TimeReport, UpdatesReport,
};
use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use super::Inner;
use crate::error::{DmError, DmResult};

/// Serializes `report` and sets `nullable` fields that are absent to `null`.
fn with_nulls<T: Serialize>(report: &T, nullable: &[&str]) -> DmResult<Value> {
    let mut value = serde_json::to_value(report)
        .map_err(|e| DmError::failed("internal", format!("cannot serialize a report: {e}")))?;
    if let Value::Object(map) = &mut value {
        for key in nullable {
            map.entry((*key).to_owned()).or_insert(Value::Null);
        }
    }
    Ok(value)
}

impl Inner {
    /// The device's time zone (for schedules and windows without their own).
    pub(crate) async fn device_zone(&self) -> jiff::tz::TimeZone {
        match self.providers.time.get().await {
            Ok(settings) => {
                super::schedule::zone(&settings.time_zone).unwrap_or(jiff::tz::TimeZone::UTC)
            }
            Err(_) => jiff::tz::TimeZone::system(),
        }
    }

    /// The next scheduled reboot after `now`, if any.
    pub(crate) async fn next_scheduled(
        &self,
        now: Timestamp,
    ) -> Option<(Timestamp, super::schedule::ScheduledKind)> {
        let (schedule, last) = self.mem(|m| {
            (
                m.reboots.reboot.as_ref().and_then(|r| r.schedule.clone()),
                m.reboots.last_scheduled_reboot,
            )
        });
        let schedule = schedule?;
        let zone = self.device_zone().await;
        super::schedule::next_reboot(now, &schedule, &zone, last)
            .ok()
            .flatten()
    }

    /// Builds the reported value of `section`; `None` when its provider is inactive.
    pub(crate) async fn section_report(&self, section: Section) -> DmResult<Option<Value>> {
        if self.statuses.get(&section).is_some_and(|s| !s.active) {
            return Ok(None);
        }
        let value = match section {
            Section::Agent => serde_json::to_value(crate::manifest::build_manifest(
                &self.statuses,
                &self.agent_version(),
            ))
            .ok(),
            Section::Busy => serde_json::to_value(self.leases.report()).ok(),
            Section::Reboot => {
                let desired = self.mem(|m| m.reboots.reboot.clone()).unwrap_or_default();
                let report = RebootReport {
                    last_boot_time: self.providers.reboot.boot_time().await.ok(),
                    last_reboot_reason: self.mem(|m| m.reboots.last_reboot_reason.clone()),
                    schedule: desired.schedule,
                    maintenance_window: desired.maintenance_window,
                    next_reboot_at: self
                        .next_scheduled(Timestamp::now())
                        .await
                        .map(|(at, _)| at),
                    operations: dm_contract::Operations::new(),
                };
                Some(with_nulls(
                    &report,
                    &["schedule", "maintenanceWindow", "nextRebootAt"],
                )?)
            }
            Section::FactoryReset => {
                let report = FactoryResetReport {
                    last_reset_at: self.mem(|m| m.reset.last_reset_at),
                    operations: dm_contract::Operations::new(),
                };
                Some(with_nulls(&report, &["lastResetAt"])?)
            }
            Section::Apps => {
                let managed = self.mem(|m| m.apps.managed_apps.clone());
                let mut apps = Vec::new();
                let mut gone = Vec::new();
                for app in managed.iter().take(MAX_REPORTED_ITEMS) {
                    match self.providers.apps.inspect(&app.name).await {
                        Ok(mut status) => {
                            status.sha256 = Some(app.sha256.clone());
                            status.installed_at = Some(app.installed_at);
                            apps.push(status);
                        }
                        Err(DmError::NotFound(_)) => gone.push(app.name.clone()),
                        Err(err) => {
                            tracing::debug!(app = %app.name, error = %err, "cannot inspect a managed app");
                        }
                    }
                }
                if !gone.is_empty() {
                    // Removed outside dm: no longer managed.
                    self.mem_update(|m| m.apps.managed_apps.retain(|a| !gone.contains(&a.name)));
                }
                serde_json::to_value(AppsReport {
                    managed: apps,
                    operations: dm_contract::Operations::new(),
                })
                .ok()
            }
            Section::Updates => {
                let mut report = self.mem(|m| UpdatesReport {
                    policy: m.updates.update_policy,
                    approved: m.updates.approved.clone(),
                    last_scan_time: m.updates.last_scan_time,
                    last_install_time: m.updates.last_install_time,
                    available: m
                        .updates
                        .available
                        .iter()
                        .take(MAX_REPORTED_UPDATES)
                        .cloned()
                        .collect(),
                    available_count: u32::try_from(m.updates.available.len()).unwrap_or(u32::MAX),
                    security_count: u32::try_from(
                        m.updates.available.iter().filter(|u| u.security).count(),
                    )
                    .unwrap_or(u32::MAX),
                    pending_reboot: false,
                    operations: dm_contract::Operations::new(),
                });
                report.pending_reboot = self
                    .providers
                    .updates
                    .pending_reboot()
                    .await
                    .unwrap_or(false);
                Some(with_nulls(&report, &["policy"])?)
            }
            Section::Certificates => {
                let certs = self.providers.certificates.list(None).await?;
                let summaries = |store: CertStore| -> Vec<CertSummary> {
                    certs
                        .iter()
                        .filter(|c| c.managed && c.store == store)
                        .take(MAX_REPORTED_ITEMS)
                        .map(|c| CertSummary {
                            thumbprint: c.thumbprint.clone(),
                            subject: c.subject.clone(),
                            not_after: c.not_after,
                        })
                        .collect()
                };
                serde_json::to_value(CertificatesReport {
                    trust: summaries(CertStore::Trust),
                    client: summaries(CertStore::Client),
                    operations: dm_contract::Operations::new(),
                })
                .ok()
            }
            Section::Time => {
                let settings = self.providers.time.get().await?;
                let report = TimeReport {
                    time_zone: Some(settings.time_zone),
                    ntp_servers: settings.ntp_servers,
                    ntp_synchronized: settings.ntp_synchronized,
                    operations: dm_contract::Operations::new(),
                };
                Some(with_nulls(&report, &["ntpSynchronized"])?)
            }
            Section::Network => {
                let mut wifi = self.providers.network.list().await?;
                wifi.truncate(MAX_REPORTED_ITEMS);
                serde_json::to_value(NetworkReport {
                    wifi,
                    operations: dm_contract::Operations::new(),
                })
                .ok()
            }
            Section::Diagnostics => {
                let log = *self
                    .log
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let report = DiagnosticsReport {
                    log_level: Some(log.current),
                    log_level_reverts_at: log.reverts_at,
                    operations: dm_contract::Operations::new(),
                };
                Some(with_nulls(&report, &["logLevelRevertsAt"])?)
            }
            Section::Info => serde_json::to_value(self.device_info().await?).ok(),
            Section::AgentUpdate => {
                let last = self.mem(|m| m.agent_update.last_agent_update.clone());
                let report = AgentUpdateReport {
                    previous_version: last.as_ref().map(|l| l.previous_version.clone()),
                    last_update_at: last.map(|l| l.at),
                    operations: dm_contract::Operations::new(),
                };
                Some(with_nulls(&report, &[])?)
            }
        };
        Ok(value)
    }

    /// The device inventory, with the version of the agent running now (which a self-update
    /// changes, and which the sandbox only simulates).
    pub(crate) async fn device_info(&self) -> DmResult<dm_contract::DeviceInfo> {
        let mut info = self.providers.info.collect().await?;
        info.agent_version = Some(self.agent_version());
        Ok(info)
    }

    /// Reports one section (failures are logged: reporting never fails an operation).
    pub(crate) async fn report_section(&self, section: Section) -> bool {
        match self.section_report(section).await {
            Ok(Some(value)) => {
                self.send(dm_contract::reported_patch(section, value)).await;
                true
            }
            Ok(None) => false,
            Err(err) => {
                tracing::warn!(section = section.name(), error = %err, "could not build a section report");
                false
            }
        }
    }

    /// Reports every section; returns the names of those reported.
    pub(crate) async fn report_all(self: &Arc<Self>) -> Vec<String> {
        let mut reported = Vec::new();
        for section in Section::ALL {
            if self.report_section(section).await {
                reported.push(section.name().to_owned());
            }
        }
        reported
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleared_fields_are_reported_as_null() {
        let value = with_nulls(&RebootReport::default(), &["schedule", "nextRebootAt"]).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"schedule": null, "nextRebootAt": null})
        );
    }
}
