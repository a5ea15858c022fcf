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
//!
//! The work is split by responsibility, each part owning its state: `session` (the session
//! loop, the connection status and the diagnosis of failed attempts), `twin` (twin requests
//! and desired state, the converged desired version) and `reports` (the reported-patch
//! queue). This module holds the shared handle and the [`Transport`] implementation.

mod reports;
mod session;
mod twin;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::future::BoxFuture;
use rumqttc::{AsyncClient, QoS};
use serde_json::Value;
use tokio::sync::{Notify, mpsc, oneshot, watch};
use tokio_util::sync::CancellationToken;

use super::credentials::DeviceAuth;
use super::files::HubFiles;
use super::handler::Inbound;
use super::queue::ReportQueue;
use super::status::{ConnectionStatus, LinkState};
use super::{ConnectionSettings, tls};
use crate::error::DmError;
use crate::transport::{FileUploadTarget, Transport};
use iothub_model::mqtt as topics;
use twin::TwinReply;

/// A live session: its client handle and its number.
#[derive(Clone)]
struct Live {
    /// Publishes into this session's event loop.
    client: AsyncClient,
    /// Increases with every session.
    generation: u64,
}

/// Requests to the session loop from outside.
enum Control {
    /// Disconnect and stay offline this long (a simulated reboot).
    Offline(Duration),
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
    /// Set while the endpoint answers in something other than MQTT (see
    /// [`MqttConnection::misdirected`]).
    misdirected: Mutex<Option<String>>,
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
            misdirected: Mutex::new(None),
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

    /// Why the last connection attempt reached something that does not speak MQTT, with the
    /// likely fix; `None` when it did not (or once a session came up). The connection keeps
    /// trying, at its slowest pace, in case the endpoint changes; a caller that can tell the
    /// user (`dmctl simulate`) should stop and say so instead of waiting.
    pub fn misdirected(&self) -> Option<String> {
        lock(&self.misdirected).clone()
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
