//! The device MQTT endpoint: MQTT 3.1.1 over TLS (8883) and over WebSocket (`/$iothub/websocket`).
//!
//! Packets are encoded and decoded by rumqttc's MQTT 3.1.1 codec; this module only adapts the two
//! transports to it, and `session` implements the hub's rules on top. Both transports feed the
//! same session code, so a device behaves the same on either port.

pub mod backend;
pub(crate) mod session;
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

use crate::config::ConnectionLimits;
use crate::connections::Connections;

/// The largest packet a device may send: a 256 KB D2C message plus room for its topic and
/// property bag. Larger packets end the connection as soon as their header is read.
pub const MAX_INCOMING_PACKET: usize = 256 * 1024 + 16 * 1024;
/// The largest packet the hub sends (twin documents, 128 KB method payloads).
const MAX_OUTGOING_PACKET: usize = 1024 * 1024;
/// A ceiling for one WebSocket message carrying MQTT, for the upgrade handler's
/// `max_message_size`/`max_frame_size`: a full packet plus a little for packets sharing the frame.
pub const WEBSOCKET_MAX_MESSAGE: usize = MAX_INCOMING_PACKET + 64 * 1024;
/// How long closing a transport may take when the peer does not cooperate.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// After a packet larger than this, an emptied buffer is swapped for a small one: the tail of a
/// split buffer keeps the whole allocation alive, and one 256 KB message must not cost a
/// connection 256 KB for the rest of its life when ten thousand connections are open.
const KEEP_BUFFER: usize = 16 * 1024;

/// What a TLS session's packet buffers start with. Most device packets (PINGREQ, twin requests,
/// method answers, short telemetry) are a few hundred bytes; `Framed`'s default of 8 KiB for
/// reading plus 8 KiB for writing would be most of what an idle session costs, and buffers grow
/// on demand for the packets that need more.
const INITIAL_BUFFER: usize = 512;

fn release_after(buf: &mut BytesMut, packet_size: usize) {
    if packet_size > KEEP_BUFFER && buf.is_empty() {
        *buf = BytesMut::with_capacity(4 * 1024);
    }
}

fn codec() -> Codec {
    Codec {
        max_incoming_size: MAX_INCOMING_PACKET,
        max_outgoing_size: MAX_OUTGOING_PACKET,
    }
}

/// MQTT over a byte stream (TLS).
struct FramedIo<S>(Framed<S, Codec>);

impl<S> PacketIo for FramedIo<S>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send,
{
    async fn next_packet(&mut self) -> Option<Result<Packet, rumqttc::mqttbytes::Error>> {
        let packet = self.0.next().await;
        if let Some(Ok(p)) = &packet {
            release_after(self.0.read_buffer_mut(), p.size());
        }
        packet
    }

    async fn send_packet(&mut self, packet: Packet) -> std::io::Result<()> {
        let size = packet.size();
        let sent = self.0.send(packet).await.map_err(std::io::Error::other);
        release_after(self.0.write_buffer_mut(), size);
        sent
    }

    async fn close(&mut self) {
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, SinkExt::close(&mut self.0)).await;
    }
}

/// Accepts MQTT over TLS on `listener` until `shutdown` is cancelled, then closes every session
/// it started and returns once they have ended. At most `limits.max_connections` connections
/// are held at once, and a TLS handshake gets `limits.handshake_timeout`.
///
/// # Errors
///
/// None today: accept errors (such as running out of file descriptors) are logged and retried,
/// because one bad moment must not take the endpoint down. The `Result` leaves room for errors
/// that should stop the server.
pub async fn serve_tls(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    backend: Arc<dyn DeviceBackend>,
    connections: Arc<Connections>,
    limits: ConnectionLimits,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let ctx = SessionContext {
        backend,
        connections,
        shutdown: shutdown.clone(),
    };
    crate::listen::accept_tls(
        "MQTT",
        listener,
        tls,
        limits,
        shutdown,
        move |tls, _peer| {
            let cert = crate::listen::peer_certificate(&tls);
            let mut framed = Framed::with_capacity(tls, codec(), INITIAL_BUFFER);
            *framed.write_buffer_mut() = BytesMut::with_capacity(INITIAL_BUFFER);
            run_session(FramedIo(framed), ctx.clone(), cert)
        },
    )
    .await;
    Ok(())
}

/// Turns WebSocket binary frames into MQTT packets: a packet may span frames and one frame may
/// carry several packets, so frames are accumulated and decoded as a byte stream.
pub(crate) struct FrameDecoder {
    codec: Codec,
    buf: BytesMut,
}

impl FrameDecoder {
    pub(crate) fn new() -> Self {
        Self {
            codec: codec(),
            buf: BytesMut::new(),
        }
    }

    /// Appends one frame's bytes. Fails when more is buffered than any valid packet needs,
    /// which the codec alone would only notice once a header is complete.
    pub(crate) fn push(&mut self, frame: &[u8]) -> Result<(), rumqttc::mqttbytes::Error> {
        let buffered = self.buf.len() + frame.len();
        if buffered > WEBSOCKET_MAX_MESSAGE + MAX_INCOMING_PACKET {
            return Err(rumqttc::mqttbytes::Error::PayloadSizeLimitExceeded(
                buffered,
            ));
        }
        self.buf.extend_from_slice(frame);
        Ok(())
    }

    /// The next complete packet, if the buffered bytes hold one.
    pub(crate) fn next_packet(&mut self) -> Result<Option<Packet>, rumqttc::mqttbytes::Error> {
        let packet = self.codec.decode(&mut self.buf)?;
        if let Some(p) = &packet {
            release_after(&mut self.buf, p.size());
        }
        Ok(packet)
    }
}

/// MQTT over an upgraded WebSocket.
struct WsIo {
    socket: WebSocket,
    decoder: FrameDecoder,
}

impl PacketIo for WsIo {
    async fn next_packet(&mut self) -> Option<Result<Packet, rumqttc::mqttbytes::Error>> {
        // Cancel-safe: the only await is the socket read, and a frame is buffered before the
        // next await point.
        loop {
            match self.decoder.next_packet() {
                Ok(Some(p)) => return Some(Ok(p)),
                Ok(None) => {}
                Err(e) => return Some(Err(e)),
            }
            match self.socket.next().await? {
                Ok(Message::Binary(data)) => {
                    if let Err(e) = self.decoder.push(&data) {
                        return Some(Err(e));
                    }
                }
                Ok(Message::Close(_)) | Err(_) => return None,
                // MQTT travels in binary frames only.
                Ok(Message::Text(_)) => {
                    return Some(Err(rumqttc::mqttbytes::Error::MalformedPacket));
                }
                // The WebSocket layer answers pings itself.
                Ok(Message::Ping(_) | Message::Pong(_)) => {}
            }
        }
    }

    async fn send_packet(&mut self, packet: Packet) -> std::io::Result<()> {
        let mut out = BytesMut::new();
        self.decoder
            .codec
            .encode(packet, &mut out)
            .map_err(std::io::Error::other)?;
        self.socket
            .send(Message::Binary(out.freeze()))
            .await
            .map_err(std::io::Error::other)
    }

    async fn close(&mut self) {
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, SinkExt::close(&mut self.socket)).await;
    }
}

/// Runs one MQTT session over an already-upgraded WebSocket (subprotocol `mqtt`, binary frames)
/// until the device leaves, the session is replaced or dropped, or `shutdown` is cancelled.
///
/// The upgrade handler should cap messages at [`WEBSOCKET_MAX_MESSAGE`].
pub async fn serve_websocket(
    socket: WebSocket,
    backend: Arc<dyn DeviceBackend>,
    connections: Arc<Connections>,
    shutdown: CancellationToken,
) {
    let io = WsIo {
        socket,
        decoder: FrameDecoder::new(),
    };
    let ctx = SessionContext {
        backend,
        connections,
        shutdown,
    };
    run_session(io, ctx, None).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use rumqttc::mqttbytes::QoS;
    use rumqttc::mqttbytes::v4::{Publish, Subscribe};

    fn encode(packets: &[Packet]) -> Vec<u8> {
        let mut out = BytesMut::new();
        for p in packets {
            codec().encode(p.clone(), &mut out).unwrap();
        }
        out.to_vec()
    }

    fn drain(d: &mut FrameDecoder) -> Vec<Packet> {
        std::iter::from_fn(|| d.next_packet().unwrap()).collect()
    }

    fn sample() -> Vec<Packet> {
        let mut subscribe = Subscribe::new("$iothub/twin/res/#", QoS::AtLeastOnce);
        subscribe.pkid = 1;
        let mut publish = Publish::new(
            "$iothub/twin/GET/?$rid=1",
            QoS::AtLeastOnce,
            vec![b' '; 300],
        );
        publish.pkid = 3;
        vec![
            Packet::Subscribe(subscribe),
            Packet::Publish(publish),
            Packet::PingReq,
        ]
    }

    #[test]
    fn large_buffers_are_released_once_drained() {
        let publish = Publish::new(
            "devices/d/messages/events/",
            QoS::AtMostOnce,
            vec![0; 200_000],
        );
        let bytes = encode(&[Packet::Publish(publish)]);
        let mut d = FrameDecoder::new();
        d.push(&bytes).unwrap();
        let start = d.buf.as_ptr() as usize;
        let packet = d.next_packet().unwrap();
        assert!(matches!(packet, Some(Packet::Publish(_))));
        // While the packet is alive its allocation is too, so a released buffer cannot lie in it.
        let now = d.buf.as_ptr() as usize;
        assert!(
            !(start..=start + bytes.len()).contains(&now),
            "the buffer still points into the 200 KB allocation"
        );
        assert!(d.buf.capacity() <= KEEP_BUFFER);
    }

    #[test]
    fn one_frame_may_hold_several_packets() {
        let mut d = FrameDecoder::new();
        d.push(&encode(&sample())).unwrap();
        assert_eq!(drain(&mut d), sample());
    }

    #[test]
    fn a_packet_may_span_frames() {
        let bytes = encode(&sample());
        for chunk in [1, 2, 7, 64, 299] {
            let mut d = FrameDecoder::new();
            let mut got = Vec::new();
            for frame in bytes.chunks(chunk) {
                d.push(frame).unwrap();
                got.extend(drain(&mut d));
            }
            assert_eq!(got, sample(), "frames of {chunk} bytes");
        }
    }

    #[test]
    fn oversize_and_garbage_are_errors_not_waits() {
        let mut d = FrameDecoder::new();
        // A PUBLISH header announcing a body far over the limit is refused from its header.
        let mut header = vec![0x32];
        let mut len = MAX_INCOMING_PACKET * 2;
        while len > 0 {
            let byte = u8::try_from(len % 128).unwrap();
            len /= 128;
            header.push(if len > 0 { byte | 0x80 } else { byte });
        }
        d.push(&header).unwrap();
        assert!(d.next_packet().is_err());

        let mut d = FrameDecoder::new();
        d.push(&[0xff; 8]).unwrap();
        assert!(d.next_packet().is_err());

        let mut d = FrameDecoder::new();
        assert!(
            d.push(&vec![0; WEBSOCKET_MAX_MESSAGE + MAX_INCOMING_PACKET + 1])
                .is_err()
        );
    }
}
