//! How an emulator instance is set up: where it keeps its state and how faithful it is to the
//! real hub's operational limits.

use std::path::PathBuf;
use std::time::Duration;

/// Configuration of one emulator instance.
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// Directory holding `hub.db`, `ca.pem` and the server certificate. Created if missing.
    pub data_dir: PathBuf,
    /// The logical hub host name devices and services put in tokens and MQTT usernames
    /// (e.g. `myhub.azure-devices.net`). Also accepted: `localhost[:port]`.
    pub hub_name: String,
    /// HTTPS (REST + MQTT over WebSocket) port; 0 picks a free port.
    pub https_port: u16,
    /// MQTT over TLS port; 0 picks a free port.
    pub mqtt_port: u16,
    /// Accepted clock skew for SAS token expiry, in seconds.
    pub clock_skew_secs: u64,
    /// How many jobs may run at once (S1 allows 1; the default is generous for local work).
    pub max_concurrent_jobs: usize,
    /// Query page size when a request sends no `x-ms-max-item-count` (pages are capped at 1000).
    pub page_size_default: usize,
    /// Simulate S1 throttling of the service API (queue up to 5 s, then 429001). Off by default.
    pub throttling: bool,
    /// Delay added before every service REST request is handled. Off by default.
    pub latency: Option<Duration>,
    /// The blob container device file uploads go to (the container linked to a real hub). It is
    /// served under `/{container}/` on the HTTPS listener, so it must be a valid Azure container
    /// name that does not shadow a REST route.
    pub upload_container: String,
    /// How long the SAS URI handed to a device for one upload stays valid (the real hub's
    /// default is one hour).
    pub upload_sas_ttl: Duration,
    /// The largest blob a device may upload, in bytes.
    pub max_blob_bytes: u64,
    /// Start even when other users can enter the data directory (which holds every key).
    /// Off by default: the server refuses, naming the directory and the `chmod` that fixes it.
    pub allow_insecure_permissions: bool,
    /// How many connections each listener holds, and how long a client may stall.
    pub limits: ConnectionLimits,
    /// How often automatic device management configurations are evaluated (the real hub: up
    /// to five minutes; here 5 s by default). A configuration change also starts a pass.
    pub configuration_interval: Duration,
}

/// What one client may hold of a listener: the hub must keep serving its connected sessions
/// while someone opens sockets and never finishes a handshake, a request or a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections each listener (HTTPS, MQTT) holds at once; more wait until one closes.
    /// HTTPS connections include devices on MQTT over WebSocket.
    pub max_connections: usize,
    /// How long a client may take to complete the TLS handshake.
    pub handshake_timeout: Duration,
    /// How long an HTTPS connection may wait for a request's headers. hyper counts the idle
    /// time between keep-alive requests against it too, so it is also the idle limit.
    pub header_read_timeout: Duration,
    /// How long a request body may go without sending data.
    pub body_idle_timeout: Duration,
}

impl Default for ConnectionLimits {
    /// 16384 connections per listener (room for the ten thousand simulated devices the hub is
    /// sized for), 10 s for a handshake, 60 s for headers (and keep-alive idle), 30 s of
    /// silence inside a body.
    fn default() -> Self {
        Self {
            max_connections: 16_384,
            handshake_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(60),
            body_idle_timeout: Duration::from_secs(30),
        }
    }
}

impl HubConfig {
    /// A configuration with the defaults: hub name `localhost`, ports 443 and 8883.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            hub_name: "localhost".to_string(),
            https_port: 443,
            mqtt_port: 8883,
            clock_skew_secs: 300,
            max_concurrent_jobs: 10,
            page_size_default: 100,
            throttling: false,
            latency: None,
            upload_container: "fileupload".to_string(),
            upload_sas_ttl: Duration::from_secs(3600),
            max_blob_bytes: 256 * 1024 * 1024,
            allow_insecure_permissions: false,
            limits: ConnectionLimits::default(),
            configuration_interval: Duration::from_secs(5),
        }
    }

    /// The same configuration on ephemeral ports (for tests and embedding).
    #[must_use]
    pub fn ephemeral(mut self) -> Self {
        self.https_port = 0;
        self.mqtt_port = 0;
        self
    }
}
