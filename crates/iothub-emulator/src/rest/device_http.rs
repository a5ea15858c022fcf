//! The device side of the REST API (protocol reference §H.4): telemetry sent over HTTPS, and
//! cloud-to-device messages received with a lock token and completed, rejected or abandoned.
//!
//! These requests are authenticated as the device (its SAS token, a policy granting
//! `DeviceConnect`, or its X.509 certificate), like the file-upload endpoints, by the router's
//! gate. Telemetry goes to the same store as MQTT telemetry; messages come from the hub's
//! cloud-to-device queues ([`crate::c2d`]).

use std::collections::HashMap;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FailedToBufferBody, PathRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use iothub_model::{ErrorCode, format_timestamp};

use super::response::{header_text, path_ids};
use super::{AppState, blocking};
use crate::c2d::{DEFAULT_LOCK_TIMEOUT, MAX_LOCK_TIMEOUT, Settlement};
use crate::error::EmulatorError;

/// The largest telemetry body, as over MQTT.
pub(crate) const MAX_EVENT_BYTES: usize = crate::mqtt::session::MAX_TELEMETRY_BODY;

/// Application properties travel as `iothub-app-{name}` headers.
const APP_PREFIX: &str = "iothub-app-";

/// System property headers of a device-to-cloud message and the names MQTT gives them in a
/// property bag, so HTTPS and MQTT telemetry are stored alike.
const SYSTEM_HEADERS: [(&str, &str); 10] = [
    ("iothub-messageid", "$.mid"),
    ("iothub-correlationid", "$.cid"),
    ("iothub-userid", "$.uid"),
    ("iothub-to", "$.to"),
    ("iothub-expiry", "$.exp"),
    ("iothub-contenttype", "$.ct"),
    ("iothub-contentencoding", "$.ce"),
    ("iothub-creationtimeutc", "$.ctime"),
    ("content-type", "$.ct"),
    ("content-encoding", "$.ce"),
];

/// `POST /devices/{id}/messages/events`: one device-to-cloud message; 204.
pub(crate) async fn send_event(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, EmulatorError> {
    let device_id = path_ids(path)?;
    let body = body.map_err(|rejection| match rejection {
        BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)) => too_large(),
        other => EmulatorError::hub(
            ErrorCode::IotHubFormatError,
            format!("The message body could not be read: {other}"),
        ),
    })?;
    if body.len() > MAX_EVENT_BYTES {
        return Err(too_large());
    }
    let properties = event_properties(&headers);
    blocking(&state.hub, move |hub| {
        hub.record_device_telemetry(&device_id, properties, &body)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn too_large() -> EmulatorError {
    EmulatorError::hub(
        ErrorCode::MessageTooLarge,
        format!("The message is larger than the hub accepts ({MAX_EVENT_BYTES} bytes)."),
    )
}

/// The message's properties from its headers: application properties under their own names,
/// system properties under MQTT's `$.` names. Values that are not text are skipped.
fn event_properties(headers: &HeaderMap) -> Vec<(String, Option<String>)> {
    let mut properties = Vec::new();
    for (name, value) in headers {
        let Ok(value) = value.to_str() else { continue };
        let name = name.as_str();
        if let Some(app) = name.strip_prefix(APP_PREFIX) {
            if !app.is_empty() {
                properties.push((app.to_string(), Some(value.to_string())));
            }
        } else if let Some((_, system)) = SYSTEM_HEADERS.iter().find(|(h, _)| *h == name)
            && !properties.iter().any(|(k, _)| k == system)
        {
            properties.push(((*system).to_string(), Some(value.to_string())));
        }
    }
    properties
}

/// The lock the device asks for: `iothub-messagelocktimeout` in the query (.NET) or
/// `IotHub-MessageLockTimeout` as a header (the CLI), in seconds.
fn lock_timeout(
    params: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Result<Duration, EmulatorError> {
    let asked = params
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("iothub-messagelocktimeout"))
        .map(|(_, v)| v.as_str())
        .or_else(|| header_text(headers, "iothub-messagelocktimeout"));
    let Some(asked) = asked else {
        return Ok(DEFAULT_LOCK_TIMEOUT);
    };
    match asked.trim().parse::<u64>() {
        Ok(secs) if secs >= 1 && Duration::from_secs(secs) <= MAX_LOCK_TIMEOUT => {
            Ok(Duration::from_secs(secs))
        }
        _ => Err(EmulatorError::hub(
            ErrorCode::ArgumentInvalid,
            format!(
                "The message lock timeout must be 1 to {} seconds; got `{}`.",
                MAX_LOCK_TIMEOUT.as_secs(),
                crate::logsafe::Escaped(asked)
            ),
        )),
    }
}

fn insert(headers: &mut HeaderMap, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        headers.insert(name, value);
    }
}

/// `GET /devices/{id}/messages/deviceBound`: the next message, locked (200 with the body, the
/// lock token as `ETag` and the message's properties as headers), or 204 when none is
/// available.
pub(crate) async fn receive(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, EmulatorError> {
    let device_id = path_ids(path)?;
    let lock = lock_timeout(&params, &headers)?;
    let Some(delivered) = state.hub.cloud_to_device().receive(&device_id, lock) else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let m = &delivered.message;
    let mut response = (StatusCode::OK, m.body.clone()).into_response();
    let out = response.headers_mut();
    // The lock token, quoted like every ETag (Node strips the first and last character).
    insert(out, "etag", &format!("\"{}\"", delivered.lock_token));
    insert(
        out,
        "iothub-messageid",
        m.message_id.as_deref().unwrap_or(""),
    );
    insert(
        out,
        "iothub-sequencenumber",
        &delivered.sequence_number.to_string(),
    );
    insert(
        out,
        "iothub-to",
        &format!("/devices/{device_id}/messages/deviceBound"),
    );
    insert(
        out,
        "iothub-expiry",
        &format_timestamp(delivered.expiry_nanos),
    );
    insert(
        out,
        "iothub-enqueuedtime",
        &format_timestamp(delivered.enqueued_nanos),
    );
    insert(
        out,
        "iothub-deliverycount",
        &delivered.delivery_count.to_string(),
    );
    insert(out, "iothub-ack", m.ack.as_deref().unwrap_or("none"));
    if let Some(c) = &m.correlation_id {
        insert(out, "iothub-correlationid", c);
    }
    if let Some(u) = &m.user_id {
        insert(out, "iothub-userid", u);
    }
    if let Some(ct) = &m.content_type {
        insert(out, "ContentType", ct);
        if let Ok(v) = HeaderValue::from_str(ct) {
            out.insert(header::CONTENT_TYPE, v);
        }
    }
    if let Some(ce) = &m.content_encoding {
        insert(out, "ContentEncoding", ce);
    }
    for (name, value) in &m.properties {
        insert(out, &format!("{APP_PREFIX}{name}"), value);
    }
    Ok(response)
}

/// `DELETE /devices/{id}/messages/deviceBound/{lockToken}`: complete, or reject with `?reject`
/// (the CLI sends `reject=`); 204.
pub(crate) async fn complete_or_reject(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, EmulatorError> {
    let (device_id, token) = path_ids(path)?;
    let how = if params.keys().any(|k| k.eq_ignore_ascii_case("reject")) {
        Settlement::Reject
    } else {
        Settlement::Complete
    };
    settle(&state, &device_id, &token, how)
}

/// `POST /devices/{id}/messages/deviceBound/{lockToken}/abandon`; 204.
pub(crate) async fn abandon(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, EmulatorError> {
    let (device_id, token) = path_ids(path)?;
    settle(&state, &device_id, &token, Settlement::Abandon)
}

fn settle(
    state: &AppState,
    device_id: &str,
    token: &str,
    how: Settlement,
) -> Result<Response, EmulatorError> {
    // .NET quotes the token in the path as in the ETag; the others send it bare.
    let token = token.trim_matches('"');
    state.hub.cloud_to_device().settle(device_id, token, how)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_come_from_app_and_system_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("iothub-app-alarm", HeaderValue::from_static("high"));
        headers.insert("iothub-messageid", HeaderValue::from_static("m-1"));
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers.insert("authorization", HeaderValue::from_static("secret"));
        let mut props = event_properties(&headers);
        props.sort();
        assert_eq!(
            props,
            vec![
                ("$.ct".to_string(), Some("application/json".to_string())),
                ("$.mid".to_string(), Some("m-1".to_string())),
                ("alarm".to_string(), Some("high".to_string())),
            ]
        );
    }

    #[test]
    fn lock_timeout_is_read_from_query_or_header_and_bounded() {
        let none = HashMap::new();
        let mut headers = HeaderMap::new();
        assert_eq!(lock_timeout(&none, &headers).unwrap(), DEFAULT_LOCK_TIMEOUT);
        headers.insert("IotHub-MessageLockTimeout", HeaderValue::from_static("30"));
        assert_eq!(
            lock_timeout(&none, &headers).unwrap(),
            Duration::from_secs(30)
        );
        let query = HashMap::from([("iothub-messagelocktimeout".to_string(), "0".to_string())]);
        assert_eq!(
            lock_timeout(&query, &HeaderMap::new()).unwrap_err().code(),
            ErrorCode::ArgumentInvalid
        );
    }
}
