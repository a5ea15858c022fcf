//! Many agents in one process, each with its own hub connection and sandbox providers.
//!
//! `dmctl simulate` and `dmctl demo` use this to give people a fleet without devices: for demos,
//! load tests, and developing back ends against real agent behaviour. Every simulated device is
//! a full agent run by [`dm_agent::daemon`] (the same dispatcher and MQTT connection as the
//! `dm-agent` binary), acting inside its own directory; a sandbox reboot drops the connection,
//! stays offline a moment and comes back with a new boot time, as a real device would.
//!
//! It lives in dmctl, not in the agent, because it drives the *service* side too: it looks
//! devices up (and registers them) through the service API for their keys.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use dm_agent::DmError;
use dm_agent::connection::{
    ConnectionSettings, DeviceIdentity, LinkState, MqttConnection, ReconnectPolicy,
};
use dm_agent::daemon::{Backend, Daemon, DaemonConfig};
use iothub_auth::{ConnectionString, SharedAccessKey};
use iothub_client::ServiceClient;
use iothub_client::model::{AuthenticationType, Device};
use tokio::task::JoinSet;

use dm_agent::artifacts::ArtifactPolicy;
use dm_agent::client::Settings;
use dm_agent::client::inject::FailureHook;
pub use dm_agent::client::inject::InjectedFailure;

use crate::exit::{CliError, Exit};

/// Which devices to simulate and how to reach them.
#[derive(Debug, Clone)]
pub enum SimulatedDevices {
    /// A service (policy) connection string: devices `{prefix}1` … `{prefix}{count}` are looked
    /// up through the service API (and registered first when `create` is set) for their keys.
    /// Its `GatewayHostName`, if any, is where the devices open MQTT.
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
    /// `localhost:8883`); overrides the `GatewayHostName` of the connection strings.
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

/// A running simulation.
pub struct Simulation {
    /// The devices' connections, in order.
    agents: Vec<(String, Arc<MqttConnection>)>,
    /// Stops every daemon.
    stop: tokio::sync::watch::Sender<bool>,
    /// The daemons.
    tasks: JoinSet<()>,
}

impl std::fmt::Debug for Simulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulation")
            .field("devices", &self.agents.len())
            .finish_non_exhaustive()
    }
}

/// One device's set-up failure, naming the device; the exit code follows who can fix it.
fn device_error(device: &str, err: &DmError) -> CliError {
    let message = format!("device `{device}`: {err}");
    if err.is_setting() {
        CliError::usage(message)
    } else {
        CliError::failure(message)
    }
}

/// The device connection strings of the simulation, registering devices when asked.
async fn device_strings(
    devices: &SimulatedDevices,
    ca_pem: Option<&[u8]>,
) -> Result<Vec<ConnectionString>, CliError> {
    match devices {
        SimulatedDevices::Devices(list) => Ok(list.clone()),
        SimulatedDevices::Service {
            connection_string,
            count,
            prefix,
            create,
        } => {
            if *count == 0 {
                return Err(CliError::usage("the device count must be at least 1"));
            }
            // Here `GatewayHostName` is where the devices open MQTT (a local hub's MQTT port),
            // not where the service API answers: the look-ups go to `HostName`.
            let mut service_string = ConnectionString::clone(connection_string);
            service_string.gateway_host_name = None;
            let service = ServiceClient::builder(&service_string.expose_secret())
                .and_then(|builder| match ca_pem {
                    Some(pem) => builder.add_root_ca_pem(pem).build(),
                    None => builder.build(),
                })
                .map_err(|e| CliError::from(e).context(format!("device '{prefix}*'")))?;
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
                            .map_err(|e| CliError::from(e).context(format!("device '{id}'")))?
                    }
                    Err(e) if e.is_not_found() => {
                        return Err(CliError::new(
                            Exit::NotFound,
                            format!(
                                "device `{id}` does not exist (register it, or ask for missing devices to be created)"
                            ),
                        )
                        .with_hint(format!(
                            "pass --create to register the missing {prefix}N devices"
                        )));
                    }
                    Err(e) => return Err(CliError::from(e).context(format!("device '{id}'"))),
                };
                let mut cs = device_connection_string(&connection_string.host_name, &device)?;
                cs.gateway_host_name
                    .clone_from(&connection_string.gateway_host_name);
                out.push(cs);
            }
            Ok(out)
        }
    }
}

fn device_connection_string(host: &str, device: &Device) -> Result<ConnectionString, CliError> {
    let id = &device.device_id;
    let auth = device.authentication.clone().unwrap_or_default();
    if auth.type_.is_some_and(|t| t != AuthenticationType::Sas) {
        return Err(CliError::usage(format!(
            "device `{id}` does not use symmetric keys; only key-based devices can be simulated"
        )));
    }
    let key = auth
        .symmetric_key
        .and_then(|k| k.primary_key)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| CliError::usage(format!("device `{id}` has no primary key")))?;
    let key = SharedAccessKey::from_base64(&key)
        .map_err(|e| CliError::usage(format!("device `{id}` has an unusable key: {e}")))?;
    Ok(ConnectionString::for_device(host, id, key))
}

impl Simulation {
    /// Prepares the devices (registering them when asked) and starts one agent per device.
    /// Agents connect in the background.
    ///
    /// # Errors
    ///
    /// A usage error for unusable options or a device that cannot be simulated (no symmetric
    /// key), not found for a device that does not exist when `create` is off, the service
    /// API's error when it fails, and a failure naming the device when one device's
    /// connection or agent cannot be set up.
    pub async fn start(options: SimulateOptions) -> Result<Self, CliError> {
        let strings = device_strings(&options.devices, options.ca_pem.as_deref()).await?;
        let (stop, _) = tokio::sync::watch::channel(false);
        let mut agents = Vec::with_capacity(strings.len());
        let mut tasks = JoinSet::new();
        for cs in strings {
            let device = cs.device_id.clone().unwrap_or_default();
            let daemon = prepare(cs, &options).map_err(|e| device_error(&device, &e))?;
            agents.push((device, daemon.connection().clone()));
            let mut stopped = stop.subscribe();
            tasks.spawn(daemon.run(async move {
                let _ = stopped.wait_for(|s| *s).await;
            }));
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
        self.agents.iter().find(|(d, _)| d == id).map(|(_, c)| c)
    }

    /// How many devices are connected now.
    pub fn connected(&self) -> usize {
        self.agents
            .iter()
            .filter(|(_, c)| *c.link_state().borrow() == LinkState::Connected)
            .count()
    }

    /// Waits until every device is connected, for at most `within`; returns whether they are.
    pub async fn wait_connected(&self, within: Duration) -> bool {
        let all = async {
            for (_, connection) in &self.agents {
                let mut state = connection.link_state();
                let _ = state.wait_for(|s| *s == LinkState::Connected).await;
            }
        };
        tokio::time::timeout(within, all).await.is_ok()
    }

    /// Why devices could not connect when that is not worth retrying: the endpoint does not
    /// speak MQTT (see [`MqttConnection::misdirected`]). `None` while every failure may pass.
    pub fn misdirected(&self) -> Option<String> {
        self.agents.iter().find_map(|(_, c)| c.misdirected())
    }

    /// Disconnects every device and stops its agent.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        while self.tasks.join_next().await.is_some() {}
        tracing::info!("simulation stopped");
    }
}

/// One device's daemon, ready to run.
fn prepare(cs: ConnectionString, options: &SimulateOptions) -> Result<Daemon, DmError> {
    let mut identity = DeviceIdentity::from_connection_string(cs, None)?;
    if let Some(gateway) = &options.gateway_host_name {
        identity.gateway_host_name = Some(gateway.clone());
    }
    let identity_id = identity.device_id.clone();
    let root = options.sandbox_root.join(&identity_id);
    let mut settings = ConnectionSettings::new(identity, &root.join("state"))?;
    settings.ca_pem.clone_from(&options.ca_pem);
    // A fleet that lost its hub comes back spread out, but quicker than a real device would.
    settings.reconnect = ReconnectPolicy {
        initial_delay: Duration::from_millis(500),
        max_delay: Duration::from_secs(30),
    };
    let failing: Vec<(String, InjectedFailure)> = options
        .failures
        .iter()
        .filter(|rule| rule.selects(&identity_id))
        .map(|rule| (rule.method.clone(), rule.failure))
        .collect();
    let mut config = DaemonConfig::new(
        settings,
        Backend::Sandbox {
            dir: root.join("sandbox"),
            reboot_downtime: Some(options.reboot_downtime),
        },
    );
    config.settings = Settings {
        artifacts: options.artifacts.clone(),
        ..Settings::default()
    };
    if !failing.is_empty() {
        let hook: FailureHook = Arc::new(move |method: &str| {
            failing
                .iter()
                .find(|(name, _)| name == method)
                .map(|(_, failure)| *failure)
        });
        config.failures = Some(hook);
    }
    Daemon::start(config)
}
