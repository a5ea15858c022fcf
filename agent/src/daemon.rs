//! The one way to run the agent: [`run`]`(config, shutdown)`.
//!
//! The `dm-agent run` binary, `dmctl simulate` (one daemon per simulated device) and the tests
//! all go through here, so what they exercise is what a device runs: the MQTT connection, the
//! [`Agent`] dispatcher behind it, and (when configured) the busy-lease socket. The shape is
//! mini-redis's `run(listener, shutdown)`: the caller decides what stopping means (SIGTERM for
//! the binary, a channel for the simulator), the daemon finishes in-flight work and returns.
//!
//! [`Daemon::start`] prepares everything without touching the network and hands out the
//! connection and the dispatcher, for callers that watch the link (the simulator waits for
//! every device to connect) before calling [`Daemon::run`].

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use dm_contract::LogLevel;
use tokio::net::UnixListener;

use crate::client::inject::FailureHook;
use crate::client::{Agent, LogLevelHook, Settings};
use crate::connection::{ConnectionSettings, DmInbound, MqttConnection};
use crate::error::DmResult;
use crate::leases::Leases;
use crate::providers::{LinuxOptions, RebootHook};
use crate::runner::SystemRunner;

/// How long shutdown waits for the lease server to close its connections.
const LEASE_SERVER_GRACE: Duration = Duration::from_secs(5);

/// Which providers the daemon drives.
#[derive(Debug, Clone)]
pub enum Backend {
    /// Act on the host (systemd, apt, the network stack…) through commands.
    Linux(LinuxOptions),
    /// Act inside a directory: demos, simulation, tests.
    Sandbox {
        /// The sandbox directory.
        dir: PathBuf,
        /// A sandbox reboot drops the connection and stays offline this long before
        /// reconnecting, as a device does while it reboots (`None`: the reboot is only
        /// recorded).
        reboot_downtime: Option<Duration>,
    },
}

/// The busy-lease socket applications on the device use.
#[derive(Debug, Clone)]
pub struct LeaseSocket {
    /// The socket path (removed again on shutdown).
    pub path: PathBuf,
    /// The group allowed to connect, besides the agent's user.
    pub group: Option<String>,
}

/// Everything the daemon needs: the connection, where its state lives, what it acts on.
pub struct DaemonConfig {
    /// The hub connection (its `state_dir` is also the dispatcher's state directory).
    pub connection: ConnectionSettings,
    /// What the providers act on.
    pub backend: Backend,
    /// Where applications take busy leases; `None` serves no socket (leases can still be taken
    /// through [`Agent::leases`]).
    pub lease_socket: Option<LeaseSocket>,
    /// The leases, when the caller shares them (default: persisted in the state directory).
    pub leases: Option<Leases>,
    /// The configured log level and how to change it (`dm.diagnostics.setLogLevel`).
    pub log_level: Option<(LogLevel, LogLevelHook)>,
    /// Timeouts and limits of the dispatcher.
    pub settings: Settings,
    /// Methods this device fails on purpose (simulated devices: `dmctl simulate --fail`).
    pub failures: Option<FailureHook>,
}

impl std::fmt::Debug for DaemonConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DaemonConfig")
            .field("connection", &self.connection)
            .field("backend", &self.backend)
            .field("lease_socket", &self.lease_socket)
            .finish_non_exhaustive()
    }
}

impl DaemonConfig {
    /// A daemon on `connection` acting through `backend`, with no lease socket and the
    /// default dispatcher settings.
    pub fn new(connection: ConnectionSettings, backend: Backend) -> Self {
        Self {
            connection,
            backend,
            lease_socket: None,
            leases: None,
            log_level: None,
            settings: Settings::default(),
            failures: None,
        }
    }
}

/// A prepared daemon: connection opened (not yet connected), dispatcher built, lease socket
/// bound.
pub struct Daemon {
    /// The hub connection.
    connection: Arc<MqttConnection>,
    /// The dispatcher.
    agent: Arc<Agent>,
    /// The bound lease socket, its path and the leases it serves.
    lease_socket: Option<(UnixListener, PathBuf, Leases)>,
}

impl std::fmt::Debug for Daemon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Daemon")
            .field("connection", &self.connection)
            .finish_non_exhaustive()
    }
}

impl Daemon {
    /// Opens the connection (TLS set-up, report queue), builds the dispatcher and binds the
    /// lease socket. Nothing touches the network until [`Daemon::run`]. Must be called inside a
    /// tokio runtime.
    ///
    /// # Errors
    ///
    /// A setting that cannot work ([`DmError::is_setting`](crate::DmError::is_setting) tells
    /// which), or a state directory or socket that cannot be created.
    pub fn start(config: DaemonConfig) -> DmResult<Self> {
        let DaemonConfig {
            connection: settings,
            backend,
            lease_socket,
            leases,
            log_level,
            settings: agent_settings,
            failures,
        } = config;
        let device_id = settings.identity.device_id.clone();
        let state_dir = settings.state_dir.clone();
        // Blobs of a local hub are served with the hub's own CA: trust it for uploads too.
        let storage_ca = settings.ca_pem.clone();
        let connection = MqttConnection::open(settings)?;
        let mut builder = Agent::builder(connection.clone())
            .device_id(device_id)
            .state_dir(&state_dir)
            .settings(agent_settings)
            .storage_ca_pem(storage_ca);
        if let Some(leases) = leases {
            builder = builder.leases(leases);
        }
        if let Some((level, hook)) = log_level {
            builder = builder.log_level(level, hook);
        }
        if let Some(hook) = failures {
            builder = builder.inject_failures(hook);
        }
        builder = match backend {
            Backend::Sandbox {
                dir,
                reboot_downtime,
            } => {
                let builder = builder.sandbox(dir);
                match reboot_downtime {
                    Some(downtime) => {
                        let weak = Arc::downgrade(&connection);
                        let hook: RebootHook = Arc::new(move || {
                            if let Some(connection) = weak.upgrade() {
                                connection.go_offline(downtime);
                            }
                        });
                        builder.reboot_hook(hook)
                    }
                    None => builder,
                }
            }
            Backend::Linux(options) => builder
                .linux(Arc::new(SystemRunner::new()))
                .linux_options(options),
        };
        let agent = Arc::new(builder.build()?);
        let lease_socket = match lease_socket {
            Some(socket) => {
                let listener = crate::leases::server::bind(&socket.path, socket.group.as_deref())?;
                Some((listener, socket.path, agent.leases().clone()))
            }
            None => None,
        };
        Ok(Self {
            connection,
            agent,
            lease_socket,
        })
    }

    /// The hub connection (link state, going offline).
    pub fn connection(&self) -> &Arc<MqttConnection> {
        &self.connection
    }

    /// The dispatcher.
    pub fn agent(&self) -> &Arc<Agent> {
        &self.agent
    }

    /// Serves the hub and the lease socket until `shutdown` completes, then disconnects, stops
    /// the dispatcher's background work and removes the lease socket.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let Self {
            connection,
            agent,
            lease_socket,
        } = self;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let lease_server = lease_socket.map(|(listener, path, leases)| {
            let mut stop = stop_rx.clone();
            let task = tokio::spawn(crate::leases::server::serve(listener, leases, async move {
                let _ = stop.wait_for(|s| *s).await;
            }));
            (task, path)
        });
        let handler = Arc::new(DmInbound::new(agent.clone(), connection.clone()));
        connection.run(handler, shutdown).await;
        let _ = stop_tx.send(true);
        agent.shutdown().await;
        if let Some((task, path)) = lease_server {
            let _ = tokio::time::timeout(LEASE_SERVER_GRACE, task).await;
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Runs the agent described by `config` until `shutdown` completes.
///
/// # Errors
///
/// As [`Daemon::start`]; once running, connection failures are retried, never returned.
pub async fn run(config: DaemonConfig, shutdown: impl Future<Output = ()>) -> DmResult<()> {
    Daemon::start(config)?.run(shutdown).await;
    Ok(())
}
