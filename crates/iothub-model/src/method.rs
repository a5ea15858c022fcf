//! Direct method invocation: the request and result bodies and the hub's limits on them.
//!
//! The client checks a call before sending it, and the emulator rejects the same calls a real hub
//! would (400004 for names and timeouts, 413001 for an oversized payload), so a command that works
//! against the emulator works against Azure.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model_error::ModelError;

/// Largest request or response payload, in bytes of serialized JSON.
pub const MAX_METHOD_PAYLOAD_BYTES: usize = 128 * 1024;
/// `responseTimeoutInSeconds` when the request leaves it out.
pub const DEFAULT_RESPONSE_TIMEOUT_SECS: u32 = 30;
/// Smallest `responseTimeoutInSeconds`.
pub const MIN_RESPONSE_TIMEOUT_SECS: u32 = 5;
/// Largest `responseTimeoutInSeconds`.
pub const MAX_RESPONSE_TIMEOUT_SECS: u32 = 300;
/// `connectTimeoutInSeconds` when the request leaves it out: the device must already be online.
pub const DEFAULT_CONNECT_TIMEOUT_SECS: u32 = 0;
/// Largest `connectTimeoutInSeconds` (the smallest is 0).
pub const MAX_CONNECT_TIMEOUT_SECS: u32 = 300;

/// Characters a method name may not contain besides spaces, tabs and non-printable or
/// non-ASCII characters.
pub const METHOD_NAME_FORBIDDEN_CHARS: &str = "$()<>@,;:\\\"/[]?={}";

/// `POST /twins/{id}/methods` request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudToDeviceMethod {
    /// The method to call.
    #[serde(default)]
    pub method_name: String,
    /// Any JSON, `null` for none.
    #[serde(default)]
    pub payload: Value,
    /// Seconds to wait for the device's answer (5–300, default 30).
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub response_timeout_in_seconds: Option<u32>,
    /// Seconds to wait for the device to connect and subscribe (0–300, default 0).
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub connect_timeout_in_seconds: Option<u32>,
}

impl CloudToDeviceMethod {
    /// A call of `method_name` with `payload` and the hub's default timeouts.
    pub fn new(method_name: impl Into<String>, payload: Value) -> Self {
        Self {
            method_name: method_name.into(),
            payload,
            response_timeout_in_seconds: None,
            connect_timeout_in_seconds: None,
        }
    }

    /// The response timeout the hub applies, with the default filled in.
    pub fn response_timeout_secs(&self) -> u32 {
        self.response_timeout_in_seconds
            .unwrap_or(DEFAULT_RESPONSE_TIMEOUT_SECS)
    }

    /// The connect timeout the hub applies, with the default filled in.
    pub fn connect_timeout_secs(&self) -> u32 {
        self.connect_timeout_in_seconds
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT_SECS)
    }
}

/// `POST /twins/{id}/methods` success body: the device's own status and payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudToDeviceMethodResult {
    /// Status chosen by the device (its 500 still arrives in an HTTP 200).
    pub status: i32,
    /// The device's JSON answer, `null` for none.
    #[serde(default)]
    pub payload: Value,
}

/// Checks a method name: non-empty printable US-ASCII without spaces, tabs or
/// [`METHOD_NAME_FORBIDDEN_CHARS`].
pub fn validate_method_name(name: &str) -> Result<(), ModelError> {
    if name.is_empty() {
        return Err(ModelError::EmptyMethodName);
    }
    let bad = name
        .chars()
        .enumerate()
        .find(|&(_, c)| !c.is_ascii_graphic() || METHOD_NAME_FORBIDDEN_CHARS.contains(c));
    match bad {
        Some((position, ch)) => Err(ModelError::InvalidMethodNameChar {
            name: name.to_owned(),
            ch,
            position,
        }),
        None => Ok(()),
    }
}

/// The size of `payload` as compact JSON, without building the string.
pub fn payload_size(payload: &Value) -> usize {
    struct Counter(usize);
    impl Write for Counter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 = self.0.saturating_add(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Serializing a `Value` into a writer that never fails cannot fail.
    let _ = serde_json::to_writer(&mut counter, payload);
    counter.0
}

/// Checks a payload (request or device response) against [`MAX_METHOD_PAYLOAD_BYTES`].
pub fn validate_method_payload(payload: &Value) -> Result<(), ModelError> {
    let size = payload_size(payload);
    if size > MAX_METHOD_PAYLOAD_BYTES {
        return Err(ModelError::MethodPayloadTooLarge {
            size,
            max: MAX_METHOD_PAYLOAD_BYTES,
        });
    }
    Ok(())
}

/// Checks a whole call: name, payload size and both timeouts.
pub fn validate_method(method: &CloudToDeviceMethod) -> Result<(), ModelError> {
    validate_method_name(&method.method_name)?;
    validate_method_payload(&method.payload)?;
    let response = method.response_timeout_secs();
    if !(MIN_RESPONSE_TIMEOUT_SECS..=MAX_RESPONSE_TIMEOUT_SECS).contains(&response) {
        return Err(ModelError::ResponseTimeoutOutOfRange {
            value: response,
            min: MIN_RESPONSE_TIMEOUT_SECS,
            max: MAX_RESPONSE_TIMEOUT_SECS,
        });
    }
    let connect = method.connect_timeout_secs();
    if connect > MAX_CONNECT_TIMEOUT_SECS {
        return Err(ModelError::ConnectTimeoutOutOfRange {
            value: connect,
            min: 0,
            max: MAX_CONNECT_TIMEOUT_SECS,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::json;

    #[test]
    fn request_wire_shape_and_defaults() {
        let call: CloudToDeviceMethod = serde_json::from_value(json!({
            "methodName": "reboot", "payload": {"delay": 5},
            "responseTimeoutInSeconds": 60, "futureField": 1
        }))
        .unwrap();
        assert_eq!(call.method_name, "reboot");
        assert_eq!(call.response_timeout_secs(), 60);
        assert_eq!(call.connect_timeout_secs(), 0);
        assert_eq!(
            serde_json::to_value(&call).unwrap(),
            json!({"methodName": "reboot", "payload": {"delay": 5}, "responseTimeoutInSeconds": 60})
        );

        let bare: CloudToDeviceMethod =
            serde_json::from_value(json!({"methodName": "ping"})).unwrap();
        assert_eq!(bare.payload, Value::Null);
        assert_eq!(bare.response_timeout_secs(), 30);
        assert_eq!(
            serde_json::to_value(CloudToDeviceMethod::new("ping", Value::Null)).unwrap(),
            json!({"methodName": "ping", "payload": null})
        );

        let result: CloudToDeviceMethodResult =
            serde_json::from_value(json!({"status": 500, "payload": {"error": "x"}})).unwrap();
        assert_eq!(result.status, 500);
    }

    #[test]
    fn method_names() {
        for ok in ["reboot", "dm.reboot", "dm.apps.install", "a-b_c!~*'#%&+"] {
            assert_eq!(validate_method_name(ok), Ok(()), "{ok}");
        }
        for (bad, ch, position) in [
            ("re boot", ' ', 2),
            ("tab\tx", '\t', 3),
            ("$edge", '$', 0),
            ("a/b", '/', 1),
            ("a:b", ':', 1),
            ("x{y}", '{', 1),
            ("été", 'é', 0),
            ("q?", '?', 1),
        ] {
            let err = validate_method_name(bad).unwrap_err();
            assert_eq!(
                err,
                ModelError::InvalidMethodNameChar {
                    name: bad.into(),
                    ch,
                    position
                }
            );
            assert_eq!(err.error_code(), ErrorCode::ArgumentInvalid);
        }
        assert_eq!(validate_method_name(""), Err(ModelError::EmptyMethodName));
        assert_eq!(
            validate_method_name("a b").unwrap_err().to_string(),
            "method name 'a b' contains U+0020 at position 1, which is not allowed"
        );
    }

    #[test]
    fn payload_boundary_is_128_kb_serialized() {
        // A JSON string of n characters serializes to n + 2 bytes.
        let at_limit = Value::from("x".repeat(MAX_METHOD_PAYLOAD_BYTES - 2));
        assert_eq!(payload_size(&at_limit), MAX_METHOD_PAYLOAD_BYTES);
        assert_eq!(
            validate_method(&CloudToDeviceMethod::new("m", at_limit)),
            Ok(())
        );
        let over = Value::from("x".repeat(MAX_METHOD_PAYLOAD_BYTES - 1));
        let err = validate_method(&CloudToDeviceMethod::new("m", over)).unwrap_err();
        assert_eq!(
            err,
            ModelError::MethodPayloadTooLarge {
                size: MAX_METHOD_PAYLOAD_BYTES + 1,
                max: MAX_METHOD_PAYLOAD_BYTES
            }
        );
        assert_eq!(err.error_code(), ErrorCode::MessageTooLarge);
        assert_eq!(payload_size(&json!({"a": [1, true, null]})), 19);
    }

    #[test]
    fn timeout_ranges() {
        let with = |response: Option<u32>, connect: Option<u32>| CloudToDeviceMethod {
            response_timeout_in_seconds: response,
            connect_timeout_in_seconds: connect,
            ..CloudToDeviceMethod::new("m", Value::Null)
        };
        for ok in [(Some(5), Some(0)), (Some(300), Some(300)), (None, None)] {
            assert_eq!(validate_method(&with(ok.0, ok.1)), Ok(()));
        }
        assert_eq!(
            validate_method(&with(Some(4), None)),
            Err(ModelError::ResponseTimeoutOutOfRange {
                value: 4,
                min: 5,
                max: 300
            })
        );
        assert!(matches!(
            validate_method(&with(Some(301), None)),
            Err(ModelError::ResponseTimeoutOutOfRange { value: 301, .. })
        ));
        assert_eq!(
            validate_method(&with(None, Some(301))),
            Err(ModelError::ConnectTimeoutOutOfRange {
                value: 301,
                min: 0,
                max: 300
            })
        );
    }
}
