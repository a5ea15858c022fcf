//! Shared pieces of the end-to-end tests: a local hub on ephemeral ports with a service client,
//! agent connections to it, and a recording handler.
#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use dm_agent::connection::{
    ConnectionSettings, DeviceIdentity, Endpoint, Inbound, MqttConnection, ReconnectPolicy,
};
use dm_agent::transport::Transport;
use futures::future::BoxFuture;
use iothub_auth::ConnectionString;
use iothub_client::ServiceClient;
use iothub_emulator::{HubConfig, RunningHub};
use serde_json::{Value, json};
use test_support::LocalHub;
use tokio::sync::oneshot;

/// A local hub with its data directory and an `iothubowner` service client.
pub struct TestHub {
    pub hub: RunningHub,
    pub data: tempfile::TempDir,
    pub service: ServiceClient,
}

impl TestHub {
    pub async fn start() -> Self {
        Self::from_local(LocalHub::start().await)
    }

    /// A hub whose SAS tokens get no clock-skew grace: an expired token is refused at once.
    pub async fn start_strict() -> Self {
        Self::from_local(LocalHub::start_with(|config| config.clock_skew_secs = 0).await)
    }

    fn from_local(local: LocalHub) -> Self {
        let service = local.owner_client();
        let LocalHub { hub, data } = local;
        Self { hub, data, service }
    }

    /// Stops the hub. Returns what a restart needs.
    pub async fn stop(self) -> StoppedHub {
        let https_port = self.hub.https_addr().port();
        let mqtt_port = self.hub.mqtt_addr().port();
        self.hub.shutdown().await.unwrap();
        StoppedHub {
            data: self.data,
            https_port,
            mqtt_port,
        }
    }

    pub fn device(&self, id: &str) -> ConnectionString {
        self.hub.device_connection_string(id, true).unwrap()
    }

    /// Connection settings for device `id` (registered if new) with fast reconnection.
    pub fn settings(&self, id: &str, state_dir: &Path) -> ConnectionSettings {
        let identity = DeviceIdentity::from_connection_string(self.device(id), None).unwrap();
        let mut settings = ConnectionSettings::new(identity, state_dir).unwrap();
        settings.ca_pem = Some(self.hub.ca_pem().into_bytes());
        settings.reconnect = ReconnectPolicy {
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
        };
        settings
    }

    /// The same, over WebSocket on the hub's HTTPS port.
    pub fn websocket_settings(&self, id: &str, state_dir: &Path) -> ConnectionSettings {
        let mut settings = self.settings(id, state_dir);
        settings.endpoint = Endpoint::WebSocket {
            url: format!(
                "wss://localhost:{}/$iothub/websocket",
                self.hub.https_addr().port()
            ),
        };
        settings
    }

    /// Registers `id` as a self-signed X.509 device and returns the settings of an agent that
    /// authenticates with that certificate (over MQTT/TLS, and on HTTPS for file upload).
    pub async fn x509_settings(&self, id: &str, state_dir: &Path) -> ConnectionSettings {
        use iothub_client::model::{Authentication, AuthenticationType, Device, X509Thumbprint};
        let cert = rcgen::generate_simple_self_signed(vec![id.to_owned()]).unwrap();
        let device = Device {
            device_id: id.into(),
            authentication: Some(Authentication {
                type_: Some(AuthenticationType::SelfSigned),
                x509_thumbprint: Some(X509Thumbprint {
                    primary_thumbprint: Some(iothub_emulator::tls::thumbprint_sha256(
                        cert.cert.der(),
                    )),
                    secondary_thumbprint: None,
                }),
                symmetric_key: None,
            }),
            ..Device::default()
        };
        self.service.create_device(&device).await.unwrap();
        let cs: ConnectionString = format!(
            "HostName={};DeviceId={id};x509=true;GatewayHostName={}",
            self.hub.host_name(),
            self.hub.gateway_host_name()
        )
        .parse()
        .unwrap();
        let pems = (
            cert.cert.pem().into_bytes(),
            cert.signing_key.serialize_pem().into_bytes(),
        );
        let identity = DeviceIdentity::from_connection_string(cs, Some(pems)).unwrap();
        let mut settings = ConnectionSettings::new(identity, state_dir).unwrap();
        settings.ca_pem = Some(self.hub.ca_pem().into_bytes());
        settings
    }

    pub async fn reported(&self, id: &str) -> Value {
        self.service.get_twin(id).await.unwrap().properties.reported
    }

    pub async fn patch_desired(&self, id: &str, desired: Value) {
        let mut patch = iothub_client::model::Twin::default();
        patch.properties.desired = desired;
        self.service
            .update_twin(id, &patch, iothub_client::IfMatch::Any)
            .await
            .unwrap();
    }

    pub async fn call(&self, id: &str, method: &str, payload: Value) -> (i32, Value) {
        let mut call = iothub_client::model::CloudToDeviceMethod::new(method, payload);
        call.connect_timeout_in_seconds = Some(30);
        call.response_timeout_in_seconds = Some(30);
        let answer = self.service.invoke_device_method(id, &call).await.unwrap();
        (answer.status, answer.payload)
    }
}

pub struct StoppedHub {
    pub data: tempfile::TempDir,
    pub https_port: u16,
    pub mqtt_port: u16,
}

impl StoppedHub {
    /// Starts the hub again on the same data directory and ports.
    pub async fn restart(self) -> TestHub {
        let mut config = HubConfig::new(self.data.path());
        config.https_port = self.https_port;
        config.mqtt_port = self.mqtt_port;
        let mut attempts = 0;
        let hub = loop {
            match iothub_emulator::start(config.clone()).await {
                Ok(hub) => break hub,
                // The old sockets may take a moment to be released.
                Err(e) if attempts < 50 => {
                    attempts += 1;
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot restart the hub: {e}"),
            }
        };
        let service = test_support::owner_client(&hub);
        TestHub {
            hub,
            data: self.data,
            service,
        }
    }
}

pub use test_support::eventually;

/// A handler that records what arrives and answers every method with 200 and
/// `{"method": name, "echo": payload}`.
#[derive(Default)]
pub struct Recorder {
    pub transport: OnceLock<Arc<dyn Transport>>,
    pub methods: Mutex<Vec<String>>,
    pub patches: Mutex<Vec<Value>>,
    pub twins: Mutex<Vec<Value>>,
}

impl Recorder {
    pub fn patches(&self) -> Vec<Value> {
        self.patches.lock().unwrap().clone()
    }

    pub fn twins(&self) -> Vec<Value> {
        self.twins.lock().unwrap().clone()
    }
}

impl Inbound for Recorder {
    fn method<'a>(
        &'a self,
        request_id: &'a str,
        name: &'a str,
        payload: &'a [u8],
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.methods.lock().unwrap().push(name.to_owned());
            let echo: Value = serde_json::from_slice(payload).unwrap_or(Value::Null);
            let transport = self.transport.get().unwrap();
            let _ = transport
                .respond_method(request_id, 200, json!({"method": name, "echo": echo}))
                .await;
        })
    }

    fn desired_patch<'a>(&'a self, patch: &'a Value) -> BoxFuture<'a, ()> {
        self.patches.lock().unwrap().push(patch.clone());
        Box::pin(async {})
    }

    fn full_twin<'a>(&'a self, twin: &'a Value) -> BoxFuture<'a, ()> {
        self.twins.lock().unwrap().push(twin.clone());
        Box::pin(async {})
    }
}

/// A connection running in the background with a [`Recorder`].
pub struct Agent {
    pub connection: Arc<MqttConnection>,
    pub recorder: Arc<Recorder>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Agent {
    pub fn start(settings: ConnectionSettings) -> Self {
        let connection = MqttConnection::open(settings).unwrap();
        let recorder = Arc::new(Recorder::default());
        let transport: Arc<dyn Transport> = connection.clone();
        let _ = recorder.transport.set(transport);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn({
            let connection = Arc::clone(&connection);
            let handler: Arc<dyn Inbound> = recorder.clone();
            async move {
                connection
                    .run(handler, async {
                        let _ = stopped.await;
                    })
                    .await;
            }
        });
        Self {
            connection,
            recorder,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub async fn wait_connected(&self) {
        let connection = Arc::clone(&self.connection);
        let mut state = connection.link_state();
        tokio::time::timeout(
            Duration::from_secs(30),
            state.wait_for(|s| *s == dm_agent::connection::LinkState::Connected),
        )
        .await
        .expect("the agent did not connect within 30 s")
        .unwrap();
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .expect("the agent did not stop within 10 s")
                .unwrap();
        }
    }
}

/// One full agent (dispatcher, hub connection, sandbox providers) run by `dm_agent::daemon`,
/// acting in `{root}/{id}/sandbox` with its state in `{root}/{id}/state`.
pub struct DaemonDevice {
    id: String,
    connection: Arc<MqttConnection>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl DaemonDevice {
    /// Starts device `id` of `hub` and waits until it is connected.
    pub async fn start(hub: &TestHub, id: &str, root: &Path, reboot_downtime: Duration) -> Self {
        let dir = root.join(id);
        let mut settings = hub.settings(id, &dir.join("state"));
        settings.reconnect = dm_agent::connection::ReconnectPolicy {
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        };
        let daemon = dm_agent::daemon::Daemon::start(dm_agent::daemon::DaemonConfig::new(
            settings,
            dm_agent::daemon::Backend::Sandbox {
                dir: dir.join("sandbox"),
                reboot_downtime: Some(reboot_downtime),
            },
        ))
        .unwrap();
        let connection = Arc::clone(daemon.connection());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(daemon.run(async {
            let _ = stopped.await;
        }));
        let mut state = connection.link_state();
        tokio::time::timeout(
            Duration::from_secs(30),
            state.wait_for(|s| *s == dm_agent::connection::LinkState::Connected),
        )
        .await
        .expect("the agent did not connect within 30 s")
        .unwrap();
        Self {
            id: id.to_owned(),
            connection,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// The connection of device `id` (this one's only).
    pub fn connection(&self, id: &str) -> Option<&Arc<MqttConnection>> {
        (id == self.id).then_some(&self.connection)
    }

    /// Stops the agent and waits until it is down.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}
