//! The MQTT session to the hub, kept up forever, and the [`Transport`] over it.
//!
//! One task drives the session: connect, subscribe, announce the new session (which makes the
//! twin worker GET the twin and converge), route what arrives, and on any failure back off and
//! start again. rumqttc's event loop runs in its own task and forwards events over a channel,
//! so this loop can also watch the clock (token renewal) and the shutdown signal without
//! cancelling the event loop in the middle of a packet.
//!
//! Renewal is a reconnect with a fresh token, which is how MQTT does it. It first unsubscribes
//! from methods and waits (briefly) until no method answer or twin request is in flight, so
//! renewing does not cut off a method call; reported patches are safe anyway, since they leave
//! the disk queue only on the hub's answer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use futures::future::BoxFuture;
use rumqttc::{
    AsyncClient, ConnectReturnCode, ConnectionError, Event, EventLoop, MqttOptions, Outgoing,
    Packet, QoS, SubscribeFilter, SubscribeReasonCode, TlsConfiguration,
};
use serde_json::Value;
use tokio::sync::{Notify, mpsc, oneshot, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::backoff::{Backoff, ReconnectPolicy};
use super::credentials::DeviceAuth;
use super::files::HubFiles;
use super::handler::Inbound;
use super::queue::{Entry, ReportQueue};
use super::status::{ConnectionStatus, LinkState, status_path};
use super::{ConnectionSettings, Endpoint, tls, topics};
use crate::error::DmError;
use crate::transport::{FileUploadTarget, Transport};

/// The largest MQTT packet either way: method payloads and answers are ≤ 128 KiB and a twin
/// is ≤ 64 KiB of properties, so this leaves room without letting a peer make us buffer
/// megabytes.
const MAX_PACKET: usize = 512 * 1024;
/// How long a TCP + TLS (+ WebSocket) + CONNECT may take.
const CONNECT_TIMEOUT_SECS: u64 = 30;
/// How long renewal waits for in-flight work before reconnecting anyway.
const RENEWAL_DRAIN: Duration = Duration::from_secs(10);
/// A session that lasted this long resets the backoff; a shorter one (accepted, then dropped)
/// keeps backing off, so a hub that closes every session at once is not hammered.
const STABLE_SESSION: Duration = Duration::from_secs(30);
/// How long a graceful DISCONNECT may take.
const DISCONNECT_GRACE: Duration = Duration::from_secs(3);

/// A live session: its client handle and its number.
#[derive(Clone)]
struct Live {
    /// Publishes into this session's event loop.
    client: AsyncClient,
    /// Increases with every session.
    generation: u64,
}

/// An answer on `$iothub/twin/res/#`.
#[derive(Debug)]
struct TwinReply {
    /// The status in the topic.
    status: u16,
    /// The body.
    body: Bytes,
}

/// What the twin worker is told.
enum TwinEvent {
    /// Session `generation` is up: GET the twin and converge.
    Connected(u64),
    /// A desired patch, with the version from the topic.
    Patch(Value, Option<u64>),
}

/// Requests to the session loop from outside.
enum Control {
    /// Disconnect and stay offline this long (a simulated reboot).
    Offline(Duration),
}

/// The session loop's own state, kept across sessions by `drive`.
struct Driver {
    /// Where the hub's traffic goes.
    handler: Arc<dyn Inbound>,
    /// Tells the twin worker about new sessions and desired patches.
    twin_tx: mpsc::UnboundedSender<TwinEvent>,
    /// Requests from outside (going offline).
    control: mpsc::UnboundedReceiver<Control>,
    /// Cancelled on shutdown.
    stop: CancellationToken,
    /// Reconnection delays.
    backoff: Backoff,
    /// The last failure, logged once until it changes.
    last_failure: Option<String>,
    /// The previous session ended for a token renewal (a quiet reconnect).
    renewing: bool,
}

/// How a session ended.
enum End {
    /// Shutdown was requested.
    Stopped,
    /// The token is due for renewal; reconnect at once.
    Renew,
    /// Stay offline for this long, then reconnect.
    Offline(Duration),
    /// The attempt or the session failed.
    Failed {
        /// Why, for logs and `connection.json`.
        error: String,
        /// How long the session had been up, if it came up at all.
        connected_for: Option<Duration>,
    },
}

/// The device's MQTT connection to IoT Hub. Cheap to share (`Arc`); implements [`Transport`].
pub struct MqttConnection {
    /// What to connect to and how.
    settings: ConnectionSettings,
    /// TLS for both transports, built once.
    tls: Arc<rustls::ClientConfig>,
    /// Reported patches waiting for the hub's answer.
    queue: Arc<Mutex<ReportQueue>>,
    /// Wakes the sender when a patch is queued.
    queue_changed: Notify,
    /// The current session, if any.
    live: watch::Sender<Option<Live>>,
    /// Twin requests waiting for their answer, by `$rid`.
    pending: Mutex<HashMap<String, oneshot::Sender<TwinReply>>>,
    /// How many method answers and twin requests are in flight (renewal waits for zero).
    busy: watch::Sender<usize>,
    /// The link state, for observers.
    state: watch::Sender<LinkState>,
    /// What `connection.json` says.
    status: Mutex<ConnectionStatus>,
    /// The session counter.
    generation: AtomicU64,
    /// Control requests to the session loop.
    control_tx: mpsc::UnboundedSender<Control>,
    /// Taken by [`MqttConnection::run`].
    control_rx: Mutex<Option<mpsc::UnboundedReceiver<Control>>>,
    /// The hub's HTTPS device API (file upload).
    files: HubFiles,
}

impl std::fmt::Debug for MqttConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttConnection")
            .field("device_id", &self.settings.identity.device_id)
            .field("endpoint", &self.settings.endpoint)
            .field("state", &*self.state.borrow())
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Counts one unit of in-flight work until dropped.
struct BusyGuard<'a>(&'a watch::Sender<usize>);

impl Drop for BusyGuard<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n = n.saturating_sub(1));
    }
}

/// Removes a pending twin request when its waiter gives up.
struct PendingGuard<'a> {
    pending: &'a Mutex<HashMap<String, oneshot::Sender<TwinReply>>>,
    rid: String,
}

impl Drop for PendingGuard<'_> {
    fn drop(&mut self) {
        lock(self.pending).remove(&self.rid);
    }
}

impl MqttConnection {
    /// Prepares the connection: builds the TLS configuration and opens the report queue in
    /// the state directory (patches a previous run could not deliver are sent first).
    /// Nothing touches the network until [`MqttConnection::run`].
    pub fn open(settings: ConnectionSettings) -> Result<Arc<Self>, DmError> {
        let client_cert = match &settings.identity.auth {
            DeviceAuth::X509 { cert_pem, key_pem } => {
                Some((cert_pem.as_slice(), key_pem.as_slice()))
            }
            DeviceAuth::SasKey(_) | DeviceAuth::SasToken(_) => None,
        };
        let tls = tls::client_config(settings.ca_pem.as_deref(), client_cert)?;
        let files = HubFiles::new(&settings, &tls)?;
        let queue = ReportQueue::open(settings.queue_dir())
            .map_err(|e| DmError::invalid_setting("agent.state_dir", e.to_string()))?;
        if !queue.is_empty() {
            tracing::info!(
                queued = queue.len(),
                "reported patches from a previous run will be sent once connected"
            );
        }
        let (control_tx, control_rx) = mpsc::unbounded_channel();
        let status = ConnectionStatus {
            host_name: settings.identity.host_name.clone(),
            device_id: settings.identity.device_id.clone(),
            endpoint: settings.endpoint.to_string(),
            desired_version: ConnectionStatus::read(&settings.state_dir)
                .and_then(|s| s.desired_version),
            pid: Some(std::process::id()),
            ..ConnectionStatus::default()
        };
        Ok(Arc::new(Self {
            settings,
            tls,
            queue: Arc::new(Mutex::new(queue)),
            queue_changed: Notify::new(),
            live: watch::Sender::new(None),
            pending: Mutex::new(HashMap::new()),
            busy: watch::Sender::new(0),
            state: watch::Sender::new(LinkState::Connecting),
            status: Mutex::new(status),
            generation: AtomicU64::new(0),
            control_tx,
            control_rx: Mutex::new(Some(control_rx)),
            files,
        }))
    }

    /// The settings in use.
    pub fn settings(&self) -> &ConnectionSettings {
        &self.settings
    }

    /// Follows the link state.
    pub fn link_state(&self) -> watch::Receiver<LinkState> {
        self.state.subscribe()
    }

    /// How many sessions have come up so far (each reconnect or token renewal adds one).
    pub fn sessions(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// How many reported patches wait for the hub.
    pub fn queued(&self) -> usize {
        lock(&self.queue).len()
    }

    /// Drops the session and stays offline for `duration` before reconnecting, as a device
    /// does while it reboots.
    pub fn go_offline(&self, duration: Duration) {
        let _ = self.control_tx.send(Control::Offline(duration));
    }

    /// Runs the connection until `shutdown` completes: connects, keeps reconnecting, hands the
    /// hub's traffic to `handler`, and delivers queued reports. Ends with a DISCONNECT.
    ///
    /// Call it once per connection; a second concurrent call returns at once.
    pub async fn run(
        self: &Arc<Self>,
        handler: Arc<dyn Inbound>,
        shutdown: impl Future<Output = ()>,
    ) {
        let Some(control) = lock(&self.control_rx).take() else {
            tracing::error!("the connection is already running");
            return;
        };
        let stop = CancellationToken::new();
        let drive = self.drive(handler, control, stop.clone());
        tokio::pin!(drive);
        tokio::select! {
            () = &mut drive => {}
            () = shutdown => {
                stop.cancel();
                drive.await;
            }
        }
    }

    async fn drive(
        self: &Arc<Self>,
        handler: Arc<dyn Inbound>,
        control: mpsc::UnboundedReceiver<Control>,
        stop: CancellationToken,
    ) {
        let (twin_tx, twin_rx) = mpsc::unbounded_channel();
        let twin_worker =
            tokio::spawn(Arc::clone(self).twin_worker(Arc::clone(&handler), twin_rx, stop.clone()));
        let sender = tokio::spawn(Arc::clone(self).reported_sender(stop.clone()));
        let mut driver = Driver {
            handler,
            twin_tx,
            control,
            stop: stop.clone(),
            backoff: Backoff::new(self.settings.reconnect),
            last_failure: None,
            renewing: false,
        };
        loop {
            if stop.is_cancelled() {
                break;
            }
            let end = self.session(&mut driver).await;
            driver.renewing = matches!(end, End::Renew);
            self.live.send_replace(None);
            // Waiters see their channel closed and report `NotConnected` at once.
            lock(&self.pending).clear();
            let pause = match end {
                End::Stopped => break,
                End::Renew => {
                    tracing::debug!("reconnecting with a fresh token");
                    continue;
                }
                End::Offline(duration) => {
                    tracing::info!(seconds = duration.as_secs_f32(), "offline on request");
                    self.set_state(LinkState::Offline, None);
                    duration
                }
                End::Failed {
                    error,
                    connected_for,
                } => {
                    if connected_for.is_some_and(|d| d >= STABLE_SESSION) {
                        driver.backoff.reset();
                    }
                    let delay = driver.backoff.next_delay(&mut rand::rng());
                    let retry_in = format!("{:.1}s", delay.as_secs_f32());
                    if connected_for.is_some() {
                        tracing::warn!(%error, %retry_in, "disconnected from the hub; reconnecting");
                    } else if driver.last_failure.as_deref() != Some(error.as_str()) {
                        tracing::warn!(%error, %retry_in, "cannot connect to the hub; retrying");
                    } else {
                        tracing::debug!(%error, %retry_in, attempt = driver.backoff.attempts(), "still cannot connect to the hub");
                    }
                    self.set_state(LinkState::Disconnected, Some(error.clone()));
                    driver.last_failure = Some(error);
                    delay
                }
            };
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = stop.cancelled() => break,
            }
        }
        stop.cancel();
        let _ = twin_worker.await;
        let _ = sender.await;
        self.set_state(LinkState::Stopped, None);
    }

    fn set_state(&self, state: LinkState, error: Option<String>) {
        self.state.send_replace(state);
        let snapshot = {
            let mut status = lock(&self.status);
            match state {
                LinkState::Connected => status.failed_attempts = 0,
                LinkState::Disconnected => {
                    status.failed_attempts = status.failed_attempts.saturating_add(1);
                }
                _ => {}
            }
            if status.state != state || status.since.is_none() {
                status.since = Some(jiff::Timestamp::now());
            }
            status.state = state;
            if state == LinkState::Connected {
                status.last_connected_at = status.since;
            }
            if error.is_some() {
                status.last_error = error;
            }
            status.clone()
        };
        self.write_status(&snapshot);
    }

    fn write_status(&self, status: &ConnectionStatus) {
        if let Err(e) = status.write(&status_path(&self.settings.state_dir)) {
            tracing::debug!(error = %e, "could not write the connection status");
        }
    }

    /// The password and, for a signed token, when to renew it.
    fn credentials(&self) -> Result<(String, Option<Duration>), String> {
        match &self.settings.identity.auth {
            DeviceAuth::SasKey(cs) => {
                let ttl = self.settings.token_ttl;
                let token = cs
                    .generate_token(iothub_auth::unix_now(), ttl.as_secs())
                    .map_err(|e| format!("cannot sign a SAS token: {e}"))?;
                Ok((token.expose().to_owned(), Some(ttl * 4 / 5)))
            }
            DeviceAuth::SasToken(token) => {
                if token.expiry() <= iothub_auth::unix_now() {
                    return Err("the SharedAccessSignature of the connection string has expired and cannot be renewed; give the agent a key".to_owned());
                }
                Ok((token.expose().to_owned(), None))
            }
            DeviceAuth::X509 { .. } => Ok((String::new(), None)),
        }
    }

    fn mqtt_options(&self, password: String) -> MqttOptions {
        let identity = &self.settings.identity;
        let tls = TlsConfiguration::Rustls(Arc::clone(&self.tls));
        let mut options = match &self.settings.endpoint {
            Endpoint::Tls { host, port } => {
                let mut o = MqttOptions::new(identity.device_id.clone(), host.clone(), *port);
                o.set_transport(rumqttc::Transport::Tls(tls));
                o
            }
            Endpoint::WebSocket { url } => {
                // For WebSockets rumqttc takes host and port from the URL.
                let mut o = MqttOptions::new(identity.device_id.clone(), url.clone(), 443);
                o.set_transport(rumqttc::Transport::Wss(tls));
                o
            }
        };
        options
            .set_keep_alive(self.settings.keep_alive)
            // The hub keeps the session (and queued cloud-to-device messages) across reconnects.
            .set_clean_session(false)
            .set_credentials(
                topics::username(&identity.host_name, &identity.device_id),
                password,
            )
            .set_max_packet_size(MAX_PACKET, MAX_PACKET);
        options
    }

    /// One connection attempt and, if it succeeds, the session until it ends.
    async fn session(self: &Arc<Self>, d: &mut Driver) -> End {
        let (password, renew_in) = match self.credentials() {
            Ok(c) => c,
            Err(error) => {
                return End::Failed {
                    error,
                    connected_for: None,
                };
            }
        };
        let (client, mut eventloop) = AsyncClient::new(self.mqtt_options(password), 64);
        let mut network = eventloop.network_options();
        network.set_connection_timeout(CONNECT_TIMEOUT_SECS);
        // Small packets back to back (a reported patch, then a method answer) must not wait
        // for the hub's delayed ACK: with Nagle on, one in ten answers took ~45 ms more.
        network.set_tcp_nodelay(true);
        eventloop.set_network_options(network);
        let (events_tx, mut events) = mpsc::channel(64);
        let poller = tokio::spawn(poll_events(eventloop, events_tx));
        let _abort = AbortOnDrop(poller);

        // The first event is the CONNACK, or why there is none.
        let first = tokio::select! {
            ev = events.recv() => ev,
            () = d.stop.cancelled() => return End::Stopped,
        };
        match first {
            Some(Ok(Event::Incoming(Packet::ConnAck(ack))))
                if ack.code == ConnectReturnCode::Success => {}
            Some(Ok(Event::Incoming(Packet::ConnAck(ack)))) => {
                return End::Failed {
                    error: refusal(ack.code),
                    connected_for: None,
                };
            }
            Some(Ok(_)) | None => {
                return End::Failed {
                    error: "the hub did not answer CONNECT".to_owned(),
                    connected_for: None,
                };
            }
            Some(Err(e)) => {
                return End::Failed {
                    error: describe(&e),
                    connected_for: None,
                };
            }
        }
        let subscriptions = [
            topics::METHODS_SUBSCRIPTION,
            topics::DESIRED_SUBSCRIPTION,
            topics::TWIN_RESPONSE_SUBSCRIPTION,
        ]
        .map(|t| SubscribeFilter::new(t.to_owned(), QoS::AtLeastOnce));
        if client.try_subscribe_many(subscriptions).is_err() {
            return End::Failed {
                error: "the MQTT client stopped before subscribing".to_owned(),
                connected_for: None,
            };
        }
        let connected_at = Instant::now();
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.live.send_replace(Some(Live {
            client: client.clone(),
            generation,
        }));
        if d.renewing {
            tracing::debug!("token renewed");
        } else if d.backoff.attempts() > 0 || d.last_failure.is_some() {
            tracing::info!(endpoint = %self.settings.endpoint, attempts = d.backoff.attempts() + 1, "connected to the hub");
        } else {
            tracing::info!(endpoint = %self.settings.endpoint, "connected to the hub");
        }
        d.last_failure = None;
        self.set_state(LinkState::Connected, None);
        let _ = d.twin_tx.send(TwinEvent::Connected(generation));
        self.queue_changed.notify_one();

        let renew_at = renew_in.map(|d| connected_at + d);
        // Renewal: once due, stop taking method calls (UNSUBSCRIBE), let the ones in flight be
        // answered, then reconnect; the hub holds new calls for a device that is reconnecting
        // (up to the caller's connect timeout) instead of losing them on a closing session.
        let mut draining: Option<Instant> = None;
        let mut unsubscribed = false;
        let mut busy = self.busy.subscribe();
        let connected_for = || Some(connected_at.elapsed());
        loop {
            if draining.is_some() && unsubscribed && *busy.borrow_and_update() == 0 {
                disconnect(&client, &mut events).await;
                return End::Renew;
            }
            tokio::select! {
                () = d.stop.cancelled() => {
                    disconnect(&client, &mut events).await;
                    return End::Stopped;
                }
                Some(Control::Offline(duration)) = d.control.recv() => {
                    disconnect(&client, &mut events).await;
                    return End::Offline(duration);
                }
                () = sleep_until(renew_at), if draining.is_none() && renew_at.is_some() => {
                    draining = Some(Instant::now() + RENEWAL_DRAIN);
                    if client.try_unsubscribe(topics::METHODS_SUBSCRIPTION).is_err() {
                        unsubscribed = true;
                    }
                }
                _ = busy.changed(), if draining.is_some() => {}
                () = sleep_until(draining), if draining.is_some() => {
                    tracing::debug!("renewing the token with work still in flight");
                    disconnect(&client, &mut events).await;
                    return End::Renew;
                }
                event = events.recv() => match event {
                    Some(Ok(Event::Incoming(Packet::Publish(publish)))) => {
                        self.route(&publish.topic, publish.payload, &d.handler, &d.twin_tx);
                    }
                    Some(Ok(Event::Incoming(Packet::UnsubAck(_)))) => unsubscribed = true,
                    Some(Ok(Event::Incoming(Packet::SubAck(ack)))) => {
                        if ack.return_codes.iter().any(|c| matches!(c, SubscribeReasonCode::Failure)) {
                            tracing::warn!("the hub refused a subscription; methods or twin updates may not arrive");
                        }
                    }
                    Some(Ok(Event::Incoming(Packet::Disconnect))) => {
                        return End::Failed { error: "the hub closed the session".to_owned(), connected_for: connected_for() };
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        return End::Failed { error: describe(&e), connected_for: connected_for() };
                    }
                    None => {
                        return End::Failed { error: "the MQTT event loop stopped".to_owned(), connected_for: connected_for() };
                    }
                },
            }
        }
    }

    /// Hands one publish from the hub to whoever handles it; never blocks the session.
    fn route(
        self: &Arc<Self>,
        topic: &str,
        payload: Bytes,
        handler: &Arc<dyn Inbound>,
        twin_tx: &mpsc::UnboundedSender<TwinEvent>,
    ) {
        match topics::parse(topic) {
            Some(topics::Inbound::Method { name, rid }) => {
                let (name, rid) = (name.to_owned(), rid.to_owned());
                let handler = Arc::clone(handler);
                let this = Arc::clone(self);
                self.busy.send_modify(|n| *n += 1);
                tokio::spawn(async move {
                    let _busy = BusyGuard(&this.busy);
                    handler.method(&rid, &name, &payload).await;
                });
            }
            Some(topics::Inbound::Desired { version }) => {
                if let Ok(patch @ Value::Object(_)) = serde_json::from_slice::<Value>(&payload) {
                    let _ = twin_tx.send(TwinEvent::Patch(patch, version));
                } else {
                    tracing::warn!(
                        "ignoring a desired-properties notification that is not a JSON object"
                    );
                }
            }
            Some(topics::Inbound::TwinResponse { status, rid, .. }) => {
                let waiter = lock(&self.pending).remove(rid);
                if let Some(waiter) = waiter {
                    let _ = waiter.send(TwinReply {
                        status,
                        body: payload,
                    });
                } else {
                    tracing::debug!(rid, status, "an answer to a request nobody waits for");
                }
            }
            None => tracing::debug!(topic, "ignoring a message on an unexpected topic"),
        }
    }

    fn current_generation(&self) -> Option<u64> {
        self.live.borrow().as_ref().map(|l| l.generation)
    }

    /// Publishes a twin request and waits for its answer.
    async fn twin_request(
        &self,
        topic: fn(&str) -> String,
        body: Vec<u8>,
    ) -> Result<TwinReply, DmError> {
        let live = self.live.borrow().clone().ok_or(DmError::NotConnected)?;
        let rid = uuid::Uuid::new_v4().simple().to_string();
        let (tx, rx) = oneshot::channel();
        lock(&self.pending).insert(rid.clone(), tx);
        let _pending = PendingGuard {
            pending: &self.pending,
            rid: rid.clone(),
        };
        self.busy.send_modify(|n| *n += 1);
        let _busy = BusyGuard(&self.busy);
        live.client
            .publish(topic(&rid), QoS::AtLeastOnce, false, body)
            .await
            .map_err(|_| DmError::NotConnected)?;
        match tokio::time::timeout(self.settings.request_timeout, rx).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(_)) => Err(DmError::NotConnected),
            Err(_) => Err(DmError::HubTimeout),
        }
    }

    async fn fetch_twin(&self) -> Result<Value, DmError> {
        let reply = self.twin_request(topics::twin_get, Vec::new()).await?;
        if reply.status != 200 {
            return Err(hub_error(&reply));
        }
        serde_json::from_slice(&reply.body).map_err(|e| DmError::Hub {
            status: reply.status,
            message: format!("the twin is not JSON: {e}"),
        })
    }

    /// Applies desired state in order: the full twin after each connect, then the patches
    /// newer than it. A patch that skips a version means one was missed: the full twin is
    /// fetched again instead.
    async fn twin_worker(
        self: Arc<Self>,
        handler: Arc<dyn Inbound>,
        mut events: mpsc::UnboundedReceiver<TwinEvent>,
        stop: CancellationToken,
    ) {
        loop {
            let event = tokio::select! {
                e = events.recv() => match e { Some(e) => e, None => return },
                () = stop.cancelled() => return,
            };
            match event {
                TwinEvent::Connected(generation) => {
                    self.converge(&handler, generation, &stop).await;
                }
                TwinEvent::Patch(patch, topic_version) => {
                    let version = patch
                        .get("$version")
                        .and_then(Value::as_u64)
                        .or(topic_version);
                    let converged = lock(&self.status).desired_version;
                    match (version, converged) {
                        (Some(v), Some(last)) if v <= last => {
                            tracing::debug!(
                                version = v,
                                converged = last,
                                "skipping a desired patch already applied"
                            );
                        }
                        (Some(v), Some(last)) if v > last + 1 => {
                            tracing::info!(
                                version = v,
                                converged = last,
                                "desired versions were skipped; re-reading the twin"
                            );
                            if let Some(generation) = self.current_generation() {
                                self.converge(&handler, generation, &stop).await;
                            }
                        }
                        _ => {
                            handler.desired_patch(&patch).await;
                            if let Some(v) = version {
                                self.set_desired_version(v);
                            }
                        }
                    }
                }
            }
        }
    }

    /// GETs the twin (retrying while session `generation` lasts) and hands it to the handler.
    async fn converge(
        &self,
        handler: &Arc<dyn Inbound>,
        generation: u64,
        stop: &CancellationToken,
    ) {
        let mut retry = Backoff::new(ReconnectPolicy {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
        });
        loop {
            if self.current_generation() != Some(generation) {
                // That session is gone; the next one brings its own `Connected`.
                return;
            }
            match self.fetch_twin().await {
                Ok(twin) => {
                    let version = dm_contract::desired_version(&twin);
                    handler.full_twin(&twin).await;
                    if let Some(v) = version {
                        self.set_desired_version(v);
                    }
                    tracing::debug!(desired_version = ?version, "converged on the full twin");
                    return;
                }
                Err(e) => {
                    let delay = retry.next_delay(&mut rand::rng());
                    tracing::warn!(error = %e, "cannot read the twin; trying again");
                    tokio::select! {
                        () = tokio::time::sleep(delay) => {}
                        () = stop.cancelled() => return,
                    }
                }
            }
        }
    }

    fn set_desired_version(&self, version: u64) {
        let snapshot = {
            let mut status = lock(&self.status);
            if status.desired_version == Some(version) {
                return;
            }
            status.desired_version = Some(version);
            status.clone()
        };
        self.write_status(&snapshot);
    }

    fn front(&self) -> Option<Entry> {
        lock(&self.queue).front().cloned()
    }

    async fn remove_sent(&self, seq: u64) {
        let queue = Arc::clone(&self.queue);
        let result = tokio::task::spawn_blocking(move || lock(&queue).remove(seq)).await;
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::error!(error = %e, "cannot remove a delivered patch from the queue; it may be sent again after a restart");
            }
            Err(e) => tracing::error!(error = %e, "the queue task failed"),
        }
    }

    /// Sends queued reported patches, oldest first, one at a time, each until the hub
    /// answers: 2xx and 4xx (a patch the hub will never take) remove it; anything else
    /// (no answer, 429, 5xx, a dropped session) sends it again.
    async fn reported_sender(self: Arc<Self>, stop: CancellationToken) {
        let mut live = self.live.subscribe();
        let mut retry = Backoff::new(ReconnectPolicy {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        });
        loop {
            let notified = self.queue_changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let Some(entry) = self.front() else {
                tokio::select! {
                    () = notified => continue,
                    () = stop.cancelled() => return,
                }
            };
            if live.borrow_and_update().is_none() {
                tokio::select! {
                    r = live.changed() => if r.is_err() { return },
                    () = stop.cancelled() => return,
                }
                continue;
            }
            let body = serde_json::to_vec(&entry.patch).unwrap_or_default();
            let outcome = tokio::select! {
                r = self.twin_request(topics::reported_patch, body) => r,
                () = stop.cancelled() => return,
            };
            let pause = match outcome {
                Ok(reply) if (200..300).contains(&reply.status) => {
                    self.remove_sent(entry.seq).await;
                    retry.reset();
                    continue;
                }
                Ok(reply) if reply.status == 429 || reply.status >= 500 => {
                    let delay = retry.next_delay(&mut rand::rng());
                    tracing::warn!(status = reply.status, retry_in = ?delay, "the hub could not take a reported patch now; will send it again");
                    delay
                }
                Ok(reply) => {
                    let error = hub_error(&reply);
                    tracing::error!(%error, "the hub refused a reported patch; dropping it");
                    self.remove_sent(entry.seq).await;
                    continue;
                }
                Err(DmError::NotConnected) => {
                    // Wait for the next session (or a short while, if this one still shows).
                    tokio::select! {
                        _ = live.changed() => {}
                        () = tokio::time::sleep(Duration::from_secs(1)) => {}
                        () = stop.cancelled() => return,
                    }
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "no answer to a reported patch; will send it again");
                    retry.next_delay(&mut rand::rng())
                }
            };
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = stop.cancelled() => return,
            }
        }
    }
}

/// A hub error from a twin answer: its status and the message of its JSON body.
fn hub_error(reply: &TwinReply) -> DmError {
    let message = serde_json::from_slice::<Value>(&reply.body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .or_else(|| v.get("Message"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "no details".to_owned());
    DmError::Hub {
        status: reply.status,
        message,
    }
}

/// Why the hub refused the CONNECT, in words an operator can act on.
fn refusal(code: ConnectReturnCode) -> String {
    match code {
        ConnectReturnCode::Success => "connected".to_owned(),
        ConnectReturnCode::RefusedProtocolVersion => {
            "the hub refused the MQTT protocol version (CONNACK 1)".to_owned()
        }
        ConnectReturnCode::BadClientId => "the hub refused the client id (CONNACK 2)".to_owned(),
        ConnectReturnCode::ServiceUnavailable => {
            "the hub is unavailable or the device is disabled (CONNACK 3)".to_owned()
        }
        ConnectReturnCode::BadUserNamePassword => {
            "the hub refused the user name or token (CONNACK 4)".to_owned()
        }
        ConnectReturnCode::NotAuthorized => {
            "not authorized (CONNACK 5): wrong key, expired token, or unknown device".to_owned()
        }
    }
}

/// A connection error for logs (rumqttc's errors never contain the password).
fn describe(error: &ConnectionError) -> String {
    match error {
        ConnectionError::ConnectionRefused(code) => refusal(*code),
        other => other.to_string(),
    }
}

/// Polls rumqttc's event loop and forwards every event until the session ends.
async fn poll_events(
    mut eventloop: EventLoop,
    events: mpsc::Sender<Result<Event, ConnectionError>>,
) {
    loop {
        let event = eventloop.poll().await;
        let last = matches!(event, Err(_) | Ok(Event::Outgoing(Outgoing::Disconnect)));
        if events.send(event).await.is_err() || last {
            return;
        }
    }
}

/// Sends DISCONNECT and waits (briefly) until it is on the wire.
async fn disconnect(
    client: &AsyncClient,
    events: &mut mpsc::Receiver<Result<Event, ConnectionError>>,
) {
    if client.try_disconnect().is_err() {
        return;
    }
    let _ = tokio::time::timeout(DISCONNECT_GRACE, async {
        while let Some(event) = events.recv().await {
            if matches!(event, Err(_) | Ok(Event::Outgoing(Outgoing::Disconnect))) {
                return;
            }
        }
    })
    .await;
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Stops the event-loop task when the session ends, closing the socket.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Transport for MqttConnection {
    fn send_reported(&self, patch: Value) -> BoxFuture<'_, Result<(), DmError>> {
        Box::pin(async move {
            let queue = Arc::clone(&self.queue);
            tokio::task::spawn_blocking(move || lock(&queue).push(patch))
                .await
                .map_err(|e| DmError::Transport(format!("the queue task failed: {e}")))?
                .map_err(|e| DmError::Transport(format!("cannot queue the reported patch: {e}")))?;
            self.queue_changed.notify_one();
            Ok(())
        })
    }

    fn respond_method(
        &self,
        request_id: &str,
        status: u16,
        payload: Value,
    ) -> BoxFuture<'_, Result<(), DmError>> {
        let topic = topics::method_response(status, request_id);
        Box::pin(async move {
            let live = self.live.borrow().clone().ok_or(DmError::NotConnected)?;
            let body = if payload.is_null() {
                Vec::new()
            } else {
                serde_json::to_vec(&payload).unwrap_or_default()
            };
            live.client
                .publish(topic, QoS::AtLeastOnce, false, body)
                .await
                .map_err(|_| DmError::NotConnected)
        })
    }

    fn get_twin(&self) -> BoxFuture<'_, Result<Value, DmError>> {
        Box::pin(self.fetch_twin())
    }

    fn supports_file_upload(&self) -> bool {
        true
    }

    fn create_file_upload(
        &self,
        blob_name: &str,
    ) -> BoxFuture<'_, Result<FileUploadTarget, DmError>> {
        let blob_name = blob_name.to_owned();
        Box::pin(async move { self.files.create(&blob_name).await })
    }

    fn complete_file_upload(
        &self,
        correlation_id: &str,
        success: bool,
        status: u16,
        description: &str,
    ) -> BoxFuture<'_, Result<(), DmError>> {
        let (correlation_id, description) = (correlation_id.to_owned(), description.to_owned());
        Box::pin(async move {
            self.files
                .complete(&correlation_id, success, status, &description)
                .await
        })
    }
}
