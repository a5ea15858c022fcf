//! The registry of live device sessions: where the REST side reaches a connected device.
//!
//! IoT Hub allows one connection per identity, routes direct methods only to a device that is
//! connected *and* subscribed to `$iothub/methods/POST/#`, and sends desired-property
//! notifications only to subscribed sessions. This module owns those rules so the REST handlers
//! and the MQTT sessions never have to coordinate directly.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use rumqttc::mqttbytes::QoS;
use tokio::sync::{Notify, mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use crate::identity::Identity;

/// How many outbound messages may wait for a slow device before new ones are dropped. Bounded so
/// that a stalled device cannot grow the hub's memory.
pub(crate) const OUTBOUND_QUEUE: usize = 64;

/// Something the hub pushes to a session.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Publish to the device.
    Publish {
        topic: String,
        qos: QoS,
        payload: Bytes,
    },
}

/// Why a direct method could not be delivered or answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MethodInvokeError {
    /// The device was not connected within the connect timeout.
    #[error("timed out waiting for device to connect")]
    NotConnected,
    /// The device was connected but not subscribed to methods within the connect timeout.
    #[error("timed out waiting for device to subscribe")]
    NotSubscribed,
    /// The device did not answer within the response timeout.
    #[error("timed out waiting for the response from device")]
    Timeout,
    /// The session ended while the call was pending.
    #[error("device disconnected before answering")]
    Disconnected,
}

/// What the registry knows about one live session.
struct SessionEntry {
    session_id: u64,
    tx: mpsc::Sender<Outbound>,
    /// Ends the session (replaced by a newer one, device disabled or deleted).
    kill: CancellationToken,
    methods: bool,
    desired: Option<QoS>,
}

struct PendingCall {
    identity: Identity,
    session_id: u64,
    reply: oneshot::Sender<(i32, serde_json::Value)>,
}

/// Live sessions by identity, and direct-method calls waiting for an answer.
pub struct Connections {
    sessions: Mutex<HashMap<Identity, SessionEntry>>,
    pending: Mutex<HashMap<String, PendingCall>>,
    /// Woken whenever a session connects or subscribes, for callers waiting on connect timeouts.
    changed: Notify,
    next_session: AtomicU64,
    next_rid: AtomicU64,
}

impl Default for Connections {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Connections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connections")
            .field("connected", &self.connected_count())
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding these locks cannot leave the maps inconsistent (each update is a
    // single insert/remove), so a poisoned lock is still safe to use.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Connections {
    /// An empty registry.
    pub fn new() -> Self {
        Self {
            sessions: Mutex::new(HashMap::new()),
            pending: Mutex::new(HashMap::new()),
            changed: Notify::new(),
            next_session: AtomicU64::new(1),
            next_rid: AtomicU64::new(1),
        }
    }

    /// Registers a new session for `identity`, closing any previous one (one connection per
    /// identity). Returns the session id and whether an older session was dropped.
    pub(crate) fn register(
        &self,
        identity: &Identity,
        tx: mpsc::Sender<Outbound>,
        kill: CancellationToken,
    ) -> (u64, bool) {
        let session_id = self.next_session.fetch_add(1, Ordering::Relaxed);
        let old = lock(&self.sessions).insert(
            identity.clone(),
            SessionEntry {
                session_id,
                tx,
                kill,
                methods: false,
                desired: None,
            },
        );
        let replaced = if let Some(old) = old {
            old.kill.cancel();
            self.fail_pending(identity, old.session_id);
            true
        } else {
            false
        };
        self.changed.notify_waiters();
        (session_id, replaced)
    }

    /// Removes the session if it is still the current one for `identity`; returns whether it was
    /// (so only the current session's end marks the device disconnected).
    pub(crate) fn unregister(&self, identity: &Identity, session_id: u64) -> bool {
        let mut sessions = lock(&self.sessions);
        let current = sessions
            .get(identity)
            .is_some_and(|s| s.session_id == session_id);
        if current {
            sessions.remove(identity);
        }
        drop(sessions);
        self.fail_pending(identity, session_id);
        current
    }

    /// Records a method subscription of the session.
    pub(crate) fn set_methods_subscribed(&self, identity: &Identity, session_id: u64) {
        if let Some(s) = lock(&self.sessions).get_mut(identity) {
            if s.session_id == session_id {
                s.methods = true;
            }
        }
        self.changed.notify_waiters();
    }

    /// Records a desired-properties subscription of the session.
    pub(crate) fn set_desired_subscribed(&self, identity: &Identity, session_id: u64, qos: QoS) {
        if let Some(s) = lock(&self.sessions).get_mut(identity) {
            if s.session_id == session_id {
                s.desired = Some(qos);
            }
        }
    }

    fn fail_pending(&self, identity: &Identity, session_id: u64) {
        // Dropping the reply senders wakes the callers with `Disconnected`.
        lock(&self.pending).retain(|_, p| !(p.identity == *identity && p.session_id == session_id));
    }

    /// Sends a desired-properties notification (`patch` already carries `"$version"`) to the
    /// identity's session when it is connected and subscribed; does nothing otherwise.
    pub fn notify_desired(&self, identity: &Identity, version: u64, patch: &serde_json::Value) {
        let sessions = lock(&self.sessions);
        let Some(s) = sessions.get(identity) else {
            return;
        };
        let Some(qos) = s.desired else { return };
        let topic = format!("$iothub/twin/PATCH/properties/desired/?$version={version}");
        let payload = Bytes::from(patch.to_string());
        if s.tx
            .try_send(Outbound::Publish {
                topic,
                qos,
                payload,
            })
            .is_err()
        {
            tracing::warn!(%identity, "desired notification dropped: device is not reading");
        }
    }

    /// Invokes a direct method: waits up to `connect_timeout` for the identity to be connected and
    /// subscribed to methods, sends the request with a fresh `$rid`, and waits up to
    /// `response_timeout` for the answer. Returns the device's status and payload.
    pub async fn invoke_method(
        &self,
        identity: &Identity,
        name: &str,
        payload: &serde_json::Value,
        connect_timeout: Duration,
        response_timeout: Duration,
    ) -> Result<(i32, serde_json::Value), MethodInvokeError> {
        let deadline = tokio::time::Instant::now() + connect_timeout;
        let (tx, session_id) = loop {
            // Register interest before checking, so a connect between check and wait is not missed.
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let state = {
                let sessions = lock(&self.sessions);
                sessions
                    .get(identity)
                    .map(|s| (s.methods, s.tx.clone(), s.session_id))
            };
            let waiting_for = match state {
                Some((true, tx, id)) => break (tx, id),
                Some((false, _, _)) => MethodInvokeError::NotSubscribed,
                None => MethodInvokeError::NotConnected,
            };
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(waiting_for);
            }
        };

        let rid = format!("{:x}", self.next_rid.fetch_add(1, Ordering::Relaxed));
        let (reply_tx, reply_rx) = oneshot::channel();
        lock(&self.pending).insert(
            rid.clone(),
            PendingCall {
                identity: identity.clone(),
                session_id,
                reply: reply_tx,
            },
        );
        let request = Outbound::Publish {
            topic: format!("$iothub/methods/POST/{name}/?$rid={rid}"),
            qos: QoS::AtMostOnce,
            payload: Bytes::from(payload.to_string()),
        };
        if tx.send(request).await.is_err() {
            lock(&self.pending).remove(&rid);
            return Err(MethodInvokeError::Disconnected);
        }
        let outcome = tokio::time::timeout(response_timeout, reply_rx).await;
        lock(&self.pending).remove(&rid);
        match outcome {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(_)) => Err(MethodInvokeError::Disconnected),
            Err(_) => Err(MethodInvokeError::Timeout),
        }
    }

    /// Completes a pending method call answered by `identity`. Unknown or foreign rids are ignored.
    pub(crate) fn complete_method(
        &self,
        identity: &Identity,
        rid: &str,
        status: i32,
        payload: serde_json::Value,
    ) {
        let mut pending = lock(&self.pending);
        if pending.get(rid).is_some_and(|p| p.identity == *identity) {
            if let Some(call) = pending.remove(rid) {
                let _ = call.reply.send((status, payload));
            }
        }
    }

    /// Drops the identity's live session (device deleted, disabled, or keys changed).
    pub fn disconnect(&self, identity: &Identity) {
        // The session removes itself when it ends, which also marks the device disconnected.
        if let Some(s) = lock(&self.sessions).get(identity) {
            s.kill.cancel();
        }
    }

    /// Drops every session of a device, including its modules' (device deleted or disabled).
    pub fn disconnect_device(&self, device_id: &str) {
        let ids: Vec<Identity> = lock(&self.sessions)
            .keys()
            .filter(|i| i.device_id == device_id)
            .cloned()
            .collect();
        for id in ids {
            self.disconnect(&id);
        }
    }

    /// Whether the identity has a live session.
    pub fn is_connected(&self, identity: &Identity) -> bool {
        lock(&self.sessions).contains_key(identity)
    }

    /// The number of live sessions (devices and modules).
    pub fn connected_count(&self) -> usize {
        lock(&self.sessions).len()
    }
}
