//! The agent's hub connection against the local IoT Hub: TLS and WebSocket sessions, method
//! round trips from the service side, desired changes (online and offline), reported patches
//! across cuts, a hub restart and token renewal.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::common::{Agent, TestHub, eventually};
use dm_agent::DmError;
use dm_agent::connection::{ConnectionStatus, Endpoint, Inbound, LinkState, MqttConnection};
use dm_agent::transport::Transport;
use futures::future::BoxFuture;
use serde_json::{Value, json};

const WITHIN: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_method_round_trip_over_tls() {
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let agent = Agent::start(hub.settings("dev-tls", state.path()));
    agent.wait_connected().await;

    let (status, payload) = hub.call("dev-tls", "app.ping", json!({"n": 1})).await;
    assert_eq!(status, 200);
    assert_eq!(payload, json!({"method": "app.ping", "echo": {"n": 1}}));

    // The device's own twin view is reachable through the transport.
    let twin = agent.connection.get_twin().await.unwrap();
    assert!(twin["desired"]["$version"].is_u64(), "{twin}");
    agent.stop().await;
}

/// A hub whose HTTPS port was given as the MQTT one (a local hub on 18443/18883 reached through
/// `HostName=localhost:18443`) answers CONNECT with an HTTP error, which MQTT reads as a PUBACK:
/// the agent names the cause and the fix instead of "Expected `ConnAck` packet, received `PubAck`".
#[tokio::test]
async fn an_endpoint_that_does_not_speak_mqtt_is_named_with_the_fix() {
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let mut settings = hub.settings("dev-https-port", state.path());
    settings.endpoint = Endpoint::Tls {
        host: "localhost".to_owned(),
        port: hub.hub.https_addr().port(),
    };
    let agent = Agent::start(settings);
    let connection = agent.connection.clone();
    let why = eventually(WITHIN, "the endpoint to be named as not MQTT", || {
        let connection = connection.clone();
        async move { connection.misdirected() }
    })
    .await;
    assert!(
        why.contains("not MQTT") && why.contains("HTTPS port") && why.contains("GatewayHostName"),
        "{why}"
    );
    let status = ConnectionStatus::read(state.path()).unwrap();
    assert_eq!(status.state, LinkState::Disconnected);
    assert_eq!(status.last_error.as_deref(), Some(why.as_str()));
    agent.stop().await;
}

#[tokio::test]
async fn a_method_round_trip_over_websocket() {
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let agent = Agent::start(hub.websocket_settings("dev-ws", state.path()));
    agent.wait_connected().await;
    let (status, payload) = hub.call("dev-ws", "app.ping", json!("over 443")).await;
    assert_eq!(status, 200);
    assert_eq!(payload["echo"], json!("over 443"));
    agent.stop().await;
}

#[tokio::test]
async fn the_twin_is_read_on_connect_and_desired_changes_arrive_in_order() {
    let hub = TestHub::start().await;
    hub.device("dev-desired");
    hub.patch_desired("dev-desired", json!({"dm": {"time": {"timeZone": "UTC"}}}))
        .await;
    let state = tempfile::tempdir().unwrap();
    let agent = Agent::start(hub.settings("dev-desired", state.path()));
    agent.wait_connected().await;

    let twin = eventually(WITHIN, "the full twin", || async {
        agent.recorder.twins().first().cloned()
    })
    .await;
    assert_eq!(twin["desired"]["dm"]["time"]["timeZone"], "UTC");
    let base = twin["desired"]["$version"].as_u64().unwrap();

    for zone in ["Europe/Paris", "Asia/Tokyo"] {
        hub.patch_desired("dev-desired", json!({"dm": {"time": {"timeZone": zone}}}))
            .await;
    }
    let patches = eventually(WITHIN, "two desired patches", || async {
        let p = agent.recorder.patches();
        (p.len() >= 2).then_some(p)
    })
    .await;
    let zones: Vec<&Value> = patches
        .iter()
        .map(|p| &p["dm"]["time"]["timeZone"])
        .collect();
    assert_eq!(zones, [&json!("Europe/Paris"), &json!("Asia/Tokyo")]);
    assert_eq!(patches[1]["$version"], json!(base + 2));
    agent.stop().await;
}

#[tokio::test]
async fn a_desired_change_made_while_offline_converges_on_reconnect() {
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let agent = Agent::start(hub.settings("dev-offline", state.path()));
    agent.wait_connected().await;
    eventually(WITHIN, "the first full twin", || async {
        (!agent.recorder.twins().is_empty()).then_some(())
    })
    .await;

    agent.connection.go_offline(Duration::from_secs(2));
    let mut link = agent.connection.link_state();
    link.wait_for(|s| *s == LinkState::Offline).await.unwrap();
    hub.patch_desired(
        "dev-offline",
        json!({"dm": {"updates": {"policy": "security"}}}),
    )
    .await;

    let twin = eventually(WITHIN, "a second full twin", || async {
        agent.recorder.twins().get(1).cloned()
    })
    .await;
    assert_eq!(twin["desired"]["dm"]["updates"]["policy"], "security");
    // Missed while offline, so it arrives in the twin, not as a patch.
    assert!(agent.recorder.patches().is_empty());
    agent.stop().await;
}

#[tokio::test]
async fn reports_made_while_cut_off_are_delivered_in_order_after_reconnect() {
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let agent = Agent::start(hub.settings("dev-cut", state.path()));
    agent.wait_connected().await;

    agent.connection.go_offline(Duration::from_secs(2));
    let mut link = agent.connection.link_state();
    link.wait_for(|s| *s == LinkState::Offline).await.unwrap();
    for n in 1..=5 {
        agent
            .connection
            .send_reported(json!({"dm": {"counter": n, "history": {format!("n{n}"): n}}}))
            .await
            .unwrap();
    }
    assert_eq!(agent.connection.queued(), 5);
    let offline = agent.connection.get_twin().await.unwrap_err();
    assert!(matches!(offline, DmError::NotConnected), "{offline}");

    let reported = eventually(WITHIN, "all five reports", || async {
        let reported = hub.reported("dev-cut").await;
        (reported["dm"]["history"]
            .as_object()
            .map(serde_json::Map::len)
            == Some(5))
        .then_some(reported)
    })
    .await;
    assert_eq!(
        reported["dm"]["counter"], 5,
        "the last patch sent is the last one made"
    );
    eventually(WITHIN, "an empty queue", || async {
        (agent.connection.queued() == 0).then_some(())
    })
    .await;
    agent.stop().await;
}

#[tokio::test]
async fn queued_reports_survive_an_agent_restart() {
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let stopped = hub.stop().await;

    // The hub is down: the agent cannot connect, but accepts reports.
    let settings = stopped_settings(&stopped, state.path());
    let agent = Agent::start(settings.clone());
    for n in 1..=3 {
        agent
            .connection
            .send_reported(json!({"dm": {"boot": n}}))
            .await
            .unwrap();
    }
    agent.stop().await;

    let hub = stopped.restart().await;
    let agent = Agent::start(settings);
    assert_eq!(
        agent.connection.queued(),
        3,
        "the queue was reloaded from disk"
    );
    eventually(WITHIN, "the queued reports", || async {
        (hub.reported("dev-restart").await["dm"]["boot"] == 3).then_some(())
    })
    .await;
    agent.stop().await;
}

/// Settings for `dev-restart`, registered while the hub runs, then stopped again.
fn stopped_settings(
    stopped: &crate::common::StoppedHub,
    state: &std::path::Path,
) -> dm_agent::connection::ConnectionSettings {
    let data = stopped.data.path().to_owned();
    let cs = iothub_emulator::connection_string_for_device(
        &data,
        "dev-restart",
        true,
        &format!("localhost:{}", stopped.https_port),
        Some(&format!("localhost:{}", stopped.mqtt_port)),
    )
    .unwrap();
    let identity = dm_agent::connection::DeviceIdentity::from_connection_string(cs, None).unwrap();
    let mut settings = dm_agent::connection::ConnectionSettings::new(identity, state).unwrap();
    settings.ca_pem = Some(std::fs::read(data.join("ca.pem")).unwrap());
    settings.reconnect = dm_agent::connection::ReconnectPolicy {
        initial_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(1),
    };
    settings
}

#[tokio::test]
async fn the_hub_restarting_mid_operation_loses_nothing() {
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let agent = Agent::start(hub.settings("dev-hubrestart", state.path()));
    agent.wait_connected().await;
    agent
        .connection
        .send_reported(json!({"dm": {"phase": "before"}}))
        .await
        .unwrap();
    eventually(WITHIN, "the first report", || async {
        (hub.reported("dev-hubrestart").await["dm"]["phase"] == "before").then_some(())
    })
    .await;

    let stopped = hub.stop().await;
    let mut link = agent.connection.link_state();
    link.wait_for(|s| *s == LinkState::Disconnected)
        .await
        .unwrap();
    agent
        .connection
        .send_reported(json!({"dm": {"phase": "during", "seen": ["down"]}}))
        .await
        .unwrap();
    let hub = stopped.restart().await;
    hub.patch_desired(
        "dev-hubrestart",
        json!({"dm": {"time": {"timeZone": "UTC"}}}),
    )
    .await;

    eventually(WITHIN, "the report made while the hub was down", || async {
        (hub.reported("dev-hubrestart").await["dm"]["phase"] == "during").then_some(())
    })
    .await;
    let twin = eventually(
        WITHIN,
        "the desired change made during the outage",
        || async {
            agent
                .recorder
                .twins()
                .into_iter()
                .find(|t| t["desired"]["dm"]["time"]["timeZone"] == "UTC")
        },
    )
    .await;
    assert!(twin["desired"]["$version"].as_u64().unwrap() >= 2);
    let (status, _) = hub.call("dev-hubrestart", "app.ping", json!(null)).await;
    assert_eq!(status, 200);
    agent.stop().await;
}

#[tokio::test]
async fn short_lived_tokens_are_renewed_without_losing_work() {
    // No clock-skew grace: a session opened with an expired token would be refused.
    let hub = TestHub::start_strict().await;
    let state = tempfile::tempdir().unwrap();
    let mut settings = hub.settings("dev-renew", state.path());
    // The figure: 30-second tokens. Renewal would come at 80 % (every 24 s); the
    // injected renewal point makes it every second, so three renewals take ~3 s, not ~72 s.
    settings.token_ttl = Duration::from_secs(30);
    settings.renew_after = Some(Duration::from_secs(1));
    let agent = Agent::start(settings);
    agent.wait_connected().await;
    let started = std::time::Instant::now();

    // Work keeps flowing while the session is renewed three times.
    let mut n = 0;
    while agent.connection.sessions() < 4 {
        n += 1;
        let (status, payload) = hub.call("dev-renew", "app.ping", json!(n)).await;
        assert_eq!((status, &payload["echo"]), (200, &json!(n)));
        agent
            .connection
            .send_reported(json!({"dm": {"tick": n}}))
            .await
            .unwrap();
        // A deadline for a hang, not a performance figure: three renewals are due by ~3 s.
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "the token was not renewed ({} sessions after {n} calls)",
            agent.connection.sessions()
        );
        // Calls follow each other closely, so renewals happen with calls in flight.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eventually(WITHIN, "the last report", || async {
        (hub.reported("dev-renew").await["dm"]["tick"] == n).then_some(())
    })
    .await;
    // No renewal went through a failed attempt.
    let status = dm_agent::connection::ConnectionStatus::read(state.path()).unwrap();
    assert_eq!(status.last_error, None, "{status:?}");
    agent.stop().await;
}

#[tokio::test]
async fn an_x509_device_connects_with_its_certificate() {
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let settings = hub.x509_settings("dev-x509", state.path()).await;
    let agent = Agent::start(settings);
    agent.wait_connected().await;
    let (status, _) = hub.call("dev-x509", "app.ping", json!({})).await;
    assert_eq!(status, 200);
    agent.stop().await;
}

#[tokio::test]
async fn a_refused_device_keeps_retrying_and_says_why() {
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let mut settings = hub.settings("dev-refused", state.path());
    // A key the hub does not know for this device.
    settings.identity = dm_agent::connection::DeviceIdentity {
        gateway_host_name: settings.identity.gateway_host_name.clone(),
        ..dm_agent::connection::DeviceIdentity::with_key(
            &settings.identity.host_name,
            "dev-refused",
            iothub_auth::SharedAccessKey::generate(),
        )
    };
    let agent = Agent::start(settings);
    let status = eventually(WITHIN, "a recorded refusal", || async {
        dm_agent::connection::ConnectionStatus::read(state.path())
            .filter(|s| s.state == LinkState::Disconnected && s.last_error.is_some())
    })
    .await;
    assert!(status.last_error.unwrap().contains("CONNACK 5"));
    // It keeps trying (with backoff) instead of giving up.
    eventually(WITHIN, "more attempts", || async {
        dm_agent::connection::ConnectionStatus::read(state.path())
            .filter(|s| s.failed_attempts >= 3)
    })
    .await;
    assert_eq!(agent.connection.sessions(), 0);
    agent.stop().await;
}

#[tokio::test]
async fn reports_in_flight_when_the_hub_cuts_the_connection_are_not_lost() {
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let agent = Agent::start(hub.settings("dev-flaky", state.path()));
    agent.wait_connected().await;

    let connection = agent.connection.clone();
    let writer = tokio::spawn(async move {
        for n in 1..=40 {
            connection
                .send_reported(json!({"dm": {"seq": n, "log": {format!("n{n}"): n}}}))
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        hub.hub.hub().connections().disconnect_device("dev-flaky");
    }
    writer.await.unwrap();

    let reported = eventually(WITHIN, "all forty reports", || async {
        let reported = hub.reported("dev-flaky").await;
        (reported["dm"]["log"].as_object().map(serde_json::Map::len) == Some(40))
            .then_some(reported)
    })
    .await;
    assert_eq!(
        reported["dm"]["seq"], 40,
        "delivered in order: the last write wins"
    );
    assert!(
        agent.connection.sessions() >= 2,
        "the hub did cut the session"
    );
    agent.stop().await;
}

/// A device whose method handler cuts its own connection (a reboot) before answering, as the
/// agent's reboot work may when it runs ahead of the handler's 202.
struct CutsBeforeAnswering {
    connection: OnceLock<Arc<MqttConnection>>,
}

impl Inbound for CutsBeforeAnswering {
    fn method<'a>(
        &'a self,
        request_id: &'a str,
        _name: &'a str,
        _payload: &'a [u8],
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let connection = self.connection.get().unwrap();
            connection.go_offline(Duration::from_secs(1));
            tokio::time::sleep(Duration::from_millis(300)).await;
            let _ = connection
                .respond_method(request_id, 202, json!({"operationId": "op-1"}))
                .await;
        })
    }

    fn desired_patch<'a>(&'a self, _patch: &'a Value) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }

    fn full_twin<'a>(&'a self, _twin: &'a Value) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }
}

/// 500 simulated devices rebooted at once: a few callers were told "the device disconnected
/// before answering" for a reboot the device had accepted (and did). Going offline now waits
/// for the answers in flight.
#[tokio::test]
async fn going_offline_lets_the_answer_in_flight_go_out_first() {
    let hub = TestHub::start().await;
    let state = tempfile::tempdir().unwrap();
    let connection = MqttConnection::open(hub.settings("dev-cut-answer", state.path())).unwrap();
    let handler = Arc::new(CutsBeforeAnswering {
        connection: OnceLock::new(),
    });
    let _ = handler.connection.set(Arc::clone(&connection));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn({
        let connection = Arc::clone(&connection);
        let handler: Arc<dyn Inbound> = handler.clone();
        async move {
            connection
                .run(handler, async {
                    let _ = stopped.await;
                })
                .await;
        }
    });
    let mut link = connection.link_state();
    tokio::time::timeout(WITHIN, link.wait_for(|s| *s == LinkState::Connected))
        .await
        .unwrap()
        .unwrap();

    let (status, payload) = hub.call("dev-cut-answer", "dm.reboot", json!({})).await;
    assert_eq!(status, 202, "{payload}");
    assert_eq!(payload, json!({"operationId": "op-1"}));
    // And it did go offline, then came back.
    tokio::time::timeout(WITHIN, link.wait_for(|s| *s != LinkState::Connected))
        .await
        .unwrap()
        .unwrap();
    tokio::time::timeout(WITHIN, link.wait_for(|s| *s == LinkState::Connected))
        .await
        .unwrap()
        .unwrap();
    let _ = stop.send(());
    task.await.unwrap();
}
