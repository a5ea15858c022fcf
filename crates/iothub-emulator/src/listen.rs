//! The one TLS accept loop both listeners (HTTPS and MQTT) run.
//!
//! An unauthenticated client must not be able to exhaust the hub: each listener holds at most
//! [`ConnectionLimits::max_connections`] connections (a new one waits in the kernel's backlog
//! until a slot frees, so connected sessions keep being served), and a connection that has not
//! finished its TLS handshake within [`ConnectionLimits::handshake_timeout`] is dropped. What
//! happens after the handshake (HTTP, MQTT) is the caller's; its own timeouts apply there.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_rustls::server::TlsStream;
use tokio_util::sync::CancellationToken;

use crate::config::ConnectionLimits;

/// How long open connections get to finish once shutdown starts, before they are aborted.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts TLS connections on `listener` until `shutdown` is cancelled and runs `serve` on
/// each, within `limits`. Once cancelled it stops accepting, gives the connections it started
/// [`DRAIN_TIMEOUT`] to end (they watch `shutdown` themselves) and aborts the rest.
pub(crate) async fn accept_tls<F, Fut>(
    what: &'static str,
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    limits: ConnectionLimits,
    shutdown: CancellationToken,
    serve: F,
) where
    F: Fn(TlsStream<TcpStream>, SocketAddr) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let serve = Arc::new(serve);
    let mut tasks = JoinSet::new();
    let mut saturated = false;
    loop {
        // A slot first, then the socket: at the cap, new clients wait in the backlog and cost
        // the hub no file descriptor.
        let next = async {
            let slot = Arc::clone(&slots)
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            (slot, listener.accept().await)
        };
        let (slot, accepted) = tokio::select! {
            () = shutdown.cancelled() => break,
            Some(done) = tasks.join_next(), if !tasks.is_empty() => {
                if let Err(e) = done
                    && e.is_panic() {
                        tracing::error!(listener = what, error = %e, "connection task panicked");
                    }
                continue;
            }
            next = next => next,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tracing::warn!(listener = what, error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        if slots.available_permits() == 0 {
            if !saturated {
                tracing::warn!(
                    listener = what,
                    max = limits.max_connections,
                    "connection limit reached; new connections wait until one closes"
                );
            }
            saturated = true;
        } else {
            saturated = false;
        }
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        let serve = Arc::clone(&serve);
        let shutdown = shutdown.clone();
        let handshake_timeout = limits.handshake_timeout;
        tasks.spawn(async move {
            let _slot = slot;
            let handshake = tokio::select! {
                () = shutdown.cancelled() => return,
                h = tokio::time::timeout(handshake_timeout, acceptor.accept(stream)) => h,
            };
            let tls = match handshake {
                Ok(Ok(tls)) => tls,
                Ok(Err(e)) => {
                    tracing::debug!(listener = what, %peer, error = %e, "TLS handshake failed");
                    return;
                }
                Err(_) => {
                    tracing::debug!(listener = what, %peer, "TLS handshake timed out");
                    return;
                }
            };
            serve(tls, peer).await;
        });
    }
    drop(listener);
    let drain = async {
        while let Some(done) = tasks.join_next().await {
            if let Err(e) = done
                && e.is_panic()
            {
                tracing::error!(listener = what, error = %e, "connection task panicked");
            }
        }
    };
    if tokio::time::timeout(DRAIN_TIMEOUT, drain).await.is_err() {
        tasks.abort_all();
    }
}

/// The DER of the first certificate the client presented, if any.
pub(crate) fn peer_certificate(tls: &TlsStream<TcpStream>) -> Option<Vec<u8>> {
    tls.get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|der| der.as_ref().to_vec())
}
