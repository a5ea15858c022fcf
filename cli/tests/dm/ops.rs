//! `dmctl ops` and interrupted runs, with the real binary against real simulated agents: list,
//! show, wait and cancel by operation id; Ctrl-C (a real SIGINT) during `reboot --wait` and
//! during a fleet run, then the printed command that resumes, checking in the agents' own
//! envelopes that nothing was sent twice.

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::agent::simulate;
use crate::support::{Hub, Run};

fn json_of(hub: &Hub, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["-o", "json"]);
    let run = hub.dmctl(&args).run();
    run.assert_code(0);
    run.json()
}

/// The operation envelopes `dmctl ops list` shows for one device.
fn operations(hub: &Hub, device: &str) -> Vec<Value> {
    json_of(hub, &["ops", "list", "-d", device])["result"]["operations"]
        .as_array()
        .unwrap()
        .clone()
}

/// The ids of the device's `dm.reboot` operations.
fn reboots(hub: &Hub, device: &str) -> Vec<String> {
    operations(hub, device)
        .iter()
        .filter(|op| op["op"] == "dm.reboot")
        .map(|op| op["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Waits until `device` reports an unfinished operation, and returns its id.
fn unfinished_operation(hub: &Hub, device: &str) -> String {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        let listed = json_of(hub, &["ops", "list", "-d", device, "--unfinished"]);
        if let Some(id) = listed["result"]["operations"][0]["id"].as_str() {
            return id.to_owned();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{device} never reported an unfinished operation");
}

fn interrupt(child: &Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits for the child and collects what it printed (stdout already partly read by the caller).
fn finish(mut child: Child, stdout_seen: String) -> Run {
    let mut rest = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut rest)
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout_seen + &rest,
        stderr,
    }
}

/// The text between the first pair of backticks after `marker` in `text`.
fn quoted_after<'a>(text: &'a str, marker: &str) -> &'a str {
    let from = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in:\n{text}"));
    let rest = &text[from..];
    let start = rest.find('`').unwrap() + 1;
    let end = start + rest[start..].find('`').unwrap();
    &rest[start..end]
}

/// Splits a printed `dmctl ...` command into its arguments (no quoting in these tests' ids).
fn command_args(line: &str) -> Vec<String> {
    let mut words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    assert_eq!(words.remove(0), "dmctl", "{line}");
    words
}

#[test]
fn ops_list_show_wait_and_cancel_follow_operations_by_id() {
    let hub = Hub::start();
    let fleet = simulate(&hub, "ops-", 2);

    // A reboot in a minute is `pending` until then: listed, shown, followed, cancelled.
    let accepted = json_of(&hub, &["reboot", "-d", "ops-1", "--in", "60"]);
    let id = accepted["result"]["operation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The agent reports the envelope right after handing over its 202, so the twin may lag
    // the answer by a moment: a user listing at once sees it within a few tries.
    let op = (0..50)
        .find_map(|_| {
            let found = operations(&hub, "ops-1")
                .into_iter()
                .find(|op| op["id"] == id.as_str());
            if found.is_none() {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            found
        })
        .expect("the accepted reboot is listed within 5 s");
    let op = &op;
    assert_eq!(op["section"], "reboot");
    assert_eq!(op["op"], "dm.reboot");
    assert_eq!(op["state"], "pending");
    assert!(op["requestedAt"].is_string());

    let table = hub.dmctl(&["ops", "list", "-d", "ops-1"]).run();
    table.assert_code(0);
    for column in [
        "ID",
        "OP",
        "SECTION",
        "STATE",
        "REQUESTED",
        "STARTED",
        "FINISHED",
        "ERROR",
    ] {
        assert!(table.stdout.contains(column), "{}", table.stdout);
    }
    assert!(table.stdout.contains(&id), "{}", table.stdout);

    let shown = json_of(&hub, &["ops", "show", &id, "-d", "ops-1"]);
    assert_eq!(shown["result"]["id"], id.as_str());
    assert_eq!(shown["result"]["state"], "pending");

    // Waiting runs out (exit 6) and says how to go on waiting, without re-sending.
    let waited = hub
        .dmctl(&["ops", "wait", &id, "-d", "ops-1", "--timeout", "1s"])
        .run();
    waited.assert_code(6);
    assert!(
        waited
            .stderr
            .contains(&format!("dmctl ops wait --device ops-1 {id}")),
        "{}",
        waited.stderr
    );

    let cancelled = json_of(&hub, &["ops", "cancel", &id, "-d", "ops-1"]);
    assert_eq!(cancelled["result"]["outcome"], "cancelled");
    assert_eq!(cancelled["result"]["operation"]["state"], "rejected");
    assert_eq!(
        cancelled["result"]["operation"]["error"]["code"],
        "cancelled"
    );

    // Cancelled is final: a second cancel says so and sends nothing; waiting ends at once
    // with the device-error class, as `--wait` does for a rejected operation.
    let again = hub.dmctl(&["ops", "cancel", &id, "-d", "ops-1"]).run();
    again.assert_code(8);
    assert!(
        again.stderr.contains("already finished"),
        "{}",
        again.stderr
    );
    assert!(
        again.stderr.contains("nothing was sent"),
        "{}",
        again.stderr
    );
    let waited = hub.dmctl(&["ops", "wait", &id, "-d", "ops-1"]).run();
    waited.assert_code(7);
    assert!(waited.stderr.contains("cancelled"), "{}", waited.stderr);

    // A finished reboot: shown as succeeded, not cancellable.
    let done = json_of(&hub, &["reboot", "-d", "ops-2", "--wait"]);
    let done_id = done["result"]["operation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let shown = json_of(&hub, &["ops", "show", &done_id, "-d", "ops-2"]);
    assert_eq!(shown["result"]["state"], "succeeded");
    assert_eq!(shown["result"]["section"], "reboot");
    let run = hub.dmctl(&["ops", "cancel", &done_id, "-d", "ops-2"]).run();
    run.assert_code(8);
    assert!(
        run.stderr.contains("already finished: succeeded"),
        "{}",
        run.stderr
    );

    // Unknown ids: not found (4), with where to look; a malformed id is a usage error.
    let run = hub.dmctl(&["ops", "show", "nope", "-d", "ops-1"]).run();
    run.assert_code(4);
    assert!(
        run.stderr.contains("dmctl ops list --device ops-1"),
        "{}",
        run.stderr
    );
    let run = hub.dmctl(&["ops", "cancel", "nope", "-d", "ops-1"]).run();
    run.assert_code(4);
    hub.dmctl(&["ops", "show", "no.pe", "-d", "ops-1"])
        .run()
        .assert_code(2);

    // Fleet targets: one table of every device's operations.
    let run = hub
        .dmctl(&["ops", "list", "-d", "ops-1", "-d", "ops-2"])
        .run();
    run.assert_code(0);
    assert!(run.stdout.contains("DEVICE"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&id) && run.stdout.contains(&done_id),
        "{}",
        run.stdout
    );
    fleet.stop(&hub);
}

#[test]
fn ctrl_c_during_reboot_wait_prints_the_command_that_resumes_waiting() {
    let hub = Hub::start();
    let fleet = simulate(&hub, "int-", 1);
    let home = tempfile::tempdir().unwrap();
    let child = hub
        .dmctl_process(
            &["reboot", "-d", "int-1", "--in", "3", "--wait"],
            home.path(),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = unfinished_operation(&hub, "int-1");
    // The 202 reaches dmctl through the hub right after the agent reports the envelope.
    std::thread::sleep(Duration::from_millis(500));
    interrupt(&child);
    let run = finish(child, String::new());
    run.assert_code(130);
    let resume = quoted_after(&run.stderr, "hint:");
    assert_eq!(resume, format!("dmctl ops wait --device int-1 {id}"));

    // The printed command follows the same operation to its end; nothing was sent again.
    let args = command_args(resume);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let waited = hub.dmctl(&args).run();
    waited.assert_code(0);
    assert!(waited.stdout.contains("succeeded"), "{}", waited.stdout);
    assert_eq!(reboots(&hub, "int-1"), [id]);
    fleet.stop(&hub);
}

#[test]
fn ctrl_c_on_a_fleet_run_says_who_was_reached_and_resume_never_repeats_a_device() {
    let hub = Hub::start();
    let fleet = simulate(&hub, "fl-", 4);
    let home = tempfile::tempdir().unwrap();
    let command = [
        "reboot",
        "-d",
        "fl-1",
        "-d",
        "fl-2",
        "-d",
        "fl-3",
        "-d",
        "fl-4",
        "--in",
        "2",
        "--wait",
        "--concurrency",
        "1",
        "--yes",
    ];
    let mut args = command.to_vec();
    args.extend(["-o", "jsonl"]);
    let mut child = hub
        .dmctl_process(&args, home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // One device at a time: once fl-1's line is out, fl-2 is sent and waiting its 2 s.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let line: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(
        (line["deviceId"].as_str(), line["ok"].as_bool()),
        (Some("fl-1"), Some(true))
    );
    let fl2 = unfinished_operation(&hub, "fl-2");
    std::thread::sleep(Duration::from_millis(300));
    interrupt(&child);
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    child.stdout = None;
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let code = child.wait().unwrap().code();
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("answered: fl-1\n"), "{stderr}");
    assert!(
        stderr.contains(&format!("fl-2 (operation {fl2})")),
        "{stderr}"
    );
    assert!(
        stderr.contains("not reached (nothing sent): fl-3, fl-4"),
        "{stderr}"
    );

    // The devices not reached are in a private file the printed command continues with.
    let rest_command = quoted_after(&stderr, "continue with only the devices not reached");
    let rest_args = command_args(rest_command);
    let file = &rest_args[rest_args
        .iter()
        .position(|a| a == "--devices-from")
        .unwrap()
        + 1];
    assert_eq!(std::fs::read_to_string(file).unwrap(), "fl-3\nfl-4\n");
    assert!(!rest_args.iter().any(|a| a == "-d"), "{rest_command}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir = Path::new(file).parent().unwrap();
        assert_eq!(
            std::fs::metadata(dir).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }

    // --resume only continues the same command: another one is refused, naming the run.
    let other = ["reboot", "-d", "fl-1", "--in", "2", "--yes", "--resume"];
    let state = home.path().join("state");
    let refused = hub.dmctl(&other).env("XDG_STATE_HOME", &state).run();
    refused.assert_code(2);
    assert!(
        refused.stderr.contains("interrupted runs:"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("dmctl reboot -d fl-1"),
        "{}",
        refused.stderr
    );

    // The same command with --resume: fl-3 and fl-4 are rebooted; fl-1 (done) and fl-2 (sent,
    // still running on the device) are not sent anything again.
    let mut resume = command.to_vec();
    resume.extend(["--resume", "-o", "jsonl"]);
    let resumed = hub.dmctl(&resume).env("XDG_STATE_HOME", &state).run();
    resumed.assert_code(10);
    let lines = resumed.json_lines();
    let outcome = |id: &str| {
        lines
            .iter()
            .find(|l| l["deviceId"] == id)
            .unwrap_or_else(|| panic!("no line for {id}: {}", resumed.stdout))
            .clone()
    };
    assert!(
        lines.iter().all(|l| l["deviceId"] != "fl-1"),
        "{}",
        resumed.stdout
    );
    assert_eq!(outcome("fl-2")["ok"], false);
    assert!(
        outcome("fl-2")["error"]["hint"]
            .as_str()
            .unwrap()
            .contains(&format!("dmctl ops wait --device fl-2 {fl2}")),
        "{}",
        resumed.stdout
    );
    assert_eq!(outcome("fl-3")["ok"], true);
    assert_eq!(outcome("fl-4")["ok"], true);
    assert!(
        resumed.stderr.contains("resuming the run"),
        "{}",
        resumed.stderr
    );

    for device in ["fl-1", "fl-2", "fl-3", "fl-4"] {
        assert_eq!(
            reboots(&hub, device).len(),
            1,
            "{device} was rebooted more than once"
        );
    }
    assert_eq!(reboots(&hub, "fl-2"), [fl2]);

    // A finished run leaves no journal: there is nothing more to resume.
    let again = hub.dmctl(&resume).env("XDG_STATE_HOME", &state).run();
    again.assert_code(2);
    assert!(
        again.stderr.contains("no interrupted fleet run"),
        "{}",
        again.stderr
    );
    fleet.stop(&hub);
}
