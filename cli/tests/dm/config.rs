//! Automatic device management end to end: the real `dmctl config` commands against the local
//! hub's configuration evaluation, with simulated dm agents that act on the desired value the
//! configuration writes and report it back.

use std::time::Duration;

use serde_json::{Value, json};

use crate::agent::simulate;
use crate::support::Hub;

fn until(what: &str, mut check: impl FnMut() -> Option<Value>) -> Value {
    for _ in 0..300 {
        if let Some(v) = check() {
            return v;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn a_configuration_reaches_the_agent_is_counted_and_withdrawn_when_tags_change() {
    let hub = Hub::start_with(|c| c.configuration_interval = Duration::from_millis(300));
    let fleet = simulate(&hub, "adm-", 2);
    hub.dmctl(&[
        "twin",
        "patch",
        "--device",
        "adm-1",
        "--tags",
        r#"{"site": "paris"}"#,
    ])
    .run()
    .assert_code(0);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tz.json");
    std::fs::write(
        &file,
        json!({
            "id": "tz-paris",
            "targetCondition": "tags.site = 'paris'",
            "priority": 3,
            "content": {"deviceContent": {"properties.desired.dm.time.timeZone": "Europe/Paris"}},
            "metrics": {"queries": {
                "reported": "SELECT deviceId FROM devices WHERE properties.reported.dm.time.timeZone = 'Europe/Paris'"
            }}
        })
        .to_string(),
    )
    .unwrap();
    let file = file.display().to_string();

    // The plan names the one targeted device and its change, and writes nothing.
    let plan = hub
        .dmctl(&["config", "plan", "-f", &file, "-o", "json"])
        .run();
    plan.assert_code(0);
    let plan = plan.json();
    assert_eq!(plan["action"], "create");
    assert_eq!(plan["devices"].as_array().unwrap().len(), 1, "{plan}");
    assert_eq!(plan["devices"][0]["deviceId"], "adm-1");
    assert!(
        plan["devices"][0]["changes"]
            .as_array()
            .unwrap()
            .contains(&json!({"path": "dm.time.timeZone", "now": null, "after": "Europe/Paris"})),
        "{plan}"
    );
    let listed = hub.dmctl(&["config", "list", "-o", "json"]).run();
    assert_eq!(listed.json(), json!([]));

    // Apply and wait until the hub has applied it to every targeted device.
    let applied = hub
        .dmctl(&["config", "apply", "-f", &file, "--wait", "--timeout", "60s"])
        .run();
    applied.assert_code(0);
    assert!(
        applied
            .stderr
            .contains("configuration 'tz-paris': applied on 1 of 1 targeted devices"),
        "{}",
        applied.stderr
    );

    // The agent acts on the desired value and reports it back.
    until("adm-1 to report Europe/Paris", || {
        let twin = hub
            .dmctl(&["twin", "show", "adm-1", "-o", "json"])
            .run()
            .json();
        (twin["properties"]["reported"]["dm"]["time"]["timeZone"] == "Europe/Paris").then_some(twin)
    });
    let other = hub
        .dmctl(&["twin", "show", "adm-2", "-o", "json"])
        .run()
        .json();
    assert!(
        other["properties"]["desired"]["dm"]["time"].is_null(),
        "{other}"
    );

    // The hub's metrics count it, the custom metric over reported properties included.
    let metrics = until("the custom metric to count adm-1", || {
        let rows = hub
            .dmctl(&["config", "metrics", "tz-paris", "-o", "json"])
            .run()
            .json();
        let count = |name: &str| {
            rows.as_array()
                .unwrap()
                .iter()
                .find(|r| r["name"] == name)
                .map(|r| r["count"].clone())
        };
        (count("reported") == Some(json!(1))).then_some(rows)
    });
    let by_name = |name: &str| {
        metrics
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("targetedCount")["count"], 1);
    assert_eq!(by_name("appliedCount")["count"], 1);
    assert_eq!(by_name("reported")["kind"], "custom");

    // Applying the same file again changes nothing.
    let again = hub.dmctl(&["config", "apply", "-f", &file]).run();
    again.assert_code(0);
    assert!(
        again.stderr.contains("already as in the file"),
        "{}",
        again.stderr
    );

    // The device leaves the target: the hub withdraws the configuration's mark, the desired
    // value stays (the real service never removes it), and the counts drop.
    hub.dmctl(&[
        "twin",
        "patch",
        "--device",
        "adm-1",
        "--tags",
        r#"{"site": "berlin"}"#,
    ])
    .run()
    .assert_code(0);
    let shown = until("targetedCount to drop to 0", || {
        let c = hub
            .dmctl(&["config", "show", "tz-paris", "-o", "json"])
            .run()
            .json();
        (c["systemMetrics"]["results"]["targetedCount"] == 0).then_some(c)
    });
    assert_eq!(shown["systemMetrics"]["results"]["appliedCount"], 0);
    let twin = hub
        .dmctl(&["twin", "show", "adm-1", "-o", "json"])
        .run()
        .json();
    assert!(
        twin.get("configurations")
            .is_none_or(|c| c.get("tz-paris").is_none()),
        "{twin}"
    );
    assert_eq!(
        twin["properties"]["desired"]["dm"]["time"]["timeZone"],
        "Europe/Paris"
    );

    // An update through the plan names the device that would come back; delete removes it.
    hub.dmctl(&[
        "config",
        "update",
        "tz-paris",
        "--target-condition",
        "tags.site = 'berlin'",
    ])
    .run()
    .assert_code(0);
    hub.dmctl(&["config", "delete", "tz-paris"])
        .run()
        .assert_code(0);
    let gone = hub.dmctl(&["config", "show", "tz-paris"]).run();
    gone.assert_code(4);
    assert!(gone.stderr.contains("dmctl config list"), "{}", gone.stderr);
    fleet.stop(&hub);
}

#[test]
fn config_create_refuses_bad_input_before_sending() {
    let hub = Hub::start();
    let run = hub
        .dmctl(&[
            "config",
            "create",
            "Bad.Id",
            "--target-condition",
            "*",
            "--desired",
            "a=1",
        ])
        .run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("configuration id 'Bad.Id'"),
        "{}",
        run.stderr
    );
    let run = hub
        .dmctl(&[
            "config",
            "create",
            "ok",
            "--target-condition",
            "*",
            "--desired",
            "novalue",
        ])
        .run();
    run.assert_code(2);
    assert!(run.stderr.contains("NAME=VALUE"), "{}", run.stderr);
    // The hub's own validation: a broken target condition.
    let run = hub
        .dmctl(&[
            "config",
            "create",
            "ok",
            "--target-condition",
            "tags.a = ",
            "--desired",
            "a=1",
        ])
        .run();
    run.assert_code(2);
    assert!(run.stderr.contains("targetCondition"), "{}", run.stderr);
    let run = hub
        .dmctl(&[
            "config",
            "create",
            "ok",
            "--target-condition",
            "*",
            "--desired",
            "a=1",
            "--label",
            "team=fw",
        ])
        .run();
    run.assert_code(0);
    let again = hub
        .dmctl(&[
            "config",
            "create",
            "ok",
            "--target-condition",
            "*",
            "--desired",
            "a=2",
        ])
        .run();
    again.assert_code(8);
    assert!(
        again.stderr.contains("dmctl config update"),
        "{}",
        again.stderr
    );
}
