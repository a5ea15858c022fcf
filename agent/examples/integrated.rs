//! Library mode: an application that already owns the device's hub connection embeds the
//! device-management client instead of running `dm-agent` beside it (IoT Hub allows one
//! connection per device).
//!
//! The application keeps its own rumqttc session and implements the small [`Transport`] trait
//! over it. It hands every direct method to `Agent::handle_method` first — the client takes
//! only `dm.*` and returns `false` for the rest — and every desired patch to
//! `Agent::handle_desired_patch`, which only looks at the `dm` key. Everything else stays the
//! application's: here, the method `app.hello` and the desired property `telemetryInterval`.
//!
//! Run it against a local hub it starts itself (it then plays the operator too and exits):
//!
//! ```text
//! cargo run -p dm-agent --example integrated
//! ```
//!
//! or against a real hub until Ctrl-C:
//!
//! ```text
//! DEVICE_CONNECTION_STRING='HostName=…;DeviceId=…;SharedAccessKey=…' cargo run -p dm-agent --example integrated
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use bytes::Bytes;
use dm_agent::transport::Transport;
use dm_agent::{Agent, DmError, DmResult};
use futures::future::BoxFuture;
use iothub_auth::ConnectionString;
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS, TlsConfiguration};
use serde_json::{Value, json};
use tokio::sync::oneshot;

/// The application's own connection, as the DM client sees it.
struct AppTransport {
    /// The application's MQTT client.
    mqtt: AsyncClient,
    /// Twin requests waiting for `$iothub/twin/res/...`, by request id.
    pending: Mutex<HashMap<String, oneshot::Sender<(u16, Bytes)>>>,
}

impl AppTransport {
    /// Publishes a twin request and waits for the hub's answer.
    async fn twin_request(
        &self,
        topic: String,
        rid: String,
        body: Vec<u8>,
    ) -> DmResult<(u16, Bytes)> {
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(rid.clone(), tx);
        let sent = self
            .mqtt
            .publish(topic, QoS::AtLeastOnce, false, body)
            .await;
        if sent.is_err() {
            self.pending.lock().unwrap().remove(&rid);
            return Err(DmError::NotConnected);
        }
        match tokio::time::timeout(Duration::from_secs(30), rx).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(_)) => Err(DmError::NotConnected),
            Err(_) => {
                self.pending.lock().unwrap().remove(&rid);
                Err(DmError::HubTimeout)
            }
        }
    }

    /// Routes an answer on `$iothub/twin/res/{status}/?$rid={rid}`.
    fn twin_answer(&self, topic: &str, body: Bytes) {
        let Some(rest) = topic.strip_prefix("$iothub/twin/res/") else {
            return;
        };
        let Some((status, query)) = rest.split_once("/?") else {
            return;
        };
        let rid = query.split('&').find_map(|kv| kv.strip_prefix("$rid="));
        if let (Ok(status), Some(rid)) = (status.parse(), rid)
            && let Some(waiter) = self.pending.lock().unwrap().remove(rid)
        {
            let _ = waiter.send((status, body));
        }
    }
}

impl Transport for AppTransport {
    // A production application must not lose reported patches while offline (the daemon
    // queues them on disk); this one relies on rumqttc resending unacknowledged publishes
    // within its session, which is enough for a demonstration.
    fn send_reported(&self, patch: Value) -> BoxFuture<'_, DmResult<()>> {
        Box::pin(async move {
            let rid = uuid::Uuid::new_v4().simple().to_string();
            let topic = format!("$iothub/twin/PATCH/properties/reported/?$rid={rid}");
            let (status, body) = self
                .twin_request(topic, rid, patch.to_string().into_bytes())
                .await?;
            if (200..300).contains(&status) {
                Ok(())
            } else {
                Err(DmError::hub(status, String::from_utf8_lossy(&body)))
            }
        })
    }

    fn respond_method(
        &self,
        request_id: &str,
        status: u16,
        payload: Value,
    ) -> BoxFuture<'_, DmResult<()>> {
        let topic = format!("$iothub/methods/res/{status}/?$rid={request_id}");
        Box::pin(async move {
            self.mqtt
                .publish(topic, QoS::AtLeastOnce, false, payload.to_string())
                .await
                .map_err(|_| DmError::NotConnected)
        })
    }

    fn get_twin(&self) -> BoxFuture<'_, DmResult<Value>> {
        Box::pin(async move {
            let rid = uuid::Uuid::new_v4().simple().to_string();
            let topic = format!("$iothub/twin/GET/?$rid={rid}");
            let (status, body) = self.twin_request(topic, rid, Vec::new()).await?;
            if status != 200 {
                return Err(DmError::hub(status, "twin GET failed"));
            }
            serde_json::from_slice(&body)
                .map_err(|e| DmError::transport(format!("the twin is not JSON: {e}")))
        })
    }
}

/// The application's own state: one desired property it manages itself.
#[derive(Default)]
struct App {
    telemetry_interval: Mutex<Option<u64>>,
}

impl App {
    /// The application's own method.
    fn method(&self, name: &str) -> (u16, Value) {
        match name {
            "app.hello" => (
                200,
                json!({"hello": "from the application", "telemetryInterval": *self.telemetry_interval.lock().unwrap()}),
            ),
            _ => (404, json!({"message": format!("no method `{name}`")})),
        }
    }

    /// The application's part of a desired patch (or of the full desired section).
    fn desired(&self, desired: &Value) {
        if let Some(seconds) = desired.get("telemetryInterval").and_then(Value::as_u64) {
            println!("app: telemetry interval is now {seconds} s");
            *self.telemetry_interval.lock().unwrap() = Some(seconds);
        }
    }
}

/// Runs the application's connection until the task is dropped.
async fn run_device(
    cs: ConnectionString,
    ca_pem: Option<Vec<u8>>,
    state: std::path::PathBuf,
) -> anyhow::Result<()> {
    let device_id = cs
        .device_id
        .clone()
        .context("the connection string has no DeviceId")?;
    let gateway = cs
        .gateway_host_name
        .clone()
        .unwrap_or_else(|| cs.host_name.clone());
    let (host, port) = match gateway.rsplit_once(':') {
        Some((h, p)) => (
            h.to_owned(),
            p.parse().context("bad port in the host name")?,
        ),
        None => (gateway.clone(), 8883),
    };
    // A day-long token keeps the example short; a real application renews it (reconnecting
    // with a fresh one) before it expires, as the daemon does.
    let token = cs.generate_token(iothub_auth::unix_now(), 86_400)?;
    let tls = dm_agent::connection::tls::client_config(ca_pem.as_deref(), None)?;
    let mut options = MqttOptions::new(device_id.clone(), host, port);
    options
        .set_transport(rumqttc::Transport::Tls(TlsConfiguration::Rustls(tls)))
        .set_clean_session(false)
        .set_keep_alive(Duration::from_secs(60))
        .set_max_packet_size(256 * 1024, 256 * 1024)
        .set_credentials(
            format!(
                "{}/{device_id}/?api-version=2021-04-12&DeviceClientType=integrated-example%2F1.0",
                cs.host_name
            ),
            token.expose(),
        );
    let (mqtt, mut eventloop) = AsyncClient::new(options, 64);
    let transport = Arc::new(AppTransport {
        mqtt: mqtt.clone(),
        pending: Mutex::default(),
    });
    let dm = Arc::new(
        Agent::builder(transport.clone())
            .device_id(&device_id)
            .state_dir(state.join("state"))
            .sandbox(state.join("sandbox"))
            .build()?,
    );
    let app = Arc::new(App::default());

    loop {
        let event = match eventloop.poll().await {
            Ok(event) => event,
            Err(e) => {
                // rumqttc reconnects on the next poll.
                eprintln!("app: connection lost ({e}); reconnecting");
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
        };
        match event {
            Event::Incoming(Packet::ConnAck(_)) => {
                println!("app: connected as {device_id}");
                for topic in [
                    "$iothub/methods/POST/#",
                    "$iothub/twin/PATCH/properties/desired/#",
                    "$iothub/twin/res/#",
                ] {
                    mqtt.subscribe(topic, QoS::AtLeastOnce).await?;
                }
                // Converge on the whole twin after every connect: DM state and the app's own.
                let (transport, dm, app) = (transport.clone(), dm.clone(), app.clone());
                tokio::spawn(async move {
                    match transport.get_twin().await {
                        Ok(twin) => {
                            app.desired(&twin["desired"]);
                            dm.handle_full_twin(&twin).await;
                        }
                        Err(e) => eprintln!("app: cannot read the twin: {e}"),
                    }
                });
            }
            Event::Incoming(Packet::Publish(publish)) => {
                let topic = publish.topic.clone();
                if topic.starts_with("$iothub/twin/res/") {
                    transport.twin_answer(&topic, publish.payload);
                } else if topic.starts_with("$iothub/twin/PATCH/properties/desired/") {
                    if let Ok(patch) = serde_json::from_slice::<Value>(&publish.payload) {
                        app.desired(&patch);
                        let dm = dm.clone();
                        tokio::spawn(async move { dm.handle_desired_patch(&patch).await });
                    }
                } else if let Some(rest) = topic.strip_prefix("$iothub/methods/POST/") {
                    let Some((name, query)) = rest.split_once("/?") else {
                        continue;
                    };
                    let Some(rid) = query.split('&').find_map(|kv| kv.strip_prefix("$rid=")) else {
                        continue;
                    };
                    let (name, rid) = (name.to_owned(), rid.to_owned());
                    let (dm, app, transport) = (dm.clone(), app.clone(), transport.clone());
                    tokio::spawn(async move {
                        // The DM client answers `dm.*` itself; everything else is ours.
                        if !dm.handle_method(&rid, &name, &publish.payload).await {
                            let (status, body) = app.method(&name);
                            let _ = transport.respond_method(&rid, status, body).await;
                        }
                    });
                }
            }
            _ => {}
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if let Ok(text) = std::env::var("DEVICE_CONNECTION_STRING") {
        let cs: ConnectionString = text.parse().context("DEVICE_CONNECTION_STRING")?;
        let ca = match std::env::var_os("CA_FILE") {
            Some(path) => Some(std::fs::read(path).context("CA_FILE")?),
            None => None,
        };
        let state = std::env::temp_dir().join("dm-integrated-example");
        tokio::select! {
            result = run_device(cs, ca, state) => result,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    } else {
        demo().await
    }
}

/// Starts a local hub, runs the application against it, and plays the operator.
async fn demo() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let hub =
        iothub_emulator::start(iothub_emulator::HubConfig::new(data.path()).ephemeral()).await?;
    let cs = hub.device_connection_string("integrated-1", true)?;
    let device = tokio::spawn(run_device(
        cs,
        Some(hub.ca_pem().into_bytes()),
        data.path().join("device"),
    ));

    let service_cs = hub.service_connection_string("iothubowner")?;
    let service = iothub_client::ServiceClient::builder(&service_cs.expose_secret())?
        .add_root_ca_pem(hub.ca_pem().as_bytes())
        .build()?;
    let call = |name: &str, payload: Value| {
        let mut method = iothub_client::model::CloudToDeviceMethod::new(name, payload);
        method.connect_timeout_in_seconds = Some(30);
        method
    };
    for (name, payload) in [
        ("dm.info.get", json!({})),
        ("app.hello", json!({})),
        ("dm.nope", json!({})),
    ] {
        let answer = service
            .invoke_device_method("integrated-1", &call(name, payload))
            .await?;
        println!("operator: {name} -> {} {}", answer.status, answer.payload);
    }
    let mut patch = iothub_client::model::Twin::default();
    patch.properties.desired =
        json!({"telemetryInterval": 15, "dm": {"time": {"timeZone": "Europe/Paris"}}});
    service
        .update_twin("integrated-1", &patch, iothub_client::IfMatch::Any)
        .await?;
    for _ in 0..100 {
        let reported = service.get_twin("integrated-1").await?.properties.reported;
        if reported["dm"]["time"]["timeZone"] == "Europe/Paris" {
            println!(
                "operator: reported dm.time = {}",
                reported["dm"]["time"]["timeZone"]
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let answer = service
        .invoke_device_method("integrated-1", &call("app.hello", json!({})))
        .await?;
    println!(
        "operator: app.hello -> {} {}",
        answer.status, answer.payload
    );
    device.abort();
    hub.shutdown().await?;
    Ok(())
}
