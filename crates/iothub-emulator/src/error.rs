//! The emulator's one error type: start-up and storage failures, and the hub errors a request or
//! device operation is refused with.
//!
//! Hub errors carry the six-digit [`ErrorCode`] the real service would answer with, so the REST
//! layer and the MQTT backend can turn them into the exact wire shape (error envelopes, twin
//! error bodies) without guessing. Messages never contain keys, signatures or tokens.

use std::path::PathBuf;

use iothub_model::ErrorCode;

/// Why the emulator could not start or a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// A file in the data directory could not be read or written.
    #[error("{action} {path}: {error}")]
    Io {
        /// What was being done ("creating data directory", "writing", ...).
        action: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error: part of the message, so not also the error's `source()` (a
        /// chain printer would show it twice).
        error: std::io::Error,
    },
    /// The data directory holds keys but other users can enter it.
    #[error(
        "{} is open to other users (mode {mode:04o}) and holds the hub's keys; make it private with `chmod 700 {}`",
        .path.display(),
        .path.display()
    )]
    InsecurePermissions {
        /// The directory.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A listener could not be bound or accepted on.
    #[error("{0}")]
    Listen(std::io::Error),
    /// The hub configuration is not usable.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Certificate generation or TLS configuration failed.
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// The SQLite store failed.
    /// (The SQLite error is part of the message, so not also the `source()`.)
    #[error("store error: {0}")]
    Store(rusqlite::Error),
    /// The store holds data this version cannot read.
    #[error("store is corrupt or from a newer version: {0}")]
    Corrupt(String),
    /// The hub refuses a request (answered with envelope 1 over REST).
    #[error("{code}: {message}")]
    Hub {
        /// The hub error code (its first three digits are the HTTP status).
        code: ErrorCode,
        /// What was wrong, naming the offending id, field or path.
        message: String,
    },
    /// A direct method failed on the hub side (answered with envelope 2 nested in envelope 1).
    #[error("{code}: {message}")]
    Method {
        /// `DeviceNotOnline` (404103) or `GatewayTimeout` (504101).
        code: ErrorCode,
        /// The message the real hub uses, e.g. "Timed out waiting for device to connect.".
        message: String,
        /// `{"timeout":"hh:mm:ss"}` or `{}`.
        info: serde_json::Value,
    },
}

impl EmulatorError {
    /// A hub error with `code` and a message naming what was wrong.
    pub fn hub(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Hub {
            code,
            message: message.into(),
        }
    }

    /// The hub error code this error is reported with; internal failures are `ServerError`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Hub { code, .. } | Self::Method { code, .. } => *code,
            _ => ErrorCode::ServerError,
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            error: source,
        }
    }
}

impl From<rusqlite::Error> for EmulatorError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Store(error)
    }
}
