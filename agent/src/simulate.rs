//! Many agents in one process, each with its own hub connection and sandbox providers.
//!
//! `dmctl simulate` and `dmctl demo` use this to give people a fleet without devices: for demos,
//! load tests, and developing back ends against real agent behaviour. Every simulated device is
//! a full agent (the same [`DmClient`] and [`MqttConnection`] as the daemon), acting inside its
//! own directory; a sandbox reboot drops the connection, stays offline a moment and comes back
//! with a new boot time, as a real device would.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use iothub_auth::{ConnectionString, SharedAccessKey};
use iothub_client::ServiceClient;
use iothub_client::model::{AuthenticationType, Device};
use tokio::task::JoinSet;

use crate::artifacts::ArtifactPolicy;
pub use crate::client::inject::InjectedFailure;
use crate::client::{DmClient, Settings};
use crate::connection::{
    ConnectionSettings, DeviceIdentity, DmInbound, LinkState, MqttConnection, ReconnectPolicy,
};
use crate::error::{DmError, DmResult};
use crate::providers::RebootHook;

/// Which devices to simulate and how to reach them.
#[derive(Debug, Clone)]
pub enum SimulatedDevices {
    /// A service (policy) connection string: devices `{prefix}1` … `{prefix}{count}` are looked
    /// up through the service API (and registered first when `create` is set) for their keys.
    Service {
        /// The hub policy connection string (needs registry read, and write with `create`).
        connection_string: Box<ConnectionString>,
        /// How many devices.
        count: usize,
        /// The device id prefix.
        prefix: String,
        /// Register the devices that do not exist.
        create: bool,
    },
    /// Ready device connection strings, one agent each.
    Devices(Vec<ConnectionString>),
}

/// The simulation's settings.
#[derive(Debug, Clone)]
pub struct SimulateOptions {
    /// The devices.
    pub devices: SimulatedDevices,
    /// An extra CA certificate (PEM) to trust, e.g. a local hub's.
    pub ca_pem: Option<Vec<u8>>,
    /// Where devices open MQTT when it is not the hub's host name (a local hub:
    /// `localhost:8883`); overrides the `GatewayHostName` of device strings.
    pub gateway_host_name: Option<String>,
    /// Each device gets `{sandbox_root}/{device id}/` with its sandbox and state directory.
    pub sandbox_root: PathBuf,
    /// How long a sandbox reboot keeps a device offline.
    pub reboot_downtime: Duration,
    /// Methods a share of the devices fail on purpose (`dmctl simulate --fail`).
    pub failures: Vec<FailRule>,
    /// The devices' artefact rules. By default https only and no publisher keys, like a real
    /// agent; preflights keep the simulator's own privileges (the sandboxes are its private
    /// directories, which an unprivileged user could not enter).
    pub artifacts: ArtifactPolicy,
}

/// `--fail METHOD[=CODE]:PERCENT`: that share of the devices, chosen by a stable hash of the
/// device id (the same devices on every run), fail `method` as `failure` says.
#[derive(Debug, Clone, PartialEq)]
pub struct FailRule {
    /// The method (`dm.apps.install`).
    pub method: String,
    /// How it fails.
    pub failure: InjectedFailure,
    /// The share of devices, 0 to 100.
    pub percent: f64,
}

impl FailRule {
    /// Whether `device_id` is among the devices this rule fails.
    pub fn selects(&self, device_id: &str) -> bool {
        // 64-bit FNV-1a: stable across runs, platforms and Rust versions (unlike std's
        // RandomState), which is the point.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in device_id.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        #[expect(clippy::cast_precision_loss, reason = "a bucket below 10,000")]
        let bucket = (hash % 10_000) as f64;
        bucket < self.percent * 100.0
    }
}

impl SimulateOptions {
    /// Options for `devices` under `sandbox_root`, with a 3 s reboot.
    pub fn new(devices: SimulatedDevices, sandbox_root: impl Into<PathBuf>) -> Self {
        Self {
            devices,
            ca_pem: None,
            gateway_host_name: None,
            sandbox_root: sandbox_root.into(),
            reboot_downtime: Duration::from_secs(3),
            failures: Vec::new(),
            artifacts: ArtifactPolicy {
                preflight_user: None,
                ..ArtifactPolicy::default()
            },
        }
    }
}

/// One simulated device.
struct SimAgent {
    /// Its connection.
    connection: Arc<MqttConnection>,
    /// Its DM client.
    client: Arc<DmClient>,
}

/// A running simulation.
pub struct Simulation {
    /// The devices, in order.
    agents: Vec<(String, SimAgent)>,
    /// Stops every connection.
    stop: tokio::sync::watch::Sender<bool>,
    /// The connection tasks.
    tasks: JoinSet<()>,
}

impl std::fmt::Debug for Simulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulation")
            .field("devices", &self.agents.len())
            .finish_non_exhaustive()
    }
}

/// The device connection strings of the simulation, registering devices when asked.
async fn device_strings(
    devices: &SimulatedDevices,
    ca_pem: Option<&[u8]>,
) -> DmResult<Vec<ConnectionString>> {
    match devices {
        SimulatedDevices::Devices(list) => Ok(list.clone()),
        SimulatedDevices::Service {
            connection_string,
            count,
            prefix,
            create,
        } => {
            if *count == 0 {
                return Err(DmError::Config(
                    "the device count must be at least 1".into(),
                ));
            }
            let service = ServiceClient::builder(&connection_string.expose_secret())
                .and_then(|builder| match ca_pem {
                    Some(pem) => builder.add_root_ca_pem(pem).build(),
                    None => builder.build(),
                })
                .map_err(|source| DmError::Service {
                    device: format!("{prefix}*"),
                    source: Box::new(source),
                })?;
            let mut out = Vec::with_capacity(*count);
            for n in 1..=*count {
                let id = format!("{prefix}{n}");
                let device = match service.get_device(&id).await {
                    Ok(device) => device,
                    Err(e) if e.is_not_found() && *create => {
                        tracing::info!(device = %id, "registering the device");
                        let new = Device {
                            device_id: id.clone(),
                            ..Device::default()
                        };
                        service
                            .create_device(&new)
                            .await
                            .map_err(|source| DmError::Service {
                                device: id.clone(),
                                source: Box::new(source),
                            })?
                    }
                    Err(e) if e.is_not_found() => {
                        return Err(DmError::NotFound(format!(
                            "device `{id}` does not exist (register it, or ask for missing devices to be created)"
                        )));
                    }
                    Err(source) => {
                        return Err(DmError::Service {
                            device: id,
                            source: Box::new(source),
                        });
                    }
                };
                out.push(device_connection_string(
                    &connection_string.host_name,
                    &device,
                )?);
            }
            Ok(out)
        }
    }
}

fn device_connection_string(host: &str, device: &Device) -> DmResult<ConnectionString> {
    let id = &device.device_id;
    let auth = device.authentication.clone().unwrap_or_default();
    if auth.type_.is_some_and(|t| t != AuthenticationType::Sas) {
        return Err(DmError::Config(format!(
            "device `{id}` does not use symmetric keys; only key-based devices can be simulated"
        )));
    }
    let key = auth
        .symmetric_key
        .and_then(|k| k.primary_key)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| DmError::Config(format!("device `{id}` has no primary key")))?;
    let key = SharedAccessKey::from_base64(&key)
        .map_err(|e| DmError::Config(format!("device `{id}` has an unusable key: {e}")))?;
    Ok(ConnectionString::for_device(host, id, key))
}

impl Simulation {
    /// Prepares the devices (registering them when asked) and starts one agent per device.
    /// Agents connect in the background.
    ///
    /// # Errors
    ///
    /// [`DmError::Config`] for unusable options or a device that cannot be simulated (no
    /// symmetric key), [`DmError::NotFound`] for a device that does not exist when `create` is
    /// off, [`DmError::Service`] when the service API fails, and [`DmError::SimulatedDevice`]
    /// when one device's connection or agent cannot be set up.
    pub async fn start(options: SimulateOptions) -> DmResult<Self> {
        let strings = device_strings(&options.devices, options.ca_pem.as_deref()).await?;
        let (stop, _) = tokio::sync::watch::channel(false);
        let mut agents = Vec::with_capacity(strings.len());
        let mut tasks = JoinSet::new();
        for cs in strings {
            let device = cs.device_id.clone().unwrap_or_default();
            let (id, agent) =
                start_agent(cs, &options, &stop, &mut tasks).map_err(|e| e.for_device(device))?;
            agents.push((id, agent));
        }
        tracing::info!(devices = agents.len(), "simulation started");
        Ok(Self {
            agents,
            stop,
            tasks,
        })
    }

    /// The simulated device ids.
    pub fn device_ids(&self) -> Vec<String> {
        self.agents.iter().map(|(id, _)| id.clone()).collect()
    }

    /// The connection of device `id`.
    pub fn connection(&self, id: &str) -> Option<&Arc<MqttConnection>> {
        self.agents
            .iter()
            .find(|(d, _)| d == id)
            .map(|(_, a)| &a.connection)
    }

    /// How many devices are connected now.
    pub fn connected(&self) -> usize {
        self.agents
            .iter()
            .filter(|(_, a)| *a.connection.link_state().borrow() == LinkState::Connected)
            .count()
    }

    /// Waits until every device is connected, for at most `within`; returns whether they are.
    pub async fn wait_connected(&self, within: Duration) -> bool {
        let all = async {
            for (_, agent) in &self.agents {
                let mut state = agent.connection.link_state();
                let _ = state.wait_for(|s| *s == LinkState::Connected).await;
            }
        };
        tokio::time::timeout(within, all).await.is_ok()
    }

    /// Disconnects every device and stops its agent.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        while self.tasks.join_next().await.is_some() {}
        for (_, agent) in &self.agents {
            agent.client.shutdown().await;
        }
        tracing::info!("simulation stopped");
    }
}

fn start_agent(
    cs: ConnectionString,
    options: &SimulateOptions,
    stop: &tokio::sync::watch::Sender<bool>,
    tasks: &mut JoinSet<()>,
) -> DmResult<(String, SimAgent)> {
    let mut identity = DeviceIdentity::from_connection_string(cs, None)?;
    if let Some(gateway) = &options.gateway_host_name {
        identity.gateway_host_name = Some(gateway.clone());
    }
    let id = identity.device_id.clone();
    let root = options.sandbox_root.join(&id);
    let state_dir = root.join("state");
    let mut settings = ConnectionSettings::new(identity, &state_dir)?;
    settings.ca_pem.clone_from(&options.ca_pem);
    // A fleet that lost its hub comes back spread out, but quicker than a real device would.
    settings.reconnect = ReconnectPolicy {
        initial_delay: Duration::from_millis(500),
        max_delay: Duration::from_secs(30),
    };
    let connection = MqttConnection::open(settings)?;
    let downtime = options.reboot_downtime;
    let weak = Arc::downgrade(&connection);
    let reboot_hook: RebootHook = Arc::new(move || {
        if let Some(connection) = weak.upgrade() {
            connection.go_offline(downtime);
        }
    });
    let failing: Vec<(String, InjectedFailure)> = options
        .failures
        .iter()
        .filter(|rule| rule.selects(&id))
        .map(|rule| (rule.method.clone(), rule.failure))
        .collect();
    let mut builder = DmClient::builder(connection.clone());
    if !failing.is_empty() {
        builder = builder.inject_failures(Arc::new(move |method: &str| {
            failing
                .iter()
                .find(|(name, _)| name == method)
                .map(|(_, failure)| *failure)
        }));
    }
    let client = builder
        .settings(Settings {
            artifacts: options.artifacts.clone(),
            ..Settings::default()
        })
        .device_id(&id)
        .state_dir(&state_dir)
        .sandbox(root.join("sandbox"))
        .reboot_hook(reboot_hook)
        .storage_ca_pem(options.ca_pem.clone())
        .build()?;
    let client = Arc::new(client);
    let handler = Arc::new(DmInbound::new(client.clone(), connection.clone()));
    let mut stopped = stop.subscribe();
    tasks.spawn({
        let connection = connection.clone();
        async move {
            connection
                .run(handler, async move {
                    let _ = stopped.wait_for(|s| *s).await;
                })
                .await;
        }
    });
    Ok((id, SimAgent { connection, client }))
}

/// Runs the simulation until `shutdown` completes (Ctrl-C in `dmctl simulate`).
pub async fn simulate(
    options: SimulateOptions,
    shutdown: impl Future<Output = ()>,
) -> DmResult<()> {
    let simulation = Simulation::start(options).await?;
    shutdown.await;
    simulation.stop().await;
    Ok(())
}
