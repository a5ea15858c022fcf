//! Identity registry over HTTPS: device and module CRUD, status codes, etags, bulk, statistics.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::start;

#[tokio::test]
async fn device_crud_with_status_codes_and_etags() {
    let t = start().await;
    let created = t
        .put("/devices/dev1", json!({"deviceId": "dev1", "authentication": {"symmetricKey": {"primaryKey": "", "secondaryKey": ""}}}))
        .await;
    assert_eq!(created.status, StatusCode::OK);
    assert_eq!(created.header("etag"), Some("\"MA==\""));
    assert_eq!(
        created.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let device = &created.body;
    assert_eq!(device["deviceId"], "dev1");
    assert_eq!(device["etag"], "MA==");
    assert_eq!(device["status"], "enabled");
    assert_eq!(device["connectionState"], "Disconnected");
    let primary = device["authentication"]["symmetricKey"]["primaryKey"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(primary.len(), 44, "the hub generates 32-byte keys");
    assert_ne!(
        device["authentication"]["symmetricKey"]["secondaryKey"],
        device["authentication"]["symmetricKey"]["primaryKey"]
    );

    let again = t.put("/devices/dev1", json!({"deviceId": "dev1"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        again.header("iothub-errorcode"),
        Some("DeviceAlreadyExists")
    );
    assert_eq!(again.error_name(), "DeviceAlreadyExists");
    assert!(again.message().contains("dev1"), "{}", again.message());
    assert!(
        again.body["ExceptionMessage"]
            .as_str()
            .unwrap()
            .starts_with("Tracking ID:")
    );

    let read = t.get("/devices/dev1").await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.header("etag"), Some("\"MA==\""));

    // Update with a stale etag, then with the current one; empty keys keep the old ones.
    let stale = t
        .call_with(
            Method::PUT,
            "/devices/dev1",
            Some(json!({"deviceId": "dev1", "status": "disabled"})),
            &[
                ("authorization", &t.owner_token()),
                ("if-match", "\"MQ==\""),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.header("iothub-errorcode"), Some("PreconditionFailed"));
    let updated = t
        .call_with(
            Method::PUT,
            "/devices/dev1",
            Some(json!({"deviceId": "dev1", "status": "disabled", "statusReason": "maintenance",
                        "authentication": {"symmetricKey": {"primaryKey": "", "secondaryKey": ""}}})),
            &[("authorization", &t.owner_token()), ("if-match", "\"MA==\"")],
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.body["status"], "disabled");
    assert_eq!(updated.body["statusReason"], "maintenance");
    assert_eq!(updated.header("etag"), Some("\"MQ==\""));
    assert_eq!(
        updated.body["authentication"]["symmetricKey"]["primaryKey"],
        primary.as_str()
    );
    assert_ne!(
        updated.body["statusUpdatedTime"],
        device["statusUpdatedTime"]
    );

    let deleted = t.delete("/devices/dev1").await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = t.get("/devices/dev1").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.header("iothub-errorcode"), Some("DeviceNotFound"));
    assert_eq!(
        t.delete("/devices/dev1").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn ids_are_validated_and_percent_decoded() {
    let t = start().await;
    let odd = t.put("/devices/a%3Ab%40c", json!({})).await;
    assert_eq!(odd.status, StatusCode::OK, "{}", odd.body);
    assert_eq!(odd.body["deviceId"], "a:b@c");
    assert_eq!(t.get("/devices/a%3Ab%40c").await.status, StatusCode::OK);

    let bad = t.put("/devices/bad%20id", json!({})).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.header("iothub-errorcode"), Some("ArgumentInvalid"));
    assert!(bad.message().contains("device id"), "{}", bad.message());

    let mismatch = t.put("/devices/x1", json!({"deviceId": "x2"})).await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
    assert!(mismatch.message().contains("x2"), "{}", mismatch.message());

    let short_key = t
        .put(
            "/devices/x3",
            json!({"authentication": {"symmetricKey": {"primaryKey": "cGFzc3dvcmQ=", "secondaryKey": ""}}}),
        )
        .await;
    assert_eq!(short_key.status, StatusCode::BAD_REQUEST);
    assert!(
        short_key.message().contains("primaryKey"),
        "{}",
        short_key.message()
    );
    assert!(
        !short_key.message().contains("cGFzc3dvcmQ="),
        "keys never echo"
    );
}

#[tokio::test]
async fn listing_and_statistics() {
    let t = start().await;
    for id in ["c", "a", "b"] {
        t.create_device(id).await;
    }
    let disabled = t
        .call_with(
            Method::PUT,
            "/devices/b",
            Some(json!({"status": "disabled"})),
            &[("authorization", &t.owner_token()), ("if-match", "*")],
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK);

    let all = t.get("/devices").await;
    assert_eq!(all.status, StatusCode::OK);
    let ids: Vec<&str> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["deviceId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let top = t.get("/devices?top=2").await;
    assert_eq!(top.body.as_array().unwrap().len(), 2);
    let out_of_range = t.get("/devices?top=0").await;
    assert_eq!(
        out_of_range.body.as_array().unwrap().len(),
        3,
        "out of range means 1000"
    );

    let stats = t.get("/statistics/devices").await;
    assert_eq!(
        stats.body,
        json!({"totalDeviceCount": 3, "enabledDeviceCount": 2, "disabledDeviceCount": 1})
    );
    let service = t.get("/statistics/service").await;
    assert_eq!(service.body, json!({"connectedDeviceCount": 0}));
}

#[tokio::test]
async fn modules_crud() {
    let t = start().await;
    let orphan = t.put("/devices/nodev/modules/m1", json!({})).await;
    assert_eq!(orphan.status, StatusCode::NOT_FOUND);
    assert_eq!(orphan.header("iothub-errorcode"), Some("DeviceNotFound"));

    t.create_device("d").await;
    let created = t
        .put(
            "/devices/d/modules/m1",
            json!({"moduleId": "m1", "managedBy": "me"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.body["moduleId"], "m1");
    assert_eq!(created.body["deviceId"], "d");
    assert_eq!(created.body["managedBy"], "me");
    assert_eq!(created.header("etag"), Some("\"MA==\""));
    assert!(created.body["authentication"]["symmetricKey"]["primaryKey"].is_string());

    let dup = t.put("/devices/d/modules/m1", json!({})).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(
        dup.header("iothub-errorcode"),
        Some("ModuleAlreadyExistsOnDevice")
    );

    t.put("/devices/d/modules/m2", json!({})).await;
    let list = t.get("/devices/d/modules").await;
    let ids: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["moduleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["m1", "m2"]);

    let updated = t
        .call_with(
            Method::PUT,
            "/devices/d/modules/m1",
            Some(json!({"managedBy": "you"})),
            &[
                ("authorization", &t.owner_token()),
                ("if-match", "\"MA==\""),
            ],
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.body["managedBy"], "you");
    assert_eq!(updated.header("etag"), Some("\"MQ==\""));

    assert_eq!(
        t.delete("/devices/d/modules/m1").await.status,
        StatusCode::NO_CONTENT
    );
    let gone = t.get("/devices/d/modules/m1").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.header("iothub-errorcode"), Some("ModuleNotFound"));

    // Deleting the device takes its modules with it.
    assert_eq!(t.delete("/devices/d").await.status, StatusCode::NO_CONTENT);
    t.create_device("d").await;
    assert_eq!(t.get("/devices/d/modules").await.body, json!([]));
}

#[tokio::test]
async fn bulk_operations() {
    let t = start().await;
    let ok = t
        .post(
            "/devices",
            json!([
                {"id": "b1", "importMode": "create", "tags": {"floor": 1}},
                {"id": "b2", "importMode": "create", "status": "disabled"},
            ]),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["isSuccessful"], true);
    assert_eq!(t.get("/twins/b1").await.body["tags"], json!({"floor": 1}));
    assert_eq!(t.get("/devices/b2").await.body["status"], "disabled");

    let etag = t.get("/devices/b1").await.body["etag"].clone();
    let mixed = t
        .post(
            "/devices",
            json!([
                {"id": "b1", "importMode": "updateIfMatchETag", "eTag": etag, "status": "disabled"},
                {"id": "b2", "importMode": "deleteIfMatchETag", "eTag": "bm9wZQ=="},
                {"id": "b3", "importMode": "create"},
                {"id": "b1", "moduleId": "m", "importMode": "create"},
            ]),
        )
        .await;
    assert_eq!(mixed.status, StatusCode::BAD_REQUEST, "{}", mixed.body);
    assert_eq!(mixed.body["isSuccessful"], false);
    let errors = mixed.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["deviceId"], "b2");
    assert_eq!(errors[0]["errorCode"], "PreconditionFailed");
    assert_eq!(t.get("/devices/b1").await.body["status"], "disabled");
    assert_eq!(
        t.get("/devices/b2").await.status,
        StatusCode::OK,
        "b2 was not deleted"
    );
    assert_eq!(t.get("/devices/b3").await.status, StatusCode::OK);
    assert_eq!(t.get("/devices/b1/modules/m").await.status, StatusCode::OK);

    let dup = t.post("/devices", json!([{"id": "z"}, {"id": "z"}])).await;
    assert_eq!(dup.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        dup.header("iothub-errorcode"),
        Some("DeviceDefinedMultipleTimes")
    );
    assert_eq!(t.get("/devices/z").await.status, StatusCode::NOT_FOUND);

    let too_many: Vec<_> = (0..101).map(|i| json!({"id": format!("n{i}")})).collect();
    let refused = t.post("/devices", json!(too_many)).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(refused.header("iothub-errorcode"), Some("TooManyDevices"));

    // A full bulk request is larger than single-document bodies may be, and is accepted.
    let filler = "x".repeat(3000);
    let large: Vec<_> = (0..100)
        .map(|i| json!({"id": format!("big{i}"), "tags": {"blob": filler, "more": filler}}))
        .collect();
    let large_body = json!(large);
    assert!(large_body.to_string().len() > 512 * 1024);
    let accepted = t.post("/devices", large_body).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(
        t.get("/twins/big99").await.body["tags"]["blob"],
        filler.as_str()
    );

    let deleted = t
        .post("/devices", json!([{"id": "b3", "importMode": "delete"}]))
        .await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(t.get("/devices/b3").await.status, StatusCode::NOT_FOUND);
}

/// What `az iot edge devices create`, `az iot hub device-identity children add/list` and
/// `module-identity list` rely on (protocol notes §H.3): a hub-made, immutable edge scope, a
/// leaf parented by writing the whole device back with its `deviceScope` set, the children
/// query, and the edge system modules.
#[tokio::test]
async fn edge_scopes_parenting_and_system_modules() {
    let t = start().await;
    let edge = t
        .put(
            "/devices/edge1",
            json!({"deviceId": "edge1", "capabilities": {"iotEdge": true}}),
        )
        .await;
    assert_eq!(edge.status, StatusCode::OK, "{}", edge.body);
    let generation = edge.body["generationId"].as_str().unwrap().to_string();
    let scope = format!("ms-azure-iot-edge://edge1-{generation}");
    assert_eq!(edge.body["deviceScope"], scope.as_str());
    assert_eq!(edge.body["parentScopes"], json!([]));

    let leaf = t.put("/devices/leaf1", json!({"deviceId": "leaf1"})).await;
    assert_eq!(leaf.status, StatusCode::OK, "{}", leaf.body);
    assert!(leaf.body.get("deviceScope").is_none(), "{}", leaf.body);
    assert!(leaf.body.get("parentScopes").is_none(), "{}", leaf.body);

    // `children add`: the leaf as read, with the edge's scope, under the leaf's etag.
    let mut whole = t.get("/devices/leaf1").await.body;
    whole["deviceScope"] = json!(scope);
    let etag = format!("\"{}\"", whole["etag"].as_str().unwrap());
    let parented = t
        .call_with(
            Method::PUT,
            "/devices/leaf1",
            Some(whole),
            &[("authorization", &t.owner_token()), ("if-match", &etag)],
        )
        .await;
    assert_eq!(parented.status, StatusCode::OK, "{}", parented.body);
    assert_eq!(parented.body["deviceScope"], scope.as_str());
    assert_eq!(parented.body["parentScopes"], json!([scope]));

    // `children list`.
    let children = t
        .post(
            "/devices/query",
            json!({"query": format!("SELECT deviceId FROM devices WHERE array_contains(parentScopes, '{scope}')")}),
        )
        .await;
    assert_eq!(children.status, StatusCode::OK, "{}", children.body);
    assert_eq!(children.body, json!([{"deviceId": "leaf1"}]));

    // The edge scope is the hub's: a whole-device write carrying another value keeps it.
    let mut edge_whole = t.get("/devices/edge1").await.body;
    edge_whole["deviceScope"] = json!("ms-azure-iot-edge://other-1");
    let etag = format!("\"{}\"", edge_whole["etag"].as_str().unwrap());
    let kept = t
        .call_with(
            Method::PUT,
            "/devices/edge1",
            Some(edge_whole),
            &[("authorization", &t.owner_token()), ("if-match", &etag)],
        )
        .await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    assert_eq!(kept.body["deviceScope"], scope.as_str());

    // Edge devices have the runtime's modules; leaves have none.
    let modules = t.get("/devices/edge1/modules").await;
    assert_eq!(modules.status, StatusCode::OK, "{}", modules.body);
    let mut ids: Vec<&str> = modules
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["moduleId"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["$edgeAgent", "$edgeHub"]);
    assert_eq!(t.get("/devices/leaf1/modules").await.body, json!([]));
    let queried = t
        .post(
            "/devices/query",
            json!({"query": "SELECT moduleId FROM devices.modules WHERE deviceId = 'edge1'"}),
        )
        .await;
    assert_eq!(
        queried.body.as_array().map(Vec::len),
        Some(2),
        "{}",
        queried.body
    );

    // `children remove` sends `deviceScope: ""`: the leaf has no parent again.
    let mut whole = t.get("/devices/leaf1").await.body;
    whole["deviceScope"] = json!("");
    whole["parentScopes"] = json!([]);
    let etag = format!("\"{}\"", whole["etag"].as_str().unwrap());
    let removed = t
        .call_with(
            Method::PUT,
            "/devices/leaf1",
            Some(whole),
            &[("authorization", &t.owner_token()), ("if-match", &etag)],
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert!(
        removed.body.get("deviceScope").is_none(),
        "{}",
        removed.body
    );
    assert!(
        removed.body.get("parentScopes").is_none(),
        "{}",
        removed.body
    );
}
