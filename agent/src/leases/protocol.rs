//! The wire format of the local busy-lease socket: one JSON object per line each way.
//!
//! Line-delimited JSON is easy to speak from any language on the device (even `socat` and a
//! shell), and one request per line keeps the server stateless.
//!
//! ```text
//! → {"op":"acquire","holder":"plc-bridge","reason":"firmware flash","ttlSeconds":300}
//! ← {"ok":true,"lease":{"id":"plc-bridge-1a2b","holder":"plc-bridge",...}}
//! → {"op":"renew","id":"plc-bridge-1a2b","ttlSeconds":300}
//! → {"op":"release","id":"plc-bridge-1a2b"}
//! ← {"ok":true,"released":true}
//! → {"op":"list"}
//! ← {"ok":true,"leases":[...]}
//! ← {"ok":false,"error":"invalid `ttlSeconds`: must be between 1 and 86400 (got 0)"}
//! ```

use dm_contract::BusyLease;
use serde::{Deserialize, Serialize};

/// The longest request line the server reads, in bytes.
pub const MAX_LINE_BYTES: usize = 4096;

/// A request on the lease socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase", deny_unknown_fields)]
pub enum LeaseRequest {
    /// Take a lease (or renew one's own `id`).
    #[serde(rename_all = "camelCase")]
    Acquire {
        /// Optional lease id of the holder's choosing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// Who holds it.
        holder: String,
        /// Why.
        reason: String,
        /// Seconds until it expires unless renewed.
        ttl_seconds: u32,
    },
    /// Extend a lease.
    #[serde(rename_all = "camelCase")]
    Renew {
        /// The lease.
        id: String,
        /// New time to live from now.
        ttl_seconds: u32,
    },
    /// Release a lease.
    Release {
        /// The lease.
        id: String,
    },
    /// List the active leases.
    List,
}

/// An answer on the lease socket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeaseResponse {
    /// Whether the request worked.
    pub ok: bool,
    /// The lease taken or renewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease: Option<BusyLease>,
    /// The active leases (for `list`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leases: Option<Vec<BusyLease>>,
    /// Whether a lease was released (for `release`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<bool>,
    /// Why the request failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl LeaseResponse {
    /// A failure answer.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            ok: false,
            error: Some(message.into()),
            ..Self::default()
        }
    }
}
