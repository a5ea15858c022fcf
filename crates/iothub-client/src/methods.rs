//! Direct methods: a synchronous call to a connected device through the hub.
//!
//! Three outcomes must stay distinguishable because callers react to them differently: the hub
//! could not deliver the call (an [`Error`] with `DeviceNotOnline` or `GatewayTimeout`), the
//! network failed, or the device answered — possibly with its own error status, which is data
//! ([`MethodResponse`]) until the caller asks for it as an error with
//! [`MethodResponse::error_for_status`]. A method call may have side effects on the device, so
//! it is never repeated unless the caller says it is safe ([`MethodOptions::retry`]).

use std::time::Duration;

use iothub_model::{CloudToDeviceMethod, CloudToDeviceMethodResult, validate_method};
use reqwest::Method;
use serde_json::Value;

use crate::client::{ServiceClient, device_segment, module_path};
use crate::error::{Error, ErrorKind, Result};
use crate::http::Request;

/// The device's answer to a direct method.
#[derive(Debug, Clone)]
pub struct MethodResponse {
    /// The status the device chose (its own convention; ≥ 400 usually means failure).
    pub status: i32,
    /// The device's JSON answer, `null` if none.
    pub payload: Value,
    /// `POST /twins/...` of the call, for error context.
    operation: Option<String>,
}

impl MethodResponse {
    /// A response with this status and payload (for tests and fakes).
    pub fn new(status: i32, payload: Value) -> Self {
        Self {
            status,
            payload,
            operation: None,
        }
    }

    /// Whether the device reported success (status below 400).
    pub fn is_success(&self) -> bool {
        self.status < 400
    }

    /// The response itself when the status is below 400, otherwise an
    /// [`ErrorKind::DeviceMethod`] error carrying the device's status and payload.
    pub fn error_for_status(self) -> Result<Self> {
        if self.is_success() {
            return Ok(self);
        }
        let error = Error::new(ErrorKind::DeviceMethod {
            status: self.status,
            payload: self.payload,
        });
        Err(match self.operation {
            Some(op) => error.with_operation(op),
            None => error,
        })
    }
}

/// Compares status and payload only.
impl PartialEq for MethodResponse {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status && self.payload == other.payload
    }
}

impl From<CloudToDeviceMethodResult> for MethodResponse {
    fn from(result: CloudToDeviceMethodResult) -> Self {
        Self::new(result.status, result.payload)
    }
}

/// Per-call options of a direct method.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MethodOptions {
    /// Retry on 429, 503 and connection resets like an idempotent request. Only set this when
    /// running the method twice is harmless.
    pub retry: bool,
    /// Overrides the HTTP timeout, which is otherwise the call's connect and response timeouts
    /// plus the client's method timeout margin.
    pub timeout: Option<Duration>,
}

impl MethodOptions {
    /// Default options: no retries, timeout derived from the call.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`MethodOptions::retry`].
    #[must_use]
    pub fn retry(mut self, retry: bool) -> Self {
        self.retry = retry;
        self
    }

    /// Sets [`MethodOptions::timeout`].
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

impl ServiceClient {
    /// `POST /twins/{id}/methods`: calls a direct method on a device and returns its answer.
    ///
    /// The call is checked first (name, payload size, timeouts); nothing is sent if it is
    /// invalid. A device status ≥ 400 is still `Ok` — chain
    /// [`MethodResponse::error_for_status`] to treat it as an error.
    pub async fn invoke_device_method(
        &self,
        device_id: &str,
        method: &CloudToDeviceMethod,
    ) -> Result<MethodResponse> {
        self.invoke_device_method_with(device_id, method, &MethodOptions::default())
            .await
    }

    /// [`invoke_device_method`](Self::invoke_device_method) with options.
    pub async fn invoke_device_method_with(
        &self,
        device_id: &str,
        method: &CloudToDeviceMethod,
        options: &MethodOptions,
    ) -> Result<MethodResponse> {
        let path = format!("/twins/{}/methods", device_segment(device_id)?);
        self.invoke(path, method, options).await
    }

    /// `POST /twins/{id}/modules/{mid}/methods`: calls a direct method on a module.
    pub async fn invoke_module_method(
        &self,
        device_id: &str,
        module_id: &str,
        method: &CloudToDeviceMethod,
    ) -> Result<MethodResponse> {
        self.invoke_module_method_with(device_id, module_id, method, &MethodOptions::default())
            .await
    }

    /// [`invoke_module_method`](Self::invoke_module_method) with options.
    pub async fn invoke_module_method_with(
        &self,
        device_id: &str,
        module_id: &str,
        method: &CloudToDeviceMethod,
        options: &MethodOptions,
    ) -> Result<MethodResponse> {
        let path = format!("{}/methods", module_path("twins", device_id, module_id)?);
        self.invoke(path, method, options).await
    }

    async fn invoke(
        &self,
        path: String,
        method: &CloudToDeviceMethod,
        options: &MethodOptions,
    ) -> Result<MethodResponse> {
        validate_method(method).map_err(|e| Error::invalid_input(e.to_string()))?;
        let timeout = options.timeout.unwrap_or_else(|| {
            let hub_wait = u64::from(method.connect_timeout_secs())
                + u64::from(method.response_timeout_secs());
            Duration::from_secs(hub_wait) + self.inner.method_timeout_margin
        });
        let request = Request::new(Method::POST, path)
            .idempotent(options.retry)
            .timeout(timeout)
            .json(method)?;
        let operation = request.operation();
        let result: CloudToDeviceMethodResult = self.send_json(request).await?;
        let mut response = MethodResponse::from(result);
        response.operation = Some(operation);
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_for_status_splits_at_400() {
        assert!(
            MethodResponse::new(200, Value::Null)
                .error_for_status()
                .is_ok()
        );
        assert!(
            MethodResponse::new(399, Value::Null)
                .error_for_status()
                .is_ok()
        );
        let err = MethodResponse::new(404, json!({"error": "unknown method"}))
            .error_for_status()
            .unwrap_err();
        assert!(err.is_device_method_error());
        assert_eq!(err.device_status(), Some(404));
        assert_eq!(err.status(), None, "not an HTTP status from the hub");
        assert!(!err.is_not_found());
        match err.into_kind() {
            ErrorKind::DeviceMethod { status, payload } => {
                assert_eq!(status, 404);
                assert_eq!(payload, json!({"error": "unknown method"}));
            }
            other => panic!("unexpected kind {other:?}"),
        }
    }
}
