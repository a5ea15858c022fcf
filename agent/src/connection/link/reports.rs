//! The report sender: reported patches leave the on-disk queue oldest first, one at a time,
//! and only on the hub's answer. It owns the report queue.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::twin::hub_error;
use super::{MqttConnection, lock};
use crate::connection::backoff::{Backoff, ReconnectPolicy};
use crate::connection::queue::Entry;
use crate::error::DmError;
use iothub_model::mqtt as topics;

impl MqttConnection {
    pub(super) fn front(&self) -> Option<Entry> {
        lock(&self.queue).front().cloned()
    }

    pub(super) async fn remove_sent(&self, seq: u64) {
        let queue = Arc::clone(&self.queue);
        let result = tokio::task::spawn_blocking(move || lock(&queue).remove(seq)).await;
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::error!(error = %e, "cannot remove a delivered patch from the queue; it may be sent again after a restart");
            }
            Err(e) => tracing::error!(error = %e, "the queue task failed"),
        }
    }

    /// Sends queued reported patches, oldest first, one at a time, each until the hub
    /// answers: 2xx and 4xx (a patch the hub will never take) remove it; anything else
    /// (no answer, 429, 5xx, a dropped session) sends it again.
    pub(super) async fn reported_sender(self: Arc<Self>, stop: CancellationToken) {
        let mut live = self.live.subscribe();
        let mut retry = Backoff::new(ReconnectPolicy {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        });
        loop {
            let notified = self.queue_changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let Some(entry) = self.front() else {
                tokio::select! {
                    () = notified => continue,
                    () = stop.cancelled() => return,
                }
            };
            if live.borrow_and_update().is_none() {
                tokio::select! {
                    r = live.changed() => if r.is_err() { return },
                    () = stop.cancelled() => return,
                }
                continue;
            }
            let body = serde_json::to_vec(&entry.patch).unwrap_or_default();
            let outcome = tokio::select! {
                r = self.twin_request(topics::reported_patch, body) => r,
                () = stop.cancelled() => return,
            };
            let pause = match outcome {
                Ok(reply) if (200..300).contains(&reply.status) => {
                    self.remove_sent(entry.seq).await;
                    retry.reset();
                    continue;
                }
                Ok(reply) if reply.status == 429 || reply.status >= 500 => {
                    let delay = retry.next_delay(&mut rand::rng());
                    tracing::warn!(status = reply.status, retry_in = ?delay, "the hub could not take a reported patch now; will send it again");
                    delay
                }
                Ok(reply) => {
                    let error = hub_error(&reply);
                    tracing::error!(%error, "the hub refused a reported patch; dropping it");
                    self.remove_sent(entry.seq).await;
                    continue;
                }
                Err(DmError::NotConnected) => {
                    // Wait for the next session (or a short while, if this one still shows).
                    tokio::select! {
                        _ = live.changed() => {}
                        () = tokio::time::sleep(Duration::from_secs(1)) => {}
                        () = stop.cancelled() => return,
                    }
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "no answer to a reported patch; will send it again");
                    retry.next_delay(&mut rand::rng())
                }
            };
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = stop.cancelled() => return,
            }
        }
    }
}
