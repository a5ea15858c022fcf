//! `dmctl status` with the real binary against the local hub and real simulated agents: the
//! fleet rows, the counts, compliance as desired state is applied or refused, and the exit code a
//! CI job gates on.

use serde_json::Value;

use crate::agent::simulate;
use crate::support::Hub;

fn device<'a>(status: &'a Value, id: &str) -> &'a Value {
    status["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["deviceId"] == id)
        .unwrap_or_else(|| panic!("{id} not in {status:#}"))
}

/// Polls `dmctl status` until `ready` holds (desired state is applied asynchronously).
fn status_until(hub: &Hub, args: &[&str], ready: impl Fn(&Value) -> bool) -> (i32, Value) {
    let mut argv = vec!["status", "-o", "json"];
    argv.extend_from_slice(args);
    for _ in 0..100 {
        let run = hub.dmctl(&argv).run();
        let json = run.json();
        if ready(&json) {
            return (run.code, json);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let run = hub.dmctl(&argv).run();
    panic!("status never got there:\n{}\n{}", run.stdout, run.stderr);
}

#[test]
fn status_reports_the_fleet_and_exits_by_connection_and_compliance() {
    let hub = Hub::start();
    let fleet = simulate(&hub, "st-", 3);

    // Three connected agents, nothing desired: healthy, exit 0.
    let run = hub.dmctl(&["status", "-o", "json"]).run();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let status = run.json();
    assert_eq!(status["counts"]["total"], 3);
    assert_eq!(status["counts"]["connected"], 3);
    // Connected agents with nothing desired: counted as such, not as "no agent".
    assert_eq!(status["counts"]["compliance"]["noDesiredState"], 3);
    let one = device(&status, "st-1");
    assert_eq!(one["connectionState"], "Connected");
    assert!(one["agentVersion"].is_string(), "{one}");
    assert!(one["contractVersion"].is_u64(), "{one}");
    assert!(one["lastBoot"].is_string(), "{one}");
    assert_eq!(one["running"], serde_json::json!([]));

    // A time zone applied: in sync. A desired section the agent rejects: failed, exit 10.
    let run = hub
        .dmctl(&[
            "time",
            "set",
            "-d",
            "st-1",
            "--tz",
            "Europe/Paris",
            "--wait",
        ])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = hub
        .dmctl(&[
            "twin",
            "patch",
            "-d",
            "st-2",
            "--desired",
            r#"{"dm": {"time": {"timeZone": "UTC", "bogus": 1}}}"#,
        ])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (code, status) = status_until(&hub, &[], |s| {
        device(s, "st-2")["compliance"]["time"] == "failed"
    });
    assert_eq!(code, 10);
    assert_eq!(device(&status, "st-1")["compliance"]["time"], "inSync");
    assert_eq!(status["counts"]["compliance"]["failed"], 1);
    assert_eq!(status["counts"]["compliance"]["inSync"], 1);
    assert_eq!(status["counts"]["unhealthy"], 1);

    // --target narrows to what a condition selects; st-1 alone is healthy.
    let run = hub
        .dmctl(&[
            "status",
            "--target",
            "WHERE deviceId = 'st-1'",
            "-o",
            "jsonl",
        ])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 2, "one device line, then the counts");
    assert_eq!(lines[0]["deviceId"], "st-1");
    assert_eq!(lines[1]["counts"]["total"], 1);

    // The table for people, with the counts on stderr.
    let run = hub.dmctl(&["status"]).run();
    assert_eq!(run.code, 10);
    let header = run.stdout.lines().next().unwrap();
    for column in [
        "DEVICE",
        "CONNECTION",
        "AGENT",
        "BOOT",
        "RUNNING",
        "BUSY",
        "TIME",
    ] {
        assert!(header.contains(column), "{header}");
    }
    assert!(
        run.stdout.contains("in sync") && run.stdout.contains("failed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(
            "3 devices: 3 connected, 0 disconnected; 1 in sync, 1 failed, 1 no desired state"
        ),
        "{}",
        run.stderr
    );

    // A registered device that never connected: not healthy either.
    hub.create_device("st-offline");
    let run = hub
        .dmctl(&[
            "status",
            "--target",
            "deviceId IN ['st-1', 'st-offline']",
            "-o",
            "json",
        ])
        .run();
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert_eq!(run.json()["counts"]["disconnected"], 1);

    // A condition the hub refuses is a usage error naming the flag.
    let run = hub
        .dmctl(&["status", "--target", "WHERE deviceId = = 'x'"])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--target"), "{}", run.stderr);

    // An unfinished condition is reported in the operator's terms, not in the text of the
    // query dmctl composed around it (it once said "at position 67 ... found 'GROUP'").
    let run = hub
        .dmctl(&["status", "--target", "WHERE deviceId = "])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("at the end of the condition (position 10): expected an expression but found the end of the condition"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("GROUP"), "{}", run.stderr);
    // A mistake inside the condition: its position counts from the condition's start.
    let run = hub.dmctl(&["status", "--target", "deviceId = = 'x'"]).run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("at position 11"), "{}", run.stderr);

    fleet.stop(&hub);
}
