//! Factory reset: the device owner's hook script does the resetting, the agent reboots.
//!
//! What "factory state" means differs per product (which partitions, which keys, whether a
//! recovery image exists), so the Linux backend does not guess: it runs a script the device
//! owner installs, and refuses to run one that someone other than its owner could have edited
//! (it runs as root). The dispatcher has already checked the device-id confirmation and the
//! busy leases.

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dm_contract::{Backend, ProviderStatus};
use futures::future::BoxFuture;

use super::reboot::RebootProvider;
use super::{active, inactive, not_active, under};
use crate::error::{DmError, DmResult};
use crate::runner::{Command, Runner, run_checked};

/// What the operator asked to erase beyond configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResetOptions {
    /// Also clear the TPM.
    pub clear_tpm: bool,
    /// Also erase application data.
    pub wipe_data: bool,
}

/// Restores factory state and reboots.
pub trait FactoryResetProvider: Send + Sync + 'static {
    /// Whether the provider can serve, and its backend.
    fn status(&self) -> ProviderStatus;
    /// Resets and then reboots (through the reboot provider).
    fn reset(&self, options: ResetOptions) -> BoxFuture<'_, DmResult<()>>;
}

/// Runs `<hook> [--clear-tpm] [--wipe-data]`, then reboots.
pub struct LinuxFactoryReset {
    /// Runs the hook.
    runner: Arc<dyn Runner>,
    /// The hook as the device sees it (absolute path, passed to the runner).
    hook: PathBuf,
    /// Reboots afterwards.
    reboot: Arc<dyn RebootProvider>,
    /// Probe result.
    status: ProviderStatus,
}

impl LinuxFactoryReset {
    /// Checks the hook at `<root><hook>`: it must be a regular executable file that only its
    /// owner (root on a device) can write.
    pub fn new(
        runner: Arc<dyn Runner>,
        root: &Path,
        hook: &Path,
        reboot: Arc<dyn RebootProvider>,
    ) -> Self {
        let on_disk = under(root, &hook.to_string_lossy());
        let status = match std::fs::metadata(&on_disk) {
            Err(_) => inactive(
                Backend::Linux,
                format!("no factory-reset hook is installed at {}", hook.display()),
            ),
            Ok(meta) if !meta.is_file() || meta.mode() & 0o111 == 0 => inactive(
                Backend::Linux,
                format!(
                    "the factory-reset hook {} is not an executable file",
                    hook.display()
                ),
            ),
            Ok(meta) if meta.mode() & 0o022 != 0 => inactive(
                Backend::Linux,
                format!(
                    "the factory-reset hook {} is writable by group or others; refusing to run it as root",
                    hook.display()
                ),
            ),
            Ok(_) if !reboot.status().active => {
                inactive(Backend::Linux, "the reboot provider is inactive")
            }
            Ok(_) => active(Backend::Linux),
        };
        Self {
            runner,
            hook: hook.to_owned(),
            reboot,
            status,
        }
    }
}

impl FactoryResetProvider for LinuxFactoryReset {
    fn status(&self) -> ProviderStatus {
        self.status.clone()
    }

    fn reset(&self, options: ResetOptions) -> BoxFuture<'_, DmResult<()>> {
        Box::pin(async move {
            if !self.status.active {
                return Err(not_active(&self.status, "factoryReset"));
            }
            let mut args = Vec::new();
            if options.clear_tpm {
                args.push("--clear-tpm");
            }
            if options.wipe_data {
                args.push("--wipe-data");
            }
            let command = Command::new(self.hook.to_string_lossy(), args);
            tracing::warn!(?options, "factory reset: running the device owner's hook");
            run_checked(self.runner.as_ref(), command).await?;
            self.reboot.reboot("factory reset").await
        })
    }
}

/// A sandbox reset: everything dm installed in the sandbox goes (apps, certificates, Wi-Fi
/// profiles, time settings, optionally `data/`), then a sandbox reboot.
pub struct SandboxFactoryReset {
    /// The sandbox.
    dir: PathBuf,
    /// Reboots afterwards.
    reboot: Arc<dyn RebootProvider>,
}

impl SandboxFactoryReset {
    /// A reset acting inside `dir`.
    pub fn new(dir: &Path, reboot: Arc<dyn RebootProvider>) -> Self {
        Self {
            dir: dir.to_owned(),
            reboot,
        }
    }
}

/// What a sandbox factory reset erases, relative to the sandbox.
const SANDBOX_FACTORY_PATHS: [&str; 5] = [
    "apps",
    "certs",
    "etc/NetworkManager/system-connections",
    "etc/timezone",
    "etc/systemd/timesyncd.conf.d",
];

impl FactoryResetProvider for SandboxFactoryReset {
    fn status(&self) -> ProviderStatus {
        active(Backend::Sandbox)
    }

    fn reset(&self, options: ResetOptions) -> BoxFuture<'_, DmResult<()>> {
        Box::pin(async move {
            let mut paths: Vec<&str> = SANDBOX_FACTORY_PATHS.to_vec();
            if options.wipe_data {
                paths.push("data");
            }
            for rel in paths {
                let path = self.dir.join(rel);
                let removed = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                match removed {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(DmError::io("cannot erase", path, e)),
                }
            }
            super::sandbox_journal(
                &self.dir,
                "dm-agent",
                &format!(
                    "factory reset (clear TPM: {}, wipe data: {})",
                    options.clear_tpm, options.wipe_data
                ),
            );
            self.reboot.reboot("factory reset").await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::reboot::{LinuxReboot, SandboxReboot};
    use crate::runner::RecordingRunner;
    use std::os::unix::fs::PermissionsExt as _;

    fn install_hook(root: &Path, mode: u32) {
        let path = root.join("etc/dm-agent/factory-reset");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    fn provider(root: &Path, runner: &RecordingRunner) -> LinuxFactoryReset {
        let runner: Arc<dyn Runner> = Arc::new(runner.clone());
        let reboot = Arc::new(LinuxReboot::new(runner.clone(), root));
        LinuxFactoryReset::new(
            runner,
            root,
            Path::new("/etc/dm-agent/factory-reset"),
            reboot,
        )
    }

    #[tokio::test]
    async fn runs_the_hook_with_flags_then_reboots() {
        let root = tempfile::tempdir().unwrap();
        install_hook(root.path(), 0o750);
        let runner = RecordingRunner::new();
        let reset = provider(root.path(), &runner);
        assert!(reset.status().active, "{:?}", reset.status());
        reset
            .reset(ResetOptions {
                clear_tpm: true,
                wipe_data: true,
            })
            .await
            .unwrap();
        assert_eq!(
            runner.lines(),
            [
                "/etc/dm-agent/factory-reset --clear-tpm --wipe-data",
                "systemctl reboot"
            ]
        );
    }

    #[tokio::test]
    async fn a_failing_hook_does_not_reboot() {
        let root = tempfile::tempdir().unwrap();
        install_hook(root.path(), 0o700);
        let runner = RecordingRunner::new();
        runner.answer(
            "/etc/dm-agent/factory-reset",
            crate::runner::Output::failed(1, "no recovery partition"),
        );
        let err = provider(root.path(), &runner)
            .reset(ResetOptions::default())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("no recovery partition"), "{err}");
        assert_eq!(runner.lines(), ["/etc/dm-agent/factory-reset"]);
    }

    #[test]
    fn missing_or_unsafe_hooks_deactivate_the_provider() {
        let root = tempfile::tempdir().unwrap();
        let runner = RecordingRunner::new();
        let status = provider(root.path(), &runner).status();
        assert!(!status.active);
        assert!(status.reason.unwrap().contains("no factory-reset hook"));
        install_hook(root.path(), 0o777);
        let status = provider(root.path(), &runner).status();
        assert!(
            status
                .reason
                .unwrap()
                .contains("writable by group or others")
        );
        install_hook(root.path(), 0o644);
        let status = provider(root.path(), &runner).status();
        assert!(status.reason.unwrap().contains("not an executable"));
    }

    #[tokio::test]
    async fn sandbox_reset_erases_what_dm_installed() {
        let dir = tempfile::tempdir().unwrap();
        let reboot = Arc::new(SandboxReboot::new(dir.path(), None).unwrap());
        let before = reboot.boot_time().await.unwrap();
        for rel in [
            "apps/plc/package",
            "certs/trust/a.pem",
            "data/db",
            "etc/timezone",
        ] {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let reset = SandboxFactoryReset::new(dir.path(), reboot.clone());
        reset
            .reset(ResetOptions {
                clear_tpm: false,
                wipe_data: false,
            })
            .await
            .unwrap();
        assert!(!dir.path().join("apps").exists());
        assert!(!dir.path().join("certs").exists());
        assert!(!dir.path().join("etc/timezone").exists());
        assert!(
            dir.path().join("data/db").exists(),
            "data is kept without wipeData"
        );
        assert!(reboot.boot_time().await.unwrap() > before);
        reset
            .reset(ResetOptions {
                clear_tpm: false,
                wipe_data: true,
            })
            .await
            .unwrap();
        assert!(!dir.path().join("data").exists());
    }
}
