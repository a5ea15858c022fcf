//! Reboot: the true boot time, and the reboot itself.
//!
//! Scheduling (delays, single and daily schedules, maintenance windows, busy leases) is the
//! dispatcher's job and is identical for both backends; a provider only knows when the device
//! booted and how to reboot it. The boot time is the kernel's (`btime` in `/proc/stat`), not
//! the agent's start, so a reboot can be verified by the boot time moving.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dm_contract::{Backend, ProviderStatus};
use futures::future::BoxFuture;
use jiff::Timestamp;

use super::{active, inactive, not_active, under};
use crate::error::{DmError, DmResult};
use crate::runner::{Command, Runner, run_checked};

/// Called after a sandbox reboot; the simulator drops and re-establishes the connection.
pub type RebootHook = Arc<dyn Fn() + Send + Sync>;

/// Reboots the device.
pub trait RebootProvider: Send + Sync + 'static {
    /// Whether the provider can serve, and its backend.
    fn status(&self) -> ProviderStatus;
    /// When the device booted (kernel boot time).
    fn boot_time(&self) -> BoxFuture<'_, DmResult<Timestamp>>;
    /// Reboots now. On a real device this returns while the system goes down; the
    /// dispatcher completes the operation after the boot, seeing the boot time move.
    fn reboot<'a>(&'a self, reason: &'a str) -> BoxFuture<'a, DmResult<()>>;
}

/// Parses the `btime` line of `/proc/stat`.
pub fn parse_btime(proc_stat: &str) -> Option<Timestamp> {
    let seconds = proc_stat
        .lines()
        .find_map(|line| line.strip_prefix("btime "))?
        .trim()
        .parse::<i64>()
        .ok()?;
    Timestamp::from_second(seconds).ok()
}

/// Reboots through systemd (`systemctl reboot`), or `reboot` where systemd is absent.
pub struct LinuxReboot {
    /// Runs the reboot command.
    runner: Arc<dyn Runner>,
    /// `<root>/proc/stat`.
    proc_stat: PathBuf,
    /// The command that reboots, if one was found.
    command: Option<Command>,
    /// Probe result.
    status: ProviderStatus,
}

impl LinuxReboot {
    /// Probes for `systemctl`, then `reboot`.
    pub fn new(runner: Arc<dyn Runner>, root: &Path) -> Self {
        let command = if runner.has_program("systemctl") {
            Some(Command::new("systemctl", ["reboot"]))
        } else if runner.has_program("reboot") {
            Some(Command::new("reboot", [""; 0]))
        } else {
            None
        };
        let status = if command.is_some() {
            active(Backend::Linux)
        } else {
            inactive(Backend::Linux, "neither systemctl nor reboot was found")
        };
        Self {
            runner,
            proc_stat: under(root, "/proc/stat"),
            command,
            status,
        }
    }
}

impl RebootProvider for LinuxReboot {
    fn status(&self) -> ProviderStatus {
        self.status.clone()
    }

    fn boot_time(&self) -> BoxFuture<'_, DmResult<Timestamp>> {
        Box::pin(async move {
            let text = tokio::fs::read_to_string(&self.proc_stat)
                .await
                .map_err(|e| DmError::io("cannot read", &self.proc_stat, e))?;
            parse_btime(&text).ok_or_else(|| {
                DmError::failed("bootTimeUnknown", "/proc/stat has no valid `btime` line")
            })
        })
    }

    fn reboot<'a>(&'a self, reason: &'a str) -> BoxFuture<'a, DmResult<()>> {
        Box::pin(async move {
            let command = self
                .command
                .clone()
                .ok_or_else(|| not_active(&self.status, "reboot"))?;
            tracing::warn!(%reason, "rebooting the device");
            run_checked(self.runner.as_ref(), command).await.map(|_| ())
        })
    }
}

/// A sandbox reboot: the boot time in `<sandbox>/run/boot-time` moves to now, pending-reboot
/// markers go, and the hook runs.
pub struct SandboxReboot {
    /// The sandbox.
    dir: PathBuf,
    /// Called after each reboot.
    hook: Option<RebootHook>,
}

impl SandboxReboot {
    /// A sandbox whose first boot is now (unless one was recorded before).
    pub fn new(dir: &Path, hook: Option<RebootHook>) -> DmResult<Self> {
        let this = Self {
            dir: dir.to_owned(),
            hook,
        };
        if this.read_boot_time()?.is_none() {
            // Whole seconds, like the kernel's btime.
            let now = Timestamp::now();
            this.write_boot_time(Timestamp::from_second(now.as_second()).unwrap_or(now))?;
        }
        Ok(this)
    }

    fn boot_file(&self) -> PathBuf {
        self.dir.join("run/boot-time")
    }

    fn read_boot_time(&self) -> DmResult<Option<Timestamp>> {
        let Some(text) = super::read_text(&self.boot_file())? else {
            return Ok(None);
        };
        text.trim()
            .parse()
            .map(Some)
            .map_err(|e| DmError::CorruptState {
                path: self.boot_file(),
                detail: format!("not a timestamp: {e}"),
            })
    }

    fn write_boot_time(&self, at: Timestamp) -> DmResult<()> {
        super::ensure_dir(&self.dir.join("run"))?;
        crate::state::write_atomic(&self.boot_file(), format!("{at}\n").as_bytes(), 0o644)
    }
}

impl RebootProvider for SandboxReboot {
    fn status(&self) -> ProviderStatus {
        active(Backend::Sandbox)
    }

    fn boot_time(&self) -> BoxFuture<'_, DmResult<Timestamp>> {
        Box::pin(async move {
            self.read_boot_time()?
                .ok_or_else(|| DmError::failed("bootTimeUnknown", "the sandbox has no boot time"))
        })
    }

    fn reboot<'a>(&'a self, reason: &'a str) -> BoxFuture<'a, DmResult<()>> {
        Box::pin(async move {
            let before = self.read_boot_time()?.unwrap_or(Timestamp::UNIX_EPOCH);
            // Whole seconds, like the kernel's btime, and always later than the last boot.
            let now = Timestamp::from_second(Timestamp::now().as_second()).unwrap_or(before);
            let boot = if now > before {
                now
            } else {
                before + jiff::SignedDuration::from_secs(1)
            };
            super::sandbox_journal(&self.dir, "systemd", &format!("rebooting: {reason}"));
            let _ = std::fs::remove_file(self.dir.join("run/reboot-required"));
            self.write_boot_time(boot)?;
            if let Some(hook) = &self.hook {
                hook();
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::RecordingRunner;

    #[test]
    fn btime_is_read_from_proc_stat() {
        let stat = "cpu  1 2 3\nintr 5\nbtime 1740809529\nprocesses 10\n";
        assert_eq!(
            parse_btime(stat),
            Some("2025-03-01T06:12:09Z".parse().unwrap())
        );
        assert_eq!(parse_btime("cpu 1\n"), None);
        assert_eq!(parse_btime("btime soon\n"), None);
    }

    #[tokio::test]
    async fn linux_reboot_runs_systemctl_and_reads_btime_under_root() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("proc")).unwrap();
        std::fs::write(root.path().join("proc/stat"), "btime 1740809529\n").unwrap();
        let runner = RecordingRunner::new();
        let reboot = LinuxReboot::new(Arc::new(runner.clone()), root.path());
        assert!(reboot.status().active);
        assert_eq!(reboot.boot_time().await.unwrap().as_second(), 1_740_809_529);
        reboot.reboot("kernel update").await.unwrap();
        assert_eq!(runner.lines(), ["systemctl reboot"]);
    }

    #[tokio::test]
    async fn linux_reboot_falls_back_and_can_be_inactive() {
        let runner = RecordingRunner::new();
        runner.without(&["systemctl"]);
        let reboot = LinuxReboot::new(Arc::new(runner.clone()), Path::new("/"));
        reboot.reboot("x").await.unwrap();
        assert_eq!(runner.lines(), ["reboot"]);
        runner.without(&["reboot"]);
        let none = LinuxReboot::new(Arc::new(runner), Path::new("/"));
        assert!(!none.status().active);
        assert_eq!(none.reboot("x").await.unwrap_err().status(), 501);
    }

    #[tokio::test]
    async fn sandbox_reboot_moves_the_boot_time_and_calls_the_hook() {
        let dir = tempfile::tempdir().unwrap();
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let hook: RebootHook = {
            let calls = calls.clone();
            Arc::new(move || {
                calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            })
        };
        let reboot = SandboxReboot::new(dir.path(), Some(hook)).unwrap();
        let first = reboot.boot_time().await.unwrap();
        std::fs::write(dir.path().join("run/reboot-required"), "").unwrap();
        reboot.reboot("test").await.unwrap();
        let second = reboot.boot_time().await.unwrap();
        assert!(second > first);
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(!dir.path().join("run/reboot-required").exists());
        // A new provider over the same sandbox keeps the recorded boot.
        let again = SandboxReboot::new(dir.path(), None).unwrap();
        assert_eq!(again.boot_time().await.unwrap(), second);
    }
}
