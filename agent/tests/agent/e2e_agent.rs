//! The whole agent (DM client + hub connection, sandbox providers) against the local IoT Hub,
//! driven from the service side, as `dmctl` and `dmctl simulate` use it.

use std::time::Duration;

use crate::common::{DaemonDevice, TestHub, eventually};
use serde_json::{Value, json};

const WITHIN: Duration = Duration::from_secs(30);

async fn one_device(hub: &TestHub, id: &str, root: &std::path::Path) -> DaemonDevice {
    DaemonDevice::start(hub, id, root, Duration::from_millis(500)).await
}

#[tokio::test]
async fn methods_are_dispatched_and_answered_with_real_status_codes() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let sim = one_device(&hub, "agent-1", root.path()).await;

    let (status, info) = hub.call("agent-1", "dm.info.get", json!({})).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["agentVersion"], env!("CARGO_PKG_VERSION"));

    // Not a dm method: the daemon has no application behind it.
    let (status, body) = hub.call("agent-1", "app.selfTest", json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("unknownMethod"))
    );
    let (status, body) = hub.call("agent-1", "dm.noSuchThing", json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("unknownMethod"))
    );

    // A malformed payload is refused with the reason, and the agent keeps serving.
    let (status, body) = hub
        .call("agent-1", "dm.reboot", json!({"delaySeconds": "soon"}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "invalidPayload");
    let (status, _) = hub.call("agent-1", "dm.info.get", json!(null)).await;
    assert_eq!(status, 200);
    sim.stop().await;
}

#[tokio::test]
async fn the_manifest_and_desired_state_reach_the_twin() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let sim = one_device(&hub, "agent-2", root.path()).await;

    let manifest = eventually(WITHIN, "the capability manifest", || async {
        let reported = hub.reported("agent-2").await;
        let agent = reported["dm"]["agent"].clone();
        agent.is_object().then_some(agent)
    })
    .await;
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        manifest["methods"]
            .as_array()
            .unwrap()
            .contains(&json!("dm.reboot")),
        "{manifest}"
    );

    hub.patch_desired(
        "agent-2",
        json!({"dm": {"time": {"timeZone": "Asia/Tokyo"}}}),
    )
    .await;
    let time = eventually(WITHIN, "the applied time zone", || async {
        let time = hub.reported("agent-2").await["dm"]["time"].clone();
        (time["timeZone"] == "Asia/Tokyo").then_some(time)
    })
    .await;
    // The apply is an operation with the desired version it applied.
    let applied = time["operations"]
        .as_object()
        .unwrap()
        .values()
        .find(|op| op["op"] == "dm.time.apply")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(applied["state"], "succeeded", "{time}");
    sim.stop().await;
}

#[tokio::test]
async fn a_sandbox_reboot_reconnects_with_a_new_boot_time() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let sim = one_device(&hub, "agent-3", root.path()).await;
    let before = eventually(WITHIN, "the first boot time", || async {
        let boot = hub.reported("agent-3").await["dm"]["reboot"]["lastBootTime"].clone();
        boot.is_string().then_some(boot)
    })
    .await;

    let (status, accepted) = hub
        .call("agent-3", "dm.reboot", json!({"reason": "e2e"}))
        .await;
    assert_eq!(status, 202, "{accepted}");
    let id = accepted["operationId"].as_str().unwrap().to_owned();

    let envelope = eventually(WITHIN, "the reboot to finish", || async {
        let reboot = hub.reported("agent-3").await["dm"]["reboot"].clone();
        let op = reboot["operations"][&id].clone();
        (op["state"] == "succeeded").then_some((reboot, op))
    })
    .await;
    let (reboot, op) = envelope;
    assert_ne!(reboot["lastBootTime"], before, "{reboot}");
    // The device went away and came back, as a rebooting device does.
    assert!(sim.connection("agent-3").unwrap().sessions() >= 2);
    assert_eq!(op["result"]["bootTime"], reboot["lastBootTime"]);
    sim.stop().await;
}

#[tokio::test]
async fn an_operation_running_while_the_hub_restarts_completes_and_is_reported() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let sim = one_device(&hub, "agent-4", root.path()).await;
    let (status, accepted) = hub
        .call(
            "agent-4",
            "dm.reboot",
            json!({"delaySeconds": 2, "reason": "outage"}),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    let id = accepted["operationId"].as_str().unwrap().to_owned();

    // The hub goes away while the reboot is pending, and comes back after it happened.
    let stopped = hub.stop().await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let hub = stopped.restart().await;

    let op = eventually(WITHIN, "the reboot's final envelope", || async {
        let op = hub.reported("agent-4").await["dm"]["reboot"]["operations"][&id].clone();
        (op["state"] == "succeeded").then_some(op)
    })
    .await;
    assert!(op["result"]["bootTime"].is_string(), "{op}");
    let (status, _) = hub.call("agent-4", "dm.info.get", json!({})).await;
    assert_eq!(status, 200);
    sim.stop().await;
}

#[tokio::test]
async fn malformed_payloads_through_the_hub_get_400_and_the_agent_keeps_serving() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let sim = one_device(&hub, "agent-5", root.path()).await;
    let mut deep = json!(1);
    for _ in 0..64 {
        deep = json!([deep]);
    }
    let cases = [
        ("dm.reboot", json!({"delaySeconds": "soon"})),
        ("dm.reboot", json!({"delaySeconds": 1, "unknown": true})),
        (
            "dm.apps.install",
            json!({"name": "x", "url": "ftp://example.com/x", "sha256": "00"}),
        ),
        ("dm.wifi.add", json!({"ssid": 42})),
        ("dm.time.get", json!({"nested": deep})),
        (
            "dm.diagnostics.setLogLevel",
            json!({"level": "x".repeat(100_000)}),
        ),
        ("dm.factoryReset", json!([1, 2, 3])),
    ];
    for (method, payload) in cases {
        let (status, body) = hub.call("agent-5", method, payload).await;
        assert_eq!(status, 400, "{method}: {body}");
        assert_eq!(body["code"], "invalidPayload", "{method}: {body}");
        let (status, _) = hub.call("agent-5", "dm.info.get", json!({})).await;
        assert_eq!(status, 200, "still serving after {method}");
    }
    sim.stop().await;
}
