//! The service API's authorization matrix and the hub's answers to malformed requests.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{TestHub, start};

fn policy_key(t: &crate::common::TestHub, policy: &str) -> String {
    let cs = t.hub.service_connection_string(policy).unwrap();
    let text = cs.expose_secret();
    text.split(';')
        .find_map(|p| p.strip_prefix("SharedAccessKey="))
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn tokens_are_checked_for_key_expiry_audience_kind_and_permission() {
    let t = start().await;
    t.create_device("d").await;
    let now = iothub_auth::unix_now();
    let owner = policy_key(&t, "iothubowner");
    let read_only = policy_key(&t, "registryRead");
    let service = policy_key(&t, "service");
    let device_key = t.get("/devices/d").await.body["authentication"]["symmetricKey"]["primaryKey"]
        .as_str()
        .unwrap()
        .to_string();
    let other_key = iothub_auth::SharedAccessKey::generate().to_base64();
    let host = t.host();

    let refused = [
        (
            "wrong key",
            TestHub::sign(&other_key, &host, now + 600, Some("iothubowner")),
            "/devices/d",
            Method::GET,
        ),
        (
            "expired",
            TestHub::sign(&owner, &host, now - 600, Some("iothubowner")),
            "/devices/d",
            Method::GET,
        ),
        (
            "wrong audience",
            TestHub::sign(
                &owner,
                "otherhub.azure-devices.net",
                now + 600,
                Some("iothubowner"),
            ),
            "/devices/d",
            Method::GET,
        ),
        (
            "device token",
            TestHub::sign(&device_key, &format!("{host}/devices/d"), now + 600, None),
            "/twins/d",
            Method::GET,
        ),
        (
            "unknown policy",
            TestHub::sign(&owner, &host, now + 600, Some("nobody")),
            "/devices/d",
            Method::GET,
        ),
        (
            "read-only policy writing",
            TestHub::sign(&read_only, &host, now + 600, Some("registryRead")),
            "/devices/new",
            Method::PUT,
        ),
        (
            "service policy reading the registry",
            TestHub::sign(&service, &host, now + 600, Some("service")),
            "/devices/d",
            Method::GET,
        ),
        (
            "registry policy reading twins",
            TestHub::sign(&read_only, &host, now + 600, Some("registryRead")),
            "/twins/d",
            Method::GET,
        ),
        (
            "garbage",
            "SharedAccessSignature nonsense".to_string(),
            "/devices/d",
            Method::GET,
        ),
    ];
    for (case, token, path, method) in refused {
        let body = (method == Method::PUT).then(|| json!({}));
        let answer = t
            .call_with(method, path, body, &[("authorization", &token)])
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{case}");
        assert_eq!(
            answer.header("iothub-errorcode"),
            Some("IotHubUnauthorizedAccess"),
            "{case}"
        );
        assert_eq!(answer.error_name(), "IotHubUnauthorizedAccess", "{case}");
        assert!(
            !answer.message().contains(&owner),
            "{case}: no key in errors"
        );
    }
    let missing = t.call_with(Method::GET, "/devices/d", None, &[]).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        t.get("/devices/new").await.status,
        StatusCode::NOT_FOUND,
        "nothing was created"
    );

    let allowed = [
        (
            "read-only policy reading",
            TestHub::sign(&read_only, &host, now + 600, Some("registryRead")),
            "/devices/d",
        ),
        (
            "service policy on twins",
            TestHub::sign(&service, &host, now + 600, Some("service")),
            "/twins/d",
        ),
        (
            "hub name with port, any case",
            TestHub::sign(&owner, &host.to_uppercase(), now + 600, Some("iothubowner")),
            "/devices/d",
        ),
        (
            "bare localhost",
            TestHub::sign(&owner, "localhost", now + 600, Some("iothubowner")),
            "/devices/d",
        ),
        (
            "within the clock skew",
            TestHub::sign(&owner, &host, now - 120, Some("iothubowner")),
            "/devices/d",
        ),
    ];
    for (case, token, path) in allowed {
        let answer = t
            .call_with(Method::GET, path, None, &[("authorization", &token)])
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{case}: {}", answer.body);
    }
}

#[tokio::test]
async fn malformed_requests_get_the_hub_errors() {
    let t = start().await;
    t.create_device("d").await;
    let token = t.owner_token();

    let no_version = t
        .client
        .get(format!("{}/devices/d", t.base))
        .header("authorization", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(no_version.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        no_version.headers()["iothub-errorcode"].to_str().unwrap(),
        "InvalidProtocolVersion"
    );

    let invalid_json = crate::common::send(
        t.client
            .patch(format!("{}/twins/d?{}", t.base, crate::common::API))
            .header("authorization", &token)
            .body("{\"tags\": "),
    )
    .await;
    assert_eq!(invalid_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        invalid_json.header("iothub-errorcode"),
        Some("IotHubFormatError")
    );

    let wrong_shape = t.put("/devices/x", json!({"status": 5})).await;
    assert_eq!(wrong_shape.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        wrong_shape.header("iothub-errorcode"),
        Some("ArgumentInvalid"),
        "{}",
        wrong_shape.message()
    );

    let huge = json!({"properties": {"desired": {"blob": "x".repeat(600 * 1024)}}});
    let oversize = t.patch("/twins/d", huge).await;
    assert_eq!(oversize.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(oversize.header("iothub-errorcode"), Some("MessageTooLarge"));

    let bad_query = t
        .post(
            "/devices/query",
            json!({"query": "SELECT * FROM devices WHERE"}),
        )
        .await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST);
    assert!(
        bad_query.message().contains("position"),
        "{}",
        bad_query.message()
    );

    let unknown = t.get("/nowhere").await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.header("iothub-errorcode"), Some("InvalidOperation"));
    let wrong_method = t.patch("/devices/d", json!({})).await;
    assert_eq!(
        wrong_method.header("iothub-errorcode"),
        Some("InvalidOperation")
    );
}
