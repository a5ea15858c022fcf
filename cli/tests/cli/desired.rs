//! Desired state, `wait --until` and the audit trail, driven as an operator drives them: the
//! real `dmctl` binary against an in-process local hub, one state directory shared between the
//! runs of a test (as between one operator's commands).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{Hub, Run, dmctl_with_config};

/// `dmctl args` against `hub`, with config and state under `home`.
fn dmctl(hub: &Hub, home: &Arc<tempfile::TempDir>, args: &[&str]) -> Run {
    dmctl_with_config(args, home.clone())
        .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .env("DMCTL_CA_FILE", &hub.ca_file)
        .env("DMCTL_OPERATOR", "alice")
        .run()
}

fn twin(hub: &Hub, home: &Arc<tempfile::TempDir>, device: &str) -> Value {
    let run = dmctl(hub, home, &["twin", "show", device, "-o", "json"]);
    run.assert_code(0);
    run.json()
}

fn audit_file(home: &Arc<tempfile::TempDir>) -> std::path::PathBuf {
    home.path().join("state").join("dmctl").join("audit.jsonl")
}

const FLEET: &str = r#"
# Plant 4: every sensor in the canary ring, reporting every 30 s.
[[targets]]
name = "plant-4"
where = "WHERE tags.site = 'p4'"
tags = { ring = "canary" }
[targets.desired.telemetry]
interval = 30
"#;

#[test]
fn plan_then_apply_patches_only_what_differs_and_leaves_a_concurrently_edited_twin_alone() {
    let hub = Hub::start();
    let home = Arc::new(tempfile::tempdir().unwrap());
    for id in ["d1", "d2", "d3", "other"] {
        hub.create_device(id);
    }
    dmctl(
        &hub,
        &home,
        &[
            "twin",
            "patch",
            "-d",
            "d1",
            "-d",
            "d2",
            "-d",
            "d3",
            "--tags",
            r#"{"site":"p4"}"#,
            "--yes",
        ],
    )
    .assert_code(0);
    // d1 is already in the ring: only its desired property is missing.
    dmctl(
        &hub,
        &home,
        &["twin", "patch", "d1", "--tags", r#"{"ring":"canary"}"#],
    )
    .assert_code(0);
    let fleet = home.path().join("fleet.toml");
    std::fs::write(&fleet, FLEET).unwrap();
    let fleet = fleet.to_str().unwrap();

    let plan = dmctl(&hub, &home, &["plan", "-f", fleet]);
    plan.assert_code(11);
    assert!(plan.stdout.contains("tags.ring"), "{}", plan.stdout);
    assert!(
        plan.stdout.contains("desired.telemetry.interval"),
        "{}",
        plan.stdout
    );
    assert!(
        !plan.stdout.contains("other"),
        "not targeted: {}",
        plan.stdout
    );
    assert!(
        plan.stderr
            .contains("3 devices would change (5 properties)"),
        "{}",
        plan.stderr
    );
    let json = dmctl(&hub, &home, &["plan", "-f", fleet, "-o", "json"]);
    json.assert_code(11);
    let doc = json.json();
    let d1 = &doc["devices"][0];
    assert_eq!(d1["deviceId"], "d1");
    assert_eq!(
        d1["changes"],
        json!([{"path": "desired.telemetry.interval", "live": null, "wanted": 30, "change": "add"}]),
        "d1 already has the tag"
    );
    // Nothing was written by planning.
    assert!(twin(&hub, &home, "d2")["tags"].get("ring").is_none());

    let saved = home.path().join("plan.json");
    dmctl(
        &hub,
        &home,
        &["plan", "-f", fleet, "--out", saved.to_str().unwrap()],
    )
    .assert_code(11);
    // Someone else edits d2 between the review and the apply.
    dmctl(
        &hub,
        &home,
        &["twin", "patch", "d2", "--tags", r#"{"ring":"stable"}"#],
    )
    .assert_code(0);

    let refused = dmctl(&hub, &home, &["apply", "--plan", saved.to_str().unwrap()]);
    refused.assert_code(2);
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);

    let applied = dmctl(
        &hub,
        &home,
        &[
            "apply",
            "--plan",
            saved.to_str().unwrap(),
            "--yes",
            "-o",
            "json",
        ],
    );
    applied.assert_code(8);
    let results = applied.json();
    let result_of = |id: &str| {
        results
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["deviceId"] == id)
            .unwrap()["result"]
            .clone()
    };
    assert_eq!(result_of("d1"), "applied");
    assert_eq!(result_of("d2"), "conflict");
    assert_eq!(result_of("d3"), "applied");
    // The conflicting twin keeps the other operator's edit and got nothing of the plan.
    let d2 = twin(&hub, &home, "d2");
    assert_eq!(d2["tags"]["ring"], "stable");
    assert!(d2["properties"]["desired"].get("telemetry").is_none());
    for id in ["d1", "d3"] {
        let t = twin(&hub, &home, id);
        assert_eq!(t["tags"]["ring"], "canary", "{id}");
        assert_eq!(
            t["properties"]["desired"]["telemetry"]["interval"], 30,
            "{id}"
        );
    }

    // Planning again shows only d2; applying the file settles it; then nothing is left.
    let again = dmctl(&hub, &home, &["plan", "-f", fleet]);
    again.assert_code(11);
    assert!(
        again.stdout.contains("d2") && !again.stdout.contains("d3"),
        "{}",
        again.stdout
    );
    assert!(
        again.stdout.contains("stable"),
        "the live value is shown: {}",
        again.stdout
    );
    dmctl(&hub, &home, &["apply", "-f", fleet]).assert_code(0);
    let settled = dmctl(&hub, &home, &["plan", "-f", fleet]);
    settled.assert_code(0);
    assert!(
        settled.stderr.contains("nothing to change"),
        "{}",
        settled.stderr
    );
    assert_eq!(settled.stdout, "");
}

#[test]
fn contradicting_entries_are_refused_before_anything_is_written() {
    let hub = Hub::start();
    let home = Arc::new(tempfile::tempdir().unwrap());
    hub.create_device("x1");
    let fleet = home.path().join("fleet.json");
    std::fs::write(
        &fleet,
        json!({"targets": [
            {"name": "all", "where": "*", "tags": {"ring": "canary"}},
            {"name": "x1 only", "where": "deviceId = 'x1'", "tags": {"ring": "stable"}}
        ]})
        .to_string(),
    )
    .unwrap();
    let run = dmctl(
        &hub,
        &home,
        &["apply", "-f", fleet.to_str().unwrap(), "--yes"],
    );
    run.assert_code(2);
    assert!(
        run.stderr.contains("device 'x1'") && run.stderr.contains("x1 only"),
        "{}",
        run.stderr
    );
    assert!(twin(&hub, &home, "x1")["tags"].get("ring").is_none());
}

#[test]
fn wait_until_counts_down_to_zero_or_times_out_naming_the_stragglers() {
    let hub = Hub::start();
    let home = Arc::new(tempfile::tempdir().unwrap());
    for id in ["w1", "w2", "w3", "elsewhere"] {
        hub.create_device(id);
    }
    dmctl(
        &hub,
        &home,
        &[
            "twin",
            "patch",
            "-d",
            "w1",
            "-d",
            "w2",
            "-d",
            "w3",
            "--tags",
            r#"{"batch":"w"}"#,
            "--yes",
        ],
    )
    .assert_code(0);
    dmctl(
        &hub,
        &home,
        &[
            "twin",
            "patch",
            "-d",
            "w1",
            "-d",
            "w2",
            "--tags",
            r#"{"ready":true}"#,
            "--yes",
        ],
    )
    .assert_code(0);
    let wait = [
        "wait",
        "--target",
        "WHERE tags.batch = 'w'",
        "--until",
        "tags.ready = true",
    ];

    let mut args = wait.to_vec();
    args.extend(["--timeout", "2s"]);
    let timed_out = dmctl(&hub, &home, &args);
    timed_out.assert_code(6);
    assert_eq!(
        timed_out.stdout.split_whitespace().collect::<Vec<_>>(),
        ["DEVICE", "w3"]
    );
    assert!(
        timed_out.stderr.contains("1 of 3 devices not yet"),
        "{}",
        timed_out.stderr
    );
    assert!(
        timed_out
            .stderr
            .contains("1 of 3 targeted devices do not satisfy"),
        "{}",
        timed_out.stderr
    );

    // The same wait, and w3 gets there while it runs.
    let mut args = wait.to_vec();
    args.extend(["--timeout", "60s"]);
    let child = hub
        .dmctl_process(&args, home.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    dmctl(
        &hub,
        &home,
        &["twin", "patch", "w3", "--tags", r#"{"ready":true}"#],
    )
    .assert_code(0);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let first = stderr
        .find("1 of 3 devices not yet")
        .expect("the count before");
    let last = stderr
        .find("0 of 3 devices not yet")
        .expect("the count after");
    assert!(first < last, "{stderr}");
    assert!(
        stderr.contains("all 3 targeted devices satisfy"),
        "{stderr}"
    );
}

#[test]
fn wait_until_waits_for_a_device_that_joins_the_target_while_it_waits() {
    let hub = Hub::start();
    let home = Arc::new(tempfile::tempdir().unwrap());
    for id in ["j1", "j2", "j3"] {
        hub.create_device(id);
    }
    let tag = |device: &str, tags: &str| {
        dmctl(&hub, &home, &["twin", "patch", device, "--tags", tags]).assert_code(0);
    };
    tag("j1", r#"{"batch":"j","ready":true}"#);
    tag("j2", r#"{"batch":"j"}"#);
    let child = hub
        .dmctl_process(
            &[
                "wait",
                "--target",
                "WHERE tags.batch = 'j'",
                "--until",
                "tags.ready = true",
                "--timeout",
                "60s",
            ],
            home.path(),
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = child;
    std::thread::sleep(Duration::from_millis(1500));
    // j3 joins the target, not ready; then j2 gets ready.
    tag("j3", r#"{"batch":"j"}"#);
    std::thread::sleep(Duration::from_millis(1500));
    tag("j2", r#"{"ready":true}"#);
    // Every device that was in the target at the start is ready now: a wait that counted the
    // target once would exit here. j3 holds it.
    std::thread::sleep(Duration::from_secs(4));
    if child.try_wait().unwrap().is_some() {
        let output = child.wait_with_output().unwrap();
        panic!(
            "wait ended while j3, which joined the target, was not ready:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    tag("j3", r#"{"ready":true}"#);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let before = stderr
        .find("1 of 2 devices not yet")
        .expect("the count before");
    let joined = stderr
        .find("2 of 3 devices not yet")
        .or_else(|| stderr.find("1 of 3 devices not yet"))
        .expect("the count once j3 joined");
    assert!(before < joined, "{stderr}");
    assert!(stderr.contains("1 of 3 devices not yet"), "{stderr}");
    assert!(
        stderr.contains("all 3 targeted devices satisfy"),
        "{stderr}"
    );
}

/// The lines of the audit file, parsed.
fn audit_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_write_is_audited_without_secrets_and_verify_catches_an_edit_and_a_deletion() {
    let hub = Hub::start();
    let home = Arc::new(tempfile::tempdir().unwrap());
    hub.create_device("a1");
    // Reads are not recorded.
    dmctl(&hub, &home, &["twin", "show", "a1"]).assert_code(0);
    assert!(
        !audit_file(&home).exists(),
        "a read wrote to the audit trail"
    );

    // The connection string on the command line this time.
    let run = dmctl_with_config(
        &[
            "--hub",
            &hub.connection_string,
            "twin",
            "patch",
            "a1",
            "--tags",
            r#"{"x":1}"#,
        ],
        home.clone(),
    )
    .env("DMCTL_CA_FILE", &hub.ca_file)
    .env("DMCTL_OPERATOR", "alice")
    .run();
    run.assert_code(0);
    // A method to a device that is not connected: recorded with its failure.
    dmctl(
        &hub,
        &home,
        &[
            "method",
            "invoke",
            "a1",
            "-n",
            "fetch",
            "-p",
            r#"{"url":"https://blob/x?sv=1&sig=S3CRET"}"#,
        ],
    )
    .assert_code(5);
    dmctl(&hub, &home, &["device", "create", "a2"]).assert_code(0);

    let path = audit_file(&home);
    let text = std::fs::read_to_string(&path).unwrap();
    let key = hub
        .connection_string
        .split("SharedAccessKey=")
        .nth(1)
        .unwrap();
    for secret in [key, "SharedAccessKey", "S3CRET", "sig="] {
        assert!(
            !text.contains(secret),
            "{secret} in the audit trail:\n{text}"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }
    let lines = audit_lines(&path);
    assert_eq!(lines.len(), 6, "a call and a result per write:\n{text}");
    assert_eq!(lines[0]["kind"], "call");
    assert_eq!(lines[0]["operator"], "alice");
    assert_eq!(lines[0]["method"], "PATCH");
    assert_eq!(lines[0]["device"], "a1");
    assert!(
        lines[0]["command"]
            .as_str()
            .unwrap()
            .contains("--hub <redacted> twin patch a1")
    );
    assert_eq!(lines[1]["kind"], "result");
    assert_eq!(lines[1]["ref"], lines[0]["seq"]);
    assert_eq!(lines[1]["prev"], lines[0]["hash"]);

    let shown = dmctl(&hub, &home, &["audit", "-o", "json"]);
    shown.assert_code(0);
    let rows = shown.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["outcome"], "ok");
    assert_eq!(rows[0]["status"], 200);
    assert!(!rows[0]["requestId"].as_str().unwrap().is_empty());
    assert_eq!(rows[1]["outcome"], "failed");
    assert_eq!(rows[1]["error"], "DeviceNotOnline");
    assert_eq!(rows[2]["device"], "a2");
    let a2 = dmctl(&hub, &home, &["audit", "--device", "a2", "-o", "json"]);
    assert_eq!(a2.json().as_array().unwrap().len(), 1);
    let recent = dmctl(&hub, &home, &["audit", "--since", "1h"]);
    recent.assert_code(0);
    assert!(
        recent.stdout.contains("PUT /devices/a2"),
        "{}",
        recent.stdout
    );

    let verified = dmctl(&hub, &home, &["audit", "--verify"]);
    verified.assert_code(0);
    assert!(
        verified.stderr.contains("intact: 6 lines"),
        "{}",
        verified.stderr
    );

    // An edited line: its own hash no longer matches.
    std::fs::write(&path, text.replacen("\"alice\"", "\"mallory\"", 1)).unwrap();
    let edited = dmctl(&hub, &home, &["audit", "--verify"]);
    edited.assert_code(1);
    assert!(
        edited.stderr.contains("broken at line 1"),
        "{}",
        edited.stderr
    );
    assert!(edited.stderr.contains("edited"), "{}", edited.stderr);

    // A deleted line: the next one no longer follows its predecessor.
    let mut kept: Vec<&str> = text.lines().collect();
    kept.remove(2);
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
    let deleted = dmctl(&hub, &home, &["audit", "--verify"]);
    deleted.assert_code(1);
    assert!(
        deleted.stderr.contains("broken at line 3"),
        "{}",
        deleted.stderr
    );
    assert!(deleted.stderr.contains("deleted"), "{}", deleted.stderr);
}
