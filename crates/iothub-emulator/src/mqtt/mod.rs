//! The device MQTT endpoint: MQTT 3.1.1 over TLS (8883) and over WebSocket (`/$iothub/websocket`).
//!
//! Packets are encoded and decoded by rumqttc's MQTT 3.1.1 codec; this module only implements the
//! hub's rules on top (see `session`). Both transports feed the same session code.

pub mod backend;
mod session;
pub mod topics;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use bytes::BytesMut;
use futures::{SinkExt, StreamExt};
use rumqttc::mqttbytes::v4::{Codec, Packet};
use tokio::net::TcpListener;
use tokio_util::codec::{Decoder, Encoder, Framed};
use tokio_util::sync::CancellationToken;

pub use backend::{ConnectAuth, ConnectRefusal, DeviceBackend, DeviceOpError};
use session::{PacketIo, SessionContext, run_session};

use crate::connections::Connections;

/// The largest packet a device may send: a 256 KB D2C message plus topic and headers.
pub const MAX_INCOMING_PACKET: usize = 256 * 1024 + 8 * 1024;
/// The largest packet the hub sends (twin documents, 128 KB method payloads).
const MAX_OUTGOING_PACKET: usize = 1024 * 1024;

fn codec() -> Codec {
    Codec {
        max_incoming_size: MAX_INCOMING_PACKET,
        max_outgoing_size: MAX_OUTGOING_PACKET,
    }
}

struct FramedIo<S>(Framed<S, Codec>);

impl<S> PacketIo for FramedIo<S>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send,
{
    async fn next_packet(&mut self) -> Option<Result<Packet, rumqttc::mqttbytes::Error>> {
        self.0.next().await
    }

    async fn send_packet(&mut self, packet: Packet) -> std::io::Result<()> {
        self.0.send(packet).await.map_err(std::io::Error::other)
    }
}

/// Accepts MQTT over TLS on `listener` until `shutdown` is cancelled.
pub async fn serve_tls(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    backend: Arc<dyn DeviceBackend>,
    connections: Arc<Connections>,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    let ctx = SessionContext {
        backend,
        connections,
        shutdown: shutdown.clone(),
    };
    loop {
        let (stream, peer) = tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Running out of file descriptors must not end the listener: back off briefly.
                    tracing::warn!(error = %e, "MQTT accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        let ctx = ctx.clone();
        tokio::spawn(async move {
            let handshake =
                tokio::time::timeout(session::CONNECT_TIMEOUT, acceptor.accept(stream)).await;
            let tls = match handshake {
                Ok(Ok(tls)) => tls,
                Ok(Err(e)) => {
                    tracing::debug!(%peer, error = %e, "TLS handshake failed");
                    return;
                }
                Err(_) => return,
            };
            let cert = tls
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|c| c.first())
                .map(|c| c.as_ref().to_vec());
            run_session(FramedIo(Framed::new(tls, codec())), ctx, cert).await;
        });
    }
}

/// Bridges WebSocket binary frames to MQTT packets: a packet may span frames and one frame may
/// carry several packets.
struct WsIo {
    socket: WebSocket,
    codec: Codec,
    buf: BytesMut,
}

impl PacketIo for WsIo {
    async fn next_packet(&mut self) -> Option<Result<Packet, rumqttc::mqttbytes::Error>> {
        loop {
            match self.codec.decode(&mut self.buf) {
                Ok(Some(p)) => return Some(Ok(p)),
                Ok(None) => {}
                Err(e) => return Some(Err(e)),
            }
            match self.socket.next().await? {
                Ok(Message::Binary(data)) => self.buf.extend_from_slice(&data),
                Ok(Message::Close(_)) | Err(_) => return None,
                // Text frames are not MQTT; pings are answered by the WebSocket layer.
                Ok(Message::Text(_)) => {
                    return Some(Err(rumqttc::mqttbytes::Error::MalformedPacket));
                }
                Ok(Message::Ping(_) | Message::Pong(_)) => {}
            }
        }
    }

    async fn send_packet(&mut self, packet: Packet) -> std::io::Result<()> {
        let mut out = BytesMut::new();
        self.codec
            .encode(packet, &mut out)
            .map_err(std::io::Error::other)?;
        self.socket
            .send(Message::Binary(out.freeze()))
            .await
            .map_err(std::io::Error::other)
    }
}

/// Runs one MQTT session over an upgraded WebSocket (subprotocol `mqtt`, binary frames).
pub async fn serve_websocket(
    socket: WebSocket,
    backend: Arc<dyn DeviceBackend>,
    connections: Arc<Connections>,
    shutdown: CancellationToken,
) {
    let io = WsIo {
        socket,
        codec: codec(),
        buf: BytesMut::new(),
    };
    let ctx = SessionContext {
        backend,
        connections,
        shutdown,
    };
    run_session(io, ctx, None).await;
}
