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

/// Devices reporting and the service writing desired properties, all at once on the same twins:
/// every acknowledged write is there after a restart, and each twin's versions moved by one per
/// patch in the order sent (writes are group-committed; acknowledgement waits for the commit).
#[tokio::test]
async fn concurrent_twin_writes_are_all_kept_in_order_across_a_restart() {
    const DEVICES: usize = 6;
    const PATCHES: u64 = 20;
    let dir = tempfile::tempdir().unwrap();
    let first = start_with(config(dir.path())).await;
    let mut sessions = Vec::new();
    for i in 0..DEVICES {
        sessions.push(crate::device::device(&first, &format!("cw{i}")).await);
    }
    let reporters = sessions
        .into_iter()
        .enumerate()
        .map(|(i, mut d)| async move {
            let mut versions = Vec::new();
            for n in 1..=PATCHES {
                d.publish(
                    &format!("$iothub/twin/PATCH/properties/reported/?$rid={n}"),
                    json!({"n": n, "device": i}).to_string(),
                )
                .await;
                // Desired notifications arrive on the same connection; wait for this patch's answer.
                let answer = loop {
                    let p = d.next().await;
                    if p.topic.starts_with("$iothub/twin/res/") {
                        break p.topic;
                    }
                };
                let version = answer
                    .strip_prefix(&format!("$iothub/twin/res/204/?$rid={n}&$version="))
                    .unwrap_or_else(|| panic!("patch {n} of cw{i} answered {answer}"));
                versions.push(version.parse::<u64>().unwrap());
            }
            (d, versions)
        });
    let writers = (0..DEVICES).map(|i| {
        let t = &first;
        async move {
            for n in 1..=PATCHES {
                let answer = t
                    .patch(
                        &format!("/twins/cw{i}"),
                        json!({"properties": {"desired": {"n": n}}}),
                    )
                    .await;
                assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
                assert_eq!(answer.body["properties"]["desired"]["$version"], n + 1);
            }
        }
    });
    let (reported, _) = tokio::join!(
        futures::future::join_all(reporters),
        futures::future::join_all(writers)
    );
    let expected: Vec<u64> = (2..=PATCHES + 1).collect();
    for (i, (_, versions)) in reported.iter().enumerate() {
        assert_eq!(versions, &expected, "reported $version of cw{i}");
    }
    drop(reported);
    first.hub.shutdown().await.unwrap();

    let second = start_with(config(dir.path())).await;
    for i in 0..DEVICES {
        let twin = second.get(&format!("/twins/cw{i}")).await.body;
        let properties = &twin["properties"];
        assert_eq!(properties["reported"]["n"], PATCHES, "cw{i}: {twin}");
        assert_eq!(properties["reported"]["$version"], PATCHES + 1);
        assert_eq!(properties["desired"]["n"], PATCHES);
        assert_eq!(properties["desired"]["$version"], PATCHES + 1);
    }
}
