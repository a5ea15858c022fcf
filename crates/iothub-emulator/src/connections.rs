//! The registry of live device sessions: where the REST side reaches a connected device.
//!
//! IoT Hub allows one connection per identity, routes direct methods only to a device that is
//! connected *and* subscribed to `$iothub/methods/POST/#`, and sends desired-property
//! notifications only to subscribed sessions. This module owns those rules so the REST handlers
//! and the MQTT sessions never have to coordinate directly.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use rumqttc::mqttbytes::QoS;
use tokio::sync::{Notify, mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use crate::identity::Identity;

/// How many outbound messages may wait for a slow device. Bounded so that a stalled device cannot
/// grow the hub's memory; a device that falls this far behind is disconnected (see
/// [`Connections::notify_desired`]).
pub(crate) const OUTBOUND_QUEUE: usize = 64;

/// Something the hub pushes to a session.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Publish to the device.
    Publish {
        /// The full topic, query included.
        topic: String,
        /// The `QoS` to publish with.
        qos: QoS,
        /// The message body.
        payload: Bytes,
    },
}

/// Why a direct method could not be delivered or answered: an outcome the hub turns into the
/// real service's 404103/504101 answers ([`EmulatorError`](crate::EmulatorError) is the crate's
/// error type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodInvokeError {
    /// The device was not connected within the connect timeout.
    NotConnected,
    /// The device was connected but not subscribed to methods within the connect timeout.
    NotSubscribed,
    /// The device did not answer within the response timeout.
    Timeout,
    /// The session ended while the call was pending.
    Disconnected,
}

/// The subscriptions the registry tracks for a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tracked {
    /// `$iothub/methods/POST/#`: method calls may be routed to the session.
    Methods,
    /// `$iothub/twin/PATCH/properties/desired/#`, with the granted `QoS`.
    Desired(QoS),
}

/// What the registry knows about one live session.
struct SessionEntry {
    /// Distinguishes this session from earlier and later ones of the same identity.
    session_id: u64,
    /// The session's outbound queue.
    tx: mpsc::Sender<Outbound>,
    /// Ends the session (replaced by a newer one, device disabled or deleted, queue overflow).
    kill: CancellationToken,
    /// Subscribed to method requests.
    methods: bool,
    /// Subscribed to desired-property notifications, at this `QoS`.
    desired: Option<QoS>,
}

/// A method call waiting for the device's answer.
struct PendingCall {
    /// Who must answer: a device cannot complete another device's call by guessing its rid.
    identity: Identity,
    /// The session the request went to; the call fails when that session ends.
    session_id: u64,
    /// Where the answer goes.
    reply: oneshot::Sender<(i32, serde_json::Value)>,
}

/// Live sessions by identity, and direct-method calls waiting for an answer.
///
/// Shared as `Arc<Connections>` between the MQTT sessions and the REST handlers.
pub struct Connections {
    /// The current session of each connected identity.
    sessions: Mutex<HashMap<Identity, SessionEntry>>,
    /// Method calls sent to a device and not yet answered, by the `$rid` the hub chose.
    pending: Mutex<HashMap<String, PendingCall>>,
    /// Wake-ups for method calls waiting for one identity to connect and subscribe. Kept per
    /// identity so that a fleet reconnecting does not wake every waiting call for every connect.
    waiters: Mutex<HashMap<Identity, Arc<Notify>>>,
    /// Source of session ids, so a late cleanup by an old session cannot remove its successor.
    next_session: AtomicU64,
    /// Source of method `$rid`s; global so rids never repeat across sessions.
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
            .field("pending_methods", &lock(&self.pending).len())
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Every update under these locks is a single insert, remove or field store, so a panic
    // elsewhere cannot leave a map half-changed; a poisoned lock is still safe to use.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes a pending call when the caller stops waiting, whichever way it stops (answer,
/// timeout, or the REST request being dropped), so abandoned rids cannot accumulate.
struct PendingGuard<'a> {
    pending: &'a Mutex<HashMap<String, PendingCall>>,
    rid: String,
}

impl Drop for PendingGuard<'_> {
    fn drop(&mut self) {
        lock(self.pending).remove(&self.rid);
    }
}

/// A caller's interest in one identity's connect/subscribe events; the map entry is removed with
/// the last interested caller.
struct WaiterGuard<'a> {
    waiters: &'a Mutex<HashMap<Identity, Arc<Notify>>>,
    identity: &'a Identity,
    notify: Arc<Notify>,
}

impl Drop for WaiterGuard<'_> {
    fn drop(&mut self) {
        let mut waiters = lock(self.waiters);
        // Clones are only made under this lock, so the count is exact: the map's and ours.
        if Arc::strong_count(&self.notify) == 2 {
            waiters.remove(self.identity);
        }
    }
}

impl Connections {
    /// An empty registry.
    pub fn new() -> Self {
        Self {
            sessions: Mutex::new(HashMap::new()),
            pending: Mutex::new(HashMap::new()),
            waiters: Mutex::new(HashMap::new()),
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
        self.wake(identity);
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

    /// Records that the session subscribed to (`on`) or unsubscribed from a tracked topic.
    pub(crate) fn set_subscription(
        &self,
        identity: &Identity,
        session_id: u64,
        what: Tracked,
        on: bool,
    ) {
        {
            let mut sessions = lock(&self.sessions);
            let Some(s) = sessions
                .get_mut(identity)
                .filter(|s| s.session_id == session_id)
            else {
                return;
            };
            match what {
                Tracked::Methods => s.methods = on,
                Tracked::Desired(qos) => s.desired = on.then_some(qos),
            }
        }
        if on && what == Tracked::Methods {
            self.wake(identity);
        }
    }

    /// Wakes the method calls waiting for `identity` to connect or subscribe.
    fn wake(&self, identity: &Identity) {
        if let Some(n) = lock(&self.waiters).get(identity) {
            n.notify_waiters();
        }
    }

    fn fail_pending(&self, identity: &Identity, session_id: u64) {
        // Dropping the reply senders wakes the callers with `Disconnected`.
        lock(&self.pending).retain(|_, p| !(p.identity == *identity && p.session_id == session_id));
    }

    /// Sends `$iothub/twin/PATCH/properties/desired/?$version={version}` with `patch` (which
    /// already contains `"$version"`) to the identity's live session if it is connected and
    /// subscribed; silently does nothing otherwise.
    ///
    /// A session whose outbound queue is full is disconnected rather than silently missing a
    /// version: on reconnect the device reads the whole twin and catches up.
    pub fn notify_desired(&self, identity: &Identity, version: u64, patch: &serde_json::Value) {
        let sessions = lock(&self.sessions);
        let Some(s) = sessions.get(identity) else {
            return;
        };
        let Some(qos) = s.desired else { return };
        let topic = iothub_model::mqtt::desired_patch(version);
        let payload = Bytes::from(patch.to_string());
        let sent = s.tx.try_send(Outbound::Publish {
            topic,
            qos,
            payload,
        });
        // A closed queue means the session is ending; it unregisters itself.
        if let Err(mpsc::error::TrySendError::Full(_)) = sent {
            tracing::warn!(%identity, version, "device is not reading its desired-property notifications; disconnecting it");
            s.kill.cancel();
        }
    }

    /// Waits up to `connect_timeout` for the identity to be connected and subscribed to
    /// `$iothub/methods/POST/#` (zero: it must be already), publishes
    /// `$iothub/methods/POST/{name}/?$rid={fresh rid}` with `payload`, and waits up to
    /// `response_timeout` for `$iothub/methods/res/{status}/?$rid=`. Returns the device's status
    /// and payload (JSON, or `Null` for an empty body). Concurrent calls to one device are
    /// allowed; each gets its own rid. A session that unsubscribes or is replaced before the
    /// request is queued is passed over: the call waits for the next one (a device renewing its
    /// token), within `connect_timeout`.
    ///
    /// # Errors
    ///
    /// [`MethodInvokeError::NotConnected`] or [`MethodInvokeError::NotSubscribed`] when the
    /// device is not ready within `connect_timeout`, [`MethodInvokeError::Timeout`] when it does
    /// not answer within `response_timeout`, [`MethodInvokeError::Disconnected`] when its session
    /// ends first.
    pub async fn invoke_method(
        &self,
        identity: &Identity,
        name: &str,
        payload: &serde_json::Value,
        connect_timeout: Duration,
        response_timeout: Duration,
    ) -> Result<(i32, serde_json::Value), MethodInvokeError> {
        let connect_deadline = tokio::time::Instant::now() + connect_timeout;
        let rid = format!("{:x}", self.next_rid.fetch_add(1, Ordering::Relaxed));
        let (reply_tx, reply_rx) = oneshot::channel();
        let mut delivery = Some((
            reply_tx,
            Outbound::Publish {
                topic: iothub_model::mqtt::method_request(name, &rid),
                // The hub sends method requests at QoS 0 (§E.3).
                qos: QoS::AtMostOnce,
                payload: Bytes::from(payload.to_string()),
            },
        ));
        let (_pending, exchange_deadline) = loop {
            let left = connect_deadline.saturating_duration_since(tokio::time::Instant::now());
            let (tx, session_id) = self.wait_ready(identity, left).await?;
            // The response timeout covers the whole exchange, including a wait for room in the
            // queue of a device that is slow to read.
            let exchange_deadline = tokio::time::Instant::now() + response_timeout;
            let permit = match tokio::time::timeout_at(exchange_deadline, tx.reserve()).await {
                Ok(Ok(permit)) => permit,
                Ok(Err(_)) => return Err(MethodInvokeError::Disconnected),
                Err(_) => return Err(MethodInvokeError::Timeout),
            };
            // Queue the request only while the session is still current and subscribed, under
            // the lock `set_subscription` takes: a session that unsubscribes first flushes its
            // queue before its UNSUBACK (see the MQTT session), so a request queued here reaches
            // the device before the device learns it is no longer subscribed; a request that
            // finds it unsubscribed waits for the next session instead of being lost with a
            // session that is closing (token renewal unsubscribes, drains, reconnects).
            let sessions = lock(&self.sessions);
            if sessions
                .get(identity)
                .is_some_and(|s| s.session_id == session_id && s.methods)
                && let Some((reply, request)) = delivery.take()
            {
                lock(&self.pending).insert(
                    rid.clone(),
                    PendingCall {
                        identity: identity.clone(),
                        session_id,
                        reply,
                    },
                );
                permit.send(request);
                drop(sessions);
                // From here the session's end (`unregister`, or `register` of a successor)
                // fails the call.
                let guard = PendingGuard {
                    pending: &self.pending,
                    rid: rid.clone(),
                };
                break (guard, exchange_deadline);
            }
        };
        match tokio::time::timeout_at(exchange_deadline, reply_rx).await {
            Ok(outcome) => outcome.map_err(|_| MethodInvokeError::Disconnected),
            Err(_) => Err(MethodInvokeError::Timeout),
        }
    }

    /// Waits until `identity` is connected and subscribed to methods, for up to `timeout`.
    async fn wait_ready(
        &self,
        identity: &Identity,
        timeout: Duration,
    ) -> Result<(mpsc::Sender<Outbound>, u64), MethodInvokeError> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut interest: Option<WaiterGuard<'_>> = None;
        loop {
            let notify = match &interest {
                Some(g) => Arc::clone(&g.notify),
                None if timeout.is_zero() => Arc::new(Notify::new()),
                None => {
                    let notify = Arc::clone(
                        lock(&self.waiters)
                            .entry(identity.clone())
                            .or_insert_with(|| Arc::new(Notify::new())),
                    );
                    interest = Some(WaiterGuard {
                        waiters: &self.waiters,
                        identity,
                        notify: Arc::clone(&notify),
                    });
                    notify
                }
            };
            // Register for the wake-up before looking, so a connect in between is not missed.
            let notified = notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let state = lock(&self.sessions)
                .get(identity)
                .map(|s| (s.methods, s.tx.clone(), s.session_id));
            let waiting_for = match state {
                Some((true, tx, id)) => return Ok((tx, id)),
                Some((false, _, _)) => MethodInvokeError::NotSubscribed,
                None => MethodInvokeError::NotConnected,
            };
            if timeout.is_zero() || tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(waiting_for);
            }
        }
    }

    /// Completes a pending method call answered by `identity`. Unknown or foreign rids are
    /// ignored: the answer may come after the caller gave up.
    pub(crate) fn complete_method(
        &self,
        identity: &Identity,
        rid: &str,
        status: i32,
        payload: serde_json::Value,
    ) {
        let mut pending = lock(&self.pending);
        if pending.get(rid).is_some_and(|p| p.identity == *identity)
            && let Some(call) = pending.remove(rid)
        {
            let _ = call.reply.send((status, payload));
        }
    }

    /// Drops the identity's live session (device deleted, disabled, or keys changed). The
    /// session ends asynchronously and then reports the device disconnected to the backend.
    pub fn disconnect(&self, identity: &Identity) {
        if let Some(s) = lock(&self.sessions).get(identity) {
            s.kill.cancel();
        }
    }

    /// Drops every session of a device, including its modules' (device deleted or disabled).
    pub fn disconnect_device(&self, device_id: &str) {
        for s in lock(&self.sessions)
            .iter()
            .filter(|(id, _)| id.device_id == device_id)
            .map(|(_, s)| s)
        {
            s.kill.cancel();
        }
    }

    /// Whether `session_id` is still the identity's current session. A session replaced by a
    /// newer connection may still have a reported patch queued for the store (its task is
    /// cancelled, the blocking write it started is not); applied late, that stale copy would
    /// land after the new session's newer state (seen with rebooting agents that re-send a patch
    /// whose answer the reboot cut off).
    pub(crate) fn is_current(&self, identity: &Identity, session_id: u64) -> bool {
        lock(&self.sessions)
            .get(identity)
            .is_some_and(|s| s.session_id == session_id)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn session(
        c: &Connections,
        id: &Identity,
    ) -> (u64, mpsc::Receiver<Outbound>, CancellationToken) {
        let (tx, rx) = mpsc::channel(OUTBOUND_QUEUE);
        let kill = CancellationToken::new();
        let (sid, _) = c.register(id, tx, kill.clone());
        (sid, rx, kill)
    }

    fn rid_of(out: &Outbound) -> String {
        let Outbound::Publish { topic, .. } = out;
        topic
            .rsplit_once("$rid=")
            .map(|(_, r)| r.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn only_the_newest_session_of_an_identity_is_current() {
        let c = Connections::new();
        let id = Identity::device("d");
        let other = Identity::device("e");
        let (old, _rx_old, old_kill) = session(&c, &id);
        let (_, _rx_other, _) = session(&c, &other);
        assert!(c.is_current(&id, old));
        let (new, _rx_new, _) = session(&c, &id);
        assert!(old_kill.is_cancelled());
        assert!(
            !c.is_current(&id, old),
            "a replaced session is no longer current"
        );
        assert!(c.is_current(&id, new));
        assert!(!c.is_current(&other, new), "session ids are per identity");
        assert!(c.unregister(&id, new));
        assert!(!c.is_current(&id, new), "an ended session is not current");
    }

    #[tokio::test]
    async fn abandoned_calls_leave_nothing_behind() {
        let c = Connections::new();
        let id = Identity::device("d");
        let (sid, mut rx, _kill) = session(&c, &id);
        c.set_subscription(&id, sid, Tracked::Methods, true);
        let mut call = Box::pin(c.invoke_method(
            &id,
            "m",
            &serde_json::Value::Null,
            Duration::ZERO,
            Duration::from_secs(60),
        ));
        // Drive the call until the request is queued, then drop it as a closed HTTP request would.
        tokio::select! {
            _ = &mut call => panic!("call finished without an answer"),
            out = rx.recv() => assert!(!rid_of(&out.unwrap()).is_empty()),
        }
        assert_eq!(lock(&c.pending).len(), 1);
        drop(call);
        assert!(lock(&c.pending).is_empty());
    }

    #[tokio::test]
    async fn waiters_are_per_identity_and_cleaned_up() {
        let c = Arc::new(Connections::new());
        let id = Identity::device("late");
        let waiting = {
            let c = Arc::clone(&c);
            let id = id.clone();
            tokio::spawn(async move {
                c.invoke_method(
                    &id,
                    "m",
                    &serde_json::Value::Null,
                    Duration::from_millis(300),
                    Duration::from_secs(5),
                )
                .await
            })
        };
        while lock(&c.waiters).is_empty() {
            tokio::task::yield_now().await;
        }
        assert_eq!(lock(&c.waiters).len(), 1);
        // Another identity connecting does not satisfy the call.
        let other = Identity::device("other");
        let (osid, _orx, _ok) = session(&c, &other);
        c.set_subscription(&other, osid, Tracked::Methods, true);
        // Connected but not yet subscribed: the call keeps waiting and reports why it gave up.
        let (_sid, _rx, _kill) = session(&c, &id);
        assert_eq!(
            waiting.await.unwrap(),
            Err(MethodInvokeError::NotSubscribed)
        );
        assert!(lock(&c.waiters).is_empty());
    }

    #[tokio::test]
    async fn replaced_session_fails_its_pending_calls() {
        let c = Arc::new(Connections::new());
        let id = Identity::device("d");
        let (sid, mut rx, kill) = session(&c, &id);
        c.set_subscription(&id, sid, Tracked::Methods, true);
        let call = {
            let c = Arc::clone(&c);
            let id = id.clone();
            tokio::spawn(async move {
                c.invoke_method(
                    &id,
                    "m",
                    &serde_json::json!({"a":1}),
                    Duration::ZERO,
                    Duration::from_secs(30),
                )
                .await
            })
        };
        let out = rx.recv().await.unwrap();
        let Outbound::Publish {
            topic,
            qos,
            payload,
        } = &out;
        assert!(topic.starts_with("$iothub/methods/POST/m/?$rid="));
        assert_eq!(*qos, QoS::AtMostOnce);
        assert_eq!(&payload[..], br#"{"a":1}"#);
        let (_new, _rx2, _kill2) = session(&c, &id);
        assert!(kill.is_cancelled());
        assert_eq!(call.await.unwrap(), Err(MethodInvokeError::Disconnected));
        // The old session's late cleanup does not remove its successor.
        assert!(!c.unregister(&id, sid));
        assert!(c.is_connected(&id));
    }

    #[tokio::test]
    async fn a_call_that_finds_the_session_unsubscribed_waits_for_the_next_one() {
        let c = Arc::new(Connections::new());
        let id = Identity::device("d");
        let (sid, mut rx, _kill) = session(&c, &id);
        c.set_subscription(&id, sid, Tracked::Methods, true);
        c.set_subscription(&id, sid, Tracked::Desired(QoS::AtMostOnce), true);
        // A full queue: the call finds the device subscribed, then waits for room.
        let patch = serde_json::json!({"$version": 1});
        for v in 0..OUTBOUND_QUEUE as u64 {
            c.notify_desired(&id, v, &patch);
        }
        let call = {
            let c = Arc::clone(&c);
            let id = id.clone();
            tokio::spawn(async move {
                c.invoke_method(
                    &id,
                    "m",
                    &serde_json::Value::Null,
                    Duration::from_secs(30),
                    Duration::from_secs(30),
                )
                .await
            })
        };
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        // Meanwhile the device unsubscribes (a token renewal) and reads its queue.
        c.set_subscription(&id, sid, Tracked::Methods, false);
        while rx.try_recv().is_ok() {}
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert!(
            rx.try_recv().is_err(),
            "a request was queued for a session that had unsubscribed"
        );
        // The renewed session subscribes and gets the call; the old one's end does not fail it.
        let (sid2, mut rx2, _kill2) = session(&c, &id);
        assert!(!c.unregister(&id, sid));
        c.set_subscription(&id, sid2, Tracked::Methods, true);
        let rid = rid_of(&rx2.recv().await.unwrap());
        c.complete_method(&id, &rid, 200, serde_json::json!("ok"));
        assert_eq!(call.await.unwrap(), Ok((200, serde_json::json!("ok"))));
    }

    #[tokio::test]
    async fn answers_only_complete_the_callers_own_identity() {
        let c = Arc::new(Connections::new());
        let id = Identity::device("d");
        let (sid, mut rx, _kill) = session(&c, &id);
        c.set_subscription(&id, sid, Tracked::Methods, true);
        let call = {
            let c = Arc::clone(&c);
            let id = id.clone();
            tokio::spawn(async move {
                c.invoke_method(
                    &id,
                    "m",
                    &serde_json::Value::Null,
                    Duration::ZERO,
                    Duration::from_secs(30),
                )
                .await
            })
        };
        let rid = rid_of(&rx.recv().await.unwrap());
        c.complete_method(
            &Identity::device("intruder"),
            &rid,
            200,
            serde_json::Value::Null,
        );
        c.complete_method(&id, "no-such-rid", 200, serde_json::Value::Null);
        c.complete_method(&id, &rid, 201, serde_json::json!("ok"));
        assert_eq!(call.await.unwrap(), Ok((201, serde_json::json!("ok"))));
    }

    #[tokio::test]
    async fn unsubscribed_or_overflowing_sessions_get_no_desired_patch() {
        let c = Connections::new();
        let id = Identity::device("d");
        let (sid, mut rx, kill) = session(&c, &id);
        let patch = serde_json::json!({"x": 1, "$version": 2});
        c.notify_desired(&id, 2, &patch);
        assert!(rx.try_recv().is_err(), "not subscribed yet");
        c.set_subscription(&id, sid, Tracked::Desired(QoS::AtLeastOnce), true);
        for v in 0..=OUTBOUND_QUEUE as u64 {
            c.notify_desired(&id, v, &patch);
        }
        assert!(
            kill.is_cancelled(),
            "a device that stops reading is dropped"
        );
        let first = rx.try_recv().unwrap();
        let Outbound::Publish { topic, qos, .. } = first;
        assert_eq!(topic, "$iothub/twin/PATCH/properties/desired/?$version=0");
        assert_eq!(qos, QoS::AtLeastOnce);
    }
}
