//! The emulator's error type for start-up and storage failures (request-level errors are hub
//! error envelopes, see `rest`).

use std::path::PathBuf;

/// Why the emulator could not start or a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// A file in the data directory could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done ("creating data directory", "writing", ...).
        action: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A listener could not be bound or accepted on.
    #[error("{0}")]
    Listen(std::io::Error),
    /// Certificate generation or TLS configuration failed.
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// The SQLite store failed.
    #[error("store error: {0}")]
    Store(#[from] rusqlite::Error),
    /// The store holds data this version cannot read.
    #[error("store is corrupt or from a newer version: {0}")]
    Corrupt(String),
}

impl EmulatorError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }
}
