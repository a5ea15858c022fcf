//! The one error type of the `dm-agent` library.
//!
//! Everything the library can fail at ends up as a [`DmError`]: device-management work (providers,
//! the state store, the lease service, the command runner), the agent's configuration and
//! credentials, and the hub connection behind the [`Transport`](crate::transport::Transport)
//! seam. One type means a caller never converts between error kinds and the
//! dispatcher maps any failure to the contract's status and error code in one place
//! ([`DmError::status`], [`DmError::code`]), so no provider has to know how answers are shaped.
//!
//! Messages never carry secrets: commands are shown by program and arguments only (the agent
//! never puts a secret on a command line), URLs are redacted by their contract type, and
//! configuration errors name the key or file, never the credential in it.

use std::path::PathBuf;

use dm_contract::{ContractError, error_code};

/// What went wrong in the agent library.
///
/// The variants fall into three groups, in this order: device-management work (the answers of
/// direct methods), configuration and credentials, and the hub connection (what a
/// [`Transport`](crate::transport::Transport) implementation returns).
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
    #[error("could not start `{program}`: {error}")]
    Spawn {
        /// The program.
        program: String,
        /// The OS error: part of the message, so not also the error's `source()` (a chain
        /// printer would show it twice).
        error: std::io::Error,
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
    #[error("{action} `{}`: {error}", path.display())]
    Io {
        /// What was being done, e.g. `cannot write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The OS error, part of the message (not also the `source()`).
        error: std::io::Error,
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
    /// Any other failure, with a machine code for the envelope.
    #[error("{message}")]
    Failed {
        /// A camelCase machine code, e.g. `rebootFailed`.
        code: String,
        /// A sentence for people.
        message: String,
    },

    // Configuration and credentials: the settings a device or a builder was given
    // cannot be used. A file that cannot be read is `DmError::Io`.
    /// A required setting is absent, or settings that exclude each other are both given.
    #[error("{0}")]
    Config(String),
    /// A setting's value is out of range or malformed.
    #[error("invalid `{key}`: {reason}")]
    InvalidSetting {
        /// The option (config key path such as `connection.port`, or a description such as
        /// `connection string`).
        key: String,
        /// Why.
        reason: String,
    },
    /// The configuration file is malformed or has an unknown key or a wrong type.
    #[error("{}: {message}", path.display())]
    ConfigParse {
        /// The configuration file.
        path: PathBuf,
        /// The parser's explanation, starting with the key path (`hub.device_idd: unknown field`).
        message: String,
    },
    /// A secret file may be read by other users.
    #[error(
        "the {what} `{}` can be read by group or others (mode {mode:03o}); run `chmod 600` on it",
        path.display()
    )]
    InsecureFile {
        /// What the file holds.
        what: String,
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A credential is malformed (the text of the credential is never included).
    #[error("{what}: {error}")]
    Credential {
        /// Where the credential came from.
        what: String,
        /// What is wrong with it, part of the message (not also the `source()`).
        error: iothub_auth::AuthError,
    },
    /// TLS material (CA, client certificate or key) is unusable.
    #[error("TLS: {0}")]
    Tls(String),

    // The hub connection: what a `Transport` reports. A transport that cannot do an operation
    // at all (e.g. file upload) answers `DmError::NotSupported`.
    /// Not connected, and the operation cannot be queued (e.g. a twin GET while offline).
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
    /// The hub did not answer in time.
    #[error("timed out waiting for the hub")]
    HubTimeout,
    /// Any other failure of the hub connection (I/O, the local queue, an unusable answer).
    #[error("{0}")]
    Transport(String),
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
            error: source,
        }
    }

    /// An invalid value of the setting `key`.
    pub fn invalid_setting(key: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidSetting {
            key: key.into(),
            reason: reason.into(),
        }
    }

    /// The hub answered `status` with `message` (which must not carry secrets).
    pub fn hub(status: u16, message: impl Into<String>) -> Self {
        Self::Hub {
            status,
            message: message.into(),
        }
    }

    /// Any other failure of the hub connection.
    pub fn transport(message: impl Into<String>) -> Self {
        Self::Transport(message.into())
    }

    /// Whether the error is about a setting the operator gave (a configuration value, a
    /// credential, TLS material) rather than the device or the hub: `dm-agent run` exits with
    /// the usage code for these.
    pub fn is_setting(&self) -> bool {
        matches!(
            self,
            Self::Config(_)
                | Self::InvalidSetting { .. }
                | Self::ConfigParse { .. }
                | Self::InsecureFile { .. }
                | Self::Credential { .. }
                | Self::Tls(_)
        )
    }

    /// The method status this error answers with.
    ///
    /// Only device-management failures have their own statuses; a configuration or connection
    /// failure reached while answering is the agent's failure (500).
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
            Self::Timeout { .. } | Self::HubTimeout => "timeout",
            Self::Spawn { .. }
            | Self::Command { .. }
            | Self::Io { .. }
            | Self::CorruptState { .. }
            | Self::Lease(_)
            | Self::Config(_)
            | Self::InvalidSetting { .. }
            | Self::ConfigParse { .. }
            | Self::InsecureFile { .. }
            | Self::Credential { .. }
            | Self::Tls(_)
            | Self::NotConnected
            | Self::Hub { .. }
            | Self::Transport(_) => error_code::FAILED,
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

/// Shorthand for results of the agent library.
pub type DmResult<T> = Result<T, DmError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain printer (`{err}` then every `source()`) shows the OS error once.
    #[test]
    fn an_error_in_the_message_is_not_also_the_source() {
        let err = DmError::io(
            "cannot write",
            "/x",
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        let text = err.to_string();
        assert!(text.starts_with("cannot write `/x`: "), "{text}");
        assert!(text.contains("permission denied"), "{text}");
        assert!(std::error::Error::source(&err).is_none());
    }

    #[test]
    fn configuration_and_connection_failures_answer_500_and_say_what_was_wrong() {
        let cases = [
            (
                DmError::invalid_setting("connection.port", "must not be 0"),
                "invalid `connection.port`: must not be 0",
                error_code::FAILED,
            ),
            (
                DmError::Config("`hub.device_id` needs `hub.key_file`".into()),
                "`hub.device_id` needs `hub.key_file`",
                error_code::FAILED,
            ),
            (
                DmError::InsecureFile {
                    what: "key file".into(),
                    path: "/etc/dm-agent/device.key".into(),
                    mode: 0o644,
                },
                "the key file `/etc/dm-agent/device.key` can be read by group or others (mode 644); run `chmod 600` on it",
                error_code::FAILED,
            ),
            (
                DmError::NotConnected,
                "not connected to the hub",
                error_code::FAILED,
            ),
            (
                DmError::hub(429, "throttled"),
                "hub answered 429: throttled",
                error_code::FAILED,
            ),
            (
                DmError::HubTimeout,
                "timed out waiting for the hub",
                "timeout",
            ),
            (
                DmError::transport("the queue task failed"),
                "the queue task failed",
                error_code::FAILED,
            ),
        ];
        for (err, message, code) in cases {
            assert_eq!(err.to_string(), message);
            assert_eq!((err.status(), err.code()), (500, code), "{err}");
            assert_eq!(err.field(), None, "{err}");
        }
    }

    #[test]
    fn setting_errors_are_told_apart_from_device_failures() {
        assert!(DmError::invalid_setting("agent.state_dir", "not a directory").is_setting());
        assert!(DmError::Tls("the CA file is not PEM".into()).is_setting());
        let io = DmError::io(
            "cannot create state directory",
            "/var/lib/dm-agent",
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert!(!io.is_setting());
        assert!(!DmError::NotConnected.is_setting());
    }
}
