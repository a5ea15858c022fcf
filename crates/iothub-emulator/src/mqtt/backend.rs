//! What the MQTT endpoint needs from the registry and twin store.
//!
//! The device protocol is kept apart from storage so that each can be tested alone: the session
//! code is exercised against a fake backend, and the hub implements this trait over SQLite.

use crate::identity::Identity;

/// Credentials presented in CONNECT (and at the TLS layer).
pub struct ConnectAuth {
    /// The host part of the MQTT username: the logical hub name the device believes it talks to.
    pub hub_host: String,
    /// The MQTT password: a SAS token, or `None`/empty with X.509.
    pub password: Option<String>,
    /// The DER of the TLS client certificate, when the device presented one.
    pub client_cert_der: Option<Vec<u8>>,
}

impl std::fmt::Debug for ConnectAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectAuth")
            .field("hub_host", &self.hub_host)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("client_cert", &self.client_cert_der.as_ref().map(Vec::len))
            .finish()
    }
}

/// Why a CONNECT is refused; each maps to the CONNACK code the real hub uses (§E.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectRefusal {
    /// CONNACK 4: malformed username or token.
    BadUsernameOrPassword,
    /// CONNACK 5: bad signature, expired token, unknown identity, wrong audience.
    NotAuthorized,
    /// CONNACK 3: the identity is disabled.
    ServerUnavailable,
}

/// A failed device-side operation, reported on the twin response topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceOpError {
    /// The status put in the response topic (400, 404, 413, 429, 500...).
    pub status: u16,
    /// The six-digit hub error code put in the `errorCode` body (e.g. 400004).
    pub code: u32,
    /// A human-readable message naming what was wrong.
    pub message: String,
}

impl DeviceOpError {
    /// Builds an error from its parts.
    pub fn new(status: u16, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }
}

/// Registry and twin operations on behalf of a connected device.
pub trait DeviceBackend: Send + Sync + 'static {
    /// Checks the SAS token (or client certificate) for `identity`, and that it exists and is
    /// enabled.
    ///
    /// `Ok(Some(t))`: the session must end at `t` (seconds since the Unix epoch), when its SAS
    /// token expires, as the real hub disconnects it then. `Ok(None)`: the credential does not
    /// expire with the session (a certificate).
    fn authenticate(
        &self,
        identity: &Identity,
        auth: &ConnectAuth,
    ) -> Result<Option<u64>, ConnectRefusal>;

    /// The device view of the twin: `{"desired":{..,"$version":n},"reported":{..,"$version":m}}`,
    /// without tags and without `$metadata`.
    fn get_twin(&self, identity: &Identity) -> Result<serde_json::Value, DeviceOpError>;

    /// Applies a reported-properties patch; returns the new reported `$version`.
    fn patch_reported(
        &self,
        identity: &Identity,
        patch: &serde_json::Value,
    ) -> Result<u64, DeviceOpError>;

    /// Called when a session for `identity` starts (`true`) and when the current one ends (`false`).
    fn connection_changed(&self, identity: &Identity, connected: bool);

    /// A device-to-cloud message with its decoded property bag.
    fn telemetry(
        &self,
        identity: &Identity,
        properties: Vec<(String, Option<String>)>,
        body: &[u8],
    ) -> Result<(), DeviceOpError>;
}
