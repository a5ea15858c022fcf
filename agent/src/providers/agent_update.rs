//! Agent self-update (`dm.agent.update`): where the agent's binary lives, which version runs,
//! and how the agent restarts into a new binary.
//!
//! The dispatcher owns the state machine (download, checksum, preflight, swap, restart, settle
//! on the next start) so both backends behave the same; a backend only knows its binary, its
//! running version and how to restart. The file work shared by both (the atomic swap that keeps
//! `<path>.previous`, the rollback, reading a `--version` line) lives here as free functions, so
//! the sandbox exercises exactly the code a device runs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use dm_contract::{Backend, ProviderStatus};
use futures::future::BoxFuture;

use super::{RebootHook, active, inactive, not_active};
use crate::error::{DmError, DmResult};
use crate::providers::info::AGENT_VERSION;
use crate::runner::{Command, RunAs, Runner, SystemRunner, run_checked};

/// The suffix of the binary kept for a rollback: `<path>.previous`.
pub const PREVIOUS_SUFFIX: &str = ".previous";

/// The longest a preflight (`<new binary> --version`) or a sandbox restart may run: a binary
/// that hangs on `--version` is as unusable as one that does not start.
pub const VERSION_PROBE_TIMEOUT: Duration = Duration::from_secs(30);

/// How a restart went, as far as the agent that asked for it can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restart {
    /// The service manager is replacing this process: the next start settles the operation.
    /// If this process is still alive after `grace`, the restart did not happen.
    Pending {
        /// How long to wait for the restart before calling it failed.
        grace: Duration,
    },
    /// The restart already happened within this process (the sandbox): settle now.
    Done,
}

/// Replaces the agent and restarts it.
pub trait AgentUpdater: Send + Sync + 'static {
    /// Whether the provider can serve, and its backend.
    fn status(&self) -> ProviderStatus;
    /// The version of the agent running now (what the manifest reports).
    fn running_version(&self) -> DmResult<String>;
    /// The binary an update replaces.
    fn binary_path(&self) -> &Path;
    /// Runs the preflight `<new binary> --version`.
    fn runner(&self) -> Arc<dyn Runner>;
    /// Restarts the agent so that it runs the binary now at [`AgentUpdater::binary_path`].
    fn restart(&self) -> BoxFuture<'_, DmResult<Restart>>;
}

/// `<path>.previous`.
pub fn previous_path(binary: &Path) -> PathBuf {
    let mut name = binary.as_os_str().to_owned();
    name.push(PREVIOUS_SUFFIX);
    PathBuf::from(name)
}

/// A sibling of `binary` for staging (same directory, so the final rename is atomic).
fn staging_path(binary: &Path, tag: &str) -> PathBuf {
    let mut name = binary.as_os_str().to_owned();
    name.push(format!(".dm-{tag}-{}", uuid::Uuid::new_v4().simple()));
    PathBuf::from(name)
}

/// Puts `new` at `binary` atomically (a rename in the binary's own directory, so the path
/// always holds a whole binary), keeping the current one as `<binary>.previous`. `new` is
/// copied, not moved: downloads may live on another file system.
pub fn install_binary(binary: &Path, new: &Path) -> DmResult<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let staged = staging_path(binary, "new");
    let result = (|| {
        std::fs::copy(new, &staged).map_err(|e| DmError::io("cannot stage", &staged, e))?;
        std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| DmError::io("cannot make executable", &staged, e))?;
        std::fs::File::open(&staged)
            .and_then(|f| f.sync_all())
            .map_err(|e| DmError::io("cannot flush", &staged, e))?;
        if binary.exists() {
            keep_previous(binary)?;
        }
        std::fs::rename(&staged, binary).map_err(|e| DmError::io("cannot replace", binary, e))?;
        sync_parent(binary)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&staged);
    }
    result
}

/// Copies the current binary to `<binary>.previous`, itself atomically.
fn keep_previous(binary: &Path) -> DmResult<()> {
    let previous = previous_path(binary);
    let staged = staging_path(binary, "previous");
    let copied = std::fs::hard_link(binary, &staged)
        .or_else(|_| std::fs::copy(binary, &staged).map(drop))
        .map_err(|e| DmError::io("cannot keep a copy of", binary, e))
        .and_then(|()| {
            std::fs::rename(&staged, &previous)
                .map_err(|e| DmError::io("cannot write", &previous, e))
        });
    if copied.is_err() {
        let _ = std::fs::remove_file(&staged);
    }
    copied
}

/// Puts `<binary>.previous` back at `binary` (one rename: atomic).
pub fn restore_previous(binary: &Path) -> DmResult<()> {
    let previous = previous_path(binary);
    if !previous.exists() {
        return Err(DmError::failed(
            "rollbackFailed",
            format!("there is no `{}` to roll back to", previous.display()),
        ));
    }
    std::fs::rename(&previous, binary).map_err(|e| DmError::io("cannot restore", binary, e))?;
    sync_parent(binary)
}

/// A rename survives a power cut only once its directory is on disk.
fn sync_parent(path: &Path) -> DmResult<()> {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| DmError::io("cannot flush directory", dir, e))
}

/// Whether a `--version` output names `version` (as a word, optionally written `v1.2.3`).
pub fn reports_version(output: &str, version: &str) -> bool {
    output
        .split_whitespace()
        .any(|word| word == version || word.strip_prefix('v') == Some(version))
}

/// The version a `--version` output names: the last word of its first non-empty line
/// (`dm-agent 0.2.0` → `0.2.0`), without a leading `v`.
pub fn parse_version_output(output: &str) -> Option<String> {
    let line = output.lines().map(str::trim).find(|l| !l.is_empty())?;
    let word = line.split_whitespace().last()?;
    let word = word
        .strip_prefix('v')
        .filter(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(word);
    dm_contract::check::agent_version("version", word)
        .ok()
        .map(|()| word.to_owned())
}

/// Copies a downloaded binary next to `binary` (mode 0755) for a preflight run by an
/// unprivileged user: the agent's state directory is not theirs to read, the binary's own
/// directory is world-searchable on any system that can run it. The caller removes the copy.
pub fn stage_for_preflight(binary: &Path, download: &Path) -> DmResult<PathBuf> {
    use std::os::unix::fs::PermissionsExt as _;
    let staged = staging_path(binary, "preflight");
    let result = std::fs::copy(download, &staged)
        .map_err(|e| DmError::io("cannot stage", &staged, e))
        .and_then(|_| {
            std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| DmError::io("cannot make executable", &staged, e))
        });
    match result {
        Ok(()) => Ok(staged),
        Err(err) => {
            let _ = std::fs::remove_file(&staged);
            Err(err)
        }
    }
}

/// Runs `<binary> --version` with a deadline (as `run_as` when given); its standard output.
pub async fn probe_version(
    runner: &dyn Runner,
    binary: &Path,
    run_as: Option<RunAs>,
) -> DmResult<String> {
    let command = Command::new(binary.to_string_lossy(), ["--version"])
        .stdout_limit(4096)
        .run_as(run_as);
    let line = command.to_string();
    let probe = async {
        let mut attempts = 0;
        loop {
            match run_checked(runner, command.clone()).await {
                // A file just written can be "busy" for a moment: a process forked by another
                // thread while it was open for writing holds it until that process execs.
                Err(DmError::Spawn { error: source, .. })
                    if source.raw_os_error() == Some(ETXTBSY) && attempts < 10 =>
                {
                    attempts += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                other => return other,
            }
        }
    };
    match tokio::time::timeout(VERSION_PROBE_TIMEOUT, probe).await {
        Ok(output) => Ok(output?.stdout_text()),
        Err(_) => Err(DmError::Timeout {
            what: format!("`{line}`"),
            seconds: VERSION_PROBE_TIMEOUT.as_secs(),
        }),
    }
}

/// `ETXTBSY` on Linux: "text file busy".
const ETXTBSY: i32 = 26;

/// Self-update on a systemd device: the binary is replaced in place and the unit restarted.
pub struct LinuxAgentUpdater {
    /// Runs the preflight and `systemctl`.
    runner: Arc<dyn Runner>,
    /// The binary to replace.
    binary: PathBuf,
    /// The unit to restart.
    unit: String,
    /// How long to wait for systemd to replace this process.
    grace: Duration,
    /// Probe result.
    status: ProviderStatus,
}

impl LinuxAgentUpdater {
    /// How long the agent waits, after `systemctl --no-block restart` returned, to be stopped by it.
    pub const RESTART_GRACE: Duration = Duration::from_secs(120);

    /// Probes for `systemctl` and the binary.
    pub fn new(runner: Arc<dyn Runner>, binary: PathBuf, unit: impl Into<String>) -> Self {
        let status = if !runner.has_program("systemctl") {
            inactive(
                Backend::Linux,
                "systemctl was not found: the agent cannot restart itself",
            )
        } else if !binary.is_file() {
            inactive(
                Backend::Linux,
                format!("the agent binary `{}` does not exist", binary.display()),
            )
        } else {
            active(Backend::Linux)
        };
        Self {
            runner,
            binary,
            unit: unit.into(),
            grace: Self::RESTART_GRACE,
            status,
        }
    }
}

impl AgentUpdater for LinuxAgentUpdater {
    fn status(&self) -> ProviderStatus {
        self.status.clone()
    }

    fn running_version(&self) -> DmResult<String> {
        Ok(AGENT_VERSION.to_owned())
    }

    fn binary_path(&self) -> &Path {
        &self.binary
    }

    fn runner(&self) -> Arc<dyn Runner> {
        self.runner.clone()
    }

    fn restart(&self) -> BoxFuture<'_, DmResult<Restart>> {
        Box::pin(async move {
            if !self.status.active {
                return Err(not_active(&self.status, "agent update"));
            }
            tracing::warn!(unit = %self.unit, "restarting the agent to run its new binary");
            // `--no-block`: the job is queued and systemd stops this process; a blocking call
            // would be killed with the unit and read as a failed restart.
            run_checked(
                self.runner.as_ref(),
                Command::new("systemctl", ["--no-block", "restart", self.unit.as_str()]),
            )
            .await?;
            Ok(Restart::Pending { grace: self.grace })
        })
    }
}

/// Self-update inside a sandbox: the "binary" is `<sandbox>/usr/bin/dm-agent` (any executable
/// answering `--version`, a shell script in demos), the running version is
/// `<sandbox>/var/lib/dm-agent/version`, and a restart is what a sandbox reboot does to the
/// connection (drop it, pause, come back), after which the agent "runs" what the binary says.
pub struct SandboxAgentUpdater {
    /// The sandbox.
    dir: PathBuf,
    /// `<sandbox>/usr/bin/dm-agent`.
    binary: PathBuf,
    /// Runs the binary's `--version`.
    runner: Arc<dyn Runner>,
    /// Called after each restart (the simulator drops and restores the connection).
    hook: Option<RebootHook>,
}

impl SandboxAgentUpdater {
    /// A sandbox agent; installs a first "binary" reporting this build's version unless one is
    /// there already.
    pub fn new(dir: &Path, hook: Option<RebootHook>) -> DmResult<Self> {
        use std::os::unix::fs::PermissionsExt as _;
        let binary = dir.join("usr/bin/dm-agent");
        if !binary.exists() {
            if let Some(parent) = binary.parent() {
                super::ensure_dir(parent)?;
            }
            let script = format!("#!/bin/sh\necho \"dm-agent {AGENT_VERSION}\"\n");
            crate::state::write_atomic(&binary, script.as_bytes(), 0o755)?;
            // The umask may have taken the execute bits.
            std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| DmError::io("cannot make executable", &binary, e))?;
        }
        Ok(Self {
            dir: dir.to_owned(),
            binary,
            runner: Arc::new(SystemRunner::new()),
            hook,
        })
    }

    fn version_file(&self) -> PathBuf {
        self.dir.join("var/lib/dm-agent/version")
    }
}

impl AgentUpdater for SandboxAgentUpdater {
    fn status(&self) -> ProviderStatus {
        active(Backend::Sandbox)
    }

    fn running_version(&self) -> DmResult<String> {
        let path = self.version_file();
        match super::read_text(&path)? {
            Some(text) => {
                let version = text.trim().to_owned();
                dm_contract::check::agent_version("version", &version).map_err(|e| {
                    DmError::CorruptState {
                        path,
                        detail: e.to_string(),
                    }
                })?;
                Ok(version)
            }
            None => Ok(AGENT_VERSION.to_owned()),
        }
    }

    fn binary_path(&self) -> &Path {
        &self.binary
    }

    fn runner(&self) -> Arc<dyn Runner> {
        self.runner.clone()
    }

    fn restart(&self) -> BoxFuture<'_, DmResult<Restart>> {
        Box::pin(async move {
            // The restarted agent is whatever the binary now says it is.
            let output = probe_version(self.runner.as_ref(), &self.binary, None).await?;
            let version = parse_version_output(&output).ok_or_else(|| {
                DmError::failed(
                    dm_contract::error_code::RESTART_FAILED,
                    format!(
                        "`{} --version` printed no version the agent could read",
                        self.binary.display()
                    ),
                )
            })?;
            let file = self.version_file();
            if let Some(parent) = file.parent() {
                super::ensure_dir(parent)?;
            }
            crate::state::write_atomic(&file, format!("{version}\n").as_bytes(), 0o644)?;
            super::sandbox_journal(
                &self.dir,
                "dm-agent.service",
                &format!("restarted as dm-agent {version}"),
            );
            if let Some(hook) = &self.hook {
                hook();
            }
            Ok(Restart::Done)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;
    use crate::runner::{Output, RecordingRunner};

    #[test]
    fn version_output_is_read_as_words() {
        assert!(reports_version("dm-agent 0.2.0\n", "0.2.0"));
        assert!(reports_version("dm-agent v0.2.0", "0.2.0"));
        assert!(!reports_version("dm-agent 0.2.0-rc1", "0.2.0"));
        assert!(!reports_version("", "0.2.0"));
        assert_eq!(
            parse_version_output("\ndm-agent v1.4.2\nbuilt today").as_deref(),
            Some("1.4.2")
        );
        assert_eq!(
            parse_version_output("dm-agent"),
            Some("dm-agent".to_owned())
        );
        assert_eq!(parse_version_output("dm-agent 1 2~3"), None);
        assert_eq!(parse_version_output("   \n"), None);
    }

    #[test]
    fn install_keeps_the_previous_binary_and_restore_puts_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("dm-agent");
        std::fs::write(&binary, "old").unwrap();
        let new = dir.path().join("download");
        std::fs::write(&new, "new").unwrap();
        install_binary(&binary, &new).unwrap();
        assert_eq!(std::fs::read_to_string(&binary).unwrap(), "new");
        assert_eq!(
            std::fs::read_to_string(previous_path(&binary)).unwrap(),
            "old"
        );
        assert_eq!(
            std::fs::metadata(&binary).unwrap().permissions().mode() & 0o777,
            0o755
        );
        // Nothing staged is left behind.
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["dm-agent", "dm-agent.previous", "download"]);

        restore_previous(&binary).unwrap();
        assert_eq!(std::fs::read_to_string(&binary).unwrap(), "old");
        let err = restore_previous(&binary).unwrap_err();
        assert_eq!(err.code(), "rollbackFailed");
    }

    #[tokio::test]
    async fn linux_restart_runs_systemctl_on_the_configured_unit() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("dm-agent");
        std::fs::write(&binary, "bin").unwrap();
        let runner = RecordingRunner::new();
        let updater = LinuxAgentUpdater::new(Arc::new(runner.clone()), binary, "edge-dm.service");
        assert!(updater.status().active);
        assert_eq!(updater.running_version().unwrap(), AGENT_VERSION);
        assert!(matches!(
            updater.restart().await.unwrap(),
            Restart::Pending { .. }
        ));
        assert_eq!(
            runner.lines(),
            ["systemctl --no-block restart edge-dm.service"]
        );

        runner.answer(
            "systemctl --no-block restart",
            Output::failed(5, "Unit not found."),
        );
        let err = updater.restart().await.unwrap_err();
        assert!(err.to_string().contains("Unit not found"), "{err}");
    }

    #[test]
    fn linux_updater_is_inactive_without_systemctl_or_binary() {
        let dir = tempfile::tempdir().unwrap();
        let runner = RecordingRunner::new();
        let missing = LinuxAgentUpdater::new(
            Arc::new(runner.clone()),
            dir.path().join("nope"),
            "dm-agent.service",
        );
        assert!(!missing.status().active);
        runner.without(&["systemctl"]);
        let binary = dir.path().join("dm-agent");
        std::fs::write(&binary, "bin").unwrap();
        let no_systemd = LinuxAgentUpdater::new(Arc::new(runner), binary, "dm-agent.service");
        let status = no_systemd.status();
        assert!(!status.active);
        assert!(status.reason.unwrap().contains("systemctl"));
    }

    #[tokio::test]
    async fn sandbox_restart_runs_as_what_the_binary_says() {
        let dir = tempfile::tempdir().unwrap();
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let hook: RebootHook = {
            let calls = calls.clone();
            Arc::new(move || {
                calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            })
        };
        let updater = SandboxAgentUpdater::new(dir.path(), Some(hook)).unwrap();
        assert_eq!(updater.running_version().unwrap(), AGENT_VERSION);
        let out = probe_version(updater.runner().as_ref(), updater.binary_path(), None)
            .await
            .unwrap();
        assert!(reports_version(&out, AGENT_VERSION), "{out}");

        let new = dir.path().join("new");
        std::fs::write(&new, "#!/bin/sh\necho 'dm-agent 7.1.0'\n").unwrap();
        install_binary(updater.binary_path(), &new).unwrap();
        assert_eq!(updater.restart().await.unwrap(), Restart::Done);
        assert_eq!(updater.running_version().unwrap(), "7.1.0");
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
        // A new provider over the same sandbox keeps its binary and version.
        let again = SandboxAgentUpdater::new(dir.path(), None).unwrap();
        assert_eq!(again.running_version().unwrap(), "7.1.0");
    }
}
