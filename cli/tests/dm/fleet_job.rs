//! Fleet runs end to end: the real `dmctl` binary against the in-process local hub with 120
//! simulated dm agents, some of which fail on purpose (`simulate --fail`, the same devices on
//! every run). `--via-job` sends the call as one IoT Hub job and must judge every device exactly
//! as the client-side fan-out does (same failed devices, same exit codes); the fan-out reads
//! every target's manifest in the query that resolves the target.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use dmctl::dm::simulation::{
    FailRule, InjectedFailure, SimulateOptions, SimulatedDevices, Simulation,
};
use serde_json::{Value, json};

use crate::support::Hub;

const COUNT: usize = 120;
const PREFIX: &str = "vj-";

struct Fleet {
    _simulation: Simulation,
    _sandboxes: tempfile::TempDir,
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
    options.failures = vec![
        FailRule {
            method: "dm.reboot".into(),
            failure: InjectedFailure::Failed,
            percent: 20.0,
        },
        FailRule {
            method: "dm.info.get".into(),
            failure: InjectedFailure::Busy,
            percent: 10.0,
        },
    ];
    let simulation = hub.runtime.block_on(async {
        let simulation = Simulation::start(options).await.unwrap();
        assert!(simulation.wait_connected(Duration::from_secs(60)).await);
        simulation
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let run = hub
            .dmctl(&[
                "query",
                "SELECT COUNT() AS n FROM devices WHERE IS_DEFINED(properties.reported.dm.agent)",
                "-o",
                "json",
            ])
            .run();
        run.assert_code(0);
        if run.json()[0]["n"] == json!(COUNT) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "manifests not reported: {}",
            run.stdout
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    Fleet {
        _simulation: simulation,
        _sandboxes: sandboxes,
    }
}

/// Every device's outcome in a fleet run's JSON: device → (ok, exit code of a failure).
fn outcomes(doc: &Value) -> BTreeMap<String, (bool, Option<i64>)> {
    doc["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results: {doc}"))
        .iter()
        .map(|r| {
            (
                r["deviceId"].as_str().unwrap().to_owned(),
                (r["ok"] == json!(true), r["error"]["exitCode"].as_i64()),
            )
        })
        .collect()
}

fn failed(outcomes: &BTreeMap<String, (bool, Option<i64>)>) -> Vec<&str> {
    outcomes
        .iter()
        .filter(|(_, (ok, _))| !ok)
        .map(|(id, _)| id.as_str())
        .collect()
}

fn jobs(hub: &Hub) -> Vec<Value> {
    let run = hub.dmctl(&["job", "list", "-o", "json"]).run();
    run.assert_code(0);
    run.json().as_array().cloned().unwrap_or_default()
}

#[test]
fn via_job_judges_every_device_as_the_fan_out_does() {
    let hub = Hub::start();
    let _fleet = start_fleet(&hub);

    // --dry-run shows the job request and creates nothing.
    let dry = hub
        .dmctl(&["info", "--query", "*", "--via-job", "--dry-run"])
        .run();
    dry.assert_code(0);
    assert!(
        dry.stdout.starts_with("PUT /jobs/v2/dmctl-"),
        "{}",
        dry.stdout
    );
    let body: Value = serde_json::from_str(
        dry.stdout
            .split_once(' ')
            .unwrap()
            .1
            .split_once(' ')
            .unwrap()
            .1
            .trim(),
    )
    .unwrap();
    assert_eq!(body["type"], "scheduleDeviceMethod");
    assert_eq!(body["queryCondition"], "*");
    assert_eq!(body["cloudToDeviceMethod"]["methodName"], "dm.info.get");
    assert!(
        dry.stderr
            .contains(&format!("the job would run on the {COUNT} devices")),
        "{}",
        dry.stderr
    );
    assert!(jobs(&hub).is_empty(), "a dry run created a job");

    // dm.info.get: a tenth of the devices answer 409 busy. As a job and as a fan-out, the same
    // devices fail with the same exit code (8), and the run exits 10.
    let fan_out = hub
        .dmctl(&["info", "--query", "*", "--concurrency", "32", "-o", "json"])
        .run();
    fan_out.assert_code(10);
    let via_job = hub
        .dmctl(&["info", "--query", "*", "--via-job", "-o", "json"])
        .run();
    via_job.assert_code(10);
    let (direct, job) = (outcomes(&fan_out.json()), outcomes(&via_job.json()));
    assert_eq!(job.len(), COUNT);
    assert_eq!(direct, job, "the job's outcomes differ from the fan-out's");
    let busy = failed(&job);
    assert!(!busy.is_empty() && busy.len() < COUNT / 4, "{busy:?}");
    assert!(job.values().all(|(ok, code)| *ok || *code == Some(8)));
    let doc = via_job.json();
    let first_failure = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ok"] == json!(false))
        .unwrap();
    assert!(
        first_failure["error"]["message"]
            .as_str()
            .unwrap()
            .contains("answered dm.info.get with 409"),
        "{first_failure}"
    );
    let ok = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ok"] == json!(true))
        .unwrap();
    assert!(
        ok["result"]["jobId"]
            .as_str()
            .unwrap()
            .starts_with("dmctl-"),
        "{ok}"
    );
    assert!(ok["result"]["result"].is_object(), "{ok}");
    // The table lists the failed devices, and the job is the hub's: `job list` shows it.
    let table = hub.dmctl(&["info", "--query", "*", "--via-job"]).run();
    table.assert_code(10);
    for device in &busy {
        let line = table
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{device} ")))
            .unwrap_or_else(|| panic!("{device} not in the table:\n{}", table.stdout));
        assert!(line.contains("failed (8)"), "{line}");
    }
    assert_eq!(jobs(&hub).len(), 2);

    // The fan-out to named devices (not a query) reads their manifests by id in one query; a
    // device the hub does not have fails on its own (4) while the others run.
    let fine: Vec<&String> = job
        .iter()
        .filter(|(_, (ok, _))| *ok)
        .map(|(id, _)| id)
        .take(2)
        .collect();
    let named = hub
        .dmctl(&[
            "info", "-d", fine[0], "-d", "nobody", "-d", fine[1], "-o", "json",
        ])
        .run();
    named.assert_code(10);
    let results = outcomes(&named.json());
    assert_eq!(results[fine[0].as_str()], (true, None));
    assert_eq!(results[fine[1].as_str()], (true, None));
    assert_eq!(results["nobody"], (false, Some(4)));

    // dm.reboot answers 202: the job only starts it, and --wait follows every operation to
    // its end. A fifth of the reboots end failed (7), the same devices either way.
    let via_job = hub
        .dmctl(&[
            "reboot",
            "--query",
            "*",
            "--via-job",
            "--wait",
            "--yes",
            "-o",
            "json",
        ])
        .run();
    via_job.assert_code(10);
    let fan_out = hub
        .dmctl(&[
            "reboot",
            "--query",
            "*",
            "--wait",
            "--yes",
            "--concurrency",
            "32",
            "-o",
            "json",
        ])
        .run();
    fan_out.assert_code(10);
    let (direct, job) = (outcomes(&fan_out.json()), outcomes(&via_job.json()));
    assert_eq!(direct, job, "the job's outcomes differ from the fan-out's");
    let rebooted_badly = failed(&job);
    assert!(
        !rebooted_badly.is_empty() && rebooted_badly.len() < COUNT / 2,
        "{rebooted_badly:?}"
    );
    assert!(job.values().all(|(ok, code)| *ok || *code == Some(7)));
    let doc = via_job.json();
    let ok = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ok"] == json!(true))
        .unwrap();
    assert_eq!(ok["result"]["operation"]["state"], "succeeded", "{ok}");

    // Without --yes, a disruptive job over several devices is refused before it is created.
    let refused = hub.dmctl(&["reboot", "--query", "*", "--via-job"]).run();
    refused.assert_code(2);
    assert_eq!(jobs(&hub).len(), 3);

    // A desired-state change goes as a twin job, to named devices; a device the hub does not
    // have is reported as such (4), the others follow the agent applying it.
    let named = hub
        .dmctl(&[
            "time",
            "set",
            "--tz",
            "Europe/Paris",
            "-d",
            "vj-1",
            "-d",
            "vj-2",
            "-d",
            "vj-missing",
            "--via-job",
            "--wait",
            "-o",
            "json",
        ])
        .run();
    named.assert_code(10);
    let results = outcomes(&named.json());
    assert_eq!(results["vj-1"], (true, None));
    assert_eq!(results["vj-2"], (true, None));
    assert_eq!(results["vj-missing"], (false, Some(4)));
    let twin = hub
        .dmctl(&["twin", "show", "--device", "vj-2", "-o", "json"])
        .run();
    twin.assert_code(0);
    assert_eq!(
        twin.json()["properties"]["desired"]["dm"]["time"]["timeZone"],
        "Europe/Paris"
    );
    let listed = jobs(&hub);
    assert!(
        listed.iter().any(|j| j["type"] == "scheduleUpdateTwin"),
        "{listed:?}"
    );

    // What one payload cannot say is refused before anything is sent.
    let approve = hub
        .dmctl(&["updates", "approve", "openssl", "--query", "*", "--via-job"])
        .run();
    approve.assert_code(2);
    assert!(approve.stderr.contains("--replace"), "{}", approve.stderr);
}
