//! The state directory survives restarts: operations cut short are settled, a reboot is
//! completed from the new boot time, and desired versions, leases, schedules and managed apps
//! are remembered.

use std::path::Path;
use std::sync::Arc;

use crate::core_common::{DEVICE_ID, Device, FakeTransport, serve, sha256, write};
use dm_agent::Agent;
use dm_agent::leases::AcquireRequest;
use dm_agent::providers::LinuxOptions;
use dm_agent::runner::RecordingRunner;
use serde_json::json;

fn linux_device(root: &Path, runner: &RecordingRunner) -> (Agent, Arc<FakeTransport>) {
    let transport = FakeTransport::new();
    let client = Agent::builder(transport.clone())
        .device_id(DEVICE_ID)
        .state_dir(root.join("var/lib/dm-agent"))
        .linux(Arc::new(runner.clone()))
        .linux_options(LinuxOptions {
            root: root.to_owned(),
            ..LinuxOptions::default()
        })
        .build()
        .unwrap();
    (client, transport)
}

/// Waits until `line` has run `times` times in all.
async fn wait_for_command(runner: &RecordingRunner, line: &str, times: usize) {
    for _ in 0..3000 {
        if runner.lines().iter().filter(|l| *l == line).count() >= times {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("`{line}` never ran: {:?}", runner.lines());
}

#[tokio::test]
async fn a_reboot_is_completed_after_the_boot_and_an_unfinished_one_is_interrupted() {
    let root = tempfile::tempdir().unwrap();
    write(&root.path().join("proc/stat"), b"btime 1740809529\n");
    let runner = RecordingRunner::new();
    let (client, transport) = linux_device(root.path(), &runner);
    assert!(
        client
            .handle_method("1", "dm.reboot", br#"{"reason": "kernel update"}"#)
            .await
    );
    let (status, body) = transport.answer("1").await;
    assert_eq!(status, 202);
    let id = body["operationId"].as_str().unwrap().to_owned();
    transport
        .reported_until("the running reboot", |d| {
            d["dm"]["reboot"]["operations"][&id]["state"] == "running"
        })
        .await;
    wait_for_command(&runner, "systemctl reboot", 1).await;
    client.shutdown().await;
    drop(client);

    // The device comes back with a new kernel boot time; the agent completes the envelope.
    write(&root.path().join("proc/stat"), b"btime 1740810000\n");
    let (client, transport) = linux_device(root.path(), &runner);
    let envelope = transport.final_envelope("reboot", &id).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(envelope["result"]["bootTime"], "2025-03-01T06:20:00Z");
    let reported = transport
        .reported_until("the reason", |d| {
            d["dm"]["reboot"]["lastRebootReason"] == "kernel update"
        })
        .await;
    assert_eq!(
        reported["dm"]["reboot"]["lastBootTime"],
        "2025-03-01T06:20:00Z"
    );

    // A reboot that never happened (the agent was merely restarted) is reported as such.
    assert!(client.handle_method("2", "dm.reboot", b"").await);
    let id = transport.answer("2").await.1["operationId"]
        .as_str()
        .unwrap()
        .to_owned();
    transport
        .reported_until("running", |d| {
            d["dm"]["reboot"]["operations"][&id]["state"] == "running"
        })
        .await;
    wait_for_command(&runner, "systemctl reboot", 2).await;
    client.shutdown().await;
    drop(client);
    let (_client, transport) = linux_device(root.path(), &runner);
    let envelope = transport.final_envelope("reboot", &id).await;
    assert_eq!(
        (
            envelope["state"].as_str(),
            envelope["error"]["code"].as_str()
        ),
        (Some("failed"), Some("interrupted"))
    );
    assert!(
        envelope["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did not reboot")
    );
}

#[tokio::test]
async fn pending_operations_are_interrupted_by_a_restart() {
    let device = Device::new();
    let (status, body) = device
        .call("dm.reboot", json!({"delaySeconds": 3600}))
        .await;
    assert_eq!(status, 202);
    let id = body["operationId"].as_str().unwrap().to_owned();
    device
        .transport
        .reported_until("pending", |d| {
            d["dm"]["reboot"]["operations"][&id]["state"] == "pending"
        })
        .await;
    device.client.shutdown().await;
    let dir = device.dir.clone();
    drop(device);
    let device = Device::in_dir(dir);
    let envelope = device.transport.final_envelope("reboot", &id).await;
    assert_eq!(
        (
            envelope["state"].as_str(),
            envelope["error"]["code"].as_str()
        ),
        (Some("failed"), Some("interrupted"))
    );
    assert!(
        envelope["error"]["message"]
            .as_str()
            .unwrap()
            .contains("pending")
    );
}

#[tokio::test]
async fn desired_versions_leases_schedules_and_apps_survive_a_restart() {
    let device = Device::new();
    device
        .client
        .handle_full_twin(&json!({"desired": {"$version": 1}, "reported": {}}))
        .await;
    let desired = json!({"reboot": {"schedule": {"daily": "04:00", "timeZone": "UTC"}}, "time": {"timeZone": "Asia/Tokyo"}});
    device
        .client
        .handle_desired_patch(&json!({"dm": desired, "$version": 2}))
        .await;
    device.transport.final_envelope("reboot", "d2-reboot").await;
    device.transport.final_envelope("time", "d2-time").await;
    device
        .client
        .leases()
        .acquire(AcquireRequest {
            id: Some("flash".into()),
            holder: "plc".into(),
            reason: "flashing".into(),
            ttl_seconds: 3600,
        })
        .unwrap();
    let package = b"package".to_vec();
    let base = serve(package.clone()).await;
    let installed = device
        .run("dm.apps.install", "apps", json!({"name": "plc-bridge", "url": format!("{base}/p.deb"), "sha256": sha256(&package)}))
        .await;
    assert_eq!(installed["state"], "succeeded");
    device.client.shutdown().await;
    let dir = device.dir.clone();
    drop(device);

    let device = Device::in_dir(dir);
    // The same version again is skipped; the next one applies.
    device
        .client
        .handle_desired_patch(&json!({"dm": {"time": {"timeZone": "Europe/Paris"}}, "$version": 2}))
        .await;
    device
        .client
        .handle_desired_patch(
            &json!({"dm": {"time": {"timeZone": "Europe/Lisbon"}}, "$version": 3}),
        )
        .await;
    assert_eq!(
        device.transport.final_envelope("time", "d3-time").await["state"],
        "succeeded"
    );
    assert!(
        device
            .transport
            .patches()
            .iter()
            .all(|p| p["dm"]["time"]["operations"].get("d2-time").is_none())
    );
    assert_eq!(
        std::fs::read_to_string(device.path("etc/timezone"))
            .unwrap()
            .trim(),
        "Europe/Lisbon"
    );
    // The lease still blocks a reboot.
    let (status, body) = device.call("dm.reboot", json!({})).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("busy")));
    // The schedule and the managed app are still reported.
    device.client.report_all().await;
    let reported = device.transport.reported();
    assert_eq!(
        reported["dm"]["reboot"]["schedule"],
        desired["reboot"]["schedule"]
    );
    assert!(
        reported["dm"]["reboot"]["nextRebootAt"]
            .as_str()
            .unwrap()
            .ends_with("T04:00:00Z")
    );
    assert_eq!(reported["dm"]["apps"]["managed"][0]["name"], "plc-bridge");
    assert_eq!(
        reported["dm"]["apps"]["managed"][0]["sha256"],
        sha256(&package)
    );
    assert_eq!(reported["dm"]["busy"]["leases"][0]["id"], "flash");
}

#[tokio::test]
async fn dm_agent_status_reads_the_state_directory() {
    let device = Device::new();
    device.client.handle_full_twin(&json!({"desired": {"dm": {"updates": {"policy": "security"}}, "$version": 9}, "reported": {}})).await;
    device
        .transport
        .final_envelope("updates", "d9-updates")
        .await;
    let (_, body) = device.call("dm.reboot", json!({"delaySeconds": 600})).await;
    let id = body["operationId"].as_str().unwrap().to_owned();
    device
        .transport
        .reported_until("pending", |d| {
            d["dm"]["reboot"]["operations"][&id]["state"] == "pending"
        })
        .await;
    let status = dm_agent::status::read_status(&device.state).unwrap();
    assert_eq!(status.desired_version, Some(9));
    assert_eq!(status.running.len(), 1);
    assert_eq!(status.running[0].operation.id.as_str(), id);
    assert!(
        status
            .recent
            .iter()
            .any(|o| o.operation.id.as_str() == "d9-updates")
    );
    let mut out = Vec::new();
    dm_agent::status::write_status(&status, false, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("update policy: security") && text.contains(&id),
        "{text}"
    );
    let mut json_out = Vec::new();
    dm_agent::status::write_status(&status, true, &mut json_out).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&json_out).unwrap();
    assert_eq!(doc["running"][0]["state"], "pending");
}
