//! The one error type of the device-management side of the agent.
//!
//! Every failure a provider, the state store, the lease service or the command runner can meet
//! ends up as a [`DmError`], and the dispatcher maps it to the contract's status code and error
//! code in one place ([`DmError::status`], [`DmError::code`]), so no provider has to know how
//! answers are shaped. Messages never carry secrets: commands are shown by program and
//! arguments only (the agent never puts a secret on a command line), URLs are redacted by
//! their contract type.

use std::path::PathBuf;

use dm_contract::{ContractError, error_code};

/// What went wrong while doing device-management work.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DmError {
    /// The request broke a contract rule (400).
    #[error(transparent)]
    Invalid(#[from] ContractError),
    /// A path is outside what the agent may read (400 `pathNotAllowed`).
    #[error("invalid `{field}`: {reason}")]
    PathNotAllowed {
        /// The wire field naming the path, e.g. `paths[1]`.
        field: String,
        /// Why it was refused.
        reason: String,
    },
    /// The named item (app, certificate, profile, operation) does not exist (404).
    #[error("{0}")]
    NotFound(String),
    /// Another operation or the desired state stands in the way (409 `conflict`).
    #[error("{0}")]
    Conflict(String),
    /// The provider cannot do this on this device (501).
    #[error("{0}")]
    NotSupported(String),
    /// A system command could not be started.
    #[error("could not start `{program}`: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A system command ran and failed.
    #[error("`{command}` failed ({status}): {stderr}")]
    Command {
        /// The command line (never carries secrets).
        command: String,
        /// How it ended, e.g. `exit code 100` or `killed by a signal`.
        status: String,
        /// The last line(s) of its standard error.
        stderr: String,
    },
    /// A file operation failed.
    #[error("{action} `{}`: {source}", path.display())]
    Io {
        /// What was being done, e.g. `cannot write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A state file exists but cannot be read as what it should hold.
    #[error("state file `{}` is corrupt: {detail}", path.display())]
    CorruptState {
        /// The file.
        path: PathBuf,
        /// The parser's explanation.
        detail: String,
    },
    /// A download failed (network, HTTP status, size).
    #[error("download failed: {0}")]
    Download(String),
    /// A download did not match its SHA-256.
    #[error("the downloaded file's SHA-256 is {actual}, not the expected {expected}")]
    ChecksumMismatch {
        /// The digest the request named.
        expected: String,
        /// The digest of what arrived.
        actual: String,
    },
    /// A time zone is not in the device's tz database.
    #[error("time zone `{0}` is not in the device's tz database")]
    UnknownTimeZone(String),
    /// The work did not finish in time.
    #[error("{what} did not finish within {seconds} s")]
    Timeout {
        /// What timed out.
        what: String,
        /// The limit.
        seconds: u64,
    },
    /// A busy-lease request or answer was malformed, or the lease service is unreachable.
    #[error("busy leases: {0}")]
    Lease(String),
    /// A builder or configuration value is missing or wrong.
    #[error("{0}")]
    Config(String),
    /// Any other failure, with a machine code for the envelope.
    #[error("{message}")]
    Failed {
        /// A camelCase machine code, e.g. `rebootFailed`.
        code: String,
        /// A sentence for people.
        message: String,
    },
}

impl DmError {
    /// A failure with a provider-specific code.
    pub fn failed(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Failed {
            code: code.into(),
            message: message.into(),
        }
    }

    /// An I/O failure on `path`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// The method status this error answers with.
    pub fn status(&self) -> u16 {
        use dm_contract::{
            STATUS_BAD_REQUEST, STATUS_CONFLICT, STATUS_FAILED, STATUS_NOT_FOUND,
            STATUS_NOT_SUPPORTED,
        };
        match self {
            Self::Invalid(_) | Self::PathNotAllowed { .. } | Self::UnknownTimeZone(_) => {
                STATUS_BAD_REQUEST
            }
            Self::NotFound(_) => STATUS_NOT_FOUND,
            Self::Conflict(_) => STATUS_CONFLICT,
            Self::NotSupported(_) => STATUS_NOT_SUPPORTED,
            _ => STATUS_FAILED,
        }
    }

    /// The contract error code (answer body and envelope `error.code`).
    pub fn code(&self) -> &str {
        match self {
            Self::Invalid(ContractError::ConfirmationMismatch) => error_code::CONFIRMATION_MISMATCH,
            Self::Invalid(_) => error_code::INVALID_PAYLOAD,
            Self::PathNotAllowed { .. } => error_code::PATH_NOT_ALLOWED,
            Self::NotFound(_) => error_code::NOT_FOUND,
            Self::Conflict(_) => error_code::CONFLICT,
            Self::NotSupported(_) => error_code::NOT_SUPPORTED,
            Self::Download(_) => error_code::DOWNLOAD_FAILED,
            Self::ChecksumMismatch { .. } => error_code::CHECKSUM_MISMATCH,
            Self::UnknownTimeZone(_) => error_code::UNKNOWN_TIME_ZONE,
            Self::Failed { code, .. } => code,
            Self::Timeout { .. } => "timeout",
            Self::Spawn { .. }
            | Self::Command { .. }
            | Self::Io { .. }
            | Self::CorruptState { .. }
            | Self::Lease(_)
            | Self::Config(_) => error_code::FAILED,
        }
    }

    /// The wire field the error is about, for 400 answers.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid(e) => e.field(),
            Self::PathNotAllowed { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The method answer for this error.
    pub fn to_response(&self) -> dm_contract::MethodResponse {
        let mut body = dm_contract::ErrorBody::new(self.code(), self.to_string());
        body.field = self.field().map(str::to_owned);
        dm_contract::MethodResponse::error(self.status(), body)
    }
}

/// Shorthand for results of device-management work.
pub type DmResult<T> = Result<T, DmError>;
