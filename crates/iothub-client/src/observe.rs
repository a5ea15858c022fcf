//! A hook on every call that changes something on the hub, before it is sent and after its
//! answer.
//!
//! An audit trail is only worth having if nothing can write around it. Every request this
//! client makes passes through one function ([`ServiceClient`](crate::ServiceClient)'s `send`),
//! so that is where writes are observed: a caller that installs a [`WriteObserver`] sees every
//! registry write, twin patch or replace, direct method, job and queue purge, whichever API
//! method it came from, and reads (GETs and query pages) are left out.
//!
//! The observer runs before the first attempt and may refuse the call (it is then not sent),
//! and once after the last attempt with the outcome, so retries of one logical call are one
//! entry with one request id.

/// One write about to leave the client. Holds no body and no credential: request bodies can
/// carry secrets (device keys, Wi-Fi passphrases), so an observer never sees them.
#[derive(Debug, Clone, Copy)]
pub struct WriteCall<'a> {
    /// The HTTP method (`PUT`, `PATCH`, `POST`, `DELETE`).
    pub method: &'a str,
    /// The request path with ids percent-encoded (`/twins/dev%201`), without the query string.
    pub path: &'a str,
    /// The `Request-Id` sent with every attempt of this call.
    pub request_id: &'a str,
    /// The `If-Match` precondition, when the call carries one.
    pub if_match: Option<&'a str>,
}

/// How a write ended.
#[derive(Debug, Clone, Copy)]
pub struct WriteOutcome<'a> {
    /// The final HTTP status, when an answer arrived.
    pub status: Option<u16>,
    /// The hub's error code name (`PreconditionFailed`), for an error answer.
    pub error_code: Option<&'a str>,
    /// The hub's tracking id, for an error answer.
    pub tracking_id: Option<&'a str>,
    /// A short description of a failure without an answer (timeout, connection).
    pub failure: Option<&'a str>,
}

/// Sees every write this client sends. Installed with
/// [`ClientBuilder::write_observer`](crate::ClientBuilder::write_observer).
pub trait WriteObserver: Send + Sync {
    /// Called before the call is sent; an `Err` (a reason) stops it from being sent at all.
    /// The returned token is handed back to [`WriteObserver::after`].
    fn before(&self, call: &WriteCall<'_>) -> Result<u64, String>;

    /// Called once the call has its final outcome (after any retries).
    fn after(&self, token: u64, call: &WriteCall<'_>, outcome: &WriteOutcome<'_>);
}
