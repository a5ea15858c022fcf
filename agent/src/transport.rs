//! The seam between the device-management logic and whatever owns the device's hub connection.
//!
//! The daemon implements it over its own MQTT connection; an application that already holds the
//! device's one connection (library mode) implements it over that connection. Everything above this
//! trait is identical in both modes, which is what lets the integrated client and the standalone
//! agent behave the same.

use futures::future::BoxFuture;

/// Why a transport operation did not complete.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// Not connected and the operation cannot be queued (e.g. a twin GET while offline).
    #[error("not connected to the hub")]
    NotConnected,
    /// The hub answered with an error status.
    #[error("hub answered {status}: {message}")]
    Hub {
        /// The status in the response topic (e.g. 400, 429).
        status: u16,
        /// The hub's message, without secrets.
        message: String,
    },
    /// The operation did not complete in time.
    #[error("timed out waiting for the hub")]
    Timeout,
    /// Any other failure (I/O, local queue).
    #[error("{0}")]
    Other(String),
}

/// What the device-management client needs from the device's hub connection.
pub trait Transport: Send + Sync + 'static {
    /// Sends a reported-properties patch (`{"dm": {...}}`). Implementations deliver patches in the
    /// order given and must not lose them across disconnects (queue while offline).
    fn send_reported(&self, patch: serde_json::Value) -> BoxFuture<'_, Result<(), TransportError>>;

    /// Answers the direct method call `request_id` (the `$rid`) with a status and a JSON payload.
    fn respond_method(
        &self,
        request_id: &str,
        status: u16,
        payload: serde_json::Value,
    ) -> BoxFuture<'_, Result<(), TransportError>>;

    /// Fetches the device's view of its twin: `{"desired": {...}, "reported": {...}}` with `$version`s.
    fn get_twin(&self) -> BoxFuture<'_, Result<serde_json::Value, TransportError>>;
}
