//! Identity registry, modules, bulk operations and statistics on the wire.

use axum::http::Method;
use iothub_client::model::{
    Device, DeviceStatus, ErrorCode, ExportImportDevice, ImportMode, Module,
};
use iothub_client::{ErrorKind, IfMatch, USER_AGENT};
use serde_json::{Value, json};

use crate::support::{Reply, TestHub};

fn device_json(id: &str) -> Value {
    json!({
        "deviceId": id, "generationId": "638000000000000000", "etag": "MQ==",
        "connectionState": "Disconnected", "status": "enabled", "statusReason": null,
        "connectionStateUpdatedTime": "0001-01-01T00:00:00Z", "statusUpdatedTime": "0001-01-01T00:00:00Z",
        "lastActivityTime": "0001-01-01T00:00:00Z", "cloudToDeviceMessageCount": 0,
        "authentication": {"symmetricKey": {"primaryKey": "cGFzc3dvcmQ=", "secondaryKey": "cGFzc3dvcmQ="},
                           "x509Thumbprint": {"primaryThumbprint": null, "secondaryThumbprint": null}, "type": "sas"},
        "capabilities": {"iotEdge": false}
    })
}

#[tokio::test]
async fn standard_headers_and_api_version() {
    let hub = TestHub::start(|_, _| Reply::json(200, &device_json("dev1"))).await;
    let client = hub
        .builder()
        .user_agent_suffix("dmctl/9.9.9")
        .build()
        .unwrap();
    let device = client.get_device("dev1").await.unwrap();
    assert_eq!(device.device_id, "dev1");
    assert_eq!(device.status, Some(DeviceStatus::Enabled));

    let request = hub.single();
    assert_eq!(request.method, Method::GET);
    assert_eq!(request.path, "/devices/dev1");
    assert_eq!(
        request.query.get("api-version").map(String::as_str),
        Some("2021-04-12")
    );
    assert_eq!(
        request.header("user-agent"),
        Some(format!("{USER_AGENT} dmctl/9.9.9").as_str())
    );
    assert!(USER_AGENT.starts_with("iothub-client/"));
    assert_eq!(request.header("accept"), Some("application/json"));
    let request_id = request.header("request-id").unwrap();
    assert_eq!(request_id.len(), 36, "a uuid: {request_id}");
    assert_eq!(request.header("x-ms-client-request-id"), Some(request_id));
    assert_eq!(request.header("if-match"), None);
}

#[tokio::test]
async fn api_version_can_be_changed() {
    let hub = TestHub::start(|_, _| Reply::json(200, &json!({"connectedDeviceCount": 4}))).await;
    let client = hub.builder().api_version("2020-09-30").build().unwrap();
    let stats = client.service_statistics().await.unwrap();
    assert_eq!(stats.connected_device_count, 4);
    let request = hub.single();
    assert_eq!(request.path, "/statistics/service");
    assert_eq!(request.query["api-version"], "2020-09-30");
}

#[tokio::test]
async fn statistics() {
    let hub = TestHub::start(|_, _| {
        Reply::json(
            200,
            &json!({"totalDeviceCount": 10, "enabledDeviceCount": 7, "disabledDeviceCount": 3}),
        )
    })
    .await;
    let stats = hub.client().registry_statistics().await.unwrap();
    assert_eq!(
        (
            stats.total_device_count,
            stats.enabled_device_count,
            stats.disabled_device_count
        ),
        (10, 7, 3)
    );
    assert_eq!(hub.single().path, "/statistics/devices");
}

#[tokio::test]
async fn ids_are_percent_encoded_as_path_segments() {
    let hub = TestHub::start(|request, _| {
        // The server decodes each segment back to the id.
        let decoded: Vec<String> = request
            .path
            .split('/')
            .map(|s| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8()
                    .unwrap()
                    .into_owned()
            })
            .collect();
        Reply::json(
            200,
            &json!({"deviceId": decoded[2], "moduleId": decoded[4]}),
        )
    })
    .await;
    let module = hub.client().get_module("dev?1%x", "$edge'm").await.unwrap();
    assert_eq!(module.device_id, "dev?1%x");
    assert_eq!(module.module_id, "$edge'm");
    assert_eq!(
        hub.single().path,
        "/devices/dev%3F1%25x/modules/%24edge%27m"
    );
}

#[tokio::test]
async fn invalid_ids_are_refused_before_sending() {
    let hub = TestHub::start(|_, _| Reply::json(200, &json!({}))).await;
    let client = hub.client();
    for id in ["", "a/b", "with space", "a#b", "..", "é"] {
        let err = client.get_device(id).await.unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidInput(_)),
            "{id}: {err:?}"
        );
    }
    let err = client.get_device(&"x".repeat(129)).await.unwrap_err();
    assert!(err.to_string().contains("129"), "{err}");
    assert_eq!(hub.count(), 0);
}

#[tokio::test]
async fn create_update_delete_device() {
    let hub = TestHub::start(|request, _| {
        if request.method == Method::DELETE {
            return Reply::empty(204);
        }
        let mut body = device_json("dev1");
        body["status"] = request.json()["status"].clone();
        Reply::json(200, &body)
    })
    .await;
    let client = hub.client();

    let created = client
        .create_device(&Device {
            device_id: "dev1".into(),
            ..Device::default()
        })
        .await
        .unwrap();
    assert_eq!(created.etag.as_deref(), Some("MQ=="));

    let disabled = client
        .update_device(
            &Device {
                status: Some(DeviceStatus::Disabled),
                ..created.clone()
            },
            IfMatch::from_option(created.etag.as_deref()),
        )
        .await
        .unwrap();
    assert_eq!(disabled.status, Some(DeviceStatus::Disabled));
    client.delete_device("dev1", IfMatch::Any).await.unwrap();

    let requests = hub.requests();
    assert_eq!(requests[0].method, Method::PUT);
    assert_eq!(requests[0].path, "/devices/dev1");
    assert_eq!(
        requests[0].header("if-match"),
        None,
        "create sends no If-Match"
    );
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(requests[0].json(), json!({"deviceId": "dev1"}));

    assert_eq!(requests[1].method, Method::PUT);
    assert_eq!(requests[1].header("if-match"), Some("\"MQ==\""));
    assert_eq!(requests[1].json()["status"], "disabled");

    assert_eq!(requests[2].method, Method::DELETE);
    assert_eq!(requests[2].path, "/devices/dev1");
    assert_eq!(requests[2].header("if-match"), Some("\"*\""));
}

#[tokio::test]
async fn list_devices_with_top() {
    let hub =
        TestHub::start(|_, _| Reply::json(200, &json!([device_json("a"), device_json("b")]))).await;
    let client = hub.client();
    let devices = client.list_devices(Some(2)).await.unwrap();
    let ids: Vec<_> = devices.iter().map(|d| d.device_id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(hub.single().query["top"], "2");

    for top in [0, 1001] {
        let err = client.list_devices(Some(top)).await.unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidInput(_)));
    }
    assert_eq!(hub.count(), 1);
}

#[tokio::test]
async fn modules_crud() {
    let hub = TestHub::start(
        |request, _| match (&request.method, request.path.as_str()) {
            (&Method::GET, "/devices/dev1/modules") => Reply::json(
                200,
                &json!([{"moduleId": "m1", "deviceId": "dev1", "etag": "MQ=="}]),
            ),
            (&Method::PUT, _) => Reply::json(
                201,
                &json!({"moduleId": "m2", "deviceId": "dev1", "etag": "MA=="}),
            ),
            (&Method::DELETE, _) => Reply::empty(204),
            _ => Reply::hub_error(404, "ModuleNotFound", "no", "t"),
        },
    )
    .await;
    let client = hub.client();
    let modules = client.list_modules("dev1").await.unwrap();
    assert_eq!(modules[0].module_id, "m1");
    let created = client
        .create_module(&Module {
            module_id: "m2".into(),
            device_id: "dev1".into(),
            ..Module::default()
        })
        .await
        .unwrap();
    assert_eq!(created.etag.as_deref(), Some("MA=="));
    client
        .update_module(&created, IfMatch::etag("\"MA==\""))
        .await
        .unwrap();
    client
        .delete_module("dev1", "m2", IfMatch::etag("MA=="))
        .await
        .unwrap();

    let requests = hub.requests();
    assert_eq!(requests[1].path, "/devices/dev1/modules/m2");
    assert_eq!(requests[1].header("if-match"), None);
    assert_eq!(requests[2].header("if-match"), Some("\"MA==\""));
    assert_eq!(requests[3].method, Method::DELETE);
    assert_eq!(requests[3].header("if-match"), Some("\"MA==\""));
}

fn bulk_entries() -> Vec<ExportImportDevice> {
    ["a", "b"]
        .into_iter()
        .map(|id| ExportImportDevice {
            id: id.into(),
            import_mode: Some(ImportMode::Create),
            ..ExportImportDevice::default()
        })
        .collect()
}

#[tokio::test]
async fn bulk_success_and_partial_failure() {
    let hub = TestHub::start(|_, index| {
        if index == 0 {
            Reply::json(
                200,
                &json!({"isSuccessful": true, "errors": [], "warnings": []}),
            )
        } else {
            Reply::json(
                400,
                &json!({
                    "isSuccessful": false,
                    "errors": [{"deviceId": "b", "errorCode": "DeviceAlreadyExists",
                                "errorStatus": "A device with ID 'b' is already registered."}],
                    "warnings": []
                }),
            )
        }
    })
    .await;
    let client = hub.client();

    let ok = client.bulk_registry(&bulk_entries()).await.unwrap();
    assert!(ok.is_successful);
    assert!(ok.errors.is_empty());

    let partial = client.bulk_registry(&bulk_entries()).await.unwrap();
    assert!(!partial.is_successful);
    assert_eq!(partial.errors.len(), 1);
    assert_eq!(partial.errors[0].device_id, "b");
    assert_eq!(
        partial.errors[0].code(),
        Some(ErrorCode::DeviceAlreadyExists)
    );

    let request = &hub.requests()[0];
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.path, "/devices");
    assert_eq!(
        request.json(),
        json!([{"id": "a", "importMode": "create"}, {"id": "b", "importMode": "create"}])
    );
}

#[tokio::test]
async fn bulk_rejected_as_a_whole_is_an_error() {
    let hub = TestHub::start(|_, _| {
        Reply::hub_error(
            400,
            "DeviceDefinedMultipleTimes",
            "Device a appears twice",
            "t",
        )
    })
    .await;
    let err = hub
        .client()
        .bulk_registry(&bulk_entries())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::DeviceDefinedMultipleTimes));

    let too_many: Vec<ExportImportDevice> = (0..101)
        .map(|i| ExportImportDevice {
            id: format!("d{i}"),
            ..ExportImportDevice::default()
        })
        .collect();
    let err = hub.client().bulk_registry(&too_many).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidInput(_)));
    assert!(hub.client().bulk_registry(&[]).await.is_err());
    assert_eq!(hub.count(), 1);
}

#[tokio::test]
async fn purge_command_queue() {
    let hub = TestHub::start(|_, _| {
        Reply::json(200, &json!({"deviceId": "dev1", "totalMessagesPurged": 3}))
    })
    .await;
    let result = hub.client().purge_command_queue("dev1").await.unwrap();
    assert_eq!(result.total_messages_purged, 3);
    let request = hub.single();
    assert_eq!(request.method, Method::DELETE);
    assert_eq!(request.path, "/devices/dev1/commands");
}

#[tokio::test]
async fn endpoint_path_prefix_is_kept() {
    let hub = TestHub::start(|_, _| Reply::json(200, &json!({"connectedDeviceCount": 0}))).await;
    let client = hub
        .builder()
        .endpoint(format!("http://{}/iothub/", hub.addr).parse().unwrap())
        .build()
        .unwrap();
    client.service_statistics().await.unwrap();
    assert_eq!(hub.single().path, "/iothub/statistics/service");
}
