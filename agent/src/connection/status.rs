//! The connection's state, as `dm-agent status` and the simulator see it.
//!
//! The daemon writes `connection.json` in the state directory whenever the link changes state
//! or converges on a new desired version, so `dm-agent status` (another process, maybe another
//! user) can answer "is this device connected, since when, and why not" without asking the
//! daemon.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::DmResult;
use crate::state::write_atomic;

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's signature
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The file name in the state directory.
pub const STATUS_FILE: &str = "connection.json";

/// The state of the link to the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LinkState {
    /// Not started yet, or between attempts for the first time.
    #[default]
    Connecting,
    /// The session is up.
    Connected,
    /// The last attempt failed or the session dropped; retrying after a delay.
    Disconnected,
    /// Deliberately offline for a while (a simulated reboot).
    Offline,
    /// The agent stopped.
    Stopped,
}

impl LinkState {
    /// The state's name, as in `connection.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Connected => "connected",
            Self::Disconnected => "disconnected",
            Self::Offline => "offline",
            Self::Stopped => "stopped",
        }
    }
}

/// `connection.json`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionStatus {
    /// The link state.
    pub state: LinkState,
    /// When it entered that state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
    /// The hub's host name.
    pub host_name: String,
    /// The device id.
    pub device_id: String,
    /// Where the agent connects (`mqtts://host:port` or the WebSocket URL).
    pub endpoint: String,
    /// When the last session came up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_connected_at: Option<Timestamp>,
    /// Why the last attempt or session failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Failed connection attempts since the last session came up.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub failed_attempts: u32,
    /// The desired `$version` the agent last converged on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_version: Option<u64>,
    /// The daemon's process id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
}

impl ConnectionStatus {
    /// Reads the status of the daemon using `state_dir`; `None` if none was ever written.
    pub fn read(state_dir: &Path) -> Option<Self> {
        let bytes = std::fs::read(state_dir.join(STATUS_FILE)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes it atomically to `path`.
    pub(crate) fn write(&self, path: &Path) -> DmResult<()> {
        let bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        write_atomic(path, &bytes, 0o644)
    }
}

/// The status file of a state directory.
pub fn status_path(state_dir: &Path) -> PathBuf {
    state_dir.join(STATUS_FILE)
}
