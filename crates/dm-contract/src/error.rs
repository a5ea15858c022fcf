//! The one error type of the contract layer.
//!
//! Both sides use it: `dmctl` to refuse a bad command before anything is sent, the agent to answer
//! 400 with the same words. So every variant names the wire field that was wrong, and no variant
//! carries a field's *value*: values can be secrets (Wi-Fi passphrases, PEM keys, signed URLs).

use std::fmt::Write as _;

/// What went wrong while building, parsing or checking a contract document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContractError {
    /// A field is present but its value breaks a rule of the contract.
    #[error("invalid `{field}`: {reason}")]
    InvalidField {
        /// The wire path of the field, e.g. `schedule.daily` or `paths[2]`.
        field: String,
        /// Why it was refused, without echoing the value.
        reason: String,
    },
    /// A JSON document does not have the shape of the expected type (unknown or missing field,
    /// wrong type).
    #[error("invalid {what}{}: {detail}", at(field.as_deref()))]
    InvalidPayload {
        /// What was being parsed, e.g. `dm.reboot payload` or `reported.dm.agent`.
        what: String,
        /// The wire name of the offending field when the parser named one.
        field: Option<String>,
        /// The parser's explanation with any echoed value removed.
        detail: String,
    },
    /// A factory reset whose `confirmDeviceId` is not the receiving device's id.
    #[error(
        "invalid `confirmDeviceId`: does not match this device's id; a factory reset must name the device it resets"
    )]
    ConfirmationMismatch,
    /// A method name that this contract does not define.
    #[error("unknown method `{0}`")]
    UnknownMethod(String),
    /// A twin section name that this contract does not define.
    #[error("unknown twin section `{0}`")]
    UnknownSection(String),
    /// A method response that cannot be read as this contract's response for its status.
    #[error("malformed method response (status {status}): {reason}")]
    MalformedResponse {
        /// The status the device answered with.
        status: u16,
        /// What was wrong with it.
        reason: String,
    },
}

impl ContractError {
    /// Builds [`ContractError::InvalidField`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidField {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Wraps a `serde_json` error met while reading `what`, keeping the field name it mentions
    /// and dropping any value it echoes.
    pub fn from_json(what: impl Into<String>, err: &serde_json::Error) -> Self {
        Self::from_json_at(what.into(), None, err)
    }

    fn from_json_at(what: String, path: Option<String>, err: &serde_json::Error) -> Self {
        let message = err.to_string();
        // serde names missing/unknown fields in the message, relative to the object it was
        // reading; the tracked path points at that object (or already at the field).
        let field = match (path, field_named_in(&message)) {
            (Some(path), Some(name)) if path != name && !path.ends_with(&format!(".{name}")) => {
                Some(format!("{path}.{name}"))
            }
            (Some(path), _) => Some(path),
            (None, name) => name,
        };
        Self::InvalidPayload {
            what,
            field,
            detail: sanitize_serde_message(&message),
        }
    }

    /// The wire field this error is about, if known; the agent puts it in `ErrorBody.field`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidField { field, .. } => Some(field),
            Self::InvalidPayload { field, .. } => field.as_deref(),
            Self::ConfirmationMismatch => Some("confirmDeviceId"),
            _ => None,
        }
    }

    /// Prefixes the field path with `parent.`, for errors raised by a nested value's validation.
    #[must_use]
    pub fn within(self, parent: &str) -> Self {
        match self {
            Self::InvalidField { field, reason } => Self::InvalidField {
                field: format!("{parent}.{field}"),
                reason,
            },
            other => other,
        }
    }
}

/// Deserializes `value` as `T`, naming the exact field path (`schedule.daily`, `paths[2]`) when
/// it does not fit.
pub(crate) fn from_value<T: serde::de::DeserializeOwned>(
    what: impl Into<String>,
    value: &serde_json::Value,
) -> Result<T, ContractError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = (path != ".").then_some(path);
        ContractError::from_json_at(what.into(), path, e.inner())
    })
}

fn at(field: Option<&str>) -> String {
    field.map(|f| format!(" at `{f}`")).unwrap_or_default()
}

/// serde names fields as `` `name` `` in "missing field", "unknown field" and "duplicate field".
fn field_named_in(message: &str) -> Option<String> {
    for prefix in ["unknown field `", "missing field `", "duplicate field `"] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return rest.split('`').next().map(str::to_owned);
        }
    }
    None
}

/// serde's "invalid type"/"invalid value" messages quote the offending value (`` integer `5` ``,
/// `string "…"`). The value may be a secret sent in the wrong shape, so keep only its kind.
fn sanitize_serde_message(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (found, expected) = match rest.find(", expected") {
                Some(at) => rest.split_at(at),
                None => (rest, ""),
            };
            let kind = found
                .split([' ', '`', '"'])
                .next()
                .filter(|k| !k.is_empty())
                .unwrap_or("value");
            let kind = match kind {
                "floating" => "floating point",
                "unit" => "unit value",
                other => other,
            };
            let mut out = String::with_capacity(message.len());
            let _ = write!(out, "{prefix}{kind}{expected}");
            return out;
        }
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_lose_echoed_values_but_keep_field_names() {
        assert_eq!(
            sanitize_serde_message("invalid type: integer `12345678`, expected a string"),
            "invalid type: integer, expected a string"
        );
        assert_eq!(
            sanitize_serde_message("invalid type: string \"hunter2\", expected u32"),
            "invalid type: string, expected u32"
        );
        assert_eq!(
            sanitize_serde_message("invalid type: floating point `1.5`, expected u32"),
            "invalid type: floating point, expected u32"
        );
        assert_eq!(
            field_named_in("unknown field `delaySecs`, expected one of `delaySeconds`"),
            Some("delaySecs".to_owned())
        );
        assert_eq!(field_named_in("invalid type: map"), None);
    }

    #[test]
    fn from_json_does_not_leak_a_misplaced_secret() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct P {
            passphrase: String,
        }
        let err = serde_json::from_value::<P>(serde_json::json!({"passphrase": 87_654_321}))
            .map(|_| ())
            .map_err(|e| ContractError::from_json("dm.wifi.add payload", &e))
            .unwrap_err();
        assert!(!err.to_string().contains("87654321"), "{err}");
        assert!(err.to_string().contains("dm.wifi.add payload"), "{err}");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
        list: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: u8,
    }

    #[test]
    fn from_value_names_nested_paths() {
        use serde_json::json;
        let field = |v: serde_json::Value| {
            from_value::<Outer>("doc", &v)
                .unwrap_err()
                .field()
                .map(str::to_owned)
        };
        assert_eq!(
            field(json!({"inner": {"n": 300}, "list": []})).as_deref(),
            Some("inner.n")
        );
        assert_eq!(
            field(json!({"inner": {}, "list": []})).as_deref(),
            Some("inner.n")
        );
        assert_eq!(
            field(json!({"inner": {"n": 1}, "list": [{"n": 1}, {"m": 1}]})).as_deref(),
            Some("list[1].m")
        );
        assert_eq!(field(json!({"inner": {"n": 1}})).as_deref(), Some("list"));
        assert_eq!(
            field(json!({"inner": {"n": 1}, "list": [], "extra": 1})).as_deref(),
            Some("extra")
        );
        let err =
            from_value::<Outer>("doc", &json!({"inner": {"n": "x"}, "list": []})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid doc at `inner.n`: invalid type: string, expected u8"
        );
    }

    #[test]
    fn within_prefixes_nested_fields() {
        let err = ContractError::invalid("start", "bad").within("maintenanceWindow");
        assert_eq!(err.field(), Some("maintenanceWindow.start"));
    }
}
