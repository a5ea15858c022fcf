//! Device-side HTTPS over real TLS (protocol reference §H.4): telemetry kept with the MQTT
//! telemetry, cloud-to-device receive with lock tokens and complete/reject/abandon, device
//! authentication; and bulk key regeneration (`POST /devices/keys/regenerate`).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use iothub_emulator::c2d::{MAX_DELIVERY_COUNT, OutgoingMessage};

use crate::common::{Answer, TestHub, send, start};

fn device_token(t: &TestHub, id: &str, key: &str) -> String {
    TestHub::sign(
        key,
        &format!("{}/devices/{id}", t.host()),
        iothub_auth::unix_now() + 600,
        None,
    )
}

async fn device(t: &TestHub, id: &str) -> String {
    let created = t.create_device(id).await;
    let key = created["authentication"]["symmetricKey"]["primaryKey"]
        .as_str()
        .unwrap()
        .to_string();
    device_token(t, id, &key)
}

async fn as_device(
    t: &TestHub,
    token: &str,
    method: Method,
    path: &str,
    extra: &[(&str, &str)],
) -> Answer {
    let mut headers = vec![("authorization", token)];
    headers.extend_from_slice(extra);
    t.call_with(method, path, None, &headers).await
}

#[tokio::test]
async fn telemetry_over_https_is_kept_with_its_properties() {
    let t = start().await;
    let token = device(&t, "h1").await;
    let request = t
        .client
        .post(format!(
            "{}/devices/h1/messages/events?api-version=2020-09-30",
            t.base
        ))
        .header("authorization", &token)
        .header("iothub-app-alarm", "high")
        .header("iothub-messageid", "m-42")
        .header("content-type", "application/json")
        .body(r#"{"temp":21.5}"#);
    let answer = send(request).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.body);

    let kept = t.hub.hub().read(|tx| tx.telemetry("h1", None, 10)).unwrap();
    assert_eq!(kept.len(), 1);
    let (_, props, body) = &kept[0];
    assert_eq!(body, br#"{"temp":21.5}"#);
    let props = props.as_array().unwrap();
    assert!(props.contains(&json!(["alarm", "high"])), "{props:?}");
    assert!(props.contains(&json!(["$.mid", "m-42"])), "{props:?}");
    assert!(
        props.contains(&json!(["$.ct", "application/json"])),
        "{props:?}"
    );
    // The device's activity is recorded as for MQTT telemetry.
    let shown = t.get("/devices/h1").await;
    assert_ne!(
        shown.body["lastActivityTime"],
        json!("0001-01-01T00:00:00Z")
    );
}

#[tokio::test]
async fn only_the_device_or_a_device_connect_policy_may_use_its_endpoints() {
    let t = start().await;
    let token = device(&t, "h2").await;
    let other = device(&t, "h3").await;
    // Another device's token.
    let refused = as_device(
        &t,
        &other,
        Method::GET,
        "/devices/h2/messages/deviceBound",
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.error_name(), "IotHubUnauthorizedAccess");
    let none = t
        .call_with(Method::POST, "/devices/h2/messages/events", None, &[])
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    // A service policy with DeviceConnect (what the Azure CLI signs with), scoped to the device.
    let owner = TestHub::sign(
        &t.owner.key().unwrap().to_base64(),
        &format!("{}/devices/h2", t.host()),
        iothub_auth::unix_now() + 600,
        Some("iothubowner"),
    );
    let empty = as_device(
        &t,
        &owner,
        Method::GET,
        "/devices/h2/messages/deviceBound",
        &[],
    )
    .await;
    assert_eq!(empty.status, StatusCode::NO_CONTENT);
    let own = as_device(
        &t,
        &token,
        Method::GET,
        "/devices/h2/messages/deviceBound",
        &[],
    )
    .await;
    assert_eq!(own.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn cloud_to_device_messages_are_locked_completed_rejected_and_abandoned() {
    let t = start().await;
    let token = device(&t, "c1").await;
    let hub = t.hub.hub();
    for (n, body) in ["first", "second"].into_iter().enumerate() {
        hub.send_cloud_to_device(
            "c1",
            OutgoingMessage {
                body: body.as_bytes().to_vec(),
                message_id: Some(format!("msg-{n}")),
                ack: Some("full".to_string()),
                properties: vec![("k".to_string(), format!("v{n}"))],
                ..OutgoingMessage::default()
            },
        )
        .unwrap();
    }
    let unknown = hub.send_cloud_to_device("nobody", OutgoingMessage::default());
    assert_eq!(
        unknown.unwrap_err().code(),
        iothub_model::ErrorCode::DeviceNotFound
    );

    let path = "/devices/c1/messages/deviceBound";
    let raw = |extra: &'static [(&'static str, &'static str)]| {
        let token = token.clone();
        let t = &t;
        async move {
            let mut request = t
                .client
                .get(format!("{}{path}?api-version=2020-09-30", t.base))
                .header("authorization", &token);
            for (k, v) in extra {
                request = request.header(*k, *v);
            }
            request.send().await.unwrap()
        }
    };
    let first = raw(&[("IotHub-MessageLockTimeout", "30")]).await;
    assert_eq!(first.status(), StatusCode::OK);
    let h = first.headers().clone();
    let etag = h["etag"].to_str().unwrap().to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let lock = etag.trim_matches('"').to_string();
    assert_eq!(h["iothub-messageid"], "msg-0");
    assert_eq!(h["iothub-sequencenumber"], "1");
    assert_eq!(h["iothub-deliverycount"], "1");
    assert_eq!(h["iothub-ack"], "full");
    assert_eq!(h["iothub-app-k"], "v0");
    assert_eq!(h["iothub-to"], "/devices/c1/messages/deviceBound");
    assert!(h.contains_key("iothub-expiry") && h.contains_key("iothub-enqueuedtime"));
    assert_eq!(first.bytes().await.unwrap().as_ref(), b"first");

    // The first is locked: the next receive gets the second, and abandoning it makes it
    // available again with its delivery counted.
    let second = raw(&[]).await;
    assert_eq!(second.headers()["iothub-messageid"], "msg-1");
    let lock2 = second.headers()["etag"]
        .to_str()
        .unwrap()
        .trim_matches('"')
        .to_string();
    let abandoned = as_device(
        &t,
        &token,
        Method::POST,
        &format!("{path}/{lock2}/abandon"),
        &[],
    )
    .await;
    assert_eq!(abandoned.status, StatusCode::NO_CONTENT);
    let again = raw(&[]).await;
    assert_eq!(again.headers()["iothub-messageid"], "msg-1");
    assert_eq!(again.headers()["iothub-deliverycount"], "2");
    let lock3 = again.headers()["etag"]
        .to_str()
        .unwrap()
        .trim_matches('"')
        .to_string();

    // Complete the first (the CLI sends no If-Match), reject the second (`?reject`).
    let completed = as_device(&t, &token, Method::DELETE, &format!("{path}/{lock}"), &[]).await;
    assert_eq!(completed.status, StatusCode::NO_CONTENT);
    let twice = as_device(&t, &token, Method::DELETE, &format!("{path}/{lock}"), &[]).await;
    assert_eq!(twice.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(twice.error_name(), "DeviceMessageLockLost");
    let rejected = as_device(
        &t,
        &token,
        Method::DELETE,
        &format!("{path}/{lock3}?reject"),
        &[],
    )
    .await;
    assert_eq!(rejected.status, StatusCode::NO_CONTENT);
    let empty = raw(&[]).await;
    assert_eq!(empty.status(), StatusCode::NO_CONTENT);
    assert_eq!(hub.cloud_to_device().dead_lettered(), 1);

    // A bad lock timeout is refused, naming it.
    let bad = raw(&[("IotHub-MessageLockTimeout", "9999")]).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_message_abandoned_too_often_is_dead_lettered() {
    let t = start().await;
    let token = device(&t, "c2").await;
    t.hub
        .hub()
        .send_cloud_to_device(
            "c2",
            OutgoingMessage {
                body: b"x".to_vec(),
                ..OutgoingMessage::default()
            },
        )
        .unwrap();
    let path = "/devices/c2/messages/devicebound";
    for n in 1..=MAX_DELIVERY_COUNT {
        let got = as_device(&t, &token, Method::GET, path, &[]).await;
        assert_eq!(got.status, StatusCode::OK, "delivery {n}");
        let lock = got.header("etag").unwrap().trim_matches('"').to_string();
        let abandoned = as_device(
            &t,
            &token,
            Method::POST,
            &format!("{path}/{lock}/abandon"),
            &[],
        )
        .await;
        assert_eq!(abandoned.status, StatusCode::NO_CONTENT);
    }
    let gone = as_device(&t, &token, Method::GET, path, &[]).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn bulk_key_regeneration_renews_keys_and_reports_what_it_could_not() {
    let t = start().await;
    let created = t.create_device("k1").await;
    let old = created["authentication"]["symmetricKey"].clone();
    let ca = t
        .put(
            "/devices/k2",
            json!({"deviceId": "k2", "authentication": {"type": "certificateAuthority"}}),
        )
        .await;
    assert_eq!(ca.status, StatusCode::OK);
    let answer = t
        .post(
            "/devices/keys/regenerate",
            json!({"policyKey": "primaryKey", "devices": [{"id": "k1"}, {"id": "k2"}, {"id": "nobody"}]}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::MULTI_STATUS, "{}", answer.body);
    let rotated = &answer.body["rotatedKeys"];
    assert_eq!(rotated.as_array().unwrap().len(), 1);
    assert_eq!(rotated[0]["id"], "k1");
    let errors: Vec<&Value> = answer.body["errors"].as_array().unwrap().iter().collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    let shown = t.get("/devices/k1").await;
    let keys = &shown.body["authentication"]["symmetricKey"];
    assert_ne!(keys["primaryKey"], old["primaryKey"]);
    assert_eq!(keys["primaryKey"], rotated[0]["primaryKey"]);
    assert_eq!(keys["secondaryKey"], old["secondaryKey"]);
    assert_ne!(shown.body["etag"], created["etag"]);
    let bad = t
        .post(
            "/devices/keys/regenerate",
            json!({"policyKey": "tertiary", "devices": [{"id": "k1"}]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
