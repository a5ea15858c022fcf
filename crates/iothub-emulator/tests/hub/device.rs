//! A device on MQTT (rumqttc, as a Rust device would use it) against the full hub: SAS
//! authentication, twin GET and reported patches, desired notifications after service writes,
//! direct methods and their hub-side errors, and the forced disconnects of registry changes.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use rumqttc::{
    AsyncClient, ConnectReturnCode, ConnectionError, Event, MqttOptions, Packet, Publish, QoS,
    TlsConfiguration, Transport,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::common::{TestHub, WITHIN, eventually, start};

/// A connected device: its client, and every PUBLISH the hub sent it (`None` once the
/// connection ended).
pub struct DeviceSession {
    pub client: AsyncClient,
    pub inbox: mpsc::UnboundedReceiver<Option<Publish>>,
}

/// A client certificate and its key, for X.509 devices.
pub type ClientCert = (CertificateDer<'static>, PrivateKeyDer<'static>);

fn tls(t: &TestHub, client_cert: Option<ClientCert>) -> TlsConfiguration {
    tls_trusting(&t.hub.ca_pem(), client_cert)
}

/// A rustls client configuration trusting only `ca_pem` (a hub's CA), for rumqttc.
pub fn tls_trusting(ca_pem: &str, client_cert: Option<ClientCert>) -> TlsConfiguration {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let builder = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots);
    let config = match client_cert {
        Some((cert, key)) => builder.with_client_auth_cert(vec![cert], key).unwrap(),
        None => builder.with_no_client_auth(),
    };
    TlsConfiguration::Rustls(Arc::new(config))
}

/// A device SAS token for `device_id`, signed with its primary key.
pub fn device_token(t: &TestHub, device_id: &str) -> String {
    let cs = t.hub.device_connection_string(device_id, false).unwrap();
    TestHub::token_for(&cs)
}

/// Connects over MQTT/TLS (or WebSocket when `websocket`) and waits for the CONNACK.
pub async fn connect_as(
    t: &TestHub,
    client_id: &str,
    password: &str,
    websocket: bool,
) -> Result<DeviceSession, ConnectReturnCode> {
    connect_with_cert(t, client_id, password, websocket, None).await
}

/// [`connect_as`], presenting `client_cert` in the TLS handshake.
pub async fn connect_with_cert(
    t: &TestHub,
    client_id: &str,
    password: &str,
    websocket: bool,
    client_cert: Option<ClientCert>,
) -> Result<DeviceSession, ConnectReturnCode> {
    let mut opts = if websocket {
        let port = t.hub.https_addr().port();
        let mut o = MqttOptions::new(
            client_id,
            format!("wss://localhost:{port}/$iothub/websocket"),
            port,
        );
        o.set_transport(Transport::wss_with_config(tls(t, client_cert)));
        o
    } else {
        let mut o = MqttOptions::new(client_id, "localhost", t.hub.mqtt_addr().port());
        o.set_transport(Transport::tls_with_config(tls(t, client_cert)));
        o
    };
    opts.set_credentials(
        format!("{}/{client_id}/?api-version=2021-04-12", t.host()),
        password,
    );
    opts.set_clean_session(false);
    opts.set_keep_alive(Duration::from_secs(60));
    let (client, mut eventloop) = AsyncClient::new(opts, 64);
    let connected = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match eventloop.poll().await {
                Ok(Event::Incoming(Packet::ConnAck(_))) => return Ok(()),
                Ok(_) => {}
                Err(ConnectionError::ConnectionRefused(code)) => return Err(code),
                Err(e) => panic!("MQTT connection failed: {e}"),
            }
        }
    })
    .await
    .expect("CONNACK in time");
    connected?;
    let (tx, inbox) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            match eventloop.poll().await {
                Ok(Event::Incoming(Packet::Publish(p))) => {
                    if tx.send(Some(p)).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(_) => {
                    let _ = tx.send(None);
                    return;
                }
            }
        }
    });
    Ok(DeviceSession { client, inbox })
}

/// Registers `device_id` and connects it, subscribed to the twin and method topics.
pub async fn device(t: &TestHub, device_id: &str) -> DeviceSession {
    t.create_device(device_id).await;
    let session = connect_as(t, device_id, &device_token(t, device_id), false)
        .await
        .expect("connect accepted");
    for topic in [
        "$iothub/twin/res/#",
        "$iothub/twin/PATCH/properties/desired/#",
        "$iothub/methods/POST/#",
    ] {
        session
            .client
            .subscribe(topic, QoS::AtLeastOnce)
            .await
            .unwrap();
    }
    session
}

impl DeviceSession {
    /// The next PUBLISH from the hub.
    pub async fn next(&mut self) -> Publish {
        match tokio::time::timeout(Duration::from_secs(20), self.inbox.recv()).await {
            Ok(Some(Some(p))) => p,
            Ok(_) => panic!("the connection ended"),
            Err(elapsed) => panic!("no PUBLISH from the hub: {elapsed}"),
        }
    }

    /// Waits for the connection to end.
    pub async fn closed(&mut self) {
        loop {
            match tokio::time::timeout(Duration::from_secs(20), self.inbox.recv()).await {
                Ok(None | Some(None)) => return,
                Ok(Some(Some(_))) => {}
                Err(elapsed) => panic!("the hub did not close the connection: {elapsed}"),
            }
        }
    }

    pub async fn publish(&self, topic: &str, payload: impl Into<Vec<u8>>) {
        self.client
            .publish(topic, QoS::AtLeastOnce, false, payload.into())
            .await
            .unwrap();
    }

    /// Sends a twin request and returns the response topic and body.
    pub async fn twin_request(&mut self, topic: &str, body: &str) -> (String, Value) {
        self.publish(topic, body.as_bytes().to_vec()).await;
        let p = self.next().await;
        let body = serde_json::from_slice(&p.payload).unwrap_or(Value::Null);
        (p.topic, body)
    }
}

#[tokio::test]
async fn twin_over_mqtt_and_connection_state() {
    let t = start().await;
    let mut d = device(&t, "dev1").await;
    let (topic, twin) = d.twin_request("$iothub/twin/GET/?$rid=1", " ").await;
    assert_eq!(topic, "$iothub/twin/res/200/?$rid=1");
    assert_eq!(
        twin,
        json!({"desired": {"$version": 1}, "reported": {"$version": 1}})
    );

    let (topic, _) = d
        .twin_request(
            "$iothub/twin/PATCH/properties/reported/?$rid=2",
            r#"{"fw": "1.0", "net": {"ip": "10.0.0.2"}}"#,
        )
        .await;
    assert_eq!(topic, "$iothub/twin/res/204/?$rid=2&$version=2");

    let (topic, err) = d
        .twin_request(
            "$iothub/twin/PATCH/properties/reported/?$rid=3",
            r#"{"bad key": 1}"#,
        )
        .await;
    assert!(topic.starts_with("$iothub/twin/res/400/?$rid=3"), "{topic}");
    assert_eq!(err["errorCode"], 400_004);

    let service_view = t.get("/twins/dev1").await.body;
    assert_eq!(service_view["properties"]["reported"]["fw"], "1.0");
    assert_eq!(service_view["properties"]["reported"]["$version"], 2);
    assert!(
        service_view["properties"]["reported"]["$metadata"]["net"]["ip"]["$lastUpdated"]
            .is_string()
    );
    assert_eq!(
        service_view["etag"], "AAAAAAAAAAE=",
        "reported patches do not move the etag"
    );
    assert_eq!(service_view["connectionState"], "Connected");
    let registry = t.get("/devices/dev1").await.body;
    assert_eq!(registry["connectionState"], "Connected");
    assert_ne!(registry["lastActivityTime"], "0001-01-01T00:00:00Z");
    assert_eq!(
        t.get("/statistics/service").await.body,
        json!({"connectedDeviceCount": 1})
    );

    d.publish(
        "devices/dev1/messages/events/%24.ct=application%2Fjson&k=v",
        b"{\"t\":21}".to_vec(),
    )
    .await;
    let stored = eventually(WITHIN, "the telemetry to be stored", async || {
        let rows = t
            .hub
            .hub()
            .store()
            .with_tx(|tx| tx.telemetry("dev1", None, 10))
            .unwrap();
        (!rows.is_empty()).then_some(rows)
    })
    .await;
    assert_eq!(stored[0].2, b"{\"t\":21}");
    assert!(stored[0].1.to_string().contains("\"k\""), "{}", stored[0].1);

    d.client.disconnect().await.unwrap();
    eventually(WITHIN, "the device to show as disconnected", async || {
        (t.get("/devices/dev1").await.body["connectionState"] == "Disconnected").then_some(())
    })
    .await;
}

#[tokio::test]
async fn desired_changes_are_pushed_to_the_device() {
    let t = start().await;
    let mut d = device(&t, "dev1").await;
    // The GET round trip proves the subscriptions were processed before the service writes.
    d.twin_request("$iothub/twin/GET/?$rid=1", " ").await;

    t.patch(
        "/twins/dev1",
        json!({"properties": {"desired": {"interval": 5, "old": null}}}),
    )
    .await;
    let note = d.next().await;
    assert_eq!(
        note.topic,
        "$iothub/twin/PATCH/properties/desired/?$version=2"
    );
    let body: Value = serde_json::from_slice(&note.payload).unwrap();
    assert_eq!(body, json!({"interval": 5, "old": null, "$version": 2}));

    t.patch("/twins/dev1", json!({"tags": {"only": "tags"}}))
        .await;
    t.put(
        "/twins/dev1",
        json!({"properties": {"desired": {"mode": "eco"}}}),
    )
    .await;
    let note = d.next().await;
    assert_eq!(
        note.topic, "$iothub/twin/PATCH/properties/desired/?$version=3",
        "the tags-only change sent nothing"
    );
    let body: Value = serde_json::from_slice(&note.payload).unwrap();
    assert_eq!(
        body,
        json!({"mode": "eco", "$version": 3}),
        "a replace sends the whole document"
    );
}

#[tokio::test]
async fn direct_method_round_trip_and_hub_errors() {
    let t = start().await;
    let offline = t.create_device("offline").await;
    assert_eq!(offline["deviceId"], "offline");
    let not_online = t
        .post(
            "/twins/offline/methods",
            json!({"methodName": "reboot", "payload": {}}),
        )
        .await;
    assert_eq!(not_online.status, StatusCode::NOT_FOUND);
    assert_eq!(
        not_online.header("iothub-errorcode"),
        Some("DeviceNotOnline")
    );
    let nested: Value = serde_json::from_str(&not_online.message()).unwrap();
    assert_eq!(nested["errorCode"], 404_103);
    assert_eq!(
        nested["message"],
        "Timed out waiting for device to connect."
    );
    assert_eq!(nested["info"], json!({"timeout": "00:00:00"}));
    assert_eq!(not_online.body["ExceptionMessage"], "");

    let bad_timeout = t
        .post(
            "/twins/offline/methods",
            json!({"methodName": "reboot", "responseTimeoutInSeconds": 301}),
        )
        .await;
    assert_eq!(bad_timeout.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad_timeout.header("iothub-errorcode"),
        Some("ArgumentInvalid")
    );
    let missing = t
        .post("/twins/ghost/methods", json!({"methodName": "reboot"}))
        .await;
    assert_eq!(missing.header("iothub-errorcode"), Some("DeviceNotFound"));

    // Connected but not subscribed to methods.
    t.create_device("quiet").await;
    let _quiet = connect_as(&t, "quiet", &device_token(&t, "quiet"), false)
        .await
        .unwrap();
    let unsubscribed = t
        .post("/twins/quiet/methods", json!({"methodName": "x"}))
        .await;
    assert_eq!(unsubscribed.status, StatusCode::NOT_FOUND);
    let nested: Value = serde_json::from_str(&unsubscribed.message()).unwrap();
    assert_eq!(
        nested["message"],
        "Timed out waiting for device to subscribe."
    );

    let mut d = device(&t, "dev1").await;
    // Packets are handled in order: once this answers, the method subscription is live.
    d.twin_request("$iothub/twin/GET/?$rid=1", " ").await;
    let call = {
        let client = t.client.clone();
        let url = format!("{}/twins/dev1/methods?{}", t.base, crate::common::API);
        let token = t.owner_token();
        tokio::spawn(async move {
            crate::common::send(
                client
                    .post(url)
                    .header("authorization", token)
                    .body(json!({"methodName": "reboot", "payload": {"delay": 5}, "responseTimeoutInSeconds": 30}).to_string()),
            )
            .await
        })
    };
    let request = d.next().await;
    let rid = request
        .topic
        .strip_prefix("$iothub/methods/POST/reboot/?$rid=")
        .unwrap_or_else(|| panic!("unexpected topic {}", request.topic))
        .to_string();
    let payload: Value = serde_json::from_slice(&request.payload).unwrap();
    assert_eq!(payload, json!({"delay": 5}));
    d.publish(
        &format!("$iothub/methods/res/202/?$rid={rid}"),
        br#"{"accepted":true}"#.to_vec(),
    )
    .await;
    let answer = call.await.unwrap();
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.body,
        json!({"status": 202, "payload": {"accepted": true}})
    );

    // A device that never answers: 504101 after the response timeout.
    let silent = t
        .post(
            "/twins/dev1/methods",
            json!({"methodName": "hang", "responseTimeoutInSeconds": 5}),
        )
        .await;
    assert_eq!(silent.status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(silent.header("iothub-errorcode"), Some("GatewayTimeout"));
    let nested: Value = serde_json::from_str(&silent.message()).unwrap();
    assert_eq!(nested["errorCode"], 504_101);
    assert_eq!(
        nested["message"],
        "Timed out waiting for the response from device."
    );
}

/// `az iot hub invoke-device-method` without `--to` sends both timeouts as JSON strings; the real
/// hub (Newtonsoft.Json) accepts them, so the emulator must too.
#[tokio::test]
async fn method_timeouts_sent_as_strings_are_accepted_as_az_sends_them() {
    let t = start().await;
    t.create_device("offline").await;
    let not_online = t
        .post(
            "/twins/offline/methods",
            json!({"methodName": "reboot", "payload": {}, "responseTimeoutInSeconds": "30", "connectTimeoutInSeconds": "0"}),
        )
        .await;
    assert_eq!(
        not_online.status,
        StatusCode::NOT_FOUND,
        "{}",
        not_online.body
    );
    assert_eq!(
        not_online.header("iothub-errorcode"),
        Some("DeviceNotOnline")
    );

    let unparsable = t
        .post(
            "/twins/offline/methods",
            json!({"methodName": "reboot", "responseTimeoutInSeconds": "thirty"}),
        )
        .await;
    assert_eq!(unparsable.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        unparsable.header("iothub-errorcode"),
        Some("ArgumentInvalid")
    );
    assert!(
        unparsable.message().contains("responseTimeoutInSeconds"),
        "the error names the field: {}",
        unparsable.message()
    );
    // Out of range stays out of range when it arrives as a string.
    let too_long = t
        .post(
            "/twins/offline/methods",
            json!({"methodName": "reboot", "responseTimeoutInSeconds": "301"}),
        )
        .await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);

    let mut d = device(&t, "dev1").await;
    d.twin_request("$iothub/twin/GET/?$rid=1", " ").await;
    let call = {
        let client = t.client.clone();
        let url = format!("{}/twins/dev1/methods?{}", t.base, crate::common::API);
        let token = t.owner_token();
        // The exact body az 2.77.0 with azure-iot 0.25.0 sends for `--mn reboot --mp '{}'`.
        let body = r#"{"methodName": "reboot", "responseTimeoutInSeconds": "30", "payload": {}, "connectTimeoutInSeconds": "30"}"#;
        tokio::spawn(async move {
            crate::common::send(
                client
                    .post(url)
                    .header("authorization", token)
                    .header("content-type", "application/json")
                    .body(body),
            )
            .await
        })
    };
    let request = d.next().await;
    let rid = request
        .topic
        .strip_prefix("$iothub/methods/POST/reboot/?$rid=")
        .unwrap_or_else(|| panic!("unexpected topic {}", request.topic))
        .to_string();
    d.publish(
        &format!("$iothub/methods/res/200/?$rid={rid}"),
        br#"{"done":true}"#.to_vec(),
    )
    .await;
    let answer = call.await.unwrap();
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.body,
        json!({"status": 200, "payload": {"done": true}})
    );
}

/// Identity fields as a Newtonsoft-parsing hub accepts them: enum names in any case, booleans as
/// strings.
#[tokio::test]
async fn device_fields_accept_strings_and_any_enum_case() {
    let t = start().await;
    let created = t
        .put(
            "/devices/edgy",
            json!({"deviceId": "edgy", "status": "Disabled", "capabilities": {"iotEdge": "true"},
                   "authentication": {"type": "SAS"}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.body["status"], "disabled");
    assert_eq!(created.body["capabilities"]["iotEdge"], true);
    assert_eq!(created.body["authentication"]["type"], "sas");

    let bad = t
        .put(
            "/devices/bad",
            json!({"deviceId": "bad", "capabilities": {"iotEdge": "maybe"}}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.header("iothub-errorcode"), Some("ArgumentInvalid"));
    assert!(
        bad.message().contains("capabilities.iotEdge"),
        "the error names the field: {}",
        bad.message()
    );
}

#[tokio::test]
async fn credentials_and_registry_changes_govern_sessions() {
    let t = start().await;
    t.create_device("dev1").await;
    let other_key = iothub_auth::SharedAccessKey::generate().to_base64();
    let forged = TestHub::sign(
        &other_key,
        &format!("{}/devices/dev1", t.host()),
        iothub_auth::unix_now() + 600,
        None,
    );
    assert_eq!(
        connect_as(&t, "dev1", &forged, false).await.err(),
        Some(ConnectReturnCode::NotAuthorized)
    );
    t.create_device("dev2").await;
    assert_eq!(
        connect_as(&t, "dev1", &device_token(&t, "dev2"), false)
            .await
            .err(),
        Some(ConnectReturnCode::NotAuthorized),
        "a device never connects as another"
    );
    assert_eq!(
        connect_as(&t, "ghost", &device_token(&t, "dev1"), false)
            .await
            .err(),
        Some(ConnectReturnCode::NotAuthorized)
    );

    // Over WebSocket on the HTTPS port, then disabled by the service: the session ends and
    // reconnecting is refused with "server unavailable".
    let mut ws = connect_as(&t, "dev1", &device_token(&t, "dev1"), true)
        .await
        .expect("WebSocket connect accepted");
    let (topic, _) = {
        ws.client
            .subscribe("$iothub/twin/res/#", QoS::AtLeastOnce)
            .await
            .unwrap();
        ws.twin_request("$iothub/twin/GET/?$rid=w", " ").await
    };
    assert_eq!(topic, "$iothub/twin/res/200/?$rid=w");
    let disabled = t
        .call_with(
            reqwest::Method::PUT,
            "/devices/dev1",
            Some(json!({"status": "disabled"})),
            &[("authorization", &t.owner_token()), ("if-match", "*")],
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK);
    ws.closed().await;
    assert_eq!(
        connect_as(&t, "dev1", &device_token(&t, "dev1"), false)
            .await
            .err(),
        Some(ConnectReturnCode::ServiceUnavailable)
    );

    // Deleting a connected device drops its session.
    let mut d2 = connect_as(&t, "dev2", &device_token(&t, "dev2"), false)
        .await
        .unwrap();
    assert_eq!(
        t.delete("/devices/dev2").await.status,
        StatusCode::NO_CONTENT
    );
    d2.closed().await;
}

#[tokio::test]
async fn module_identities_connect_with_their_own_keys() {
    let t = start().await;
    t.create_device("dev1").await;
    let module = t.put("/devices/dev1/modules/m1", json!({})).await.body;
    let key = module["authentication"]["symmetricKey"]["primaryKey"]
        .as_str()
        .unwrap();
    let token = TestHub::sign(
        key,
        &format!("{}/devices/dev1/modules/m1", t.host()),
        iothub_auth::unix_now() + 600,
        None,
    );
    let mut m = connect_as(&t, "dev1/m1", &token, false)
        .await
        .expect("module connects");
    m.client
        .subscribe("$iothub/twin/res/#", QoS::AtLeastOnce)
        .await
        .unwrap();
    let (topic, _) = m
        .twin_request(
            "$iothub/twin/PATCH/properties/reported/?$rid=1",
            r#"{"state": "up"}"#,
        )
        .await;
    assert!(topic.starts_with("$iothub/twin/res/204/"), "{topic}");
    let twin = t.get("/twins/dev1/modules/m1").await.body;
    assert_eq!(twin["properties"]["reported"]["state"], "up");
    assert_eq!(
        t.get("/twins/dev1").await.body["properties"]["reported"].get("state"),
        None
    );
    // The device's own key does not open the module.
    assert_eq!(
        connect_as(&t, "dev1/m1", &device_token(&t, "dev1"), false)
            .await
            .err(),
        Some(ConnectReturnCode::NotAuthorized)
    );
}

fn self_signed(name: &str) -> ClientCert {
    let generated = rcgen::generate_simple_self_signed(vec![name.to_string()]).unwrap();
    let key = PrivateKeyDer::try_from(generated.signing_key.serialize_der()).unwrap();
    (generated.cert.der().clone(), key)
}

fn hex_digest(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[tokio::test]
async fn self_signed_x509_devices_connect_by_thumbprint() {
    use sha1::Digest as _;
    let t = start().await;
    let (cert, key) = self_signed("x509dev");
    let sha256 = hex_digest(&sha2::Sha256::digest(cert.as_ref()));
    let (other_cert, other_key) = self_signed("x509dev");
    let sha1 = hex_digest(&sha1::Sha1::digest(other_cert.as_ref()));
    let created = t
        .put(
            "/devices/x509dev",
            json!({"authentication": {"type": "selfSigned",
                   "x509Thumbprint": {"primaryThumbprint": sha256, "secondaryThumbprint": sha1.to_uppercase()}}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.body["authentication"]["type"], "selfSigned");

    let mut d = connect_with_cert(&t, "x509dev", "", false, Some((cert, key)))
        .await
        .expect("the primary certificate (SHA-256 thumbprint) is accepted");
    d.client
        .subscribe("$iothub/twin/res/#", QoS::AtLeastOnce)
        .await
        .unwrap();
    let (topic, _) = d.twin_request("$iothub/twin/GET/?$rid=1", " ").await;
    assert_eq!(topic, "$iothub/twin/res/200/?$rid=1");
    d.client.disconnect().await.unwrap();

    assert!(
        connect_with_cert(&t, "x509dev", "", false, Some((other_cert, other_key)))
            .await
            .is_ok(),
        "the secondary certificate (SHA-1 thumbprint, any case) is accepted"
    );
    assert_eq!(
        connect_with_cert(&t, "x509dev", "", false, Some(self_signed("x509dev")))
            .await
            .err(),
        Some(ConnectReturnCode::NotAuthorized),
        "an unregistered certificate is refused"
    );
    t.create_device("sas-dev").await;
    assert_eq!(
        connect_with_cert(&t, "sas-dev", "", false, Some(self_signed("sas-dev")))
            .await
            .err(),
        Some(ConnectReturnCode::NotAuthorized),
        "a SAS device cannot switch to a certificate"
    );
}

/// The real hub ends a session when its SAS token expires; devices reconnect with a new one.
#[tokio::test]
async fn a_session_ends_when_its_token_expires() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::common::config(dir.path());
    config.clock_skew_secs = 0;
    let t = crate::common::start_with(config).await;
    t.create_device("d").await;
    let cs = t.hub.device_connection_string("d", false).unwrap();
    let short = cs
        .generate_token(iothub_auth::unix_now(), 3)
        .unwrap()
        .expose()
        .to_string();
    let mut session = connect_as(&t, "d", &short, false).await.expect("accepted");
    let started = std::time::Instant::now();
    session.closed().await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "closed at once, not at expiry"
    );
    // A fresh token opens a new session.
    connect_as(&t, "d", &device_token(&t, "d"), false)
        .await
        .expect("a fresh token is accepted");
}

/// Control characters in CONNECT (which would forge lines in the hub's log) are refused.
#[tokio::test]
async fn connect_with_control_characters_is_refused() {
    let t = start().await;
    t.create_device("d").await;
    let token = device_token(&t, "d");
    for client_id in ["d\nINFO forged: device connected", "d\u{1b}[2K"] {
        let refused = connect_as(&t, client_id, &token, false).await;
        assert!(
            matches!(refused, Err(ConnectReturnCode::BadUserNamePassword)),
            "{client_id:?}"
        );
    }
}
