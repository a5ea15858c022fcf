//! Every error body the hub (or something in front of it) produces maps to a typed error.

use std::time::Duration;

use iothub_client::model::{CloudToDeviceMethod, ErrorCode};
use iothub_client::{ClientBuilder, ErrorKind, RetryPolicy};
use serde_json::json;

use crate::support::{Reply, TestHub, connection_string};

#[tokio::test]
async fn envelope_one_with_error_code_header() {
    let hub = TestHub::start(|_, _| {
        Reply::hub_error(
            404,
            "DeviceNotFound",
            "Device dev1 not found",
            "d3f0b6c2a1e54f7c9a8b7c6d5e4f3a2b",
        )
    })
    .await;
    let err = hub.client().get_device("dev1").await.unwrap_err();

    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some(ErrorCode::DeviceNotFound));
    assert_eq!(err.tracking_id(), Some("d3f0b6c2a1e54f7c9a8b7c6d5e4f3a2b"));
    let hub_err = err.hub_error().unwrap();
    assert_eq!(hub_err.name.as_deref(), Some("DeviceNotFound"));
    assert_eq!(hub_err.message, "Device dev1 not found");
    assert!(err.is_not_found());
    assert!(!err.is_retryable());
    assert_eq!(err.operation(), Some("GET /devices/dev1"));
    assert_eq!(
        err.to_string(),
        "GET /devices/dev1: hub answered 404 DeviceNotFound (404001): Device dev1 not found \
         (tracking id d3f0b6c2a1e54f7c9a8b7c6d5e4f3a2b)"
    );
}

#[tokio::test]
async fn common_statuses_have_helpers() {
    let cases = [
        (
            401,
            "IotHubUnauthorizedAccess",
            ErrorCode::IotHubUnauthorizedAccess,
        ),
        (409, "DeviceAlreadyExists", ErrorCode::DeviceAlreadyExists),
        (412, "PreconditionFailed", ErrorCode::PreconditionFailed),
        (429, "ThrottlingException", ErrorCode::ThrottlingException),
    ];
    for (status, name, code) in cases {
        let hub = TestHub::start(move |_, _| Reply::hub_error(status, name, "text", "t")).await;
        let client = hub
            .builder()
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let err = client.get_twin("dev1").await.unwrap_err();
        assert_eq!(err.code(), Some(code), "{status}");
        assert_eq!(err.is_unauthorized(), status == 401);
        assert_eq!(err.is_conflict(), status == 409);
        assert_eq!(err.is_precondition_failed(), status == 412);
        assert_eq!(err.is_throttled(), status == 429);
        assert_eq!(err.is_retryable(), status == 429);
        assert!(!err.is_not_found());
    }
}

#[tokio::test]
async fn device_not_online_from_nested_method_envelope() {
    let body = json!({
        "Message": json!({
            "errorCode": 404_103,
            "trackingId": "8b1c0e2f",
            "message": "Timed out waiting for device to connect.",
            "info": {"timeout": "00:00:10"},
            "timestampUtc": "2024-01-02T03:04:05.1234567Z"
        }).to_string(),
        "ExceptionMessage": ""
    });
    let hub = TestHub::start(move |_, _| Reply::json(404, &body)).await;
    let call = CloudToDeviceMethod {
        connect_timeout_in_seconds: Some(10),
        ..CloudToDeviceMethod::new("reboot", json!(null))
    };
    let err = hub
        .client()
        .invoke_device_method("dev1", &call)
        .await
        .unwrap_err();

    assert_eq!(err.code(), Some(ErrorCode::DeviceNotOnline));
    assert!(err.is_device_not_online());
    assert!(!err.is_not_found(), "the device exists; it is offline");
    assert!(!err.is_device_method_error());
    assert_eq!(err.tracking_id(), Some("8b1c0e2f"));
    let hub_err = err.hub_error().unwrap();
    assert_eq!(hub_err.numeric_code, Some(404_103));
    assert_eq!(hub_err.message, "Timed out waiting for device to connect.");
    assert_eq!(hub_err.info, Some(json!({"timeout": "00:00:10"})));
}

#[tokio::test]
async fn gateway_timeout_from_nested_method_envelope() {
    let body = json!({
        "Message": json!({
            "errorCode": 504_101,
            "trackingId": "t-504",
            "message": "Timed out waiting for the response from device.",
            "info": {},
            "timestampUtc": "2024-01-02T03:04:05.1234567Z"
        }).to_string(),
        "ExceptionMessage": ""
    });
    let hub = TestHub::start(move |_, _| Reply::json(504, &body)).await;
    let err = hub
        .client()
        .invoke_device_method("dev1", &CloudToDeviceMethod::new("slow", json!({})))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::GatewayTimeout));
    assert_eq!(err.status(), Some(504));
    assert!(err.is_timeout());
    assert!(!err.is_device_not_online());
    assert!(!err.is_retryable());
    assert_eq!(hub.count(), 1);
}

#[tokio::test]
async fn bare_bodies() {
    // `{"Message": ...}` without ExceptionMessage: the code comes from the header.
    let hub = TestHub::start(|_, _| {
        Reply::json(404, &json!({"Message": "Module m1 not found"}))
            .header("iothub-errorcode", "ModuleNotFound")
    })
    .await;
    let err = hub.client().get_module("dev1", "m1").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::ModuleNotFound));
    assert_eq!(err.hub_error().unwrap().message, "Module m1 not found");
    assert_eq!(err.tracking_id(), None);
    assert!(err.is_not_found());

    // A method error body that is not nested.
    let hub = TestHub::start(|_, _| {
        Reply::json(
            404,
            &json!({"errorCode": 404_103, "trackingId": "x", "message": "Timed out waiting for device to subscribe.", "info": {}}),
        )
    })
    .await;
    let err = hub
        .client()
        .invoke_device_method("dev1", &CloudToDeviceMethod::new("m", json!(null)))
        .await
        .unwrap_err();
    assert!(err.is_device_not_online());
    assert_eq!(
        err.hub_error().unwrap().message,
        "Timed out waiting for device to subscribe."
    );

    // An empty body: only the status is known.
    let hub = TestHub::start(|_, _| Reply::empty(400)).await;
    let err = hub.client().get_job("job1").await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), None);
    assert_eq!(err.hub_error().unwrap().message, "HTTP 400");
}

#[tokio::test]
async fn non_json_502_from_a_proxy() {
    let hub = TestHub::start(|_, _| {
        Reply::raw(502, "<html><body>Bad Gateway</body></html>").header("content-type", "text/html")
    })
    .await;
    let err = hub.client().registry_statistics().await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.code(), None);
    assert_eq!(
        err.hub_error().unwrap().message,
        "<html><body>Bad Gateway</body></html>"
    );
    assert!(!err.is_retryable());
    assert_eq!(hub.count(), 1, "502 is not retried");
    assert!(err.to_string().contains("502"), "{err}");
}

#[tokio::test]
async fn malformed_success_body_is_a_deserialize_error() {
    let hub = TestHub::start(|_, _| Reply::json(200, &json!({"totalDeviceCount": "many"}))).await;
    let err = hub.client().registry_statistics().await.unwrap_err();
    let ErrorKind::Deserialize(message) = err.kind() else {
        panic!("unexpected {err:?}");
    };
    assert!(message.contains("totalDeviceCount"), "{message}");
    assert_eq!(err.operation(), Some("GET /statistics/devices"));
}

#[tokio::test]
async fn slow_hub_is_a_timeout() {
    let hub =
        TestHub::start(|_, _| Reply::json(200, &json!({})).delayed(Duration::from_secs(30))).await;
    let client = hub
        .builder()
        .request_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client.get_twin("dev1").await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout), "{err:?}");
    assert!(err.is_timeout());
    assert_eq!(hub.count(), 1, "timeouts are not retried");
}

#[tokio::test]
async fn unreachable_hub_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = ClientBuilder::from_connection_string(&connection_string())
        .unwrap()
        .endpoint(format!("http://{addr}/").parse().unwrap())
        .retry_policy(RetryPolicy::none())
        .no_proxy()
        .build()
        .unwrap();
    let err = client.get_device("dev1").await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport), "{err:?}");
    assert!(err.is_retryable());
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn errors_never_show_the_token_or_key() {
    let hub = TestHub::start(|_, _| Reply::hub_error(500, "ServerError", "boom", "t")).await;
    let client = hub.client();
    let err = client.get_device("dev1").await.unwrap_err();
    let token = hub.requests()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    let sig = token
        .split("sig=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    for text in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains(sig), "{text}");
        assert!(!text.contains(crate::support::KEY), "{text}");
    }
}
