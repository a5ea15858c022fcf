//! The crate's single error type.
//!
//! Callers (the CLI above all) must branch on *what* went wrong — the hub said no, the device said
//! no, the network failed, the input was bad — without parsing text, so every failure is one
//! [`Error`] carrying an [`ErrorKind`] plus the request it belongs to. Nothing here ever holds a
//! token, key or connection string: the request line kept for context is method and path only.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use iothub_model::{ErrorCode, ParsedHubError};
use serde_json::Value;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Longest device payload quoted in an error message; a method may answer with 128 KB.
const MAX_PAYLOAD_IN_MESSAGE: usize = 200;

/// Any failure of a [`ServiceClient`](crate::ServiceClient) call.
///
/// Use [`Error::kind`] to branch, or the `is_*` helpers for the common questions.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.describe())]
pub struct Error {
    /// Boxed so `Result<T, Error>` stays small on the happy path.
    details: Box<Details>,
    #[source]
    source: Option<BoxError>,
}

#[derive(Debug)]
struct Details {
    kind: ErrorKind,
    /// `METHOD /path` of the request, when the failure belongs to one.
    operation: Option<String>,
}

/// What kind of failure an [`Error`] is.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The hub answered with an error status (4xx/5xx), including the direct-method failures
    /// `DeviceNotOnline` (404103) and `GatewayTimeout` (504101).
    Hub(HubError),
    /// The hub delivered a direct method and the device answered with a status ≥ 400.
    ///
    /// Only produced by [`MethodResponse::error_for_status`](crate::MethodResponse::error_for_status):
    /// the call itself succeeded.
    DeviceMethod {
        /// The status the device chose.
        status: i32,
        /// The device's JSON answer.
        payload: Value,
    },
    /// The request could not be sent or its response not received (DNS, TCP, TLS, proxy,
    /// connection reset). The source error says which.
    Transport,
    /// No complete response arrived within the request timeout.
    Timeout,
    /// An argument was rejected before anything was sent (bad id, method call or twin patch).
    InvalidInput(String),
    /// A success response did not have the expected shape.
    Deserialize(String),
    /// A token could not be produced: the signer failed or a fixed SAS token expired.
    Credential(String),
    /// The client could not be built (bad connection string, endpoint, certificate, option).
    Config(String),
    /// The write observer could not record the call, so it was not sent (the reason).
    NotRecorded(String),
}

/// An error answer from the hub, with everything its body and headers said.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HubError {
    /// HTTP status of the response.
    pub status: u16,
    /// The documented error code, when the body or `iothub-errorcode` header named a known one.
    pub code: Option<ErrorCode>,
    /// The error name as sent (also for names this crate does not know).
    pub name: Option<String>,
    /// The six-digit number as sent, when the body carried one.
    pub numeric_code: Option<u32>,
    /// The hub's human-readable text (or the start of a non-JSON body); never empty.
    pub message: String,
    /// Tracking id for Azure support.
    pub tracking_id: Option<String>,
    /// The `info` object of a direct-method error (for example `{"timeout":"00:00:10"}`).
    pub info: Option<Value>,
    /// The `Retry-After` the hub asked for, if any.
    pub retry_after: Option<Duration>,
}

impl HubError {
    pub(crate) fn from_parsed(
        status: u16,
        parsed: ParsedHubError,
        retry_after: Option<Duration>,
    ) -> Self {
        Self {
            status,
            code: parsed.code,
            name: parsed.name,
            numeric_code: parsed.numeric_code,
            message: parsed.message,
            tracking_id: parsed.tracking_id,
            info: parsed.info,
            retry_after,
        }
    }

    /// Whether the hub would likely accept the same request later: throttling (429) and
    /// service unavailable (503).
    pub fn is_transient(&self) -> bool {
        matches!(self.status, 429 | 503)
    }
}

impl fmt::Display for HubError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "hub answered {}", self.status)?;
        match (&self.name, self.code, self.numeric_code) {
            (_, Some(code), _) => write!(f, " {code}")?,
            (Some(name), None, Some(num)) => write!(f, " {name} ({num})")?,
            (Some(name), None, None) => write!(f, " {name}")?,
            (None, None, Some(num)) => write!(f, " ({num})")?,
            (None, None, None) => {}
        }
        write!(f, ": {}", self.message)?;
        if let Some(id) = &self.tracking_id {
            write!(f, " (tracking id {id})")?;
        }
        Ok(())
    }
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self {
            details: Box::new(Details {
                kind,
                operation: None,
            }),
            source: None,
        }
    }

    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    pub(crate) fn with_operation(mut self, operation: impl Into<String>) -> Self {
        self.details.operation = Some(operation.into());
        self
    }

    pub(crate) fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput(message.into()))
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config(message.into()))
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> &ErrorKind {
        &self.details.kind
    }

    /// The kind, by value.
    pub fn into_kind(self) -> ErrorKind {
        self.details.kind
    }

    /// `METHOD /path` of the failed request (ids percent-encoded, no query string), if any.
    pub fn operation(&self) -> Option<&str> {
        self.details.operation.as_deref()
    }

    /// The hub's error answer, for [`ErrorKind::Hub`].
    pub fn hub_error(&self) -> Option<&HubError> {
        match self.kind() {
            ErrorKind::Hub(hub) => Some(hub),
            _ => None,
        }
    }

    /// The HTTP status of a hub error answer.
    pub fn status(&self) -> Option<u16> {
        self.hub_error().map(|h| h.status)
    }

    /// The hub's error code, when it named a known one.
    pub fn code(&self) -> Option<ErrorCode> {
        self.hub_error().and_then(|h| h.code)
    }

    /// The hub's tracking id, when it sent one.
    pub fn tracking_id(&self) -> Option<&str> {
        self.hub_error().and_then(|h| h.tracking_id.as_deref())
    }

    /// The `Retry-After` the hub asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.hub_error().and_then(|h| h.retry_after)
    }

    /// The device's status, for [`ErrorKind::DeviceMethod`].
    pub fn device_status(&self) -> Option<i32> {
        match self.kind() {
            ErrorKind::DeviceMethod { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: the hub throttled (429) or was unavailable (503),
    /// or the connection failed. The client already retries these for idempotent requests, so
    /// seeing one means the retries ran out or the request was not safe to repeat.
    pub fn is_retryable(&self) -> bool {
        match self.kind() {
            ErrorKind::Hub(hub) => hub.is_transient(),
            ErrorKind::Transport => true,
            _ => false,
        }
    }

    /// The addressed device, module or job does not exist (404, except `DeviceNotOnline`,
    /// which means the device exists but is not connected).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
            && !matches!(
                self.code(),
                Some(ErrorCode::DeviceNotOnline | ErrorCode::DeviceConnectionClosedRemotely)
            )
    }

    /// A direct method could not reach the device: it is not connected or not subscribed to
    /// methods (404103), or closed its connection during the call (404104).
    pub fn is_device_not_online(&self) -> bool {
        matches!(
            self.code(),
            Some(ErrorCode::DeviceNotOnline | ErrorCode::DeviceConnectionClosedRemotely)
        )
    }

    /// Something timed out: the client gave up waiting ([`ErrorKind::Timeout`]), or the hub
    /// reported that the device did not answer a method in time (504 / `GatewayTimeout`).
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind(), ErrorKind::Timeout) || self.status() == Some(504)
    }

    /// The credentials were refused (401).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// The resource already exists (409).
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// The `If-Match` etag did not match (412).
    pub fn is_precondition_failed(&self) -> bool {
        self.status() == Some(412)
    }

    /// The hub throttled the request (429).
    pub fn is_throttled(&self) -> bool {
        self.status() == Some(429)
    }

    /// The device answered a direct method with a status ≥ 400 ([`ErrorKind::DeviceMethod`]).
    pub fn is_device_method_error(&self) -> bool {
        matches!(self.kind(), ErrorKind::DeviceMethod { .. })
    }

    fn describe(&self) -> String {
        let what = match self.kind() {
            ErrorKind::Hub(hub) => hub.to_string(),
            ErrorKind::DeviceMethod { status, payload } => format!(
                "device answered the method with status {status}: {}",
                shorten(&payload.to_string())
            ),
            ErrorKind::Transport => "could not reach the hub".to_owned(),
            ErrorKind::Timeout => "timed out waiting for the hub to answer".to_owned(),
            ErrorKind::InvalidInput(msg) => format!("invalid input: {msg}"),
            ErrorKind::Deserialize(msg) => format!("unexpected response from the hub: {msg}"),
            ErrorKind::Credential(msg) => format!("cannot authenticate: {msg}"),
            ErrorKind::Config(msg) => format!("invalid client configuration: {msg}"),
            ErrorKind::NotRecorded(msg) => format!("not sent: {msg}"),
        };
        match &self.details.operation {
            Some(op) => format!("{op}: {what}"),
            None => what,
        }
    }
}

fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(MAX_PAYLOAD_IN_MESSAGE).collect();
    if text.chars().nth(MAX_PAYLOAD_IN_MESSAGE).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use iothub_model::parse_error_body;

    fn hub(status: u16, header: Option<&str>, body: &str) -> Error {
        let parsed = parse_error_body(status, header, body.as_bytes());
        Error::new(ErrorKind::Hub(HubError::from_parsed(status, parsed, None)))
            .with_operation("GET /devices/d1")
    }

    #[test]
    fn display_names_operation_code_message_and_tracking_id() {
        let err = hub(
            404,
            Some("DeviceNotFound"),
            r#"{"Message":"ErrorCode:DeviceNotFound;Device d1 not found","ExceptionMessage":"Tracking ID:abc-G:0-TimeStamp:01/01/2024 00:00:00"}"#,
        );
        assert_eq!(
            err.to_string(),
            "GET /devices/d1: hub answered 404 DeviceNotFound (404001): Device d1 not found (tracking id abc)"
        );
        assert!(err.is_not_found());
        assert!(!err.is_retryable());
    }

    #[test]
    fn unknown_names_are_shown_as_sent() {
        let err = hub(400, None, r#"{"Message":"ErrorCode:BrandNew;text"}"#);
        assert_eq!(
            err.to_string(),
            "GET /devices/d1: hub answered 400 BrandNew: text"
        );
        let err = hub(502, None, "<html>bad gateway</html>");
        assert_eq!(
            err.to_string(),
            "GET /devices/d1: hub answered 502: <html>bad gateway</html>"
        );
    }

    #[test]
    fn device_not_online_is_not_not_found() {
        let err = hub(
            404,
            None,
            r#"{"Message":"{\"errorCode\":404103,\"message\":\"Timed out waiting for device to connect.\"}"}"#,
        );
        assert!(err.is_device_not_online());
        assert!(!err.is_not_found());
    }

    #[test]
    fn long_device_payloads_are_shortened() {
        let err = Error::new(ErrorKind::DeviceMethod {
            status: 500,
            payload: Value::String("x".repeat(1000)),
        });
        let text = err.to_string();
        assert!(text.starts_with("device answered the method with status 500: \"xxx"));
        assert!(text.ends_with('…'));
        assert!(text.chars().count() < 300);
    }
}
