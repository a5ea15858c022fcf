//! Exit codes, and the one error type every command returns.
//!
//! Scripts branch on `dmctl`'s exit status ("was the device offline, or did it refuse?"), so the
//! codes are a stable, documented API: this module is their single definition, `--help` and the
//! README table are generated from / checked against [`Exit::ALL`], and the mapping from hub
//! error codes to exit classes lives here so every command classifies failures the same way.

use std::fmt::{self, Write as _};
use std::io;

use iothub_model::ErrorCode;

/// The process exit status classes. The numbers are stable API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exit {
    /// Everything worked.
    Ok,
    /// A failure not covered by a more specific class.
    Failure,
    /// The command line (or an input file) was wrong; nothing was sent.
    Usage,
    /// The hub refused the credentials or their permissions.
    Auth,
    /// The device, module or job does not exist.
    NotFound,
    /// The device is not connected (or not subscribed to direct methods).
    NotConnected,
    /// The device or an operation did not finish in time.
    TimedOut,
    /// The device answered with an error status (≥ 400).
    DeviceError,
    /// Conflict: etag mismatch, already exists, or the device is busy.
    Conflict,
    /// The hub throttled the requests.
    Throttled,
    /// Some devices of a fleet operation failed, others succeeded.
    PartialFailure,
    /// `dmctl plan` found changes to make (nothing failed; nothing was written).
    Changes,
    /// Interrupted by Ctrl-C.
    Interrupted,
}

impl Exit {
    /// Every class, in numeric order (the documented table).
    pub const ALL: [Exit; 13] = [
        Exit::Ok,
        Exit::Failure,
        Exit::Usage,
        Exit::Auth,
        Exit::NotFound,
        Exit::NotConnected,
        Exit::TimedOut,
        Exit::DeviceError,
        Exit::Conflict,
        Exit::Throttled,
        Exit::PartialFailure,
        Exit::Changes,
        Exit::Interrupted,
    ];

    /// The numeric exit status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::Auth => 3,
            Exit::NotFound => 4,
            Exit::NotConnected => 5,
            Exit::TimedOut => 6,
            Exit::DeviceError => 7,
            Exit::Conflict => 8,
            Exit::Throttled => 9,
            Exit::PartialFailure => 10,
            Exit::Changes => 11,
            Exit::Interrupted => 130,
        }
    }

    /// What the code means, as documented in the README and `--help`.
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Ok => "success",
            Exit::Failure => "failure (anything not listed below)",
            Exit::Usage => "usage error",
            Exit::Auth => "authentication or permission refused by the hub",
            Exit::NotFound => "not found (device, module, job)",
            Exit::NotConnected => "device not connected",
            Exit::TimedOut => "timed out",
            Exit::DeviceError => "the device answered with an error (status ≥ 400)",
            Exit::Conflict => "conflict, precondition failed, or device busy",
            Exit::Throttled => "throttled, or a hub quota reached (retry later)",
            Exit::PartialFailure => "partial failure across a fleet",
            Exit::Changes => "changes pending (`dmctl plan`: the fleet differs from the file)",
            Exit::Interrupted => "interrupted",
        }
    }

    /// The class a device's own method status belongs to: 409 is "busy" (the dm contract's
    /// answer while a busy lease is held), 404 from the device is an unknown method, which is
    /// still the device answering with an error.
    pub fn for_device_status(status: i32) -> Exit {
        match status {
            s if s < 400 => Exit::Ok,
            409 => Exit::Conflict,
            _ => Exit::DeviceError,
        }
    }

    /// The class of a hub error code.
    pub fn for_hub_code(code: ErrorCode) -> Exit {
        match code {
            ErrorCode::DeviceNotOnline | ErrorCode::DeviceConnectionClosedRemotely => {
                Exit::NotConnected
            }
            ErrorCode::GatewayTimeout | ErrorCode::ThrottlingBacklogTimeout => Exit::TimedOut,
            // A quota is a throttle that lifts with time (a running job ends, the day turns):
            // by its HTTP status (403) it read "authentication refused", and a script or a
            // rollout waiting for a job slot gave up as if its credentials were wrong.
            ErrorCode::ThrottlingException
            | ErrorCode::ThrottleBacklogLimitExceeded
            | ErrorCode::ThrottlingMaxActiveJobCountExceeded
            | ErrorCode::JobQuotaExceeded
            | ErrorCode::IotHubQuotaExceeded => Exit::Throttled,
            other => Exit::for_http_status(other.http_status()),
        }
    }

    /// The class of an HTTP status when the hub named no (known) error code.
    pub fn for_http_status(status: u16) -> Exit {
        match status {
            401 | 403 => Exit::Auth,
            404 => Exit::NotFound,
            408 | 504 => Exit::TimedOut,
            409 | 412 => Exit::Conflict,
            429 => Exit::Throttled,
            400 | 413 => Exit::Usage,
            _ => Exit::Failure,
        }
    }

    /// The exit-code table for `--help` (plain text, aligned).
    pub fn help_table() -> String {
        let mut out = String::from("Exit codes:\n");
        for exit in Exit::ALL {
            let _ = writeln!(out, "  {:>3}  {}", exit.code(), exit.meaning());
        }
        out.push_str("  A broken pipe on stdout exits 0.");
        out
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

/// A hint for a hub error code: what the user can do about it.
pub fn hint_for_hub_code(code: ErrorCode) -> Option<&'static str> {
    Some(match code {
        ErrorCode::DeviceNotOnline => {
            "the device is not connected; use --connect-timeout to wait for it to connect"
        }
        ErrorCode::GatewayTimeout => {
            "the device did not answer in time; raise --response-timeout or check the device"
        }
        ErrorCode::IotHubUnauthorizedAccess | ErrorCode::IotHubUnauthorized => {
            "check the connection string's key and that its policy has the needed permission \
             (registry read/write, service connect)"
        }
        ErrorCode::PreconditionFailed => {
            "the resource changed since its etag was read; read it again or pass --etag '*'"
        }
        ErrorCode::ThrottlingException
        | ErrorCode::ThrottleBacklogLimitExceeded
        | ErrorCode::ThrottlingBacklogTimeout
        | ErrorCode::ThrottlingMaxActiveJobCountExceeded => {
            "the hub is throttling requests; retry later or lower --concurrency"
        }
        ErrorCode::DeviceNotFound => {
            "check the id with `dmctl device list`; a disabled device is refused the same way \
             (`dmctl device enable ID`)"
        }
        ErrorCode::JobNotFound => "list jobs with `dmctl job list`",
        ErrorCode::JobQuotaExceeded => {
            "wait for a running job to finish (`dmctl job list --status running`)"
        }
        _ => return None,
    })
}

/// The error every command returns: what failed in the user's terms, the exit class, an
/// optional hint and, for hub errors, the tracking id (shown with `-v`).
///
/// Messages never contain secrets: callers build them from ids, names and hub error text,
/// and errors from `iothub-auth` never carry key material.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    /// The exit class.
    exit: Exit,
    /// One line, without the `dmctl:` prefix.
    message: String,
    /// What to try next, without the `hint:` prefix.
    hint: Option<String>,
    /// The hub's tracking id, when the hub produced the error.
    tracking_id: Option<String>,
    /// The hub's error code (`DeviceNotOnline`, `404001`…), when the hub named one.
    hub_code: Option<String>,
    /// The underlying error, for `-v` and for `source()` chains.
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl CliError {
    /// An error of class `exit` with `message`.
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
            hint: None,
            tracking_id: None,
            hub_code: None,
            source: None,
        }
    }

    /// A usage error (exit 2): the command line or an input file was wrong.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }

    /// A general failure (exit 1).
    pub fn failure(message: impl Into<String>) -> Self {
        Self::new(Exit::Failure, message)
    }

    /// Attaches a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the hub's tracking id.
    #[must_use]
    pub fn with_tracking_id(mut self, tracking_id: Option<String>) -> Self {
        self.tracking_id = tracking_id;
        self
    }

    /// Attaches the underlying error.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Puts `context` (for example `device 'dev1'`) in front of the message.
    #[must_use]
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// The same error (class, hint, hub code, source) with its message replaced, for a
    /// message re-expressed in the caller's terms.
    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// The exit class.
    pub fn exit(&self) -> Exit {
        self.exit
    }

    /// The message, without the `dmctl:` prefix.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The hint, if any.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// The hub's tracking id, if any.
    pub fn tracking_id(&self) -> Option<&str> {
        self.tracking_id.as_deref()
    }

    /// The hub's error code, if the hub named one.
    pub fn hub_code(&self) -> Option<&str> {
        self.hub_code.as_deref()
    }

    /// For a method call: when the device was offline although `--connect-timeout` was given
    /// (non-zero), "use --connect-timeout" is no advice; say the wait ran out instead.
    #[must_use]
    pub fn for_connect_timeout(self, connect_timeout: Option<u32>) -> Self {
        match connect_timeout {
            Some(seconds) if seconds > 0 && self.hub_code() == Some("DeviceNotOnline") => self
                .with_hint(format!(
                    "the device did not connect within --connect-timeout {seconds}s; check that it is running and online, or wait longer"
                )),
            _ => self,
        }
    }

    /// The error as one JSON object (`-o json`/`jsonl` on stderr): message, hint, the hub's
    /// error code and the exit code, so a script can branch without parsing text.
    pub fn to_json(&self) -> serde_json::Value {
        let mut error = serde_json::Map::new();
        error.insert("message".into(), self.message.clone().into());
        if let Some(hint) = &self.hint {
            error.insert("hint".into(), hint.clone().into());
        }
        if let Some(code) = &self.hub_code {
            error.insert("hubErrorCode".into(), code.clone().into());
        }
        if let Some(id) = &self.tracking_id {
            error.insert("trackingId".into(), id.clone().into());
        }
        error.insert("exitCode".into(), self.exit.code().into());
        serde_json::json!({ "error": error })
    }

    /// An I/O failure on `what` (a file path or "stdin").
    pub fn io(what: impl fmt::Display, err: io::Error) -> Self {
        Self::failure(format!("{what}: {err}")).with_source(err)
    }

    /// Whether the error is stdout going away (`dmctl ... | head`), which exits 0.
    pub fn is_broken_pipe(&self) -> bool {
        let mut source: Option<&(dyn std::error::Error + 'static)> = self
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static));
        while let Some(err) = source {
            if let Some(io) = err.downcast_ref::<io::Error>() {
                return io.kind() == io::ErrorKind::BrokenPipe;
            }
            source = err.source();
        }
        false
    }
}

impl From<io::Error> for CliError {
    /// Output errors: the only `io::Error`s that reach `?` without context are writes to
    /// stdout/stderr (file reads always say which file).
    fn from(err: io::Error) -> Self {
        Self::failure(format!("cannot write output: {err}")).with_source(err)
    }
}

impl From<iothub_client::Error> for CliError {
    /// Classifies a client error: the hub's code (or HTTP status) picks the exit class and the
    /// hint; a device's own error status is exit 7 (8 for 409 busy); the tracking id is kept
    /// for `-v`. Callers add which device or job it was about with [`CliError::context`].
    fn from(err: iothub_client::Error) -> Self {
        use iothub_client::ErrorKind;

        let mut hub_code = None;
        let (exit, message, hint, tracking_id) = match err.kind() {
            ErrorKind::Hub(hub) => {
                let exit = hub
                    .code
                    .map_or_else(|| Exit::for_http_status(hub.status), Exit::for_hub_code);
                let label = match (hub.code, &hub.name, hub.numeric_code) {
                    (Some(code), _, _) => code.to_string(),
                    (None, Some(name), Some(number)) => format!("{name} ({number})"),
                    (None, Some(name), None) => name.clone(),
                    (None, None, Some(number)) => number.to_string(),
                    (None, None, None) => format!("HTTP {}", hub.status),
                };
                hub_code = match (hub.code, &hub.name, hub.numeric_code) {
                    (Some(code), _, _) => Some(code.name().to_owned()),
                    (None, Some(name), _) => Some(name.clone()),
                    (None, None, Some(number)) => Some(number.to_string()),
                    (None, None, None) => None,
                };
                let hint = hub
                    .code
                    .and_then(hint_for_hub_code)
                    .map(str::to_owned)
                    .or_else(|| {
                        (hub.status == 401 || hub.status == 403).then(|| {
                            hint_for_hub_code(ErrorCode::IotHubUnauthorizedAccess)
                                .unwrap_or_default()
                                .to_owned()
                        })
                    });
                (
                    exit,
                    format!("{label}: {}", hub.message),
                    hint,
                    hub.tracking_id.clone(),
                )
            }
            ErrorKind::DeviceMethod { status, payload } => {
                let mut text = payload.to_string();
                if text.chars().count() > 200 {
                    text = text.chars().take(199).collect::<String>() + "…";
                }
                let message = if payload.is_null() {
                    format!("the device answered {status}")
                } else {
                    format!("the device answered {status}: {text}")
                };
                (Exit::for_device_status(*status), message, None, None)
            }
            ErrorKind::Transport => {
                let cause = innermost_cause(&err);
                let hint = if cause.to_lowercase().contains("certificate") {
                    "the hub's TLS certificate is not trusted; for a local hub pass --ca-file \
                     with the ca.pem in its data directory"
                } else {
                    "check the HostName in the connection string, the network and HTTPS_PROXY"
                };
                (
                    Exit::Failure,
                    format!("cannot reach the hub: {cause}"),
                    Some(hint.to_owned()),
                    None,
                )
            }
            ErrorKind::Timeout => (
                Exit::TimedOut,
                "the hub did not answer in time".to_owned(),
                None,
                None,
            ),
            ErrorKind::InvalidInput(text) | ErrorKind::Config(text) => {
                (Exit::Usage, text.clone(), None, None)
            }
            ErrorKind::Deserialize(text) => (
                Exit::Failure,
                format!("unexpected answer from the hub: {text}"),
                None,
                None,
            ),
            ErrorKind::Credential(text) => (Exit::Auth, text.clone(), None, None),
            ErrorKind::NotRecorded(text) => (
                Exit::Failure,
                format!("not sent: {text}"),
                Some(format!(
                    "dmctl records every change in its audit trail before sending it; make {} writable or set {}",
                    "$XDG_STATE_HOME/dmctl",
                    crate::env_vars::XDG_STATE_HOME
                )),
                None,
            ),
            _ => (Exit::Failure, err.to_string(), None, None),
        };
        let mut cli = CliError::new(exit, message).with_tracking_id(tracking_id);
        cli.hub_code = hub_code;
        if let Some(hint) = hint {
            cli = cli.with_hint(hint);
        }
        cli.with_source(err)
    }
}

/// The last error in a source chain: for network failures that is the one that says what
/// actually happened ("Connection refused", "invalid peer certificate").
fn innermost_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current: &(dyn std::error::Error + 'static) = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

impl From<iothub_auth::AuthError> for CliError {
    fn from(err: iothub_auth::AuthError) -> Self {
        // AuthError texts name fields, never values, so they are safe to show.
        Self::usage(err.to_string()).with_source(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_documented_table() {
        let table: Vec<(u8, &str)> = Exit::ALL.iter().map(|e| (e.code(), e.meaning())).collect();
        assert_eq!(
            table.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 130]
        );
        // The README table is generated from the same text; a code must never change meaning.
        assert_eq!(Exit::NotConnected.meaning(), "device not connected");
    }

    #[test]
    fn hub_codes_map_to_their_classes() {
        assert_eq!(
            Exit::for_hub_code(ErrorCode::IotHubUnauthorizedAccess),
            Exit::Auth
        );
        assert_eq!(
            Exit::for_hub_code(ErrorCode::DeviceNotFound),
            Exit::NotFound
        );
        assert_eq!(Exit::for_hub_code(ErrorCode::JobNotFound), Exit::NotFound);
        assert_eq!(
            Exit::for_hub_code(ErrorCode::DeviceNotOnline),
            Exit::NotConnected
        );
        assert_eq!(
            Exit::for_hub_code(ErrorCode::GatewayTimeout),
            Exit::TimedOut
        );
        assert_eq!(
            Exit::for_hub_code(ErrorCode::PreconditionFailed),
            Exit::Conflict
        );
        assert_eq!(
            Exit::for_hub_code(ErrorCode::DeviceAlreadyExists),
            Exit::Conflict
        );
        // Quotas lift with time: retry later, not "check your credentials" (403 by status).
        assert_eq!(
            Exit::for_hub_code(ErrorCode::JobQuotaExceeded),
            Exit::Throttled
        );
        assert_eq!(
            Exit::for_hub_code(ErrorCode::IotHubQuotaExceeded),
            Exit::Throttled
        );
        assert_eq!(
            Exit::for_hub_code(ErrorCode::ThrottlingException),
            Exit::Throttled
        );
        assert_eq!(Exit::for_hub_code(ErrorCode::ServerError), Exit::Failure);
        assert_eq!(Exit::for_hub_code(ErrorCode::ArgumentInvalid), Exit::Usage);
    }

    #[test]
    fn device_statuses_map_to_device_error_or_busy() {
        assert_eq!(Exit::for_device_status(200), Exit::Ok);
        assert_eq!(Exit::for_device_status(202), Exit::Ok);
        assert_eq!(Exit::for_device_status(400), Exit::DeviceError);
        assert_eq!(Exit::for_device_status(404), Exit::DeviceError);
        assert_eq!(Exit::for_device_status(409), Exit::Conflict);
        assert_eq!(Exit::for_device_status(500), Exit::DeviceError);
    }

    #[test]
    fn broken_pipe_is_recognised_through_the_source() {
        let err = CliError::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(err.is_broken_pipe());
        let other = CliError::from(io::Error::from(io::ErrorKind::PermissionDenied));
        assert!(!other.is_broken_pipe());
    }

    #[test]
    fn context_prefixes_the_message() {
        let err = CliError::new(Exit::NotFound, "not registered").context("device 'dev1'");
        assert_eq!(err.to_string(), "device 'dev1': not registered");
        assert_eq!(err.exit().code(), 4);
    }
}
