//! Apps: install packages (already downloaded and checked by the dispatcher), remove them,
//! control their systemd units, and list units and packages.
//!
//! An app is a package and/or a systemd unit of the same name (`plc-bridge` is the package,
//! `plc-bridge.service` its unit); a name with a unit suffix addresses the unit directly.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dm_contract::{AppKind, AppStatus, Backend, ProviderStatus};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use super::{active, inactive, not_active};
use crate::error::{DmError, DmResult};
use crate::runner::{Command, Runner, run_checked};

/// What to do with a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitAction {
    /// Start it.
    Start,
    /// Stop it.
    Stop,
    /// Restart it.
    Restart,
}

impl UnitAction {
    fn verb(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
            Self::Restart => "restart",
        }
    }
}

/// An install, after the dispatcher downloaded the package and checked its SHA-256.
#[derive(Debug, Clone)]
pub struct InstallSpec {
    /// The app's name (package and unit).
    pub name: String,
    /// The downloaded package file.
    pub package: PathBuf,
    /// The version the package must report after install.
    pub expected_version: Option<String>,
    /// Enable the unit at boot.
    pub enable: bool,
    /// Start the unit.
    pub start: bool,
}

/// Installs, removes, controls and lists apps.
pub trait AppsProvider: Send + Sync + 'static {
    /// Whether the provider can serve, and its backend.
    fn status(&self) -> ProviderStatus;
    /// Installs the package, checks the version, enables and starts the unit as asked.
    fn install<'a>(&'a self, spec: &'a InstallSpec) -> BoxFuture<'a, DmResult<AppStatus>>;
    /// Stops and removes an app (`purge`: configuration and data too).
    fn remove<'a>(&'a self, name: &'a str, purge: bool) -> BoxFuture<'a, DmResult<()>>;
    /// Starts, stops or restarts the app's unit.
    fn control<'a>(
        &'a self,
        name: &'a str,
        action: UnitAction,
    ) -> BoxFuture<'a, DmResult<AppStatus>>;
    /// Enables or disables the app's unit at boot.
    fn set_enabled<'a>(
        &'a self,
        name: &'a str,
        enabled: bool,
    ) -> BoxFuture<'a, DmResult<AppStatus>>;
    /// The app's current status; [`DmError::NotFound`] when neither package nor unit exists.
    fn inspect<'a>(&'a self, name: &'a str) -> BoxFuture<'a, DmResult<AppStatus>>;
    /// Units and/or packages on the device (unsorted, unfiltered).
    fn list(&self, kind: Option<AppKind>) -> BoxFuture<'_, DmResult<Vec<AppStatus>>>;
}

const UNIT_SUFFIXES: [&str; 6] = [
    ".service", ".timer", ".socket", ".target", ".path", ".mount",
];

/// The unit of an app name: the name itself when it has a unit suffix, else `<name>.service`.
pub fn unit_name(name: &str) -> String {
    if UNIT_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        name.to_owned()
    } else {
        format!("{name}.service")
    }
}

/// The package of an app name: the name without a `.service` suffix.
pub fn package_name(name: &str) -> &str {
    name.strip_suffix(".service").unwrap_or(name)
}

/// Apps on Linux: Debian packages (apt-get, or dpkg) and systemd units.
pub struct LinuxApps {
    /// Runs systemctl, apt-get, dpkg, dpkg-query.
    runner: Arc<dyn Runner>,
    /// systemctl was found.
    systemd: bool,
    /// apt-get was found (preferred: it resolves dependencies).
    apt: bool,
    /// dpkg and dpkg-query were found.
    dpkg: bool,
    /// Probe result.
    status: ProviderStatus,
}

/// The unit properties the backend reads with `systemctl show`.
#[derive(Debug, Default)]
struct UnitInfo {
    loaded: bool,
    active_state: Option<String>,
    enabled: Option<bool>,
}

impl LinuxApps {
    /// Probes for systemctl, apt-get and dpkg.
    pub fn new(runner: Arc<dyn Runner>) -> Self {
        let systemd = runner.has_program("systemctl");
        let apt = runner.has_program("apt-get");
        let dpkg = runner.has_program("dpkg") && runner.has_program("dpkg-query");
        let status = if systemd || dpkg {
            active(Backend::Linux)
        } else {
            inactive(Backend::Linux, "neither systemctl nor dpkg was found")
        };
        Self {
            runner,
            systemd,
            apt,
            dpkg,
            status,
        }
    }

    async fn unit(&self, unit: &str) -> DmResult<UnitInfo> {
        if !self.systemd {
            return Ok(UnitInfo::default());
        }
        let out = run_checked(
            self.runner.as_ref(),
            Command::new(
                "systemctl",
                [
                    "show",
                    "-p",
                    "LoadState",
                    "-p",
                    "ActiveState",
                    "-p",
                    "UnitFileState",
                    unit,
                ],
            ),
        )
        .await?;
        let mut info = UnitInfo::default();
        for line in out.stdout_text().lines() {
            match line.split_once('=') {
                Some(("LoadState", v)) => info.loaded = v == "loaded",
                Some(("ActiveState", v)) if !v.is_empty() => info.active_state = Some(v.to_owned()),
                Some(("UnitFileState", v)) if !v.is_empty() => {
                    info.enabled = Some(v.starts_with("enabled"));
                }
                _ => {}
            }
        }
        if !info.loaded {
            info.active_state = None;
            info.enabled = None;
        }
        Ok(info)
    }

    async fn package_version(&self, package: &str) -> DmResult<Option<String>> {
        if !self.dpkg {
            return Ok(None);
        }
        let out = self
            .runner
            .run(Command::new("dpkg-query", ["-W", "-f=${Version}", package]))
            .await?;
        let version = out.stdout_text().trim().to_owned();
        Ok((out.success() && !version.is_empty()).then_some(version))
    }

    async fn systemctl(&self, verb: &str, unit: &str) -> DmResult<()> {
        run_checked(
            self.runner.as_ref(),
            Command::new("systemctl", [verb, unit]),
        )
        .await
        .map(|_| ())
    }

    async fn inspect_now(&self, name: &str) -> DmResult<AppStatus> {
        let unit = self.unit(&unit_name(name)).await?;
        let version = self.package_version(package_name(name)).await?;
        if !unit.loaded && version.is_none() {
            return Err(DmError::NotFound(format!("no app `{name}` on this device")));
        }
        Ok(AppStatus {
            name: name.to_owned(),
            kind: if version.is_some() {
                AppKind::Package
            } else {
                AppKind::Unit
            },
            version,
            state: unit.active_state,
            enabled: unit.enabled,
            sha256: None,
            installed_at: None,
        })
    }

    async fn loaded_unit(&self, name: &str) -> DmResult<String> {
        if !self.systemd {
            return Err(DmError::NotSupported(
                "systemctl was not found on this device".into(),
            ));
        }
        let unit = unit_name(name);
        if self.unit(&unit).await?.loaded {
            Ok(unit)
        } else {
            Err(DmError::NotFound(format!(
                "no unit `{unit}` on this device"
            )))
        }
    }
}

impl AppsProvider for LinuxApps {
    fn status(&self) -> ProviderStatus {
        self.status.clone()
    }

    fn install<'a>(&'a self, spec: &'a InstallSpec) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(async move {
            let path = spec.package.to_string_lossy().into_owned();
            let command = if self.apt {
                Command::new(
                    "apt-get",
                    ["install", "-y", "--no-install-recommends", &path],
                )
                .env("DEBIAN_FRONTEND", "noninteractive")
            } else if self.dpkg {
                Command::new("dpkg", ["-i", &path])
            } else {
                return Err(DmError::NotSupported(
                    "installing packages needs apt-get or dpkg, and neither was found".into(),
                ));
            };
            run_checked(self.runner.as_ref(), command).await?;
            let package = package_name(&spec.name);
            let installed = self.package_version(package).await?;
            if let Some(expected) = &spec.expected_version {
                match &installed {
                    Some(v) if v == expected => {}
                    Some(v) => {
                        return Err(DmError::failed(
                            "versionMismatch",
                            format!("package `{package}` is at version {v}, not {expected}"),
                        ));
                    }
                    None => {
                        return Err(DmError::failed(
                            "versionMismatch",
                            format!("the package did not install a package named `{package}`"),
                        ));
                    }
                }
            }
            let unit = unit_name(&spec.name);
            if (spec.enable || spec.start) && self.unit(&unit).await?.loaded {
                if spec.enable {
                    self.systemctl("enable", &unit).await?;
                }
                if spec.start {
                    self.systemctl("start", &unit).await?;
                }
            }
            self.inspect_now(&spec.name).await
        })
    }

    fn remove<'a>(&'a self, name: &'a str, purge: bool) -> BoxFuture<'a, DmResult<()>> {
        Box::pin(async move {
            let package = package_name(name);
            if self.package_version(package).await?.is_none() {
                return Err(DmError::NotFound(format!(
                    "no package `{package}` is installed"
                )));
            }
            let unit = unit_name(name);
            if self.unit(&unit).await?.loaded {
                // The package's own scripts usually stop it too; stopping first makes removal
                // deterministic for packages that forget.
                if let Err(err) = self.systemctl("stop", &unit).await {
                    tracing::warn!(error = %err, "could not stop the unit before removal");
                }
            }
            let verb = if purge { "purge" } else { "remove" };
            let command = if self.apt {
                Command::new("apt-get", [verb, "-y", package])
                    .env("DEBIAN_FRONTEND", "noninteractive")
            } else {
                Command::new("dpkg", [if purge { "-P" } else { "-r" }, package])
            };
            run_checked(self.runner.as_ref(), command).await.map(|_| ())
        })
    }

    fn control<'a>(
        &'a self,
        name: &'a str,
        action: UnitAction,
    ) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(async move {
            let unit = self.loaded_unit(name).await?;
            self.systemctl(action.verb(), &unit).await?;
            self.inspect_now(name).await
        })
    }

    fn set_enabled<'a>(
        &'a self,
        name: &'a str,
        enabled: bool,
    ) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(async move {
            let unit = self.loaded_unit(name).await?;
            self.systemctl(if enabled { "enable" } else { "disable" }, &unit)
                .await?;
            self.inspect_now(name).await
        })
    }

    fn inspect<'a>(&'a self, name: &'a str) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(self.inspect_now(name))
    }

    fn list(&self, kind: Option<AppKind>) -> BoxFuture<'_, DmResult<Vec<AppStatus>>> {
        Box::pin(async move {
            if !self.status.active {
                return Err(not_active(&self.status, "apps"));
            }
            let mut apps = Vec::new();
            if kind != Some(AppKind::Package) && self.systemd {
                let units = run_checked(
                    self.runner.as_ref(),
                    Command::new(
                        "systemctl",
                        [
                            "list-units",
                            "--type=service",
                            "--all",
                            "--no-legend",
                            "--no-pager",
                            "--plain",
                        ],
                    ),
                )
                .await?;
                let files = run_checked(
                    self.runner.as_ref(),
                    Command::new(
                        "systemctl",
                        [
                            "list-unit-files",
                            "--type=service",
                            "--no-legend",
                            "--no-pager",
                        ],
                    ),
                )
                .await?;
                apps.extend(parse_units(&units.stdout_text(), &files.stdout_text()));
            }
            if kind != Some(AppKind::Unit) && self.dpkg {
                let out = run_checked(
                    self.runner.as_ref(),
                    Command::new("dpkg-query", ["-W", "-f=${Package}\\t${Version}\\n"]),
                )
                .await?;
                apps.extend(out.stdout_text().lines().filter_map(|line| {
                    let (name, version) = line.split_once('\t')?;
                    Some(AppStatus {
                        name: name.to_owned(),
                        kind: AppKind::Package,
                        version: Some(version.to_owned()).filter(|v| !v.is_empty()),
                        state: None,
                        enabled: None,
                        sha256: None,
                        installed_at: None,
                    })
                }));
            }
            Ok(apps)
        })
    }
}

/// Merges `systemctl list-units` (state) and `systemctl list-unit-files` (enablement).
fn parse_units(units: &str, files: &str) -> Vec<AppStatus> {
    let enablement: std::collections::HashMap<&str, bool> = files
        .lines()
        .filter_map(|line| {
            let mut cols = line.split_whitespace();
            Some((cols.next()?, cols.next()?.starts_with("enabled")))
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut apps: Vec<AppStatus> = units
        .lines()
        .filter_map(|line| {
            // UNIT LOAD ACTIVE SUB DESCRIPTION…; a leading `●` marks failed units.
            let mut cols = line.split_whitespace().skip_while(|c| *c == "●");
            let name = cols.next()?;
            let _load = cols.next()?;
            let active = cols.next()?;
            seen.insert(name.to_owned());
            Some(AppStatus {
                name: name.to_owned(),
                kind: AppKind::Unit,
                version: None,
                state: Some(active.to_owned()),
                enabled: enablement.get(name).copied(),
                sha256: None,
                installed_at: None,
            })
        })
        .collect();
    // Unit files that are not loaded (never started) still exist and can be enabled.
    for (name, enabled) in enablement {
        if !seen.contains(name) && !name.contains("@.") {
            apps.push(AppStatus {
                name: name.to_owned(),
                kind: AppKind::Unit,
                version: None,
                state: Some("inactive".to_owned()),
                enabled: Some(enabled),
                sha256: None,
                installed_at: None,
            });
        }
    }
    apps
}

/// A sandbox app, as kept in `<sandbox>/apps/<name>/app.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SandboxApp {
    version: Option<String>,
    active: bool,
    enabled: bool,
}

/// Apps in `<sandbox>/apps/<name>/` (the package file and `app.json`).
pub struct SandboxApps {
    /// `<sandbox>/apps`.
    dir: PathBuf,
    /// The sandbox (for the journal).
    sandbox: PathBuf,
}

impl SandboxApps {
    /// Apps inside `sandbox`.
    pub fn new(sandbox: &Path) -> Self {
        Self {
            dir: sandbox.join("apps"),
            sandbox: sandbox.to_owned(),
        }
    }

    fn app_dir(&self, name: &str) -> PathBuf {
        self.dir.join(package_name(name))
    }

    fn load(&self, name: &str) -> DmResult<SandboxApp> {
        let path = self.app_dir(name).join("app.json");
        let text = super::read_text(&path)?
            .ok_or_else(|| DmError::NotFound(format!("no app `{name}` on this device")))?;
        serde_json::from_str(&text).map_err(|e| DmError::CorruptState {
            path,
            detail: e.to_string(),
        })
    }

    fn save(&self, name: &str, app: &SandboxApp) -> DmResult<()> {
        let dir = self.app_dir(name);
        super::ensure_dir(&dir)?;
        let bytes = serde_json::to_vec_pretty(app).unwrap_or_default();
        crate::state::write_atomic(&dir.join("app.json"), &bytes, 0o644)
    }

    fn status_of(name: &str, app: &SandboxApp) -> AppStatus {
        AppStatus {
            name: name.to_owned(),
            kind: if name.ends_with(".service") {
                AppKind::Unit
            } else {
                AppKind::Package
            },
            version: app.version.clone(),
            state: Some(if app.active { "active" } else { "inactive" }.to_owned()),
            enabled: Some(app.enabled),
            sha256: None,
            installed_at: None,
        }
    }
}

impl AppsProvider for SandboxApps {
    fn status(&self) -> ProviderStatus {
        active(Backend::Sandbox)
    }

    fn install<'a>(&'a self, spec: &'a InstallSpec) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(async move {
            let dir = self.app_dir(&spec.name);
            super::ensure_dir(&dir)?;
            let target = dir.join("package");
            std::fs::copy(&spec.package, &target)
                .map_err(|e| DmError::io("cannot install the package into", &target, e))?;
            let app = SandboxApp {
                version: spec.expected_version.clone(),
                active: spec.start,
                enabled: spec.enable,
            };
            self.save(&spec.name, &app)?;
            super::sandbox_journal(&self.sandbox, "dpkg", &format!("installed {}", spec.name));
            Ok(Self::status_of(&spec.name, &app))
        })
    }

    fn remove<'a>(&'a self, name: &'a str, purge: bool) -> BoxFuture<'a, DmResult<()>> {
        Box::pin(async move {
            self.load(name)?;
            let dir = self.app_dir(name);
            std::fs::remove_dir_all(&dir).map_err(|e| DmError::io("cannot remove", &dir, e))?;
            if purge {
                let data = self.sandbox.join("data").join(package_name(name));
                let _ = std::fs::remove_dir_all(data);
            }
            super::sandbox_journal(&self.sandbox, "dpkg", &format!("removed {name}"));
            Ok(())
        })
    }

    fn control<'a>(
        &'a self,
        name: &'a str,
        action: UnitAction,
    ) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(async move {
            let mut app = self.load(name)?;
            app.active = action != UnitAction::Stop;
            self.save(name, &app)?;
            super::sandbox_journal(
                &self.sandbox,
                "systemd",
                &format!("{} {}", action.verb(), unit_name(name)),
            );
            Ok(Self::status_of(name, &app))
        })
    }

    fn set_enabled<'a>(
        &'a self,
        name: &'a str,
        enabled: bool,
    ) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(async move {
            let mut app = self.load(name)?;
            app.enabled = enabled;
            self.save(name, &app)?;
            Ok(Self::status_of(name, &app))
        })
    }

    fn inspect<'a>(&'a self, name: &'a str) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(async move { self.load(name).map(|app| Self::status_of(name, &app)) })
    }

    fn list(&self, kind: Option<AppKind>) -> BoxFuture<'_, DmResult<Vec<AppStatus>>> {
        Box::pin(async move {
            let entries = match std::fs::read_dir(&self.dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
                Err(e) => return Err(DmError::io("cannot list", &self.dir, e)),
            };
            let mut apps = Vec::new();
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let Ok(app) = self.load(&name) else { continue };
                if kind != Some(AppKind::Unit) {
                    apps.push(Self::status_of(&name, &app));
                }
                if kind != Some(AppKind::Package) {
                    let mut unit = Self::status_of(&unit_name(&name), &app);
                    unit.version = None;
                    apps.push(unit);
                }
            }
            Ok(apps)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{Output, RecordingRunner};

    fn linux(runner: &RecordingRunner) -> LinuxApps {
        LinuxApps::new(Arc::new(runner.clone()))
    }

    fn spec(path: &Path) -> InstallSpec {
        InstallSpec {
            name: "plc-bridge".into(),
            package: path.to_owned(),
            expected_version: Some("2.4.1".into()),
            enable: true,
            start: true,
        }
    }

    #[test]
    fn names_map_to_units_and_packages() {
        assert_eq!(unit_name("plc-bridge"), "plc-bridge.service");
        assert_eq!(unit_name("backup.timer"), "backup.timer");
        assert_eq!(package_name("plc-bridge.service"), "plc-bridge");
    }

    #[tokio::test]
    async fn linux_install_runs_apt_then_enables_and_starts() {
        let runner = RecordingRunner::new();
        runner.answer(
            "dpkg-query -W -f=${Version} plc-bridge",
            Output::ok("2.4.1"),
        );
        runner.answer(
            "systemctl show",
            Output::ok("LoadState=loaded\nActiveState=active\nUnitFileState=enabled\n"),
        );
        let status = linux(&runner)
            .install(&spec(Path::new("/var/lib/dm-agent/dl/p.deb")))
            .await
            .unwrap();
        assert_eq!(
            runner.lines(),
            [
                "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /var/lib/dm-agent/dl/p.deb",
                "dpkg-query -W -f=${Version} plc-bridge",
                "systemctl show -p LoadState -p ActiveState -p UnitFileState plc-bridge.service",
                "systemctl enable plc-bridge.service",
                "systemctl start plc-bridge.service",
                "systemctl show -p LoadState -p ActiveState -p UnitFileState plc-bridge.service",
                "dpkg-query -W -f=${Version} plc-bridge",
            ]
        );
        assert_eq!(status.kind, AppKind::Package);
        assert_eq!(status.version.as_deref(), Some("2.4.1"));
        assert_eq!(status.state.as_deref(), Some("active"));
        assert_eq!(status.enabled, Some(true));
    }

    #[tokio::test]
    async fn linux_install_fails_on_a_version_mismatch() {
        let runner = RecordingRunner::new();
        runner.answer("dpkg-query", Output::ok("2.4.0"));
        let err = linux(&runner)
            .install(&spec(Path::new("/tmp/p.deb")))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "versionMismatch");
        assert!(err.to_string().contains("2.4.0"));
    }

    #[tokio::test]
    async fn linux_controls_known_units_only() {
        let runner = RecordingRunner::new();
        runner.answer(
            "systemctl show",
            Output::ok("LoadState=not-found\nActiveState=inactive\n"),
        );
        runner.answer("dpkg-query", Output::failed(1, "no packages found"));
        let apps = linux(&runner);
        assert_eq!(
            apps.control("ghost", UnitAction::Restart)
                .await
                .unwrap_err()
                .status(),
            404
        );
        assert_eq!(apps.inspect("ghost").await.unwrap_err().status(), 404);
        runner.answer(
            "systemctl show",
            Output::ok("LoadState=loaded\nActiveState=active\nUnitFileState=disabled\n"),
        );
        runner.clear();
        let status = apps
            .control("plc-bridge.service", UnitAction::Restart)
            .await
            .unwrap();
        assert_eq!(status.kind, AppKind::Unit);
        assert_eq!(status.enabled, Some(false));
        assert!(
            runner
                .lines()
                .contains(&"systemctl restart plc-bridge.service".to_owned())
        );
        runner.clear();
        apps.set_enabled("plc-bridge", true).await.unwrap();
        assert!(
            runner
                .lines()
                .contains(&"systemctl enable plc-bridge.service".to_owned())
        );
    }

    #[tokio::test]
    async fn linux_remove_stops_then_purges() {
        let runner = RecordingRunner::new();
        runner.answer("dpkg-query", Output::ok("2.4.1"));
        runner.answer(
            "systemctl show",
            Output::ok("LoadState=loaded\nActiveState=active\n"),
        );
        linux(&runner).remove("plc-bridge", true).await.unwrap();
        let lines = runner.lines();
        assert_eq!(lines[lines.len() - 2], "systemctl stop plc-bridge.service");
        assert_eq!(
            lines[lines.len() - 1],
            "DEBIAN_FRONTEND=noninteractive apt-get purge -y plc-bridge"
        );
    }

    #[tokio::test]
    async fn linux_list_merges_units_and_packages() {
        let runner = RecordingRunner::new();
        runner.answer(
            "systemctl list-units",
            Output::ok("ssh.service loaded active running OpenBSD Secure Shell server\n● plc-bridge.service loaded failed failed PLC bridge\n"),
        );
        runner.answer(
            "systemctl list-unit-files",
            Output::ok("ssh.service enabled enabled\nplc-bridge.service enabled enabled\nbackup.service disabled enabled\ngetty@.service enabled enabled\n"),
        );
        runner.answer(
            "dpkg-query -W -f=${Package}",
            Output::ok("openssl\t3.0.15-1\nplc-bridge\t2.4.1\n"),
        );
        let mut apps = linux(&runner).list(None).await.unwrap();
        apps.sort_by(|a, b| a.name.cmp(&b.name));
        let names: Vec<_> = apps
            .iter()
            .map(|a| (a.name.as_str(), a.kind, a.state.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("backup.service", AppKind::Unit, Some("inactive")),
                ("openssl", AppKind::Package, None),
                ("plc-bridge", AppKind::Package, None),
                ("plc-bridge.service", AppKind::Unit, Some("failed")),
                ("ssh.service", AppKind::Unit, Some("active")),
            ]
        );
        runner.clear();
        linux(&runner).list(Some(AppKind::Package)).await.unwrap();
        assert_eq!(
            runner.lines(),
            ["dpkg-query -W -f=${Package}\\t${Version}\\n"]
        );
    }

    #[tokio::test]
    async fn sandbox_apps_live_in_the_sandbox() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("download.deb");
        std::fs::write(&pkg, b"package bytes").unwrap();
        let apps = SandboxApps::new(dir.path());
        let status = apps.install(&spec(&pkg)).await.unwrap();
        assert_eq!(status.state.as_deref(), Some("active"));
        assert_eq!(
            std::fs::read(dir.path().join("apps/plc-bridge/package")).unwrap(),
            b"package bytes"
        );
        let stopped = apps
            .control("plc-bridge.service", UnitAction::Stop)
            .await
            .unwrap();
        assert_eq!(stopped.state.as_deref(), Some("inactive"));
        assert_eq!(
            apps.list(Some(AppKind::Unit)).await.unwrap()[0].name,
            "plc-bridge.service"
        );
        apps.remove("plc-bridge", false).await.unwrap();
        assert!(!dir.path().join("apps/plc-bridge").exists());
        assert_eq!(
            apps.remove("plc-bridge", false).await.unwrap_err().status(),
            404
        );
    }
}
