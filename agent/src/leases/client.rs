//! The client side of the busy-lease socket, for `dm-agent busy ...` and for applications
//! written in Rust.

use std::path::{Path, PathBuf};
use std::time::Duration;

use dm_contract::BusyLease;
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::UnixStream;

use super::protocol::{LeaseRequest, LeaseResponse, MAX_LINE_BYTES};
use crate::error::{DmError, DmResult};

/// How long a call waits for the agent.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Talks to the agent's busy-lease socket.
#[derive(Debug, Clone)]
pub struct LeaseClient {
    /// The socket path.
    path: PathBuf,
}

impl LeaseClient {
    /// A client for the socket at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The socket path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Takes a lease (or renews one's own `id`).
    pub async fn acquire(
        &self,
        id: Option<&str>,
        holder: &str,
        reason: &str,
        ttl_seconds: u32,
    ) -> DmResult<BusyLease> {
        let request = LeaseRequest::Acquire {
            id: id.map(str::to_owned),
            holder: holder.to_owned(),
            reason: reason.to_owned(),
            ttl_seconds,
        };
        self.call(&request)
            .await?
            .lease
            .ok_or_else(|| missing("lease"))
    }

    /// Extends lease `id` to `ttl_seconds` from now.
    pub async fn renew(&self, id: &str, ttl_seconds: u32) -> DmResult<BusyLease> {
        let request = LeaseRequest::Renew {
            id: id.to_owned(),
            ttl_seconds,
        };
        self.call(&request)
            .await?
            .lease
            .ok_or_else(|| missing("lease"))
    }

    /// Releases lease `id`; `false` when it was not active.
    pub async fn release(&self, id: &str) -> DmResult<bool> {
        let request = LeaseRequest::Release { id: id.to_owned() };
        self.call(&request)
            .await?
            .released
            .ok_or_else(|| missing("released"))
    }

    /// The active leases.
    pub async fn list(&self) -> DmResult<Vec<BusyLease>> {
        self.call(&LeaseRequest::List)
            .await?
            .leases
            .ok_or_else(|| missing("leases"))
    }

    async fn call(&self, request: &LeaseRequest) -> DmResult<LeaseResponse> {
        let exchange = async {
            let stream = UnixStream::connect(&self.path).await.map_err(|e| {
                DmError::Lease(format!(
                    "cannot reach the agent at `{}`: {e} (is dm-agent running, and are you in its group?)",
                    self.path.display()
                ))
            })?;
            let (read, mut write) = stream.into_split();
            let mut line = serde_json::to_vec(request)
                .map_err(|e| DmError::Lease(format!("cannot encode the request: {e}")))?;
            line.push(b'\n');
            write
                .write_all(&line)
                .await
                .map_err(|e| DmError::Lease(e.to_string()))?;
            let mut answer = Vec::new();
            let limit = u64::try_from(MAX_LINE_BYTES * 64).unwrap_or(u64::MAX);
            BufReader::new(read)
                .take(limit)
                .read_until(b'\n', &mut answer)
                .await
                .map_err(|e| DmError::Lease(e.to_string()))?;
            let response: LeaseResponse = serde_json::from_slice(&answer)
                .map_err(|e| DmError::Lease(format!("malformed answer from the agent: {e}")))?;
            if response.ok {
                Ok(response)
            } else {
                Err(DmError::Lease(
                    response.error.unwrap_or_else(|| "request refused".into()),
                ))
            }
        };
        tokio::time::timeout(CALL_TIMEOUT, exchange)
            .await
            .map_err(|_| DmError::Timeout {
                what: "the busy-lease call".into(),
                seconds: CALL_TIMEOUT.as_secs(),
            })?
    }
}

fn missing(field: &str) -> DmError {
    DmError::Lease(format!("the agent's answer has no `{field}`"))
}
