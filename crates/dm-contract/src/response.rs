//! Method answers: real status codes and the bodies that go with them.
//!
//! The Windows client always answered status 0 and hid failure in two different body styles,
//! one of them not even valid JSON. Here the status is the outcome (DESIGN §3) and the body's
//! shape follows from it: the result for 200, [`Accepted`] for 202, [`ErrorBody`] for 4xx/5xx.
//! The agent builds answers with [`MethodResponse`]; `dmctl` reads them with [`MethodReply`].

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{ContractError, OperationId, OperationState};

/// 200: done; the result is the payload.
pub const STATUS_OK: u16 = 200;
/// 202: accepted; a long operation started (or was postponed), payload is [`Accepted`].
pub const STATUS_ACCEPTED: u16 = 202;
/// 400: bad payload; [`ErrorBody`] names the field.
pub const STATUS_BAD_REQUEST: u16 = 400;
/// 404: unknown method (`unknownMethod`), or the named item does not exist (`notFound`).
pub const STATUS_NOT_FOUND: u16 = 404;
/// 409: busy (`busy`, with `retryAfter`) or conflicting with another operation or with desired
/// state (`conflict`).
pub const STATUS_CONFLICT: u16 = 409;
/// 500: the device tried and failed; [`ErrorBody`] says why.
pub const STATUS_FAILED: u16 = 500;
/// 501: the method exists but is not supported on this device (provider inactive).
pub const STATUS_NOT_SUPPORTED: u16 = 501;

/// Machine error codes used in [`ErrorBody::code`] and operation envelopes' `error.code`.
///
/// Providers may add their own camelCase codes; these are the ones both sides rely on.
pub mod error_code {
    /// 400: the payload breaks the contract (unknown/missing field, bad value).
    pub const INVALID_PAYLOAD: &str = "invalidPayload";
    /// 400: the factory-reset confirmation is not this device's id.
    pub const CONFIRMATION_MISMATCH: &str = "confirmationMismatch";
    /// 400: a path is outside the roots the agent allows.
    pub const PATH_NOT_ALLOWED: &str = "pathNotAllowed";
    /// 404: no such method.
    pub const UNKNOWN_METHOD: &str = "unknownMethod";
    /// 404: no such app, certificate, profile or operation.
    pub const NOT_FOUND: &str = "notFound";
    /// 409: a busy lease blocks a disruptive operation; see `retryAfter`.
    pub const BUSY: &str = "busy";
    /// 409: another operation on the same target is in progress, or desired state owns the
    /// setting.
    pub const CONFLICT: &str = "conflict";
    /// 501: the method's provider is not active on this device.
    pub const NOT_SUPPORTED: &str = "notSupported";
    /// 500 / envelope: the work failed; the message says how.
    pub const FAILED: &str = "failed";
    /// Envelope: a download did not match its SHA-256.
    pub const CHECKSUM_MISMATCH: &str = "checksumMismatch";
    /// Envelope: a download failed.
    pub const DOWNLOAD_FAILED: &str = "downloadFailed";
    /// Envelope: the time zone is not in the device's tz database.
    pub const UNKNOWN_TIME_ZONE: &str = "unknownTimeZone";
    /// Envelope: the operation was cancelled by `dm.operations.cancel` (state `rejected`).
    pub const CANCELLED: &str = "cancelled";
    /// Envelope: the agent restarted while the operation ran and cannot tell how it ended.
    pub const INTERRUPTED: &str = "interrupted";
    /// 500: a bug or unexpected condition in the agent.
    pub const INTERNAL: &str = "internal";
    /// Envelope (since v2): the new agent binary does not run here, or reports another version
    /// than the one asked for; nothing was replaced.
    pub const PREFLIGHT_FAILED: &str = "preflightFailed";
    /// Envelope (since v2): after a self-update the agent runs another version than the one
    /// asked for; the previous binary was put back.
    pub const VERSION_MISMATCH: &str = "versionMismatch";
    /// Envelope (since v2): the agent could not restart into its new binary; the previous
    /// binary was put back.
    pub const RESTART_FAILED: &str = "restartFailed";
    /// Envelope: the artefact URL is plain `http` and the device's configuration does not allow
    /// it (`artifacts.allow_http`); nothing was downloaded.
    pub const INSECURE_URL: &str = "insecureUrl";
    /// Envelope: the requested version is lower than the installed or running one (or the two
    /// cannot be compared) and the request did not set `allowDowngrade`; nothing was changed.
    pub const DOWNGRADE_REFUSED: &str = "downgradeRefused";
    /// Envelope: the device trusts publisher keys and the request carries no `signature`;
    /// nothing was installed.
    pub const SIGNATURE_REQUIRED: &str = "signatureRequired";
    /// Envelope: the signature does not match the downloaded file (or is malformed for its
    /// key); nothing was installed or run.
    pub const SIGNATURE_INVALID: &str = "signatureInvalid";
    /// Envelope: the signature was made by a key the device does not trust; nothing was
    /// installed or run.
    pub const SIGNATURE_UNTRUSTED: &str = "signatureUntrusted";
}

/// The 202 body: the operation to follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
    /// The envelope's id under `reported.dm.<section>.operations`.
    pub operation_id: OperationId,
    /// `pending` (will run), `running`, or `postponed` (waiting for busy leases).
    pub state: OperationState,
}

/// The body of every 4xx/5xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// A machine code from [`error_code`].
    pub code: String,
    /// A sentence for people; never contains secrets.
    pub message: String,
    /// For `busy`: seconds until the blocking lease expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
    /// For 400: the wire path of the offending field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ErrorBody {
    /// An error body with just a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            retry_after: None,
            field: None,
        }
    }
}

/// A method answer as the agent sends it: a status and a JSON payload.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodResponse {
    /// The method status (one of the `STATUS_*` constants).
    pub status: u16,
    /// The JSON payload.
    pub payload: Value,
}

impl MethodResponse {
    /// 200 with `result` as the payload. A result that cannot be serialized (a bug) becomes a
    /// 500 rather than a panic.
    pub fn ok<T: Serialize>(result: &T) -> Self {
        match serde_json::to_value(result) {
            Ok(payload) => Self {
                status: STATUS_OK,
                payload,
            },
            Err(e) => Self::failed(
                error_code::INTERNAL,
                format!("the agent could not serialize its result: {e}"),
            ),
        }
    }

    /// 202 for an operation that will run (`pending`).
    pub fn accepted(operation_id: OperationId) -> Self {
        Self::with_accepted(operation_id, OperationState::Pending)
    }

    /// 202 for an operation held back by busy leases (`postponed`).
    pub fn postponed(operation_id: OperationId) -> Self {
        Self::with_accepted(operation_id, OperationState::Postponed)
    }

    fn with_accepted(operation_id: OperationId, state: OperationState) -> Self {
        Self::error_like(
            STATUS_ACCEPTED,
            &Accepted {
                operation_id,
                state,
            },
        )
    }

    /// 400 from a validation or parse error; `field` and `code` come from the error.
    pub fn bad_request(error: &ContractError) -> Self {
        let code = match error {
            ContractError::ConfirmationMismatch => error_code::CONFIRMATION_MISMATCH,
            _ => error_code::INVALID_PAYLOAD,
        };
        let mut body = ErrorBody::new(code, error.to_string());
        body.field = error.field().map(str::to_owned);
        Self::error(STATUS_BAD_REQUEST, body)
    }

    /// The answer to a request that failed to parse or validate: 404 for an unknown method,
    /// 400 (with `field`) for everything else.
    pub fn from_error(error: &ContractError) -> Self {
        match error {
            ContractError::UnknownMethod(name) => Self::unknown_method(name),
            _ => Self::bad_request(error),
        }
    }

    /// 404 for a method this agent does not know.
    pub fn unknown_method(name: &str) -> Self {
        Self::error(
            STATUS_NOT_FOUND,
            ErrorBody::new(
                error_code::UNKNOWN_METHOD,
                format!("method `{name}` is not part of this agent's dm contract"),
            ),
        )
    }

    /// 404 for an item (app, certificate, profile, operation) that does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::error(
            STATUS_NOT_FOUND,
            ErrorBody::new(error_code::NOT_FOUND, message),
        )
    }

    /// 409 `busy`: a lease blocks the operation for about `retry_after` seconds.
    pub fn busy(retry_after: u32, message: impl Into<String>) -> Self {
        let mut body = ErrorBody::new(error_code::BUSY, message);
        body.retry_after = Some(retry_after);
        Self::error(STATUS_CONFLICT, body)
    }

    /// 409 `conflict`: another operation or desired state stands in the way.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::error(
            STATUS_CONFLICT,
            ErrorBody::new(error_code::CONFLICT, message),
        )
    }

    /// 501: the method's provider is not active here.
    pub fn not_supported(message: impl Into<String>) -> Self {
        Self::error(
            STATUS_NOT_SUPPORTED,
            ErrorBody::new(error_code::NOT_SUPPORTED, message),
        )
    }

    /// 500 with a code and message.
    pub fn failed(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::error(STATUS_FAILED, ErrorBody::new(code, message))
    }

    /// Any error status with a prepared body.
    pub fn error(status: u16, body: ErrorBody) -> Self {
        Self {
            status,
            payload: serde_json::to_value(body).unwrap_or(Value::Null),
        }
    }

    fn error_like<T: Serialize>(status: u16, body: &T) -> Self {
        // These bodies hold only strings, numbers and enums: serialization cannot fail, but a
        // bare null is still a valid answer if it ever did.
        Self {
            status,
            payload: serde_json::to_value(body).unwrap_or(Value::Null),
        }
    }
}

/// A method answer as `dmctl` reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum MethodReply {
    /// 200: the result.
    Done(Value),
    /// 202: follow this operation.
    Accepted(Accepted),
    /// 4xx/5xx: the device's error.
    Error {
        /// The status.
        status: u16,
        /// The error body (synthesized from the status when the device sent none).
        body: ErrorBody,
    },
}

impl MethodReply {
    /// Interprets a status and payload from the hub's method result.
    pub fn from_response(status: u16, payload: &Value) -> Result<Self, ContractError> {
        match status {
            STATUS_OK => Ok(Self::Done(payload.clone())),
            STATUS_ACCEPTED => Accepted::deserialize(payload)
                .map(Self::Accepted)
                .map_err(|e| ContractError::MalformedResponse {
                    status,
                    reason: format!("a 202 answer must carry an operation id: {e}"),
                }),
            400..=599 => {
                // Something other than the agent (an application handler, an old agent) may
                // answer an error without our body; keep the status meaningful anyway.
                let body = ErrorBody::deserialize(payload).unwrap_or_else(|_| {
                    ErrorBody::new(
                        default_code(status),
                        format!("the device answered {status} without a dm error body"),
                    )
                });
                Ok(Self::Error { status, body })
            }
            other => Err(ContractError::MalformedResponse {
                status: other,
                reason: "status is not one the dm contract uses (200, 202, 4xx, 5xx)".to_owned(),
            }),
        }
    }

    /// The result as `T`, for a 200 answer.
    pub fn result<T: serde::de::DeserializeOwned>(&self) -> Result<T, ContractError> {
        match self {
            Self::Done(value) => {
                T::deserialize(value).map_err(|e| ContractError::MalformedResponse {
                    status: STATUS_OK,
                    reason: e.to_string(),
                })
            }
            Self::Accepted(_) => Err(ContractError::MalformedResponse {
                status: STATUS_ACCEPTED,
                reason: "expected a result (200), got an accepted operation (202)".to_owned(),
            }),
            Self::Error { status, body } => Err(ContractError::MalformedResponse {
                status: *status,
                reason: format!("expected a result, got error `{}`", body.code),
            }),
        }
    }
}

fn default_code(status: u16) -> &'static str {
    match status {
        STATUS_BAD_REQUEST => error_code::INVALID_PAYLOAD,
        STATUS_NOT_FOUND => error_code::UNKNOWN_METHOD,
        STATUS_CONFLICT => error_code::CONFLICT,
        STATUS_NOT_SUPPORTED => error_code::NOT_SUPPORTED,
        _ => error_code::FAILED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Method, Request};
    use serde_json::json;

    fn op(id: &str) -> OperationId {
        OperationId::new(id).unwrap()
    }

    #[test]
    fn builders_use_the_design_status_codes() {
        assert_eq!(MethodResponse::ok(&json!({"a": 1})).status, 200);
        let accepted = MethodResponse::accepted(op("op1"));
        assert_eq!(accepted.status, 202);
        assert_eq!(
            accepted.payload,
            json!({"operationId": "op1", "state": "pending"})
        );
        let postponed = MethodResponse::postponed(op("op2"));
        assert_eq!(postponed.status, 202);
        assert_eq!(postponed.payload["state"], "postponed");
        assert_eq!(MethodResponse::unknown_method("dm.x").status, 404);
        assert_eq!(
            MethodResponse::not_found("no app `a`").payload["code"],
            "notFound"
        );
        let busy = MethodResponse::busy(120, "lease `firmware-flash` held by app `plc`");
        assert_eq!(busy.status, 409);
        assert_eq!(busy.payload["retryAfter"], 120);
        assert_eq!(busy.payload["code"], "busy");
        assert_eq!(MethodResponse::conflict("x").status, 409);
        assert_eq!(
            MethodResponse::not_supported("no NetworkManager").status,
            501
        );
        assert_eq!(MethodResponse::failed("rebootFailed", "x").status, 500);
    }

    #[test]
    fn bad_request_names_the_field() {
        let err = Request::parse(Method::Reboot, &json!({"delaySeconds": 999_999})).unwrap_err();
        let resp = MethodResponse::bad_request(&err);
        assert_eq!(resp.status, 400);
        assert_eq!(resp.payload["code"], "invalidPayload");
        assert_eq!(resp.payload["field"], "delaySeconds");

        let Request::FactoryReset(reset) =
            Request::parse(Method::FactoryReset, &json!({"confirmDeviceId": "dev-2"})).unwrap()
        else {
            unreachable!()
        };
        let resp = MethodResponse::bad_request(&reset.confirm("dev-1").unwrap_err());
        assert_eq!(resp.payload["code"], "confirmationMismatch");
        assert_eq!(resp.payload["field"], "confirmDeviceId");
    }

    #[test]
    fn from_error_maps_parse_failures() {
        let unknown = Request::parse_call("dm.nope", &json!({})).unwrap_err();
        let resp = MethodResponse::from_error(&unknown);
        assert_eq!(
            (resp.status, &resp.payload["code"]),
            (404, &json!("unknownMethod"))
        );
        let bad = Request::parse_call("dm.apps.start", &json!({"name": 5})).unwrap_err();
        let resp = MethodResponse::from_error(&bad);
        assert_eq!(resp.status, 400);
        assert_eq!(resp.payload["field"], "name");
    }

    #[test]
    fn replies_round_trip_through_the_wire() {
        for resp in [
            MethodResponse::ok(&json!({"sections": ["time"]})),
            MethodResponse::postponed(op("op3")),
            MethodResponse::busy(30, "busy"),
            MethodResponse::unknown_method("dm.nope"),
        ] {
            let reply = MethodReply::from_response(resp.status, &resp.payload).unwrap();
            match (resp.status, reply) {
                (200, MethodReply::Done(v)) => assert_eq!(v, resp.payload),
                (202, MethodReply::Accepted(a)) => {
                    assert_eq!(a.operation_id, op("op3"));
                    assert_eq!(a.state, OperationState::Postponed);
                }
                (409, MethodReply::Error { body, .. }) => assert_eq!(body.retry_after, Some(30)),
                (404, MethodReply::Error { body, .. }) => assert_eq!(body.code, "unknownMethod"),
                (s, r) => panic!("{s} read as {r:?}"),
            }
        }
    }

    #[test]
    fn foreign_answers_are_read_defensively() {
        let reply = MethodReply::from_response(500, &json!("boom")).unwrap();
        let MethodReply::Error { status, body } = reply else {
            panic!()
        };
        assert_eq!((status, body.code.as_str()), (500, "failed"));
        assert!(MethodReply::from_response(202, &json!({})).is_err());
        assert!(MethodReply::from_response(0, &json!({})).is_err());
        let done = MethodReply::from_response(200, &json!({"sections": []})).unwrap();
        assert!(done.result::<crate::ReportAllResult>().is_ok());
        assert!(done.result::<crate::TimeInfo>().is_err());
    }
}
