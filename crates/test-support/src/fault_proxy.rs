//! A TCP fault proxy: the network faults of HARDENING.md § Network faults for machines where
//! `tc netem` and network namespaces are unavailable (no `sch_netem`, no root).
//!
//! [`FaultProxy::start`] listens on `127.0.0.1:0` and forwards every accepted connection to an
//! upstream address (the hub's MQTT or HTTPS port), byte for byte in both directions. It never
//! parses what it forwards (TLS passes through untouched); it only decides *when* bytes move:
//!
//! - [`Fault::None`]: plain pass-through.
//! - [`Fault::Delay`]: each chunk read is held `base + random(0..=jitter)` before it is written
//!   on (order is kept: one direction is one queue, as on a TCP stream).
//! - [`Fault::Drip`]: each chunk is written `bytes` at a time, one piece per `every` (a slow link;
//!   a [`FaultProxy::cut`] during a drip drops the half-written packet).
//! - [`Fault::Stall`]: nothing is read or written while it lasts, the sockets stay open (a link
//!   that stops answering without a FIN or RST: only keep-alives can tell).
//! - [`Fault::Lossy`]: with probability `stall_probability` a chunk is held for `stall_for`
//!   before it moves on. At the TCP level, packet loss is exactly that: the lost segment is
//!   retransmitted after a timeout and everything behind it waits.
//!
//! and, at any instant, [`FaultProxy::cut`] closes both sides of every open connection (also in
//! the middle of a chunk), [`FaultProxy::down`] cuts and refuses new connections (accepted and
//! closed at once, as a dead route would) until [`FaultProxy::restore`].
//!
//! The counters ([`FaultProxy::stats`]) let a test report reconnects and cuts.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How bytes move through the proxy (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// Pass-through.
    None,
    /// Every chunk held `base` plus a random share of `jitter`.
    Delay {
        /// The least delay of each chunk.
        base: Duration,
        /// At most this much more, drawn per chunk.
        jitter: Duration,
    },
    /// Every chunk written `bytes` at a time, one piece each `every`.
    Drip {
        /// Bytes per piece (at least 1).
        bytes: usize,
        /// The pause before each piece.
        every: Duration,
    },
    /// Nothing moves; the sockets stay open.
    Stall,
    /// Random stalls standing for packet loss: each chunk is held `stall_for` with probability
    /// `stall_probability`.
    Lossy {
        /// The chance (0.0 to 1.0) that a chunk is held.
        stall_probability: f64,
        /// How long a held chunk waits (a retransmission timeout).
        stall_for: Duration,
    },
}

/// What the proxy has seen so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Connections accepted and forwarded upstream.
    pub connections: u64,
    /// Connections refused while the link was down.
    pub refused: u64,
    /// Times [`FaultProxy::cut`] (or [`FaultProxy::down`]) was called.
    pub cuts: u64,
    /// Bytes written on, both directions.
    pub bytes: u64,
}

struct Shared {
    upstream: SocketAddr,
    fault: watch::Sender<Fault>,
    /// Bumped by each cut: a connection ends when it changes.
    generation: watch::Sender<u64>,
    down: AtomicBool,
    connections: AtomicU64,
    refused: AtomicU64,
    cuts: AtomicU64,
    bytes: AtomicU64,
    rng: Mutex<StdRng>,
}

/// A running fault proxy; stops accepting when dropped (open connections are cut).
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    /// Listens on `127.0.0.1:0` and forwards to `upstream`, with no fault. `seed` makes the
    /// random delays and stalls repeatable.
    pub async fn start(upstream: SocketAddr, seed: u64) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream,
            fault: watch::Sender::new(Fault::None),
            generation: watch::Sender::new(0),
            down: AtomicBool::new(false),
            connections: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            cuts: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
        });
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(Self {
            addr,
            shared,
            accept,
        })
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Applies `fault` to every connection, open ones included, from their next chunk on.
    pub fn set(&self, fault: Fault) {
        self.shared.fault.send_replace(fault);
    }

    /// The fault in force.
    pub fn fault(&self) -> Fault {
        self.shared.fault.borrow().clone()
    }

    /// Closes both sides of every open connection now, whatever is half written. New
    /// connections are still accepted.
    pub fn cut(&self) {
        self.shared.cuts.fetch_add(1, Ordering::SeqCst);
        self.shared.generation.send_modify(|g| *g += 1);
    }

    /// Cuts, then refuses new connections until [`FaultProxy::restore`].
    pub fn down(&self) {
        self.shared.down.store(true, Ordering::SeqCst);
        self.cut();
    }

    /// Accepts connections again and forwards with no fault.
    pub fn restore(&self) {
        self.set(Fault::None);
        self.shared.down.store(false, Ordering::SeqCst);
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        Stats {
            connections: self.shared.connections.load(Ordering::SeqCst),
            refused: self.shared.refused.load(Ordering::SeqCst),
            cuts: self.shared.cuts.load(Ordering::SeqCst),
            bytes: self.shared.bytes.load(Ordering::SeqCst),
        }
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.shared.generation.send_modify(|g| *g += 1);
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((client, _)) = listener.accept().await {
        if shared.down.load(Ordering::SeqCst) {
            shared.refused.fetch_add(1, Ordering::SeqCst);
            drop(client);
            continue;
        }
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let generation = *shared.generation.borrow();
            let mut cut = shared.generation.subscribe();
            let Ok(server) = TcpStream::connect(shared.upstream).await else {
                return;
            };
            shared.connections.fetch_add(1, Ordering::SeqCst);
            let _ = client.set_nodelay(true);
            let _ = server.set_nodelay(true);
            let (client_read, client_write) = client.into_split();
            let (server_read, server_write) = server.into_split();
            let both = async {
                tokio::join!(
                    pump(client_read, server_write, &shared),
                    pump(server_read, client_write, &shared),
                )
            };
            // A cut drops both pumps, and with them both sockets: each peer sees the close.
            tokio::select! {
                _ = both => {}
                _ = cut.wait_for(|g| *g != generation) => {}
            }
        });
    }
}

/// Moves bytes one way until end of stream or an error, applying the fault in force to each
/// chunk read.
async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, shared: &Shared) {
    let mut faults = shared.fault.subscribe();
    let mut buf = vec![0_u8; 16 * 1024];
    loop {
        // While stalled, read nothing either: the sender's buffers fill as on a dead link.
        if faults.wait_for(|f| *f != Fault::Stall).await.is_err() {
            return;
        }
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => {
                let _ = to.shutdown().await;
                return;
            }
            Ok(n) => n,
        };
        let fault = faults.borrow_and_update().clone();
        let chunk = &buf[..n];
        let written = match fault {
            Fault::None => to.write_all(chunk).await,
            Fault::Delay { base, jitter } => {
                let extra = random_share(shared, jitter);
                tokio::time::sleep(base + extra).await;
                to.write_all(chunk).await
            }
            Fault::Drip { bytes, every } => drip(&mut to, chunk, bytes.max(1), every).await,
            Fault::Stall => {
                // Set between the read and here: hold the chunk until the stall ends.
                if faults.wait_for(|f| *f != Fault::Stall).await.is_err() {
                    return;
                }
                to.write_all(chunk).await
            }
            Fault::Lossy {
                stall_probability,
                stall_for,
            } => {
                let lost = shared
                    .rng
                    .lock()
                    .unwrap()
                    .random_bool(stall_probability.clamp(0.0, 1.0));
                if lost {
                    tokio::time::sleep(stall_for).await;
                }
                to.write_all(chunk).await
            }
        };
        if written.is_err() {
            return;
        }
        shared.bytes.fetch_add(n as u64, Ordering::SeqCst);
    }
}

async fn drip(
    to: &mut OwnedWriteHalf,
    chunk: &[u8],
    bytes: usize,
    every: Duration,
) -> std::io::Result<()> {
    for piece in chunk.chunks(bytes) {
        tokio::time::sleep(every).await;
        to.write_all(piece).await?;
        to.flush().await?;
    }
    Ok(())
}

fn random_share(shared: &Shared, jitter: Duration) -> Duration {
    if jitter.is_zero() {
        return Duration::ZERO;
    }
    let millis = u64::try_from(jitter.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(shared.rng.lock().unwrap().random_range(0..=millis))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// An upstream that echoes everything back.
    async fn echo() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let (mut r, mut w) = s.split();
                    let _ = tokio::io::copy(&mut r, &mut w).await;
                });
            }
        });
        addr
    }

    async fn proxy() -> FaultProxy {
        FaultProxy::start(echo().await, 7).await.unwrap()
    }

    /// Reads exactly `n` bytes, or fewer when the stream ends first.
    async fn read_up_to(s: &mut TcpStream, n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = [0_u8; 1024];
        while out.len() < n {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(k) => out.extend_from_slice(&buf[..k]),
            }
        }
        out
    }

    #[tokio::test]
    async fn passes_bytes_through_both_ways() {
        let p = proxy().await;
        let mut s = TcpStream::connect(p.addr()).await.unwrap();
        let data: Vec<u8> = (0..100_000_u32).map(|i| (i % 251) as u8).collect();
        let (mut r, mut w) = s.split();
        let (_, back) = tokio::join!(w.write_all(&data), read_up_to_half(&mut r, data.len()));
        assert_eq!(back, data);
        assert_eq!(p.stats().connections, 1);
        assert_eq!(p.stats().bytes, 2 * data.len() as u64);
    }

    async fn read_up_to_half(r: &mut tokio::net::tcp::ReadHalf<'_>, n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = [0_u8; 4096];
        while out.len() < n {
            match r.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(k) => out.extend_from_slice(&buf[..k]),
            }
        }
        out
    }

    #[tokio::test]
    async fn delay_holds_each_chunk_and_keeps_order() {
        let p = proxy().await;
        p.set(Fault::Delay {
            base: Duration::from_millis(150),
            jitter: Duration::from_millis(50),
        });
        let mut s = TcpStream::connect(p.addr()).await.unwrap();
        let start = Instant::now();
        s.write_all(b"abc").await.unwrap();
        assert_eq!(read_up_to(&mut s, 3).await, b"abc");
        // Delayed on the way up and on the way back.
        assert!(start.elapsed() >= Duration::from_millis(300));
        for i in 0..20_u8 {
            s.write_all(&[i]).await.unwrap();
        }
        let back = read_up_to(&mut s, 20).await;
        assert_eq!(back, (0..20).collect::<Vec<u8>>(), "order kept");
    }

    #[tokio::test]
    async fn drip_sends_a_few_bytes_per_interval() {
        let p = proxy().await;
        let mut s = TcpStream::connect(p.addr()).await.unwrap();
        p.set(Fault::Drip {
            bytes: 2,
            every: Duration::from_millis(40),
        });
        let start = Instant::now();
        s.write_all(b"0123456789").await.unwrap();
        assert_eq!(read_up_to(&mut s, 10).await, b"0123456789");
        // Five pieces up, 40 ms before each (the way back overlaps: the echo answers each
        // piece as it arrives).
        assert!(start.elapsed() >= Duration::from_millis(200));
    }

    #[tokio::test]
    async fn stall_moves_nothing_but_keeps_the_socket_open() {
        let p = proxy().await;
        let mut s = TcpStream::connect(p.addr()).await.unwrap();
        s.write_all(b"x").await.unwrap();
        assert_eq!(read_up_to(&mut s, 1).await, b"x");
        p.set(Fault::Stall);
        s.write_all(b"held").await.unwrap();
        let mut buf = [0_u8; 8];
        let waited = tokio::time::timeout(Duration::from_millis(500), s.read(&mut buf)).await;
        assert!(
            waited.is_err(),
            "nothing arrives (and no EOF) while stalled"
        );
        p.set(Fault::None);
        assert_eq!(read_up_to(&mut s, 4).await, b"held");
    }

    #[tokio::test]
    async fn cut_closes_both_sides_in_the_middle_of_a_packet() {
        let p = proxy().await;
        let mut s = TcpStream::connect(p.addr()).await.unwrap();
        s.write_all(b"warm").await.unwrap();
        assert_eq!(read_up_to(&mut s, 4).await, b"warm");
        p.set(Fault::Drip {
            bytes: 1,
            every: Duration::from_millis(100),
        });
        s.write_all(b"0123456789").await.unwrap();
        tokio::time::sleep(Duration::from_millis(450)).await;
        p.cut();
        let got = tokio::time::timeout(Duration::from_secs(5), read_up_to(&mut s, 10))
            .await
            .expect("the cut closes the client's side");
        assert!(got.len() < 10, "the packet was cut short: got {got:?}");
        assert_eq!(p.stats().cuts, 1);
        // The proxy still accepts: a new connection works once the fault is lifted.
        p.restore();
        let mut again = TcpStream::connect(p.addr()).await.unwrap();
        again.write_all(b"ok").await.unwrap();
        assert_eq!(read_up_to(&mut again, 2).await, b"ok");
    }

    #[tokio::test]
    async fn down_refuses_new_connections_until_restored() {
        let p = proxy().await;
        let mut open = TcpStream::connect(p.addr()).await.unwrap();
        open.write_all(b"a").await.unwrap();
        assert_eq!(read_up_to(&mut open, 1).await, b"a");
        p.down();
        assert!(read_up_to(&mut open, 1).await.is_empty(), "open link cut");
        let mut refused = TcpStream::connect(p.addr()).await.unwrap();
        let _ = refused.write_all(b"b").await;
        assert!(
            read_up_to(&mut refused, 1).await.is_empty(),
            "closed at once"
        );
        assert_eq!(p.stats().refused, 1);
        p.restore();
        let mut back = TcpStream::connect(p.addr()).await.unwrap();
        back.write_all(b"c").await.unwrap();
        assert_eq!(read_up_to(&mut back, 1).await, b"c");
        assert_eq!(p.stats().connections, 2);
    }

    #[tokio::test]
    async fn lossy_stalls_some_chunks_and_delivers_all_in_order() {
        let p = proxy().await;
        let mut s = TcpStream::connect(p.addr()).await.unwrap();
        p.set(Fault::Lossy {
            stall_probability: 0.3,
            stall_for: Duration::from_millis(60),
        });
        let start = Instant::now();
        for i in 0..20_u8 {
            s.write_all(&[i]).await.unwrap();
            assert_eq!(read_up_to(&mut s, 1).await, [i], "in order, nothing lost");
        }
        // 40 chunks (20 each way) at 30 %: with seed 7, several of them were held.
        assert!(start.elapsed() >= Duration::from_millis(180));
    }
}
