//! Hub plumbing against an in-process local hub: devices, twins, direct methods (with MQTT
//! devices answering them), queries and jobs, plus every exit-code class a script can see.

use std::time::Duration;

use serde_json::{Value, json};

use crate::snap;
use crate::support::{CannedServer, Hub, dmctl};

/// A device that echoes `echo`, fails `fail` with 500, is busy for `busy` (409), answers
/// `missing` with 404 and never answers `slow`.
fn answering(name: &str, payload: &Value) -> Option<(i32, Value)> {
    match name {
        "echo" => Some((200, json!({"echo": payload}))),
        "fail" => Some((500, json!({"code": "diskFull", "message": "no space left"}))),
        "busy" => Some((409, json!({"code": "busy", "retryAfter": 30}))),
        "missing" => Some((404, json!({"code": "unknownMethod"}))),
        "slow" => None,
        _ => Some((200, Value::Null)),
    }
}

/// The library path the binary takes, run in-process with captured output: same answers as
/// the process, without spawning one.
#[test]
fn commands_run_in_process_print_what_the_binary_prints() {
    let hub = Hub::start();
    hub.dmctl(&["device", "create", "dev-a"])
        .run()
        .assert_code(0);

    let run = hub.dmctl_in_process(&["device", "show", "dev-a", "-o", "json"]);
    let shown = run.assert_code(0).json();
    assert_eq!(shown["deviceId"], "dev-a");
    let spawned = hub.dmctl(&["device", "show", "dev-a", "-o", "json"]).run();
    assert_eq!(shown, spawned.assert_code(0).json());

    let run = hub.dmctl_in_process(&["device", "show", "nope"]);
    run.assert_code(4);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.starts_with("dmctl: ") && run.stderr.contains("nope"),
        "{}",
        run.stderr
    );
}

#[test]
fn device_lifecycle() {
    let hub = Hub::start();

    let run = hub.dmctl(&["device", "create", "dev-a"]).run();
    snap!("device_create", run.snapshot_text(&[]));
    let run = hub.dmctl(&["device", "create", "dev-a"]).run();
    run.assert_code(8);
    snap!("device_create_exists", run.snapshot_text(&[]));
    hub.dmctl(&["device", "create", "dev-b", "--disabled", "--edge"])
        .run()
        .assert_code(0);

    let run = hub.dmctl(&["device", "list"]).run();
    snap!("device_list", run.snapshot_text(&[]));

    let run = hub.dmctl(&["device", "show", "dev-a", "-o", "json"]).run();
    let shown = run.assert_code(0).json();
    assert_eq!(shown["deviceId"], "dev-a");
    assert_eq!(shown["status"], "enabled");
    assert_eq!(shown["authenticationType"], "sas");
    assert!(shown["lastActivityTime"].is_null(), "never active: {shown}");
    assert!(
        !run.stdout.contains("Key"),
        "keys in device show: {}",
        run.stdout
    );

    let run = hub
        .dmctl(&[
            "device",
            "disable",
            "dev-a",
            "--reason",
            "maintenance",
            "-o",
            "json",
        ])
        .run();
    let disabled = run.assert_code(0).json();
    assert_eq!(disabled["status"], "disabled");
    assert_eq!(disabled["statusReason"], "maintenance");
    let run = hub
        .dmctl(&["device", "enable", "dev-a", "-o", "json"])
        .run();
    assert_eq!(run.assert_code(0).json()["status"], "enabled");

    let keys = hub.dmctl(&["device", "keys", "dev-a", "-o", "json"]).run();
    let keys = keys.assert_code(0).json();
    let primary = keys["primaryKey"].as_str().unwrap().to_owned();
    assert_eq!(primary.len(), 44, "a 32-byte key in base64");
    let regenerated = hub
        .dmctl(&[
            "device",
            "keys",
            "dev-a",
            "--regenerate",
            "primary",
            "-o",
            "json",
        ])
        .run();
    let regenerated = regenerated.assert_code(0).json();
    assert_ne!(regenerated["primaryKey"], primary.as_str());
    assert_eq!(regenerated["secondaryKey"], keys["secondaryKey"]);

    let run = hub
        .dmctl(&[
            "device",
            "connection-string",
            "dev-a",
            "--gateway",
            "localhost:8883",
        ])
        .run();
    let cs: iothub_auth::ConnectionString = run.assert_code(0).stdout.trim().parse().unwrap();
    assert_eq!(cs.device_id.as_deref(), Some("dev-a"));
    assert_eq!(cs.gateway_host_name.as_deref(), Some("localhost:8883"));
    assert_eq!(
        cs.key().unwrap().to_base64(),
        regenerated["primaryKey"].as_str().unwrap()
    );

    hub.dmctl(&["device", "delete", "dev-a"])
        .run()
        .assert_code(0);
    let run = hub.dmctl(&["device", "show", "dev-a"]).run();
    run.assert_code(4);
    snap!("device_show_missing", run.snapshot_text(&[]));
}

#[test]
fn device_list_pages_filters_and_stops_at_top() {
    let hub = Hub::start();
    for i in 0..7 {
        hub.create_device(&format!("d{i}"));
    }
    hub.dmctl(&["device", "disable", "d3"]).run().assert_code(0);
    let all = hub.dmctl(&["device", "list", "-o", "json"]).run();
    assert_eq!(all.assert_code(0).json().as_array().unwrap().len(), 7);
    let top = hub
        .dmctl(&["device", "list", "--top", "3", "-o", "jsonl"])
        .run();
    assert_eq!(top.assert_code(0).json_lines().len(), 3);
    let disabled = hub
        .dmctl(&[
            "device",
            "list",
            "--where",
            "status = 'disabled'",
            "-o",
            "json",
        ])
        .run();
    let disabled = disabled.assert_code(0).json();
    assert_eq!(disabled.as_array().unwrap().len(), 1);
    assert_eq!(disabled[0]["deviceId"], "d3");
    // Two devices at once need --yes, and say how many.
    let run = hub.dmctl(&["device", "delete", "d1", "d2"]).run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("delete the identity on 2 devices"),
        "{}",
        run.stderr
    );
    let run = hub
        .dmctl(&["device", "delete", "d1", "d2", "nope", "--yes"])
        .run();
    run.assert_code(10);
    snap!("device_delete_fleet_partial", run.snapshot_text(&[]));
}

#[test]
fn twin_patch_show_diff_and_replace() {
    let hub = Hub::start();
    let device = hub.connect_device("dev-t", answering);

    let run = hub
        .dmctl(&[
            "twin",
            "patch",
            "--device",
            "dev-t",
            "--desired",
            r#"{"rate": 10, "mode": "eco"}"#,
            "--tags",
            r#"{"site": "lab"}"#,
        ])
        .run();
    snap!("twin_patch", run.snapshot_text(&[]));

    device.report(&hub, &json!({"rate": 10, "mode": "fast", "uptime": 5}));
    // The hub applies the reported patch asynchronously; wait until it shows.
    let mut diff = None;
    for _ in 0..50 {
        let run = hub
            .dmctl(&["twin", "diff", "-d", "dev-t", "-o", "json"])
            .run();
        let rows = run.assert_code(0).json();
        if rows
            .as_array()
            .is_some_and(|r| r.iter().any(|row| row["state"] == "differs"))
        {
            diff = Some(rows);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let diff = diff.expect("the reported patch arrives");
    assert_eq!(
        diff,
        json!([{"path": "mode", "desired": "eco", "reported": "fast", "state": "differs"}])
    );
    let run = hub.dmctl(&["twin", "diff", "-d", "dev-t", "--all"]).run();
    snap!("twin_diff_all", run.snapshot_text(&[]));

    let run = hub
        .dmctl(&["twin", "show", "-d", "dev-t", "-o", "json"])
        .run();
    let twin = run.assert_code(0).json();
    assert_eq!(twin["tags"]["site"], "lab");
    assert_eq!(twin["properties"]["desired"]["rate"], 10);
    assert_eq!(twin["properties"]["reported"]["uptime"], 5);
    let etag = twin["etag"].as_str().unwrap().to_owned();

    let replacement = r#"{"tags": {"site": "hq"}, "properties": {"desired": {"rate": 1}}}"#;
    let run = hub
        .dmctl(&[
            "twin",
            "replace",
            "-d",
            "dev-t",
            "--twin",
            replacement,
            "--etag",
            "AAAAAAAAAAE=",
            "--yes",
        ])
        .run();
    run.assert_code(8);
    snap!("twin_replace_stale_etag", run.snapshot_text(&[]));
    let run = hub
        .dmctl(&[
            "twin", "replace", "-d", "dev-t", "--twin", "-", "--etag", &etag, "-o", "json", "--yes",
        ])
        .stdin(replacement)
        .run();
    let replaced = run.assert_code(0).json();
    assert_eq!(replaced["tags"], json!({"site": "hq"}));
    assert_eq!(replaced["properties"]["desired"]["rate"], 1);
    assert!(replaced["properties"]["desired"].get("mode").is_none());

    let run = hub
        .dmctl(&["twin", "patch", "-d", "dev-t", "--desired", "[1]"])
        .run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("--desired must be a JSON object"),
        "{}",
        run.stderr
    );
}

#[test]
fn twin_patch_across_a_fleet() {
    let hub = Hub::start();
    for id in ["f1", "f2", "f3"] {
        hub.create_device(id);
    }
    hub.dmctl(&["twin", "patch", "-d", "f1", "--tags", r#"{"ring": 1}"#])
        .run()
        .assert_code(0);
    hub.dmctl(&["twin", "patch", "-d", "f2", "--tags", r#"{"ring": 1}"#])
        .run()
        .assert_code(0);

    let run = hub
        .dmctl(&[
            "twin",
            "patch",
            "--query",
            "WHERE tags.ring = 1",
            "--desired",
            r#"{"fw": "2.0"}"#,
        ])
        .run();
    run.assert_code(2);
    snap!("twin_patch_fleet_needs_yes", run.snapshot_text(&[]));

    let run = hub
        .dmctl(&[
            "twin",
            "patch",
            "--query",
            "WHERE tags.ring = 1",
            "--desired",
            r#"{"fw": "2.0"}"#,
            "--yes",
            "-o",
            "jsonl",
        ])
        .run();
    let mut lines = run.assert_code(0).json_lines();
    lines.sort_by_key(|l| l["deviceId"].as_str().unwrap_or_default().to_owned());
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["deviceId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["f1", "f2"]);
    assert!(
        lines
            .iter()
            .all(|l| l["ok"] == true && l["result"]["desiredVersion"] == 2)
    );

    let list = hub.dir.path().join("devices.txt");
    std::fs::write(&list, "f3\n# not this one: f1\nghost\n").unwrap();
    let list = list.display().to_string();
    let run = hub
        .dmctl(&[
            "twin",
            "patch",
            "--devices-from",
            &list,
            "--desired",
            r#"{"fw": "2.1"}"#,
            "--yes",
        ])
        .run();
    run.assert_code(10);
    snap!(
        "twin_patch_fleet_partial",
        run.snapshot_text(&[(&list, "[LIST]")])
    );
    let run = hub
        .dmctl(&[
            "twin",
            "patch",
            "--devices-from",
            "-",
            "--desired",
            r#"{"fw": "2.1"}"#,
            "--yes",
            "-o",
            "json",
        ])
        .stdin("f1\nf2\n")
        .run();
    let doc = run.assert_code(0).json();
    assert_eq!(
        doc["summary"],
        json!({"total": 2, "succeeded": 2, "failed": 0})
    );
}

#[test]
fn method_invoke_prints_status_and_payload_and_classifies_failures() {
    let hub = Hub::start();
    let _device = hub.connect_device("dev-m", answering);
    hub.create_device("dev-off");

    let run = hub
        .dmctl(&[
            "method",
            "invoke",
            "-d",
            "dev-m",
            "-n",
            "echo",
            "--payload",
            r#"{"x": 1}"#,
            "-o",
            "json",
        ])
        .run();
    assert_eq!(
        run.assert_code(0).json(),
        json!({"status": 200, "payload": {"echo": {"x": 1}}})
    );
    let run = hub
        .dmctl(&[
            "method",
            "invoke",
            "-d",
            "dev-m",
            "-n",
            "echo",
            "--payload",
            "-",
            "-o",
            "jsonl",
        ])
        .stdin("[1,2]")
        .run();
    assert_eq!(
        run.assert_code(0).stdout,
        "{\"status\":200,\"payload\":{\"echo\":[1,2]}}\n"
    );

    let run = hub
        .dmctl(&["method", "invoke", "-d", "dev-m", "-n", "fail"])
        .run();
    run.assert_code(7);
    snap!("method_device_error", run.snapshot_text(&[]));
    let run = hub
        .dmctl(&["method", "invoke", "-d", "dev-m", "-n", "missing"])
        .run();
    run.assert_code(7);
    let run = hub
        .dmctl(&[
            "method", "invoke", "-d", "dev-m", "-n", "busy", "-o", "json",
        ])
        .run();
    assert_eq!(run.assert_code(8).json()["payload"]["retryAfter"], 30);

    let run = hub
        .dmctl(&["method", "invoke", "-d", "dev-off", "-n", "echo"])
        .run();
    run.assert_code(5);
    snap!("method_device_offline", run.snapshot_text(&[]));
    let run = hub
        .dmctl(&[
            "method",
            "invoke",
            "-d",
            "dev-m",
            "-n",
            "slow",
            "--response-timeout",
            "5",
        ])
        .run();
    run.assert_code(6);
    snap!("method_device_timeout", run.snapshot_text(&[]));
}

#[test]
fn invalid_calls_are_refused_before_any_network() {
    // Nothing listens on port 9; a usage error proves nothing was sent.
    let unreachable =
        "HostName=localhost:9;SharedAccessKeyName=iothubowner;SharedAccessKey=cGFzc3dvcmQ=";
    for args in [
        &["method", "invoke", "-d", "d", "-n", "bad/name"][..],
        &[
            "method",
            "invoke",
            "-d",
            "d",
            "-n",
            "ok",
            "--payload",
            "{oops",
        ],
        &["method", "invoke", "-d", "bad id", "-d", "x", "-n", "ok"],
        &["twin", "patch", "-d", "d", "--desired", r#"{"$bad": 1}"#],
    ] {
        let run = dmctl(args)
            .env("IOTHUB_CONNECTION_STRING", unreachable)
            .run();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("dmctl: "), "{}", run.stderr);
    }
    let run = dmctl(&["method", "invoke", "-d", "d", "-n", "bad/name"])
        .env("IOTHUB_CONNECTION_STRING", unreachable)
        .run();
    snap!("method_invalid_name", run.snapshot_text(&[]));
    // The hub's timeout range is refused while parsing, in words.
    let run = dmctl(&[
        "method",
        "invoke",
        "d",
        "-n",
        "ok",
        "--response-timeout",
        "1",
    ])
    .env("IOTHUB_CONNECTION_STRING", unreachable)
    .run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("must be between 5 and 300 seconds"),
        "{}",
        run.stderr
    );
}

#[test]
fn method_invoke_across_a_fleet() {
    let hub = Hub::start();
    let _on = hub.connect_device("on-1", answering);
    let _on2 = hub.connect_device("on-2", answering);
    hub.create_device("off-1");

    let run = hub
        .dmctl(&[
            "method", "invoke", "-d", "on-1", "-d", "on-2", "-d", "off-1", "-n", "echo", "--yes",
        ])
        .run();
    run.assert_code(10);
    snap!("method_fleet_partial", run.snapshot_text(&[]));

    let run = hub
        .dmctl(&[
            "method",
            "invoke",
            "--query",
            "*",
            "-n",
            "echo",
            "--yes",
            "-o",
            "jsonl",
            "--concurrency",
            "2",
        ])
        .run();
    run.assert_code(10);
    let mut lines = run.json_lines();
    lines.sort_by_key(|l| l["deviceId"].as_str().unwrap_or_default().to_owned());
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["deviceId"], "off-1");
    assert_eq!(lines[0]["ok"], false);
    assert_eq!(lines[0]["error"]["exitCode"], 5);
    assert_eq!(
        lines[1]["result"],
        json!({"status": 200, "payload": {"echo": null}})
    );

    // Every device failing for the same reason exits with that reason.
    let run = hub
        .dmctl(&[
            "method", "invoke", "-d", "on-1", "-d", "on-2", "-n", "fail", "--yes", "-o", "json",
        ])
        .run();
    let doc = run.assert_code(7).json();
    assert_eq!(doc["summary"]["failed"], 2);
    assert_eq!(doc["results"][0]["error"]["exitCode"], 7);
}

#[test]
fn queries_return_all_pages_or_the_top() {
    let hub = Hub::start_with(|config| config.page_size_default = 2);
    for i in 0..5 {
        hub.create_device(&format!("q{i}"));
    }
    hub.dmctl(&["twin", "patch", "-d", "q1", "--tags", r#"{"site": "lab"}"#])
        .run()
        .assert_code(0);
    let run = hub
        .dmctl(&["query", "SELECT * FROM devices", "-o", "json"])
        .run();
    assert_eq!(run.assert_code(0).json().as_array().unwrap().len(), 5);
    let run = hub
        .dmctl(&[
            "query",
            "SELECT * FROM devices",
            "--page-size",
            "1",
            "--top",
            "3",
            "-o",
            "jsonl",
        ])
        .run();
    assert_eq!(run.assert_code(0).json_lines().len(), 3);
    let run = hub
        .dmctl(&["query", "SELECT * FROM devices WHERE tags.site = 'lab'"])
        .run();
    snap!("query_twins_table", run.snapshot_text(&[]));
    let run = hub
        .dmctl(&[
            "query",
            "SELECT deviceId, tags.site FROM devices WHERE deviceId IN ['q0', 'q1']",
        ])
        .run();
    snap!("query_projection_table", run.snapshot_text(&[]));
    let run = hub.dmctl(&["query", "SELECT * FROM nowhere WHERE"]).run();
    run.assert_code(2);
    snap!("query_bad_syntax", run.snapshot_text(&[]));
}

#[test]
fn jobs_create_wait_list_show_and_cancel() {
    let hub = Hub::start();
    let _device = hub.connect_device("job-dev", answering);

    let run = hub
        .dmctl(&[
            "job",
            "create",
            "--id",
            "echo-all",
            "--query",
            "WHERE deviceId = 'job-dev'",
            "--method",
            "echo",
            "--payload",
            "{}",
            "--wait",
            "--timeout",
            "60s",
            "-o",
            "json",
        ])
        .run();
    let job = run.assert_code(0).json();
    assert_eq!(job["jobId"], "echo-all");
    assert_eq!(job["status"], "completed");
    assert_eq!(job["deviceJobStatistics"]["succeededCount"], 1);

    let start = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)).to_string();
    let run = hub
        .dmctl(&[
            "job",
            "create",
            "--id",
            "later",
            "--query",
            "*",
            "--desired",
            r#"{"a": 1}"#,
            "--start",
            &start,
        ])
        .run();
    snap!("job_create_scheduled", run.snapshot_text(&[]));
    let run = hub
        .dmctl(&["job", "wait", "later", "--timeout", "1s"])
        .run();
    run.assert_code(6);
    assert!(
        run.stderr.contains("job 'later' is still scheduled"),
        "{}",
        run.stderr
    );
    let run = hub.dmctl(&["job", "cancel", "later", "-o", "json"]).run();
    assert_eq!(run.assert_code(0).json()["status"], "cancelled");
    let run = hub.dmctl(&["job", "wait", "later"]).run();
    run.assert_code(1);

    let run = hub.dmctl(&["job", "list"]).run();
    snap!("job_list", run.snapshot_text(&[]));
    let run = hub
        .dmctl(&["job", "list", "--status", "cancelled", "-o", "json"])
        .run();
    let jobs = run.assert_code(0).json();
    assert_eq!(jobs.as_array().unwrap().len(), 1);
    assert_eq!(jobs[0]["jobId"], "later");
    let run = hub.dmctl(&["job", "show", "echo-all"]).run();
    snap!("job_show", run.snapshot_text(&[]));
    let run = hub.dmctl(&["job", "show", "nope"]).run();
    run.assert_code(4);
    let run = hub
        .dmctl(&[
            "job", "create", "--id", "echo-all", "--query", "*", "--method", "echo",
        ])
        .run();
    run.assert_code(8);
}

#[test]
fn refused_credentials_exit_3_and_keep_the_key_secret() {
    let hub = Hub::start();
    let wrong_key = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXkhIQ==";
    let cs: iothub_auth::ConnectionString = hub.connection_string.parse().unwrap();
    let forged = format!(
        "HostName={};SharedAccessKeyName=iothubowner;SharedAccessKey={wrong_key}",
        cs.host_name
    );
    let run = dmctl(&["device", "list"])
        .env("IOTHUB_CONNECTION_STRING", &forged)
        .env("DMCTL_CA_FILE", &hub.ca_file)
        .run();
    run.assert_code(3);
    assert!(!run.stderr.contains(wrong_key));
    snap!("auth_refused", run.snapshot_text(&[]));
}

#[test]
fn an_untrusted_hub_certificate_points_at_ca_file() {
    let hub = Hub::start();
    let run = dmctl(&["device", "list"])
        .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .run();
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("hint: the hub's TLS certificate is not trusted"),
        "{}",
        run.stderr
    );
    // Only dmctl's own lines: no library log (rustls_platform_verifier's ERROR) before them.
    assert!(
        run.stderr
            .lines()
            .all(|line| line.starts_with("dmctl:") || line.starts_with("hint:")),
        "{}",
        run.stderr
    );
    // With the CA, the same call works.
    let run = dmctl(&[
        "device",
        "list",
        "--ca-file",
        &hub.ca_file.display().to_string(),
    ])
    .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
    .run();
    run.assert_code(0);
    // Without a CA file the system's trust store was read (iothub-tls, shared with the agent),
    // and did not know the hub's CA.
    let run = dmctl(&["device", "list"])
        .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .env("DMCTL_LOG", "iothub_tls=debug")
        .run();
    run.assert_code(1);
    assert!(
        run.stderr.contains("read the platform trust store"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_ca_file_alone_verifies_the_local_hub() {
    let hub = Hub::start();
    let run = hub
        .dmctl(&["device", "list"])
        .env("DMCTL_LOG", "debug")
        .run();
    run.assert_code(0);
    // The system's trust store is not read when the hub's own CA verifies it.
    assert!(
        !run.stderr.contains("platform trust store")
            && !run.stderr.contains("CA root certificates"),
        "{}",
        run.stderr
    );
}

#[test]
fn ssl_cert_file_and_ssl_cert_dir_are_trusted() {
    let hub = Hub::start();
    let run = dmctl(&["device", "list"])
        .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .env("SSL_CERT_FILE", &hub.ca_file)
        .run();
    run.assert_code(0);
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&hub.ca_file, dir.path().join("corporate-root.pem")).unwrap();
    let run = dmctl(&["device", "list"])
        .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .env("SSL_CERT_DIR", dir.path())
        .run();
    run.assert_code(0);
}

#[test]
fn throttling_exits_9() {
    let server = CannedServer::start(
        429,
        &[("iothub-errorcode", "ThrottlingException")],
        r#"{"Message":"ErrorCode:ThrottlingException;Too many requests","ExceptionMessage":"Tracking ID:t-1-G:0-TimeStamp:01/01/2026 00:00:00"}"#,
    );
    let cs = "HostName=myhub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=cGFzc3dvcmQ=";
    // A direct method is not repeated by the client, so one request, one 429.
    let run = dmctl(&["method", "invoke", "-d", "d1", "-n", "x", "-v"])
        .env("IOTHUB_CONNECTION_STRING", cs)
        .env("DMCTL_HUB_ENDPOINT", &server.url)
        .run();
    run.assert_code(9);
    assert_eq!(server.hits.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert!(
        run.stderr.contains("dmctl: hub tracking id: t-1"),
        "{}",
        run.stderr
    );
    snap!("throttled", run.snapshot_text(&[(&server.url, "[SERVER]")]));
}

#[cfg(unix)]
#[test]
fn ctrl_c_exits_130() {
    use std::process::{Command, Stdio};
    let hub = Hub::start();
    let _device = hub.connect_device("dev-int", answering);
    let child = Command::new(env!("CARGO_BIN_EXE_dmctl"))
        .args([
            "method",
            "invoke",
            "-d",
            "dev-int",
            "-n",
            "slow",
            "--response-timeout",
            "60",
        ])
        .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .env("DMCTL_CA_FILE", &hub.ca_file)
        .env_remove("DMCTL_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert_eq!(stderr, "dmctl: interrupted\n");
}

#[cfg(unix)]
#[test]
fn twin_watch_prints_changes_until_ctrl_c() {
    use std::io::{BufRead as _, BufReader};
    use std::process::{Command, Stdio};
    let hub = Hub::start();
    let device = hub.connect_device("dev-w", answering);
    let mut child = Command::new(env!("CARGO_BIN_EXE_dmctl"))
        .args([
            "twin",
            "watch",
            "-d",
            "dev-w",
            "--interval",
            "200ms",
            "-o",
            "jsonl",
        ])
        .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .env("DMCTL_CA_FILE", &hub.ca_file)
        .env_remove("DMCTL_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(
        line.starts_with("dmctl: watching the twin of device 'dev-w'"),
        "{line}"
    );

    hub.dmctl(&[
        "twin",
        "patch",
        "-d",
        "dev-w",
        "--desired",
        r#"{"rate": 7}"#,
    ])
    .run()
    .assert_code(0);
    device.report(&hub, &json!({"rate": 7}));
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut seen = Vec::new();
    while seen.len() < 2 {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "watch ended early"
        );
        let change: Value = serde_json::from_str(&line).unwrap();
        seen.push((
            change["path"].as_str().unwrap().to_owned(),
            change["new"].clone(),
        ));
    }
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        seen,
        vec![
            ("desired.rate".to_owned(), json!(7)),
            ("reported.rate".to_owned(), json!(7))
        ]
    );
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(
        child.wait().unwrap().code(),
        Some(0),
        "Ctrl-C is how watch ends"
    );
}
