//! [`ServiceClient`] and the identity registry, twin and statistics operations.
//!
//! The client is a cheap handle (`Arc` inside) so that fleet operations can clone it into many
//! tasks that share one connection pool and one cached token. Every operation checks its ids
//! with the hub's own rules before sending, so a typo fails at once with the offending character
//! named instead of as an opaque 400 (or, worse, a request to a different path).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use iothub_model::bulk::MAX_BULK_DEVICES;
use iothub_model::{
    BulkRegistryOperationResult, Device, ExportImportDevice, Module, RegistryStatistics,
    ServiceStatistics, Twin, TwinSection, validate_device_id, validate_document, validate_job_id,
    validate_module_id, validate_patch,
};
use reqwest::{Method, StatusCode, Url};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::builder::ClientBuilder;
use crate::credential::Credential;
use crate::error::{Error, ErrorKind, Result};
use crate::etag::IfMatch;
use crate::http::{Request, decode, hub_error, segment};
use crate::observe::WriteObserver;
use crate::retry::RetryPolicy;

/// Largest `top` of [`ServiceClient::list_devices`].
pub const MAX_LIST_DEVICES: u32 = 1000;

/// Async client for the IoT Hub service REST API.
///
/// Cloning is cheap and clones share connections and the cached SAS token. Build one with
/// [`ServiceClient::from_connection_string`] or a [`ClientBuilder`].
#[derive(Clone)]
pub struct ServiceClient {
    pub(crate) inner: Arc<Inner>,
    /// Per handle, not shared: [`ServiceClient::with_retry_policy`] gives a caller with its own
    /// retry layer a handle that shares connections and tokens but not the retries.
    pub(crate) retry: RetryPolicy,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) host_name: String,
    pub(crate) endpoint: Url,
    pub(crate) api_version: String,
    pub(crate) credential: Credential,
    pub(crate) request_timeout: Duration,
    pub(crate) method_timeout_margin: Duration,
    /// Sees every write before it is sent (the CLI's audit trail).
    pub(crate) observer: Option<Arc<dyn WriteObserver>>,
}

/// Result of [`ServiceClient::purge_command_queue`] (`PurgeMessageQueueResult`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurgeMessageQueueResult {
    /// The device whose queue was purged.
    #[serde(default)]
    pub device_id: String,
    /// The module, for module queues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module_id: Option<String>,
    /// How many cloud-to-device messages were deleted.
    #[serde(default)]
    pub total_messages_purged: u64,
}

impl ServiceClient {
    /// A client with default settings for a hub policy connection string
    /// (`HostName=…;SharedAccessKeyName=…;SharedAccessKey=…`).
    pub fn from_connection_string(connection_string: &str) -> Result<Self> {
        ClientBuilder::from_connection_string(connection_string)?.build()
    }

    /// Starts a [`ClientBuilder`] from a connection string, for further settings.
    pub fn builder(connection_string: &str) -> Result<ClientBuilder> {
        ClientBuilder::from_connection_string(connection_string)
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
            retry: RetryPolicy::default(),
        }
    }

    /// A handle on the same connections and token cache that retries by `policy` instead.
    ///
    /// For a caller with its own retry layer: a fleet run that pauses every device when the
    /// hub throttles one passes [`RetryPolicy::retry_throttled`]`(false)`, so a throttled call
    /// is repeated by one layer, not by both.
    #[must_use]
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            retry: policy,
        }
    }

    /// How this handle retries transient failures.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The hub's host name: the audience of the SAS tokens.
    pub fn host_name(&self) -> &str {
        &self.inner.host_name
    }

    /// The base URL requests go to.
    pub fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// The api-version sent with every request.
    pub fn api_version(&self) -> &str {
        &self.inner.api_version
    }

    // ----- devices -----

    /// `GET /devices/{id}`: a device identity.
    pub async fn get_device(&self, device_id: &str) -> Result<Device> {
        let path = format!("/devices/{}", device_segment(device_id)?);
        self.send_json(Request::get(path)).await
    }

    /// `PUT /devices/{id}` without `If-Match`: registers `device` (its `device_id` names it).
    /// Fails with 409 `DeviceAlreadyExists` if the id is taken. Leave `authentication` out to
    /// have the hub generate keys.
    ///
    /// Not retried on 429/503 (a retry after a lost response would answer 409).
    pub async fn create_device(&self, device: &Device) -> Result<Device> {
        let path = format!("/devices/{}", device_segment(&device.device_id)?);
        let request = Request::new(Method::PUT, path)
            .idempotent(false)
            .json(device)?;
        self.send_json(request).await
    }

    /// `PUT /devices/{id}` with `If-Match`: replaces an existing identity (status, keys, ...).
    pub async fn update_device(&self, device: &Device, if_match: IfMatch) -> Result<Device> {
        let path = format!("/devices/{}", device_segment(&device.device_id)?);
        let request = with_if_match(Request::new(Method::PUT, path), &if_match)?.json(device)?;
        self.send_json(request).await
    }

    /// `DELETE /devices/{id}`; [`IfMatch::Any`] deletes unconditionally.
    pub async fn delete_device(&self, device_id: &str, if_match: IfMatch) -> Result<()> {
        let path = format!("/devices/{}", device_segment(device_id)?);
        let request = with_if_match(Request::new(Method::DELETE, path), &if_match)?;
        self.send_empty(request).await
    }

    /// `GET /devices?top=`: up to `top` (1–1000, default 1000) identities. The hub discourages
    /// this for large registries; prefer [`ServiceClient::query`].
    pub async fn list_devices(&self, top: Option<u32>) -> Result<Vec<Device>> {
        let mut request = Request::get("/devices".to_owned());
        if let Some(top) = top {
            if !(1..=MAX_LIST_DEVICES).contains(&top) {
                return Err(Error::invalid_input(format!(
                    "top is {top}; it must be between 1 and {MAX_LIST_DEVICES}"
                )));
            }
            request = request.query("top", top.to_string());
        }
        self.send_json(request).await
    }

    /// `POST /devices`: creates, updates or deletes up to 100 identities in one call.
    ///
    /// A partial failure is not an `Err`: the hub answers 400 with a
    /// [`BulkRegistryOperationResult`] whose `is_successful` is false and whose `errors` name
    /// each failed device. Not retried on 429/503.
    pub async fn bulk_registry(
        &self,
        devices: &[ExportImportDevice],
    ) -> Result<BulkRegistryOperationResult> {
        if devices.is_empty() {
            return Err(Error::invalid_input(
                "a bulk registry operation needs at least one device",
            ));
        }
        if devices.len() > MAX_BULK_DEVICES {
            return Err(Error::invalid_input(format!(
                "a bulk registry operation takes at most {MAX_BULK_DEVICES} devices, got {}",
                devices.len()
            )));
        }
        let request = Request::new(Method::POST, "/devices".to_owned())
            .json(devices)?
            .pass_status(StatusCode::BAD_REQUEST);
        let operation = request.operation();
        let response = self.send(request).await?;
        if response.status.is_success() || is_bulk_result(&response.body) {
            decode(&response.body).map_err(|e| e.with_operation(operation))
        } else {
            Err(Error::new(ErrorKind::Hub(hub_error(&response))).with_operation(operation))
        }
    }

    /// `DELETE /devices/{id}/commands`: drops the cloud-to-device messages waiting for a device.
    pub async fn purge_command_queue(&self, device_id: &str) -> Result<PurgeMessageQueueResult> {
        let path = format!("/devices/{}/commands", device_segment(device_id)?);
        self.send_json(Request::new(Method::DELETE, path)).await
    }

    // ----- modules -----

    /// `GET /devices/{id}/modules`: the device's module identities.
    pub async fn list_modules(&self, device_id: &str) -> Result<Vec<Module>> {
        let path = format!("/devices/{}/modules", device_segment(device_id)?);
        self.send_json(Request::get(path)).await
    }

    /// `GET /devices/{id}/modules/{mid}`: a module identity.
    pub async fn get_module(&self, device_id: &str, module_id: &str) -> Result<Module> {
        self.send_json(Request::get(module_path("devices", device_id, module_id)?))
            .await
    }

    /// `PUT /devices/{id}/modules/{mid}` without `If-Match`: registers `module` on its
    /// `device_id`. Not retried on 429/503.
    pub async fn create_module(&self, module: &Module) -> Result<Module> {
        let path = module_path("devices", &module.device_id, &module.module_id)?;
        let request = Request::new(Method::PUT, path)
            .idempotent(false)
            .json(module)?;
        self.send_json(request).await
    }

    /// `PUT /devices/{id}/modules/{mid}` with `If-Match`: replaces a module identity.
    pub async fn update_module(&self, module: &Module, if_match: IfMatch) -> Result<Module> {
        let path = module_path("devices", &module.device_id, &module.module_id)?;
        let request = with_if_match(Request::new(Method::PUT, path), &if_match)?.json(module)?;
        self.send_json(request).await
    }

    /// `DELETE /devices/{id}/modules/{mid}`.
    pub async fn delete_module(
        &self,
        device_id: &str,
        module_id: &str,
        if_match: IfMatch,
    ) -> Result<()> {
        let path = module_path("devices", device_id, module_id)?;
        let request = with_if_match(Request::new(Method::DELETE, path), &if_match)?;
        self.send_empty(request).await
    }

    // ----- file uploads (local hub) -----

    /// Reads a blob that a device uploaded through the local hub emulator's file upload
    /// (`https://{hub}/{container}/{blob_name}`), with this client's service credentials (a
    /// policy granting `ServiceConnect`).
    ///
    /// An emulator extension: a real hub never serves blobs; they live in its linked storage
    /// account and are read with storage credentials. Hence behind the `emulator` feature,
    /// off by default.
    #[cfg(feature = "emulator")]
    pub async fn get_emulator_blob(
        &self,
        container: &str,
        blob_name: &str,
    ) -> Result<bytes::Bytes> {
        let bad = |what: &str| Error::invalid_input(format!("{what} cannot name a blob"));
        if container.is_empty() || container.contains('/') {
            return Err(bad("an empty container or one with '/'"));
        }
        if blob_name
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return Err(bad("a blob name with an empty, '.' or '..' segment"));
        }
        let path = std::iter::once(container)
            .chain(blob_name.split('/'))
            .map(segment)
            .fold(String::new(), |mut path, s| {
                path.push('/');
                path.push_str(&s);
                path
            });
        Ok(self.send(Request::get(path)).await?.body)
    }

    // ----- twins -----

    /// `GET /twins/{id}`: the device twin.
    pub async fn get_twin(&self, device_id: &str) -> Result<Twin> {
        let path = format!("/twins/{}", device_segment(device_id)?);
        self.send_json(Request::get(path)).await
    }

    /// `PATCH /twins/{id}`: merges `patch` (its `tags` and `properties.desired`; `null` deletes a
    /// key) into the twin and returns the result. Checked against the twin limits first.
    pub async fn update_twin(
        &self,
        device_id: &str,
        patch: &Twin,
        if_match: IfMatch,
    ) -> Result<Twin> {
        let path = format!("/twins/{}", device_segment(device_id)?);
        self.write_twin(Method::PATCH, path, patch, &if_match).await
    }

    /// `PUT /twins/{id}`: replaces the twin's `tags` and `properties.desired` with those of
    /// `twin`. Checked against the twin limits first.
    pub async fn replace_twin(
        &self,
        device_id: &str,
        twin: &Twin,
        if_match: IfMatch,
    ) -> Result<Twin> {
        let path = format!("/twins/{}", device_segment(device_id)?);
        self.write_twin(Method::PUT, path, twin, &if_match).await
    }

    /// `GET /twins/{id}/modules/{mid}`: a module twin.
    pub async fn get_module_twin(&self, device_id: &str, module_id: &str) -> Result<Twin> {
        self.send_json(Request::get(module_path("twins", device_id, module_id)?))
            .await
    }

    /// `PATCH /twins/{id}/modules/{mid}`: merges `patch` into a module twin.
    pub async fn update_module_twin(
        &self,
        device_id: &str,
        module_id: &str,
        patch: &Twin,
        if_match: IfMatch,
    ) -> Result<Twin> {
        let path = module_path("twins", device_id, module_id)?;
        self.write_twin(Method::PATCH, path, patch, &if_match).await
    }

    /// `PUT /twins/{id}/modules/{mid}`: replaces a module twin's tags and desired properties.
    pub async fn replace_module_twin(
        &self,
        device_id: &str,
        module_id: &str,
        twin: &Twin,
        if_match: IfMatch,
    ) -> Result<Twin> {
        let path = module_path("twins", device_id, module_id)?;
        self.write_twin(Method::PUT, path, twin, &if_match).await
    }

    async fn write_twin(
        &self,
        method: Method,
        path: String,
        twin: &Twin,
        if_match: &IfMatch,
    ) -> Result<Twin> {
        check_twin(twin, method == Method::PUT)?;
        // Both merge and replace converge to the same state when repeated, so they are retried.
        let request = with_if_match(Request::new(method, path), if_match)?.json(twin)?;
        self.send_json(request).await
    }

    // ----- statistics -----

    /// `GET /statistics/devices`: device counts of the registry.
    pub async fn registry_statistics(&self) -> Result<RegistryStatistics> {
        self.send_json(Request::get("/statistics/devices".to_owned()))
            .await
    }

    /// `GET /statistics/service`: connected device count.
    pub async fn service_statistics(&self) -> Result<ServiceStatistics> {
        self.send_json(Request::get("/statistics/service".to_owned()))
            .await
    }
}

impl fmt::Debug for ServiceClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceClient")
            .field("host_name", &self.inner.host_name)
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("api_version", &self.inner.api_version)
            .field("credential", &self.inner.credential)
            .field("retry", &self.retry)
            .field("request_timeout", &self.inner.request_timeout)
            .field("write_observer", &self.inner.observer.is_some())
            .finish_non_exhaustive()
    }
}

pub(crate) fn with_if_match(request: Request, if_match: &IfMatch) -> Result<Request> {
    let operation = request.operation();
    let value = if_match
        .header_value()
        .map_err(|e| e.with_operation(operation))?;
    request.header("if-match", &value)
}

/// `.` and `..` would be removed from the path by URL normalization (even when escaped), so
/// such an id would address a different resource.
fn check_not_dot_segment(id: &str, what: &str) -> Result<()> {
    if id == "." || id == ".." {
        return Err(Error::invalid_input(format!(
            "{what} '{id}' cannot be used in a URL path"
        )));
    }
    Ok(())
}

pub(crate) fn device_segment(device_id: &str) -> Result<String> {
    validate_device_id(device_id).map_err(|e| Error::invalid_input(e.to_string()))?;
    check_not_dot_segment(device_id, "device id")?;
    Ok(segment(device_id))
}

pub(crate) fn module_segment(module_id: &str) -> Result<String> {
    validate_module_id(module_id).map_err(|e| Error::invalid_input(e.to_string()))?;
    check_not_dot_segment(module_id, "module id")?;
    Ok(segment(module_id))
}

pub(crate) fn job_segment(job_id: &str) -> Result<String> {
    validate_job_id(job_id).map_err(|e| Error::invalid_input(e.to_string()))?;
    Ok(segment(job_id))
}

/// `/{root}/{device}/modules/{module}`.
pub(crate) fn module_path(root: &str, device_id: &str, module_id: &str) -> Result<String> {
    Ok(format!(
        "/{root}/{}/modules/{}",
        device_segment(device_id)?,
        module_segment(module_id)?
    ))
}

/// Applies the hub's twin rules to what the service may write: tags and desired properties.
fn check_twin(twin: &Twin, replace: bool) -> Result<()> {
    let check = |section: TwinSection, value: &Value| {
        let outcome = if replace {
            validate_document(section, value)
        } else {
            validate_patch(section, value)
        };
        outcome.map_err(|e| Error::invalid_input(e.to_string()))
    };
    if let Some(tags) = &twin.tags {
        check(TwinSection::Tags, &Value::Object(tags.clone()))?;
    }
    if !twin.properties.desired.is_null() {
        check(TwinSection::Desired, &twin.properties.desired)?;
    }
    Ok(())
}

/// The bulk registry answers 400 with its result body on partial failure, but a malformed
/// request gets an ordinary error body; only the former has `isSuccessful`.
fn is_bulk_result(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.contains_key("isSuccessful")))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dot_ids_and_invalid_ids_are_rejected() {
        for id in [".", "..", "", "a/b", "a#b", "a+b"] {
            let err = device_segment(id).unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::InvalidInput(_)), "{id}");
        }
        assert_eq!(device_segment("...").unwrap(), "...");
        assert_eq!(device_segment("a?b%c").unwrap(), "a%3Fb%25c");
        assert_eq!(
            module_path("twins", "d", "$edgeAgent").unwrap(),
            "/twins/d/modules/%24edgeAgent"
        );
        assert!(job_segment("job with space").is_err());
    }

    fn desired(doc: Value) -> Twin {
        let mut twin = Twin::default();
        twin.properties.desired = doc;
        twin
    }

    #[test]
    fn twin_patches_are_checked_by_section() {
        let patch = desired(json!({"bad.key": 1}));
        let err = check_twin(&patch, false).unwrap_err();
        assert!(err.to_string().contains("properties.desired"), "{err}");

        let patch = Twin {
            tags: Some(serde_json::from_value(json!({"$version": 1})).unwrap()),
            ..Twin::default()
        };
        assert!(check_twin(&patch, false).is_err());

        // A replace body taken from a GET keeps the read-only `$version`/`$metadata`.
        let doc = desired(json!({"a": 1, "$version": 3, "$metadata": {}}));
        assert!(check_twin(&doc, true).is_ok());
        assert!(check_twin(&doc, false).is_err());

        let deletion = desired(json!({"a": null}));
        assert!(check_twin(&deletion, false).is_ok());
    }

    #[test]
    fn bulk_result_detection() {
        assert!(is_bulk_result(br#"{"isSuccessful":false,"errors":[]}"#));
        assert!(!is_bulk_result(
            br#"{"Message":"ErrorCode:ArgumentInvalid;x"}"#
        ));
        assert!(!is_bulk_result(b"oops"));
    }
}
