//! What the connection does with what the hub sends: the [`Inbound`] seam, and the daemon's
//! implementation that hands everything to the [`Agent`].

use std::sync::Arc;

use futures::future::BoxFuture;
use serde_json::Value;

use crate::client::Agent;
use crate::transport::Transport;

/// Receives the hub's traffic. Calls for methods run concurrently, each in its own task;
/// desired patches and full twins arrive one at a time, in order.
pub trait Inbound: Send + Sync + 'static {
    /// A direct method call; the implementation answers through the transport.
    fn method<'a>(
        &'a self,
        request_id: &'a str,
        name: &'a str,
        payload: &'a [u8],
    ) -> BoxFuture<'a, ()>;

    /// A desired-properties patch newer than the state last converged on (with `$version`).
    fn desired_patch<'a>(&'a self, patch: &'a Value) -> BoxFuture<'a, ()>;

    /// The full twin (`{"desired": .., "reported": ..}`), fetched after each connect or when
    /// a desired version was skipped.
    fn full_twin<'a>(&'a self, twin: &'a Value) -> BoxFuture<'a, ()>;
}

/// The standalone agent's handler: `dm.*` goes to the [`Agent`]; any other method gets 404,
/// since the daemon has no application behind it.
pub struct DmInbound {
    /// The device-management client.
    client: Arc<Agent>,
    /// Where 404 answers go.
    transport: Arc<dyn Transport>,
}

impl DmInbound {
    /// A handler feeding `client`, answering foreign methods through `transport`.
    pub fn new(client: Arc<Agent>, transport: Arc<dyn Transport>) -> Self {
        Self { client, transport }
    }
}

impl Inbound for DmInbound {
    fn method<'a>(
        &'a self,
        request_id: &'a str,
        name: &'a str,
        payload: &'a [u8],
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if self.client.handle_method(request_id, name, payload).await {
                return;
            }
            let answer = dm_contract::MethodResponse::unknown_method(name);
            if let Err(e) = self
                .transport
                .respond_method(request_id, answer.status, answer.payload)
                .await
            {
                tracing::debug!(method = name, error = %e, "could not answer an unknown method");
            }
        })
    }

    fn desired_patch<'a>(&'a self, patch: &'a Value) -> BoxFuture<'a, ()> {
        Box::pin(self.client.handle_desired_patch(patch))
    }

    fn full_twin<'a>(&'a self, twin: &'a Value) -> BoxFuture<'a, ()> {
        Box::pin(self.client.handle_full_twin(twin))
    }
}
