//! The device's own connection to IoT Hub: MQTT 3.1.1 over TLS (8883) or a secure WebSocket
//! (443), the way the hub's device SDKs speak it.
//!
//! This is the daemon's side of the [`Transport`](crate::transport::Transport) seam: it keeps
//! one session up forever (capped, jittered backoff; a fresh SAS token before the old one
//! expires), subscribes and re-reads the twin on every connect so desired state converges even
//! after a long time offline, hands method calls and desired patches to an [`Inbound`] handler,
//! and delivers reported patches from an on-disk queue, in order, exactly when the hub has
//! acknowledged them. An application that owns the device's connection itself does not use
//! this module (see `examples/integrated.rs`).

pub mod backoff;
pub mod credentials;
mod files;
mod handler;
mod link;
pub mod queue;
pub mod status;
pub mod tls;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use backoff::ReconnectPolicy;
pub use credentials::{DeviceAuth, DeviceIdentity};
pub(crate) use files::error_chain;
pub use handler::{DmInbound, Inbound};
pub use link::MqttConnection;
pub use status::{ConnectionStatus, LinkState};

use crate::error::DmError;

/// Where the MQTT session goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// MQTT over TLS to `host:port`.
    Tls {
        /// The host (also the TLS server name).
        host: String,
        /// The port (8883 on a real hub).
        port: u16,
    },
    /// MQTT over a secure WebSocket at `url` (`wss://host:443/$iothub/websocket`).
    WebSocket {
        /// The URL.
        url: String,
    },
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Tls { host, port } => write!(f, "mqtts://{host}:{port}"),
            Self::WebSocket { url } => f.write_str(url),
        }
    }
}

/// Everything the connection needs to know.
#[derive(Debug, Clone)]
pub struct ConnectionSettings {
    /// Who the device is and how it authenticates.
    pub identity: DeviceIdentity,
    /// Where to connect.
    pub endpoint: Endpoint,
    /// An extra CA certificate (PEM) to trust besides the system's.
    pub ca_pem: Option<Vec<u8>>,
    /// Lifetime of each SAS token; the session is renewed at 80 % of it.
    pub token_ttl: Duration,
    /// Renews the session this long after it came up instead of at 80 % of
    /// [`token_ttl`](Self::token_ttl) (never later than the token's end). `None` outside tests:
    /// the renewal point is injectable so a test sees several renewals in seconds, not minutes.
    pub renew_after: Option<Duration>,
    /// MQTT keep-alive.
    pub keep_alive: Duration,
    /// Reconnection backoff.
    pub reconnect: ReconnectPolicy,
    /// How long a twin request (GET or reported PATCH) may wait for the hub's answer.
    pub request_timeout: Duration,
    /// The state directory: the report queue (`reported-queue/`) and `connection.json` live here.
    pub state_dir: PathBuf,
}

impl ConnectionSettings {
    /// Settings with the defaults: MQTT over TLS to the gateway or hub, 1 h tokens, 60 s
    /// keep-alive, backoff from 1 s to 60 s.
    pub fn new(identity: DeviceIdentity, state_dir: &Path) -> Result<Self, DmError> {
        let (host, port) = identity.mqtt_endpoint(None)?;
        Ok(Self {
            identity,
            endpoint: Endpoint::Tls { host, port },
            ca_pem: None,
            token_ttl: Duration::from_secs(3600),
            renew_after: None,
            keep_alive: Duration::from_secs(60),
            reconnect: ReconnectPolicy::default(),
            request_timeout: Duration::from_secs(30),
            state_dir: state_dir.to_owned(),
        })
    }

    /// The report queue directory.
    pub fn queue_dir(&self) -> PathBuf {
        queue_dir(&self.state_dir)
    }
}

/// The report queue directory of a state directory.
pub fn queue_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("reported-queue")
}
