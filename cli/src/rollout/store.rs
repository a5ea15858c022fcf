//! The local side of a rollout: its plan, its last known status, the operator's requests and
//! the lock of the process running it, under `$XDG_STATE_HOME/dmctl/rollouts/`.
//!
//! Per-device state lives in the hub (twin tags); what lives here is what only this machine
//! needs: the plan itself (it holds the operation's arguments, which may include a signed URL,
//! hence 0600 files in a 0700 directory), and three small files that let other processes talk
//! to the one running the rollout without touching the hub:
//!
//! - `NAME.json` — the plan and the status, written only by the process running the rollout
//!   (and by `start` before it runs), atomically (write then rename);
//! - `NAME.control` — `run`, `pause` or `abort`, written by `rollout pause|resume|abort` and
//!   read by the running process before every device and while it waits;
//! - `NAME.lock` — held (an OS file lock) by the running process: a process killed with
//!   `kill -9` releases it, so "running" never outlives the process and `resume` can tell a
//!   live rollout from an orphaned one.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::spec::RolloutSpec;
use crate::config::{create_private_dir, write_private};
use crate::exit::{CliError, Exit};

/// What the operator asked of a rollout, through the control file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Request {
    /// Go on.
    Run,
    /// Hold before the next wave.
    Pause,
    /// Start nothing more.
    Abort,
}

/// Where a rollout stands, as its runner last wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// A wave is in progress (or the runner was killed during one: see the lock).
    Running,
    /// Holding between waves until `resume`.
    Paused,
    /// Waiting for the maintenance window or the bake time.
    Waiting,
    /// `abort` stopped it.
    Aborted,
    /// Failures crossed `--max-failures`.
    Stopped,
    /// Every wave ran.
    Completed,
}

impl Status {
    /// The name shown in tables.
    pub fn name(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Waiting => "waiting",
            Status::Aborted => "aborted",
            Status::Stopped => "stopped",
            Status::Completed => "completed",
        }
    }

    /// Whether nothing more will happen.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Aborted | Status::Stopped | Status::Completed)
    }
}

/// `NAME.json`: the plan and its status.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalRollout {
    /// The plan.
    pub spec: RolloutSpec,
    /// Its hash, as written in the devices' tags.
    pub hash: String,
    /// The status the runner last wrote.
    pub status: Status,
    /// Why it stopped, or what it waits for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The wave in progress or next, from 1.
    pub wave: usize,
    /// When it was created.
    pub created: Timestamp,
    /// When the status was last written.
    pub updated: Timestamp,
}

/// The rollouts directory.
#[derive(Debug, Clone)]
pub struct Store {
    /// `$XDG_STATE_HOME/dmctl/rollouts`.
    dir: PathBuf,
}

/// The running process's hold on a rollout; released on drop or when the process dies.
#[derive(Debug)]
pub struct RunLock {
    /// The locked file (the lock lives as long as it is open).
    _file: fs::File,
}

impl Store {
    /// The default directory (`$XDG_STATE_HOME/dmctl/rollouts`).
    pub fn open_default() -> Result<Self, CliError> {
        Ok(Self::at(
            crate::config::default_state_dir()?.join("rollouts"),
        ))
    }

    /// A store in `dir` (tests).
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn path(&self, name: &str, ext: &str) -> PathBuf {
        self.dir.join(format!("{name}.{ext}"))
    }

    fn ensure_dir(&self) -> Result<(), CliError> {
        create_private_dir(&self.dir).map_err(|e| io_error(&self.dir, e))
    }

    /// Writes `NAME.json` atomically, owner-only.
    pub fn save(&self, rollout: &LocalRollout) -> Result<(), CliError> {
        self.ensure_dir()?;
        let path = self.path(&rollout.spec.name, "json");
        let tmp = self.path(&rollout.spec.name, "json.tmp");
        let bytes = serde_json::to_vec_pretty(rollout)
            .map_err(|e| CliError::failure(format!("internal: rollout state: {e}")))?;
        write_private(&tmp, &bytes).map_err(|e| io_error(&tmp, e))?;
        fs::rename(&tmp, &path).map_err(|e| io_error(&path, e))
    }

    /// Reads `NAME.json`, if this machine has the rollout.
    pub fn load(&self, name: &str) -> Result<Option<LocalRollout>, CliError> {
        let path = self.path(name, "json");
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(&path, e)),
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            CliError::failure(format!("rollout state {} is damaged ({e})", path.display()))
                .with_hint("move it away to start the rollout again from its twin tags")
        })
    }

    /// Every rollout kept here, by name.
    pub fn list(&self) -> Result<Vec<LocalRollout>, CliError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&self.dir, e)),
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".json").map(str::to_owned)
            })
            .collect();
        names.sort();
        let mut rollouts = Vec::new();
        for name in names {
            if let Some(rollout) = self.load(&name)? {
                rollouts.push(rollout);
            }
        }
        Ok(rollouts)
    }

    /// The operator's last request (`run` when none was made).
    pub fn request(&self, name: &str) -> Result<Request, CliError> {
        let path = self.path(name, "control");
        match fs::read_to_string(&path) {
            Ok(text) => match text.trim() {
                "pause" => Ok(Request::Pause),
                "abort" => Ok(Request::Abort),
                _ => Ok(Request::Run),
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Request::Run),
            Err(e) => Err(io_error(&path, e)),
        }
    }

    /// Records the operator's request for the running process to see.
    pub fn set_request(&self, name: &str, request: Request) -> Result<(), CliError> {
        self.ensure_dir()?;
        let text = match request {
            Request::Run => "run",
            Request::Pause => "pause",
            Request::Abort => "abort",
        };
        let path = self.path(name, "control");
        let tmp = self.path(name, "control.tmp");
        write_private(&tmp, text.as_bytes()).map_err(|e| io_error(&tmp, e))?;
        fs::rename(&tmp, &path).map_err(|e| io_error(&path, e))
    }

    /// Takes the run lock; `None` when another live process holds it.
    pub fn lock(&self, name: &str) -> Result<Option<RunLock>, CliError> {
        self.ensure_dir()?;
        let path = self.path(name, "lock");
        let file = open_lock_file(&path).map_err(|e| io_error(&path, e))?;
        match try_lock(&file) {
            Ok(true) => Ok(Some(RunLock { _file: file })),
            Ok(false) => Ok(None),
            Err(e) => Err(io_error(&path, e)),
        }
    }

    /// Whether a live process is running the rollout (holds its lock).
    pub fn is_running(&self, name: &str) -> Result<bool, CliError> {
        if !self.path(name, "lock").exists() {
            return Ok(false);
        }
        Ok(self.lock(name)?.is_none())
    }
}

fn io_error(what: &Path, e: io::Error) -> CliError {
    CliError::io(format!("rollout state {}", what.display()), e)
}

/// Takes an exclusive advisory lock without waiting; `false` when another open file holds it.
#[cfg(unix)]
fn try_lock(file: &fs::File) -> io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Without flock, every process believes it is alone (rollouts are driven from Unix hosts).
#[cfg(not(unix))]
fn try_lock(_file: &fs::File) -> io::Result<bool> {
    Ok(true)
}

#[cfg(unix)]
fn open_lock_file(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_lock_file(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// The error for a rollout this machine does not have.
pub fn not_found(name: &str) -> CliError {
    CliError::new(
        Exit::NotFound,
        format!("no rollout named '{name}' on this machine"),
    )
    .with_hint(
        "`dmctl rollout list` shows the rollouts kept here; a rollout started elsewhere resumes here with the same `dmctl rollout start` command",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollout::spec::Amount;

    fn rollout(name: &str) -> LocalRollout {
        let spec = RolloutSpec {
            name: name.into(),
            target: "*".into(),
            operation: vec!["reboot".into()],
            waves: vec![vec!["d1".into()]],
            bake_secs: 0,
            max_failures: Amount::Count(0),
            success: None,
            window: None,
            concurrency: 4,
            timeout_secs: 60,
        };
        LocalRollout {
            hash: spec.hash(),
            spec,
            status: Status::Running,
            reason: None,
            wave: 1,
            created: Timestamp::UNIX_EPOCH,
            updated: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn plans_are_private_and_requests_reach_the_runner() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("rollouts"));
        store.save(&rollout("r1")).unwrap();
        assert_eq!(store.load("r1").unwrap().unwrap().spec.name, "r1");
        assert!(store.load("r2").unwrap().is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = |p: PathBuf| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(dir.path().join("rollouts")), 0o700);
            assert_eq!(mode(dir.path().join("rollouts/r1.json")), 0o600);
        }
        assert_eq!(store.request("r1").unwrap(), Request::Run);
        store.set_request("r1", Request::Pause).unwrap();
        assert_eq!(store.request("r1").unwrap(), Request::Pause);
        assert_eq!(store.list().unwrap().len(), 1);
    }

    #[test]
    fn one_process_runs_a_rollout_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        assert!(!store.is_running("r1").unwrap());
        let held = store.lock("r1").unwrap().expect("free");
        assert!(store.lock("r1").unwrap().is_none(), "held");
        assert!(store.is_running("r1").unwrap());
        drop(held);
        assert!(!store.is_running("r1").unwrap());
    }
}
