//! Crash durability: the hub killed with SIGKILL under mixed write load, restarted on the same
//! data directory, and every write it acknowledged looked for (issue 13, HARDENING.md § Crash
//! durability).
//!
//! The hub runs in a child process (this test binary started again on [`hub_process`]), so the
//! kill is a real `kill -9` of a process with open SQLite files, not a dropped task. The load
//! goes through the public wire only (REST, MQTT, the storage endpoint), and a write counts as
//! acknowledged only once its answer arrived: HTTP 2xx, or the twin response 204 of a reported
//! patch. How the hub commits (one transaction per write, or a group commit) is not assumed:
//! the test holds for any commit path that acknowledges only what is on disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use iothub_auth::ConnectionString;
use rand::Rng as _;
use reqwest::{Method, StatusCode};
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS, Transport};
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::common::{API, Answer, TestHub, config, start_with};
use crate::device::tls_trusting;

/// The environment variable that turns [`hub_process`] into a hub on that data directory.
const CHILD_DIR: &str = "DMCTL_CRASH_HUB_DIR";
/// What [`hub_process`] prints, with its ports, once it listens.
const READY: &str = "crash-hub-ready";
/// How many times the hub is killed.
const KILLS: usize = 5;
/// The device whose desired properties the service patches.
const DESIRED_DEVICE: &str = "crash-desired";
/// The device that sends reported patches over MQTT.
const REPORTING_DEVICE: &str = "crash-reporter";
/// The device that uploads files.
const UPLOADING_DEVICE: &str = "crash-uploader";

/// The hub of [`acknowledged_writes_survive_sigkill_under_mixed_load`], in a process of its
/// own that the test kills. Not a test by itself: it needs the data directory in `CHILD_DIR`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the hub process that crash::acknowledged_writes_survive_sigkill_under_mixed_load starts and kills"]
async fn hub_process() {
    let dir = std::env::var_os(CHILD_DIR)
        .unwrap_or_else(|| panic!("started without {CHILD_DIR}: this is the crash test's hub"));
    let hub = iothub_emulator::start(config(Path::new(&dir)))
        .await
        .expect("the hub starts on the crash test's data directory");
    println!(
        "{READY} https={} mqtt={}",
        hub.https_addr().port(),
        hub.mqtt_addr().port()
    );
    // Serves until killed: the point is that it never shuts down cleanly.
    std::future::pending::<()>().await;
}

/// Every write the hub acknowledged, and the job progress it showed.
#[derive(Default)]
struct Ledger {
    /// Devices created (`PUT /devices/{id}` answered 200).
    devices: Vec<String>,
    /// Desired properties of [`DESIRED_DEVICE`] patched (`PATCH /twins` answered 200).
    desired: Vec<(String, u64)>,
    /// Reported properties of [`REPORTING_DEVICE`] (twin response 204 over MQTT).
    reported: Vec<(String, u64)>,
    /// File uploads whose completion notification was answered 204 (correlation ids).
    uploads: Vec<String>,
    /// Jobs created (`PUT /jobs/v2/{id}` answered 200), with the most devices the hub showed
    /// as finished (succeeded or failed) before the kill.
    jobs: BTreeMap<String, u64>,
}

impl Ledger {
    fn total(&self) -> usize {
        self.devices.len()
            + self.desired.len()
            + self.reported.len()
            + self.uploads.len()
            + self.jobs.len()
    }
}

type Shared = Arc<Mutex<Ledger>>;

fn ledger(shared: &Shared) -> std::sync::MutexGuard<'_, Ledger> {
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A hub in a child process, and a client for it built from its data directory alone.
struct ChildHub {
    child: Child,
    client: reqwest::Client,
    base: String,
    host: String,
    owner: ConnectionString,
    mqtt_port: u16,
    ca_pem: String,
}

impl ChildHub {
    /// Starts this test binary as [`hub_process`] on `dir` and waits until it listens.
    fn spawn(dir: &Path) -> Self {
        let exe = std::env::current_exe().expect("the test binary's path");
        let mut child = Command::new(exe)
            .args([
                "crash::hub_process",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the hub process starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut ports = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("the hub process's output");
            // libtest prints `test crash::hub_process ... ` before the test runs, on the same
            // line.
            if let Some((_, rest)) = line.split_once(READY) {
                let port = |key: &str| -> u16 {
                    rest.split_whitespace()
                        .find_map(|w| w.strip_prefix(key))
                        .and_then(|p| p.parse().ok())
                        .unwrap_or_else(|| panic!("no {key} in '{line}'"))
                };
                ports = Some((port("https="), port("mqtt=")));
                break;
            }
        }
        let (https_port, mqtt_port) = ports.expect("the hub process said where it listens");
        let ca_pem = std::fs::read_to_string(dir.join("ca.pem")).expect("the hub's CA");
        let ca = reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap();
        let client = reqwest::Client::builder()
            .tls_certs_only([ca])
            .resolve(
                "localhost",
                std::net::SocketAddr::from(([127, 0, 0, 1], https_port)),
            )
            .no_proxy()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let host = format!("localhost:{https_port}");
        let owner = iothub_emulator::connection_string_for_policy(dir, "iothubowner", &host)
            .expect("the owner policy");
        Self {
            child,
            client,
            base: format!("https://{host}"),
            host,
            owner,
            mqtt_port,
            ca_pem,
        }
    }

    /// SIGKILL, then reap.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL the hub");
        self.child.wait().expect("reap the hub");
    }
}

impl Drop for ChildHub {
    /// A failing test must not leave its hub serving forever (already reaped: nothing to do).
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the load tasks need to reach the child hub (cheap to clone into each task).
#[derive(Clone)]
struct Wire {
    client: reqwest::Client,
    base: String,
    host: String,
    owner: ConnectionString,
}

impl Wire {
    fn of(hub: &ChildHub) -> Self {
        Self {
            client: hub.client.clone(),
            base: hub.base.clone(),
            host: hub.host.clone(),
            owner: hub.owner.clone(),
        }
    }

    /// Sends a request with `token`; `None` when the hub is gone (the kill landed).
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        token: &str,
    ) -> Option<Answer> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut request = self
            .client
            .request(method, format!("{}{path}{sep}{API}", self.base))
            .header("authorization", token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json; charset=utf-8")
                .body(body.to_string());
        }
        // A request cut by the kill is not an acknowledgement; `send` would panic on it.
        let response = request.send().await.ok()?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.ok()?;
        Some(Answer {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        })
    }

    async fn service(&self, method: Method, path: &str, body: Option<Value>) -> Option<Answer> {
        let token = TestHub::token_for(&self.owner);
        self.call(method, path, body, &token).await
    }

    fn device_token(&self, dir: &Path, id: &str) -> String {
        let cs = iothub_emulator::connection_string_for_device(dir, id, false, &self.host, None)
            .expect("the device exists");
        TestHub::token_for(&cs)
    }
}

/// Creates devices until the hub dies.
async fn create_devices(wire: Wire, round: usize, shared: Shared) {
    for i in 0.. {
        let id = format!("crash-r{round}-d{i}");
        let path = format!("/devices/{id}");
        match wire
            .service(Method::PUT, &path, Some(json!({"deviceId": id})))
            .await
        {
            Some(a) if a.status == StatusCode::OK => ledger(&shared).devices.push(id),
            _ => return,
        }
    }
}

/// Patches [`DESIRED_DEVICE`]'s desired properties until the hub dies.
async fn patch_desired(wire: Wire, round: usize, shared: Shared) {
    for i in 0_u64.. {
        let key = format!("r{round}n{i}");
        let path = format!("/twins/{DESIRED_DEVICE}");
        let body = json!({"properties": {"desired": {&key: i}}});
        match wire.service(Method::PATCH, &path, Some(body)).await {
            Some(a) if a.status == StatusCode::OK => ledger(&shared).desired.push((key, i)),
            _ => return,
        }
    }
}

/// Sends reported patches over MQTT until the hub dies, one at a time: a patch counts once its
/// twin response 204 arrived.
async fn report(
    wire: Wire,
    dir: std::path::PathBuf,
    ca_pem: String,
    mqtt_port: u16,
    round: usize,
    shared: Shared,
) {
    let mut opts = MqttOptions::new(REPORTING_DEVICE, "localhost", mqtt_port);
    opts.set_transport(Transport::tls_with_config(tls_trusting(&ca_pem, None)));
    opts.set_credentials(
        format!("{}/{REPORTING_DEVICE}/?api-version=2021-04-12", wire.host),
        wire.device_token(&dir, REPORTING_DEVICE),
    );
    opts.set_keep_alive(Duration::from_secs(60));
    let (client, mut eventloop) = AsyncClient::new(opts, 16);
    if client
        .subscribe("$iothub/twin/res/#", QoS::AtLeastOnce)
        .await
        .is_err()
    {
        return;
    }
    // Wait for the SUBACK before the first request, so no response is missed.
    loop {
        match eventloop.poll().await {
            Ok(Event::Incoming(Packet::SubAck(_))) => break,
            Ok(_) => {}
            Err(_) => return,
        }
    }
    for i in 0_u64.. {
        let key = format!("r{round}n{i}");
        let topic = format!("$iothub/twin/PATCH/properties/reported/?$rid={i}");
        let body = json!({ &key: i }).to_string();
        if client
            .publish(topic, QoS::AtLeastOnce, false, body)
            .await
            .is_err()
        {
            return;
        }
        let want = format!("$rid={i}");
        loop {
            match eventloop.poll().await {
                Ok(Event::Incoming(Packet::Publish(p)))
                    if p.topic.starts_with("$iothub/twin/res/")
                        && p.topic.split(['?', '&']).any(|part| part == want) =>
                {
                    if p.topic.starts_with("$iothub/twin/res/204/") {
                        ledger(&shared).reported.push((key, i));
                        break;
                    }
                    panic!("the hub refused reported patch {i}: {}", p.topic);
                }
                Ok(_) => {}
                Err(_) => return,
            }
        }
    }
}

/// Uploads small files and notifies their completion until the hub dies.
async fn upload(wire: Wire, dir: std::path::PathBuf, round: usize, shared: Shared) {
    let token = wire.device_token(&dir, UPLOADING_DEVICE);
    for i in 0.. {
        let name = format!("r{round}/f{i}.bin");
        let files = format!("/devices/{UPLOADING_DEVICE}/files");
        let Some(created) = wire
            .call(
                Method::POST,
                &files,
                Some(json!({"blobName": name})),
                &token,
            )
            .await
            .filter(|a| a.status == StatusCode::OK)
        else {
            return;
        };
        let info = created.body;
        // The blob name has no character that needs escaping.
        let url = format!(
            "https://{}/{}/{}{}",
            info["hostName"].as_str().unwrap(),
            info["containerName"].as_str().unwrap(),
            info["blobName"].as_str().unwrap(),
            info["sasToken"].as_str().unwrap(),
        );
        let put = wire
            .client
            .put(&url)
            .header("x-ms-blob-type", "BlockBlob")
            .body(format!("upload {i} of round {round}"))
            .send()
            .await;
        if !put.is_ok_and(|r| r.status() == StatusCode::CREATED) {
            return;
        }
        let correlation = info["correlationId"].as_str().unwrap().to_string();
        let notification = json!({"correlationId": correlation, "isSuccess": true,
                                  "statusCode": 200, "statusDescription": "done"});
        match wire
            .call(
                Method::POST,
                &format!("{files}/notifications"),
                Some(notification),
                &token,
            )
            .await
        {
            Some(a) if a.status == StatusCode::NO_CONTENT => {
                ledger(&shared).uploads.push(correlation);
            }
            _ => return,
        }
    }
}

/// Starts a twin-update job over every device and follows its progress until the hub dies.
async fn run_job(wire: Wire, round: usize, shared: Shared) {
    let id = format!("crash-job-{round}");
    let path = format!("/jobs/v2/{id}");
    let body = json!({"jobId": id, "type": "scheduleUpdateTwin", "queryCondition": "*",
                      "startTime": jiff::Timestamp::now().to_string(),
                      "maxExecutionTimeInSeconds": 3600,
                      "updateTwin": {"etag": "*", "tags": {format!("crashJob{round}"): 1}}});
    match wire.service(Method::PUT, &path, Some(body)).await {
        Some(a) if a.status == StatusCode::OK => {
            ledger(&shared).jobs.insert(id.clone(), 0);
        }
        _ => return,
    }
    loop {
        let Some(answer) = wire.service(Method::GET, &path, None).await else {
            return;
        };
        let stats = &answer.body["deviceJobStatistics"];
        let finished = stats["succeededCount"].as_u64().unwrap_or(0)
            + stats["failedCount"].as_u64().unwrap_or(0);
        if let Some(seen) = ledger(&shared).jobs.get_mut(&id) {
            *seen = (*seen).max(finished);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What was found of `ledger` in a hub restarted on the data directory, kind by kind:
/// (kind, acknowledged, found, what is missing).
async fn check(t: &TestHub, ledger: &Ledger) -> Vec<(&'static str, usize, usize, Vec<String>)> {
    let mut rows = Vec::new();

    let mut missing = Vec::new();
    for id in &ledger.devices {
        if t.get(&format!("/devices/{id}")).await.status != StatusCode::OK {
            missing.push(id.clone());
        }
    }
    rows.push((
        "registry creates",
        ledger.devices.len(),
        ledger.devices.len() - missing.len(),
        missing,
    ));

    let twin = t.get(&format!("/twins/{DESIRED_DEVICE}")).await.body;
    let missing: Vec<String> = ledger
        .desired
        .iter()
        .filter(|(key, n)| twin["properties"]["desired"][key] != json!(n))
        .map(|(key, _)| key.clone())
        .collect();
    rows.push((
        "desired patches (REST)",
        ledger.desired.len(),
        ledger.desired.len() - missing.len(),
        missing,
    ));

    let twin = t.get(&format!("/twins/{REPORTING_DEVICE}")).await.body;
    let missing: Vec<String> = ledger
        .reported
        .iter()
        .filter(|(key, n)| twin["properties"]["reported"][key] != json!(n))
        .map(|(key, _)| key.clone())
        .collect();
    rows.push((
        "reported patches (MQTT)",
        ledger.reported.len(),
        ledger.reported.len() - missing.len(),
        missing,
    ));

    let completed: BTreeSet<String> = t
        .hub
        .hub()
        .file_uploads()
        .expect("uploads readable")
        .into_iter()
        .filter(|u| u.completion.as_ref().is_some_and(|c| c.is_success))
        .map(|u| u.correlation_id)
        .collect();
    let missing: Vec<String> = ledger
        .uploads
        .iter()
        .filter(|c| !completed.contains(*c))
        .cloned()
        .collect();
    rows.push((
        "file-upload completions",
        ledger.uploads.len(),
        ledger.uploads.len() - missing.len(),
        missing,
    ));

    let mut missing = Vec::new();
    let (mut shown, mut kept) = (0, 0);
    for (id, seen) in &ledger.jobs {
        let job = t.get(&format!("/jobs/v2/{id}")).await;
        let stats = &job.body["deviceJobStatistics"];
        let finished = stats["succeededCount"].as_u64().unwrap_or(0)
            + stats["failedCount"].as_u64().unwrap_or(0);
        shown += seen;
        kept += finished.min(*seen);
        if job.status != StatusCode::OK || finished < *seen {
            missing.push(format!(
                "{id} (showed {seen} devices done, now {}: {})",
                finished, job.body
            ));
        }
    }
    rows.push((
        "jobs created",
        ledger.jobs.len(),
        ledger.jobs.len() - missing.len(),
        missing.clone(),
    ));
    // Job progress: a device the hub showed as done (succeeded or failed) before the kill is
    // still done after it.
    rows.push((
        "job devices shown done",
        usize::try_from(shown).unwrap_or(usize::MAX),
        usize::try_from(kept).unwrap_or(usize::MAX),
        missing,
    ));
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_under_mixed_load() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_path_buf();
    let shared: Shared = Arc::default();
    let seed: u64 = rand::rng().random();
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
    eprintln!("crash: kill delays from seed {seed}");

    for round in 0..KILLS {
        let hub = ChildHub::spawn(&dir);
        let wire = Wire::of(&hub);
        if round == 0 {
            for id in [DESIRED_DEVICE, REPORTING_DEVICE, UPLOADING_DEVICE] {
                let answer = wire
                    .service(
                        Method::PUT,
                        &format!("/devices/{id}"),
                        Some(json!({"deviceId": id})),
                    )
                    .await
                    .expect("the hub answers");
                assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
                ledger(&shared).devices.push(id.to_string());
            }
        }
        let before = ledger(&shared).total();
        let mut load = JoinSet::new();
        load.spawn(create_devices(wire.clone(), round, shared.clone()));
        load.spawn(patch_desired(wire.clone(), round, shared.clone()));
        load.spawn(report(
            wire.clone(),
            dir.clone(),
            hub.ca_pem.clone(),
            hub.mqtt_port,
            round,
            shared.clone(),
        ));
        load.spawn(upload(wire.clone(), dir.clone(), round, shared.clone()));
        load.spawn(run_job(wire.clone(), round, shared.clone()));

        // Kill at a random point once the load is flowing: every kind must have had at least
        // one write acknowledged, so each kill lands in the middle of all of them.
        tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                {
                    let l = ledger(&shared);
                    let name = format!("crash-job-{round}");
                    let job_started = l.jobs.get(&name).is_some_and(|n| *n > 0);
                    if l.devices
                        .iter()
                        .any(|d| d.starts_with(&format!("crash-r{round}-")))
                        && l.desired
                            .iter()
                            .any(|(k, _)| k.starts_with(&format!("r{round}n")))
                        && l.reported
                            .iter()
                            .any(|(k, _)| k.starts_with(&format!("r{round}n")))
                        && !l.uploads.is_empty()
                        && (round == 0 || job_started)
                    {
                        break;
                    }
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("every kind of write acknowledged within a minute");
        let delay = Duration::from_millis(rng.random_range(100..2500));
        tokio::time::sleep(delay).await;
        tokio::task::spawn_blocking(move || hub.kill())
            .await
            .unwrap();
        // The load tasks end on their own once the hub is gone; acknowledgements arriving after
        // the kill cannot exist, so the ledger is final for this round.
        while let Some(done) = load.join_next().await {
            done.expect("a load task panicked");
        }

        let t = start_with(config(&dir)).await;
        let snapshot = std::mem::take(&mut *ledger(&shared));
        let rows = check(&t, &snapshot).await;
        *ledger(&shared) = snapshot;
        t.hub.shutdown().await.unwrap();

        let total = ledger(&shared).total();
        let mut lost = Vec::new();
        let mut summary = format!(
            "crash: kill {} after {delay:?} of load ({} writes acknowledged this round)",
            round + 1,
            total - before
        );
        for (kind, acknowledged, found, missing) in rows {
            let _ = write!(
                summary,
                "\n  {kind}: {acknowledged} acknowledged, {found} found"
            );
            if !missing.is_empty() {
                lost.push(format!("{kind}: {missing:?}"));
            }
        }
        eprintln!("{summary}");
        assert!(
            lost.is_empty(),
            "acknowledged writes lost after kill {}:\n{}",
            round + 1,
            lost.join("\n")
        );
    }
}
