//! The session loop: connect, subscribe, route what arrives, renew the token, and back off
//! and start again on any failure. It owns the connection status (`connection.json`) and the
//! diagnosis of failed attempts (refused, unreachable, or not MQTT at all).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use rumqttc::{
    AsyncClient, ConnectReturnCode, ConnectionError, Event, EventLoop, MqttOptions, Outgoing,
    Packet, QoS, SubscribeFilter, SubscribeReasonCode, TlsConfiguration,
};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::twin::{TwinEvent, TwinReply};
use super::{BusyGuard, Control, Live, MqttConnection, lock};
use crate::connection::Endpoint;
use crate::connection::backoff::Backoff;
use crate::connection::credentials::DeviceAuth;
use crate::connection::handler::Inbound;
use crate::connection::status::{ConnectionStatus, LinkState, status_path};
use iothub_model::mqtt as topics;

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

/// The session loop's own state, kept across sessions by `drive`.
pub(super) struct Driver {
    /// Where the hub's traffic goes.
    pub(super) handler: Arc<dyn Inbound>,
    /// Tells the twin worker about new sessions and desired patches.
    pub(super) twin_tx: mpsc::UnboundedSender<TwinEvent>,
    /// Requests from outside (going offline).
    pub(super) control: mpsc::UnboundedReceiver<Control>,
    /// Cancelled on shutdown.
    pub(super) stop: CancellationToken,
    /// Reconnection delays.
    pub(super) backoff: Backoff,
    /// The last failure, logged once until it changes.
    pub(super) last_failure: Option<String>,
    /// The previous session ended for a token renewal (a quiet reconnect).
    pub(super) renewing: bool,
}

/// How a session ended.
pub(super) enum End {
    /// Shutdown was requested.
    Stopped,
    /// The token is due for renewal; reconnect at once.
    Renew,
    /// Stay offline for this long, then reconnect.
    Offline(Duration),
    /// The endpoint answered, but not in MQTT (an HTTPS port, most likely): retrying at the
    /// usual pace cannot help, the setting has to change.
    Misdirected(String),
    /// The attempt or the session failed.
    Failed {
        /// Why, for logs and `connection.json`.
        error: String,
        /// How long the session had been up, if it came up at all.
        connected_for: Option<Duration>,
    },
}

impl MqttConnection {
    pub(super) async fn drive(
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
                End::Misdirected(error) => {
                    // Not a transient failure: wait as long as the policy allows between
                    // attempts, and say it once, loudly, with the fix.
                    let delay = driver.backoff.max_delay();
                    if driver.last_failure.as_deref() != Some(error.as_str()) {
                        tracing::error!(%error, retry_in = %format!("{:.1}s", delay.as_secs_f32()), "cannot connect to the hub");
                    }
                    *lock(&self.misdirected) = Some(error.clone());
                    self.set_state(LinkState::Disconnected, Some(error.clone()));
                    driver.last_failure = Some(error);
                    delay
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

    pub(super) fn set_state(&self, state: LinkState, error: Option<String>) {
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

    pub(super) fn write_status(&self, status: &ConnectionStatus) {
        if let Err(e) = status.write(&status_path(&self.settings.state_dir)) {
            tracing::debug!(error = %e, "could not write the connection status");
        }
    }

    /// The password and, for a signed token, when to renew it.
    pub(super) fn credentials(&self) -> Result<(String, Option<Duration>), String> {
        match &self.settings.identity.auth {
            DeviceAuth::SasKey(cs) => {
                let ttl = self.settings.token_ttl;
                let token = cs
                    .generate_token(iothub_auth::unix_now(), ttl.as_secs())
                    .map_err(|e| format!("cannot sign a SAS token: {e}"))?;
                let renew_in = self.settings.renew_after.unwrap_or(ttl * 4 / 5).min(ttl);
                Ok((token.expose().to_owned(), Some(renew_in)))
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

    pub(super) fn mqtt_options(&self, password: String) -> MqttOptions {
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
                topics::username(
                    &identity.host_name,
                    &identity.device_id,
                    concat!("dm-agent%2F", env!("CARGO_PKG_VERSION")),
                ),
                password,
            )
            .set_max_packet_size(MAX_PACKET, MAX_PACKET);
        options
    }

    /// One connection attempt and, if it succeeds, the session until it ends.
    pub(super) async fn session(self: &Arc<Self>, d: &mut Driver) -> End {
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
            Some(Err(e)) if not_mqtt(&e) => {
                return End::Misdirected(format!(
                    "{} answered with something that is not MQTT ({e}); it is probably the hub's HTTPS port: give the MQTT port (GatewayHostName=HOST:PORT in the connection string, or connection.port)",
                    self.settings.endpoint
                ));
            }
            Some(Err(e)) => {
                return End::Failed {
                    error: describe(&e),
                    connected_for: None,
                };
            }
        }
        *lock(&self.misdirected) = None;
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
                    // A reboot goes offline from the work its method accepted, which may run
                    // before the 202 answer is published: the answers in flight go out first,
                    // as a real device's shutdown leaves them time to (without this, the
                    // caller saw "disconnected before answering" for an accepted reboot).
                    let drained = async {
                        loop {
                            tokio::select! {
                                _ = busy.wait_for(|n| *n == 0) => return,
                                event = events.recv() => match event {
                                    Some(Ok(Event::Incoming(Packet::Publish(publish)))) => {
                                        self.route(&publish.topic, publish.payload, &d.handler, &d.twin_tx);
                                    }
                                    Some(Err(_)) | None => return,
                                    Some(Ok(_)) => {}
                                },
                            }
                        }
                    };
                    let _ = tokio::time::timeout(DISCONNECT_GRACE, drained).await;
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
    pub(super) fn route(
        self: &Arc<Self>,
        topic: &str,
        payload: Bytes,
        handler: &Arc<dyn Inbound>,
        twin_tx: &mpsc::UnboundedSender<TwinEvent>,
    ) {
        match topics::parse_to_device(topic) {
            Some(topics::ToDevice::Method { name, rid }) => {
                let (name, rid) = (name.to_owned(), rid.to_owned());
                let handler = Arc::clone(handler);
                let this = Arc::clone(self);
                self.busy.send_modify(|n| *n += 1);
                tokio::spawn(async move {
                    let _busy = BusyGuard(&this.busy);
                    handler.method(&rid, &name, &payload).await;
                });
            }
            Some(topics::ToDevice::Desired { version }) => {
                if let Ok(patch @ Value::Object(_)) = serde_json::from_slice::<Value>(&payload) {
                    let _ = twin_tx.send(TwinEvent::Patch(patch, version));
                } else {
                    tracing::warn!(
                        "ignoring a desired-properties notification that is not a JSON object"
                    );
                }
            }
            Some(topics::ToDevice::TwinResponse { status, rid, .. }) => {
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

/// Whether a failed CONNECT means the peer does not speak MQTT: it answered with a packet other
/// than CONNACK (an HTTP status line parses as a PUBACK) or with bytes that are no MQTT packet.
fn not_mqtt(error: &ConnectionError) -> bool {
    matches!(
        error,
        ConnectionError::NotConnAck(_)
            | ConnectionError::MqttState(rumqttc::StateError::Deserialization(_))
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_http_answer_or_garbage_is_not_mqtt_but_a_refusal_or_a_cut_is() {
        // What an HTTPS listener's "HTTP/1.1 400" looks like to an MQTT client.
        let http = ConnectionError::NotConnAck(Packet::PubAck(rumqttc::PubAck::new(1)));
        assert!(not_mqtt(&http));
        let garbage = ConnectionError::MqttState(rumqttc::StateError::Deserialization(
            rumqttc::Error::InvalidPacketType(0),
        ));
        assert!(not_mqtt(&garbage));
        assert!(!not_mqtt(&ConnectionError::ConnectionRefused(
            ConnectReturnCode::NotAuthorized
        )));
        assert!(!not_mqtt(&ConnectionError::Io(std::io::Error::from(
            std::io::ErrorKind::ConnectionRefused
        ))));
        assert!(!not_mqtt(&ConnectionError::NetworkTimeout));
    }

    #[test]
    fn refusals_are_described_in_words_an_operator_can_act_on() {
        let refused = ConnectionError::ConnectionRefused(ConnectReturnCode::NotAuthorized);
        let text = describe(&refused);
        assert!(
            text.contains("not authorized") && text.contains("CONNACK 5"),
            "{text}"
        );
        assert!(
            describe(&ConnectionError::ConnectionRefused(
                ConnectReturnCode::ServiceUnavailable
            ))
            .contains("disabled")
        );
        assert_eq!(
            describe(&ConnectionError::NetworkTimeout),
            "Network timeout"
        );
    }
}
