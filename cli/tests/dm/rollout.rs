//! Rollouts end to end: the real `dmctl` binary against the in-process local hub with 100
//! simulated dm agents, some of which fail `dm.reboot` on purpose (`simulate --fail`). One fleet
//! serves every scenario (each rollout has its own name, so its own tags).

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use dm_agent::transport::Transport as _;
use dmctl::dm::simulation::{
    FailRule, InjectedFailure, SimulateOptions, SimulatedDevices, Simulation,
};
use serde_json::{Value, json};

use crate::support::{Hub, Run};

const COUNT: usize = 100;
const PREFIX: &str = "ro-";

struct Fleet {
    simulation: Simulation,
    _sandboxes: tempfile::TempDir,
}

fn fail_reboot() -> FailRule {
    FailRule {
        method: "dm.reboot".into(),
        failure: InjectedFailure::Failed,
        percent: 25.0,
    }
}

/// A tenth of the devices answer `dm.updates.scan` with 409 busy, every time.
fn busy_scan() -> FailRule {
    FailRule {
        method: "dm.updates.scan".into(),
        failure: InjectedFailure::Busy,
        percent: 10.0,
    }
}

fn start_fleet(hub: &Hub) -> Fleet {
    let sandboxes = tempfile::tempdir().unwrap();
    let mut options = SimulateOptions::new(
        SimulatedDevices::Service {
            connection_string: Box::new(hub.connection_string.parse().unwrap()),
            count: COUNT,
            prefix: PREFIX.to_owned(),
            create: true,
        },
        sandboxes.path(),
    );
    options.ca_pem = Some(hub.hub().ca_pem().into_bytes());
    options.gateway_host_name = Some(hub.hub().gateway_host_name());
    options.reboot_downtime = Duration::from_millis(300);
    options.failures = vec![fail_reboot(), busy_scan()];
    let simulation = hub.runtime.block_on(async {
        let simulation = Simulation::start(options).await.unwrap();
        assert!(simulation.wait_connected(Duration::from_secs(60)).await);
        simulation
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let rows = query(
            hub,
            "SELECT COUNT() AS n FROM devices WHERE IS_DEFINED(properties.reported.dm.agent)",
        );
        if rows[0]["n"] == json!(COUNT) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "manifests not reported: {rows:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    Fleet {
        simulation,
        _sandboxes: sandboxes,
    }
}

fn query(hub: &Hub, sql: &str) -> Vec<Value> {
    let run = hub.dmctl(&["query", sql, "-o", "json"]).run();
    run.assert_code(0);
    run.json().as_array().cloned().unwrap_or_default()
}

fn twin(hub: &Hub, id: &str) -> Value {
    let run = hub
        .dmctl(&["twin", "show", "--device", id, "-o", "json"])
        .run();
    run.assert_code(0);
    run.json()
}

/// `dmctl` with the hub and a shared state directory.
fn dmctl(hub: &Hub, state: &Path, args: &[&str]) -> Run {
    hub.dmctl(args).env("XDG_STATE_HOME", state).run()
}

fn spawn(hub: &Hub, state: &Path, args: &[&str]) -> Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_dmctl"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("IOTHUB_CONNECTION_STRING", &hub.connection_string)
        .env("DMCTL_CA_FILE", &hub.ca_file)
        .env("XDG_STATE_HOME", state)
        .env("XDG_CONFIG_HOME", state.join("config"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn status(hub: &Hub, state: &Path, name: &str) -> Value {
    let run = dmctl(hub, state, &["rollout", "status", name, "-o", "json"]);
    run.assert_code(0);
    run.json()
}

fn wait_status(
    hub: &Hub,
    state: &Path,
    name: &str,
    what: &str,
    ok: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let run = dmctl(hub, state, &["rollout", "status", name, "-o", "json"]);
        if run.code == 0 && ok(&run.json()) {
            return run.json();
        }
        assert!(
            Instant::now() < deadline,
            "{what}: {}{}",
            run.stdout,
            run.stderr
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn tag(twin: &Value, name: &str) -> Option<Value> {
    twin["tags"]["dmRollouts"].get(name).cloned()
}

fn ids(range: std::ops::RangeInclusive<usize>) -> String {
    range
        .map(|i| format!("'{PREFIX}{i}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn finish(child: Child) -> Run {
    Run::from(child.wait_with_output().unwrap())
}

#[test]
fn rollouts_on_a_simulated_fleet() {
    let hub = Hub::start();
    let fleet = start_fleet(&hub);
    let state = tempfile::tempdir().unwrap();
    let state = state.path();

    // The command after `--` is validated before anything is sent.
    let bad = dmctl(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "bad",
            "--target",
            "*",
            "--",
            "reboot",
            "--force",
            "--postpone",
        ],
    );
    bad.assert_code(2);
    assert!(
        bad.stderr.contains("the command after `--`"),
        "{}",
        bad.stderr
    );
    let bad = dmctl(
        &hub,
        state,
        &[
            "rollout", "start", "bad", "--target", "*", "--", "reboot", "--device", "ro-1",
        ],
    );
    bad.assert_code(2);
    assert!(bad.stderr.contains("come from --target"), "{}", bad.stderr);
    let bad = dmctl(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "bad",
            "--target",
            "*",
            "--success",
            "version = ",
            "--",
            "reboot",
        ],
    );
    bad.assert_code(2);
    assert!(bad.stderr.contains("--success"), "{}", bad.stderr);

    // --dry-run: the waves, their devices and the exact call; nothing is written.
    let dry = dmctl(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "tz_paris",
            "--target",
            "*",
            "--canary",
            "5",
            "--waves",
            "25%,50%,100%",
            "--dry-run",
            "-o",
            "json",
            "--",
            "time",
            "set",
            "--tz",
            "Europe/Paris",
        ],
    );
    dry.assert_code(0);
    let plan = dry.json();
    let sizes: Vec<usize> = plan["waves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["devices"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [5, 20, 25, 50]);
    assert_eq!(plan["request"]["method"], "PATCH");
    assert_eq!(
        plan["request"]["body"]["properties"]["desired"]["dm"]["time"]["timeZone"],
        "Europe/Paris"
    );
    assert!(tag(&twin(&hub, "ro-1"), "tz_paris").is_none());
    assert!(
        query(
            &hub,
            "SELECT deviceId FROM devices WHERE IS_DEFINED(tags.dmRollouts)"
        )
        .is_empty(),
        "nothing was written by the refused or dry-run rollouts"
    );

    // A rollout that completes in waves.
    let done = dmctl(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "tz_paris",
            "--target",
            "*",
            "--canary",
            "5",
            "--waves",
            "25%,50%,100%",
            "--concurrency",
            "32",
            "--",
            "time",
            "set",
            "--tz",
            "Europe/Paris",
        ],
    );
    done.assert_code(0);
    assert!(done.stderr.contains("wave 4/4"), "{}", done.stderr);
    let report = status(&hub, state, "tz_paris");
    assert_eq!(report["status"], "completed");
    let waves = report["waves"].as_array().unwrap();
    assert_eq!(waves.len(), 4);
    for wave in waves {
        assert_eq!(wave["succeeded"], wave["devices"], "{wave}");
    }
    let rows = query(
        &hub,
        "SELECT deviceId FROM devices WHERE tags.dmRollouts.tz_paris.outcome = 'succeeded' AND properties.reported.dm.time.timeZone = 'Europe/Paris'",
    );
    assert_eq!(rows.len(), COUNT, "every device was changed and recorded");

    // The success condition catches a device that reported the wrong version.
    hub.runtime.block_on(async {
        for i in 1..=10 {
            let id = format!("{PREFIX}{i}");
            let version = if i == 7 { "2.0.9" } else { "2.1.0" };
            fleet
                .simulation
                .connection(&id)
                .unwrap()
                .send_reported(json!({"firmware": version}))
                .await
                .unwrap();
        }
    });
    let target = format!("WHERE deviceId IN [{}]", ids(1..=10));
    let checked = dmctl(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "tz_utc",
            "--target",
            &target,
            "--batch",
            "5",
            "--max-failures",
            "2",
            "--success",
            "properties.reported.firmware = '2.1.0'",
            "--",
            "time",
            "set",
            "--tz",
            "UTC",
        ],
    );
    checked.assert_code(10);
    let report = status(&hub, state, "tz_utc");
    let failures = report["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{report}");
    assert_eq!(failures[0]["deviceId"], "ro-7");
    assert!(
        failures[0]["reason"]
            .as_str()
            .unwrap()
            .contains("--success")
    );

    // A rollout that stops at its threshold leaves the devices it had not reached untouched.
    let stopped = dmctl(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "reboots",
            "--target",
            "*",
            "--canary",
            "2",
            "--batch",
            "5",
            "--max-failures",
            "2",
            "--concurrency",
            "1",
            "--yes",
            "--",
            "reboot",
        ],
    );
    stopped.assert_code(10);
    assert!(stopped.stderr.contains("stopped"), "{}", stopped.stderr);
    let report = status(&hub, state, "reboots");
    assert_eq!(report["status"], "stopped");
    assert_eq!(report["failures"].as_array().unwrap().len(), 3, "{report}");
    let rule = fail_reboot();
    let mut untouched = 0;
    for i in 1..=COUNT {
        let id = format!("{PREFIX}{i}");
        let twin = twin(&hub, &id);
        let rebooted = twin["properties"]["reported"]["dm"]["reboot"]["operations"]
            .as_object()
            .is_some_and(|ops| !ops.is_empty());
        if let Some(record) = tag(&twin, "reboots") {
            assert!(rebooted, "{id} was reached but has no reboot operation");
            let expected = if rule.selects(&id) {
                "failed"
            } else {
                "succeeded"
            };
            assert_eq!(record["outcome"], expected, "{id}");
        } else {
            assert!(!rebooted, "{id} was not reached but was rebooted");
            untouched += 1;
        }
    }
    assert!(untouched > 50, "only {untouched} devices untouched");

    // Pause holds before the next wave; resume continues it.
    let target = format!("WHERE deviceId IN [{}]", ids(11..=30));
    let child = spawn(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "tz_tokyo",
            "--target",
            &target,
            "--canary",
            "2",
            "--waves",
            "50%,100%",
            "--bake",
            "2s",
            "--",
            "time",
            "set",
            "--tz",
            "Asia/Tokyo",
        ],
    );
    wait_status(&hub, state, "tz_tokyo", "wave 1 running", |s| {
        s["waves"][0]["succeeded"].as_u64().unwrap_or(0) > 0
    });
    hub.dmctl(&["rollout", "pause", "tz_tokyo"])
        .env("XDG_STATE_HOME", state)
        .env("DMCTL_OPERATOR", "bob")
        .run()
        .assert_code(0);
    wait_status(&hub, state, "tz_tokyo", "paused", |s| {
        s["status"] == "paused"
    });
    std::thread::sleep(Duration::from_secs(2));
    let held = status(&hub, state, "tz_tokyo");
    assert_eq!(
        held["waves"][1]["pending"], held["waves"][1]["devices"],
        "{held}"
    );
    dmctl(&hub, state, &["rollout", "resume", "tz_tokyo"]).assert_code(0);
    let run = finish(child);
    run.assert_code(0);
    assert_eq!(status(&hub, state, "tz_tokyo")["status"], "completed");

    // Killed during its bake, resumed by another process: nothing is sent twice.
    let target = format!("WHERE deviceId IN [{}]", ids(31..=50));
    let mut child = spawn(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "tz_lima",
            "--target",
            &target,
            "--canary",
            "5",
            "--bake",
            "1h",
            "--",
            "time",
            "set",
            "--tz",
            "America/Lima",
        ],
    );
    wait_status(&hub, state, "tz_lima", "baking", |s| {
        s["status"] == "waiting" && s["waves"][0]["succeeded"] == json!(5)
    });
    child.kill().unwrap();
    let _ = child.wait();
    let before = twin(&hub, "ro-31");
    let interrupted = status(&hub, state, "tz_lima");
    assert_eq!(interrupted["status"], "interrupted", "{interrupted}");
    let resumed = dmctl(&hub, state, &["rollout", "resume", "tz_lima"]);
    resumed.assert_code(0);
    let after = twin(&hub, "ro-31");
    assert_eq!(
        tag(&before, "tz_lima"),
        tag(&after, "tz_lima"),
        "a finished device is not touched again"
    );
    assert_eq!(
        before["properties"]["desired"]["$version"],
        after["properties"]["desired"]["$version"]
    );
    let report = status(&hub, state, "tz_lima");
    assert_eq!(report["status"], "completed");
    assert_eq!(report["waves"][1]["succeeded"], json!(15));

    // A different plan under a used name is refused.
    let other = dmctl(
        &hub,
        state,
        &[
            "rollout", "start", "tz_lima", "--target", &target, "--", "time", "set", "--tz", "UTC",
        ],
    );
    other.assert_code(8);
    let list = dmctl(&hub, state, &["rollout", "list", "-o", "json"]);
    list.assert_code(0);
    assert_eq!(list.json().as_array().unwrap().len(), 5);

    // Every rollout action is in the audit trail, the local-only pause and resume included,
    // with who took it and the plan it was about; the chain still verifies.
    let audit = dmctl(&hub, state, &["audit", "-o", "json"]);
    audit.assert_code(0);
    let actions: Vec<(String, String, String)> = audit
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["method"] == "ROLLOUT")
        .map(|row| {
            assert_eq!(row["outcome"], "done", "{row}");
            assert_eq!(row["plan"].as_str().unwrap().len(), 16, "{row}");
            (
                row["action"].as_str().unwrap().to_owned(),
                row["rollout"].as_str().unwrap().to_owned(),
                row["operator"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let names: Vec<(&str, &str)> = actions
        .iter()
        .map(|(a, n, _)| (a.as_str(), n.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("start", "tz_paris"),
            ("start", "tz_utc"),
            ("start", "reboots"),
            ("start", "tz_tokyo"),
            ("pause", "tz_tokyo"),
            ("resume", "tz_tokyo"),
            ("start", "tz_lima"),
            ("resume", "tz_lima"),
        ],
        "refused, dry-run and conflicting starts record nothing"
    );
    assert_eq!(actions[4].2, "bob", "the pause names its operator");
    let report = status(&hub, state, "tz_tokyo");
    assert_eq!(
        audit
            .json()
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["action"] == "pause")
            .unwrap()["plan"],
        report["plan"]
    );
    dmctl(&hub, state, &["audit", "--verify"]).assert_code(0);

    hub.runtime.block_on(fleet.simulation.stop());
}

/// The jobs the hub has, as `dmctl job list` shows them.
fn jobs(hub: &Hub) -> Vec<Value> {
    let run = hub.dmctl(&["job", "list", "-o", "json"]).run();
    run.assert_code(0);
    run.json().as_array().cloned().unwrap_or_default()
}

/// The jobs whose condition names `device`.
fn jobs_naming(jobs: &[Value], device: &str) -> usize {
    let quoted = format!("'{device}'");
    jobs.iter()
        .filter(|j| {
            j["queryCondition"]
                .as_str()
                .is_some_and(|c| c.contains(&quoted))
        })
        .count()
}

fn rebooted(twin: &Value) -> bool {
    twin["properties"]["reported"]["dm"]["reboot"]["operations"]
        .as_object()
        .is_some_and(|ops| !ops.is_empty())
}

#[test]
fn rollouts_sent_as_iot_hub_jobs() {
    let hub = Hub::start();
    let fleet = start_fleet(&hub);
    let state = tempfile::tempdir().unwrap();
    let state = state.path();

    // What one job payload cannot carry is refused before anything is sent.
    let bad = dmctl(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "wipe",
            "--target",
            "*",
            "--yes",
            "--",
            "factory-reset",
            "--via-job",
        ],
    );
    bad.assert_code(2);
    assert!(bad.stderr.contains("--via-job"), "{}", bad.stderr);

    // --dry-run shows the first wave's job.
    let dry = dmctl(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "tz_jobs",
            "--target",
            "*",
            "--canary",
            "5",
            "--waves",
            "50%,100%",
            "--dry-run",
            "-o",
            "json",
            "--",
            "time",
            "set",
            "--tz",
            "Asia/Kolkata",
            "--via-job",
        ],
    );
    dry.assert_code(0);
    let plan = dry.json();
    assert_eq!(plan["request"]["method"], "PUT");
    assert_eq!(plan["request"]["body"]["type"], "scheduleUpdateTwin");
    assert_eq!(
        plan["request"]["body"]["queryCondition"],
        format!("deviceId IN [{}]", {
            let wave: Vec<String> = plan["waves"][0]["devices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| format!("'{}'", d.as_str().unwrap()))
                .collect();
            wave.join(", ")
        })
    );
    assert!(jobs(&hub).is_empty(), "a dry run creates no job");

    // A rollout that completes in waves, one job per wave.
    let done = dmctl(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "tz_jobs",
            "--target",
            "*",
            "--canary",
            "5",
            "--waves",
            "50%,100%",
            "--concurrency",
            "32",
            "--",
            "time",
            "set",
            "--tz",
            "Asia/Kolkata",
            "--via-job",
        ],
    );
    done.assert_code(0);
    assert!(done.stderr.contains("wave 3/3"), "{}", done.stderr);
    let report = status(&hub, state, "tz_jobs");
    assert_eq!(report["status"], "completed", "{report}");
    for wave in report["waves"].as_array().unwrap() {
        assert_eq!(wave["succeeded"], wave["devices"], "{wave}");
    }
    let created = jobs(&hub);
    assert_eq!(created.len(), 3, "one job per wave: {created:?}");
    let rows = query(
        &hub,
        "SELECT deviceId FROM devices WHERE tags.dmRollouts.tz_jobs.outcome = 'succeeded' AND IS_DEFINED(tags.dmRollouts.tz_jobs.job) AND properties.reported.dm.time.timeZone = 'Asia/Kolkata'",
    );
    assert_eq!(
        rows.len(),
        COUNT,
        "every device was changed by a job and recorded"
    );

    // Per-device failures from the jobs: the rollout stops at its threshold and leaves the
    // devices it had not reached untouched (no job names them, no tag, no reboot).
    let before: Vec<Value> = jobs(&hub);
    let stopped = dmctl(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "reboot_jobs",
            "--target",
            "*",
            "--canary",
            "4",
            "--batch",
            "10",
            "--max-failures",
            "2",
            "--yes",
            "--",
            "reboot",
            "--via-job",
        ],
    );
    stopped.assert_code(10);
    assert!(stopped.stderr.contains("stopped"), "{}", stopped.stderr);
    let report = status(&hub, state, "reboot_jobs");
    assert_eq!(report["status"], "stopped", "{report}");
    let failures = report["failures"].as_array().unwrap();
    assert!(failures.len() > 2, "{report}");
    let rule = fail_reboot();
    for failure in failures {
        assert!(
            rule.selects(failure["deviceId"].as_str().unwrap()),
            "{failure}"
        );
    }
    let new_jobs: Vec<Value> = jobs(&hub)
        .into_iter()
        .filter(|j| !before.iter().any(|b| b["jobId"] == j["jobId"]))
        .collect();
    assert!(new_jobs.len() >= 2, "{new_jobs:?}");
    let mut untouched = 0;
    for i in 1..=COUNT {
        let id = format!("{PREFIX}{i}");
        let twin = twin(&hub, &id);
        if let Some(record) = tag(&twin, "reboot_jobs") {
            assert!(
                rebooted(&twin),
                "{id} was reached but has no reboot operation"
            );
            let expected = if rule.selects(&id) {
                "failed"
            } else {
                "succeeded"
            };
            assert_eq!(record["outcome"], expected, "{id}");
            assert!(record["job"].is_string(), "{record}");
        } else {
            assert!(!rebooted(&twin), "{id} was not reached but was rebooted");
            assert_eq!(jobs_naming(&new_jobs, &id), 0, "{id} is in a job");
            untouched += 1;
        }
    }
    assert!(untouched > 50, "only {untouched} devices untouched");

    // Abort cancels the wave's running job: held until a start time an hour away, its
    // devices are never reached and keep no record.
    let later = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)).to_string();
    let target = format!("WHERE deviceId IN [{}]", ids(51..=60));
    let child = spawn(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "held",
            "--target",
            &target,
            "--yes",
            "--",
            "reboot",
            "--via-job",
            "--start",
            &later,
        ],
    );
    wait_status(&hub, state, "held", "the wave's job created", |s| {
        s["waves"][0]["sent"] == json!(10)
    });
    let held = tag(&twin(&hub, "ro-51"), "held").unwrap();
    let job_id = held["job"].as_str().unwrap().to_owned();
    hub.dmctl(&["rollout", "abort", "held"])
        .env("XDG_STATE_HOME", state)
        .env("DMCTL_OPERATOR", "carol")
        .run()
        .assert_code(0);
    let aborted = finish(child);
    aborted.assert_code(1);
    assert!(aborted.stderr.contains("aborted"), "{}", aborted.stderr);
    let job = hub.dmctl(&["job", "show", &job_id, "-o", "json"]).run();
    assert_eq!(job.json()["status"], "cancelled", "{}", job.stdout);
    for i in 51..=60 {
        let twin = twin(&hub, &format!("{PREFIX}{i}"));
        assert!(tag(&twin, "held").is_none(), "ro-{i} kept a record");
        assert!(!rebooted(&twin), "ro-{i} was rebooted");
    }
    let report = status(&hub, state, "held");
    assert_eq!(report["status"], "aborted", "{report}");
    assert_eq!(report["waves"][0]["pending"], json!(10), "{report}");

    // Killed while its wave's job waits to start, resumed by another process: the job is
    // picked up by its id from the tags, not sent again.
    let soon = (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(6)).to_string();
    let target = format!("WHERE deviceId IN [{}]", ids(61..=70));
    let start = [
        "rollout",
        "start",
        "tz_resumed",
        "--target",
        &target,
        "--",
        "time",
        "set",
        "--tz",
        "Europe/Rome",
        "--via-job",
        "--start",
        &soon,
    ];
    // tz_jobs had a job naming every device: count from here.
    let earlier = jobs(&hub);
    let new_jobs = || -> Vec<Value> {
        jobs(&hub)
            .into_iter()
            .filter(|j| !earlier.iter().any(|e| e["jobId"] == j["jobId"]))
            .collect()
    };
    let mut child = spawn(&hub, state, &start);
    wait_status(
        &hub,
        state,
        "tz_resumed",
        "the wave's devices recorded",
        |s| s["waves"][0]["sent"] == json!(10),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while jobs_naming(&new_jobs(), "ro-61") == 0 {
        assert!(Instant::now() < deadline, "the wave's job was not created");
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    let _ = child.wait();
    let resumed = dmctl(&hub, state, &["rollout", "resume", "tz_resumed"]);
    resumed.assert_code(0);
    assert!(
        resumed.stderr.contains("following job"),
        "{}",
        resumed.stderr
    );
    assert_eq!(new_jobs().len(), 1, "the job was sent once");
    assert_eq!(jobs_naming(&new_jobs(), "ro-61"), 1);
    let rows = query(
        &hub,
        "SELECT deviceId FROM devices WHERE tags.dmRollouts.tz_resumed.outcome = 'succeeded' AND properties.reported.dm.time.timeZone = 'Europe/Rome'",
    );
    assert_eq!(rows.len(), 10);

    // A client-side fleet run interrupted by Ctrl-C (a real SIGINT), then `--resume`: every
    // device is rebooted exactly once, the ones finished before the interrupt not again.
    let devices: Vec<String> = (71..=90).map(|i| format!("{PREFIX}{i}")).collect();
    let reboot_ids = |id: &str| -> Vec<String> {
        twin(&hub, id)["properties"]["reported"]["dm"]["reboot"]["operations"]
            .as_object()
            .map(|ops| ops.keys().cloned().collect())
            .unwrap_or_default()
    };
    let before: Vec<Vec<String>> = devices.iter().map(|id| reboot_ids(id)).collect();
    let query_text = format!("WHERE deviceId IN [{}]", ids(71..=90));
    let command = [
        "reboot",
        "--query",
        &query_text,
        "--wait",
        "--concurrency",
        "2",
        "--yes",
        "-o",
        "jsonl",
    ];
    let mut child = spawn(&hub, state, &command);
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    for _ in 0..4 {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
        assert!(!line.is_empty(), "the run ended before 4 devices were done");
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let interrupted = finish(child);
    assert_eq!(interrupted.code, 130, "{}", interrupted.stderr);
    let mut resume = command.to_vec();
    resume.push("--resume");
    let resumed = dmctl(&hub, state, &resume);
    assert!(
        [0, 10].contains(&resumed.code),
        "{}{}",
        resumed.stdout,
        resumed.stderr
    );
    assert!(
        resumed.stderr.contains("resuming the run"),
        "{}",
        resumed.stderr
    );
    // A device whose call was on its way at the interrupt has no known outcome: the resumed run
    // does not send it again (never twice), so it was rebooted once, or not at all if the call
    // never reached it. At most `--concurrency` (2) devices can be in that state; every other
    // device was rebooted exactly once.
    let unknown: usize = resumed
        .stderr
        .split(" sent the call without a known outcome")
        .next()
        .and_then(|head| head.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of unknown outcomes: {}", resumed.stderr));
    assert!(unknown <= 2, "{}", resumed.stderr);
    let mut not_rebooted = 0;
    for (id, before) in devices.iter().zip(&before) {
        let new: Vec<String> = reboot_ids(id)
            .into_iter()
            .filter(|op| !before.contains(op))
            .collect();
        assert!(new.len() <= 1, "{id} was rebooted {} times", new.len());
        not_rebooted += usize::from(new.is_empty());
    }
    assert!(
        not_rebooted <= unknown,
        "{not_rebooted} devices were not rebooted, only {unknown} had no known outcome: {}",
        resumed.stderr
    );

    // Busy devices are sent again in new jobs within the wave's time, then count as failed,
    // never as succeeded. (The wave's time is long enough for a retry on a loaded machine.)
    let earlier = jobs(&hub);
    let scans = dmctl(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "scans",
            "--target",
            "*",
            "--max-failures",
            "100%",
            "--timeout",
            "60s",
            "--concurrency",
            "32",
            "--",
            "updates",
            "scan",
            "--via-job",
        ],
    );
    scans.assert_code(10);
    assert!(
        scans.stderr.contains("sent again in a new job"),
        "{}",
        scans.stderr
    );
    let report = status(&hub, state, "scans");
    assert_eq!(report["status"], "completed", "{report}");
    let mut failed: Vec<String> = report["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let reason = f["reason"].as_str().unwrap();
            assert!(reason.contains("still busy"), "{f}");
            f["deviceId"].as_str().unwrap().to_owned()
        })
        .collect();
    failed.sort();
    let mut busy: Vec<String> = (1..=COUNT)
        .map(|i| format!("{PREFIX}{i}"))
        .filter(|id| busy_scan().selects(id))
        .collect();
    busy.sort();
    assert!(!busy.is_empty());
    assert_eq!(failed, busy, "exactly the busy devices failed");
    let retries = jobs(&hub).len() - earlier.len();
    assert!(
        retries >= 2,
        "{retries} jobs: the busy devices were not sent again"
    );

    // --success and --bake through jobs: a device the hub does not find satisfying the
    // condition after its job fails, and a device of a finished wave that stops satisfying it
    // during the bake counts as failed before the rollout widens.
    let version = |id: &str, v: &str| {
        hub.runtime.block_on(async {
            fleet
                .simulation
                .connection(id)
                .unwrap()
                .send_reported(json!({"firmware": v}))
                .await
                .unwrap();
        });
    };
    for i in 81..=90 {
        version(
            &format!("{PREFIX}{i}"),
            if i == 88 { "2.0.9" } else { "2.1.0" },
        );
    }
    let before = jobs(&hub).len();
    let target = format!("WHERE deviceId IN [{}]", ids(81..=90));
    let child = spawn(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "fw_checked",
            "--target",
            &target,
            "--batch",
            "5",
            "--bake",
            "4s",
            "--max-failures",
            "3",
            "--success",
            "properties.reported.firmware = '2.1.0'",
            "--",
            "time",
            "set",
            "--tz",
            "Europe/Berlin",
            "--via-job",
        ],
    );
    wait_status(&hub, state, "fw_checked", "baking after wave 1", |s| {
        let done = |k: &str| s["waves"][0][k].as_u64().unwrap_or(0);
        s["status"] == "waiting" && done("succeeded") + done("failed") == 5
    });
    // Which five went first is the plan's choice; during the bake only they have a record.
    // Regress one of them.
    let first: Vec<String> = (81..=90)
        .map(|i| format!("{PREFIX}{i}"))
        .filter(|id| tag(&twin(&hub, id), "fw_checked").is_some())
        .collect();
    assert_eq!(first.len(), 5, "{first:?}");
    let regressed = first
        .iter()
        .find(|id| id.as_str() != "ro-88")
        .unwrap()
        .clone();
    version(&regressed, "2.0.0");
    let run = finish(child);
    run.assert_code(10);
    let report = status(&hub, state, "fw_checked");
    assert_eq!(report["status"], "completed", "{report}");
    let mut failed: Vec<(String, String)> = report["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["deviceId"].as_str().unwrap().to_owned(),
                f["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    failed.sort();
    assert_eq!(failed.len(), 2, "{report}");
    for (id, reason) in &failed {
        if *id == regressed {
            assert!(reason.contains("regressed"), "{id}: {reason}");
        } else {
            assert_eq!(id, "ro-88", "{report}");
            assert!(reason.contains("--success"), "{id}: {reason}");
        }
    }
    assert!(failed.iter().any(|(id, _)| *id == regressed), "{report}");
    assert_eq!(
        tag(&twin(&hub, &regressed), "fw_checked").unwrap()["outcome"],
        "failed"
    );
    assert_eq!(jobs(&hub).len() - before, 2, "one job per wave");
    let changed = query(
        &hub,
        &format!(
            "SELECT deviceId FROM devices WHERE deviceId IN [{}] AND properties.reported.dm.time.timeZone = 'Europe/Berlin'",
            ids(81..=90)
        ),
    );
    assert_eq!(changed.len(), 10, "every device ran its job");

    // Every job slot of the hub taken (10 jobs scheduled for later): a rollout's wave job
    // waits for a slot within the wave's time instead of failing (the hub's JobQuotaExceeded
    // once read as "authentication refused", exit 3, and the rollout gave up at once).
    let mut parked = Vec::new();
    for n in 0..10 {
        let id = format!("parked-{n}");
        let made = hub
            .dmctl(&[
                "job",
                "create",
                "--id",
                &id,
                "--query",
                "deviceId = 'nobody'",
                "--tags",
                r#"{"parked": true}"#,
                "--start",
                "2099-01-01T00:00:00Z",
            ])
            .run();
        if made.code == 9 {
            break; // slots already taken by jobs of the scenarios above
        }
        made.assert_code(0);
        parked.push(id);
    }
    let full = hub
        .dmctl(&[
            "job",
            "create",
            "--query",
            "deviceId = 'nobody'",
            "--tags",
            r#"{"parked": true}"#,
        ])
        .run();
    full.assert_code(9);
    assert!(full.stderr.contains("JobQuotaExceeded"), "{}", full.stderr);
    let target = format!("WHERE deviceId IN [{}]", ids(91..=92));
    let mut child = spawn(
        &hub,
        state,
        &[
            "rollout",
            "start",
            "tz_slot",
            "--target",
            &target,
            "--timeout",
            "120s",
            "--",
            "time",
            "set",
            "--tz",
            "Africa/Nairobi",
            "--via-job",
        ],
    );
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the rollout gave up while every job slot was taken"
    );
    hub.dmctl(&["job", "cancel", parked.first().expect("a parked job")])
        .run()
        .assert_code(0);
    finish(child).assert_code(0);
    assert_eq!(status(&hub, state, "tz_slot")["status"], "completed");
    for id in &parked[1..] {
        hub.dmctl(&["job", "cancel", id]).run().assert_code(0);
    }

    // The abort is in the audit trail with its operator, and the chain verifies.
    let audit = dmctl(&hub, state, &["audit", "-o", "json"]);
    audit.assert_code(0);
    let abort = audit
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "abort")
        .cloned()
        .expect("the abort is audited");
    assert_eq!(abort["rollout"], "held");
    assert_eq!(abort["operator"], "carol");
    dmctl(&hub, state, &["audit", "--verify"]).assert_code(0);

    hub.runtime.block_on(fleet.simulation.stop());
}
