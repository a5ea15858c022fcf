//! The simulated devices: a child process holding N MQTT/TLS sessions that answer direct
//! methods at once, report state before answering (as dm-agent does), or send reported patches
//! as fast as the hub acknowledges them.
//!
//! The devices live in a separate process (this bench re-executed with `--clients`) so that the
//! hub's resident memory and file descriptors are measured without the clients' share, and so
//! both sides together can exceed one process's descriptor limit. Each device is a raw MQTT
//! 3.1.1 session (rumqttc's codec over tokio-rustls) rather than a full rumqttc event loop: the
//! point is to load the server, and a lean client lets one 2-core machine hold many of them.
//!
//! The child prints `progress` lines and one `ready connected failed elapsed-ms [first error]`
//! line on stdout, then answers methods until its stdin closes or its deadline passes. In
//! [`DeviceMode::ReportLoop`] it then reports for the given time and prints one `reported`
//! line (the load driver's result format) before waiting for its stdin to close.
//!
//! Devices dial from several loopback source addresses (127.0.0.1, .2, …, one per
//! [`PER_SOURCE_ADDRESS`] devices) so that a fleet larger than the ephemeral port range can
//! connect to one hub port.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use rumqttc::mqttbytes::QoS;
use rumqttc::mqttbytes::v4::{
    Codec, Connect, ConnectReturnCode, Login, Packet, Publish, Subscribe,
};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio_util::codec::Framed;

use crate::Error;
use crate::child::{self, Helper};
use crate::service::{LoadResult, Summary};

/// How many TLS handshakes + CONNECT/SUBSCRIBE exchanges the fleet keeps in flight. Enough to
/// keep both cores busy without overflowing the listener's accept backlog.
pub const CONNECTS_IN_FLIGHT: usize = 128;

/// Devices per loopback source address (the ephemeral port range holds ~28,000 ports).
pub const PER_SOURCE_ADDRESS: usize = 20_000;

/// What each device does once connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceMode {
    /// Answers each method call at once.
    Echo,
    /// Before answering a method call, reports `{"lastCall": rid}` and waits for the hub's
    /// 204 (what dm-agent does: state first, then the answer).
    ReportFirst,
    /// Sends reported patches back to back for this long, each after the previous one was
    /// acknowledged, and counts them.
    ReportLoop(Duration),
}

impl DeviceMode {
    fn to_arg(self) -> String {
        match self {
            Self::Echo => "echo".into(),
            Self::ReportFirst => "report-first".into(),
            Self::ReportLoop(d) => format!("report-loop:{}", d.as_millis()),
        }
    }

    fn parse(arg: &str) -> Result<Self, Error> {
        match arg {
            "echo" => Ok(Self::Echo),
            "report-first" => Ok(Self::ReportFirst),
            other => {
                let ms = other
                    .strip_prefix("report-loop:")
                    .and_then(|ms| ms.parse().ok())
                    .ok_or_else(|| format!("unknown device mode '{other}'"))?;
                Ok(Self::ReportLoop(Duration::from_millis(ms)))
            }
        }
    }

    fn reports(self) -> bool {
        self != Self::Echo
    }
}

/// The MQTT keep-alive the devices announce; they ping at 3/4 of it.
const KEEP_ALIVE_SECS: u16 = 240;

/// What a device says in its CONNECT: everything is signed in the parent, the child only dials.
pub struct DeviceCredential {
    /// The device id (also the MQTT client id).
    pub id: String,
    /// The SAS token used as the MQTT password.
    pub token: String,
}

/// Everything the child needs, passed on its command line.
pub struct FleetSpec {
    /// Where the hub serves MQTT over TLS.
    pub mqtt: SocketAddr,
    /// The hub's `HostName`, as devices put it in their MQTT user name.
    pub host: String,
    /// The hub's CA certificate (PEM file).
    pub ca_path: PathBuf,
    /// One `id token` line per device.
    pub credentials_path: PathBuf,
    /// How many of those devices to connect (the first ones).
    pub count: usize,
    /// The child exits by itself after this long even if the parent never closes its stdin.
    pub deadline: Duration,
    /// What the devices do.
    pub mode: DeviceMode,
}

impl FleetSpec {
    fn to_args(&self) -> Vec<String> {
        vec![
            "--clients".into(),
            self.mqtt.to_string(),
            self.host.clone(),
            self.ca_path.display().to_string(),
            self.credentials_path.display().to_string(),
            self.count.to_string(),
            self.deadline.as_secs().to_string(),
            self.mode.to_arg(),
        ]
    }

    fn from_args(args: &[String]) -> Result<Self, Error> {
        let [mqtt, host, ca, creds, count, deadline, mode] = args else {
            return Err(format!(
                "--clients takes 7 arguments (mqtt-addr host ca-path credentials-path count deadline-secs mode), got {}",
                args.len()
            )
            .into());
        };
        Ok(Self {
            mqtt: mqtt
                .parse()
                .map_err(|e| format!("--clients mqtt address '{mqtt}': {e}"))?,
            host: host.clone(),
            ca_path: ca.into(),
            credentials_path: creds.into(),
            count: count
                .parse()
                .map_err(|e| format!("--clients count '{count}': {e}"))?,
            deadline: Duration::from_secs(
                deadline
                    .parse()
                    .map_err(|e| format!("--clients deadline '{deadline}': {e}"))?,
            ),
            mode: DeviceMode::parse(mode)?,
        })
    }
}

/// Writes the credentials file the child reads.
pub fn write_credentials(path: &Path, devices: &[DeviceCredential]) -> Result<(), Error> {
    let mut text = String::with_capacity(devices.len() * 256);
    for d in devices {
        text.push_str(&d.id);
        text.push(' ');
        text.push_str(&d.token);
        text.push('\n');
    }
    std::fs::write(path, text)
        .map_err(|e| format!("writing device credentials to {}: {e}", path.display()).into())
}

/// The parent's handle on a running fleet.
pub struct Fleet(Helper);

/// How the fleet's connect phase went, as the child measured it.
#[derive(Debug, Clone)]
pub struct Ready {
    /// Sessions connected and subscribed to methods.
    pub connected: usize,
    /// Sessions that failed to connect or subscribe.
    pub failed: usize,
    /// From the first dial to the last SUBACK.
    pub elapsed: Duration,
    /// The first failure, if any.
    pub first_error: Option<String>,
}

impl Fleet {
    /// Starts the device process (this executable with `--clients`).
    pub fn spawn(spec: &FleetSpec) -> Result<Self, Error> {
        Helper::spawn("device fleet", &spec.to_args()).map(Self)
    }

    /// The device process's id, for reading its memory and CPU time.
    pub fn pid(&self) -> Option<u32> {
        self.0.pid()
    }

    /// Waits until every device connected or failed, echoing progress when `verbose`.
    pub async fn ready(&mut self, timeout: Duration, verbose: bool) -> Result<Ready, Error> {
        let line = self
            .0
            .wait_for("ready ", timeout, |other| {
                if let Some(progress) = other.strip_prefix("progress ")
                    && verbose
                {
                    eprintln!("    … {progress} devices connected");
                }
            })
            .await?;
        parse_ready(&line)
    }

    /// In [`DeviceMode::ReportLoop`]: waits for the devices' tally of reported patches.
    pub async fn reported(&mut self, timeout: Duration) -> Result<Summary, Error> {
        let line = self.0.wait_for("reported ", timeout, |_| {}).await?;
        let (numbers, first_error) = match line.split_once(" error: ") {
            Some((numbers, e)) => (numbers, Some(e.to_string())),
            None => (line.as_str(), None),
        };
        Summary::parse(numbers, first_error)
    }

    /// Disconnects every device and waits for the process to exit.
    pub async fn stop(self) -> Result<(), Error> {
        self.0.stop().await
    }
}

fn parse_ready(rest: &str) -> Result<Ready, Error> {
    let mut parts = rest.splitn(4, ' ');
    let mut number = |what: &str| -> Result<u64, Error> {
        parts
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("the fleet's ready line has no {what}: '{rest}'").into())
    };
    let connected = usize::try_from(number("connected count")?)?;
    let failed = usize::try_from(number("failed count")?)?;
    let elapsed = Duration::from_millis(number("elapsed time")?);
    let first_error = parts.next().map(str::to_string);
    Ok(Ready {
        connected,
        failed,
        elapsed,
        first_error,
    })
}

/// The child's entry point: connects the fleet, reports, answers methods until stdin closes.
pub fn child_main(args: &[String]) -> Result<(), Error> {
    let spec = FleetSpec::from_args(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("building the fleet's runtime: {e}"))?;
    runtime.block_on(run_fleet(spec))
}

/// Counters shared by the device tasks and the reporter.
#[derive(Default)]
struct Tally {
    connected: AtomicUsize,
    failed: AtomicUsize,
    first_error: Mutex<Option<String>>,
    /// Reported patches (report-loop mode): latencies of the acknowledged ones, in µs.
    latencies_us: Mutex<Vec<u64>>,
    report_errors: AtomicUsize,
    report_error: Mutex<Option<String>>,
    /// Devices that finished their report loop.
    reports_done: AtomicUsize,
}

async fn run_fleet(spec: FleetSpec) -> Result<(), Error> {
    let creds = std::fs::read_to_string(&spec.credentials_path).map_err(|e| {
        format!(
            "reading device credentials {}: {e}",
            spec.credentials_path.display()
        )
    })?;
    let devices: Vec<DeviceCredential> = creds
        .lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(id, token)| DeviceCredential {
            id: id.to_string(),
            token: token.to_string(),
        })
        .take(spec.count)
        .collect();
    if devices.len() < spec.count {
        return Err(format!(
            "asked for {} devices but the credentials file has {}",
            spec.count,
            devices.len()
        )
        .into());
    }
    let tls = Arc::new(tls_connector(&spec.ca_path)?);
    let tally = Arc::new(Tally::default());
    let gate = Arc::new(Semaphore::new(CONNECTS_IN_FLIGHT));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let mode = spec.mode;
    // Report-loop devices start together, once the whole fleet is connected.
    let (go_tx, go_rx) = tokio::sync::watch::channel(false);
    for (index, device) in devices.into_iter().enumerate() {
        let (tls, tally, gate) = (Arc::clone(&tls), Arc::clone(&tally), Arc::clone(&gate));
        let (mqtt, host) = (spec.mqtt, spec.host.clone());
        let mut go = go_rx.clone();
        tasks.spawn(async move {
            let connected = async {
                let _permit = gate.acquire().await?;
                handshake(
                    &tls,
                    mqtt,
                    source_address(mqtt, index),
                    &host,
                    &device,
                    mode,
                )
                .await
            };
            let session = match connected.await {
                Ok(session) => session,
                Err(e) => {
                    // Record the reason before counting, so the ready line can carry it.
                    tally
                        .first_error
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .get_or_insert_with(|| format!("{}: {e}", device.id));
                    tally.failed.fetch_add(1, Ordering::Relaxed);
                    return;
                }
            };
            tally.connected.fetch_add(1, Ordering::Relaxed);
            let served = match mode {
                DeviceMode::ReportLoop(duration) => {
                    let _ = go.wait_for(|go| *go).await;
                    report_loop(session, duration, &tally).await
                }
                DeviceMode::Echo | DeviceMode::ReportFirst => answer_methods(session, mode).await,
            };
            if let Err(e) = served {
                eprintln!("device fleet: {} lost its session: {e}", device.id);
            }
        });
    }

    report_when_connected(&tally, spec.count, started).await;
    if let DeviceMode::ReportLoop(duration) = mode {
        let began = Instant::now();
        let _ = go_tx.send(true);
        // Every device stops by itself after `duration`; give stragglers a little longer.
        tokio::time::sleep(duration).await;
        let deadline = Instant::now() + Duration::from_secs(30);
        let connected = tally.connected.load(Ordering::Relaxed);
        while tally.reports_done.load(Ordering::Relaxed) < connected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let mut latencies_us = std::mem::take(
            &mut *tally
                .latencies_us
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        latencies_us.sort_unstable();
        let result = LoadResult {
            ok: latencies_us.len() as u64,
            errors: tally.report_errors.load(Ordering::Relaxed) as u64,
            first_error: None,
            elapsed: began.elapsed().min(duration + Duration::from_millis(100)),
            latencies_us,
        };
        // The parent measures every process's CPU itself.
        let line = Summary::of(&result, Duration::ZERO).to_line();
        let first = tally
            .report_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        match first {
            Some(e) => println!("reported {line} error: {}", e.replace('\n', " ")),
            None => println!("reported {line}"),
        }
    }

    // Stay connected until the parent closes our stdin, or the deadline passes.
    tokio::select! {
        () = child::stdin_closed() => {}
        () = tokio::time::sleep(spec.deadline.saturating_sub(started.elapsed())) => {
            eprintln!("device fleet: deadline reached, disconnecting");
        }
    }
    tasks.abort_all();
    Ok(())
}

/// Prints a `progress` line every second and the `ready` line once every device has either
/// connected or failed. Completion is checked often so the reported time is the child's own
/// measurement of the last SUBACK, not rounded up to the progress interval.
async fn report_when_connected(tally: &Tally, total: usize, started: Instant) {
    let mut last_progress = Instant::now();
    loop {
        let connected = tally.connected.load(Ordering::Relaxed);
        let failed = tally.failed.load(Ordering::Relaxed);
        if connected + failed >= total {
            let ms = started.elapsed().as_millis();
            let first = tally
                .first_error
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone();
            match first {
                // Keep it on one line: the parent reads line by line.
                Some(e) => println!("ready {connected} {failed} {ms} {}", e.replace('\n', " ")),
                None => println!("ready {connected} {failed} {ms}"),
            }
            return;
        }
        if last_progress.elapsed() >= Duration::from_secs(1) {
            println!("progress {connected}/{total}");
            last_progress = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn tls_connector(ca_path: &Path) -> Result<tokio_rustls::TlsConnector, Error> {
    let pem = std::fs::read(ca_path)
        .map_err(|e| format!("reading the hub CA {}: {e}", ca_path.display()))?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| format!("parsing the hub CA {}: {e}", ca_path.display()))?;
        roots
            .add(cert)
            .map_err(|e| format!("trusting the hub CA {}: {e}", ca_path.display()))?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("TLS client setup: {e}"))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

type Session = Framed<tokio_rustls::client::TlsStream<TcpStream>, Codec>;

/// Answers every method call with status 200 and the request's own payload (so the caller can
/// check it got *its* answer), and keeps the session alive, until the hub closes it. In
/// [`DeviceMode::ReportFirst`] each answer waits for the reported patch sent before it.
async fn answer_methods(mut session: Session, mode: DeviceMode) -> Result<(), Error> {
    let ping_every = Duration::from_secs(u64::from(KEEP_ALIVE_SECS) * 3 / 4);
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
    // Method answers waiting for their reported patch's 204, by the patch's request id.
    let mut pending: std::collections::HashMap<u64, Publish> = std::collections::HashMap::new();
    let mut next_rid = 0u64;
    loop {
        tokio::select! {
            packet = session.next() => match packet {
                Some(Ok(Packet::Publish(request))) => {
                    if let Some(rest) = request.topic.strip_prefix("$iothub/twin/res/") {
                        let rid = twin_response_rid(rest)?;
                        let reply = pending
                            .remove(&rid)
                            .ok_or_else(|| format!("twin response for unknown request {rid}"))?;
                        session.send(Packet::Publish(reply)).await?;
                    } else if let Some(reply) = method_reply(&request) {
                        if mode == DeviceMode::ReportFirst {
                            next_rid += 1;
                            session.send(Packet::Publish(report(next_rid))).await?;
                            pending.insert(next_rid, reply);
                        } else {
                            session.send(Packet::Publish(reply)).await?;
                        }
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(format!("reading from the hub: {e}").into()),
                None => return Err("the hub closed the connection".into()),
            },
            _ = ping.tick() => session.send(Packet::PingReq).await?,
        }
    }
}

/// A reported patch with request id `rid`, `QoS` 0 as the device SDKs send twin requests.
fn report(rid: u64) -> Publish {
    Publish::new(
        format!("$iothub/twin/PATCH/properties/reported/?$rid={rid}"),
        QoS::AtMostOnce,
        format!("{{\"lastCall\":{rid},\"state\":\"ok\"}}"),
    )
}

/// The request id of a twin response (`{status}/?$rid={rid}[&$version={v}]`), which must be a
/// 204 (a patch applied).
fn twin_response_rid(rest: &str) -> Result<u64, Error> {
    let (status, query) = rest
        .split_once("/?")
        .ok_or_else(|| format!("malformed twin response topic '{rest}'"))?;
    if status != "204" {
        return Err(format!("reported patch refused: {rest}").into());
    }
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("$rid="))
        .and_then(|rid| rid.parse().ok())
        .ok_or_else(|| format!("twin response without a numeric $rid: '{rest}'").into())
}

/// Sends reported patches one after another (each once the previous one was acknowledged) for
/// `duration`, recording each round trip in `tally`.
async fn report_loop(mut session: Session, duration: Duration, tally: &Tally) -> Result<(), Error> {
    let stop = Instant::now() + duration;
    let mut latencies = Vec::new();
    let mut rid = 0u64;
    let outcome = async {
        while Instant::now() < stop {
            rid += 1;
            let sent = Instant::now();
            session.send(Packet::Publish(report(rid))).await?;
            loop {
                match session.next().await {
                    Some(Ok(Packet::Publish(p))) => {
                        if let Some(rest) = p.topic.strip_prefix("$iothub/twin/res/") {
                            if twin_response_rid(rest)? != rid {
                                return Err::<(), Error>(
                                    format!("answer to another request: {}", p.topic).into(),
                                );
                            }
                            break;
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(format!("reading from the hub: {e}").into()),
                    None => return Err("the hub closed the connection".into()),
                }
            }
            latencies.push(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX));
        }
        Ok(())
    }
    .await;
    tally
        .latencies_us
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .extend(latencies);
    if let Err(e) = &outcome {
        tally.report_errors.fetch_add(1, Ordering::Relaxed);
        tally
            .report_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get_or_insert_with(|| e.to_string());
    }
    tally.reports_done.fetch_add(1, Ordering::Relaxed);
    // Stay connected until the parent ends the fleet, so the hub's numbers are not disturbed
    // by disconnects.
    std::future::pending::<()>().await;
    outcome
}

/// The loopback address device `index` dials from: 127.0.0.1 for the first
/// [`PER_SOURCE_ADDRESS`] devices, then .2 and so on; `None` (any) when the hub is not on
/// IPv4 loopback.
fn source_address(hub: SocketAddr, index: usize) -> Option<SocketAddr> {
    let SocketAddr::V4(v4) = hub else { return None };
    if !v4.ip().is_loopback() {
        return None;
    }
    let host = u8::try_from(1 + index / PER_SOURCE_ADDRESS).ok()?;
    Some(SocketAddr::from(([127, 0, 0, host], 0)))
}

async fn handshake(
    tls: &tokio_rustls::TlsConnector,
    mqtt: SocketAddr,
    source: Option<SocketAddr>,
    host: &str,
    device: &DeviceCredential,
    mode: DeviceMode,
) -> Result<Session, Error> {
    let tcp = match source {
        Some(source) => {
            let socket =
                tokio::net::TcpSocket::new_v4().map_err(|e| format!("creating a socket: {e}"))?;
            socket
                .bind(source)
                .map_err(|e| format!("binding to {source}: {e}"))?;
            socket.connect(mqtt).await
        }
        None => TcpStream::connect(mqtt).await,
    }
    .map_err(|e| format!("TCP connect: {e}"))?;
    // Without it, back-to-back method answers on one connection wait for the hub's delayed ACK
    // (Nagle), adding ~40 ms outliers that are the client's doing, not the hub's.
    tcp.set_nodelay(true)
        .map_err(|e| format!("setting TCP_NODELAY: {e}"))?;
    let stream = tls
        .connect("localhost".try_into()?, tcp)
        .await
        .map_err(|e| format!("TLS handshake: {e}"))?;
    let mut session = Framed::new(
        stream,
        Codec {
            max_incoming_size: 256 * 1024,
            max_outgoing_size: 256 * 1024,
        },
    );
    let mut connect = Connect::new(device.id.as_str());
    connect.keep_alive = KEEP_ALIVE_SECS;
    connect.clean_session = false;
    connect.login = Some(Login::new(
        format!("{host}/{}/?api-version=2021-04-12", device.id),
        device.token.as_str(),
    ));
    session.send(Packet::Connect(connect)).await?;
    match session.next().await {
        Some(Ok(Packet::ConnAck(ack))) if ack.code == ConnectReturnCode::Success => {}
        Some(Ok(Packet::ConnAck(ack))) => {
            return Err(format!("CONNECT refused: {:?}", ack.code).into());
        }
        other => return Err(format!("expected CONNACK, got {other:?}").into()),
    }
    session
        .send(Packet::Subscribe(Subscribe::new(
            "$iothub/methods/POST/#",
            QoS::AtMostOnce,
        )))
        .await?;
    // Packets are handled in order, so once the SUBACK is here methods can be routed to us.
    match session.next().await {
        Some(Ok(Packet::SubAck(_))) => {}
        other => return Err(format!("expected SUBACK, got {other:?}").into()),
    }
    if mode.reports() {
        session
            .send(Packet::Subscribe(Subscribe::new(
                "$iothub/twin/res/#",
                QoS::AtMostOnce,
            )))
            .await?;
        match session.next().await {
            Some(Ok(Packet::SubAck(_))) => {}
            other => return Err(format!("expected SUBACK, got {other:?}").into()),
        }
    }
    Ok(session)
}

/// `$iothub/methods/POST/{name}/?$rid={rid}` → `$iothub/methods/res/200/?$rid={rid}`, `QoS` 0 as
/// the device SDKs send method responses.
fn method_reply(request: &Publish) -> Option<Publish> {
    let rest = request.topic.strip_prefix("$iothub/methods/POST/")?;
    let (_, query) = rest.split_once("/?")?;
    let rid = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("$rid="))?;
    Some(Publish::from_bytes(
        format!("$iothub/methods/res/200/?$rid={rid}"),
        QoS::AtMostOnce,
        request.payload.clone(),
    ))
}
