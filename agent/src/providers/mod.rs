//! Providers: the code that changes the device, one trait per capability area.
//!
//! Every area has a Linux backend, which runs system commands through the
//! [`Runner`] and touches files under a root directory (`/` on a device,
//! a temporary directory in tests), and a sandbox backend, which performs the same state
//! changes inside a directory so that demos, simulations and tests run anywhere without
//! touching the host. The dispatcher only sees the traits.
//!
//! Each backend decides at construction which tools it found ([`ProviderStatus`]); an inactive
//! provider's methods answer 501 and the capability manifest says why.

pub mod agent_update;
pub mod apps;
pub mod certificates;
pub mod diagnostics;
pub mod factory_reset;
pub mod info;
pub mod network;
pub mod reboot;
pub mod time;
pub mod updates;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dm_contract::{Backend, ProviderStatus, Section};

use crate::error::{DmError, DmResult};
use crate::runner::Runner;

pub use agent_update::AgentUpdater;
pub use apps::AppsProvider;
pub use certificates::CertificatesProvider;
pub use diagnostics::DiagnosticsProvider;
pub use factory_reset::FactoryResetProvider;
pub use info::InfoProvider;
pub use network::NetworkProvider;
pub use reboot::{RebootHook, RebootProvider};
pub use time::TimeProvider;
pub use updates::UpdatesProvider;

/// A provider that is ready.
pub(crate) fn active(backend: Backend) -> ProviderStatus {
    ProviderStatus {
        backend,
        active: true,
        reason: None,
    }
}

/// A provider that cannot serve on this device, and why.
pub(crate) fn inactive(backend: Backend, reason: impl Into<String>) -> ProviderStatus {
    ProviderStatus {
        backend,
        active: false,
        reason: Some(reason.into()),
    }
}

/// The error for a call on an inactive provider.
pub(crate) fn not_active(status: &ProviderStatus, area: &str) -> DmError {
    DmError::NotSupported(format!(
        "the {area} provider is inactive: {}",
        status
            .reason
            .as_deref()
            .unwrap_or("not available on this device")
    ))
}

/// Settings of the Linux backends.
#[derive(Debug, Clone)]
pub struct LinuxOptions {
    /// Where the file system starts: `/` on a device; tests point it at a temporary directory
    /// to see exactly which files a backend writes.
    pub root: PathBuf,
    /// The device owner's factory-reset script (absolute, seen from `root`). The reset provider
    /// is inactive unless it exists, is executable, and is writable by its owner only.
    pub factory_reset_hook: PathBuf,
    /// A command implementing OS updates where apt is absent (`HOOK scan`, `HOOK install
    /// SPEC...`, `HOOK pending-reboot`); see [`updates`].
    pub update_hook: Option<PathBuf>,
    /// Directories `dm.diagnostics.collect` may read (absolute, seen from `root`).
    pub log_roots: Vec<String>,
    /// Mount points reported in the device info.
    pub disk_mounts: Vec<String>,
    /// The agent binary `dm.agent.update` replaces (absolute, seen from `root`); `None` means
    /// the running executable.
    pub agent_binary: Option<PathBuf>,
    /// The systemd unit `dm.agent.update` restarts.
    pub agent_unit: String,
}

impl Default for LinuxOptions {
    fn default() -> Self {
        Self {
            root: PathBuf::from("/"),
            factory_reset_hook: PathBuf::from("/etc/dm-agent/factory-reset"),
            update_hook: None,
            log_roots: vec!["/var/log".to_owned()],
            disk_mounts: vec!["/".to_owned()],
            agent_binary: None,
            agent_unit: "dm-agent.service".to_owned(),
        }
    }
}

/// Settings of the sandbox backends.
#[derive(Clone, Default)]
pub struct SandboxOptions {
    /// Called after a sandbox reboot changed the boot time, and after a sandbox agent restart
    /// (`dm.agent.update`); the simulator uses it to drop the connection and come back, as a
    /// real device (or a restarted agent) would.
    pub reboot_hook: Option<RebootHook>,
    /// The host name the sandbox reports (the device id, typically).
    pub hostname: Option<String>,
}

impl std::fmt::Debug for SandboxOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxOptions")
            .field("reboot_hook", &self.reboot_hook.is_some())
            .field("hostname", &self.hostname)
            .finish()
    }
}

/// One provider per area.
#[derive(Clone)]
pub struct Providers {
    /// Reboot.
    pub reboot: Arc<dyn RebootProvider>,
    /// Factory reset.
    pub factory_reset: Arc<dyn FactoryResetProvider>,
    /// Apps (packages and units).
    pub apps: Arc<dyn AppsProvider>,
    /// OS updates.
    pub updates: Arc<dyn UpdatesProvider>,
    /// Certificates.
    pub certificates: Arc<dyn CertificatesProvider>,
    /// Time zone and NTP.
    pub time: Arc<dyn TimeProvider>,
    /// Wi-Fi.
    pub network: Arc<dyn NetworkProvider>,
    /// Log collection.
    pub diagnostics: Arc<dyn DiagnosticsProvider>,
    /// Device inventory.
    pub info: Arc<dyn InfoProvider>,
    /// Agent self-update.
    pub agent_update: Arc<dyn AgentUpdater>,
}

impl std::fmt::Debug for Providers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.statuses().iter().map(|(s, p)| (s.name(), p)))
            .finish()
    }
}

impl Providers {
    /// The sandbox providers, acting inside `dir` (created if needed).
    pub fn sandbox(dir: &Path, options: &SandboxOptions) -> DmResult<Self> {
        std::fs::create_dir_all(dir).map_err(|e| DmError::io("cannot create sandbox", dir, e))?;
        let reboot = Arc::new(reboot::SandboxReboot::new(
            dir,
            options.reboot_hook.clone(),
        )?);
        Ok(Self {
            factory_reset: Arc::new(factory_reset::SandboxFactoryReset::new(dir, reboot.clone())),
            reboot,
            apps: Arc::new(apps::SandboxApps::new(dir)),
            updates: Arc::new(updates::SandboxUpdates::new(dir)?),
            certificates: Arc::new(certificates::FileCertStore::sandbox(dir)),
            time: Arc::new(time::SandboxTime::new(dir)),
            network: Arc::new(network::KeyfileWifi::sandbox(dir)),
            diagnostics: Arc::new(diagnostics::FileDiagnostics::sandbox(dir)),
            info: Arc::new(info::SandboxInfo::new(dir, options.hostname.clone())?),
            agent_update: Arc::new(agent_update::SandboxAgentUpdater::new(
                dir,
                options.reboot_hook.clone(),
            )?),
        })
    }

    /// The Linux providers, running commands through `runner`. Each probes for its tools now.
    pub fn linux(runner: Arc<dyn Runner>, options: &LinuxOptions) -> Self {
        let reboot = Arc::new(reboot::LinuxReboot::new(runner.clone(), &options.root));
        let agent_binary = match &options.agent_binary {
            Some(path) => under(&options.root, &path.to_string_lossy()),
            // The running executable is where the agent came from, whatever the root.
            None => std::env::current_exe()
                .unwrap_or_else(|_| under(&options.root, "/usr/bin/dm-agent")),
        };
        Self {
            agent_update: Arc::new(agent_update::LinuxAgentUpdater::new(
                runner.clone(),
                agent_binary,
                options.agent_unit.clone(),
            )),
            factory_reset: Arc::new(factory_reset::LinuxFactoryReset::new(
                runner.clone(),
                &options.root,
                &options.factory_reset_hook,
                reboot.clone(),
            )),
            reboot,
            apps: Arc::new(apps::LinuxApps::new(runner.clone())),
            updates: updates::linux(
                runner.clone(),
                &options.root,
                options.update_hook.as_deref(),
            ),
            certificates: Arc::new(certificates::FileCertStore::linux(
                runner.clone(),
                &options.root,
            )),
            time: Arc::new(time::LinuxTime::new(runner.clone(), &options.root)),
            network: Arc::new(network::KeyfileWifi::linux(runner.clone(), &options.root)),
            diagnostics: Arc::new(diagnostics::FileDiagnostics::linux(
                runner.clone(),
                &options.root,
                &options.log_roots,
            )),
            info: Arc::new(info::LinuxInfo::new(
                runner,
                &options.root,
                &options.disk_mounts,
            )),
        }
    }

    /// Every provider's status, by the section it serves (the manifest's `providers`).
    pub fn statuses(&self) -> BTreeMap<Section, ProviderStatus> {
        BTreeMap::from([
            (Section::Reboot, self.reboot.status()),
            (Section::FactoryReset, self.factory_reset.status()),
            (Section::Apps, self.apps.status()),
            (Section::Updates, self.updates.status()),
            (Section::Certificates, self.certificates.status()),
            (Section::Time, self.time.status()),
            (Section::Network, self.network.status()),
            (Section::Diagnostics, self.diagnostics.status()),
            (Section::Info, self.info.status()),
            (Section::AgentUpdate, self.agent_update.status()),
        ])
    }

    /// The status of the provider serving `section`, if one does.
    pub fn status(&self, section: Section) -> Option<ProviderStatus> {
        self.statuses().remove(&section)
    }
}

/// `root` joined with an absolute device path (`/etc/x` under `/tmp/r` is `/tmp/r/etc/x`).
pub(crate) fn under(root: &Path, device_path: &str) -> PathBuf {
    root.join(device_path.trim_start_matches('/'))
}

/// Reads a small text file; `Ok(None)` when it does not exist.
pub(crate) fn read_text(path: &Path) -> DmResult<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(DmError::io("cannot read", path, e)),
    }
}

/// Creates `dir` and its parents.
pub(crate) fn ensure_dir(dir: &Path) -> DmResult<()> {
    std::fs::create_dir_all(dir).map_err(|e| DmError::io("cannot create", dir, e))
}

/// Runs blocking file work off the async threads.
pub(crate) async fn blocking<T, F>(work: F) -> DmResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> DmResult<T> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| DmError::failed("internal", format!("file work did not complete: {e}")))?
}

/// Appends a line to the sandbox's journal (`<sandbox>/var/log/journal.log`), so a sandbox's
/// log collection shows what the sandbox did.
pub(crate) fn sandbox_journal(sandbox: &Path, unit: &str, message: &str) {
    use std::io::Write as _;
    let path = sandbox.join("var/log/journal.log");
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let line = format!("{} sandbox {unit}: {message}\n", jiff::Timestamp::now());
    let appended = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(err) = appended {
        tracing::debug!(error = %err, "could not append to the sandbox journal");
    }
}
