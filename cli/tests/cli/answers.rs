//! Answers a script can trust, and messages in the user's terms: job outcomes per device,
//! `twin replace` safety, `twin diff --exit-code`, stale status reasons, device ids in both
//! forms, JSON errors and the value errors a new user meets first.

use serde_json::{Value, json};

use crate::support::{Hub, dmctl};

/// A device that refuses `refuse` with 400 and answers everything else with 200.
fn refusing(name: &str, _: &Value) -> (i32, Value) {
    match name {
        "refuse" => (400, json!({"code": "badRequest", "message": "no"})),
        _ => (200, json!({"ok": true})),
    }
}

/// A device that answers every method with 200.
fn agreeing(_: &str, _: &Value) -> (i32, Value) {
    (200, json!({"ok": true}))
}

#[test]
fn jobs_count_devices_that_answered_with_an_error_as_failed() {
    let hub = Hub::start();
    let _a = hub.connect_device("jd-a", |n, p| Some(refusing(n, p)));
    let _b = hub.connect_device("jd-b", |n, p| Some(refusing(n, p)));

    // Two devices match: the job is not created without --yes, and the count is shown.
    let run = hub
        .dmctl(&[
            "job", "create", "--id", "refused", "--query", "*", "--method", "refuse", "--wait",
        ])
        .run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("the query matches 2 devices"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    let run = hub.dmctl(&["job", "list", "-o", "json"]).run();
    assert_eq!(run.assert_code(0).json(), json!([]));

    // Every device answered 400: exit 7, and both are listed with status and payload.
    let run = hub
        .dmctl(&[
            "job",
            "create",
            "--id",
            "refused",
            "--query",
            "*",
            "--method",
            "refuse",
            "--wait",
            "--timeout",
            "60s",
            "--yes",
            "-o",
            "json",
        ])
        .run();
    let job = run.assert_code(7).json();
    assert_eq!(job["status"], "completed");
    assert_eq!(
        job["deviceOutcomes"],
        json!({"total": 2, "succeeded": 0, "answeredWithError": 2, "failed": 0, "unfinished": 0})
    );
    assert_eq!(
        job["failedDevices"],
        json!([
            {"deviceId": "jd-a", "status": 400, "payload": {"code": "badRequest", "message": "no"}},
            {"deviceId": "jd-b", "status": 400, "payload": {"code": "badRequest", "message": "no"}},
        ])
    );
    // `job show` and `job wait` judge it the same way.
    let run = hub.dmctl(&["job", "show", "refused"]).run();
    run.assert_code(7);
    assert!(
        run.stdout
            .contains("2 total: 0 succeeded, 2 answered with an error"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("FAILED DEVICE"), "{}", run.stdout);
    assert!(run.stdout.contains("badRequest"), "{}", run.stdout);
    hub.dmctl(&["job", "wait", "refused"]).run().assert_code(7);

    // One device: no confirmation, and success is 0.
    let run = hub
        .dmctl(&[
            "job",
            "create",
            "--id",
            "one-ok",
            "--query",
            "deviceId = 'jd-a'",
            "--method",
            "hello",
            "--wait",
            "--timeout",
            "60s",
        ])
        .run();
    run.assert_code(0);
    assert!(
        run.stderr.contains("the query matches 1 device now"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_job_where_some_devices_fail_exits_10() {
    let hub = Hub::start();
    let _a = hub.connect_device("mix-a", |n, p| Some(refusing(n, p)));
    let _b = hub.connect_device("mix-b", |n, p| Some(agreeing(n, p)));
    let run = hub
        .dmctl(&[
            "job",
            "create",
            "--id",
            "mixed",
            "--query",
            "*",
            "--method",
            "refuse",
            "--wait",
            "--timeout",
            "60s",
            "--yes",
        ])
        .run();
    run.assert_code(10);
    assert!(
        run.stdout
            .contains("2 total: 1 succeeded, 1 answered with an error"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("1 of 2 devices failed"),
        "{}",
        run.stderr
    );
    let run = hub.dmctl(&["job", "show", "mixed", "-o", "json"]).run();
    let job = run.assert_code(10).json();
    assert_eq!(job["failedDevices"][0]["deviceId"], "mix-a");
}

#[test]
fn twin_replace_refuses_other_shapes_and_asks_before_removing() {
    let hub = Hub::start();
    hub.create_device("tr-1");
    hub.dmctl(&[
        "twin",
        "patch",
        "tr-1",
        "--desired",
        r#"{"rate": 10, "mode": "eco"}"#,
        "--tags",
        r#"{"site": "lab"}"#,
    ])
    .run()
    .assert_code(0);

    for (bad, path) in [
        (r#"{"desired": {"a": 1}}"#, "`desired`"),
        (r#"{"tagz": {"a": 1}}"#, "`tagz`"),
        (
            r#"{"properties": {"desird": {"a": 1}}}"#,
            "`properties.desird`",
        ),
    ] {
        let run = hub
            .dmctl(&["twin", "replace", "tr-1", "--twin", bad, "--yes"])
            .run();
        run.assert_code(2);
        assert!(
            run.stderr.contains(&format!("unknown key {path}")),
            "{bad}: {}",
            run.stderr
        );
    }
    // Nothing was touched.
    let twin = hub
        .dmctl(&["twin", "show", "tr-1", "-o", "json"])
        .run()
        .assert_code(0)
        .json();
    assert_eq!(twin["tags"], json!({"site": "lab"}));
    assert_eq!(twin["properties"]["desired"]["mode"], "eco");

    // Removing a tag and a desired property needs --yes, and says what would go.
    let new = r#"{"deviceId": "tr-1", "tags": {}, "properties": {"desired": {"rate": 1}, "reported": {}}}"#;
    let run = hub.dmctl(&["twin", "replace", "tr-1", "--twin", new]).run();
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("removes 2: tags.site, properties.desired.mode"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("ignoring read-only fields the hub maintains: deviceId, properties.reported"),
        "{}",
        run.stderr
    );
    let run = hub
        .dmctl(&[
            "twin", "replace", "tr-1", "--twin", new, "--yes", "-o", "json",
        ])
        .run();
    let twin = run.assert_code(0).json();
    assert_eq!(twin["properties"]["desired"]["rate"], 1);
    assert!(twin["properties"]["desired"].get("mode").is_none());

    // Nothing removed: no confirmation needed.
    let run = hub
        .dmctl(&[
            "twin",
            "replace",
            "--device",
            "tr-1",
            "--twin",
            r#"{"properties": {"desired": {"rate": 2}}}"#,
        ])
        .run();
    run.assert_code(0);
}

#[test]
fn twin_diff_exit_code_and_absent_paths() {
    let hub = Hub::start();
    let device = hub.connect_device("td-1", |n, p| Some(agreeing(n, p)));
    hub.dmctl(&["twin", "patch", "td-1", "--desired", r#"{"rate": 10}"#])
        .run()
        .assert_code(0);
    // Not reported yet: different.
    let run = hub.dmctl(&["twin", "diff", "td-1", "--exit-code"]).run();
    run.assert_code(1);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    // Without --exit-code a difference is still 0.
    hub.dmctl(&["twin", "diff", "td-1"]).run().assert_code(0);

    device.report(&hub, &json!({"rate": 10}));
    let mut in_sync = false;
    for _ in 0..50 {
        if hub
            .dmctl(&["twin", "diff", "td-1", "--exit-code"])
            .run()
            .code
            == 0
        {
            in_sync = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(in_sync, "the reported value arrives and the diff exits 0");

    let run = hub
        .dmctl(&[
            "twin",
            "diff",
            "td-1",
            "--path",
            "nope.nothing",
            "--exit-code",
        ])
        .run();
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("`nope.nothing` is not present in desired or reported properties"),
        "{}",
        run.stderr
    );
}

#[test]
fn enabling_a_device_drops_the_reason_it_was_disabled() {
    let hub = Hub::start();
    hub.create_device("st-1");
    let run = hub
        .dmctl(&[
            "device", "disable", "st-1", "--reason", "stolen", "-o", "json",
        ])
        .run();
    assert_eq!(run.assert_code(0).json()["statusReason"], "stolen");
    let run = hub
        .dmctl(&["device", "enable", "--device", "st-1", "-o", "json"])
        .run();
    let device = run.assert_code(0).json();
    assert_eq!(device["status"], "enabled");
    assert!(
        device.get("statusReason").is_none_or(Value::is_null),
        "{device}"
    );
    let run = hub.dmctl(&["device", "show", "st-1"]).run();
    assert!(
        !run.assert_code(0).stdout.contains("stolen"),
        "{}",
        run.stdout
    );
}

#[test]
fn device_ids_are_accepted_both_ways() {
    let hub = Hub::start();
    hub.create_device("both-1");
    let positional = hub.dmctl(&["twin", "show", "both-1", "-o", "json"]).run();
    let flag = hub
        .dmctl(&["twin", "show", "--device", "both-1", "-o", "json"])
        .run();
    assert_eq!(
        positional.assert_code(0).json()["deviceId"],
        flag.assert_code(0).json()["deviceId"]
    );
    let run = hub
        .dmctl(&["twin", "show", "both-1", "--device", "both-1"])
        .run();
    run.assert_code(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    hub.dmctl(&["device", "show", "--device", "both-1"])
        .run()
        .assert_code(0);
    hub.dmctl(&["twin", "patch", "both-1", "--tags", r#"{"a": 1}"#])
        .run()
        .assert_code(0);
}

#[test]
fn errors_are_json_with_output_json() {
    let hub = Hub::start();
    let run = hub.dmctl(&["device", "show", "ghost", "-o", "json"]).run();
    run.assert_code(4);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    let error: Value = serde_json::from_str(lines[0]).expect("stderr is one JSON object");
    assert_eq!(error["error"]["exitCode"], 4);
    assert_eq!(error["error"]["hubErrorCode"], "DeviceNotFound");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("ghost")
    );
    assert!(error["error"]["hint"].is_string());
    // A command line clap refuses is JSON too.
    let run = hub.dmctl(&["twin", "show", "-o", "json"]).run();
    run.assert_code(2);
    let error: Value = serde_json::from_str(run.stderr.trim()).expect("one JSON object");
    assert_eq!(error["error"]["exitCode"], 2);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("DEVICE"),
        "{error}"
    );
    // A fleet's per-device errors carry the hub's code the same way.
    let run = hub
        .dmctl(&[
            "twin", "patch", "-d", "ghost", "-d", "g2", "--tags", "{}", "--yes", "-o", "json",
        ])
        .run();
    let report = run.assert_code(4).json();
    assert_eq!(
        report["results"][0]["error"]["hubErrorCode"], "DeviceNotFound",
        "{report}"
    );
    // The text form stays for people.
    let run = hub.dmctl(&["device", "show", "ghost"]).run();
    assert!(run.stderr.starts_with("dmctl: "), "{}", run.stderr);
}

#[test]
fn value_errors_speak_the_users_terms() {
    let hub = Hub::start();
    let run = hub
        .dmctl(&[
            "job",
            "create",
            "--query",
            "*",
            "--method",
            "m",
            "--start",
            "yesterday",
        ])
        .run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("'yesterday' is not a time"),
        "{}",
        run.stderr
    );
    let run = hub
        .dmctl(&[
            "method",
            "invoke",
            "x",
            "--name",
            "m",
            "--response-timeout",
            "1",
        ])
        .run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("must be between 5 and 300 seconds"),
        "{}",
        run.stderr
    );
    let run = hub
        .dmctl(&["device", "list"])
        .env("DMCTL_OUTPUT", "bogus")
        .run();
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("environment variable DMCTL_OUTPUT: invalid value 'bogus'"),
        "{}",
        run.stderr
    );
    let run = hub
        .dmctl(&[
            "method",
            "invoke",
            "x",
            "--name",
            "m",
            "--payload",
            "@missing-payload.json",
        ])
        .run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("cannot read file missing-payload.json"),
        "{}",
        run.stderr
    );
    let quoted = format!("\"{}\"", hub.connection_string);
    let run = dmctl(&["device", "list"])
        .env("IOTHUB_CONNECTION_STRING", &quoted)
        .env("DMCTL_CA_FILE", &hub.ca_file)
        .run();
    run.assert_code(2);
    assert!(run.stderr.contains("wrapped in quotes"), "{}", run.stderr);
    assert!(!run.stderr.contains("SharedAccessKey="), "{}", run.stderr);
}

#[test]
fn the_connect_timeout_hint_appears_only_when_it_was_not_given() {
    let hub = Hub::start();
    hub.create_device("off-1");
    let run = hub
        .dmctl(&["method", "invoke", "off-1", "--name", "m"])
        .run();
    run.assert_code(5);
    assert!(
        run.stderr.contains("use --connect-timeout"),
        "{}",
        run.stderr
    );
    let run = hub
        .dmctl(&[
            "method",
            "invoke",
            "off-1",
            "--name",
            "m",
            "--connect-timeout",
            "5",
        ])
        .run();
    run.assert_code(5);
    assert!(
        !run.stderr.contains("use --connect-timeout"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("did not connect within --connect-timeout 5s"),
        "{}",
        run.stderr
    );
}

/// A terminal that reports a width of 0 columns (serial consoles, some CI runners) gets whole
/// table rows, met as a user meets it: the real binary on a pseudo-terminal sized 0×0.
#[test]
fn a_terminal_reporting_zero_columns_shows_whole_rows() {
    use std::io::Read as _;

    use portable_pty::{CommandBuilder, PtySize, native_pty_system};

    let hub = Hub::start();
    let ids = ["zero-columns-device-0001", "zero-columns-device-0002"];
    for id in ids {
        hub.create_device(id);
    }
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 0,
            cols: 0,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dmctl"));
    cmd.args(["device", "list"]);
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("NO_COLOR", "1");
    cmd.env("IOTHUB_CONNECTION_STRING", &hub.connection_string);
    cmd.env("DMCTL_CA_FILE", &hub.ca_file);
    cmd.env("XDG_CONFIG_HOME", home.path());
    cmd.env("XDG_DATA_HOME", home.path().join("data"));
    cmd.env("XDG_STATE_HOME", home.path().join("state"));
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let collector = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut buf = [0u8; 8192];
        // The read ends with EOF or EIO once the child has exited and closed the terminal.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&buf[..n]);
        }
        bytes
    });
    let status = child.wait().unwrap();
    drop(pair.master);
    let text = String::from_utf8_lossy(&collector.join().unwrap()).replace('\r', "");
    assert!(status.success(), "dmctl device list failed:\n{text}");
    for id in ids {
        assert!(
            text.lines().any(|line| line.contains(id)),
            "{id} is not whole on one line:\n{text}"
        );
    }
    assert!(
        text.lines().count() < 12,
        "the table is squeezed into narrow lines:\n{text}"
    );
}
