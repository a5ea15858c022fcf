//! The wire shape of REST answers: JSON bodies with the hub's headers, and errors as the hub's
//! envelopes.
//!
//! SDKs key off these details (Node reads `iothub-errorcode` and splits `Message` on `;`, .NET
//! cross-checks the header with the body, Python accepts only exact success codes), so they are
//! produced in one place.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FailedToBufferBody, PathRejection};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use iothub_model::{
    ErrorCode, ErrorEnvelope, MethodErrorBody, format_timestamp, format_tracking_timestamp,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::EmulatorError;
use crate::registry::IfMatch;

/// Largest request body for single-document operations: a twin is at most 72 KB of content and
/// a method payload 128 KB, so this leaves room for JSON overhead and escaping.
pub const MAX_BODY_BYTES: usize = 512 * 1024;
/// Largest bulk registry request (100 identities, each possibly with a full twin).
pub const MAX_BULK_BODY_BYTES: usize = 8 * 1024 * 1024;

const JSON: &str = "application/json; charset=utf-8";
const ERROR_CODE_HEADER: &str = "iothub-errorcode";

fn tracking_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn now_nanos() -> i128 {
    iothub_model::time::unix_nanos(std::time::SystemTime::now())
}

fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl IntoResponse for EmulatorError {
    fn into_response(self) -> Response {
        let code = self.code();
        let tracking = tracking_id();
        let nanos = now_nanos();
        let stamp = format_tracking_timestamp(nanos);
        let envelope = match &self {
            EmulatorError::Hub { code, message } => {
                ErrorEnvelope::new(*code, message, &tracking, &stamp)
            }
            EmulatorError::Method {
                code,
                message,
                info,
            } => ErrorEnvelope::wrapping_method_error(&MethodErrorBody {
                error_code: code.code(),
                tracking_id: tracking,
                message: message.clone(),
                info: info.clone(),
                timestamp_utc: format_timestamp(nanos),
            }),
            internal => {
                tracing::error!(error = %internal, "request failed");
                ErrorEnvelope::new(
                    ErrorCode::ServerError,
                    &format!("Internal error: {internal}"),
                    &tracking,
                    &stamp,
                )
            }
        };
        let mut response = json(status_of(code), &envelope, None);
        response.headers_mut().insert(
            HeaderName::from_static(ERROR_CODE_HEADER),
            HeaderValue::from_static(code.name()),
        );
        response
    }
}

/// A JSON response with the hub's content type and, when given, a quoted `ETag`.
pub(crate) fn json(status: StatusCode, body: &impl Serialize, etag: Option<&str>) -> Response {
    let bytes = match serde_json::to_vec(body) {
        Ok(b) => b,
        Err(e) => {
            return EmulatorError::hub(
                ErrorCode::ServerError,
                format!("could not serialize the response: {e}"),
            )
            .into_response();
        }
    };
    let mut response = (status, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    if let Some(etag) = etag
        && let Ok(v) = HeaderValue::from_str(&format!("\"{etag}\""))
    {
        headers.insert(header::ETAG, v);
    }
    response
}

/// Deserializes a JSON request body, answering as the hub does: 413001 when it is too large,
/// 400006 when it is not JSON, 400004 when it is JSON of the wrong shape.
pub(crate) fn parse_body<T: DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, EmulatorError> {
    let bytes = body.map_err(|rejection| match rejection {
        BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)) => {
            EmulatorError::hub(
                ErrorCode::MessageTooLarge,
                "The request body is larger than the hub accepts.",
            )
        }
        other => EmulatorError::hub(
            ErrorCode::IotHubFormatError,
            format!("The request body could not be read: {other}"),
        ),
    })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(EmulatorError::hub(
            ErrorCode::ArgumentNull,
            "The request body is empty.",
        ));
    }
    // Two steps, so "not JSON" and "JSON of the wrong shape" are told apart reliably.
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        EmulatorError::hub(
            ErrorCode::IotHubFormatError,
            format!("The request body is not valid JSON: {e}"),
        )
    })?;
    // The path names the offending field, so a client sees which value the hub refused.
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        let message = if field == "." {
            format!("The request body does not have the expected shape: {inner}")
        } else {
            format!("The request body field '{field}' is invalid: {inner}")
        };
        EmulatorError::hub(ErrorCode::ArgumentInvalid, message)
    })
}

/// Maps a path that does not decode (bad percent-encoding, not UTF-8) to 400004.
pub(crate) fn path_ids<T>(
    path: Result<axum::extract::Path<T>, PathRejection>,
) -> Result<T, EmulatorError> {
    path.map(|p| p.0).map_err(|e| {
        EmulatorError::hub(
            ErrorCode::ArgumentInvalid,
            format!("The request path could not be decoded: {e}"),
        )
    })
}

/// The request's `If-Match` precondition, if any.
pub(crate) fn if_match(headers: &HeaderMap) -> Option<IfMatch> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .and_then(IfMatch::parse)
}

/// A header's value as text, if present and valid.
pub(crate) fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Sets a header on a response when the value is valid.
pub(crate) fn set_header(response: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(name), v);
    }
}
