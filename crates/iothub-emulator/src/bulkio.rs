//! Jobs v1: bulk import and export of the identity registry through blob storage (protocol
//! reference §H.2; azure-docs "Import and export IoT Hub device identities in bulk").
//!
//! A real hub reads and writes a customer's storage account, reached through a container SAS
//! URI. The local hub has no network to reach one, so it serves its own storage account (the
//! one file uploads already use) on its HTTPS listener under [`STORAGE_PREFIX`]: a container
//! URI is `https://{host}/storage/{container}?{sas}`, and [`Hub::container_sas_uri`] (or `dmctl
//! hub container-sas`) hands one out. Put Blob and Get Blob work there with that SAS, so a
//! client uploads `devices.txt` and reads the export back with an ordinary storage client.
//!
//! The SAS is shaped like a storage service SAS (`sv`, `sr=c`, `sp`, `se`, `sig`); its `sig` is
//! an HMAC-SHA256 over the container, permissions and expiry keyed with the hub owner policy's
//! primary key, standing in for the storage account key a real account would use (regenerating
//! that key revokes every container SAS, as rotating an account key does).
//!
//! Jobs live in the jobs table beside jobs v2 (a v1 document has `type` `export` or `import`,
//! which jobs v2 never stores), run one at a time per hub as on every real tier, and a job that
//! was running when the hub stopped is marked failed on the next start rather than resumed:
//! an import half applied twice is worse than a visible failure.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use iothub_auth::{SharedAccessKey, Signer as _};
use iothub_model::{BulkRegistryOperationResult, ErrorCode, ExportImportDevice, ImportMode};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use subtle::ConstantTimeEq as _;

use crate::error::EmulatorError;
use crate::files::{STORAGE_VERSION, StorageRefusal, query_param, validate_blob_name};
use crate::hub::Hub;
use crate::identity::Identity;
use crate::registry::{self, Now};
use crate::store::Policy;

/// Where the hub's storage account serves containers: `/storage/{container}/{blob}`.
pub const STORAGE_PREFIX: &str = "/storage/";
/// The blob an export writes and an import reads unless the job names another.
pub const DEVICES_BLOB: &str = "devices.txt";
/// The blob an import writes its per-line failures to, in the output container.
pub const IMPORT_ERRORS_BLOB: &str = "importErrors.log";
/// How many identities one import transaction applies (the bulk API's limit).
const CHUNK: usize = iothub_model::bulk::MAX_BULK_DEVICES;
/// Container SAS lifetime when the caller does not pick one.
pub const DEFAULT_SAS_TTL: Duration = Duration::from_secs(24 * 3600);

/// Characters escaped in a SAS query value (everything but unreserved characters).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A v1 job (`JobProperties`) as the service stores and answers it.
///
/// There is deliberately no `Debug`: the container URIs carry their SAS.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImportExportJob {
    /// Hub-generated id (a GUID).
    #[serde(default)]
    pub job_id: String,
    /// When the job was accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time_utc: Option<String>,
    /// When it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time_utc: Option<String>,
    /// `export` or `import`.
    #[serde(rename = "type", default)]
    pub type_: String,
    /// `enqueued`, `running`, `completed`, `failed` or `cancelled`.
    #[serde(default)]
    pub status: String,
    /// Percent done.
    #[serde(default)]
    pub progress: u64,
    /// Import: where `devices.txt` is read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_blob_container_uri: Option<String>,
    /// Import: the blob to read instead of `devices.txt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_blob_name: Option<String>,
    /// Export: where `devices.txt` goes; import: where `importErrors.log` goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_blob_container_uri: Option<String>,
    /// Export: the blob to write instead of `devices.txt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_blob_name: Option<String>,
    /// Export: keys written as `null`.
    #[serde(default)]
    pub exclude_keys_in_export: bool,
    /// `keyBased` (the only kind the local hub has).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_authentication_type: Option<String>,
    /// Why the job failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    /// Configurations in the export/import (not served: always false here).
    #[serde(default)]
    pub include_configurations: bool,
    /// The configurations blob name (echoed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configurations_blob_name: Option<String>,
}

/// The body of `POST /jobs/create`, read leniently as the service's JSON reader does (numbers
/// and booleans written as strings, enum names in any case).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CreateRequest {
    #[serde(rename = "type", default)]
    type_: Option<String>,
    #[serde(default)]
    input_blob_container_uri: Option<String>,
    #[serde(default)]
    input_blob_name: Option<String>,
    #[serde(default)]
    output_blob_container_uri: Option<String>,
    #[serde(default)]
    output_blob_name: Option<String>,
    #[serde(default, deserialize_with = "opt_bool")]
    exclude_keys_in_export: Option<bool>,
    #[serde(default)]
    storage_authentication_type: Option<String>,
    #[serde(default)]
    identity: Option<Value>,
    #[serde(default, deserialize_with = "opt_bool")]
    include_configurations: Option<bool>,
    #[serde(default)]
    configurations_blob_name: Option<String>,
}

fn opt_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(v) => iothub_model::lenient::boolean(v)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

fn invalid(message: impl Into<String>) -> EmulatorError {
    EmulatorError::hub(ErrorCode::ArgumentInvalid, message)
}

fn null_argument(message: impl Into<String>) -> EmulatorError {
    EmulatorError::hub(ErrorCode::ArgumentNull, message)
}

fn corrupt(e: impl std::fmt::Display) -> EmulatorError {
    EmulatorError::Corrupt(e.to_string())
}

/// Whether a stored job document is a v1 (import/export) job.
pub fn is_import_export(doc: &Value) -> bool {
    matches!(
        doc.get("type").and_then(Value::as_str),
        Some("export" | "import")
    )
}

fn is_active(status: &str) -> bool {
    matches!(status, "enqueued" | "running")
}

/// A container SAS URI the hub accepted: which container of its storage.
struct Container {
    name: String,
}

/// What a container SAS grants, as parsed from a URI's query.
struct ContainerSas {
    sp: String,
    se: String,
    sig: String,
}

fn parse_container_sas(query: Option<&str>) -> Option<ContainerSas> {
    if query_param(query, "sr").as_deref() != Some("c") {
        return None;
    }
    Some(ContainerSas {
        sp: query_param(query, "sp")?,
        se: query_param(query, "se")?,
        sig: query_param(query, "sig")?,
    })
}

/// The key container SAS signatures are made with (see the module documentation).
fn storage_key(policies: &[Policy]) -> Result<SharedAccessKey, EmulatorError> {
    let policy = policies
        .iter()
        .find(|p| p.rights.iter().any(|r| r == "RegistryWrite"))
        .or_else(|| policies.first())
        .ok_or_else(|| corrupt("the hub has no shared access policy to sign storage SAS"))?;
    SharedAccessKey::from_base64(&policy.primary_key).map_err(corrupt)
}

fn container_signature(
    policies: &[Policy],
    container: &str,
    sp: &str,
    se: &str,
) -> Result<String, EmulatorError> {
    let message = format!("storage-container\n{container}\n{sp}\n{se}");
    let mac = storage_key(policies)?
        .sign(message.as_bytes())
        .map_err(corrupt)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(mac))
}

fn container_uri(
    policies: &[Policy],
    storage_host: &str,
    container: &str,
    permissions: &str,
    ttl: Duration,
) -> Result<String, EmulatorError> {
    crate::files::validate_container_name(container).map_err(invalid)?;
    if permissions.is_empty() || !permissions.chars().all(|c| "racwdl".contains(c)) {
        return Err(invalid(format!(
            "container SAS permissions `{permissions}` must be letters of `racwdl`"
        )));
    }
    let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
    let now = i64::try_from(iothub_auth::unix_now()).unwrap_or(i64::MAX);
    let se = jiff::Timestamp::from_second(now.saturating_add(ttl))
        .map_or_else(|_| "9999-12-31T23:59:59Z".to_string(), |t| t.to_string());
    let sig = container_signature(policies, container, permissions, &se)?;
    Ok(format!(
        "https://{storage_host}{STORAGE_PREFIX}{container}?sv={STORAGE_VERSION}&sr=c&sp={}&se={}&sig={}",
        utf8_percent_encode(permissions, QUERY_VALUE),
        utf8_percent_encode(&se, QUERY_VALUE),
        utf8_percent_encode(&sig, QUERY_VALUE),
    ))
}

/// A container SAS URI from the hub in `data_dir`, with no server running (`dmctl hub
/// container-sas`); `storage_host` is the hub's HTTPS host and port as clients dial it.
pub fn container_sas_uri_for(
    data_dir: &std::path::Path,
    storage_host: &str,
    container: &str,
    permissions: &str,
    ttl: Duration,
) -> Result<String, EmulatorError> {
    let policies = crate::store::Store::open(data_dir)?.policies()?;
    container_uri(&policies, storage_host, container, permissions, ttl)
}

impl Hub {
    /// A container SAS URI for `container` of the hub's storage, granting `permissions`
    /// (letters of `racwdl`) for `ttl`: what `outputBlobContainerUri`/`inputBlobContainerUri`
    /// name, and what a storage client writes `devices.txt` with.
    pub fn container_sas_uri(
        &self,
        container: &str,
        permissions: &str,
        ttl: Duration,
    ) -> Result<String, EmulatorError> {
        container_uri(
            self.policies(),
            &self.storage_host(),
            container,
            permissions,
            ttl,
        )
    }

    /// Checks a container SAS (the query of a storage request or of a container URI) for
    /// `container`, granting `permission`. The answer names what is wrong, never the signature.
    pub fn authorize_container(
        &self,
        container: &str,
        query: Option<&str>,
        permission: char,
    ) -> Result<(), StorageRefusal> {
        let sas = parse_container_sas(query).ok_or_else(|| {
            StorageRefusal::new(
                403,
                "AuthenticationFailed",
                "Server failed to authenticate the request: a container SAS (sr=c with sp, se and sig) is required.",
            )
        })?;
        let expected = container_signature(self.policies(), container, &sas.sp, &sas.se)
            .map_err(StorageRefusal::from)?;
        if !bool::from(expected.as_bytes().ct_eq(sas.sig.as_bytes())) {
            return Err(StorageRefusal::new(
                403,
                "AuthenticationFailed",
                "Server failed to authenticate the request: the signature does not match this container.",
            ));
        }
        let expiry = jiff::Timestamp::from_str(sas.se.trim()).map_err(|_| {
            StorageRefusal::new(
                403,
                "AuthenticationFailed",
                "Server failed to authenticate the request: se is not an ISO 8601 time.",
            )
        })?;
        if expiry <= jiff::Timestamp::now() {
            return Err(StorageRefusal::new(
                403,
                "AuthenticationFailed",
                "Server failed to authenticate the request: the SAS has expired.",
            ));
        }
        if !sas.sp.contains(permission) {
            return Err(StorageRefusal::new(
                403,
                "AuthorizationPermissionMismatch",
                format!(
                    "This request is not authorized to perform this operation (the SAS does not grant '{permission}')."
                ),
            ));
        }
        Ok(())
    }

    /// Where `blob` of `container` is kept: `{data_dir}/blobs/{container}/{blob}` (the upload
    /// container is one container of the same account).
    pub fn container_blob_path(&self, container: &str, blob: &str) -> PathBuf {
        let mut path = self.blobs_dir().join(container);
        path.extend(blob.split('/'));
        path
    }

    /// Writes a whole blob durably (temporary file, fsync, rename).
    fn write_container_blob(
        &self,
        container: &str,
        blob: &str,
        contents: &[u8],
    ) -> Result<(), EmulatorError> {
        use std::io::Write as _;
        let target = self.container_blob_path(container, blob);
        let (temp, mut file) = Hub::blob_temp_file(&target)
            .map_err(|e| EmulatorError::Corrupt(format!("storage: {}", e.message)))?;
        let written = file
            .write_all(contents)
            .and_then(|()| file.sync_all())
            .and_then(|()| std::fs::rename(&temp, &target));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(EmulatorError::Corrupt(format!(
                "storage: could not write {blob}: {e}"
            )));
        }
        Ok(())
    }

    /// Checks a job's container URI: this hub's storage, a well-formed container, a SAS that
    /// verifies and grants `permission`. `field` names the body member in the error.
    fn job_container(
        &self,
        field: &str,
        uri: Option<&str>,
        permission: char,
    ) -> Result<Container, EmulatorError> {
        let uri = uri
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .ok_or_else(|| null_argument(format!("{field} is required for this job type.")))?;
        let hint = "the local hub reaches only its own storage account: make a URI with `dmctl hub container-sas CONTAINER`";
        let rest = uri
            .strip_prefix("https://")
            .ok_or_else(|| invalid(format!("{field} must be an https URI; {hint}.")))?;
        let (authority, path_and_query) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path_and_query, None),
        };
        if !authority.eq_ignore_ascii_case(&self.storage_host())
            && !self.audiences().accepts_host(authority)
        {
            return Err(invalid(format!(
                "{field} names the host `{authority}`; {hint}."
            )));
        }
        let name = path
            .strip_prefix(STORAGE_PREFIX)
            .map(|n| n.trim_end_matches('/'))
            .filter(|n| !n.is_empty() && !n.contains('/'))
            .ok_or_else(|| {
                invalid(format!(
                    "{field} is not a container URI of the hub's storage (`https://{}{STORAGE_PREFIX}CONTAINER?SAS`); {hint}.",
                    self.storage_host()
                ))
            })?;
        crate::files::validate_container_name(name)
            .map_err(|e| invalid(format!("{field}: {e}")))?;
        self.authorize_container(name, query, permission)
            .map_err(|e| {
                EmulatorError::hub(
                    ErrorCode::ArgumentInvalid,
                    format!(
                        "{field} is not usable: {} ({hint}).",
                        e.message.trim_end_matches('.')
                    ),
                )
            })?;
        Ok(Container {
            name: name.to_string(),
        })
    }
}

fn job_not_found(job_id: &str) -> EmulatorError {
    EmulatorError::hub(
        ErrorCode::JobNotFound,
        format!("Job '{job_id}' does not exist."),
    )
}

fn load(tx: &crate::store::Tx<'_>, job_id: &str) -> Result<ImportExportJob, EmulatorError> {
    let doc = tx
        .job(job_id)?
        .filter(is_import_export)
        .ok_or_else(|| job_not_found(job_id))?;
    serde_json::from_value(doc).map_err(corrupt)
}

fn store(tx: &crate::store::Tx<'_>, job: &ImportExportJob) -> Result<(), EmulatorError> {
    let created_ms = job
        .start_time_utc
        .as_deref()
        .and_then(|t| jiff::Timestamp::from_str(t).ok())
        .map_or(0, jiff::Timestamp::as_millisecond);
    tx.put_job(
        &job.job_id,
        created_ms,
        &serde_json::to_value(job).map_err(corrupt)?,
    )
}

/// Validates and records a v1 job (`POST /jobs/create`); [`run`] then carries it out.
pub fn create(hub: &Hub, body: &Value) -> Result<ImportExportJob, EmulatorError> {
    let request: CreateRequest = serde_path_to_error::deserialize(body.clone())
        .map_err(|e| invalid(format!("The job is not valid JSON for this API: {e}")))?;
    let kind = match request.type_.as_deref().map(str::trim) {
        None | Some("") => return Err(null_argument("type is required (export or import).")),
        Some(t) if t.eq_ignore_ascii_case("export") || t.eq_ignore_ascii_case("exportDevices") => {
            "export"
        }
        Some(t) if t.eq_ignore_ascii_case("import") || t.eq_ignore_ascii_case("importDevices") => {
            "import"
        }
        Some(t) => {
            return Err(invalid(format!(
                "type `{t}` cannot be created with /jobs/create: use export or import (scheduled jobs use PUT /jobs/v2/{{id}})."
            )));
        }
    };
    match request
        .storage_authentication_type
        .as_deref()
        .map(str::trim)
    {
        None | Some("") => {}
        Some(t) if t.eq_ignore_ascii_case("keyBased") => {}
        Some(t) if t.eq_ignore_ascii_case("identityBased") => {
            return Err(invalid(
                "storageAuthenticationType identityBased needs a managed identity, which the local hub does not have: use keyBased with a container SAS URI.",
            ));
        }
        Some(t) => {
            return Err(invalid(format!(
                "storageAuthenticationType `{t}` is not keyBased or identityBased."
            )));
        }
    }
    if request.identity.as_ref().is_some_and(|v| !v.is_null()) {
        return Err(invalid(
            "identity (a managed identity for storage) is not available on the local hub: omit it and use a container SAS URI.",
        ));
    }
    if request.include_configurations == Some(true) {
        return Err(invalid(
            "includeConfigurations is not served by the local hub: export or import configurations with `dmctl config`.",
        ));
    }
    for (field, name) in [
        ("inputBlobName", &request.input_blob_name),
        ("outputBlobName", &request.output_blob_name),
    ] {
        if let Some(name) = name {
            validate_blob_name(name).map_err(|e| invalid(format!("{field}: {e}")))?;
        }
    }
    let output = request.output_blob_container_uri.as_deref();
    if kind == "export" {
        hub.job_container("outputBlobContainerUri", output, 'w')?;
    } else {
        hub.job_container(
            "inputBlobContainerUri",
            request.input_blob_container_uri.as_deref(),
            'r',
        )?;
        hub.job_container("outputBlobContainerUri", output, 'w')?;
    }
    let now = Now::current();
    let job = ImportExportJob {
        job_id: uuid::Uuid::new_v4().to_string(),
        start_time_utc: Some(now.timestamp.clone()),
        end_time_utc: None,
        type_: kind.to_string(),
        status: "enqueued".to_string(),
        progress: 0,
        input_blob_container_uri: (kind == "import")
            .then(|| request.input_blob_container_uri.clone())
            .flatten(),
        input_blob_name: (kind == "import")
            .then(|| request.input_blob_name.clone())
            .flatten(),
        output_blob_container_uri: request.output_blob_container_uri.clone(),
        output_blob_name: request.output_blob_name.clone(),
        exclude_keys_in_export: kind == "export" && request.exclude_keys_in_export == Some(true),
        storage_authentication_type: Some("keyBased".to_string()),
        failure_reason: None,
        include_configurations: false,
        configurations_blob_name: request.configurations_blob_name.clone(),
    };
    hub.store().with_tx(|tx| {
        let active = tx
            .jobs()?
            .into_iter()
            .filter(is_import_export)
            .filter(|doc| is_active(doc.get("status").and_then(Value::as_str).unwrap_or("")))
            .count();
        if active > 0 {
            return Err(EmulatorError::hub(
                ErrorCode::JobQuotaExceeded,
                "An import or export job is already running on this hub; only one may run at a time. Wait for it to finish or cancel it (DELETE /jobs/{id}).",
            ));
        }
        store(tx, &job)
    })?;
    Ok(job)
}

/// One v1 job (`GET /jobs/{id}`).
pub fn get(hub: &Hub, job_id: &str) -> Result<ImportExportJob, EmulatorError> {
    hub.read(|tx| load(tx, job_id))
}

/// Every v1 job, oldest first (`GET /jobs`).
pub fn list(hub: &Hub) -> Result<Vec<ImportExportJob>, EmulatorError> {
    hub.read(|tx| {
        tx.jobs()?
            .into_iter()
            .filter(is_import_export)
            .map(|doc| serde_json::from_value(doc).map_err(corrupt))
            .collect()
    })
}

/// Cancels a v1 job (`DELETE /jobs/{id}`). Identities an import already applied stay applied;
/// the runner stops at its next chunk. Cancelling a finished job changes nothing.
pub fn cancel(hub: &Hub, job_id: &str) -> Result<ImportExportJob, EmulatorError> {
    hub.store().with_tx(|tx| {
        let mut job = load(tx, job_id)?;
        if is_active(&job.status) {
            job.status = "cancelled".to_string();
            job.end_time_utc = Some(Now::current().timestamp);
            store(tx, &job)?;
        }
        Ok(job)
    })
}

/// Marks v1 jobs left `enqueued` or `running` by a stop as failed (see the module docs).
pub fn fail_interrupted(hub: &Hub) -> Result<(), EmulatorError> {
    hub.store().with_tx(|tx| {
        for doc in tx.jobs()?.into_iter().filter(is_import_export) {
            let mut job: ImportExportJob = serde_json::from_value(doc).map_err(corrupt)?;
            if is_active(&job.status) {
                job.status = "failed".to_string();
                job.end_time_utc = Some(Now::current().timestamp);
                job.failure_reason = Some(
                    "The hub stopped while the job was running; it was not resumed (run it again)."
                        .to_string(),
                );
                store(tx, &job)?;
            }
        }
        Ok(())
    })
}

/// Updates the stored job unless it was cancelled meanwhile; false when it was.
fn update(
    hub: &Hub,
    job_id: &str,
    f: impl FnOnce(&mut ImportExportJob),
) -> Result<bool, EmulatorError> {
    hub.store().with_tx(|tx| {
        let mut job = load(tx, job_id)?;
        if !is_active(&job.status) {
            return Ok(false);
        }
        f(&mut job);
        store(tx, &job)?;
        Ok(true)
    })
}

fn container_of(hub: &Hub, field: &str, uri: Option<&str>) -> Result<String, EmulatorError> {
    // Checked at creation; checked again because the SAS may have expired or been revoked.
    hub.job_container(
        field,
        uri,
        if field.starts_with("input") { 'r' } else { 'w' },
    )
    .map(|c| c.name)
}

/// Runs a v1 job to its end, off the async runtime (it reads and writes files and the store).
pub async fn run(hub: Arc<Hub>, job_id: String) {
    let id = job_id.clone();
    let outcome = tokio::task::spawn_blocking(move || execute(&hub, &id)).await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            tracing::error!(job = %crate::logsafe::Escaped(&job_id), error = %e, "import/export job could not record its end");
        }
        Err(e) => {
            tracing::error!(job = %crate::logsafe::Escaped(&job_id), error = %e, "import/export job task failed");
        }
    }
}

fn execute(hub: &Hub, job_id: &str) -> Result<(), EmulatorError> {
    let job = hub.read(|tx| load(tx, job_id))?;
    if !update(hub, job_id, |j| j.status = "running".to_string())? {
        return Ok(());
    }
    let result = if job.type_ == "export" {
        export(hub, &job)
    } else {
        import(hub, &job)
    };
    let now = Now::current().timestamp;
    update(hub, job_id, |j| {
        j.end_time_utc = Some(now);
        match result {
            Ok(()) => {
                j.status = "completed".to_string();
                j.progress = 100;
            }
            Err(e) => {
                j.status = "failed".to_string();
                j.failure_reason = Some(match e {
                    EmulatorError::Hub { message, .. } => message,
                    other => other.to_string(),
                });
            }
        }
    })?;
    Ok(())
}

/// One identity as an export line: the registry entry with its twin's etag, tags and
/// properties (`$metadata` and `$version` included, as the service writes them).
fn export_line(
    device_id: &str,
    record: &crate::store::IdentityRecord,
    exclude_keys: bool,
) -> Result<Value, EmulatorError> {
    let (registry_doc, etag) = registry::identity_wire(record);
    let twin = registry::twin_wire(&Identity::device(device_id.to_string()), record)?;
    let mut line = Map::new();
    line.insert("id".into(), Value::from(device_id));
    line.insert("eTag".into(), Value::from(etag));
    for key in ["status", "statusReason", "authentication"] {
        if let Some(v) = registry_doc.get(key) {
            line.insert(key.into(), v.clone());
        }
    }
    if exclude_keys
        && let Some(keys) = line
            .get_mut("authentication")
            .and_then(|a| a.get_mut("symmetricKey"))
            .and_then(Value::as_object_mut)
    {
        keys.insert("primaryKey".into(), Value::Null);
        keys.insert("secondaryKey".into(), Value::Null);
    }
    line.insert(
        "twinETag".into(),
        twin.get("etag").cloned().unwrap_or(Value::Null),
    );
    line.insert(
        "tags".into(),
        twin.get("tags")
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new())),
    );
    line.insert(
        "properties".into(),
        twin.get("properties")
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new())),
    );
    for key in ["capabilities", "deviceScope", "parentScopes"] {
        if let Some(v) = registry_doc.get(key) {
            line.insert(key.into(), v.clone());
        }
    }
    Ok(Value::Object(line))
}

fn export(hub: &Hub, job: &ImportExportJob) -> Result<(), EmulatorError> {
    let container = container_of(
        hub,
        "outputBlobContainerUri",
        job.output_blob_container_uri.as_deref(),
    )?;
    // One read transaction: the export is a consistent snapshot of the registry.
    let text = hub.read(|tx| {
        let mut text = String::new();
        for (device_id, _, record) in tx.identities(false)? {
            let line = export_line(&device_id, &record, job.exclude_keys_in_export)?;
            text.push_str(&line.to_string());
            text.push('\n');
        }
        Ok(text)
    })?;
    let blob = job.output_blob_name.as_deref().unwrap_or(DEVICES_BLOB);
    hub.write_container_blob(&container, blob, text.as_bytes())
}

/// One failure of an import, as a line of `importErrors.log`.
fn error_line(error_code: impl Into<Value>, status: String, device_id: Option<&str>) -> String {
    let mut line = Map::new();
    if let Some(id) = device_id {
        line.insert("deviceId".into(), Value::from(id));
    }
    line.insert("errorCode".into(), error_code.into());
    line.insert("errorStatus".into(), Value::from(status));
    let mut text = Value::Object(line).to_string();
    text.push('\n');
    text
}

/// The import modes of a line: the bulk modes plus the import-only `createOrUpdate` (the
/// default) and `createOrUpdateIfMatchETag`, matched without case as the service's JSON reader
/// matches enum names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LineMode {
    Bulk(ImportMode),
    CreateOrUpdate,
    CreateOrUpdateIfMatchETag,
}

fn line_mode(value: Option<&Value>) -> Result<LineMode, String> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(LineMode::CreateOrUpdate);
    };
    let text = value
        .as_str()
        .ok_or_else(|| format!("importMode must be a string, found {value}"))?;
    Ok(match text.trim().to_ascii_lowercase().as_str() {
        "create" => LineMode::Bulk(ImportMode::Create),
        "update" => LineMode::Bulk(ImportMode::Update),
        "updateifmatchetag" => LineMode::Bulk(ImportMode::UpdateIfMatchETag),
        "delete" => LineMode::Bulk(ImportMode::Delete),
        "deleteifmatchetag" => LineMode::Bulk(ImportMode::DeleteIfMatchETag),
        "updatetwin" => LineMode::Bulk(ImportMode::UpdateTwin),
        "updatetwinifmatchetag" => LineMode::Bulk(ImportMode::UpdateTwinIfMatchETag),
        "createorupdate" => LineMode::CreateOrUpdate,
        "createorupdateifmatchetag" => LineMode::CreateOrUpdateIfMatchETag,
        _ => return Err(format!("importMode `{text}` is not an import mode")),
    })
}

/// Parses one line of `devices.txt` into the entry to apply and its mode. Twin members the
/// service writes but does not import (`$metadata`, `$version`, reported properties) are
/// dropped, so an export imports back unchanged.
fn parse_line(line: &str) -> Result<(ExportImportDevice, LineMode), String> {
    let mut value: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let mode = line_mode(value.get("importMode"))?;
    if let Some(obj) = value.as_object_mut() {
        obj.remove("importMode");
        if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
            props.remove("reported");
            if let Some(desired) = props.get_mut("desired").and_then(Value::as_object_mut) {
                desired.retain(|k, _| !k.starts_with('$'));
            }
        }
        // An export with keys excluded writes them as null: the service then generates keys.
        let keys_null = obj
            .get("authentication")
            .and_then(|a| a.get("symmetricKey"))
            .and_then(Value::as_object)
            .is_some_and(|k| k.values().all(Value::is_null));
        if keys_null
            && let Some(auth) = obj.get_mut("authentication").and_then(Value::as_object_mut)
        {
            auth.remove("symmetricKey");
        }
    }
    let entry: ExportImportDevice =
        serde_path_to_error::deserialize(value).map_err(|e| e.to_string())?;
    if entry.id.trim().is_empty() {
        return Err("id is missing or empty".to_string());
    }
    Ok((entry, mode))
}

fn import(hub: &Hub, job: &ImportExportJob) -> Result<(), EmulatorError> {
    let input = container_of(
        hub,
        "inputBlobContainerUri",
        job.input_blob_container_uri.as_deref(),
    )?;
    let output = container_of(
        hub,
        "outputBlobContainerUri",
        job.output_blob_container_uri.as_deref(),
    )?;
    let blob = job.input_blob_name.as_deref().unwrap_or(DEVICES_BLOB);
    let bytes = std::fs::read(hub.container_blob_path(&input, blob)).map_err(|e| {
        invalid(format!(
            "The input blob `{blob}` could not be read from container `{input}`: {e}."
        ))
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| invalid(format!("The input blob `{blob}` is not UTF-8 text.")))?;
    let mut errors = String::new();
    let mut entries = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match parse_line(line) {
            Ok(entry) => entries.push(entry),
            Err(why) => errors.push_str(&error_line(
                400_012,
                format!("Invalid device format in line: {line}. {why}"),
                None,
            )),
        }
    }
    let total = entries.len().max(1);
    let mut done = 0;
    for chunk in entries.chunks(CHUNK) {
        let result = hub.transact(|tx, now| {
            let mut prepared = Vec::with_capacity(chunk.len());
            for (entry, mode) in chunk {
                let exists = || {
                    registry::load(tx, &Identity::device(entry.id.clone()))
                        .map(|_| true)
                        .or_else(|e| match e.code() {
                            ErrorCode::DeviceNotFound => Ok(false),
                            _ => Err(e),
                        })
                };
                let mode = match mode {
                    LineMode::Bulk(m) => *m,
                    LineMode::CreateOrUpdate => {
                        if exists()? {
                            ImportMode::Update
                        } else {
                            ImportMode::Create
                        }
                    }
                    LineMode::CreateOrUpdateIfMatchETag => {
                        if exists()? {
                            ImportMode::UpdateIfMatchETag
                        } else {
                            ImportMode::Create
                        }
                    }
                };
                let mut entry = entry.clone();
                entry.import_mode = Some(mode);
                prepared.push(entry);
            }
            let outcome: Result<(BulkRegistryOperationResult, _), _> =
                registry::bulk(tx, &prepared, now);
            outcome
        });
        match result {
            Ok(outcome) => {
                for e in outcome.errors {
                    errors.push_str(&error_line(
                        Value::from(e.error_code.clone()),
                        e.error_status.clone(),
                        Some(&e.device_id),
                    ));
                }
            }
            Err(e @ (EmulatorError::Hub { .. } | EmulatorError::Method { .. })) => {
                // The whole chunk was refused (an id twice in it): report each line.
                for (entry, _) in chunk {
                    errors.push_str(&error_line(
                        Value::from(e.code().name()),
                        e.to_string(),
                        Some(&entry.id),
                    ));
                }
            }
            Err(other) => return Err(other),
        }
        done += chunk.len();
        let progress = (done * 100 / total).min(99) as u64;
        if !update(hub, &job.job_id, |j| j.progress = progress)? {
            // Cancelled: what was applied stays applied, as on the service.
            break;
        }
    }
    if !errors.is_empty() {
        hub.write_container_blob(&output, IMPORT_ERRORS_BLOB, errors.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HubConfig;
    use crate::connections::Connections;
    use serde_json::json;

    fn hub(dir: &std::path::Path) -> Hub {
        Hub::open(HubConfig::new(dir), Arc::new(Connections::new()), &[443]).unwrap()
    }

    #[test]
    fn a_second_job_while_one_is_active_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let hub = hub(dir.path());
        let uri = hub
            .container_sas_uri("out", "rw", Duration::from_secs(60))
            .unwrap();
        let first = create(
            &hub,
            &json!({"type": "export", "outputBlobContainerUri": uri}),
        )
        .unwrap();
        assert_eq!(first.status, "enqueued");
        let second = create(
            &hub,
            &json!({"type": "export", "outputBlobContainerUri": uri}),
        );
        match second {
            Err(EmulatorError::Hub { code, .. }) => assert_eq!(code, ErrorCode::JobQuotaExceeded),
            Err(other) => panic!("unexpected error {other}"),
            Ok(_) => panic!("a second active job was accepted"),
        }
        // Once the first ends (here: cancelled), another may start.
        assert_eq!(cancel(&hub, &first.job_id).unwrap().status, "cancelled");
        create(
            &hub,
            &json!({"type": "export", "outputBlobContainerUri": uri}),
        )
        .unwrap();
    }

    #[test]
    fn a_job_running_at_a_stop_is_failed_on_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        let hub = hub(dir.path());
        let uri = hub
            .container_sas_uri("out", "rw", Duration::from_secs(60))
            .unwrap();
        let job = create(
            &hub,
            &json!({"type": "export", "outputBlobContainerUri": uri}),
        )
        .unwrap();
        fail_interrupted(&hub).unwrap();
        let after = get(&hub, &job.job_id).unwrap();
        assert_eq!(after.status, "failed");
        assert!(after.failure_reason.unwrap().contains("stopped"));
    }

    #[test]
    fn an_exported_line_parses_back_without_the_twin_members_the_service_adds() {
        let line = json!({
            "id": "d1", "eTag": "MQ==", "status": "enabled",
            "authentication": {"symmetricKey": {"primaryKey": null, "secondaryKey": null}, "type": "sas"},
            "twinETag": "AAAAAAAAAAE=", "tags": {"a": 1},
            "properties": {"desired": {"x": 1, "$metadata": {}, "$version": 2}, "reported": {"y": 1}},
        });
        let (entry, mode) = parse_line(&line.to_string()).unwrap();
        assert!(mode == LineMode::CreateOrUpdate);
        assert_eq!(entry.properties.desired, json!({"x": 1}));
        assert!(entry.properties.reported.is_null());
        assert!(
            entry
                .authentication
                .as_ref()
                .is_some_and(|a| a.symmetric_key.is_none())
        );
        assert!(
            parse_line(r#"{"id": "d1", "importMode": "Delete"}"#)
                .is_ok_and(|(_, m)| m == LineMode::Bulk(ImportMode::Delete))
        );
        assert!(parse_line(r#"{"importMode": "create"}"#).is_err());
    }
}
