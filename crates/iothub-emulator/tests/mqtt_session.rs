//! The device MQTT endpoint over real TLS, driven packet by packet, with a fake registry behind it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use iothub_emulator::connections::{Connections, MethodInvokeError};
use iothub_emulator::identity::Identity;
use iothub_emulator::mqtt::{self, ConnectAuth, ConnectRefusal, DeviceBackend, DeviceOpError};
use rumqttc::mqttbytes::QoS;
use rumqttc::mqttbytes::v4::{
    Codec, Connect, ConnectReturnCode, LastWill, Login, Packet, Publish, Subscribe,
    SubscribeFilter, SubscribeReasonCode, Unsubscribe,
};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::client::TlsStream;
use tokio_util::codec::Framed;
use tokio_util::sync::CancellationToken;

type Telemetry = (Vec<(String, Option<String>)>, Vec<u8>);

#[derive(Default)]
struct Fake {
    disabled: Vec<String>,
    reported: Mutex<HashMap<String, (u64, Value)>>,
    events: Mutex<Vec<String>>,
    telemetry: Mutex<Vec<Telemetry>>,
    /// A reported patch with a `"hold"` member waits here for the test's go-ahead, keeping its
    /// session busy while the test lines up what happens next.
    held: Mutex<Option<std::sync::mpsc::Receiver<()>>>,
    /// How many held patches are waiting.
    holding: std::sync::atomic::AtomicUsize,
}

impl DeviceBackend for Fake {
    fn authenticate(
        &self,
        identity: &Identity,
        auth: &ConnectAuth,
    ) -> Result<Option<u64>, ConnectRefusal> {
        if auth.password.as_deref() != Some(&format!("token-{}", identity.client_id())) {
            return Err(ConnectRefusal::NotAuthorized);
        }
        if self.disabled.contains(&identity.device_id) {
            return Err(ConnectRefusal::ServerUnavailable);
        }
        Ok(None)
    }

    fn get_twin(&self, identity: &Identity) -> Result<Value, DeviceOpError> {
        let reported = self.reported.lock().unwrap();
        let (version, doc) = reported
            .get(&identity.client_id())
            .cloned()
            .unwrap_or((1, json!({})));
        let mut doc = doc;
        doc["$version"] = json!(version);
        Ok(json!({"desired": {"$version": 1}, "reported": doc}))
    }

    fn patch_reported(&self, identity: &Identity, patch: &Value) -> Result<u64, DeviceOpError> {
        if patch.get("hold").is_some()
            && let Some(go) = self.held.lock().unwrap().as_ref()
        {
            self.holding
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = go.recv();
            self.holding
                .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        }
        if patch.get("bad key").is_some() {
            return Err(DeviceOpError::new(
                400,
                400_004,
                "property name 'bad key' contains ' '",
            ));
        }
        let mut reported = self.reported.lock().unwrap();
        let entry = reported
            .entry(identity.client_id())
            .or_insert((1, json!({})));
        for (k, v) in patch.as_object().unwrap() {
            entry.1[k] = v.clone();
        }
        entry.0 += 1;
        Ok(entry.0)
    }

    fn connection_changed(&self, identity: &Identity, connected: bool) {
        self.events
            .lock()
            .unwrap()
            .push(format!("{identity}:{connected}"));
    }

    fn telemetry(
        &self,
        _identity: &Identity,
        properties: Vec<(String, Option<String>)>,
        body: &[u8],
    ) -> Result<(), DeviceOpError> {
        self.telemetry
            .lock()
            .unwrap()
            .push((properties, body.to_vec()));
        Ok(())
    }
}

struct Server {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    ca: rustls::pki_types::CertificateDer<'static>,
    connections: Arc<Connections>,
    backend: Arc<Fake>,
    shutdown: CancellationToken,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

async fn start(fake: Fake) -> Server {
    let key = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let cert_der = key.cert.der().clone();
    let key_der =
        rustls::pki_types::PrivateKeyDer::try_from(key.signing_key.serialize_der()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert_der.clone()], key_der)
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(Connections::new());
    let backend = Arc::new(fake);
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(mqtt::serve_tls(
        listener,
        Arc::new(config),
        backend.clone(),
        connections.clone(),
        iothub_emulator::ConnectionLimits::default(),
        shutdown.clone(),
    ));
    Server {
        addr,
        task,
        ca: cert_der,
        connections,
        backend,
        shutdown,
    }
}

type Client = Framed<TlsStream<TcpStream>, Codec>;

impl Server {
    async fn tls(&self) -> TlsStream<TcpStream> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.ca.clone()).unwrap();
        let config = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let tcp = TcpStream::connect(self.addr).await.unwrap();
        connector
            .connect("localhost".try_into().unwrap(), tcp)
            .await
            .unwrap()
    }

    async fn connect_raw(
        &self,
        client_id: &str,
        username: &str,
        password: &str,
    ) -> (Client, ConnectReturnCode) {
        let mut connect = Connect::new(client_id);
        connect.keep_alive = 60;
        connect.clean_session = false;
        connect.login = Some(Login::new(username, password));
        self.connect_with(connect).await
    }

    async fn connect_with(&self, connect: Connect) -> (Client, ConnectReturnCode) {
        let mut framed = Framed::new(
            self.tls().await,
            Codec {
                max_incoming_size: 1 << 20,
                max_outgoing_size: 1 << 20,
            },
        );
        framed.send(Packet::Connect(connect)).await.unwrap();
        match next(&mut framed).await {
            Some(Packet::ConnAck(ack)) => (framed, ack.code),
            other => panic!("expected CONNACK, got {other:?}"),
        }
    }

    /// Connects `device` with a valid token and subscribes to the hub topics.
    async fn device(&self, device: &str) -> Client {
        let username = format!("localhost/{device}/?api-version=2021-04-12");
        let (mut c, code) = self
            .connect_raw(device, &username, &format!("token-{device}"))
            .await;
        assert_eq!(code, ConnectReturnCode::Success);
        subscribe(
            &mut c,
            &[
                "$iothub/methods/POST/#",
                "$iothub/twin/PATCH/properties/desired/#",
                "$iothub/twin/res/#",
            ],
        )
        .await;
        c
    }
}

async fn next(c: &mut Client) -> Option<Packet> {
    match tokio::time::timeout(Duration::from_secs(10), c.next()).await {
        Ok(Some(Ok(p))) => Some(p),
        Ok(_) => None,
        Err(elapsed) => panic!("no packet: {elapsed}"),
    }
}

async fn subscribe(c: &mut Client, filters: &[&str]) -> Vec<SubscribeReasonCode> {
    let sub = Subscribe::new_many(
        filters
            .iter()
            .map(|f| SubscribeFilter::new((*f).to_string(), QoS::AtLeastOnce)),
    );
    c.send(Packet::Subscribe(sub)).await.unwrap();
    match next(c).await {
        Some(Packet::SubAck(ack)) => ack.return_codes,
        other => panic!("expected SUBACK, got {other:?}"),
    }
}

async fn publish(c: &mut Client, topic: &str, qos: QoS, payload: &[u8]) {
    let mut p = Publish::new(topic, qos, payload.to_vec());
    if qos != QoS::AtMostOnce {
        p.pkid = 7;
    }
    c.send(Packet::Publish(p)).await.unwrap();
}

/// Reads packets until a PUBLISH arrives (skipping acks).
async fn next_publish(c: &mut Client) -> Publish {
    loop {
        match next(c).await {
            Some(Packet::Publish(p)) => return p,
            Some(_) => {}
            None => panic!("connection closed while waiting for a PUBLISH"),
        }
    }
}

async fn is_closed(c: &mut Client) -> bool {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), c.next()).await {
            Ok(None | Some(Err(_))) => return true,
            Ok(Some(Ok(_))) => {}
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn connack_codes_follow_the_hub() {
    let s = start(Fake {
        disabled: vec!["off".into()],
        ..Fake::default()
    })
    .await;
    let (_, code) = s
        .connect_raw("dev1", "localhost/dev1/?api-version=2021-04-12", "wrong")
        .await;
    assert_eq!(code, ConnectReturnCode::NotAuthorized);
    let (_, code) = s
        .connect_raw("off", "localhost/off/?api-version=2021-04-12", "token-off")
        .await;
    assert_eq!(code, ConnectReturnCode::ServiceUnavailable);
    let (_, code) = s
        .connect_raw(
            "dev2",
            "localhost/dev1/?api-version=2021-04-12",
            "token-dev1",
        )
        .await;
    assert_eq!(code, ConnectReturnCode::BadClientId);
    let (_, code) = s.connect_raw("dev1", "localhost/dev1", "token-dev1").await;
    assert_eq!(code, ConnectReturnCode::BadUserNamePassword);
    let (_, code) = s
        .connect_raw(
            "dev1/m1",
            "localhost/dev1/m1/?api-version=2021-04-12",
            "token-dev1/m1",
        )
        .await;
    assert_eq!(code, ConnectReturnCode::Success);
    assert!(s.connections.is_connected(&Identity::module("dev1", "m1")));
    assert!(!s.connections.is_connected(&Identity::device("dev1")));
}

#[tokio::test]
async fn protocol_level_other_than_4_gets_connack_1() {
    let s = start(Fake::default()).await;
    let mut tls = s.tls().await;
    // A hand-built MQTT 3.1 (level 3) CONNECT: rumqttc only encodes levels 4 and 5.
    let mut packet = vec![0x10, 0];
    let body: Vec<u8> = [&[0, 6][..], b"MQIsdp", &[3, 0x02, 0, 60, 0, 1], b"d"].concat();
    packet[1] = u8::try_from(body.len()).unwrap();
    packet.extend(body);
    tokio::io::AsyncWriteExt::write_all(&mut tls, &packet)
        .await
        .unwrap();
    let mut framed = Framed::new(
        tls,
        Codec {
            max_incoming_size: 1024,
            max_outgoing_size: 1024,
        },
    );
    match next(&mut framed).await {
        Some(Packet::ConnAck(ack)) => {
            assert_eq!(ack.code, ConnectReturnCode::RefusedProtocolVersion);
        }
        other => panic!("expected CONNACK 1, got {other:?}"),
    }
}

#[tokio::test]
async fn twin_get_and_reported_patch_echo_rid_and_version() {
    let s = start(Fake::default()).await;
    let mut c = s.device("dev1").await;
    publish(
        &mut c,
        "$iothub/twin/GET/?$rid=9dda88c4-aa",
        QoS::AtLeastOnce,
        b" ",
    )
    .await;
    let p = next_publish(&mut c).await;
    assert_eq!(p.topic, "$iothub/twin/res/200/?$rid=9dda88c4-aa");
    let twin: Value = serde_json::from_slice(&p.payload).unwrap();
    assert_eq!(twin["reported"]["$version"], 1);

    publish(
        &mut c,
        "$iothub/twin/PATCH/properties/reported/?$rid=42",
        QoS::AtLeastOnce,
        br#"{"fw":"1.0"}"#,
    )
    .await;
    let p = next_publish(&mut c).await;
    assert_eq!(p.topic, "$iothub/twin/res/204/?$rid=42&$version=2");
    assert!(p.payload.is_empty());

    // Errors carry both the status in the topic and an errorCode body (Node needs the body).
    publish(
        &mut c,
        "$iothub/twin/PATCH/properties/reported/?$rid=43",
        QoS::AtLeastOnce,
        br#"{"bad key":1}"#,
    )
    .await;
    let p = next_publish(&mut c).await;
    assert_eq!(p.topic, "$iothub/twin/res/400/?$rid=43");
    let body: Value = serde_json::from_slice(&p.payload).unwrap();
    assert_eq!(body["errorCode"], 400_004);
    assert!(body["message"].as_str().unwrap().contains("bad key"));

    publish(
        &mut c,
        "$iothub/twin/PATCH/properties/reported/?$rid=44",
        QoS::AtLeastOnce,
        b"{not json",
    )
    .await;
    let p = next_publish(&mut c).await;
    assert_eq!(p.topic, "$iothub/twin/res/400/?$rid=44");
    // The session survives a refused patch.
    publish(&mut c, "$iothub/twin/GET/?$rid=45", QoS::AtMostOnce, b"").await;
    assert_eq!(
        next_publish(&mut c).await.topic,
        "$iothub/twin/res/200/?$rid=45"
    );
}

#[tokio::test]
async fn desired_notifications_reach_subscribed_sessions() {
    let s = start(Fake::default()).await;
    let mut c = s.device("dev1").await;
    let patch = json!({"interval": 5, "$version": 7});
    s.connections
        .notify_desired(&Identity::device("dev1"), 7, &patch);
    let p = next_publish(&mut c).await;
    assert_eq!(p.topic, "$iothub/twin/PATCH/properties/desired/?$version=7");
    assert_eq!(serde_json::from_slice::<Value>(&p.payload).unwrap(), patch);
}

#[tokio::test]
async fn method_round_trip_and_concurrent_calls() {
    let s = start(Fake::default()).await;
    let mut c = s.device("dev1").await;
    let id = Identity::device("dev1");
    let calls = (0..3).map(|i| {
        let connections = s.connections.clone();
        let id = id.clone();
        tokio::spawn(async move {
            connections
                .invoke_method(
                    &id,
                    "reboot",
                    &json!({ "n": i }),
                    Duration::ZERO,
                    Duration::from_secs(10),
                )
                .await
        })
    });
    let calls: Vec<_> = calls.collect();
    // Answer the three requests in reverse order: each answer must reach its own caller.
    let mut requests = Vec::new();
    for _ in 0..3 {
        let p = next_publish(&mut c).await;
        assert_eq!(p.qos, QoS::AtMostOnce);
        let rid = p.topic.split("$rid=").nth(1).unwrap().to_string();
        assert!(p.topic.starts_with("$iothub/methods/POST/reboot/?$rid="));
        let n = serde_json::from_slice::<Value>(&p.payload).unwrap()["n"].clone();
        requests.push((rid, n));
    }
    for (rid, n) in requests.iter().rev() {
        let body = json!({ "echo": n }).to_string();
        publish(
            &mut c,
            &format!(
                "$iothub/methods/res/{}/?$rid={rid}",
                200 + n.as_i64().unwrap()
            ),
            QoS::AtLeastOnce,
            body.as_bytes(),
        )
        .await;
    }
    for (i, call) in calls.into_iter().enumerate() {
        let (status, payload) = call.await.unwrap().unwrap();
        assert_eq!(status, 200 + i32::try_from(i).unwrap());
        assert_eq!(payload, json!({ "echo": i }));
    }
}

#[tokio::test]
async fn offline_device_fails_at_once_or_after_waiting() {
    let s = start(Fake::default()).await;
    let id = Identity::device("dev1");
    let r = s
        .connections
        .invoke_method(
            &id,
            "m",
            &Value::Null,
            Duration::ZERO,
            Duration::from_secs(5),
        )
        .await;
    assert_eq!(r, Err(MethodInvokeError::NotConnected));

    // With a connect timeout the call waits for the device to connect and subscribe.
    let connections = s.connections.clone();
    let call = tokio::spawn(async move {
        connections
            .invoke_method(
                &id,
                "m",
                &Value::Null,
                Duration::from_secs(20),
                Duration::from_secs(10),
            )
            .await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut c = s.device("dev1").await;
    let p = next_publish(&mut c).await;
    let rid = p.topic.split("$rid=").nth(1).unwrap().to_string();
    publish(
        &mut c,
        &format!("$iothub/methods/res/500/?$rid={rid}"),
        QoS::AtMostOnce,
        b"",
    )
    .await;
    assert_eq!(call.await.unwrap(), Ok((500, Value::Null)));
}

#[tokio::test]
async fn connected_but_unsubscribed_and_silent_devices_time_out() {
    let s = start(Fake::default()).await;
    let (mut quiet, code) = s
        .connect_raw(
            "dev1",
            "localhost/dev1/?api-version=2021-04-12",
            "token-dev1",
        )
        .await;
    assert_eq!(code, ConnectReturnCode::Success);
    let id = Identity::device("dev1");
    let r = s
        .connections
        .invoke_method(
            &id,
            "m",
            &Value::Null,
            Duration::from_millis(200),
            Duration::from_secs(5),
        )
        .await;
    assert_eq!(r, Err(MethodInvokeError::NotSubscribed));
    subscribe(&mut quiet, &["$iothub/methods/POST/#"]).await;
    let r = s
        .connections
        .invoke_method(
            &id,
            "m",
            &Value::Null,
            Duration::ZERO,
            Duration::from_millis(300),
        )
        .await;
    assert_eq!(r, Err(MethodInvokeError::Timeout));
}

#[tokio::test]
async fn a_second_connection_drops_the_first() {
    let s = start(Fake::default()).await;
    let mut first = s.device("dev1").await;
    let _second = s.device("dev1").await;
    assert!(is_closed(&mut first).await);
    assert!(s.connections.is_connected(&Identity::device("dev1")));
    // Only the current session's end marks the device disconnected.
    let events = s.backend.events.lock().unwrap().clone();
    assert_eq!(events, vec!["dev1:true", "dev1:true"]);
}

#[tokio::test]
async fn disconnect_ends_the_session_and_reports_it() {
    let s = start(Fake::default()).await;
    let mut c = s.device("dev1").await;
    s.connections.disconnect(&Identity::device("dev1"));
    assert!(is_closed(&mut c).await);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!s.connections.is_connected(&Identity::device("dev1")));
    assert_eq!(
        s.backend.events.lock().unwrap().clone(),
        vec!["dev1:true", "dev1:false"]
    );
}

#[tokio::test]
async fn qos2_unknown_topics_and_foreign_topics_close_the_connection() {
    let s = start(Fake::default()).await;
    for (topic, qos) in [
        ("devices/dev1/messages/events/", QoS::ExactlyOnce),
        ("some/other/topic", QoS::AtLeastOnce),
        ("devices/dev2/messages/events/", QoS::AtLeastOnce),
    ] {
        let mut c = s.device("dev1").await;
        publish(&mut c, topic, qos, b"{}").await;
        assert!(is_closed(&mut c).await, "{topic} {qos:?}");
    }
}

#[tokio::test]
async fn unsupported_subscriptions_fail_and_qos2_is_granted_1() {
    let s = start(Fake::default()).await;
    let mut c = s.device("dev1").await;
    let sub = Subscribe::new_many([
        SubscribeFilter::new("#".into(), QoS::AtLeastOnce),
        SubscribeFilter::new(
            "devices/dev1/messages/devicebound/#".into(),
            QoS::ExactlyOnce,
        ),
    ]);
    c.send(Packet::Subscribe(sub)).await.unwrap();
    match next(&mut c).await {
        Some(Packet::SubAck(ack)) => assert_eq!(
            ack.return_codes,
            vec![
                SubscribeReasonCode::Failure,
                SubscribeReasonCode::Success(QoS::AtLeastOnce)
            ]
        ),
        other => panic!("expected SUBACK, got {other:?}"),
    }
}

#[tokio::test]
async fn telemetry_is_accepted_with_its_property_bag() {
    let s = start(Fake::default()).await;
    let mut c = s.device("dev1").await;
    publish(
        &mut c,
        "devices/dev1/messages/events/%24.mid=mid1&%24.ct=application%2Fjson&k=v%20w",
        QoS::AtLeastOnce,
        b"{\"t\":21}",
    )
    .await;
    assert!(matches!(next(&mut c).await, Some(Packet::PubAck(_))));
    let t = s.backend.telemetry.lock().unwrap().clone();
    assert_eq!(t.len(), 1);
    assert!(
        t[0].0
            .contains(&("$.ct".into(), Some("application/json".into())))
    );
    assert!(t[0].0.contains(&("k".into(), Some("v w".into()))));
    assert_eq!(t[0].1, b"{\"t\":21}");
}

#[tokio::test]
async fn garbage_and_oversize_packets_close_only_their_connection() {
    let s = start(Fake::default()).await;
    let mut tls = s.tls().await;
    tokio::io::AsyncWriteExt::write_all(&mut tls, &[0xff; 64])
        .await
        .unwrap();
    let mut buf = [0u8; 16];
    let n = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::io::AsyncReadExt::read(&mut tls, &mut buf),
    )
    .await
    .unwrap()
    .unwrap_or(0);
    assert_eq!(n, 0, "garbage must close the connection");

    let mut c = s.device("dev1").await;
    let huge = vec![b'x'; mqtt::MAX_INCOMING_PACKET + 1];
    publish(
        &mut c,
        "devices/dev1/messages/events/",
        QoS::AtLeastOnce,
        &huge,
    )
    .await;
    assert!(is_closed(&mut c).await);

    // The endpoint still serves others.
    let mut ok = s.device("dev2").await;
    publish(&mut ok, "$iothub/twin/GET/?$rid=1", QoS::AtMostOnce, b" ").await;
    assert_eq!(
        next_publish(&mut ok).await.topic,
        "$iothub/twin/res/200/?$rid=1"
    );
    s.shutdown.cancel();
}

#[tokio::test]
async fn rumqttc_client_interoperates() {
    let s = start(Fake::default()).await;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(s.ca.clone()).unwrap();
    let tls = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let mut opts = rumqttc::MqttOptions::new("dev9", "localhost", s.addr.port());
    opts.set_credentials("localhost/dev9/?api-version=2021-04-12", "token-dev9");
    opts.set_clean_session(false);
    opts.set_transport(rumqttc::Transport::tls_with_config(
        rumqttc::TlsConfiguration::Rustls(Arc::new(tls)),
    ));
    let (client, mut eventloop) = rumqttc::AsyncClient::new(opts, 10);
    client
        .subscribe("$iothub/twin/res/#", rumqttc::QoS::AtLeastOnce)
        .await
        .unwrap();
    client
        .publish(
            "$iothub/twin/GET/?$rid=abc",
            rumqttc::QoS::AtLeastOnce,
            false,
            " ",
        )
        .await
        .unwrap();
    let topic = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let rumqttc::Event::Incoming(rumqttc::Packet::Publish(p)) =
                eventloop.poll().await.unwrap()
            {
                return p.topic;
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(topic, "$iothub/twin/res/200/?$rid=abc");
}

/// Waits (bounded) until `check` holds; for effects that land on another task.
async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    test_support::eventually(Duration::from_secs(5), what, async || check().then_some(())).await;
}

fn credentials(identity: &str) -> (String, String) {
    (
        format!("localhost/{identity}/?api-version=2021-04-12"),
        format!("token-{identity}"),
    )
}

#[tokio::test]
async fn module_identities_use_their_own_topics() {
    let s = start(Fake::default()).await;
    let (user, pass) = credentials("dev1/m1");
    let (mut c, code) = s.connect_raw("dev1/m1", &user, &pass).await;
    assert_eq!(code, ConnectReturnCode::Success);
    let codes = subscribe(
        &mut c,
        &[
            "$iothub/twin/res/#",
            "devices/dev1/modules/m1/#",
            "devices/dev1/messages/devicebound/#",
        ],
    )
    .await;
    assert_eq!(
        codes,
        vec![
            SubscribeReasonCode::Success(QoS::AtLeastOnce),
            SubscribeReasonCode::Success(QoS::AtLeastOnce),
            SubscribeReasonCode::Failure,
        ]
    );
    publish(
        &mut c,
        "$iothub/twin/PATCH/properties/reported/?$rid=1",
        QoS::AtMostOnce,
        br#"{"m":true}"#,
    )
    .await;
    assert_eq!(
        next_publish(&mut c).await.topic,
        "$iothub/twin/res/204/?$rid=1&$version=2"
    );
    // The module's twin is its own, not the device's.
    assert!(s.backend.reported.lock().unwrap().contains_key("dev1/m1"));
    assert!(!s.backend.reported.lock().unwrap().contains_key("dev1"));

    publish(
        &mut c,
        "devices/dev1/modules/m1/messages/events/a=1",
        QoS::AtLeastOnce,
        b"x",
    )
    .await;
    assert!(matches!(next(&mut c).await, Some(Packet::PubAck(_))));
    // A module may not send as its parent device.
    publish(
        &mut c,
        "devices/dev1/messages/events/",
        QoS::AtLeastOnce,
        b"x",
    )
    .await;
    assert!(is_closed(&mut c).await);
    assert_eq!(s.backend.telemetry.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn silence_beyond_one_and_a_half_keep_alives_ends_the_session() {
    let s = start(Fake::default()).await;
    let (user, pass) = credentials("dev1");
    let mut connect = Connect::new("dev1");
    connect.keep_alive = 1;
    connect.login = Some(Login::new(user, pass));
    let (mut c, code) = s.connect_with(connect).await;
    assert_eq!(code, ConnectReturnCode::Success);
    // Pings within the keep-alive keep it open...
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(700)).await;
        c.send(Packet::PingReq).await.unwrap();
        assert_eq!(next(&mut c).await, Some(Packet::PingResp));
    }
    // ...and silence closes it.
    assert!(is_closed(&mut c).await);
    eventually("device reported disconnected", || {
        s.backend.events.lock().unwrap().last().map(String::as_str) == Some("dev1:false")
    })
    .await;
}

#[tokio::test]
async fn unsubscribing_from_methods_stops_routing() {
    let s = start(Fake::default()).await;
    let mut c = s.device("dev1").await;
    let mut unsub = Unsubscribe::new("$iothub/methods/POST/#");
    unsub.pkid = 9;
    c.send(Packet::Unsubscribe(unsub)).await.unwrap();
    match next(&mut c).await {
        Some(Packet::UnsubAck(ack)) => assert_eq!(ack.pkid, 9),
        other => panic!("expected UNSUBACK, got {other:?}"),
    }
    let r = s
        .connections
        .invoke_method(
            &Identity::device("dev1"),
            "m",
            &Value::Null,
            Duration::ZERO,
            Duration::from_secs(5),
        )
        .await;
    assert_eq!(r, Err(MethodInvokeError::NotSubscribed));
}

/// A device that drains on UNSUBACK (the agent renewing its token: unsubscribe from methods,
/// answer what arrived, disconnect) must receive every call routed to it while it was
/// subscribed before that UNSUBACK; a request written after it is never answered and the
/// caller gets 404103 "disconnected before answering".
#[tokio::test]
async fn calls_routed_before_an_unsubscribe_arrive_before_its_unsuback() {
    let (go, held) = std::sync::mpsc::channel();
    let s = start(Fake {
        held: Mutex::new(Some(held)),
        ..Fake::default()
    })
    .await;
    let id = Identity::device("dev1");
    let mut c = s.device("dev1").await;
    // The session picks between its queue and the socket at random when both are ready, so
    // one round could pass by luck; sixteen cannot.
    for round in 0..16 {
        // The session is busy with a patch the backend holds, and the UNSUBSCRIBE waits
        // behind it, written together so that the session reads both at once and finds the
        // UNSUBSCRIBE ready in its buffer...
        let patch = Publish::new(
            format!("$iothub/twin/PATCH/properties/reported/?$rid=p{round}"),
            QoS::AtMostOnce,
            br#"{"hold": true}"#.to_vec(),
        );
        let mut unsub = Unsubscribe::new("$iothub/methods/POST/#");
        unsub.pkid = 9;
        c.feed(Packet::Publish(patch)).await.unwrap();
        c.feed(Packet::Unsubscribe(unsub)).await.unwrap();
        c.flush().await.unwrap();
        eventually("the session is busy with the patch", || {
            s.backend.holding.load(std::sync::atomic::Ordering::SeqCst) == 1
        })
        .await;
        // ...when a call is routed to it, still subscribed.
        let connections = s.connections.clone();
        let call_id = id.clone();
        let call = tokio::spawn(async move {
            connections
                .invoke_method(
                    &call_id,
                    "m",
                    &json!(round),
                    Duration::from_secs(10),
                    Duration::from_secs(10),
                )
                .await
        });
        // `Connections` shows its pending calls only in its `Debug` output.
        eventually("the call is queued for the session", || {
            format!("{:?}", s.connections).contains("pending_methods: 1")
        })
        .await;
        go.send(()).unwrap();
        let mut request = None;
        loop {
            match next(&mut c).await {
                Some(Packet::Publish(p)) if p.topic.starts_with("$iothub/methods/POST/m/") => {
                    request = Some(p);
                }
                Some(Packet::UnsubAck(ack)) => {
                    assert_eq!(ack.pkid, 9);
                    break;
                }
                Some(_) => {}
                None => panic!("connection closed in round {round}"),
            }
        }
        let request = request
            .unwrap_or_else(|| panic!("round {round}: the method request came after UNSUBACK"));
        let rid = request.topic.split("$rid=").nth(1).unwrap().to_string();
        publish(
            &mut c,
            &format!("$iothub/methods/res/200/?$rid={rid}"),
            // QoS 0: no PUBACK to skip before the SUBACK below.
            QoS::AtMostOnce,
            br#"{"ok":true}"#,
        )
        .await;
        assert_eq!(call.await.unwrap(), Ok((200, json!({"ok": true}))));
        subscribe(&mut c, &["$iothub/methods/POST/#"]).await;
    }
}

#[tokio::test]
async fn oversize_method_responses_and_dropped_devices_fail_the_call() {
    let s = start(Fake::default()).await;
    let id = Identity::device("dev1");
    for oversize in [true, false] {
        let mut c = s.device("dev1").await;
        let connections = s.connections.clone();
        let call_id = id.clone();
        let call = tokio::spawn(async move {
            connections
                .invoke_method(
                    &call_id,
                    "m",
                    &json!({}),
                    Duration::ZERO,
                    Duration::from_secs(20),
                )
                .await
        });
        let p = next_publish(&mut c).await;
        let rid = p.topic.split("$rid=").nth(1).unwrap().to_string();
        if oversize {
            // 128 KB is the limit for a method response body (§C).
            let body = format!("\"{}\"", "x".repeat(128 * 1024));
            publish(
                &mut c,
                &format!("$iothub/methods/res/200/?$rid={rid}"),
                QoS::AtLeastOnce,
                body.as_bytes(),
            )
            .await;
            assert!(is_closed(&mut c).await);
        } else {
            drop(c);
        }
        assert_eq!(call.await.unwrap(), Err(MethodInvokeError::Disconnected));
    }
}

#[tokio::test]
async fn retained_telemetry_is_marked_and_wills_are_sent_on_abrupt_loss() {
    let s = start(Fake::default()).await;
    let mut c = s.device("dev1").await;
    let mut p = Publish::new("devices/dev1/messages/events/k=v", QoS::AtLeastOnce, "r");
    p.retain = true;
    p.pkid = 3;
    c.send(Packet::Publish(p)).await.unwrap();
    assert!(matches!(next(&mut c).await, Some(Packet::PubAck(_))));
    let props = s.backend.telemetry.lock().unwrap()[0].0.clone();
    assert!(props.contains(&("mqtt-retain".into(), Some("true".into()))));
    drop(c);

    for graceful in [true, false] {
        s.backend.telemetry.lock().unwrap().clear();
        let (user, pass) = credentials("dev2");
        let mut connect = Connect::new("dev2");
        connect.keep_alive = 60;
        connect.login = Some(Login::new(user, pass));
        connect.last_will = Some(LastWill::new(
            "devices/dev2/messages/events/%24.ct=text%2Fplain",
            "gone",
            QoS::AtLeastOnce,
            false,
        ));
        let (mut c, code) = s.connect_with(connect).await;
        assert_eq!(code, ConnectReturnCode::Success);
        if graceful {
            c.send(Packet::Disconnect).await.unwrap();
        }
        drop(c);
        eventually("session ended", || {
            !s.connections.is_connected(&Identity::device("dev2"))
        })
        .await;
        let sent = s.backend.telemetry.lock().unwrap().clone();
        if graceful {
            assert!(sent.is_empty(), "DISCONNECT discards the will");
        } else {
            assert_eq!(sent.len(), 1);
            assert_eq!(sent[0].1, b"gone");
            assert!(
                sent[0]
                    .0
                    .contains(&("$.ct".into(), Some("text/plain".into())))
            );
            assert!(
                sent[0]
                    .0
                    .contains(&("iothub-MessageType".into(), Some("Will".into())))
            );
        }
    }
}

#[tokio::test]
async fn shutdown_closes_sessions_and_returns() {
    let s = start(Fake::default()).await;
    let mut c = s.device("dev1").await;
    // A client that never finishes its TLS handshake must not hold shutdown up.
    let _stalled = TcpStream::connect(s.addr).await.unwrap();
    s.shutdown.cancel();
    let served = tokio::time::timeout(Duration::from_secs(10), s.task)
        .await
        .expect("serve_tls returns after shutdown");
    assert!(served.unwrap().is_ok());
    assert!(is_closed(&mut c).await);
    assert_eq!(s.connections.connected_count(), 0);
    assert_eq!(
        s.backend.events.lock().unwrap().clone(),
        vec!["dev1:true", "dev1:false"]
    );
    assert!(
        TcpStream::connect(s.addr).await.is_err(),
        "no longer accepting"
    );
}

#[tokio::test]
async fn plaintext_on_the_tls_port_is_dropped() {
    let s = start(Fake::default()).await;
    let mut tcp = TcpStream::connect(s.addr).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut tcp, b"\x10\x0c\x00\x04MQTT\x04\x02\x00\x3c\x00\x00")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::io::AsyncReadExt::read_to_end(&mut tcp, &mut buf),
    )
    .await
    .expect("the server closes the connection");
    // Whatever the TLS layer answers (an alert, or a reset), it is never a CONNACK.
    assert!(read.is_err() || !buf.starts_with(&[0x20]));
    let mut ok = s.device("dev2").await;
    publish(&mut ok, "$iothub/twin/GET/?$rid=1", QoS::AtMostOnce, b" ").await;
    assert_eq!(
        next_publish(&mut ok).await.topic,
        "$iothub/twin/res/200/?$rid=1"
    );
}

#[tokio::test]
async fn websocket_sessions_behave_like_tls_ones() {
    use axum::extract::ws::WebSocketUpgrade;

    let backend = Arc::new(Fake::default());
    let connections = Arc::new(Connections::new());
    let shutdown = CancellationToken::new();
    let app = {
        let backend = backend.clone();
        let connections = connections.clone();
        let shutdown = shutdown.clone();
        axum::Router::new().route(
            "/$iothub/websocket",
            axum::routing::get(move |ws: WebSocketUpgrade| async move {
                ws.protocols(["mqtt"])
                    .max_message_size(mqtt::WEBSOCKET_MAX_MESSAGE)
                    .on_upgrade(move |socket| {
                        mqtt::serve_websocket(socket, backend, connections, shutdown)
                    })
            }),
        )
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let mut opts = rumqttc::MqttOptions::new(
        "dev1",
        format!("ws://127.0.0.1:{port}/$iothub/websocket"),
        port,
    );
    let (user, pass) = credentials("dev1");
    opts.set_credentials(user, pass);
    opts.set_transport(rumqttc::Transport::Ws);
    // rumqttc's default limit is 10 KB; the payload below spans many WebSocket reads.
    opts.set_max_packet_size(1 << 20, 1 << 20);
    let (client, mut eventloop) = rumqttc::AsyncClient::new(opts, 10);
    client
        .subscribe("$iothub/methods/POST/#", rumqttc::QoS::AtMostOnce)
        .await
        .unwrap();
    client
        .subscribe("$iothub/twin/res/#", rumqttc::QoS::AtMostOnce)
        .await
        .unwrap();
    client
        .publish(
            "$iothub/twin/GET/?$rid=ws1",
            rumqttc::QoS::AtLeastOnce,
            false,
            " ",
        )
        .await
        .unwrap();
    // The device side: answer method calls with the request's payload.
    let device = tokio::spawn(async move {
        let mut twin_topic = None;
        loop {
            match eventloop.poll().await {
                Ok(rumqttc::Event::Incoming(rumqttc::Packet::Publish(p))) => {
                    if p.topic.starts_with("$iothub/twin/res/") {
                        twin_topic = Some(p.topic.clone());
                    } else if let Some((_, rid)) = p.topic.split_once("?$rid=") {
                        client
                            .publish(
                                format!("$iothub/methods/res/201/?$rid={rid}"),
                                rumqttc::QoS::AtLeastOnce,
                                false,
                                p.payload.to_vec(),
                            )
                            .await
                            .unwrap();
                    }
                }
                Ok(_) => {}
                Err(_) => return twin_topic,
            }
        }
    });
    let id = Identity::device("dev1");
    let answer = connections
        .invoke_method(
            &id,
            "echo",
            &json!({"big": "y".repeat(100 * 1024)}),
            Duration::from_secs(10),
            Duration::from_secs(10),
        )
        .await
        .unwrap();
    assert_eq!(answer.0, 201);
    assert_eq!(answer.1["big"].as_str().map(str::len), Some(100 * 1024));
    assert!(
        backend
            .events
            .lock()
            .unwrap()
            .contains(&"dev1:true".to_string())
    );

    connections.disconnect(&id);
    let twin_topic = tokio::time::timeout(Duration::from_secs(10), device)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        twin_topic.as_deref(),
        Some("$iothub/twin/res/200/?$rid=ws1")
    );
    eventually("device reported disconnected", || {
        backend.events.lock().unwrap().last().map(String::as_str) == Some("dev1:false")
    })
    .await;
}
