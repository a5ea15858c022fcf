//! Desired state: reconciled by `$version`, skipping old patches, fetching the twin on a gap,
//! converging from a full twin, and reporting a `dm.<section>.apply` envelope for each apply.

use std::time::Duration;

use crate::core_common::Device;
use serde_json::{Value, json};

#[allow(clippy::needless_pass_by_value)] // callers build the document inline
fn twin(version: u64, dm: Value) -> Value {
    json!({"desired": {"dm": dm, "samplingRate": 5, "$version": version}, "reported": {"$version": 1}})
}

fn timezone(device: &Device) -> String {
    std::fs::read_to_string(device.path("etc/timezone"))
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[tokio::test]
async fn patches_apply_in_version_order_and_old_ones_are_skipped() {
    let device = Device::new();
    device.client.handle_full_twin(&twin(1, json!({}))).await;
    device
        .client
        .handle_desired_patch(&json!({"dm": {"time": {"timeZone": "Europe/Paris", "ntpServers": ["0.pool.ntp.org"]}}, "$version": 2}))
        .await;
    let envelope = device.transport.final_envelope("time", "d2-time").await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(
        (envelope["op"].as_str(), envelope["desiredVersion"].as_u64()),
        (Some("dm.time.apply"), Some(2))
    );
    assert_eq!(timezone(&device), "Europe/Paris");
    let reported = device
        .transport
        .reported_until("the time zone", |d| {
            d["dm"]["time"]["timeZone"] == "Europe/Paris"
        })
        .await;
    assert_eq!(
        reported["dm"]["time"]["ntpServers"],
        json!(["0.pool.ntp.org"])
    );

    // A replayed or older patch changes nothing.
    device
        .client
        .handle_desired_patch(&json!({"dm": {"time": {"timeZone": "Asia/Tokyo"}}, "$version": 2}))
        .await;
    device
        .client
        .handle_desired_patch(&json!({"dm": {"time": {"timeZone": "Asia/Tokyo"}}, "$version": 1}))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(timezone(&device), "Europe/Paris");
    assert_eq!(device.transport.twin_gets(), 0);

    // A patch without dm only advances the version.
    device
        .client
        .handle_desired_patch(&json!({"samplingRate": 10, "$version": 3}))
        .await;
    device
        .client
        .handle_desired_patch(&json!({"dm": {"time": {"ntpServers": null}}, "$version": 4}))
        .await;
    let envelope = device.transport.final_envelope("time", "d4-time").await;
    assert_eq!(envelope["state"], "succeeded");
    assert_eq!(device.transport.twin_gets(), 0, "3 then 4: no gap");
}

#[tokio::test]
async fn a_version_gap_fetches_the_full_twin() {
    let device = Device::new();
    device.client.handle_full_twin(&twin(1, json!({}))).await;
    device.transport.set_twin(twin(5, json!({"time": {"timeZone": "Asia/Tokyo"}, "updates": {"policy": "security", "approved": ["openssl"]}})));
    // Versions 2..4 were missed; the patch of 5 alone would miss the time zone.
    device.client.handle_desired_patch(&json!({"dm": {"updates": {"policy": "security", "approved": ["openssl"]}}, "$version": 5})).await;
    assert_eq!(device.transport.twin_gets(), 1);
    let time = device.transport.final_envelope("time", "d5-time").await;
    assert_eq!(time["state"], "succeeded");
    assert_eq!(timezone(&device), "Asia/Tokyo");
    let updates = device
        .transport
        .final_envelope("updates", "d5-updates")
        .await;
    assert_eq!(updates["state"], "succeeded");
    device
        .transport
        .reported_until("the policy", |d| {
            d["dm"]["updates"]["policy"] == "security"
                && d["dm"]["updates"]["approved"] == json!(["openssl"])
        })
        .await;
}

#[tokio::test]
async fn a_full_twin_converges_only_what_changed() {
    let device = Device::new();
    let dm = json!({"time": {"timeZone": "America/New_York"}});
    device.client.handle_full_twin(&twin(3, dm.clone())).await;
    assert_eq!(
        device.transport.final_envelope("time", "d3-time").await["state"],
        "succeeded"
    );
    let patches_before = device.transport.patches().len();
    // Reconnect with the same desired state: nothing to apply (state is re-reported).
    device.client.handle_full_twin(&twin(3, dm)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let applies = device.transport.patches()[patches_before..]
        .iter()
        .filter(|p| p["dm"]["time"]["operations"].is_object())
        .count();
    assert_eq!(applies, 0);
    // A change made while the device was offline is applied on the next connect.
    device
        .client
        .handle_full_twin(&twin(7, json!({"time": {"timeZone": "Europe/Berlin"}})))
        .await;
    assert_eq!(
        device.transport.final_envelope("time", "d7-time").await["state"],
        "succeeded"
    );
    assert_eq!(timezone(&device), "Europe/Berlin");
}

#[tokio::test]
async fn invalid_desired_state_is_rejected_and_unknown_zones_fail() {
    let device = Device::new();
    device.client.handle_full_twin(&twin(1, json!({}))).await;
    device
        .client
        .handle_desired_patch(&json!({"dm": {"time": {"timezone": "UTC"}}, "$version": 2}))
        .await;
    let envelope = device.transport.final_envelope("time", "d2-time").await;
    assert_eq!(
        (
            envelope["state"].as_str(),
            envelope["error"]["code"].as_str()
        ),
        (Some("rejected"), Some("invalidPayload"))
    );
    assert!(
        envelope["error"]["message"]
            .as_str()
            .unwrap()
            .contains("timezone"),
        "{envelope}"
    );
    // The typo stays in the merged desired state until the operator deletes it.
    device.client.handle_desired_patch(&json!({"dm": {"time": {"timezone": null, "timeZone": "Europe/Pariss"}}, "$version": 3})).await;
    let envelope = device.transport.final_envelope("time", "d3-time").await;
    assert_eq!(
        (
            envelope["state"].as_str(),
            envelope["error"]["code"].as_str()
        ),
        (Some("failed"), Some("unknownTimeZone"))
    );
    // An unknown section is ignored, not fatal.
    device.client.handle_desired_patch(&json!({"dm": {"teleport": {"to": "mars"}, "time": {"timeZone": "UTC"}}, "$version": 4})).await;
    assert_eq!(
        device.transport.final_envelope("time", "d4-time").await["state"],
        "succeeded"
    );
    // Hostile shapes: not objects, deep, huge strings.
    for (v, dm) in [
        (5, json!("string")),
        (6, json!({"time": [1, 2, 3]})),
        (7, json!({"reboot": {"schedule": {"daily": "25:99"}}})),
    ] {
        device
            .client
            .handle_desired_patch(&json!({"dm": dm, "$version": v}))
            .await;
    }
    let envelope = device.transport.final_envelope("reboot", "d7-reboot").await;
    assert_eq!(envelope["state"], "rejected");
    let (status, _) = device.call("dm.info.get", json!({})).await;
    assert_eq!(status, 200, "still serving");
}

#[tokio::test]
async fn reboot_schedules_are_reported_and_fire() {
    let device = Device::new();
    device.client.handle_full_twin(&twin(1, json!({}))).await;
    let desired = json!({"schedule": {"daily": "03:30", "timeZone": "Europe/Paris"}, "maintenanceWindow": {"start": "22:00", "end": "04:00"}});
    device
        .client
        .handle_desired_patch(&json!({"dm": {"reboot": desired}, "$version": 2}))
        .await;
    assert_eq!(
        device.transport.final_envelope("reboot", "d2-reboot").await["state"],
        "succeeded"
    );
    let reported = device
        .transport
        .reported_until("nextRebootAt", |d| {
            d["dm"]["reboot"]["nextRebootAt"].is_string()
        })
        .await;
    let reboot = &reported["dm"]["reboot"];
    assert_eq!(reboot["schedule"], desired["schedule"]);
    assert_eq!(reboot["maintenanceWindow"], desired["maintenanceWindow"]);
    let next: jiff::Timestamp = reboot["nextRebootAt"].as_str().unwrap().parse().unwrap();
    let local = next.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap());
    assert_eq!((local.hour(), local.minute()), (3, 30));

    // Clearing the section clears the echo.
    device
        .client
        .handle_desired_patch(&json!({"dm": {"reboot": null}, "$version": 3}))
        .await;
    assert_eq!(
        device.transport.final_envelope("reboot", "d3-reboot").await["state"],
        "succeeded"
    );
    device
        .transport
        .reported_until("the cleared schedule", |d| {
            d["dm"]["reboot"].get("schedule").is_none()
                && d["dm"]["reboot"].get("nextRebootAt").is_none()
        })
        .await;

    // A single reboot two seconds from now fires once.
    let at = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() + 2).unwrap();
    device
        .client
        .handle_desired_patch(
            &json!({"dm": {"reboot": {"schedule": {"single": at.to_string()}}}, "$version": 4}),
        )
        .await;
    let reported = device
        .transport
        .reported_until("the scheduled reboot", |d| {
            d["dm"]["reboot"]["lastRebootReason"] == "scheduled reboot (single)"
        })
        .await;
    let scheduled: Vec<&Value> = reported["dm"]["reboot"]["operations"]
        .as_object()
        .unwrap()
        .values()
        .filter(|op| op["op"] == "dm.reboot")
        .collect();
    assert_eq!(scheduled.len(), 1);
    assert_eq!(scheduled[0]["state"], "succeeded");
}

#[tokio::test]
async fn the_update_policy_installs_automatically_inside_the_maintenance_window_only() {
    let settings = dm_agent::client::Settings {
        maintenance_interval: Duration::from_millis(100),
        ..dm_agent::client::Settings::default()
    };
    let device = Device::with_settings(std::sync::Arc::new(tempfile::tempdir().unwrap()), settings);
    device.client.handle_full_twin(&twin(1, json!({}))).await;
    // A window that is closed now: nothing is installed.
    let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC);
    let opens = now
        .checked_add(jiff::SignedDuration::from_hours(2))
        .unwrap();
    let closes = now
        .checked_add(jiff::SignedDuration::from_hours(3))
        .unwrap();
    let window = json!({"start": format!("{:02}:{:02}", opens.hour(), opens.minute()), "end": format!("{:02}:{:02}", closes.hour(), closes.minute()), "timeZone": "UTC"});
    device
        .client
        .handle_desired_patch(&json!({"dm": {"updates": {"policy": "security"}, "reboot": {"maintenanceWindow": window}}, "$version": 2}))
        .await;
    device
        .transport
        .final_envelope("updates", "d2-updates")
        .await;
    device.transport.final_envelope("reboot", "d2-reboot").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let installs = |doc: &Value| {
        doc["dm"]["updates"]["operations"]
            .as_object()
            .map_or(0, |ops| {
                ops.values()
                    .filter(|op| op["op"] == "dm.updates.install")
                    .count()
            })
    };
    assert_eq!(
        installs(&device.transport.reported()),
        0,
        "outside the window"
    );
    // No window: the security updates go in, and the kernel update's reboot follows.
    device
        .client
        .handle_desired_patch(&json!({"dm": {"reboot": null}, "$version": 3}))
        .await;
    let reported = device
        .transport
        .reported_until("the automatic install and its reboot", |d| {
            installs(d) == 1 && d["dm"]["reboot"]["lastRebootReason"] == "complete OS updates"
        })
        .await;
    let install = reported["dm"]["updates"]["operations"]
        .as_object()
        .unwrap()
        .values()
        .find(|op| op["op"] == "dm.updates.install")
        .unwrap()
        .clone();
    assert_eq!(
        install["result"]["installedCount"], 2,
        "openssl and the kernel: {install}"
    );
    assert_eq!(
        reported["dm"]["updates"]["availableCount"], 1,
        "curl is not a security update"
    );
}
