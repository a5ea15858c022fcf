//! One device session: CONNECT rules, subscriptions, twin requests, methods and telemetry.
//!
//! A session is a single task that owns its socket. Everything the hub pushes to the device
//! (desired notifications, method requests) arrives through a bounded channel registered in
//! [`Connections`], so the socket is only ever written from this task.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use rumqttc::mqttbytes::QoS;
use rumqttc::mqttbytes::v4::{
    ConnAck, ConnectReturnCode, Packet, PubAck, Publish, SubAck, SubscribeReasonCode, UnsubAck,
};
use serde_json::json;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::backend::{ConnectAuth, ConnectRefusal, DeviceBackend, DeviceOpError};
use super::topics::{self, Inbound, Subscription, TopicError};
use crate::connections::{Connections, OUTBOUND_QUEUE, Outbound};
use crate::identity::Identity;

/// How long a client may stay silent between the TCP/TLS accept and its CONNECT.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// The hub's server-side keep-alive cap (§E.1).
const MAX_KEEP_ALIVE: Duration = Duration::from_secs(1767);

/// Reads and writes whole MQTT packets over some transport (TLS stream or WebSocket).
pub(crate) trait PacketIo: Send {
    /// The next packet; `None` at end of stream, `Err` on a malformed packet or I/O error.
    fn next_packet(
        &mut self,
    ) -> impl Future<Output = Option<Result<Packet, rumqttc::mqttbytes::Error>>> + Send;
    /// Writes one packet.
    fn send_packet(&mut self, packet: Packet) -> impl Future<Output = std::io::Result<()>> + Send;
}

/// Everything a session needs from the hub.
#[derive(Clone)]
pub(crate) struct SessionContext {
    pub backend: Arc<dyn DeviceBackend>,
    pub connections: Arc<Connections>,
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
        Ok(Some(Ok(Packet::Connect(c)))) if c.protocol == rumqttc::mqttbytes::Protocol::V4 => c,
        Ok(Some(
            Ok(Packet::Connect(_))
            | Err(
                rumqttc::mqttbytes::Error::InvalidProtocolLevel(_)
                | rumqttc::mqttbytes::Error::InvalidProtocol,
            ),
        )) => {
            tracing::debug!("refusing CONNECT: only MQTT 3.1.1 is supported");
            let _ = io
                .send_packet(connack(ConnectReturnCode::RefusedProtocolVersion))
                .await;
            return;
        }
        Ok(Some(Ok(other))) => {
            tracing::debug!(?other, "first packet is not CONNECT; closing");
            return;
        }
        Ok(Some(Err(e))) => {
            tracing::debug!(error = %e, "malformed first packet; closing");
            return;
        }
        Ok(None) | Err(_) => return,
    };

    let Some(login) = connect.login.as_ref() else {
        let _ = io
            .send_packet(connack(ConnectReturnCode::BadUserNamePassword))
            .await;
        return;
    };
    let Some(username) = topics::parse_username(&login.username) else {
        tracing::debug!("refusing CONNECT: malformed username");
        let _ = io
            .send_packet(connack(ConnectReturnCode::BadUserNamePassword))
            .await;
        return;
    };
    let identity = username.identity;
    if connect.client_id != identity.client_id() {
        tracing::debug!(%identity, "refusing CONNECT: client id does not match the username");
        let _ = io
            .send_packet(connack(ConnectReturnCode::BadClientId))
            .await;
        return;
    }
    let auth = ConnectAuth {
        hub_host: username.host,
        password: (!login.password.is_empty()).then(|| login.password.clone()),
        client_cert_der,
    };
    let backend = Arc::clone(&ctx.backend);
    let auth_identity = identity.clone();
    let verdict = tokio::task::spawn_blocking(move || backend.authenticate(&auth_identity, &auth))
        .await
        .unwrap_or(Err(ConnectRefusal::ServerUnavailable));
    if let Err(refusal) = verdict {
        tracing::info!(%identity, ?refusal, "device connection refused");
        let code = match refusal {
            ConnectRefusal::BadUsernameOrPassword => ConnectReturnCode::BadUserNamePassword,
            ConnectRefusal::NotAuthorized => ConnectReturnCode::NotAuthorized,
            ConnectRefusal::ServerUnavailable => ConnectReturnCode::ServiceUnavailable,
        };
        let _ = io.send_packet(connack(code)).await;
        return;
    }

    let (tx, rx) = mpsc::channel(OUTBOUND_QUEUE);
    let kill = ctx.shutdown.child_token();
    let (session_id, replaced) = ctx.connections.register(&identity, tx, kill.clone());
    if replaced {
        tracing::info!(%identity, code = 400_027, "ConnectionForcefullyClosedOnNewConnection: previous session dropped");
    }
    ctx.backend.connection_changed(&identity, true);
    tracing::debug!(%identity, session_id, "device connected");

    let keep_alive = if connect.keep_alive == 0 {
        None
    } else {
        Some((Duration::from_secs(u64::from(connect.keep_alive)) * 3 / 2).min(MAX_KEEP_ALIVE))
    };
    let mut session = Session {
        identity: identity.clone(),
        id: session_id,
        ctx: ctx.clone(),
        twin_res_qos: None,
        next_pkid: 1,
    };
    if io
        .send_packet(connack(ConnectReturnCode::Success))
        .await
        .is_ok()
    {
        session.serve(&mut io, rx, keep_alive, &kill).await;
    }
    if ctx.connections.unregister(&identity, session_id) {
        ctx.backend.connection_changed(&identity, false);
    }
    tracing::debug!(%identity, session_id, "device session ended");
}

fn connack(code: ConnectReturnCode) -> Packet {
    Packet::ConnAck(ConnAck::new(code, false))
}

struct Session {
    identity: Identity,
    id: u64,
    ctx: SessionContext,
    twin_res_qos: Option<QoS>,
    next_pkid: u16,
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
        keep_alive: Option<Duration>,
        kill: &CancellationToken,
    ) {
        let idle_limit = keep_alive.unwrap_or(Duration::MAX);
        loop {
            tokio::select! {
                () = kill.cancelled() => return,
                out = rx.recv() => {
                    let Some(Outbound::Publish { topic, qos, payload }) = out else { return };
                    if self.publish(io, topic, qos, payload).await.is_err() {
                        return;
                    }
                }
                packet = tokio::time::timeout(idle_limit, io.next_packet()) => {
                    let packet = match packet {
                        Err(_) => {
                            tracing::debug!(identity = %self.identity, "keep-alive expired");
                            return;
                        }
                        Ok(None) => return,
                        Ok(Some(Err(e))) => {
                            tracing::debug!(identity = %self.identity, error = %e, "malformed packet; closing");
                            return;
                        }
                        Ok(Some(Ok(p))) => p,
                    };
                    match self.handle(io, packet).await {
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
        io.send_packet(Packet::Publish(publish)).await
    }

    async fn handle<IO: PacketIo>(&mut self, io: &mut IO, packet: Packet) -> std::io::Result<Flow> {
        match packet {
            Packet::PingReq => io.send_packet(Packet::PingResp).await?,
            Packet::Disconnect => return Ok(Flow::Close),
            Packet::Connect(_) => {
                tracing::debug!(identity = %self.identity, "second CONNECT; closing");
                return Ok(Flow::Close);
            }
            Packet::Subscribe(sub) => {
                let mut codes = Vec::with_capacity(sub.filters.len());
                for filter in &sub.filters {
                    // The hub grants QoS 2 requests as QoS 1 (§E.3).
                    let granted = match filter.qos {
                        QoS::AtMostOnce => QoS::AtMostOnce,
                        _ => QoS::AtLeastOnce,
                    };
                    match topics::parse_filter(&filter.path, &self.identity) {
                        Some(Subscription::Methods) => {
                            self.ctx
                                .connections
                                .set_methods_subscribed(&self.identity, self.id);
                            codes.push(SubscribeReasonCode::Success(granted));
                        }
                        Some(Subscription::DesiredUpdates) => {
                            self.ctx.connections.set_desired_subscribed(
                                &self.identity,
                                self.id,
                                granted,
                            );
                            codes.push(SubscribeReasonCode::Success(granted));
                        }
                        Some(Subscription::TwinResponses) => {
                            self.twin_res_qos = Some(granted);
                            codes.push(SubscribeReasonCode::Success(granted));
                        }
                        Some(Subscription::CloudToDevice) => {
                            codes.push(SubscribeReasonCode::Success(granted));
                        }
                        None => {
                            tracing::debug!(identity = %self.identity, filter = %filter.path, "unsupported subscription");
                            codes.push(SubscribeReasonCode::Failure);
                        }
                    }
                }
                io.send_packet(Packet::SubAck(SubAck::new(sub.pkid, codes)))
                    .await?;
            }
            Packet::Unsubscribe(unsub) => {
                io.send_packet(Packet::UnsubAck(UnsubAck::new(unsub.pkid)))
                    .await?;
            }
            Packet::Publish(publish) => return self.handle_publish(io, publish).await,
            // Acknowledgements of what we sent; QoS 1 delivery is best effort like the hub's.
            Packet::PubAck(_) | Packet::PingResp => {}
            other => {
                tracing::debug!(identity = %self.identity, ?other, "unexpected packet; closing");
                return Ok(Flow::Close);
            }
        }
        Ok(Flow::Continue)
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
                tracing::debug!(identity = %self.identity, topic = %publish.topic, why, "closing");
                return Ok(Flow::Close);
            }
        };
        match inbound {
            Inbound::TwinGet { rid } => {
                let backend = Arc::clone(&self.ctx.backend);
                let id = self.identity.clone();
                let result = blocking(move || backend.get_twin(&id)).await;
                let rid = rid.to_string();
                match result {
                    Ok(twin) => {
                        self.twin_response(io, 200, &rid, None, Bytes::from(twin.to_string()))
                            .await?;
                    }
                    Err(e) => self.twin_error(io, &rid, &e).await?,
                }
            }
            Inbound::ReportedPatch { rid } => {
                let rid = rid.to_string();
                match serde_json::from_slice::<serde_json::Value>(&publish.payload) {
                    Ok(patch) if patch.is_object() => {
                        let backend = Arc::clone(&self.ctx.backend);
                        let id = self.identity.clone();
                        let result = blocking(move || backend.patch_reported(&id, &patch)).await;
                        match result {
                            Ok(version) => {
                                self.twin_response(io, 204, &rid, Some(version), Bytes::new())
                                    .await?;
                            }
                            Err(e) => self.twin_error(io, &rid, &e).await?,
                        }
                    }
                    Ok(_) => {
                        let e = DeviceOpError::new(
                            400,
                            400_004,
                            "the reported-properties patch must be a JSON object",
                        );
                        self.twin_error(io, &rid, &e).await?;
                    }
                    Err(err) => {
                        let e = DeviceOpError::new(
                            400,
                            400_006,
                            format!("the reported-properties patch is not valid JSON: {err}"),
                        );
                        self.twin_error(io, &rid, &e).await?;
                    }
                }
            }
            Inbound::MethodResponse { status, rid } => {
                let payload = if publish.payload.iter().all(u8::is_ascii_whitespace) {
                    serde_json::Value::Null
                } else {
                    // A device answering with a non-JSON body still gets its bytes through, as text.
                    serde_json::from_slice(&publish.payload).unwrap_or_else(|_| {
                        serde_json::Value::String(
                            String::from_utf8_lossy(&publish.payload).into_owned(),
                        )
                    })
                };
                self.ctx
                    .connections
                    .complete_method(&self.identity, rid, status, payload);
            }
            Inbound::Telemetry { property_bag } => {
                let properties = topics::parse_property_bag(property_bag);
                let backend = Arc::clone(&self.ctx.backend);
                let id = self.identity.clone();
                let body = publish.payload.clone();
                if let Err(e) = blocking(move || backend.telemetry(&id, properties, &body)).await {
                    tracing::debug!(identity = %self.identity, error = %e.message, "telemetry refused; closing");
                    return Ok(Flow::Close);
                }
            }
        }
        if publish.qos == QoS::AtLeastOnce {
            io.send_packet(Packet::PubAck(PubAck::new(publish.pkid)))
                .await?;
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
            return Ok(());
        };
        let topic = match version {
            Some(v) => format!("$iothub/twin/res/{status}/?$rid={rid}&$version={v}"),
            None => format!("$iothub/twin/res/{status}/?$rid={rid}"),
        };
        self.publish(io, topic, qos, body).await
    }

    async fn twin_error<IO: PacketIo>(
        &mut self,
        io: &mut IO,
        rid: &str,
        error: &DeviceOpError,
    ) -> std::io::Result<()> {
        // Node's twin client only sees an error when the body has `errorCode` (§0 row 9).
        let body = json!({
            "errorCode": error.code,
            "trackingId": uuid::Uuid::new_v4().simple().to_string(),
            "message": error.message,
            "timestampUtc": jiff::Timestamp::now().to_string(),
        });
        self.twin_response(io, error.status, rid, None, Bytes::from(body.to_string()))
            .await
    }
}

/// Runs a storage call off the async workers; a panicking backend becomes a 500.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, DeviceOpError> + Send + 'static,
) -> Result<T, DeviceOpError> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|_| Err(DeviceOpError::new(500, 500_001, "internal error")))
}
