//! OS updates: scan for available updates, install some, and tell whether a reboot is pending.
//!
//! The policy (`manual`, `approvedOnly`, `security`, `automatic`) and the approved list are the
//! dispatcher's business: it decides *which* packages to install and *when* (the maintenance
//! window); a provider only scans and installs what it is given. apt on Debian-like systems; a
//! command hook elsewhere (`HOOK scan` prints `name version [security]` lines, `HOOK install
//! SPEC...` installs, `HOOK pending-reboot` exits 0 when a reboot is pending and 1 when not).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dm_contract::{Backend, ProviderStatus, UpdateItem};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use super::{active, inactive, under};
use crate::error::{DmError, DmResult};
use crate::runner::{Command, Runner, run_checked};

/// What an install did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InstallOutcome {
    /// Packages updated.
    pub installed: u32,
    /// A reboot is needed to finish.
    pub reboot_required: bool,
}

/// Scans for and installs OS updates.
pub trait UpdatesProvider: Send + Sync + 'static {
    /// Whether the provider can serve, and its backend.
    fn status(&self) -> ProviderStatus;
    /// Refreshes the package index and lists every available update.
    fn scan(&self) -> BoxFuture<'_, DmResult<Vec<UpdateItem>>>;
    /// Installs these `name` / `name=version` specs (already-current or absent packages are
    /// skipped, as `apt-get --only-upgrade` does).
    fn install<'a>(&'a self, specs: &'a [String]) -> BoxFuture<'a, DmResult<InstallOutcome>>;
    /// Whether an installed update waits for a reboot.
    fn pending_reboot(&self) -> BoxFuture<'_, DmResult<bool>>;
}

/// The Linux updates backend: apt when present, else the hook, else an inactive stub.
pub fn linux(
    runner: Arc<dyn Runner>,
    root: &Path,
    hook: Option<&Path>,
) -> Arc<dyn UpdatesProvider> {
    if runner.has_program("apt-get") {
        return Arc::new(AptUpdates {
            runner,
            root: root.to_owned(),
        });
    }
    if let Some(hook) = hook {
        if runner.has_program(&hook.to_string_lossy())
            || under(root, &hook.to_string_lossy()).is_file()
        {
            return Arc::new(HookUpdates {
                runner,
                hook: hook.to_owned(),
            });
        }
        return Arc::new(NoUpdates(inactive(
            Backend::Linux,
            format!(
                "apt-get was not found and the update hook {} does not exist",
                hook.display()
            ),
        )));
    }
    Arc::new(NoUpdates(inactive(
        Backend::Linux,
        "apt-get was not found and no update hook is configured",
    )))
}

/// Parses `apt-get -s dist-upgrade`: `Inst openssl [3.0.11-1] (3.0.15-1~deb12u1
/// Debian-Security:12/stable-security [arm64])`.
pub fn parse_apt_simulation(output: &str) -> Vec<UpdateItem> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("Inst ")?;
            let (name, rest) = rest.split_once(' ')?;
            let open = rest.find('(')?;
            let inner = &rest[open + 1..];
            let inner = &inner[..inner.find(')').unwrap_or(inner.len())];
            let mut parts = inner.split_whitespace();
            let version = parts.next()?.to_owned();
            let origin = parts.collect::<Vec<_>>().join(" ");
            Some(UpdateItem {
                name: name.to_owned(),
                version,
                security: origin.to_ascii_lowercase().contains("security"),
            })
        })
        .collect()
}

/// apt-get.
struct AptUpdates {
    runner: Arc<dyn Runner>,
    root: PathBuf,
}

fn apt(args: &[&str]) -> Command {
    Command::new("apt-get", args.iter().copied()).env("DEBIAN_FRONTEND", "noninteractive")
}

impl UpdatesProvider for AptUpdates {
    fn status(&self) -> ProviderStatus {
        active(Backend::Linux)
    }

    fn scan(&self) -> BoxFuture<'_, DmResult<Vec<UpdateItem>>> {
        Box::pin(async move {
            run_checked(self.runner.as_ref(), apt(&["update", "-q"])).await?;
            let out = run_checked(
                self.runner.as_ref(),
                apt(&["-s", "-q", "-o", "Debug::NoLocking=1", "dist-upgrade"]),
            )
            .await?;
            Ok(parse_apt_simulation(&out.stdout_text()))
        })
    }

    fn install<'a>(&'a self, specs: &'a [String]) -> BoxFuture<'a, DmResult<InstallOutcome>> {
        Box::pin(async move {
            if specs.is_empty() {
                return Ok(InstallOutcome {
                    installed: 0,
                    reboot_required: self.pending(),
                });
            }
            let mut args = vec![
                "install",
                "-y",
                "--only-upgrade",
                "-o",
                "Dpkg::Options::=--force-confdef",
                "-o",
                "Dpkg::Options::=--force-confold",
            ];
            args.extend(specs.iter().map(String::as_str));
            let out = run_checked(self.runner.as_ref(), apt(&args)).await?;
            let installed = out
                .stdout_text()
                .lines()
                .filter(|l| l.starts_with("Unpacking "))
                .count();
            Ok(InstallOutcome {
                installed: u32::try_from(installed).unwrap_or(u32::MAX),
                reboot_required: self.pending(),
            })
        })
    }

    fn pending_reboot(&self) -> BoxFuture<'_, DmResult<bool>> {
        Box::pin(async move { Ok(self.pending()) })
    }
}

impl AptUpdates {
    fn pending(&self) -> bool {
        // Debian and Ubuntu packages touch this file when they need a reboot.
        ["/run/reboot-required", "/var/run/reboot-required"]
            .iter()
            .any(|p| under(&self.root, p).exists())
    }
}

/// The device owner's update command.
struct HookUpdates {
    runner: Arc<dyn Runner>,
    hook: PathBuf,
}

impl HookUpdates {
    fn command<'a>(&self, args: impl IntoIterator<Item = &'a str>) -> Command {
        Command::new(self.hook.to_string_lossy(), args)
    }
}

impl UpdatesProvider for HookUpdates {
    fn status(&self) -> ProviderStatus {
        active(Backend::Linux)
    }

    fn scan(&self) -> BoxFuture<'_, DmResult<Vec<UpdateItem>>> {
        Box::pin(async move {
            let out = run_checked(self.runner.as_ref(), self.command(["scan"])).await?;
            Ok(out
                .stdout_text()
                .lines()
                .filter_map(|line| {
                    let mut cols = line.split_whitespace();
                    Some(UpdateItem {
                        name: cols.next()?.to_owned(),
                        version: cols.next()?.to_owned(),
                        security: cols.next() == Some("security"),
                    })
                })
                .collect())
        })
    }

    fn install<'a>(&'a self, specs: &'a [String]) -> BoxFuture<'a, DmResult<InstallOutcome>> {
        Box::pin(async move {
            if !specs.is_empty() {
                let args = std::iter::once("install").chain(specs.iter().map(String::as_str));
                run_checked(self.runner.as_ref(), self.command(args)).await?;
            }
            Ok(InstallOutcome {
                installed: u32::try_from(specs.len()).unwrap_or(u32::MAX),
                reboot_required: self.pending_reboot().await?,
            })
        })
    }

    fn pending_reboot(&self) -> BoxFuture<'_, DmResult<bool>> {
        Box::pin(async move {
            let out = self.runner.run(self.command(["pending-reboot"])).await?;
            match out.status {
                Some(0) => Ok(true),
                Some(1) => Ok(false),
                _ => Err(DmError::failed(
                    "updateHookFailed",
                    "the update hook's `pending-reboot` exited with neither 0 nor 1",
                )),
            }
        })
    }
}

/// Where neither apt nor a hook exists.
struct NoUpdates(ProviderStatus);

impl UpdatesProvider for NoUpdates {
    fn status(&self) -> ProviderStatus {
        self.0.clone()
    }

    fn scan(&self) -> BoxFuture<'_, DmResult<Vec<UpdateItem>>> {
        Box::pin(async move { Err(super::not_active(&self.0, "updates")) })
    }

    fn install<'a>(&'a self, _: &'a [String]) -> BoxFuture<'a, DmResult<InstallOutcome>> {
        Box::pin(async move { Err(super::not_active(&self.0, "updates")) })
    }

    fn pending_reboot(&self) -> BoxFuture<'_, DmResult<bool>> {
        Box::pin(async { Ok(false) })
    }
}

/// An update the sandbox offers, in `<sandbox>/updates/available.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SandboxUpdate {
    /// Package name.
    pub name: String,
    /// Version it updates to.
    pub version: String,
    /// A security update.
    #[serde(default)]
    pub security: bool,
    /// Installing it requires a reboot.
    #[serde(default)]
    pub reboot_required: bool,
}

/// Updates offered by `<sandbox>/updates/available.json` (seeded with a few plausible ones;
/// tests and demos may rewrite it); installed ones move to `installed.json`, and a kernel-like
/// update leaves `<sandbox>/run/reboot-required` until the next sandbox reboot.
pub struct SandboxUpdates {
    /// The sandbox.
    dir: PathBuf,
}

impl SandboxUpdates {
    /// Updates inside `dir`.
    pub fn new(dir: &Path) -> DmResult<Self> {
        let this = Self {
            dir: dir.to_owned(),
        };
        let available = this.dir.join("updates/available.json");
        if !available.exists() {
            let seed = [
                ("openssl", "3.0.15-1~deb12u1", true, false),
                ("curl", "7.88.1-10+deb12u8", false, false),
                ("linux-image-arm64", "6.1.119-1", true, true),
            ]
            .map(|(name, version, security, reboot_required)| SandboxUpdate {
                name: name.into(),
                version: version.into(),
                security,
                reboot_required,
            });
            this.save("available.json", &seed)?;
        }
        Ok(this)
    }

    fn load(&self, name: &str) -> DmResult<Vec<SandboxUpdate>> {
        let path = self.dir.join("updates").join(name);
        match super::read_text(&path)? {
            None => Ok(Vec::new()),
            Some(text) => serde_json::from_str(&text).map_err(|e| DmError::CorruptState {
                path,
                detail: e.to_string(),
            }),
        }
    }

    fn save(&self, name: &str, items: &[SandboxUpdate]) -> DmResult<()> {
        super::ensure_dir(&self.dir.join("updates"))?;
        let bytes = serde_json::to_vec_pretty(items).unwrap_or_default();
        crate::state::write_atomic(&self.dir.join("updates").join(name), &bytes, 0o644)
    }
}

impl UpdatesProvider for SandboxUpdates {
    fn status(&self) -> ProviderStatus {
        active(Backend::Sandbox)
    }

    fn scan(&self) -> BoxFuture<'_, DmResult<Vec<UpdateItem>>> {
        Box::pin(async move {
            Ok(self
                .load("available.json")?
                .into_iter()
                .map(|u| UpdateItem {
                    name: u.name,
                    version: u.version,
                    security: u.security,
                })
                .collect())
        })
    }

    fn install<'a>(&'a self, specs: &'a [String]) -> BoxFuture<'a, DmResult<InstallOutcome>> {
        Box::pin(async move {
            let mut available = self.load("available.json")?;
            let mut installed = self.load("installed.json")?;
            let mut count = 0_u32;
            let mut reboot = false;
            for spec in specs {
                let (name, version) = match spec.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (spec.as_str(), None),
                };
                let Some(at) = available.iter().position(|u| u.name == name) else {
                    continue;
                };
                if let Some(v) = version
                    && available[at].version != v
                {
                    return Err(DmError::failed(
                        "versionNotAvailable",
                        format!(
                            "`{name}` is available in version {}, not {v}",
                            available[at].version
                        ),
                    ));
                }
                let update = available.remove(at);
                reboot |= update.reboot_required;
                super::sandbox_journal(
                    &self.dir,
                    "apt",
                    &format!("upgraded {} to {}", update.name, update.version),
                );
                installed.push(update);
                count += 1;
            }
            self.save("available.json", &available)?;
            self.save("installed.json", &installed)?;
            if reboot {
                super::ensure_dir(&self.dir.join("run"))?;
                std::fs::write(self.dir.join("run/reboot-required"), "").map_err(|e| {
                    DmError::io("cannot write", self.dir.join("run/reboot-required"), e)
                })?;
            }
            Ok(InstallOutcome {
                installed: count,
                reboot_required: self.pending_reboot().await?,
            })
        })
    }

    fn pending_reboot(&self) -> BoxFuture<'_, DmResult<bool>> {
        Box::pin(async move { Ok(self.dir.join("run/reboot-required").exists()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{Output, RecordingRunner};

    const SIMULATION: &str = "\
NOTE: This is only a simulation!
Inst openssl [3.0.11-1~deb12u2] (3.0.15-1~deb12u1 Debian-Security:12/stable-security [arm64])
Inst curl [7.88.1-10+deb12u7] (7.88.1-10+deb12u8 Debian:12.9/stable [arm64])
Inst linux-image-6.1.0-31-arm64 (6.1.128-1 Debian:12.9/stable [arm64])
Conf openssl (3.0.15-1~deb12u1 Debian-Security:12/stable-security [arm64])
";

    #[test]
    fn apt_simulation_is_parsed_with_security_flags() {
        let items = parse_apt_simulation(SIMULATION);
        let got: Vec<_> = items
            .iter()
            .map(|u| (u.name.as_str(), u.version.as_str(), u.security))
            .collect();
        assert_eq!(
            got,
            [
                ("openssl", "3.0.15-1~deb12u1", true),
                ("curl", "7.88.1-10+deb12u8", false),
                ("linux-image-6.1.0-31-arm64", "6.1.128-1", false),
            ]
        );
    }

    #[tokio::test]
    async fn apt_scan_and_install_commands() {
        let root = tempfile::tempdir().unwrap();
        let runner = RecordingRunner::new();
        runner.answer(
            "DEBIAN_FRONTEND=noninteractive apt-get -s",
            Output::ok(SIMULATION),
        );
        runner.answer(
            "DEBIAN_FRONTEND=noninteractive apt-get install",
            Output::ok("Unpacking openssl (3.0.15-1~deb12u1) over (3.0.11-1~deb12u2) ...\nSetting up openssl ...\n"),
        );
        let updates = linux(Arc::new(runner.clone()), root.path(), None);
        assert_eq!(updates.scan().await.unwrap().len(), 3);
        std::fs::create_dir_all(root.path().join("run")).unwrap();
        std::fs::write(root.path().join("run/reboot-required"), "").unwrap();
        let outcome = updates
            .install(&["openssl".into(), "curl=7.88.1-10+deb12u8".into()])
            .await
            .unwrap();
        assert_eq!(
            outcome,
            InstallOutcome {
                installed: 1,
                reboot_required: true
            }
        );
        assert_eq!(
            runner.lines(),
            [
                "DEBIAN_FRONTEND=noninteractive apt-get update -q",
                "DEBIAN_FRONTEND=noninteractive apt-get -s -q -o Debug::NoLocking=1 dist-upgrade",
                "DEBIAN_FRONTEND=noninteractive apt-get install -y --only-upgrade -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold openssl curl=7.88.1-10+deb12u8",
            ]
        );
    }

    #[tokio::test]
    async fn the_hook_is_used_where_apt_is_absent() {
        let runner = RecordingRunner::new();
        runner.without(&["apt-get"]);
        runner.answer(
            "/usr/libexec/dm-update scan",
            Output::ok("fw-base 2.1 security\nfw-ui 1.4\n"),
        );
        runner.answer(
            "/usr/libexec/dm-update pending-reboot",
            Output::failed(1, ""),
        );
        let updates = linux(
            Arc::new(runner.clone()),
            Path::new("/"),
            Some(Path::new("/usr/libexec/dm-update")),
        );
        assert!(updates.status().active);
        let items = updates.scan().await.unwrap();
        assert!(items[0].security && !items[1].security);
        let outcome = updates.install(&["fw-base".into()]).await.unwrap();
        assert_eq!(
            outcome,
            InstallOutcome {
                installed: 1,
                reboot_required: false
            }
        );
        assert_eq!(
            runner.lines(),
            [
                "/usr/libexec/dm-update scan",
                "/usr/libexec/dm-update install fw-base",
                "/usr/libexec/dm-update pending-reboot",
            ]
        );
        runner.without(&["/usr/libexec/dm-update"]);
        let none = linux(
            Arc::new(runner),
            Path::new("/nonexistent-root"),
            Some(Path::new("/usr/libexec/dm-update")),
        );
        assert!(!none.status().active);
        assert_eq!(none.scan().await.unwrap_err().status(), 501);
    }

    #[tokio::test]
    async fn sandbox_install_moves_updates_and_flags_reboots() {
        let dir = tempfile::tempdir().unwrap();
        let updates = SandboxUpdates::new(dir.path()).unwrap();
        assert_eq!(updates.scan().await.unwrap().len(), 3);
        let outcome = updates
            .install(&["curl".into(), "not-there".into()])
            .await
            .unwrap();
        assert_eq!(
            outcome,
            InstallOutcome {
                installed: 1,
                reboot_required: false
            }
        );
        let outcome = updates
            .install(&["linux-image-arm64".into()])
            .await
            .unwrap();
        assert!(outcome.reboot_required);
        assert_eq!(updates.scan().await.unwrap().len(), 1);
        let err = updates.install(&["openssl=1.0".into()]).await.unwrap_err();
        assert_eq!(err.code(), "versionNotAvailable");
    }
}
