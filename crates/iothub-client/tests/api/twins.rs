//! Device and module twins: paths, quoted `If-Match`, bodies and early checks.

use axum::http::Method;
use iothub_client::model::Twin;
use iothub_client::{ErrorKind, IfMatch};
use serde_json::{Value, json};

use crate::support::{Reply, TestHub};

fn twin_json() -> Value {
    json!({
        "deviceId": "dev1", "etag": "AAAAAAAAAAc=", "deviceEtag": "NTk0ODUyODgx", "status": "enabled",
        "connectionState": "Connected", "version": 15, "modelId": "",
        "tags": {"site": "lyon"},
        "properties": {
            "desired": {"interval": 30, "$metadata": {"$lastUpdated": "2024-01-02T03:04:05.1234567Z"}, "$version": 5},
            "reported": {"fw": "1.0", "$metadata": {"$lastUpdated": "2024-01-02T03:04:05.1234567Z"}, "$version": 9}
        }
    })
}

fn desired_patch(desired: Value) -> Twin {
    let mut patch = Twin::default();
    patch.properties.desired = desired;
    patch
}

#[tokio::test]
async fn get_twin() {
    let hub = TestHub::start(|_, _| Reply::json(200, &twin_json())).await;
    let twin = hub.client().get_twin("dev1").await.unwrap();
    assert_eq!(twin.etag.as_deref(), Some("AAAAAAAAAAc="));
    assert_eq!(twin.properties.desired_version(), Some(5));
    assert_eq!(twin.properties.reported["fw"], "1.0");
    assert_eq!(hub.single().path, "/twins/dev1");
}

#[tokio::test]
async fn patch_and_replace_send_quoted_if_match() {
    let hub = TestHub::start(|_, _| Reply::json(200, &twin_json())).await;
    let client = hub.client();
    let patch = desired_patch(json!({"interval": 60, "old": null}));

    client
        .update_twin("dev1", &patch, IfMatch::etag("AAAAAAAAAAc="))
        .await
        .unwrap();
    client
        .update_twin("dev1", &patch, IfMatch::etag("\"AAAAAAAAAAc=\""))
        .await
        .unwrap();
    client
        .update_twin("dev1", &patch, IfMatch::Any)
        .await
        .unwrap();
    let replacement = Twin {
        tags: Some(serde_json::from_value(json!({"site": "paris"})).unwrap()),
        ..desired_patch(json!({"interval": 5}))
    };
    client
        .replace_twin("dev1", &replacement, IfMatch::etag("AAAAAAAAAAc="))
        .await
        .unwrap();

    let requests = hub.requests();
    for request in &requests[..3] {
        assert_eq!(request.method, Method::PATCH);
        assert_eq!(request.path, "/twins/dev1");
        assert_eq!(
            request.json(),
            json!({"properties": {"desired": {"interval": 60, "old": null}}})
        );
    }
    assert_eq!(requests[0].header("if-match"), Some("\"AAAAAAAAAAc=\""));
    assert_eq!(requests[1].header("if-match"), Some("\"AAAAAAAAAAc=\""));
    assert_eq!(requests[2].header("if-match"), Some("\"*\""));
    assert_eq!(requests[3].method, Method::PUT);
    assert_eq!(requests[3].header("if-match"), Some("\"AAAAAAAAAAc=\""));
    assert_eq!(
        requests[3].json(),
        json!({"tags": {"site": "paris"}, "properties": {"desired": {"interval": 5}}})
    );
}

#[tokio::test]
async fn module_twins() {
    let hub = TestHub::start(|_, _| {
        let mut body = twin_json();
        body["moduleId"] = json!("m1");
        Reply::json(200, &body)
    })
    .await;
    let client = hub.client();
    let twin = client.get_module_twin("dev1", "m1").await.unwrap();
    assert_eq!(twin.module_id.as_deref(), Some("m1"));
    let patch = desired_patch(json!({"x": 1}));
    client
        .update_module_twin("dev1", "m1", &patch, IfMatch::etag("AAAAAAAAAAc="))
        .await
        .unwrap();
    client
        .replace_module_twin("dev1", "m1", &patch, IfMatch::Any)
        .await
        .unwrap();
    let requests = hub.requests();
    assert!(requests.iter().all(|r| r.path == "/twins/dev1/modules/m1"));
    let methods: Vec<_> = requests.iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods, [Method::GET, Method::PATCH, Method::PUT]);
    assert_eq!(requests[1].header("if-match"), Some("\"AAAAAAAAAAc=\""));
    assert_eq!(requests[2].header("if-match"), Some("\"*\""));
}

#[tokio::test]
async fn precondition_failed_is_not_retried() {
    let hub = TestHub::start(|_, _| {
        Reply::hub_error(412, "PreconditionFailed", "Precondition failed", "t")
    })
    .await;
    let err = hub
        .client()
        .update_twin(
            "dev1",
            &desired_patch(json!({"a": 1})),
            IfMatch::etag("old"),
        )
        .await
        .unwrap_err();
    assert!(err.is_precondition_failed());
    assert_eq!(hub.count(), 1);
}

#[tokio::test]
async fn invalid_patches_are_refused_before_sending() {
    let hub = TestHub::start(|_, _| Reply::json(200, &twin_json())).await;
    let client = hub.client();

    let err = client
        .update_twin("dev1", &desired_patch(json!({"bad key": 1})), IfMatch::Any)
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidInput(_)));
    assert!(err.to_string().contains("properties.desired"), "{err}");

    let err = client
        .update_twin("dev1", &desired_patch(json!({"$version": 4})), IfMatch::Any)
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidInput(_)));

    let err = client
        .update_twin(
            "dev1",
            &desired_patch(json!({"big": "x".repeat(5000)})),
            IfMatch::Any,
        )
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidInput(_)));

    let err = client
        .update_twin(
            "dev1",
            &desired_patch(json!({"a": 1})),
            IfMatch::etag("a\"b"),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("etag"), "{err}");

    assert_eq!(hub.count(), 0);
}
