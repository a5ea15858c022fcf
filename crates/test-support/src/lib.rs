//! Shared pieces of the workspace's tests, written once instead of in every test tree:
//! [`eventually`] (wait until something another task does has happened), [`fault_proxy`] (a TCP
//! proxy that injects network faults) and [`LocalHub`] (the
//! local IoT Hub emulator on ephemeral ports, with its data directory and an owner client).
//!
//! A dev-dependency only (`publish = false`). The hub's own integration tests use it too: an
//! integration test links the crate under test once, so the types agree.

#![warn(missing_docs, unreachable_pub, clippy::print_stdout)]

pub mod fault_proxy;

use std::time::Duration;

use iothub_client::ServiceClient;
use iothub_emulator::{HubConfig, RunningHub};

/// How often [`eventually`] looks again.
const POLL: Duration = Duration::from_millis(25);

/// Looks with `check` until it returns `Some`, every 25 ms, for at most `within`; panics
/// naming `what` when time runs out. For effects that land on another task or process.
///
/// Uses tokio's clock: under paused time the pauses cost nothing.
pub async fn eventually<T>(
    within: Duration,
    what: &str,
    mut check: impl AsyncFnMut() -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {within:?} waiting for {what}"
        );
        tokio::time::sleep(POLL).await;
    }
}

/// A local hub on ephemeral ports with its own data directory (deleted when dropped).
pub struct LocalHub {
    /// The running hub.
    pub hub: RunningHub,
    /// Its data directory.
    pub data: tempfile::TempDir,
}

impl LocalHub {
    /// Starts a hub with the default test configuration.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts a hub after `configure` adjusts its configuration.
    pub async fn start_with(configure: impl FnOnce(&mut HubConfig)) -> Self {
        let data = tempfile::tempdir().expect("a temporary data directory");
        let mut config = HubConfig::new(data.path()).ephemeral();
        configure(&mut config);
        let hub = iothub_emulator::start(config)
            .await
            .expect("the hub starts");
        Self { hub, data }
    }

    /// A service client of the `iothubowner` policy that trusts the hub's CA.
    pub fn owner_client(&self) -> ServiceClient {
        owner_client(&self.hub)
    }
}

/// A service client of `hub`'s `iothubowner` policy that trusts the hub's CA.
pub fn owner_client(hub: &RunningHub) -> ServiceClient {
    let cs = hub
        .service_connection_string("iothubowner")
        .expect("the owner policy exists");
    ServiceClient::builder(&cs.expose_secret())
        .expect("the owner connection string parses")
        .add_root_ca_pem(hub.ca_pem().as_bytes())
        .build()
        .expect("the client builds")
}
