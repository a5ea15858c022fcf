//! Durability across restarts on the same data directory, and the helpers that work on a data
//! directory with no server running.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{config, start_with};

#[tokio::test]
async fn devices_keys_twins_jobs_and_the_ca_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let first = start_with(config(dir.path())).await;
    let device = first.create_device("keep").await;
    first
        .patch(
            "/twins/keep",
            json!({"tags": {"t": 1}, "properties": {"desired": {"d": 2}}}),
        )
        .await;
    let twin_before = first.get("/twins/keep").await.body;
    let job = first
        .put(
            "/jobs/v2/nightly",
            json!({"type": "scheduleUpdateTwin", "queryCondition": "*",
                   "startTime": (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(12)).to_string(),
                   "updateTwin": {"tags": {"n": 1}}}),
        )
        .await;
    assert_eq!(job.status, StatusCode::OK);
    let owner_before = first.hub.service_connection_string("iothubowner").unwrap();
    let ca_before = first.hub.ca_pem();
    first.hub.shutdown().await.unwrap();

    let second = start_with(config(dir.path())).await;
    assert_eq!(
        second.hub.ca_pem(),
        ca_before,
        "clients keep trusting the same CA"
    );
    let owner_after = second.hub.service_connection_string("iothubowner").unwrap();
    assert_eq!(
        owner_after.key().unwrap().to_base64(),
        owner_before.key().unwrap().to_base64(),
        "policy keys are kept"
    );
    let device_after = second.get("/devices/keep").await.body;
    assert_eq!(device_after["authentication"], device["authentication"]);
    assert_eq!(device_after["generationId"], device["generationId"]);
    let twin_after = second.get("/twins/keep").await.body;
    assert_eq!(twin_after["properties"], twin_before["properties"]);
    assert_eq!(twin_after["tags"], twin_before["tags"]);
    assert_eq!(twin_after["etag"], twin_before["etag"]);
    let job_after = second.get("/jobs/v2/nightly").await;
    assert_eq!(job_after.status, StatusCode::OK);
    assert_eq!(job_after.body["status"], "scheduled");
}

#[tokio::test]
async fn connection_strings_from_a_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let owner =
        iothub_emulator::connection_string_for_policy(dir.path(), "iothubowner", "localhost:8443")
            .unwrap();
    let text = owner.expose_secret();
    assert!(
        text.starts_with(
            "HostName=localhost:8443;SharedAccessKeyName=iothubowner;SharedAccessKey="
        ),
        "{text}"
    );
    let unknown = iothub_emulator::connection_string_for_policy(dir.path(), "nope", "localhost");
    assert!(
        unknown.unwrap_err().to_string().contains("iothubowner"),
        "lists the policies"
    );

    let missing =
        iothub_emulator::connection_string_for_device(dir.path(), "d1", false, "localhost", None);
    assert!(missing.is_err());
    let created = iothub_emulator::connection_string_for_device(
        dir.path(),
        "d1",
        true,
        "localhost",
        Some("localhost:8883"),
    )
    .unwrap();
    let again = iothub_emulator::connection_string_for_device(
        dir.path(),
        "d1",
        false,
        "localhost",
        Some("localhost:8883"),
    )
    .unwrap();
    assert_eq!(created.expose_secret(), again.expose_secret());
    assert!(
        created
            .expose_secret()
            .contains("GatewayHostName=localhost:8883")
    );
    assert!(
        !format!("{created:?}").contains(&created.key().unwrap().to_base64()),
        "Debug hides the key"
    );

    // A server on the same directory sees the device and accepts the same policy key.
    let t = start_with(config(dir.path())).await;
    assert_eq!(t.get("/devices/d1").await.status, StatusCode::OK);
    assert_eq!(
        t.hub
            .service_connection_string("iothubowner")
            .unwrap()
            .key()
            .unwrap()
            .to_base64(),
        owner.key().unwrap().to_base64()
    );
    // A device registered from outside while the server runs is visible at once.
    iothub_emulator::connection_string_for_device(dir.path(), "d2", true, "localhost", None)
        .unwrap();
    assert_eq!(t.get("/devices/d2").await.status, StatusCode::OK);
}
