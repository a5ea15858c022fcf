//! IoT Hub error codes and the two error bodies the hub sends.
//!
//! The hub reports failures as a six-digit code whose first three digits are the HTTP status,
//! carried in one of two JSON "envelopes" (see the protocol notes §B.3). Clients need to turn any
//! of those bodies (and the non-JSON bodies proxies produce) into one typed value, and the
//! emulator needs to produce byte-compatible bodies; both live here so they cannot drift apart.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $meaning:literal; )+) => {
        /// A documented IoT Hub error code (`iothub-errorcode` header / `ErrorCode:` prefix).
        ///
        /// The numeric value is the hub's six-digit code; its first three digits are the HTTP
        /// status the hub answers with.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )+
        }

        impl ErrorCode {
            /// Every known code, in numeric order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The six-digit code, for example `404103`.
            pub fn code(self) -> u32 {
                match self { $(ErrorCode::$variant => $code,)+ }
            }

            /// The name the hub uses in headers and bodies, for example `"DeviceNotOnline"`.
            pub fn name(self) -> &'static str {
                match self { $(ErrorCode::$variant => stringify!($variant),)+ }
            }

            /// A one-line explanation for people reading CLI output or logs.
            pub fn meaning(self) -> &'static str {
                match self { $(ErrorCode::$variant => $meaning,)+ }
            }
        }
    };
}

error_codes! {
    /// The request did not carry a usable `api-version`.
    InvalidProtocolVersion = 400_001, "the api-version is missing or not supported";
    /// The operation is not allowed in the current state.
    InvalidOperation = 400_003, "the operation is not allowed";
    /// An argument (id, twin key, timeout, ...) is invalid.
    ArgumentInvalid = 400_004, "an argument of the request is invalid";
    /// A required argument is missing.
    ArgumentNull = 400_005, "a required argument is missing";
    /// The body is not valid JSON or not of the expected shape.
    IotHubFormatError = 400_006, "the request body could not be parsed";
    /// A bulk registry operation names the same device twice.
    DeviceDefinedMultipleTimes = 400_011, "a device appears more than once in a bulk operation";
    /// A bulk registry operation failed for at least one device.
    BulkRegistryOperationFailure = 400_013, "the bulk registry operation failed for some devices";
    /// A second connection with the same identity closed the first one.
    ConnectionForcefullyClosedOnNewConnection = 400_027, "the connection was closed because the same identity connected again";
    /// The hub named in the request does not exist.
    IotHubNotFound = 401_001, "the IoT hub does not exist";
    /// The SAS token is invalid, expired or lacks the needed permission.
    IotHubUnauthorizedAccess = 401_002, "the credentials are invalid, expired or lack the needed permission";
    /// The device's token expired.
    IotHubUnauthorized = 401_003, "the device token expired or is invalid";
    /// The hub is suspended.
    IotHubSuspended = 403_001, "the IoT hub is suspended";
    /// The daily message quota is used up.
    IotHubQuotaExceeded = 403_002, "the hub's daily message quota is exceeded";
    /// Too many jobs are running at once.
    JobQuotaExceeded = 403_003, "too many jobs are running at the same time";
    /// The hub already holds as many configurations as it allows (100 on a standard hub). The
    /// number is not published; the emulator's choice.
    TooManyConfigurationsOnHub = 403_021, "the hub holds the most configurations it allows";
    /// Too many cloud-to-device messages are waiting for the device.
    DeviceMaximumQueueDepthExceeded = 403_004, "too many cloud-to-device messages are queued for the device";
    /// The device already has the most file uploads in progress the hub allows (10).
    DeviceMaximumActiveFileUploadLimitExceeded = 403_006, "the device has too many file uploads in progress";
    /// The device is not registered (or is disabled, for twin, method and C2D calls).
    DeviceNotFound = 404_001, "the device is not registered or is disabled";
    /// The job does not exist.
    JobNotFound = 404_002, "the job does not exist";
    /// The configuration does not exist (the number is not published; the emulator's choice).
    ConfigurationNotFound = 404_021, "the configuration does not exist";
    /// The module does not exist on the device.
    ModuleNotFound = 404_010, "the module does not exist on the device";
    /// The device is not connected or not subscribed to direct methods.
    DeviceNotOnline = 404_103, "the device is not connected or not subscribed to direct methods";
    /// The device closed its connection while a call was pending.
    DeviceConnectionClosedRemotely = 404_104, "the device closed its connection";
    /// A device with that id is already registered.
    DeviceAlreadyExists = 409_001, "a device with that id is already registered";
    /// A configuration with that id already exists (the number is not published; the
    /// emulator's choice).
    ConfigurationAlreadyExists = 409_021, "a configuration with that id already exists";
    /// A job with that id already exists.
    JobAlreadyExists = 409_104, "a job with that id already exists";
    /// A module with that id already exists on the device.
    ModuleAlreadyExistsOnDevice = 409_301, "a module with that id already exists on the device";
    /// `If-Match` did not match the current etag.
    PreconditionFailed = 412_001, "the etag in If-Match does not match the current one";
    /// The lock on a cloud-to-device message expired before it was completed.
    DeviceMessageLockLost = 412_002, "the cloud-to-device message lock expired";
    /// The payload is over the size limit.
    MessageTooLarge = 413_001, "the payload is larger than the hub allows";
    /// A bulk operation names more devices than allowed.
    TooManyDevices = 413_002, "the bulk operation names too many devices";
    /// The device has too many modules.
    TooManyModulesOnDevice = 413_003, "the device has too many modules";
    /// A throttle of the hub was exceeded.
    ThrottlingException = 429_001, "a hub throttle was exceeded; retry later";
    /// The throttling backlog is full.
    ThrottleBacklogLimitExceeded = 429_002, "the hub's throttling backlog is full; retry later";
    /// A request waited in the throttling backlog too long.
    ThrottlingBacklogTimeout = 429_003, "the request timed out in the hub's throttling backlog; retry later";
    /// Too many active jobs for the throttle.
    ThrottlingMaxActiveJobCountExceeded = 429_004, "too many active jobs; retry later";
    /// The hub failed internally.
    ServerError = 500_001, "the hub failed internally";
    /// The hub is temporarily unavailable.
    ServiceUnavailable = 503_001, "the hub is temporarily unavailable";
    /// The device did not answer a direct method in time.
    GatewayTimeout = 504_101, "the device did not answer within the response timeout";
}

impl ErrorCode {
    /// The HTTP status the hub answers with: the first three digits of the code.
    pub fn http_status(self) -> u16 {
        // Codes are six digits, so the quotient is always in 100..=999.
        u16::try_from(self.code() / 1000).unwrap_or(500)
    }

    /// Looks a code up by its six-digit number.
    pub fn from_code(code: u32) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.code() == code)
    }

    /// Looks a code up by its name (exact, case-sensitive, as the hub writes it).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.code())
    }
}

/// Envelope 1: the body of registry, twin and auth errors.
///
/// `Message` is `ErrorCode:<Name>;<text>` and `ExceptionMessage` carries the tracking id; for
/// direct-method errors `Message` instead holds a [`MethodErrorBody`] serialized as a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// `ErrorCode:<Name>;<text>`, or a nested JSON string for method errors.
    #[serde(rename = "Message")]
    pub message: String,
    /// `Tracking ID:<id>-G:0-TimeStamp:<MM/dd/yyyy HH:mm:ss>`, or `""` for method errors.
    #[serde(rename = "ExceptionMessage", default)]
    pub exception_message: String,
}

impl ErrorEnvelope {
    /// Builds a registry-style body. `timestamp` is already in the hub's `MM/dd/yyyy HH:mm:ss`
    /// form (see [`crate::format_tracking_timestamp`]).
    pub fn new(code: ErrorCode, text: &str, tracking_id: &str, timestamp: &str) -> Self {
        Self {
            message: format!("ErrorCode:{};{text}", code.name()),
            exception_message: format!("Tracking ID:{tracking_id}-G:0-TimeStamp:{timestamp}"),
        }
    }

    /// Builds the direct-method body: the method error as a JSON string inside `Message`.
    pub fn wrapping_method_error(body: &MethodErrorBody) -> Self {
        Self {
            message: body.to_json_value().to_string(),
            exception_message: String::new(),
        }
    }
}

/// Envelope 2: the error body of direct-method calls (`errorCode`, `trackingId`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodErrorBody {
    /// Six-digit hub code, for example `404103`.
    pub error_code: u32,
    /// Opaque id support staff use to find the request.
    #[serde(default)]
    pub tracking_id: String,
    /// Human-readable text, for example `Timed out waiting for device to connect.`.
    #[serde(default)]
    pub message: String,
    /// Extra facts, for example `{"timeout":"00:00:10"}`; `{}` when there are none.
    #[serde(default = "empty_object")]
    pub info: Value,
    /// When the hub produced the error (7-fraction-digit UTC).
    #[serde(default)]
    pub timestamp_utc: String,
}

fn empty_object() -> Value {
    Value::Object(Map::new())
}

impl MethodErrorBody {
    /// Builds the JSON object by hand: unlike `serde_json::to_string`, this cannot fail, so
    /// the envelope constructor needs no error path.
    fn to_json_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("errorCode".into(), Value::from(self.error_code));
        map.insert("trackingId".into(), Value::from(self.tracking_id.clone()));
        map.insert("message".into(), Value::from(self.message.clone()));
        map.insert("info".into(), self.info.clone());
        map.insert(
            "timestampUtc".into(),
            Value::from(self.timestamp_utc.clone()),
        );
        Value::Object(map)
    }
}

/// What a client could learn from an error response, whichever body shape the hub used.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedHubError {
    /// The known error code, if the body or the `iothub-errorcode` header named one.
    pub code: Option<ErrorCode>,
    /// The error name as sent (also set when the name is not one this crate knows).
    pub name: Option<String>,
    /// The six-digit number as sent, when the body carried one (even if unknown here).
    pub numeric_code: Option<u32>,
    /// The human-readable text; never empty (falls back to `HTTP <status>`).
    pub message: String,
    /// The hub's tracking id, when present.
    pub tracking_id: Option<String>,
    /// The `info` object of a direct-method error.
    pub info: Option<Value>,
}

/// Longest non-JSON body text kept in [`ParsedHubError::message`]; proxies can answer with
/// whole HTML pages, which are useless in an error line.
const MAX_RAW_MESSAGE_CHARS: usize = 512;

/// Turns an error response into a [`ParsedHubError`].
///
/// Handles envelope 1 (`{"Message":"ErrorCode:Name;text","ExceptionMessage":"Tracking ID:..."}`),
/// envelope 2 nested as a string inside `Message`, a bare envelope 2, `{"Message": ...}` without
/// `ExceptionMessage`, and non-JSON bodies. `header_code` is the `iothub-errorcode` header,
/// used when the body names no code.
pub fn parse_error_body(status: u16, header_code: Option<&str>, body: &[u8]) -> ParsedHubError {
    let mut parsed = ParsedHubError {
        code: None,
        name: None,
        numeric_code: None,
        message: String::new(),
        tracking_id: None,
        info: None,
    };

    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(obj)) => parse_error_object(&obj, &mut parsed),
        Ok(Value::String(text)) => parsed.message = text,
        Ok(_) | Err(_) => parsed.message = raw_text(body),
    }

    if parsed.name.is_none()
        && let Some(header) = header_code.map(str::trim).filter(|h| !h.is_empty())
    {
        parsed.name = Some(header.to_owned());
    }
    parsed.code = parsed
        .name
        .as_deref()
        .and_then(ErrorCode::from_name)
        .or_else(|| parsed.numeric_code.and_then(ErrorCode::from_code));
    if parsed.name.is_none() {
        parsed.name = parsed.code.map(|c| c.name().to_owned());
    }
    if parsed.message.trim().is_empty() {
        parsed.message = format!("HTTP {status}");
    }
    parsed
}

fn parse_error_object(obj: &Map<String, Value>, parsed: &mut ParsedHubError) {
    if obj.contains_key("errorCode") {
        parse_method_error(obj, parsed);
        return;
    }
    let Some(message) = string_field(obj, &["Message", "message"]) else {
        parsed.message = Value::Object(obj.clone()).to_string();
        return;
    };
    if message.trim_start().starts_with('{')
        && let Ok(Value::Object(inner)) = serde_json::from_str::<Value>(message)
    {
        parse_method_error(&inner, parsed);
        return;
    }
    if let Some(rest) = message.strip_prefix("ErrorCode:") {
        let (name, text) = rest.split_once(';').unwrap_or((rest, ""));
        parsed.name = Some(name.trim().to_owned()).filter(|n| !n.is_empty());
        text.trim().clone_into(&mut parsed.message);
    } else {
        message.trim().clone_into(&mut parsed.message);
    }
    parsed.tracking_id =
        string_field(obj, &["ExceptionMessage", "exceptionMessage"]).and_then(tracking_id_of);
}

fn parse_method_error(obj: &Map<String, Value>, parsed: &mut ParsedHubError) {
    parsed.numeric_code = match obj.get("errorCode") {
        Some(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    if let Some(message) = string_field(obj, &["message", "Message"]) {
        message.trim().clone_into(&mut parsed.message);
    }
    parsed.tracking_id = string_field(obj, &["trackingId"])
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    parsed.info = obj.get("info").cloned();
}

fn string_field<'a>(obj: &'a Map<String, Value>, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|name| obj.get(*name).and_then(Value::as_str))
}

/// Extracts `<id>` from `Tracking ID:<id>-G:<n>-TimeStamp:<...>`.
fn tracking_id_of(exception_message: &str) -> Option<String> {
    let rest = exception_message.split_once("Tracking ID:")?.1;
    let id = rest
        .split_once("-G:")
        .or_else(|| rest.split_once("-TimeStamp:"))
        .map_or(rest, |(id, _)| id)
        .trim();
    (!id.is_empty()).then(|| id.to_owned())
}

fn raw_text(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    let mut out: String = trimmed.chars().take(MAX_RAW_MESSAGE_CHARS).collect();
    if trimmed.chars().nth(MAX_RAW_MESSAGE_CHARS).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_consistent_with_its_name_and_status() {
        let mut seen = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.code()), "duplicate code {}", code.code());
            assert!((100_000..1_000_000).contains(&code.code()));
            assert_eq!(u32::from(code.http_status()), code.code() / 1000);
            assert_eq!(ErrorCode::from_code(code.code()), Some(code));
            assert_eq!(ErrorCode::from_name(code.name()), Some(code));
            assert!(!code.meaning().is_empty());
        }
    }

    #[test]
    fn table_entries_from_the_protocol_notes() {
        let expected = [
            (400_001, "InvalidProtocolVersion", 400),
            (400_004, "ArgumentInvalid", 400),
            (401_002, "IotHubUnauthorizedAccess", 401),
            (404_001, "DeviceNotFound", 404),
            (404_103, "DeviceNotOnline", 404),
            (409_001, "DeviceAlreadyExists", 409),
            (412_001, "PreconditionFailed", 412),
            (413_001, "MessageTooLarge", 413),
            (429_001, "ThrottlingException", 429),
            (504_101, "GatewayTimeout", 504),
        ];
        for (num, name, status) in expected {
            let code = ErrorCode::from_code(num).unwrap();
            assert_eq!(code.name(), name);
            assert_eq!(code.http_status(), status);
        }
        assert_eq!(ErrorCode::from_code(404_999), None);
        assert_eq!(ErrorCode::from_name("devicenotfound"), None);
        assert_eq!(
            ErrorCode::DeviceNotOnline.to_string(),
            "DeviceNotOnline (404103)"
        );
    }

    #[test]
    fn envelope_one_layout() {
        let env = ErrorEnvelope::new(
            ErrorCode::DeviceNotFound,
            "edison1",
            "0123456789abcdef0123456789abcdef",
            "01/02/2024 03:04:05",
        );
        let json = serde_json::to_string(&env).unwrap();
        assert_eq!(
            json,
            r#"{"Message":"ErrorCode:DeviceNotFound;edison1","ExceptionMessage":"Tracking ID:0123456789abcdef0123456789abcdef-G:0-TimeStamp:01/02/2024 03:04:05"}"#
        );
    }

    #[test]
    fn envelope_two_is_nested_as_a_string() {
        let body = MethodErrorBody {
            error_code: 404_103,
            tracking_id: "abc".into(),
            message: "Timed out waiting for device to connect.".into(),
            info: serde_json::json!({"timeout": "00:00:00"}),
            timestamp_utc: "2018-11-07T09:22:57.6054134Z".into(),
        };
        let env = ErrorEnvelope::wrapping_method_error(&body);
        assert_eq!(env.exception_message, "");
        let inner: MethodErrorBody = serde_json::from_str(&env.message).unwrap();
        assert_eq!(inner, body);
        let outer = serde_json::to_value(&env).unwrap();
        assert_eq!(outer["ExceptionMessage"], "");
        assert!(
            outer["Message"]
                .as_str()
                .unwrap()
                .starts_with(r#"{"errorCode":404103,"#)
        );
    }

    #[test]
    fn parses_real_envelope_one_examples() {
        let body = br#"{"Message":"ErrorCode:DeviceAlreadyExists;A device with ID 'x' is already registered.","ExceptionMessage":"Tracking ID:1234abcd5678ef901234abcd5678ef90-G:10-TimeStamp:11/07/2018 09:22:57"}"#;
        let p = parse_error_body(409, Some("DeviceAlreadyExists"), body);
        assert_eq!(p.code, Some(ErrorCode::DeviceAlreadyExists));
        assert_eq!(p.name.as_deref(), Some("DeviceAlreadyExists"));
        assert_eq!(p.message, "A device with ID 'x' is already registered.");
        assert_eq!(
            p.tracking_id.as_deref(),
            Some("1234abcd5678ef901234abcd5678ef90")
        );

        let p = parse_error_body(
            401,
            None,
            br#"{"Message":"ErrorCode:IotHubUnauthorizedAccess;Unauthorized","ExceptionMessage":"Tracking ID:ff-G:0-TimeStamp:01/02/2024 03:04:05"}"#,
        );
        assert_eq!(p.code, Some(ErrorCode::IotHubUnauthorizedAccess));
        assert_eq!(p.message, "Unauthorized");
        assert_eq!(p.tracking_id.as_deref(), Some("ff"));

        let p = parse_error_body(
            412,
            None,
            br#"{"Message":"ErrorCode:PreconditionFailed;Precondition failed: Device version did not match, existingVersion:957482805 newVersion:957482804","ExceptionMessage":""}"#,
        );
        assert_eq!(p.code, Some(ErrorCode::PreconditionFailed));
        assert!(p.message.contains("existingVersion:957482805"));
        assert_eq!(p.tracking_id, None);
    }

    #[test]
    fn parses_method_error_nested_in_message() {
        let body = br#"{"Message":"{\"errorCode\":404103,\"trackingId\":\"9b3f\",\"message\":\"Timed out waiting for device to connect.\",\"info\":{\"timeout\":\"00:00:00\"},\"timestampUtc\":\"2018-11-07T09:22:57.6054134Z\"}","ExceptionMessage":""}"#;
        let p = parse_error_body(404, None, body);
        assert_eq!(p.code, Some(ErrorCode::DeviceNotOnline));
        assert_eq!(p.numeric_code, Some(404_103));
        assert_eq!(p.name.as_deref(), Some("DeviceNotOnline"));
        assert_eq!(p.message, "Timed out waiting for device to connect.");
        assert_eq!(p.tracking_id.as_deref(), Some("9b3f"));
        assert_eq!(p.info, Some(serde_json::json!({"timeout": "00:00:00"})));
    }

    #[test]
    fn parses_bare_method_error() {
        let body = br#"{"errorCode":504101,"trackingId":"t1","message":"Timed out waiting for the response from device.","info":{},"timestampUtc":"2018-11-07T09:22:57.6054134Z"}"#;
        let p = parse_error_body(504, None, body);
        assert_eq!(p.code, Some(ErrorCode::GatewayTimeout));
        assert_eq!(p.message, "Timed out waiting for the response from device.");
        assert_eq!(p.info, Some(serde_json::json!({})));
    }

    #[test]
    fn parses_message_only_and_uses_header() {
        let p = parse_error_body(
            404,
            Some("DeviceNotFound"),
            br#"{"Message":"Device d1 not found"}"#,
        );
        assert_eq!(p.code, Some(ErrorCode::DeviceNotFound));
        assert_eq!(p.message, "Device d1 not found");
        assert_eq!(p.tracking_id, None);
    }

    #[test]
    fn keeps_unknown_names_and_numbers() {
        let p = parse_error_body(400, None, br#"{"Message":"ErrorCode:SomethingNew;text"}"#);
        assert_eq!(p.code, None);
        assert_eq!(p.name.as_deref(), Some("SomethingNew"));
        let p = parse_error_body(400, None, br#"{"errorCode":400999,"message":"m"}"#);
        assert_eq!(p.code, None);
        assert_eq!(p.numeric_code, Some(400_999));
    }

    #[test]
    fn parses_non_json_and_empty_bodies() {
        let p = parse_error_body(502, None, b"<html>Bad Gateway</html>");
        assert_eq!(p.code, None);
        assert_eq!(p.message, "<html>Bad Gateway</html>");
        let p = parse_error_body(503, Some("ServiceUnavailable"), b"");
        assert_eq!(p.code, Some(ErrorCode::ServiceUnavailable));
        assert_eq!(p.message, "HTTP 503");
        let long = vec![b'x'; 5000];
        let p = parse_error_body(500, None, &long);
        assert_eq!(p.message.chars().count(), MAX_RAW_MESSAGE_CHARS + 1);
    }
}
