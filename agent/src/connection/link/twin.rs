//! The twin worker: twin requests and their answers (`$iothub/twin/res`), and desired state
//! applied in order, re-reading the full twin after each connect or a skipped version. It owns
//! the desired version the device has converged on.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use rumqttc::QoS;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::{BusyGuard, MqttConnection, PendingGuard, lock};
use crate::connection::backoff::{Backoff, ReconnectPolicy};
use crate::connection::handler::Inbound;
use crate::error::DmError;
use iothub_model::mqtt as topics;

/// An answer on `$iothub/twin/res/#`.
#[derive(Debug)]
pub(super) struct TwinReply {
    /// The status in the topic.
    pub(super) status: u16,
    /// The body.
    pub(super) body: Bytes,
}

/// What the twin worker is told.
pub(super) enum TwinEvent {
    /// Session `generation` is up: GET the twin and converge.
    Connected(u64),
    /// A desired patch, with the version from the topic.
    Patch(Value, Option<u64>),
}

impl MqttConnection {
    pub(super) fn current_generation(&self) -> Option<u64> {
        self.live.borrow().as_ref().map(|l| l.generation)
    }

    /// Publishes a twin request and waits for its answer.
    pub(super) async fn twin_request(
        &self,
        topic: fn(&str) -> String,
        body: Vec<u8>,
    ) -> Result<TwinReply, DmError> {
        let live = self.live.borrow().clone().ok_or(DmError::NotConnected)?;
        let rid = uuid::Uuid::new_v4().simple().to_string();
        let (tx, rx) = oneshot::channel();
        lock(&self.pending).insert(rid.clone(), tx);
        let _pending = PendingGuard {
            pending: &self.pending,
            rid: rid.clone(),
        };
        self.busy.send_modify(|n| *n += 1);
        let _busy = BusyGuard(&self.busy);
        live.client
            .publish(topic(&rid), QoS::AtLeastOnce, false, body)
            .await
            .map_err(|_| DmError::NotConnected)?;
        match tokio::time::timeout(self.settings.request_timeout, rx).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(_)) => Err(DmError::NotConnected),
            Err(_) => Err(DmError::HubTimeout),
        }
    }

    pub(super) async fn fetch_twin(&self) -> Result<Value, DmError> {
        let reply = self.twin_request(topics::twin_get, Vec::new()).await?;
        if reply.status != 200 {
            return Err(hub_error(&reply));
        }
        serde_json::from_slice(&reply.body).map_err(|e| DmError::Hub {
            status: reply.status,
            message: format!("the twin is not JSON: {e}"),
        })
    }

    /// Applies desired state in order: the full twin after each connect, then the patches
    /// newer than it. A patch that skips a version means one was missed: the full twin is
    /// fetched again instead.
    pub(super) async fn twin_worker(
        self: Arc<Self>,
        handler: Arc<dyn Inbound>,
        mut events: mpsc::UnboundedReceiver<TwinEvent>,
        stop: CancellationToken,
    ) {
        loop {
            let event = tokio::select! {
                e = events.recv() => match e { Some(e) => e, None => return },
                () = stop.cancelled() => return,
            };
            match event {
                TwinEvent::Connected(generation) => {
                    self.converge(&handler, generation, &stop).await;
                }
                TwinEvent::Patch(patch, topic_version) => {
                    let version = patch
                        .get("$version")
                        .and_then(Value::as_u64)
                        .or(topic_version);
                    let converged = lock(&self.status).desired_version;
                    match (version, converged) {
                        (Some(v), Some(last)) if v <= last => {
                            tracing::debug!(
                                version = v,
                                converged = last,
                                "skipping a desired patch already applied"
                            );
                        }
                        (Some(v), Some(last)) if v > last + 1 => {
                            tracing::info!(
                                version = v,
                                converged = last,
                                "desired versions were skipped; re-reading the twin"
                            );
                            if let Some(generation) = self.current_generation() {
                                self.converge(&handler, generation, &stop).await;
                            }
                        }
                        _ => {
                            handler.desired_patch(&patch).await;
                            if let Some(v) = version {
                                self.set_desired_version(v);
                            }
                        }
                    }
                }
            }
        }
    }

    /// GETs the twin (retrying while session `generation` lasts) and hands it to the handler.
    pub(super) async fn converge(
        &self,
        handler: &Arc<dyn Inbound>,
        generation: u64,
        stop: &CancellationToken,
    ) {
        let mut retry = Backoff::new(ReconnectPolicy {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
        });
        loop {
            if self.current_generation() != Some(generation) {
                // That session is gone; the next one brings its own `Connected`.
                return;
            }
            match self.fetch_twin().await {
                Ok(twin) => {
                    let version = dm_contract::desired_version(&twin);
                    handler.full_twin(&twin).await;
                    if let Some(v) = version {
                        self.set_desired_version(v);
                    }
                    tracing::debug!(desired_version = ?version, "converged on the full twin");
                    return;
                }
                Err(e) => {
                    let delay = retry.next_delay(&mut rand::rng());
                    tracing::warn!(error = %e, "cannot read the twin; trying again");
                    tokio::select! {
                        () = tokio::time::sleep(delay) => {}
                        () = stop.cancelled() => return,
                    }
                }
            }
        }
    }

    pub(super) fn set_desired_version(&self, version: u64) {
        let snapshot = {
            let mut status = lock(&self.status);
            if status.desired_version == Some(version) {
                return;
            }
            status.desired_version = Some(version);
            status.clone()
        };
        self.write_status(&snapshot);
    }
}

/// A hub error from a twin answer: its status and the message of its JSON body.
pub(super) fn hub_error(reply: &TwinReply) -> DmError {
    let message = serde_json::from_slice::<Value>(&reply.body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .or_else(|| v.get("Message"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "no details".to_owned());
    DmError::Hub {
        status: reply.status,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_error_carries_the_status_and_the_bodys_message_in_either_case() {
        let reply = |status, body: &str| TwinReply {
            status,
            body: Bytes::from(body.to_owned()),
        };
        let err = hub_error(&reply(400, r#"{"message":"bad patch"}"#));
        assert_eq!(err.to_string(), "hub answered 400: bad patch");
        let err = hub_error(&reply(429, r#"{"Message":"throttled"}"#));
        assert_eq!(err.to_string(), "hub answered 429: throttled");
        let err = hub_error(&reply(500, "not json"));
        assert_eq!(err.to_string(), "hub answered 500: no details");
    }
}
