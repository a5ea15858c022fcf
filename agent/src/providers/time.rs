//! Time: the time zone and the NTP servers.
//!
//! NTP servers are configured as a systemd-timesyncd drop-in owned by the agent
//! (`/etc/systemd/timesyncd.conf.d/dm-agent.conf`), so the operator's servers override the
//! distribution's without editing its files, and clearing them restores the defaults. The
//! sandbox keeps the same two files under its directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dm_contract::{Backend, ProviderStatus};
use futures::future::BoxFuture;

use super::{active, inactive, not_active, read_text, under};
use crate::error::{DmError, DmResult};
use crate::runner::{Command, Runner, run_checked};

/// The drop-in the agent owns, relative to the root.
const NTP_DROP_IN: &str = "/etc/systemd/timesyncd.conf.d/dm-agent.conf";

/// Time settings in effect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeSettings {
    /// IANA time zone.
    pub time_zone: String,
    /// NTP servers in effect (the agent's, else the system's).
    pub ntp_servers: Vec<String>,
    /// Whether the clock is synchronized, when known.
    pub ntp_synchronized: Option<bool>,
}

/// Reads and changes the time zone and NTP servers.
pub trait TimeProvider: Send + Sync + 'static {
    /// Whether the provider can serve, and its backend.
    fn status(&self) -> ProviderStatus;
    /// The settings in effect.
    fn get(&self) -> BoxFuture<'_, DmResult<TimeSettings>>;
    /// Sets the time zone; [`DmError::UnknownTimeZone`] when the device does not know it.
    fn set_time_zone<'a>(&'a self, zone: &'a str) -> BoxFuture<'a, DmResult<()>>;
    /// Sets the NTP servers; an empty list restores the system's defaults.
    fn set_ntp_servers<'a>(&'a self, servers: &'a [String]) -> BoxFuture<'a, DmResult<()>>;
}

/// The drop-in text for `servers`.
fn drop_in(servers: &[String]) -> String {
    format!(
        "# Written by dm-agent from desired.dm.time.ntpServers; do not edit.\n[Time]\nNTP={}\n",
        servers.join(" ")
    )
}

/// The `NTP=` servers of a timesyncd configuration text.
fn ntp_of(text: &str) -> Option<Vec<String>> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("NTP="))
        .next_back()
        .map(|v| v.split_whitespace().map(str::to_owned).collect())
}

fn write_drop_in(path: &Path, servers: &[String]) -> DmResult<bool> {
    if servers.is_empty() {
        return match std::fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(DmError::io("cannot remove", path, e)),
        };
    }
    if let Some(dir) = path.parent() {
        super::ensure_dir(dir)?;
    }
    crate::state::write_atomic(path, drop_in(servers).as_bytes(), 0o644)?;
    Ok(true)
}

/// timedatectl and systemd-timesyncd.
pub struct LinuxTime {
    /// Runs timedatectl and systemctl.
    runner: Arc<dyn Runner>,
    /// The file-system root.
    root: PathBuf,
    /// Probe result.
    status: ProviderStatus,
}

impl LinuxTime {
    /// Probes for timedatectl.
    pub fn new(runner: Arc<dyn Runner>, root: &Path) -> Self {
        let status = if runner.has_program("timedatectl") {
            active(Backend::Linux)
        } else {
            inactive(Backend::Linux, "timedatectl was not found")
        };
        Self {
            runner,
            root: root.to_owned(),
            status,
        }
    }
}

impl TimeProvider for LinuxTime {
    fn status(&self) -> ProviderStatus {
        self.status.clone()
    }

    fn get(&self) -> BoxFuture<'_, DmResult<TimeSettings>> {
        Box::pin(async move {
            if !self.status.active {
                return Err(not_active(&self.status, "time"));
            }
            let out = run_checked(
                self.runner.as_ref(),
                Command::new(
                    "timedatectl",
                    ["show", "-p", "Timezone", "-p", "NTPSynchronized"],
                ),
            )
            .await?;
            let mut settings = TimeSettings::default();
            for line in out.stdout_text().lines() {
                match line.split_once('=') {
                    Some(("Timezone", tz)) => tz.trim().clone_into(&mut settings.time_zone),
                    Some(("NTPSynchronized", v)) => {
                        settings.ntp_synchronized = Some(v.trim() == "yes");
                    }
                    _ => {}
                }
            }
            let ours = read_text(&under(&self.root, NTP_DROP_IN))?.and_then(|t| ntp_of(&t));
            let system = || {
                read_text(&under(&self.root, "/etc/systemd/timesyncd.conf"))
                    .ok()
                    .flatten()
                    .and_then(|t| ntp_of(&t))
            };
            settings.ntp_servers = ours.or_else(system).unwrap_or_default();
            Ok(settings)
        })
    }

    fn set_time_zone<'a>(&'a self, zone: &'a str) -> BoxFuture<'a, DmResult<()>> {
        Box::pin(async move {
            if !under(&self.root, &format!("/usr/share/zoneinfo/{zone}")).is_file() {
                return Err(DmError::UnknownTimeZone(zone.to_owned()));
            }
            run_checked(
                self.runner.as_ref(),
                Command::new("timedatectl", ["set-timezone", zone]),
            )
            .await
            .map(|_| ())
        })
    }

    fn set_ntp_servers<'a>(&'a self, servers: &'a [String]) -> BoxFuture<'a, DmResult<()>> {
        Box::pin(async move {
            if write_drop_in(&under(&self.root, NTP_DROP_IN), servers)? {
                run_checked(
                    self.runner.as_ref(),
                    Command::new("systemctl", ["restart", "systemd-timesyncd"]),
                )
                .await?;
            }
            Ok(())
        })
    }
}

/// `<sandbox>/etc/timezone` and the drop-in under `<sandbox>/etc/systemd/`.
pub struct SandboxTime {
    /// The sandbox.
    dir: PathBuf,
}

impl SandboxTime {
    /// Time settings inside `dir` (UTC until set).
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
        }
    }
}

impl TimeProvider for SandboxTime {
    fn status(&self) -> ProviderStatus {
        active(Backend::Sandbox)
    }

    fn get(&self) -> BoxFuture<'_, DmResult<TimeSettings>> {
        Box::pin(async move {
            let zone = read_text(&self.dir.join("etc/timezone"))?
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "UTC".to_owned());
            let servers = read_text(&under(&self.dir, NTP_DROP_IN))?
                .and_then(|t| ntp_of(&t))
                .unwrap_or_default();
            Ok(TimeSettings {
                time_zone: zone,
                ntp_servers: servers,
                ntp_synchronized: None,
            })
        })
    }

    fn set_time_zone<'a>(&'a self, zone: &'a str) -> BoxFuture<'a, DmResult<()>> {
        Box::pin(async move {
            if jiff::tz::db().get(zone).is_err() {
                return Err(DmError::UnknownTimeZone(zone.to_owned()));
            }
            super::ensure_dir(&self.dir.join("etc"))?;
            crate::state::write_atomic(
                &self.dir.join("etc/timezone"),
                format!("{zone}\n").as_bytes(),
                0o644,
            )
        })
    }

    fn set_ntp_servers<'a>(&'a self, servers: &'a [String]) -> BoxFuture<'a, DmResult<()>> {
        Box::pin(async move { write_drop_in(&under(&self.dir, NTP_DROP_IN), servers).map(|_| ()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{Output, RecordingRunner};

    #[tokio::test]
    async fn linux_time_runs_timedatectl_and_writes_the_drop_in() {
        let root = tempfile::tempdir().unwrap();
        let zone = root.path().join("usr/share/zoneinfo/Europe/Paris");
        std::fs::create_dir_all(zone.parent().unwrap()).unwrap();
        std::fs::write(&zone, "TZif").unwrap();
        let runner = RecordingRunner::new();
        runner.answer(
            "timedatectl show",
            Output::ok("Timezone=Europe/Paris\nNTPSynchronized=yes\n"),
        );
        let time = LinuxTime::new(Arc::new(runner.clone()), root.path());
        time.set_time_zone("Europe/Paris").await.unwrap();
        assert_eq!(
            time.set_time_zone("Europe/Pariss")
                .await
                .unwrap_err()
                .code(),
            "unknownTimeZone"
        );
        time.set_ntp_servers(&["0.pool.ntp.org".into(), "10.0.0.1".into()])
            .await
            .unwrap();
        let drop_in = std::fs::read_to_string(
            root.path()
                .join("etc/systemd/timesyncd.conf.d/dm-agent.conf"),
        )
        .unwrap();
        assert!(
            drop_in.contains("\nNTP=0.pool.ntp.org 10.0.0.1\n"),
            "{drop_in}"
        );
        let settings = time.get().await.unwrap();
        assert_eq!(
            settings,
            TimeSettings {
                time_zone: "Europe/Paris".into(),
                ntp_servers: vec!["0.pool.ntp.org".into(), "10.0.0.1".into()],
                ntp_synchronized: Some(true),
            }
        );
        time.set_ntp_servers(&[]).await.unwrap();
        assert!(
            !root
                .path()
                .join("etc/systemd/timesyncd.conf.d/dm-agent.conf")
                .exists()
        );
        // Clearing twice changes nothing, so timesyncd is not restarted again.
        time.set_ntp_servers(&[]).await.unwrap();
        assert_eq!(
            runner.lines(),
            [
                "timedatectl set-timezone Europe/Paris",
                "systemctl restart systemd-timesyncd",
                "timedatectl show -p Timezone -p NTPSynchronized",
                "systemctl restart systemd-timesyncd",
            ]
        );
    }

    #[tokio::test]
    async fn sandbox_time_lives_in_files() {
        let dir = tempfile::tempdir().unwrap();
        let time = SandboxTime::new(dir.path());
        assert_eq!(time.get().await.unwrap().time_zone, "UTC");
        time.set_time_zone("America/New_York").await.unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("etc/timezone")).unwrap(),
            "America/New_York\n"
        );
        assert!(time.set_time_zone("Mars/Olympus_Mons").await.is_err());
        time.set_ntp_servers(&["ntp.example".into()]).await.unwrap();
        let got = time.get().await.unwrap();
        assert_eq!(
            (got.time_zone.as_str(), got.ntp_servers),
            ("America/New_York", vec!["ntp.example".to_owned()])
        );
    }
}
