//! Network faults between the real `dm-agent` daemon and the local hub through the TCP fault
//! proxy of `test_support::fault_proxy` (issue 13, HARDENING.md § Network faults). Unlike
//! `netfault` (`tc netem`, root and a kernel with `sch_netem` only), these run everywhere.
//!
//! The daemon's MQTT connection goes through the proxy (its connection string's
//! `GatewayHostName` names the proxy's port; TLS passes through untouched), while the test's
//! service calls go to the hub directly: the operator's side stays healthy while the device's
//! link suffers. Each scenario has its own hub, device and proxy, so the test harness runs them
//! side by side. Each checks what a device owner relies on: the agent converges on the last
//! desired state, nothing reported is lost or overwritten by something older, no operation runs
//! twice (one download per install), and every envelope ends in a final state that is true.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use test_support::fault_proxy::{Fault, FaultProxy};

use crate::common::TestHub;
use crate::core_common::sha256;
use crate::crash::{Daemon, kill, start_daemon_with, wait_connected};
use crate::netfault::{assert_envelopes_final, converged_on_zone, slow_server};

/// How long the agent may take to converge once the link is back (reconnect backoff included).
const CONVERGE: Duration = Duration::from_secs(120);

/// A device `id` whose daemon reaches the hub's MQTT port only through a fault proxy, with
/// fast reconnection (and `env` on top).
async fn device_behind_proxy(
    hub: &TestHub,
    id: &str,
    dir: &Path,
    seed: u64,
    env: &[(&str, &str)],
) -> (FaultProxy, Daemon) {
    let proxy = FaultProxy::start(hub.hub.mqtt_addr(), seed).await.unwrap();
    let mut cs = hub.device(id);
    cs.gateway_host_name = Some(format!("localhost:{}", proxy.addr().port()));
    let mut all = vec![
        ("DM_AGENT_RECONNECT_INITIAL_DELAY", "200ms"),
        ("DM_AGENT_RECONNECT_MAX_DELAY", "2s"),
        ("DM_AGENT_KEEP_ALIVE", "5s"),
    ];
    all.extend_from_slice(env);
    let daemon = start_daemon_with(hub, &cs.expose_secret(), dir, &all);
    wait_connected(dir).await;
    (proxy, daemon)
}

/// Waits for `section` operation `op` to reach a final state, within [`CONVERGE`].
async fn final_envelope(hub: &TestHub, id: &str, section: &str, op: &str) -> Value {
    crate::crash::final_envelope_within(CONVERGE, hub, id, section, op).await
}

/// Starts an install whose download takes about `over`; returns the operation id and the
/// download counter.
async fn slow_install(
    hub: &TestHub,
    id: &str,
    over: Duration,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let package = vec![42_u8; 256 * 1024];
    let (base, requests) = slow_server(package.clone(), over).await;
    let install = json!({"name": "nf-app", "url": format!("{base}/nf-app.deb"),
                         "sha256": sha256(&package), "version": "1.0.0"});
    let (code, accepted) = hub.call(id, "dm.apps.install", install).await;
    assert_eq!(code, 202, "{accepted}");
    let op = accepted["operationId"].as_str().unwrap().to_owned();
    (op, requests)
}

/// Checks the install of [`slow_install`] ended well, ran once, and left the app installed.
async fn assert_installed_once(
    hub: &TestHub,
    id: &str,
    dir: &Path,
    op: &str,
    requests: &std::sync::atomic::AtomicUsize,
) -> Value {
    let envelope = final_envelope(hub, id, "apps", op).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "the install ran once (one download)"
    );
    assert!(dir.join("sandbox/apps/nf-app/app.json").exists());
    envelope
}

/// A long method (an app install) in flight when the link is cut mid-packet and stays down
/// for five seconds: the work goes on offline, its final envelope reaches the hub once the
/// link is back, and it ran once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_method_in_flight_survives_a_cut_link() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let (proxy, daemon) = device_behind_proxy(&hub, "np-method", dir, 1, &[]).await;
    let (op, requests) = slow_install(&hub, "np-method", Duration::from_secs(4)).await;
    // Drip so the cut lands inside whatever packet is moving.
    proxy.set(Fault::Drip {
        bytes: 7,
        every: Duration::from_millis(5),
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    proxy.down();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let back = Instant::now();
    proxy.restore();
    let envelope = assert_installed_once(&hub, "np-method", dir, &op, &requests).await;
    eprintln!(
        "netproxy: install across a 5 s cut -> converged {:?} after restore, {:?}, {envelope}",
        back.elapsed(),
        proxy.stats()
    );
    assert!(
        proxy.stats().connections >= 2,
        "the agent reconnected: {:?}",
        proxy.stats()
    );
    kill(daemon).await;
}

/// Desired changes (each answered by reported patches) while the link is cut and restored
/// every few seconds for a minute: the agent ends on the last change, every envelope it
/// reported is final and succeeded, and nothing older overwrote the last report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reported_patches_survive_a_flapping_link() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let (proxy, daemon) = device_behind_proxy(&hub, "np-flap", dir, 2, &[]).await;
    let zones = [
        "Europe/Paris",
        "Europe/Berlin",
        "America/New_York",
        "Europe/Madrid",
        "Europe/Lisbon",
        "Asia/Tokyo",
    ];
    let start = Instant::now();
    let mut i = 0;
    while start.elapsed() < Duration::from_secs(60) {
        let zone = zones[i % zones.len()];
        hub.patch_desired("np-flap", json!({"dm": {"time": {"timeZone": zone}}}))
            .await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        // Cut every other step, in the middle of whatever is moving.
        if i % 2 == 0 {
            proxy.cut();
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        i += 1;
    }
    let last = "Australia/Sydney";
    hub.patch_desired("np-flap", json!({"dm": {"time": {"timeZone": last}}}))
        .await;
    proxy.cut();
    let back = Instant::now();
    let envelope = converged_on_zone(&hub, "np-flap", last).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let reported = hub.reported("np-flap").await;
    assert_eq!(
        reported["dm"]["time"]["timeZone"], last,
        "nothing older won"
    );
    assert_envelopes_final(&reported);
    let stats = proxy.stats();
    eprintln!(
        "netproxy: {i} desired changes over a minute of flapping ({} cuts, {} connections) -> \
         converged {:?} after the last cut, {envelope}",
        stats.cuts,
        stats.connections,
        back.elapsed()
    );
    assert!(stats.connections > stats.cuts / 2, "{stats:?}");
    kill(daemon).await;
}

/// A desired change made while the device is offline (new connections refused), with SAS
/// tokens of 5 s lifetime on a hub with no clock-skew grace, so every token the agent held
/// expires during the 12 s outage: once the link is back the agent signs a fresh one, connects
/// and applies the change it missed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desired_change_made_offline_arrives_after_tokens_expired() {
    let hub = TestHub::start_strict().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let (proxy, daemon) =
        device_behind_proxy(&hub, "np-offline", dir, 3, &[("DM_AGENT_TOKEN_TTL", "5s")]).await;
    proxy.down();
    hub.patch_desired(
        "np-offline",
        json!({"dm": {"time": {"timeZone": "Asia/Tokyo"}}}),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(12)).await;
    assert_ne!(
        hub.reported("np-offline").await["dm"]["time"]["timeZone"],
        "Asia/Tokyo",
        "the link was down: the change cannot have arrived yet"
    );
    assert!(proxy.stats().refused > 0, "the agent kept trying");
    let back = Instant::now();
    proxy.restore();
    let envelope = converged_on_zone(&hub, "np-offline", "Asia/Tokyo").await;
    eprintln!(
        "netproxy: desired change while offline, tokens expired -> converged {:?} after \
         restore, {:?}, {envelope}",
        back.elapsed(),
        proxy.stats()
    );
    assert_envelopes_final(&hub.reported("np-offline").await);
    kill(daemon).await;
}

/// The hub stopped and started again (same data directory and ports) while an install runs:
/// the agent reconnects and the install's final envelope arrives, the install ran once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_restarted_mid_operation() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let (proxy, daemon) = device_behind_proxy(&hub, "np-restart", dir, 4, &[]).await;
    let (op, requests) = slow_install(&hub, "np-restart", Duration::from_secs(4)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stopped = hub.stop().await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let hub = stopped.restart().await;
    let back = Instant::now();
    let envelope = assert_installed_once(&hub, "np-restart", dir, &op, &requests).await;
    eprintln!(
        "netproxy: hub restarted mid-install -> converged {:?} after restart, {:?}, {envelope}",
        back.elapsed(),
        proxy.stats()
    );
    assert!(proxy.stats().connections >= 2, "{:?}", proxy.stats());
    kill(daemon).await;
}

/// A minute of a lossy link: 30 % of the chunks held 600 ms (a retransmission timeout) with
/// 50 ms ± 30 ms of delay on the rest, while desired changes keep coming and an install runs:
/// everything converges, in order, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_percent_loss_for_a_minute() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let (proxy, daemon) = device_behind_proxy(&hub, "np-loss", dir, 5, &[]).await;
    proxy.set(Fault::Lossy {
        stall_probability: 0.3,
        stall_for: Duration::from_millis(600),
    });
    let (op, requests) = slow_install(&hub, "np-loss", Duration::from_secs(4)).await;
    let zones = ["Europe/Paris", "Europe/Berlin", "America/New_York"];
    let start = Instant::now();
    let mut i = 0;
    while start.elapsed() < Duration::from_secs(60) {
        let zone = zones[i % zones.len()];
        hub.patch_desired("np-loss", json!({"dm": {"time": {"timeZone": zone}}}))
            .await;
        tokio::time::sleep(Duration::from_secs(4)).await;
        i += 1;
    }
    let last = "Europe/Lisbon";
    hub.patch_desired("np-loss", json!({"dm": {"time": {"timeZone": last}}}))
        .await;
    let converge = Instant::now();
    let envelope = converged_on_zone(&hub, "np-loss", last).await;
    let took = converge.elapsed();
    assert_installed_once(&hub, "np-loss", dir, &op, &requests).await;
    proxy.restore();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let reported = hub.reported("np-loss").await;
    assert_eq!(
        reported["dm"]["time"]["timeZone"], last,
        "nothing older won"
    );
    assert_envelopes_final(&reported);
    eprintln!(
        "netproxy: {i} desired changes through a minute of 30 % loss -> last one applied \
         {took:?} after it was made, {:?}, {envelope}",
        proxy.stats()
    );
    kill(daemon).await;
}

/// A link that goes silent without closing (no FIN, no RST: a stalled route) for 15 s while a
/// desired change is made: only the MQTT keep-alive (5 s here) can tell the connection is dead.
/// Once bytes move again the agent applies the change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_stalled_link_is_noticed_and_recovered() {
    let hub = TestHub::start().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let (proxy, daemon) = device_behind_proxy(&hub, "np-stall", dir, 6, &[]).await;
    proxy.set(Fault::Stall);
    hub.patch_desired(
        "np-stall",
        json!({"dm": {"time": {"timeZone": "Europe/Oslo"}}}),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(15)).await;
    assert_ne!(
        hub.reported("np-stall").await["dm"]["time"]["timeZone"],
        "Europe/Oslo",
        "nothing moved: the change cannot have arrived yet"
    );
    let back = Instant::now();
    proxy.restore();
    let envelope = converged_on_zone(&hub, "np-stall", "Europe/Oslo").await;
    eprintln!(
        "netproxy: 15 s silent stall -> converged {:?} after restore, {:?}, {envelope}",
        back.elapsed(),
        proxy.stats()
    );
    assert_envelopes_final(&hub.reported("np-stall").await);
    assert!(
        proxy.stats().connections >= 2,
        "the keep-alive noticed the dead link and the agent connected again: {:?}",
        proxy.stats()
    );
    kill(daemon).await;
}
