//! One device session: CONNECT rules, subscriptions, twin requests, methods and telemetry.
//!
//! A session is a single task that owns its socket. Everything the hub pushes to the device
//! (desired notifications, method requests) arrives through a bounded channel registered in
//! [`Connections`], so the socket is only ever written from this task and a session costs one
//! task, one small queue and its buffers — the emulator must hold ten thousand of them.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use rumqttc::mqttbytes::v4::{
    ConnAck, Connect, ConnectReturnCode, LastWill, Packet, PubAck, Publish, SubAck,
    SubscribeReasonCode, UnsubAck,
};
use rumqttc::mqttbytes::{Protocol, QoS};
use serde_json::json;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::backend::{ConnectAuth, ConnectRefusal, DeviceBackend, DeviceOpError};
use super::topics::{self, Inbound, Subscription, TopicError};
use crate::connections::{Connections, OUTBOUND_QUEUE, Outbound, Tracked};
use crate::identity::Identity;

/// How long a client may take from the TCP accept to a complete TLS handshake, and then to its
/// CONNECT; idle sockets must not pile up.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// The hub's server-side keep-alive cap (§E.1), also used when a client asks for no keep-alive
/// so that a vanished device cannot hold a session forever.
const MAX_IDLE: Duration = Duration::from_secs(1767);
/// How long one packet may take to be written before the device is considered stuck.
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest D2C message body (§G), as Python's `TELEMETRY_MESSAGE_SIZE_LIMIT`.
pub(crate) const MAX_TELEMETRY_BODY: usize = 256 * 1024;
/// The largest method response body (§C).
pub(crate) const MAX_METHOD_RESPONSE_BODY: usize = 128 * 1024;

/// Reads and writes whole MQTT packets over some transport (TLS stream or WebSocket).
pub(crate) trait PacketIo: Send {
    /// The next packet; `None` at end of stream, `Err` on a malformed packet or I/O error.
    /// Must be cancel-safe: the session selects on it together with its outbound queue.
    fn next_packet(
        &mut self,
    ) -> impl Future<Output = Option<Result<Packet, rumqttc::mqttbytes::Error>>> + Send;
    /// Writes one packet.
    fn send_packet(&mut self, packet: Packet) -> impl Future<Output = std::io::Result<()>> + Send;
    /// Flushes and closes the transport (TLS `close_notify`, WebSocket close frame).
    fn close(&mut self) -> impl Future<Output = ()> + Send;
}

/// Everything a session needs from the hub.
#[derive(Clone)]
pub(crate) struct SessionContext {
    /// The registry and twin store.
    pub backend: Arc<dyn DeviceBackend>,
    /// The live-session registry.
    pub connections: Arc<Connections>,
    /// Cancelled when the emulator shuts down.
    pub shutdown: CancellationToken,
}

/// Runs one session from the first packet to the end; never panics on client input.
pub(crate) async fn run_session<IO: PacketIo>(
    mut io: IO,
    ctx: SessionContext,
    client_cert_der: Option<Vec<u8>>,
) {
    let first = tokio::select! {
        p = tokio::time::timeout(CONNECT_TIMEOUT, io.next_packet()) => p,
        () = ctx.shutdown.cancelled() => return,
    };
    let connect = match first {
        Ok(Some(Ok(Packet::Connect(c)))) if c.protocol == Protocol::V4 => c,
        Ok(Some(
            Ok(Packet::Connect(_))
            | Err(
                rumqttc::mqttbytes::Error::InvalidProtocolLevel(_)
                | rumqttc::mqttbytes::Error::InvalidProtocol,
            ),
        )) => {
            tracing::debug!("refusing CONNECT: only MQTT 3.1.1 is supported");
            refuse(&mut io, ConnectReturnCode::RefusedProtocolVersion).await;
            return;
        }
        Ok(Some(Ok(other))) => {
            tracing::debug!(
                packet = packet_name(&other),
                "first packet is not CONNECT; closing"
            );
            return;
        }
        Ok(Some(Err(e))) => {
            tracing::debug!(error = %e, "malformed first packet; closing");
            return;
        }
        Ok(None) | Err(_) => return,
    };

    let (identity, auth, params) = match check_connect(connect, client_cert_der) {
        Ok(accepted) => accepted,
        Err(code) => {
            refuse(&mut io, code).await;
            return;
        }
    };
    let backend = Arc::clone(&ctx.backend);
    let auth_identity = identity.clone();
    let verdict = tokio::task::spawn_blocking(move || backend.authenticate(&auth_identity, &auth))
        .await
        .unwrap_or(Err(ConnectRefusal::ServerUnavailable));
    let expires_unix = match verdict {
        Ok(expires) => expires,
        Err(refusal) => {
            tracing::info!(%identity, ?refusal, "device connection refused");
            let code = match refusal {
                ConnectRefusal::BadUsernameOrPassword => ConnectReturnCode::BadUserNamePassword,
                ConnectRefusal::NotAuthorized => ConnectReturnCode::NotAuthorized,
                ConnectRefusal::ServerUnavailable => ConnectReturnCode::ServiceUnavailable,
            };
            refuse(&mut io, code).await;
            return;
        }
    };

    let (tx, rx) = mpsc::channel(OUTBOUND_QUEUE);
    let kill = ctx.shutdown.child_token();
    let (session_id, replaced) = ctx.connections.register(&identity, tx, kill.clone());
    let mut registration = Registration {
        ctx: ctx.clone(),
        identity: identity.clone(),
        session_id,
        armed: true,
    };
    if replaced {
        tracing::info!(%identity, code = 400_027, "ConnectionForcefullyClosedOnNewConnection: previous session dropped");
    }
    report_connection(&ctx, &identity, true).await;
    tracing::debug!(%identity, session_id, "device connected");

    let idle_limit = if params.keep_alive == 0 {
        MAX_IDLE
    } else {
        (Duration::from_secs(u64::from(params.keep_alive)) * 3 / 2).min(MAX_IDLE)
    };
    let mut session = Session {
        identity: identity.clone(),
        id: session_id,
        ctx: ctx.clone(),
        twin_res_qos: None,
        next_pkid: 1,
        graceful: false,
    };
    let served = async {
        if send(&mut io, connack(ConnectReturnCode::Success))
            .await
            .is_ok()
        {
            session.serve(&mut io, rx, idle_limit).await;
        }
    };
    // The real hub ends a session when the SAS token it was opened with expires; devices
    // reconnect with a fresh token before then.
    let token_expired = async {
        match expires_unix {
            Some(at) => {
                let left = at.saturating_sub(iothub_auth::unix_now());
                tokio::time::sleep(Duration::from_secs(left)).await;
            }
            None => std::future::pending().await,
        }
    };
    // Cancelling the whole session (not just its read) means a device that stopped reading
    // cannot keep a write pending past a disconnect or shutdown.
    tokio::select! {
        () = served => {}
        () = kill.cancelled() => {}
        () = token_expired => {
            tracing::info!(%identity, session_id, "SAS token expired: session closed, as the hub does");
        }
    }
    io.close().await;

    if !session.graceful
        && !ctx.shutdown.is_cancelled()
        && let Some(will) = params.will
    {
        send_will(&ctx, &identity, will).await;
    }
    registration.armed = false;
    if ctx.connections.unregister(&identity, session_id) {
        report_disconnected(&ctx, &identity).await;
    }
    tracing::debug!(%identity, session_id, "device session ended");
}

/// The parts of CONNECT that outlive the handshake.
struct SessionParams {
    /// The keep-alive the device asked for, in seconds (0: none).
    keep_alive: u16,
    /// A will on the identity's telemetry topic: sent as a D2C message if the session ends
    /// without DISCONNECT.
    will: Option<LastWill>,
}

/// Applies the §E.2 rules that need no backend: username grammar and client id.
fn check_connect(
    connect: Connect,
    client_cert_der: Option<Vec<u8>>,
) -> Result<(Identity, ConnectAuth, SessionParams), ConnectReturnCode> {
    let Some(login) = connect.login else {
        tracing::debug!("refusing CONNECT: no username");
        return Err(ConnectReturnCode::BadUserNamePassword);
    };
    // No identity, host name or query has control characters; refusing them here also keeps
    // them out of every log line about this connection.
    if crate::logsafe::has_control(&login.username)
        || crate::logsafe::has_control(&connect.client_id)
    {
        tracing::debug!("refusing CONNECT: control characters in the username or client id");
        return Err(ConnectReturnCode::BadUserNamePassword);
    }
    let Some(username) = topics::parse_username(&login.username) else {
        tracing::debug!("refusing CONNECT: malformed username");
        return Err(ConnectReturnCode::BadUserNamePassword);
    };
    let identity = username.identity;
    if connect.client_id != identity.client_id() {
        tracing::debug!(%identity, "refusing CONNECT: client id does not match the username");
        return Err(ConnectReturnCode::BadClientId);
    }
    let will = connect.last_will.and_then(|w| {
        match topics::parse_inbound(&w.topic, &identity) {
            Ok(Inbound::Telemetry { .. }) if w.message.len() <= MAX_TELEMETRY_BODY => Some(w),
            _ => {
                // The hub only allows wills on the events topic; an unusable will is dropped
                // rather than refusing a device that would otherwise work.
                tracing::debug!(%identity, "ignoring a will message that is not a telemetry message of this identity");
                None
            }
        }
    });
    let auth = ConnectAuth {
        hub_host: username.host,
        password: (!login.password.is_empty()).then_some(login.password),
        client_cert_der,
    };
    Ok((
        identity,
        auth,
        SessionParams {
            keep_alive: connect.keep_alive,
            will,
        },
    ))
}

async fn refuse<IO: PacketIo>(io: &mut IO, code: ConnectReturnCode) {
    let _ = send(io, connack(code)).await;
    io.close().await;
}

fn connack(code: ConnectReturnCode) -> Packet {
    Packet::ConnAck(ConnAck::new(code, false))
}

/// Writes a packet, giving up on a device that does not read.
async fn send<IO: PacketIo>(io: &mut IO, packet: Packet) -> std::io::Result<()> {
    match tokio::time::timeout(WRITE_TIMEOUT, io.send_packet(packet)).await {
        Ok(result) => result,
        Err(_) => Err(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "device did not read within the write timeout",
        )),
    }
}

/// The packet type, for logs: packets may carry device data that has no place in them.
fn packet_name(packet: &Packet) -> &'static str {
    match packet {
        Packet::Connect(_) => "CONNECT",
        Packet::ConnAck(_) => "CONNACK",
        Packet::Publish(_) => "PUBLISH",
        Packet::PubAck(_) => "PUBACK",
        Packet::PubRec(_) => "PUBREC",
        Packet::PubRel(_) => "PUBREL",
        Packet::PubComp(_) => "PUBCOMP",
        Packet::Subscribe(_) => "SUBSCRIBE",
        Packet::SubAck(_) => "SUBACK",
        Packet::Unsubscribe(_) => "UNSUBSCRIBE",
        Packet::UnsubAck(_) => "UNSUBACK",
        Packet::PingReq => "PINGREQ",
        Packet::PingResp => "PINGRESP",
        Packet::Disconnect => "DISCONNECT",
    }
}

/// Tells the backend about a connect or disconnect, off the async workers (it writes storage).
async fn report_connection(ctx: &SessionContext, identity: &Identity, connected: bool) {
    let backend = Arc::clone(&ctx.backend);
    let id = identity.clone();
    let _ = tokio::task::spawn_blocking(move || backend.connection_changed(&id, connected)).await;
}

/// Reports a disconnect, then re-reports a connect if a new session of the identity registered
/// meanwhile: the two reports run on different threads and may land in either order.
async fn report_disconnected(ctx: &SessionContext, identity: &Identity) {
    let backend = Arc::clone(&ctx.backend);
    let connections = Arc::clone(&ctx.connections);
    let id = identity.clone();
    let _ = tokio::task::spawn_blocking(move || {
        backend.connection_changed(&id, false);
        if connections.is_connected(&id) {
            backend.connection_changed(&id, true);
        }
    })
    .await;
}

/// Unregisters the session if its task unwinds before the normal cleanup runs, so a bug can
/// never leave a dead session routable or a device shown as connected.
struct Registration {
    ctx: SessionContext,
    identity: Identity,
    session_id: u64,
    armed: bool,
}

impl Drop for Registration {
    fn drop(&mut self) {
        if self.armed
            && self
                .ctx
                .connections
                .unregister(&self.identity, self.session_id)
        {
            self.ctx.backend.connection_changed(&self.identity, false);
        }
    }
}

/// Sends the will as a D2C message marked `iothub-MessageType: Will` (§E.3).
async fn send_will(ctx: &SessionContext, identity: &Identity, will: LastWill) {
    let Ok(Inbound::Telemetry { property_bag }) = topics::parse_inbound(&will.topic, identity)
    else {
        return;
    };
    let mut properties = topics::parse_property_bag(property_bag);
    properties.push(("iothub-MessageType".to_string(), Some("Will".to_string())));
    let backend = Arc::clone(&ctx.backend);
    let id = identity.clone();
    if let Err(e) = blocking(move || backend.telemetry(&id, properties, &will.message)).await {
        tracing::debug!(%identity, error = %crate::logsafe::Escaped(&e.message), "will message refused");
    }
}

struct Session {
    identity: Identity,
    id: u64,
    ctx: SessionContext,
    /// The `QoS` granted for `$iothub/twin/res/#`; `None` until the device subscribes, and twin
    /// responses are only sent to subscribers.
    twin_res_qos: Option<QoS>,
    next_pkid: u16,
    /// The device ended the session with DISCONNECT (no will message).
    graceful: bool,
}

/// What the read loop decided after one packet.
enum Flow {
    Continue,
    Close,
}

impl Session {
    async fn serve<IO: PacketIo>(
        &mut self,
        io: &mut IO,
        mut rx: mpsc::Receiver<Outbound>,
        idle_limit: Duration,
    ) {
        // Keep-alive counts silence from the device only; the hub's own publishes do not reset it.
        let idle = tokio::time::sleep(idle_limit);
        tokio::pin!(idle);
        loop {
            tokio::select! {
                () = &mut idle => {
                    tracing::debug!(identity = %self.identity, "keep-alive expired");
                    return;
                }
                out = rx.recv() => {
                    let Some(Outbound::Publish { topic, qos, payload }) = out else { return };
                    if self.publish(io, topic, qos, payload).await.is_err() {
                        return;
                    }
                }
                packet = io.next_packet() => {
                    let packet = match packet {
                        None => return,
                        Some(Err(e)) => {
                            tracing::debug!(identity = %self.identity, error = %e, "malformed packet; closing");
                            return;
                        }
                        Some(Ok(p)) => p,
                    };
                    idle.as_mut().reset(tokio::time::Instant::now() + idle_limit);
                    match self.handle(io, &mut rx, packet).await {
                        Ok(Flow::Continue) => {}
                        Ok(Flow::Close) | Err(_) => return,
                    }
                }
            }
        }
    }

    fn pkid(&mut self) -> u16 {
        let id = self.next_pkid;
        self.next_pkid = self.next_pkid.checked_add(1).unwrap_or(1);
        id
    }

    async fn publish<IO: PacketIo>(
        &mut self,
        io: &mut IO,
        topic: String,
        qos: QoS,
        payload: Bytes,
    ) -> std::io::Result<()> {
        let mut publish = Publish::from_bytes(topic, qos, payload);
        if qos != QoS::AtMostOnce {
            publish.pkid = self.pkid();
        }
        send(io, Packet::Publish(publish)).await
    }

    async fn handle<IO: PacketIo>(
        &mut self,
        io: &mut IO,
        rx: &mut mpsc::Receiver<Outbound>,
        packet: Packet,
    ) -> std::io::Result<Flow> {
        match packet {
            Packet::PingReq => send(io, Packet::PingResp).await?,
            Packet::Disconnect => {
                self.graceful = true;
                return Ok(Flow::Close);
            }
            Packet::Subscribe(sub) => {
                let codes = sub
                    .filters
                    .iter()
                    .map(|f| self.subscribe(&f.path, f.qos))
                    .collect();
                send(io, Packet::SubAck(SubAck::new(sub.pkid, codes))).await?;
            }
            Packet::Unsubscribe(unsub) => {
                for filter in &unsub.topics {
                    self.unsubscribe(filter);
                }
                // What was queued for this session while it was still subscribed goes out
                // before the UNSUBACK (MQTT 3.1.1 §3.10.4 lets a server deliver messages it had
                // buffered). A device that drains on UNSUBACK — the agent renewing its token
                // answers what it got, then disconnects — would otherwise get a method request
                // after deciding it was done, and the caller would lose the call. Nothing new
                // is queued for an unsubscribed filter: `Connections` checks the subscription
                // under the same lock that `unsubscribe` took.
                while let Ok(Outbound::Publish {
                    topic,
                    qos,
                    payload,
                }) = rx.try_recv()
                {
                    self.publish(io, topic, qos, payload).await?;
                }
                send(io, Packet::UnsubAck(UnsubAck::new(unsub.pkid))).await?;
            }
            Packet::Publish(publish) => return self.handle_publish(io, publish).await,
            // Acknowledgements of what the hub sent; like the hub's, its QoS 1 delivery is not
            // retried within a session.
            Packet::PubAck(_) | Packet::PingResp => {}
            other => {
                // A second CONNECT, QoS 2 flow packets, or server-only packets.
                tracing::debug!(identity = %self.identity, packet = packet_name(&other), "unexpected packet; closing");
                return Ok(Flow::Close);
            }
        }
        Ok(Flow::Continue)
    }

    fn subscribe(&mut self, filter: &str, requested: QoS) -> SubscribeReasonCode {
        // The hub grants QoS 2 requests as QoS 1 (§E.3).
        let granted = match requested {
            QoS::AtMostOnce => QoS::AtMostOnce,
            QoS::AtLeastOnce | QoS::ExactlyOnce => QoS::AtLeastOnce,
        };
        let connections = &self.ctx.connections;
        match topics::parse_filter(filter, &self.identity) {
            Some(Subscription::Methods) => {
                connections.set_subscription(&self.identity, self.id, Tracked::Methods, true);
            }
            Some(Subscription::DesiredUpdates) => connections.set_subscription(
                &self.identity,
                self.id,
                Tracked::Desired(granted),
                true,
            ),
            Some(Subscription::TwinResponses) => self.twin_res_qos = Some(granted),
            // C2D delivery is not emulated; the subscription is accepted so SDKs that always
            // subscribe to it work.
            Some(Subscription::CloudToDevice) => {}
            None => {
                tracing::debug!(identity = %self.identity, filter, "unsupported subscription");
                return SubscribeReasonCode::Failure;
            }
        }
        SubscribeReasonCode::Success(granted)
    }

    fn unsubscribe(&mut self, filter: &str) {
        let connections = &self.ctx.connections;
        match topics::parse_filter(filter, &self.identity) {
            Some(Subscription::Methods) => {
                connections.set_subscription(&self.identity, self.id, Tracked::Methods, false);
            }
            Some(Subscription::DesiredUpdates) => connections.set_subscription(
                &self.identity,
                self.id,
                Tracked::Desired(QoS::AtMostOnce),
                false,
            ),
            Some(Subscription::TwinResponses) => self.twin_res_qos = None,
            Some(Subscription::CloudToDevice) | None => {}
        }
    }

    async fn handle_publish<IO: PacketIo>(
        &mut self,
        io: &mut IO,
        publish: Publish,
    ) -> std::io::Result<Flow> {
        if publish.qos == QoS::ExactlyOnce {
            tracing::debug!(identity = %self.identity, "QoS 2 publish; closing as the hub does");
            return Ok(Flow::Close);
        }
        let inbound = match topics::parse_inbound(&publish.topic, &self.identity) {
            Ok(i) => i,
            Err(e) => {
                let why = match e {
                    TopicError::Unknown => "unknown topic",
                    TopicError::OtherIdentity => "topic of another identity",
                    TopicError::MissingRid => "request without $rid",
                };
                tracing::debug!(identity = %self.identity, topic = %crate::logsafe::Escaped(&publish.topic), why, "closing");
                return Ok(Flow::Close);
            }
        };
        match inbound {
            Inbound::TwinGet { rid } => {
                // The body (one space from Python and Node, empty from C) carries nothing.
                let backend = Arc::clone(&self.ctx.backend);
                let id = self.identity.clone();
                let result = blocking(move || backend.get_twin(&id)).await;
                let rid = rid.to_string();
                match result {
                    Ok(twin) => {
                        let body = Bytes::from(twin.to_string());
                        self.twin_response(io, 200, &rid, None, body).await?;
                    }
                    Err(e) => self.twin_error(io, &rid, &e).await?,
                }
            }
            Inbound::ReportedPatch { rid } => {
                let rid = rid.to_string();
                let result = match parse_patch(&publish.payload) {
                    Ok(patch) => {
                        let backend = Arc::clone(&self.ctx.backend);
                        let connections = Arc::clone(&self.ctx.connections);
                        let id = self.identity.clone();
                        let session_id = self.id;
                        blocking(move || {
                            // Checked where the write runs, not where it was queued: under load
                            // the blocking pool can start it after a newer connection of the
                            // same device has already reported newer state. What is left is
                            // the span between this check and the commit (no await in it).
                            if !connections.is_current(&id, session_id) {
                                return Err(DeviceOpError::new(
                                    400,
                                    400_027,
                                    "the session was replaced by a newer connection of the device before this patch was applied",
                                ));
                            }
                            backend.patch_reported(&id, &patch)
                        })
                        .await
                    }
                    Err(e) => Err(e),
                };
                match result {
                    Ok(version) => {
                        self.twin_response(io, 204, &rid, Some(version), Bytes::new())
                            .await?;
                    }
                    Err(e) => self.twin_error(io, &rid, &e).await?,
                }
            }
            Inbound::MethodResponse { status, rid } => {
                if publish.payload.len() > MAX_METHOD_RESPONSE_BODY {
                    tracing::debug!(identity = %self.identity, size = publish.payload.len(), "method response over 128 KB; closing");
                    return Ok(Flow::Close);
                }
                let payload = method_payload(&publish.payload);
                self.ctx
                    .connections
                    .complete_method(&self.identity, rid, status, payload);
            }
            Inbound::Telemetry { property_bag } => {
                if publish.payload.len() > MAX_TELEMETRY_BODY {
                    tracing::debug!(identity = %self.identity, size = publish.payload.len(), "telemetry over 256 KB; closing");
                    return Ok(Flow::Close);
                }
                let mut properties = topics::parse_property_bag(property_bag);
                if publish.retain {
                    // Retained messages are not stored; the hub marks them instead (§E.3).
                    properties.push(("mqtt-retain".to_string(), Some("true".to_string())));
                }
                let backend = Arc::clone(&self.ctx.backend);
                let id = self.identity.clone();
                let body = publish.payload.clone();
                if let Err(e) = blocking(move || backend.telemetry(&id, properties, &body)).await {
                    // MQTT has no negative acknowledgement: the hub closes the connection.
                    tracing::debug!(identity = %self.identity, status = e.status, code = e.code, error = %crate::logsafe::Escaped(&e.message), "telemetry refused; closing");
                    return Ok(Flow::Close);
                }
            }
        }
        // Acknowledged only once handled, so a PUBACK means the hub really has it.
        if publish.qos == QoS::AtLeastOnce {
            send(io, Packet::PubAck(PubAck::new(publish.pkid))).await?;
        }
        Ok(Flow::Continue)
    }

    async fn twin_response<IO: PacketIo>(
        &mut self,
        io: &mut IO,
        status: u16,
        rid: &str,
        version: Option<u64>,
        body: Bytes,
    ) -> std::io::Result<()> {
        // Replies go only to devices that subscribed to them, as the hub routes by subscription.
        let Some(qos) = self.twin_res_qos else {
            tracing::debug!(identity = %self.identity, "twin response dropped: not subscribed to $iothub/twin/res/#");
            return Ok(());
        };
        let topic = iothub_model::mqtt::twin_response(status, rid, version);
        self.publish(io, topic, qos, body).await
    }

    async fn twin_error<IO: PacketIo>(
        &mut self,
        io: &mut IO,
        rid: &str,
        error: &DeviceOpError,
    ) -> std::io::Result<()> {
        self.twin_response(io, error.status, rid, None, error_body(error))
            .await
    }
}

/// The body of a twin error response. Node's twin client only sees an error when the body has
/// `errorCode` (§0 row 9).
fn error_body(error: &DeviceOpError) -> Bytes {
    let body = json!({
        "errorCode": error.code,
        "trackingId": uuid::Uuid::new_v4().simple().to_string(),
        "message": error.message,
        "timestampUtc": jiff::Timestamp::now().to_string(),
    });
    Bytes::from(body.to_string())
}

/// Parses a reported-properties patch body: it must be a JSON object.
fn parse_patch(body: &[u8]) -> Result<serde_json::Value, DeviceOpError> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(patch) if patch.is_object() => Ok(patch),
        Ok(_) => Err(DeviceOpError::new(
            400,
            400_004,
            "the reported-properties patch must be a JSON object",
        )),
        // §B.3: 400006 IotHubFormatError is the code for unparsable JSON.
        Err(err) => Err(DeviceOpError::new(
            400,
            400_006,
            format!("the reported-properties patch is not valid JSON: {err}"),
        )),
    }
}

/// A method response body as the service returns it: JSON, `null` when empty, and the text
/// itself when a device answers with something that is not JSON.
fn method_payload(body: &[u8]) -> serde_json::Value {
    if body.iter().all(u8::is_ascii_whitespace) {
        return serde_json::Value::Null;
    }
    serde_json::from_slice(body)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(body).into_owned()))
}

/// Runs a storage call off the async workers; a panicking backend becomes a 500.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, DeviceOpError> + Send + 'static,
) -> Result<T, DeviceOpError> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|_| Err(DeviceOpError::new(500, 500_001, "internal error")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_must_be_json_objects() {
        assert_eq!(parse_patch(br#"{"a":null}"#).unwrap(), json!({"a": null}));
        assert_eq!(parse_patch(b"{oops").unwrap_err().code, 400_006);
        assert_eq!(parse_patch(b"[1]").unwrap_err().code, 400_004);
        assert_eq!(parse_patch(b"").unwrap_err().status, 400);
    }

    #[test]
    fn method_payloads_keep_what_the_device_sent() {
        assert_eq!(method_payload(b""), serde_json::Value::Null);
        assert_eq!(method_payload(b" "), serde_json::Value::Null);
        assert_eq!(method_payload(br#"{"ok":true}"#), json!({"ok": true}));
        assert_eq!(method_payload(b"plain text"), json!("plain text"));
    }

    #[test]
    fn error_bodies_carry_the_code_node_needs() {
        let body = error_body(&DeviceOpError::new(400, 400_004, "bad key 'a b'"));
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["errorCode"], 400_004);
        assert_eq!(v["message"], "bad key 'a b'");
        assert_eq!(v["trackingId"].as_str().unwrap().len(), 32);
        assert!(v["timestampUtc"].as_str().unwrap().ends_with('Z'));
    }

    fn connect(client_id: &str, username: &str, password: &str) -> Connect {
        let mut c = Connect::new(client_id);
        c.login = Some(rumqttc::mqttbytes::v4::Login::new(username, password));
        c
    }

    #[test]
    fn connect_rules_map_to_connack_codes() {
        let ok = check_connect(connect("d1", "hub/d1/?api-version=2021-04-12", "sas"), None);
        let (id, auth, _) = ok.ok().unwrap();
        assert_eq!(id, Identity::device("d1"));
        assert_eq!(auth.hub_host, "hub");
        assert_eq!(auth.password.as_deref(), Some("sas"));

        let x509 = check_connect(
            connect("d1/m", "hub/d1/m/?api-version=1", ""),
            Some(vec![1]),
        );
        let (id, auth, _) = x509.ok().unwrap();
        assert_eq!(id, Identity::module("d1", "m"));
        assert_eq!(auth.password, None);
        assert_eq!(auth.client_cert_der, Some(vec![1]));

        let mismatch = check_connect(connect("d2", "hub/d1/?api-version=1", "sas"), None);
        assert_eq!(mismatch.err(), Some(ConnectReturnCode::BadClientId));
        let no_api = check_connect(connect("d1", "hub/d1/", "sas"), None);
        assert_eq!(no_api.err(), Some(ConnectReturnCode::BadUserNamePassword));
        let no_login = check_connect(Connect::new("d1"), None);
        assert_eq!(no_login.err(), Some(ConnectReturnCode::BadUserNamePassword));
    }

    #[test]
    fn only_telemetry_wills_are_kept() {
        let mut c = connect("d1", "hub/d1/?api-version=1", "sas");
        c.last_will = Some(LastWill::new(
            "devices/d1/messages/events/a=b",
            "bye",
            QoS::AtLeastOnce,
            false,
        ));
        let (_, _, params) = check_connect(c, None).ok().unwrap();
        assert!(params.will.is_some());

        let mut c = connect("d1", "hub/d1/?api-version=1", "sas");
        c.last_will = Some(LastWill::new(
            "devices/d2/messages/events/",
            "bye",
            QoS::AtLeastOnce,
            false,
        ));
        let (_, _, params) = check_connect(c, None).ok().unwrap();
        assert!(params.will.is_none());
    }
}
