//! Direct methods: request shape, device errors, early checks, timeouts and retry opt-in.

use std::time::Duration;

use axum::http::Method;
use iothub_client::model::CloudToDeviceMethod;
use iothub_client::{ErrorKind, MethodOptions, MethodResponse};
use serde_json::json;

use crate::support::{Reply, TestHub};

fn answer(status: i32) -> Reply {
    Reply::json(200, &json!({"status": status, "payload": {"result": "r"}}))
}

#[tokio::test]
async fn device_method_round_trip() {
    let hub = TestHub::start(|_, _| answer(200)).await;
    let call = CloudToDeviceMethod {
        response_timeout_in_seconds: Some(45),
        connect_timeout_in_seconds: Some(10),
        ..CloudToDeviceMethod::new("dm.reboot", json!({"delay": 5}))
    };
    let response = hub
        .client()
        .invoke_device_method("dev-1", &call)
        .await
        .unwrap();
    assert_eq!(response, MethodResponse::new(200, json!({"result": "r"})));
    assert!(response.is_success());

    let request = hub.single();
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.path, "/twins/dev-1/methods");
    assert_eq!(
        request.json(),
        json!({"methodName": "dm.reboot", "payload": {"delay": 5},
               "responseTimeoutInSeconds": 45, "connectTimeoutInSeconds": 10})
    );
}

#[tokio::test]
async fn module_method_path() {
    let hub = TestHub::start(|_, _| answer(200)).await;
    hub.client()
        .invoke_module_method(
            "dev1",
            "$edgeAgent",
            &CloudToDeviceMethod::new("ping", json!(null)),
        )
        .await
        .unwrap();
    assert_eq!(
        hub.single().path,
        "/twins/dev1/modules/%24edgeAgent/methods"
    );
}

#[tokio::test]
async fn device_error_status_is_data_until_asked_for_as_error() {
    let hub = TestHub::start(|_, _| answer(500)).await;
    let response = hub
        .client()
        .invoke_device_method("dev1", &CloudToDeviceMethod::new("fail", json!({})))
        .await
        .unwrap();
    assert_eq!(response.status, 500);
    assert!(!response.is_success());

    let err = response.error_for_status().unwrap_err();
    assert!(err.is_device_method_error());
    assert_eq!(err.device_status(), Some(500));
    assert_eq!(err.status(), None);
    assert!(!err.is_retryable());
    assert_eq!(err.operation(), Some("POST /twins/dev1/methods"));
    let ErrorKind::DeviceMethod { status, payload } = err.kind() else {
        panic!("unexpected {err:?}");
    };
    assert_eq!(*status, 500);
    assert_eq!(payload, &json!({"result": "r"}));
    assert_eq!(hub.count(), 1);
}

#[tokio::test]
async fn invalid_calls_are_refused_before_sending() {
    let hub = TestHub::start(|_, _| answer(200)).await;
    let client = hub.client();
    let calls = [
        CloudToDeviceMethod::new("", json!(null)),
        CloudToDeviceMethod::new("re boot", json!(null)),
        CloudToDeviceMethod::new("a/b", json!(null)),
        CloudToDeviceMethod {
            response_timeout_in_seconds: Some(4),
            ..CloudToDeviceMethod::new("m", json!(null))
        },
        CloudToDeviceMethod {
            response_timeout_in_seconds: Some(301),
            ..CloudToDeviceMethod::new("m", json!(null))
        },
        CloudToDeviceMethod {
            connect_timeout_in_seconds: Some(301),
            ..CloudToDeviceMethod::new("m", json!(null))
        },
        CloudToDeviceMethod::new("m", json!("x".repeat(128 * 1024))),
    ];
    for call in &calls {
        let err = client.invoke_device_method("dev1", call).await.unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidInput(_)),
            "{call:?}: {err:?}"
        );
    }
    let err = client
        .invoke_device_method("bad id", &CloudToDeviceMethod::new("m", json!(null)))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidInput(_)));
    assert_eq!(hub.count(), 0);
}

#[tokio::test]
async fn http_timeout_follows_the_method_timeouts() {
    // Answers take 500 ms; the general request timeout is 100 ms.
    let hub = TestHub::start(|_, _| answer(200).delayed(Duration::from_millis(500))).await;
    let client = hub
        .builder()
        .request_timeout(Duration::from_millis(100))
        .build()
        .unwrap();

    let err = client.get_twin("dev1").await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout), "{err:?}");

    // A method waits for its own timeouts (5 s here) plus the margin instead.
    let call = CloudToDeviceMethod {
        response_timeout_in_seconds: Some(5),
        ..CloudToDeviceMethod::new("m", json!(null))
    };
    let response = client.invoke_device_method("dev1", &call).await.unwrap();
    assert_eq!(response.status, 200);

    // An explicit per-call timeout wins.
    let err = client
        .invoke_device_method_with(
            "dev1",
            &call,
            &MethodOptions::new().timeout(Duration::from_millis(100)),
        )
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn method_calls_are_retried_only_when_asked() {
    let hub = TestHub::start(|_, index| {
        if index % 3 == 2 {
            answer(200)
        } else {
            Reply::hub_error(503, "ServiceUnavailable", "busy", "t")
        }
    })
    .await;
    let client = hub.client();
    let call = CloudToDeviceMethod::new("m", json!(null));

    let err = client
        .invoke_device_method("dev1", &call)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable(), "the caller may decide to retry");
    assert_eq!(hub.count(), 1, "no blind retry of a method call");

    // Requests 1 and 2 fail, request 3 (index 2) succeeds.
    let hub = TestHub::start(|_, index| {
        if index < 2 {
            Reply::hub_error(503, "ServiceUnavailable", "busy", "t")
        } else {
            answer(200)
        }
    })
    .await;
    let response = hub
        .client()
        .invoke_device_method_with("dev1", &call, &MethodOptions::new().retry(true))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(hub.count(), 3);
}
