//! The two commands that bring their own devices: `dmctl demo` (the README's quick start) and
//! `dmctl simulate`.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{Hub, dmctl};

#[test]
fn demo_runs_the_whole_tour_and_exits_0() {
    let run = dmctl(&["demo"]).run();
    run.assert_code(0);
    // Library and in-process agent logs stay below the default verbosity: only dmctl speaks.
    assert!(
        !run.stderr.contains("WARN") && !run.stderr.contains("ERROR"),
        "a log line on stderr:\n{}",
        run.stderr
    );
    let steps = [
        "$ dmctl device list",
        "$ dmctl info --device demo-1",
        "$ dmctl time set --device demo-1 --tz Europe/Paris --wait",
        "$ dmctl twin diff --device demo-1 --path dm.time.timeZone --all",
        "$ dmctl reboot --device demo-1 --reason demo --wait",
        "$ dmctl apps install hello-dm --device demo-1 --url http://127.0.0.1:",
        "$ dmctl apps list --device demo-1 --filter hello-dm",
        "$ dmctl logs collect --device demo-1 --upload --wait",
        "blob",
        "demo-1/logs-",
        "$ dmctl info --query '*'",
    ];
    let mut rest = run.stdout.as_str();
    for step in steps {
        let at = rest
            .find(step)
            .unwrap_or_else(|| panic!("missing step {step:?} in:\n{}", run.stdout));
        rest = &rest[at + step.len()..];
    }
    // Each device shows in the registry and answers the fleet-wide info.
    for id in ["demo-1", "demo-2", "demo-3"] {
        assert!(
            run.stdout.matches(id).count() >= 2,
            "{id} missing:\n{}",
            run.stdout
        );
    }
    let rows: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|line| line.split_whitespace().collect())
        .collect();
    let succeeded = rows
        .iter()
        .filter(|r| *r == &["state", "succeeded"])
        .count();
    assert_eq!(
        succeeded, 4,
        "time set, reboot, install and the log upload:\n{}",
        run.stdout
    );
    let in_sync = [
        "dm.time.timeZone",
        "Europe/Paris",
        "Europe/Paris",
        "in",
        "sync",
    ];
    assert!(rows.iter().any(|r| r == &in_sync), "{}", run.stdout);
    assert!(
        run.stderr.contains("3 devices: all succeeded"),
        "{}",
        run.stderr
    );
}

#[test]
fn simulate_serves_devices_until_terminated() {
    let hub = Hub::start();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dmctl"))
        .args([
            "simulate",
            "--count",
            "2",
            "--prefix",
            "lab-",
            "--create",
            "--gateway",
        ])
        .arg(hub.hub().gateway_host_name())
        .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .env("DMCTL_CA_FILE", &hub.ca_file)
        .env_remove("DMCTL_PROFILE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut connected = false;
    for line in stderr.lines() {
        let line = line.unwrap();
        if line.contains("simulated devices connected") {
            connected = true;
            break;
        }
    }
    assert!(connected, "the devices never connected");

    // Their agents answer like any device (once each has reported its manifest).
    let mut answered = false;
    for _ in 0..100 {
        let run = hub
            .dmctl(&[
                "report-all",
                "--query",
                "WHERE deviceId IN ['lab-1', 'lab-2']",
            ])
            .run();
        if run.code == 0 {
            assert!(
                run.stderr.contains("2 devices: all succeeded"),
                "{}",
                run.stderr
            );
            answered = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(answered, "the simulated devices never answered");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
    let listed = std::io::read_to_string(stdout).unwrap();
    assert_eq!(listed, "DEVICE\nlab-1\nlab-2\n");
}

#[test]
fn simulate_names_missing_devices_without_create() {
    let hub = Hub::start();
    let run = hub
        .dmctl(&["simulate", "--count", "1", "--prefix", "ghost-"])
        .run();
    run.assert_code(4);
    assert!(run.stderr.contains("ghost-1"), "{}", run.stderr);
    assert!(run.stderr.contains("--create"), "{}", run.stderr);
}
