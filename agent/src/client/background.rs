//! The client's clock-driven work: scheduled reboots, automatic updates in the maintenance
//! window, reverting a temporary log level, and keeping `reported.dm.busy` current as leases
//! come, go and expire.
//!
//! One loop does it all: it computes the next thing due, sleeps until then (or until woken by a
//! schedule, policy or lease change), and re-reads the wall clock every few minutes so a clock
//! step (NTP at boot) cannot make it miss a reboot by hours.

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use dm_contract::{BusyLease, Section, UpdatePolicy};
use jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;

use super::schedule::ScheduledKind;
use super::{Inner, OpSpec, PowerAction};

/// The longest the loop sleeps without re-reading the clock.
const MAX_NAP: Duration = Duration::from_secs(300);
/// How often `reported.dm.info` is refreshed (each reported patch costs a twin write).
const INFO_INTERVAL: Duration = Duration::from_secs(6 * 3600);
/// A scheduled reboot found this late (the clock jumped, the system was suspended) is skipped.
const MISSED_AFTER: Duration = Duration::from_secs(600);

/// Runs until the client is dropped or shut down.
pub(crate) async fn run(inner: Weak<Inner>, mut shutdown: watch::Receiver<bool>) {
    let Some(first) = inner.upgrade() else { return };
    let mut leases = first.leases.subscribe();
    let wake = first.wake.clone();
    drop(first);
    let mut last_busy: Option<Vec<BusyLease>> = None;
    let mut last_next_reboot: Option<Option<Timestamp>> = None;
    let mut last_maintenance = Instant::now();
    let mut last_info = Instant::now();
    let mut armed: Option<(Timestamp, ScheduledKind)> = None;
    loop {
        let Some(inner) = inner.upgrade() else { return };
        let now = Timestamp::now();

        // Busy leases: report whenever the active set changed (expiry included).
        let busy = inner.leases.list();
        if last_busy.as_ref() != Some(&busy) {
            inner.report_section(Section::Busy).await;
            last_busy = Some(busy.clone());
        }

        // Scheduled reboots: the instant armed last round fires once it is reached (unless
        // the clock jumped far past it: a missed reboot is not replayed).
        if let Some((at, kind)) = armed
            && at <= now
            && inner
                .mem(|m| m.reboots.last_scheduled_reboot)
                .is_none_or(|last| at > last)
        {
            inner.mem_update(|m| m.reboots.last_scheduled_reboot = Some(at));
            if now.duration_since(at) <= SignedDuration::try_from(MISSED_AFTER).unwrap_or_default()
            {
                inner.fire_scheduled_reboot(kind);
            } else {
                tracing::warn!(%at, "a scheduled reboot was missed (the clock jumped past it); not replaying it");
            }
        }
        let next = inner.next_scheduled(now).await;
        armed = next;
        let next_at = next.map(|(at, _)| at);
        if last_next_reboot != Some(next_at) {
            inner.report_section(Section::Reboot).await;
            last_next_reboot = Some(next_at);
        }

        // Temporary log level.
        let reverts_at = inner.revert_log_level_if_due(now).await;

        // Automatic updates.
        if last_maintenance.elapsed() >= inner.settings.maintenance_interval {
            last_maintenance = Instant::now();
            inner.clone().automatic_updates(now).await;
        }

        // The inventory (uptime, free memory and disk) drifts: refresh it now and then.
        if last_info.elapsed() >= INFO_INTERVAL {
            last_info = Instant::now();
            inner.report_section(Section::Info).await;
        }

        // Sleep until the next thing is due.
        let mut due = vec![
            MAX_NAP,
            inner
                .settings
                .maintenance_interval
                .saturating_sub(last_maintenance.elapsed()),
        ];
        let until =
            |t: Timestamp| Duration::try_from(t.duration_since(now)).unwrap_or(Duration::ZERO);
        if let Some(at) = next_at {
            due.push(until(at));
        }
        if let Some(at) = reverts_at {
            due.push(until(at));
        }
        if let Some(expiry) = busy.iter().map(|l| l.expires_at).min() {
            due.push(until(expiry) + Duration::from_millis(10));
        }
        let nap = due
            .into_iter()
            .min()
            .unwrap_or(MAX_NAP)
            .max(Duration::from_millis(10));
        drop(inner);
        tokio::select! {
            () = tokio::time::sleep(nap) => {}
            () = wake.notified() => {}
            res = leases.changed() => if res.is_err() { return },
            _ = shutdown.changed() => return,
        }
    }
}

impl Inner {
    /// Starts the reboot the schedule asked for. It respects busy leases by waiting for them
    /// (never forced, never refused: no one is there to retry).
    fn fire_scheduled_reboot(self: &Arc<Self>, kind: ScheduledKind) {
        let reason = match kind {
            ScheduledKind::Single => "scheduled reboot (single)".to_owned(),
            ScheduledKind::Daily => {
                let schedule =
                    self.mem(|m| m.reboots.reboot.as_ref().and_then(|r| r.schedule.clone()));
                match schedule.and_then(|s| s.daily.map(|d| (d, s.time_zone))) {
                    Some((daily, Some(zone))) => {
                        format!("scheduled reboot (daily at {daily} {zone})")
                    }
                    Some((daily, None)) => format!("scheduled reboot (daily at {daily})"),
                    None => "scheduled reboot (daily)".to_owned(),
                }
            }
        };
        tracing::info!(%reason, "scheduled reboot due");
        let mut spec = OpSpec::new(
            dm_contract::METHOD_REBOOT,
            Section::Reboot,
            self.settings.operation_timeout,
        );
        spec.target = Some("power".into());
        spec.disruptive = true;
        spec.postpone = true;
        let response = self.accept(spec, reboot_work(reason));
        if response.status >= 400 {
            tracing::warn!(status = response.status, answer = %response.payload, "the scheduled reboot could not start");
        }
    }

    /// Reverts a temporary log level when due; returns when the current one reverts.
    async fn revert_log_level_if_due(&self, now: Timestamp) -> Option<Timestamp> {
        let reverted = {
            let mut log = self
                .log
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match log.reverts_at {
                Some(at) if at <= now => {
                    log.current = log.configured;
                    log.reverts_at = None;
                    Some(log.current)
                }
                other => return other,
            }
        };
        if let (Some(level), Some(hook)) = (reverted, &self.log_hook) {
            hook(level);
        }
        tracing::info!(level = ?reverted, "temporary log level expired");
        self.report_section(Section::Diagnostics).await;
        None
    }

    /// Installs what the update policy allows, inside the maintenance window, when no busy
    /// lease is held (unattended work never forces and simply waits for the next round).
    async fn automatic_updates(self: Arc<Self>, now: Timestamp) {
        let (policy, window) = self.mem(|m| {
            (
                m.updates.update_policy,
                m.reboots
                    .reboot
                    .as_ref()
                    .and_then(|r| r.maintenance_window.clone()),
            )
        });
        if matches!(policy, None | Some(UpdatePolicy::Manual))
            || self
                .statuses
                .get(&Section::Updates)
                .is_some_and(|s| !s.active)
        {
            return;
        }
        if let Some(window) = window {
            let zone = self.device_zone().await;
            if !super::schedule::in_window(&window, now, &zone).unwrap_or(false) {
                return;
            }
        }
        if self.leases.retry_after().is_some() {
            tracing::info!("automatic updates wait: the device is busy");
            return;
        }
        if let Err(err) = self.scan_updates().await {
            tracing::warn!(error = %err, "automatic update scan failed");
            return;
        }
        let specs = self.eligible_updates(&[]);
        if specs.is_empty() {
            return;
        }
        tracing::info!(
            count = specs.len(),
            "installing updates allowed by the policy"
        );
        let mut spec = OpSpec::new(
            dm_contract::METHOD_UPDATES_INSTALL,
            Section::Updates,
            self.settings.operation_timeout,
        );
        spec.target = Some("updates".into());
        spec.disruptive = true;
        let _ = self.accept(spec, super::methods::install_updates_work(specs, true));
    }
}

/// The work of a reboot (method or schedule).
pub(crate) fn reboot_work(reason: String) -> super::Work {
    Box::new(move |inner, id| {
        let work: futures::future::BoxFuture<'static, crate::error::DmResult<super::Outcome>> =
            Box::pin(async move {
                inner
                    .power_cycle(Section::Reboot, id, reason, PowerAction::Reboot)
                    .await
            });
        work
    })
}
