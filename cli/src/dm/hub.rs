//! The hub calls the typed commands and rollouts need, behind one small trait.
//!
//! Typed commands only ever read a twin, call a method, patch desired properties and resolve a
//! `--query`. Naming exactly that surface keeps the execution logic (`exec`) independent of the
//! REST client's full API and lets its tests run against an in-memory fake hub, while the real
//! implementation is a thin adapter over `iothub_client::ServiceClient`.

use std::future::Future;

use iothub_model::{CloudToDeviceMethod, JobRequest, JobResponse};
use serde_json::Value;

use crate::exit::CliError;

/// A device's answer to a direct method: its own status and payload.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceAnswer {
    /// The status the device chose.
    pub status: i32,
    /// The device's JSON payload.
    pub payload: Value,
}

/// What the typed commands ask of the hub. Errors are already in the CLI's terms (exit class,
/// hint, tracking id).
pub trait Hub: Sync {
    /// The hub's host name: part of a fleet run's identity, so `--resume` never continues a
    /// run on another hub.
    fn host_name(&self) -> String {
        String::from("(unnamed hub)")
    }

    /// The device's twin (service view), with its `etag`.
    fn twin(&self, device_id: &str) -> impl Future<Output = Result<Value, CliError>> + Send;

    /// Calls a direct method; a device status ≥ 400 is an answer, not an error.
    fn invoke(
        &self,
        device_id: &str,
        call: &CloudToDeviceMethod,
    ) -> impl Future<Output = Result<DeviceAnswer, CliError>> + Send;

    /// Merges `patch` (`{"properties": {"desired": ...}}`) into the twin, only if its etag is
    /// still `etag` when one is given; returns the twin after the patch.
    fn patch_twin(
        &self,
        device_id: &str,
        patch: &Value,
        etag: Option<&str>,
    ) -> impl Future<Output = Result<Value, CliError>> + Send;

    /// The device ids a `SELECT deviceId FROM devices ...` query returns (all pages).
    fn query_device_ids(
        &self,
        query: &str,
    ) -> impl Future<Output = Result<Vec<String>, CliError>> + Send;

    /// Every row (all pages) of an IoT Hub query such as
    /// `SELECT deviceId, tags.x AS x FROM devices WHERE ...`: rollouts read their per-device
    /// state and evaluate success conditions this way, so the hub decides what a condition means.
    fn query(&self, query: &str) -> impl Future<Output = Result<Vec<Value>, CliError>> + Send;

    /// The bytes of an uploaded blob at `url` (without SAS), when this hub can serve it: only
    /// the local hub keeps uploads itself. `None` for a blob in a real storage account, which
    /// needs the operator's storage credentials.
    fn uploaded_blob(
        &self,
        url: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, CliError>> + Send;

    /// Creates a job (`PUT /jobs/v2/{id}`): the hub fans a method call or a twin update out to
    /// the devices its condition matches (`--via-job`). A hub without jobs refuses.
    fn create_job(
        &self,
        request: &JobRequest,
    ) -> impl Future<Output = Result<JobResponse, CliError>> + Send {
        let _ = request;
        std::future::ready(Err(CliError::failure(
            "this hub does not run jobs; run without --via-job",
        )))
    }

    /// A job as the hub reports it now (`GET /jobs/v2/{id}`).
    fn job(&self, job_id: &str) -> impl Future<Output = Result<JobResponse, CliError>> + Send {
        let _ = job_id;
        std::future::ready(Err(CliError::failure(
            "this hub does not run jobs; run without --via-job",
        )))
    }

    /// Cancels a job (`POST /jobs/v2/{id}/cancel`): devices it has not reached are left alone
    /// (an aborted `--via-job` rollout wave).
    fn cancel_job(
        &self,
        job_id: &str,
    ) -> impl Future<Output = Result<JobResponse, CliError>> + Send {
        let _ = job_id;
        std::future::ready(Err(CliError::failure(
            "this hub does not run jobs; run without --via-job",
        )))
    }
}

/// The real hub: a thin adapter over the service REST client.
#[derive(Debug, Clone)]
pub struct ServiceHub {
    /// The client, built once per command.
    client: iothub_client::ServiceClient,
}

impl ServiceHub {
    /// Wraps a client.
    pub fn new(client: iothub_client::ServiceClient) -> Self {
        Self { client }
    }

    /// The client, for reads beyond the typed commands' surface (the fleet view's paged
    /// queries).
    pub fn client(&self) -> &iothub_client::ServiceClient {
        &self.client
    }
}

impl Hub for ServiceHub {
    fn host_name(&self) -> String {
        self.client.host_name().to_owned()
    }

    async fn twin(&self, device_id: &str) -> Result<Value, CliError> {
        let twin = self
            .client
            .get_twin(device_id)
            .await
            .map_err(CliError::from)?;
        to_json(&twin)
    }

    async fn invoke(
        &self,
        device_id: &str,
        call: &CloudToDeviceMethod,
    ) -> Result<DeviceAnswer, CliError> {
        let answer = self
            .client
            .invoke_device_method(device_id, call)
            .await
            .map_err(CliError::from)?;
        Ok(DeviceAnswer {
            status: answer.status,
            payload: answer.payload,
        })
    }

    async fn patch_twin(
        &self,
        device_id: &str,
        patch: &Value,
        etag: Option<&str>,
    ) -> Result<Value, CliError> {
        let patch: iothub_model::Twin = serde_json::from_value(patch.clone())
            .map_err(|e| CliError::failure(format!("internal: twin patch: {e}")))?;
        let twin = self
            .client
            .update_twin(device_id, &patch, iothub_client::IfMatch::from_option(etag))
            .await
            .map_err(CliError::from)?;
        to_json(&twin)
    }

    async fn query_device_ids(&self, query: &str) -> Result<Vec<String>, CliError> {
        query_device_ids(&self.client, query).await
    }

    async fn query(&self, query: &str) -> Result<Vec<Value>, CliError> {
        self.client
            .query(query)
            .page_size(iothub_client::MAX_PAGE_SIZE)
            .collect_all()
            .await
            .map_err(|e| CliError::from(e).context(format!("query ({query})")))
    }

    async fn create_job(&self, request: &JobRequest) -> Result<JobResponse, CliError> {
        self.client
            .create_job(request)
            .await
            .map_err(|e| CliError::from(e).context(format!("job '{}'", request.job_id)))
    }

    async fn job(&self, job_id: &str) -> Result<JobResponse, CliError> {
        self.client
            .get_job(job_id)
            .await
            .map_err(|e| CliError::from(e).context(format!("job '{job_id}'")))
    }

    async fn cancel_job(&self, job_id: &str) -> Result<JobResponse, CliError> {
        self.client
            .cancel_job(job_id)
            .await
            .map_err(|e| CliError::from(e).context(format!("job '{job_id}'")))
    }

    async fn uploaded_blob(&self, url: &str) -> Result<Option<Vec<u8>>, CliError> {
        let Some((container, blob)) = local_blob(self.client.endpoint(), url) else {
            return Ok(None);
        };
        let bytes = self
            .client
            .get_emulator_blob(&container, &blob)
            .await
            .map_err(|e| CliError::from(e).context(format!("reading the uploaded blob {blob}")))?;
        Ok(Some(bytes.to_vec()))
    }
}

/// The container and blob name of `url` when it points at the hub `endpoint` itself (the local
/// hub's storage endpoint), percent-decoded.
fn local_blob(endpoint: &url::Url, url: &str) -> Option<(String, String)> {
    let url = url::Url::parse(url).ok()?;
    let same_host = url.scheme() == endpoint.scheme()
        && url.host_str()?.eq_ignore_ascii_case(endpoint.host_str()?)
        && url.port_or_known_default() == endpoint.port_or_known_default();
    if !same_host {
        return None;
    }
    let mut segments = url.path_segments()?.map(|s| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    });
    let container = segments.next()?;
    let blob = segments.collect::<Vec<_>>().join("/");
    (!blob.is_empty()).then_some((container, blob))
}

fn to_json(twin: &iothub_model::Twin) -> Result<Value, CliError> {
    serde_json::to_value(twin).map_err(|e| CliError::failure(format!("internal: twin: {e}")))
}

/// The device ids a `SELECT deviceId FROM devices ...` query returns (all pages): how every
/// command resolves `--query` (see [`crate::fleet::device_query`]).
pub async fn query_device_ids(
    client: &iothub_client::ServiceClient,
    query: &str,
) -> Result<Vec<String>, CliError> {
    let rows = client
        .query(query)
        .page_size(iothub_client::MAX_PAGE_SIZE)
        .collect_all()
        .await
        .map_err(|e| CliError::from(e).context(format!("--query ({query})")))?;
    Ok(rows
        .iter()
        .filter_map(|row| row.get("deviceId").and_then(Value::as_str))
        .map(str::to_owned)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_blobs_on_the_hub_itself_are_local() {
        let endpoint = url::Url::parse("https://localhost:8443/").unwrap();
        assert_eq!(
            local_blob(
                &endpoint,
                "https://localhost:8443/fileupload/dev%201/logs%20x.tar.gz"
            ),
            Some(("fileupload".into(), "dev 1/logs x.tar.gz".into()))
        );
        for other in [
            "https://acct.blob.core.windows.net/fileupload/dev/x.tar.gz",
            "https://localhost:9443/fileupload/dev/x.tar.gz",
            "http://localhost:8443/fileupload/dev/x.tar.gz",
            "https://localhost:8443/fileupload",
            "not a url",
        ] {
            assert_eq!(local_blob(&endpoint, other), None, "{other}");
        }
    }
}
