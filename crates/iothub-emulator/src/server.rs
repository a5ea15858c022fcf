//! Starting and stopping the emulator, and the connection strings that reach it.
//!
//! [`run`] is the embeddable server (listeners in, runs until the shutdown future resolves, in
//! the mini-redis style); [`start`] binds loopback ports and returns a [`RunningHub`] handle for
//! tests and embedding. The connection-string functions also work on a data directory with no
//! server running, for `dmctl hub connection-string`.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use iothub_auth::{ConnectionString, SharedAccessKey};
use iothub_model::{AuthenticationType, Device, ErrorCode};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::HubConfig;
use crate::connections::Connections;
use crate::error::EmulatorError;
use crate::hub::Hub;
use crate::identity::Identity;
use crate::registry::{self, Now};
use crate::rest;
use crate::store::Store;
use crate::tls::{self, TlsMaterial};

/// The sockets the emulator serves on.
#[derive(Debug)]
pub struct Listeners {
    /// HTTPS: the service REST API and MQTT over WebSocket.
    pub https: TcpListener,
    /// MQTT over TLS.
    pub mqtt: TcpListener,
}

/// Everything set up before serving: store opened, certificates ready, addresses known.
struct Prepared {
    /// The hub state shared by every listener.
    hub: Arc<Hub>,
    /// The CA and the server configurations.
    tls: TlsMaterial,
    /// The sockets to serve on.
    listeners: Listeners,
    /// Where HTTPS is bound.
    https_addr: SocketAddr,
    /// Where MQTT/TLS is bound.
    mqtt_addr: SocketAddr,
}

impl Prepared {
    fn new(listeners: Listeners, config: HubConfig) -> Result<Self, EmulatorError> {
        let https_addr = listeners
            .https
            .local_addr()
            .map_err(EmulatorError::Listen)?;
        let mqtt_addr = listeners.mqtt.local_addr().map_err(EmulatorError::Listen)?;
        let connections = Arc::new(Connections::new());
        crate::datadir::create_private_dir(&config.data_dir)?;
        crate::datadir::check_private(&config.data_dir, config.allow_insecure_permissions)?;
        let hub = Hub::open(config, connections, &[https_addr.port(), mqtt_addr.port()])?;
        hub.sweep_storage(true)?;
        let tls = tls::load_or_generate(&hub.config().data_dir, &hub.config().hub_name)?;
        // Last, once everything else worked: a record only of a hub that really started.
        let name = &hub.config().hub_name;
        crate::datadir::Endpoint {
            // A hub name may carry a port (`localhost:8443`); the record keeps ports apart.
            host_name: name.split(':').next().unwrap_or(name).to_string(),
            https_port: https_addr.port(),
            mqtt_port: mqtt_addr.port(),
        }
        .write(&hub.config().data_dir)?;
        tracing::info!(
            https = %https_addr,
            mqtt = %mqtt_addr,
            hub_name = %hub.config().hub_name,
            ca = %tls.ca_path.display(),
            "IoT Hub emulator listening (trust the CA certificate at `ca`)"
        );
        Ok(Self {
            hub: Arc::new(hub),
            tls,
            listeners,
            https_addr,
            mqtt_addr,
        })
    }

    /// Serves until `shutdown` is cancelled, or until a listener fails (then everything stops).
    async fn serve(self, shutdown: CancellationToken) -> Result<(), EmulatorError> {
        let hub = self.hub;
        let router = rest::service(Arc::clone(&hub), shutdown.clone());
        let backend: Arc<dyn crate::mqtt::DeviceBackend> = hub.clone();
        let mut rest = tokio::spawn(rest::serve(
            self.listeners.https,
            Arc::clone(&self.tls.https),
            router,
            hub.config().limits,
            shutdown.clone(),
        ));
        let mut mqtt = tokio::spawn(crate::mqtt::serve_tls(
            self.listeners.mqtt,
            Arc::clone(&self.tls.mqtt),
            backend,
            Arc::clone(hub.connections()),
            hub.config().limits,
            shutdown.clone(),
        ));
        let jobs = tokio::spawn(crate::jobs::run(Arc::clone(&hub), shutdown.clone()));
        let configurations = tokio::spawn(crate::configurations::run(
            Arc::clone(&hub),
            shutdown.clone(),
        ));
        let mut rest_result = None;
        let mut mqtt_result = None;
        tokio::select! {
            r = &mut rest => rest_result = Some(r),
            r = &mut mqtt => mqtt_result = Some(r),
        }
        // Whichever ended first (shutdown, or a failed listener), stop the rest too.
        shutdown.cancel();
        let rest_result = match rest_result {
            Some(r) => r,
            None => rest.await,
        };
        let mqtt_result = match mqtt_result {
            Some(r) => r,
            None => mqtt.await,
        };
        let mut outcome = Ok(());
        for (name, result) in [("HTTPS", rest_result), ("MQTT", mqtt_result)] {
            match result {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    tracing::error!(listener = name, error = %e, "listener failed");
                    if outcome.is_ok() {
                        outcome = Err(EmulatorError::Listen(e));
                    }
                }
                Err(e) => {
                    tracing::error!(listener = name, error = %e, "listener task ended abnormally");
                }
            }
        }
        let _ = jobs.await;
        let _ = configurations.await;
        tracing::info!("IoT Hub emulator stopped");
        outcome
    }
}

/// Runs the emulator on `listeners` until `shutdown` resolves: HTTPS (REST and MQTT over
/// WebSocket) on one, MQTT over TLS on the other, and the jobs scheduler.
///
/// On first start the data directory gets `hub.db`, the CA (`ca.pem`) and the server
/// certificate; later starts reuse them. Returns early with an error if a listener fails.
pub async fn run(
    listeners: Listeners,
    config: HubConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), EmulatorError> {
    let prepared = Prepared::new(listeners, config)?;
    let token = CancellationToken::new();
    let serve = prepared.serve(token.clone());
    tokio::pin!(serve);
    tokio::select! {
        result = &mut serve => return result,
        () = shutdown => {}
    }
    token.cancel();
    serve.await
}

/// Binds `127.0.0.1` on the configured ports (0 = any free port) and starts the emulator in
/// the background.
pub async fn start(config: HubConfig) -> Result<RunningHub, EmulatorError> {
    let https = TcpListener::bind(("127.0.0.1", config.https_port))
        .await
        .map_err(EmulatorError::Listen)?;
    let mqtt = TcpListener::bind(("127.0.0.1", config.mqtt_port))
        .await
        .map_err(EmulatorError::Listen)?;
    let prepared = Prepared::new(Listeners { https, mqtt }, config)?;
    let shutdown = CancellationToken::new();
    let hub = Arc::clone(&prepared.hub);
    let (https_addr, mqtt_addr) = (prepared.https_addr, prepared.mqtt_addr);
    let (ca_path, ca_pem) = (prepared.tls.ca_path.clone(), prepared.tls.ca_pem.clone());
    let task = tokio::spawn(prepared.serve(shutdown.clone()));
    Ok(RunningHub {
        hub,
        https_addr,
        mqtt_addr,
        ca_path,
        ca_pem,
        shutdown,
        task: Some(task),
    })
}

/// A running emulator started by [`start`]. Dropping it stops the server in the background;
/// [`RunningHub::shutdown`] stops it and waits.
pub struct RunningHub {
    /// The hub state, shared with the server task.
    hub: Arc<Hub>,
    /// Where HTTPS is bound.
    https_addr: SocketAddr,
    /// Where MQTT/TLS is bound.
    mqtt_addr: SocketAddr,
    /// `ca.pem` in the data directory.
    ca_path: PathBuf,
    /// The CA certificate's PEM text.
    ca_pem: String,
    /// Stops the server when cancelled (also on drop).
    shutdown: CancellationToken,
    /// The server task; taken by [`RunningHub::shutdown`].
    task: Option<JoinHandle<Result<(), EmulatorError>>>,
}

impl std::fmt::Debug for RunningHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningHub")
            .field("https_addr", &self.https_addr)
            .field("mqtt_addr", &self.mqtt_addr)
            .field("ca_path", &self.ca_path)
            .finish_non_exhaustive()
    }
}

/// `localhost`, or `localhost:{port}` when `port` is not the protocol's default.
fn local_host(port: u16, default: u16) -> String {
    if port == default {
        "localhost".to_string()
    } else {
        format!("localhost:{port}")
    }
}

impl RunningHub {
    /// Where HTTPS (REST and MQTT over WebSocket) is served.
    pub fn https_addr(&self) -> SocketAddr {
        self.https_addr
    }

    /// Where MQTT over TLS is served.
    pub fn mqtt_addr(&self) -> SocketAddr {
        self.mqtt_addr
    }

    /// The CA certificate clients must trust.
    pub fn ca_pem_path(&self) -> &Path {
        &self.ca_path
    }

    /// The CA certificate in PEM.
    pub fn ca_pem(&self) -> String {
        self.ca_pem.clone()
    }

    /// The hub, for tests that inspect or seed state directly.
    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// The `HostName` clients use: `localhost`, or `localhost:{port}` off port 443.
    pub fn host_name(&self) -> String {
        local_host(self.https_addr.port(), 443)
    }

    /// The `GatewayHostName` devices use for MQTT: `localhost`, or `localhost:{port}` off 8883.
    pub fn gateway_host_name(&self) -> String {
        local_host(self.mqtt_addr.port(), 8883)
    }

    /// A service connection string for `policy` (e.g. `iothubowner`).
    pub fn service_connection_string(
        &self,
        policy: &str,
    ) -> Result<ConnectionString, EmulatorError> {
        policy_connection_string(self.hub.store(), policy, &self.host_name())
    }

    /// A device connection string (with `GatewayHostName`), registering the device first when
    /// `create` is set and it does not exist.
    pub fn device_connection_string(
        &self,
        device_id: &str,
        create: bool,
    ) -> Result<ConnectionString, EmulatorError> {
        device_connection_string(
            self.hub.store(),
            device_id,
            create,
            &self.host_name(),
            Some(&self.gateway_host_name()),
        )
    }

    /// Stops the server and waits until it has stopped.
    pub async fn shutdown(mut self) -> Result<(), EmulatorError> {
        self.shutdown.cancel();
        match self.task.take() {
            Some(task) => task.await.map_err(|e| {
                EmulatorError::Listen(std::io::Error::other(format!("server task failed: {e}")))
            })?,
            None => Ok(()),
        }
    }
}

impl Drop for RunningHub {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

fn policy_connection_string(
    store: &Store,
    policy: &str,
    host_name: &str,
) -> Result<ConnectionString, EmulatorError> {
    let policies = store.policies()?;
    let found = policies.iter().find(|p| p.name == policy).ok_or_else(|| {
        let names: Vec<&str> = policies.iter().map(|p| p.name.as_str()).collect();
        EmulatorError::hub(
            ErrorCode::ArgumentInvalid,
            format!(
                "no shared access policy is named '{policy}' (the hub has: {})",
                names.join(", ")
            ),
        )
    })?;
    let key = SharedAccessKey::from_base64(&found.primary_key)
        .map_err(|e| EmulatorError::Corrupt(format!("policy '{policy}' key: {e}")))?;
    Ok(ConnectionString::for_hub_policy(host_name, policy, key))
}

fn device_connection_string(
    store: &Store,
    device_id: &str,
    create: bool,
    host_name: &str,
    gateway_host_name: Option<&str>,
) -> Result<ConnectionString, EmulatorError> {
    let now = Now::current();
    // Read first: only a device that must be created needs the write lock (see
    // `Store::ensure_default_policies` for why a tool beside a running hub avoids it).
    let found = store.with_read_tx(|tx| tx.identity(device_id, None))?;
    let record = match found {
        Some(record) => record,
        None => store.with_tx(|tx| match tx.identity(device_id, None)? {
            Some(record) => Ok(record),
            None if create => {
                // No session can exist for a device that did not exist: no effects to apply.
                let (record, _effects) =
                    registry::put_device(tx, device_id, &Device::default(), None, &now)?;
                Ok(record)
            }
            None => registry::load(tx, &Identity::device(device_id.to_string())),
        })?,
    };
    let device = registry::device_of(&record)?;
    let auth = device.authentication.unwrap_or_default();
    let primary = auth
        .symmetric_key
        .and_then(|k| k.primary_key)
        .filter(|k| !k.is_empty() && auth.type_.is_none_or(|t| t == AuthenticationType::Sas))
        .ok_or_else(|| {
            EmulatorError::hub(
                ErrorCode::InvalidOperation,
                format!("device '{device_id}' does not use symmetric keys, so it has no connection string"),
            )
        })?;
    let key = SharedAccessKey::from_base64(&primary)
        .map_err(|e| EmulatorError::Corrupt(format!("device '{device_id}' key: {e}")))?;
    let cs = ConnectionString::for_device(host_name, device_id, key);
    Ok(match gateway_host_name {
        Some(gateway) => cs.with_gateway(gateway),
        None => cs,
    })
}

/// A service connection string for `policy` from the hub in `data_dir`, with no server running
/// (`host_name` is what clients dial, e.g. `localhost:8443`).
pub fn connection_string_for_policy(
    data_dir: &Path,
    policy: &str,
    host_name: &str,
) -> Result<ConnectionString, EmulatorError> {
    policy_connection_string(&Store::open(data_dir)?, policy, host_name)
}

/// A device connection string from the hub in `data_dir`, with no server running; registers
/// the device first when `create` is set. `gateway_host_name` (e.g. `localhost:8883`) is where
/// devices reach MQTT when it differs from `host_name`.
pub fn connection_string_for_device(
    data_dir: &Path,
    device_id: &str,
    create: bool,
    host_name: &str,
    gateway_host_name: Option<&str>,
) -> Result<ConnectionString, EmulatorError> {
    device_connection_string(
        &Store::open(data_dir)?,
        device_id,
        create,
        host_name,
        gateway_host_name,
    )
}
