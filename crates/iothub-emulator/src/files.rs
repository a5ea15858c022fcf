//! IoT Hub's file-upload flow, with the storage account played by the emulator itself.
//!
//! A real hub never carries file bytes: a device asks it for a SAS URI to one blob in the linked
//! storage container (`POST /devices/{id}/files`), writes the blob with the Azure Blob REST API,
//! then tells the hub how it went (`POST /devices/{id}/files/notifications`). Code written
//! against that flow must run unchanged here, so the emulator answers the hub half with the real
//! shapes and serves the storage half (Put Blob, Put Block, Put Block List, Get Blob) on its own
//! HTTPS listener under `/{container}/`, keeping blobs as files in `{data_dir}/blobs/`.
//!
//! The SAS handed out is shaped like a storage service SAS (`sv`, `sr=b`, `sig`, `se`, `sp=rw`),
//! but its `sig` is a random per-upload secret kept in the store rather than an HMAC: nothing
//! outside the emulator verifies it, and a stored secret can be compared in constant time
//! without a storage account key to manage. It is valid for the configured TTL, for that one
//! blob only.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use iothub_model::ErrorCode;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq as _;

use crate::error::EmulatorError;
use crate::hub::Hub;
use crate::identity::Identity;
use crate::registry::{self, Effects, Now};
use crate::store::{FileUpload, FileUploadCompletion};

/// How many uploads a device may have in progress at once (protocol reference §G).
pub const MAX_ACTIVE_UPLOADS_PER_DEVICE: usize = 10;
/// The longest blob name Azure Storage accepts, in bytes.
pub const MAX_BLOB_NAME_BYTES: usize = 1024;
/// The longest path segment the emulator can keep as a file name.
const MAX_SEGMENT_BYTES: usize = 255;
/// The storage service version the SAS claims and responses carry.
pub const STORAGE_VERSION: &str = "2021-08-06";
/// Directory under the data directory holding containers.
const BLOBS_DIR: &str = "blobs";
/// Directory under [`BLOBS_DIR`] holding staged (uncommitted) blocks; containers cannot start
/// with a dot, so it never collides with one.
const BLOCKS_DIR: &str = ".blocks";
/// The largest block a client may stage (Azure Storage: 4000 MiB; the blob cap applies too).
const MAX_BLOCKS_PER_BLOB: usize = 50_000;
/// Route names the container must not shadow on the shared HTTPS listener.
const RESERVED_CONTAINERS: [&str; 7] = [
    "devices",
    "storage",
    "twins",
    "jobs",
    "statistics",
    "configurations",
    "messages",
];

/// Characters escaped in a SAS query value (everything but unreserved characters).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The body of `POST /devices/{id}/files`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileUploadRequest {
    /// The blob name the device asks for; the hub prefixes it with the device id.
    pub blob_name: Option<String>,
}

/// The answer to `POST /devices/{id}/files`: where and how to write the blob. `Debug` leaves out
/// the SAS token.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StorageInfo {
    /// Quoted back in the completion notification.
    pub correlation_id: String,
    /// The storage host (`localhost:{https port}` here).
    pub host_name: String,
    /// The container.
    pub container_name: String,
    /// The blob name within the container: `{deviceId}/{requested name}`.
    pub blob_name: String,
    /// The SAS query, starting with `?`.
    pub sas_token: String,
}

impl std::fmt::Debug for StorageInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StorageInfo")
            .field("correlation_id", &self.correlation_id)
            .field("host_name", &self.host_name)
            .field("container_name", &self.container_name)
            .field("blob_name", &self.blob_name)
            .finish_non_exhaustive()
    }
}

/// The body of `POST /devices/{id}/files/notifications`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileUploadNotification {
    /// The id from [`StorageInfo`].
    pub correlation_id: Option<String>,
    /// Whether the device's upload succeeded (mandatory).
    pub is_success: Option<bool>,
    /// A device-defined status code.
    #[serde(default)]
    pub status_code: Option<i64>,
    /// A device-defined description.
    #[serde(default)]
    pub status_description: Option<String>,
}

/// How the storage half answers a request it refuses: Azure Storage's XML error shape (not
/// the hub's JSON envelopes: storage SDKs parse `x-ms-error-code`). An answer, not another
/// error type of the crate: failures of the hub itself still come as [`EmulatorError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageRefusal {
    /// HTTP status.
    pub status: u16,
    /// Azure Storage error code, e.g. `AuthenticationFailed`.
    pub code: &'static str,
    /// What was wrong (never the signature).
    pub message: String,
}

impl StorageRefusal {
    /// A refusal with `status` and storage error `code`.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    fn auth(message: impl Into<String>) -> Self {
        Self::new(403, "AuthenticationFailed", message)
    }

    fn internal(e: impl std::fmt::Display) -> Self {
        Self::new(500, "InternalError", format!("The server failed: {e}"))
    }
}

impl From<EmulatorError> for StorageRefusal {
    fn from(e: EmulatorError) -> Self {
        Self::internal(e)
    }
}

fn invalid(message: impl Into<String>) -> EmulatorError {
    EmulatorError::hub(ErrorCode::ArgumentInvalid, message)
}

/// Checks a container name: Azure's rules (3–63 characters of lowercase letters, digits and
/// single hyphens, starting and ending with a letter or digit), and not a REST route name.
pub fn validate_container_name(name: &str) -> Result<(), String> {
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !(3..=63).contains(&name.len())
        || !ok_chars
        || name.starts_with('-')
        || name.ends_with('-')
        || name.contains("--")
    {
        return Err(format!(
            "the container `{name}` is not a valid container name (3 to 63 lowercase letters, digits and single hyphens)"
        ));
    }
    if RESERVED_CONTAINERS.contains(&name) {
        return Err(format!(
            "the container name `{name}` is reserved: it would shadow the hub's /{name} REST routes; choose another name"
        ));
    }
    Ok(())
}

/// Checks the name a device asks for. The emulator keeps blobs as files, so on top of Azure's
/// length limit it refuses names that could leave the container directory (`..`, `.`, empty or
/// absolute segments, backslashes) or that no file system accepts.
pub fn validate_blob_name(name: &str) -> Result<(), EmulatorError> {
    if name.is_empty() {
        return Err(EmulatorError::hub(
            ErrorCode::ArgumentNull,
            "The blobName is missing or empty.",
        ));
    }
    if name.len() > MAX_BLOB_NAME_BYTES {
        return Err(invalid(format!(
            "The blobName is {} bytes long; the limit is {MAX_BLOB_NAME_BYTES}.",
            name.len()
        )));
    }
    if name.chars().any(|c| c.is_control() || c == '\\') {
        return Err(invalid(
            "The blobName must not contain control characters or backslashes.",
        ));
    }
    for segment in name.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err(invalid(format!(
                "The blobName `{name}` has an empty, `.` or `..` path segment (names are relative, like `logs/today.tgz`)."
            )));
        }
        if segment.len() > MAX_SEGMENT_BYTES {
            return Err(invalid(format!(
                "A path segment of the blobName is longer than {MAX_SEGMENT_BYTES} bytes."
            )));
        }
    }
    Ok(())
}

/// The SAS query parameters the storage half looks at.
#[derive(Default)]
struct SasQuery {
    sig: Option<String>,
    sp: Option<String>,
    sr: Option<String>,
}

fn parse_sas(query: Option<&str>) -> SasQuery {
    let mut sas = SasQuery::default();
    for pair in query.unwrap_or("").split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode_str(&value.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned();
        match name {
            "sig" => sas.sig = Some(value),
            "sp" => sas.sp = Some(value),
            "sr" => sas.sr = Some(value),
            _ => {}
        }
    }
    sas
}

/// A query parameter's decoded value.
pub fn query_param(query: Option<&str>, wanted: &str) -> Option<String> {
    query.unwrap_or("").split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (name == wanted).then(|| percent_decode_str(value).decode_utf8_lossy().into_owned())
    })
}

/// Whether `upload` is still in progress at `now_unix`: not notified and not expired.
fn is_active(upload: &FileUpload, now_unix: i64) -> bool {
    upload.completion.is_none() && upload.expires_unix > now_unix
}

fn now_unix() -> i64 {
    i64::try_from(iothub_auth::unix_now()).unwrap_or(i64::MAX)
}

impl Hub {
    /// The storage host name devices are sent to: this hub's HTTPS listener.
    pub fn storage_host(&self) -> String {
        match self.https_port() {
            443 => "localhost".to_string(),
            port => format!("localhost:{port}"),
        }
    }

    /// `{data_dir}/blobs`.
    pub fn blobs_dir(&self) -> PathBuf {
        self.config().data_dir.join(BLOBS_DIR)
    }

    /// Where a committed blob of the upload container is kept. `blob_name` must have passed
    /// [`validate_blob_name`].
    pub fn blob_path(&self, blob_name: &str) -> PathBuf {
        let mut path = self.blobs_dir().join(&self.config().upload_container);
        path.extend(blob_name.split('/'));
        path
    }

    /// `POST /devices/{id}/files`: hands `device_id` (already authenticated) a SAS URI for
    /// `{device_id}/{blob_name}`.
    ///
    /// Refuses an invalid name (400), a disabled device (404001), and an eleventh upload in
    /// progress (403006).
    pub fn create_file_upload(
        &self,
        device_id: &str,
        request: &FileUploadRequest,
    ) -> Result<StorageInfo, EmulatorError> {
        let requested = request.blob_name.as_deref().unwrap_or("");
        validate_blob_name(requested)?;
        let blob_name = format!("{device_id}/{requested}");
        validate_blob_name(&blob_name)?;
        let ttl = i64::try_from(self.config().upload_sas_ttl.as_secs()).unwrap_or(i64::MAX);
        let mut secret = [0_u8; 32];
        rand::fill(&mut secret);
        let secret = base64::engine::general_purpose::STANDARD.encode(secret);
        let correlation_id = base64::engine::general_purpose::STANDARD
            .encode(uuid::Uuid::new_v4().as_bytes())
            .trim_end_matches('=')
            .to_string();
        let upload = self.transact(|tx, now: &Now| {
            let device = registry::load(tx, &Identity::device(device_id.to_string()))?;
            if !registry::is_enabled(&device)? {
                return Err(EmulatorError::hub(
                    ErrorCode::DeviceNotFound,
                    format!("The device {device_id} is disabled."),
                ));
            }
            let now_unix = now_unix();
            let active = tx
                .file_uploads_of(device_id)?
                .iter()
                .filter(|u| is_active(u, now_unix))
                .count();
            if active >= MAX_ACTIVE_UPLOADS_PER_DEVICE {
                return Err(EmulatorError::hub(
                    ErrorCode::DeviceMaximumActiveFileUploadLimitExceeded,
                    format!(
                        "The device {device_id} already has {active} file uploads in progress (the limit is {MAX_ACTIVE_UPLOADS_PER_DEVICE}); notify the hub of finished ones first."
                    ),
                ));
            }
            let upload = FileUpload {
                correlation_id: correlation_id.clone(),
                device_id: device_id.to_string(),
                blob_name: blob_name.clone(),
                secret: secret.clone(),
                created: now.timestamp.clone(),
                expires_unix: now_unix.saturating_add(ttl),
                size: None,
                uploaded: None,
                completion: None,
            };
            tx.insert_file_upload(&upload)?;
            Ok((upload, Effects::default()))
        })?;
        if let Err(e) = self.sweep_storage(false) {
            tracing::warn!(error = %e, "could not sweep abandoned staged blocks");
        }
        let expiry = jiff::Timestamp::from_second(upload.expires_unix)
            .map_or_else(|_| "9999-12-31T23:59:59Z".to_string(), |t| t.to_string());
        let sas_token = format!(
            "?sv={STORAGE_VERSION}&sr=b&sig={}&se={}&sp=rw",
            utf8_percent_encode(&upload.secret, QUERY_VALUE),
            utf8_percent_encode(&expiry, QUERY_VALUE),
        );
        Ok(StorageInfo {
            correlation_id: upload.correlation_id,
            host_name: self.storage_host(),
            container_name: self.config().upload_container.clone(),
            blob_name: upload.blob_name,
            sas_token,
        })
    }

    /// `POST /devices/{id}/files/notifications`: records how `device_id`'s upload ended.
    ///
    /// A repeated notification for the same upload is accepted and changes nothing (devices
    /// retry on network errors); a correlation id of another device, or none at all, is 400.
    pub fn complete_file_upload(
        &self,
        device_id: &str,
        notification: &FileUploadNotification,
    ) -> Result<(), EmulatorError> {
        let correlation_id = notification
            .correlation_id
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| {
                EmulatorError::hub(ErrorCode::ArgumentNull, "The correlationId is missing.")
            })?;
        let is_success = notification.is_success.ok_or_else(|| {
            EmulatorError::hub(ErrorCode::ArgumentNull, "The isSuccess field is missing.")
        })?;
        self.transact(|tx, now: &Now| {
            let upload = tx
                .file_upload(correlation_id)?
                .filter(|u| u.device_id == device_id)
                .ok_or_else(|| {
                    invalid(format!(
                        "The correlationId does not name a file upload of device {device_id}."
                    ))
                })?;
            if upload.completion.is_none() {
                tx.complete_file_upload(
                    correlation_id,
                    &FileUploadCompletion {
                        completed: now.timestamp.clone(),
                        is_success,
                        status_code: notification.status_code,
                        status_description: notification.status_description.clone(),
                    },
                )?;
            }
            Ok(((), Effects::default()))
        })
    }

    /// Every file upload the hub handed out, oldest first, with what was written and notified.
    /// This is what a back end would learn from the hub's file-upload notifications.
    pub fn file_uploads(&self) -> Result<Vec<FileUpload>, EmulatorError> {
        // A closure, not the method path: the path does not satisfy the higher-ranked bound.
        #[allow(clippy::redundant_closure_for_method_calls)]
        self.read(|tx| tx.file_uploads())
    }

    /// Checks the SAS of a storage request for `blob_name`: a live upload of that blob whose
    /// secret matches, with the permission asked for (`'r'` or `'w'`).
    pub fn authorize_blob(
        &self,
        blob_name: &str,
        query: Option<&str>,
        permission: char,
    ) -> Result<FileUpload, StorageRefusal> {
        let sas = parse_sas(query);
        let Some(sig) = sas.sig else {
            return Err(StorageRefusal::new(
                404,
                "ResourceNotFound",
                "The specified resource does not exist (no SAS signature in the request).",
            ));
        };
        if sas.sr.as_deref() != Some("b") || !sas.sp.as_deref().unwrap_or("").contains(permission) {
            return Err(StorageRefusal::new(
                403,
                "AuthorizationPermissionMismatch",
                format!(
                    "This request is not authorized to perform this operation (the SAS must be a blob SAS granting '{permission}')."
                ),
            ));
        }
        let uploads = self.read(|tx| tx.file_uploads_for_blob(blob_name))?;
        // Compare with every candidate so the time taken does not tell which one is close.
        let mut found = None;
        for upload in uploads {
            if bool::from(upload.secret.as_bytes().ct_eq(sig.as_bytes())) {
                found = Some(upload);
            }
        }
        let upload = found.ok_or_else(|| {
            StorageRefusal::auth(
                "Server failed to authenticate the request: the signature does not match this blob.",
            )
        })?;
        if upload.expires_unix <= now_unix() {
            return Err(StorageRefusal::auth(
                "Server failed to authenticate the request: the SAS has expired; ask the hub for a new upload.",
            ));
        }
        Ok(upload)
    }

    fn blocks_dir(&self, correlation_id: &str) -> PathBuf {
        self.blobs_dir()
            .join(BLOCKS_DIR)
            .join(blocks_dir_name(correlation_id))
    }

    /// Drops staged blocks no live upload can commit any more (its SAS expired, it was
    /// notified, or it is unknown), so abandoned block uploads do not fill the disk. With
    /// `at_start`, also removes temporary files a crash left mid-request.
    pub fn sweep_storage(&self, at_start: bool) -> Result<(), EmulatorError> {
        let blocks = self.blobs_dir().join(BLOCKS_DIR);
        if let Ok(entries) = std::fs::read_dir(&blocks) {
            let now = now_unix();
            let live: std::collections::HashSet<String> = self
                .file_uploads()?
                .iter()
                .filter(|u| is_active(u, now))
                .map(|u| blocks_dir_name(&u.correlation_id))
                .collect();
            for entry in entries.flatten() {
                if !live.contains(entry.file_name().to_string_lossy().as_ref()) {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        if at_start {
            remove_temp_files(&self.blobs_dir(), 0);
        }
        Ok(())
    }

    /// Path of a staged block.
    fn block_path(&self, correlation_id: &str, block_id: &str) -> PathBuf {
        let hex: String = block_id.bytes().fold(String::new(), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        });
        self.blocks_dir(correlation_id).join(hex)
    }

    /// A fresh temporary file next to `target` (so the final rename stays on one file system).
    pub(crate) fn blob_temp_file(
        target: &Path,
    ) -> Result<(PathBuf, std::fs::File), StorageRefusal> {
        let dir = target
            .parent()
            .ok_or_else(|| StorageRefusal::internal("blob path has no parent"))?;
        std::fs::create_dir_all(dir).map_err(StorageRefusal::internal)?;
        let temp = dir.join(format!(".tmp-{}", uuid::Uuid::new_v4().simple()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(StorageRefusal::internal)?;
        Ok((temp, file))
    }

    /// Where a staged block is written, validating its id (base64, at most 64 bytes decoded).
    pub(crate) fn staged_block_path(
        &self,
        upload: &FileUpload,
        block_id: Option<&str>,
    ) -> Result<PathBuf, StorageRefusal> {
        let block_id = block_id.filter(|b| !b.is_empty()).ok_or_else(|| {
            StorageRefusal::new(
                400,
                "MissingRequiredQueryParameter",
                "The blockid query parameter is missing.",
            )
        })?;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(block_id)
            .map_err(|_| {
                StorageRefusal::new(
                    400,
                    "InvalidQueryParameterValue",
                    "The blockid is not valid base64.",
                )
            })?;
        if decoded.len() > 64 {
            return Err(StorageRefusal::new(
                400,
                "InvalidQueryParameterValue",
                "The blockid is longer than 64 bytes.",
            ));
        }
        let dir = self.blocks_dir(&upload.correlation_id);
        let staged = std::fs::read_dir(&dir).map_or(0, Iterator::count);
        if staged >= MAX_BLOCKS_PER_BLOB {
            return Err(StorageRefusal::new(
                409,
                "BlockCountExceedsLimit",
                format!("The blob already has {MAX_BLOCKS_PER_BLOB} uncommitted blocks."),
            ));
        }
        Ok(self.block_path(&upload.correlation_id, block_id))
    }

    /// Moves a finished temporary file into place as the committed blob and records its size.
    pub(crate) fn commit_blob(
        &self,
        upload: &FileUpload,
        temp: &Path,
        size: u64,
    ) -> Result<(), StorageRefusal> {
        let target = self.blob_path(&upload.blob_name);
        std::fs::rename(temp, &target).map_err(StorageRefusal::internal)?;
        if let Some(dir) = target.parent() {
            // Make the rename itself durable, as the store's commits are.
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        let stamp = Now::current().timestamp;
        let correlation = upload.correlation_id.clone();
        self.transact(|tx, _| {
            tx.set_file_upload_blob(&correlation, size, &stamp)?;
            Ok(((), Effects::default()))
        })?;
        Ok(())
    }

    /// Put Block List: concatenates the staged blocks named in `ids` into the blob, then drops
    /// every staged block of the upload. Returns the blob's size.
    pub(crate) fn commit_block_list(
        &self,
        upload: &FileUpload,
        ids: &[String],
    ) -> Result<u64, StorageRefusal> {
        let target = self.blob_path(&upload.blob_name);
        let (temp, mut out) = Self::blob_temp_file(&target)?;
        let result = (|| {
            let mut size = 0_u64;
            for id in ids {
                let path = self.block_path(&upload.correlation_id, id);
                let mut block = std::fs::File::open(&path).map_err(|_| {
                    StorageRefusal::new(
                        400,
                        "InvalidBlockList",
                        "The block list names a block that was not staged.",
                    )
                })?;
                size += std::io::copy(&mut block, &mut out).map_err(StorageRefusal::internal)?;
                if size > self.config().max_blob_bytes {
                    return Err(too_large(self.config().max_blob_bytes));
                }
            }
            out.flush().map_err(StorageRefusal::internal)?;
            out.sync_all().map_err(StorageRefusal::internal)?;
            Ok(size)
        })();
        drop(out);
        match result {
            Ok(size) => {
                self.commit_blob(upload, &temp, size)?;
                let _ = std::fs::remove_dir_all(self.blocks_dir(&upload.correlation_id));
                Ok(size)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                Err(e)
            }
        }
    }
}

/// A correlation id (base64) as a directory name.
fn blocks_dir_name(correlation_id: &str) -> String {
    correlation_id.replace('/', "_").replace('+', "-")
}

/// Removes `.tmp-*` files under `dir` (bounded depth: blob names have at most 1024 bytes, so
/// few levels).
fn remove_temp_files(dir: &Path, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth < 512 {
            remove_temp_files(&path, depth + 1);
        } else if kind.is_file() && entry.file_name().to_string_lossy().starts_with(".tmp-") {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// 413 for a blob over the configured cap.
pub(crate) fn too_large(limit: u64) -> StorageRefusal {
    StorageRefusal::new(
        413,
        "RequestBodyTooLarge",
        format!("The request body is too large: this hub stores blobs of at most {limit} bytes."),
    )
}

/// The block ids of a Put Block List body, in order. `Committed`, `Uncommitted` and `Latest`
/// all name staged blocks here (a committed blob is never appended to by the upload flow).
pub fn parse_block_list(body: &[u8]) -> Result<Vec<String>, StorageRefusal> {
    use quick_xml::events::Event;
    let bad = |why: &str| {
        StorageRefusal::new(
            400,
            "InvalidXmlDocument",
            format!("The block list is not valid: {why}."),
        )
    };
    let invalid = |why: &str| {
        StorageRefusal::new(
            400,
            "InvalidBlockList",
            format!("The specified block list is invalid: {why}."),
        )
    };
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut ids = Vec::new();
    let mut inside: Option<String> = None;
    let mut named = false;
    let mut saw_root = false;
    loop {
        match reader.read_event() {
            // Block ids are base64: an entity or character reference is never part of one, and
            // skipping it would commit a list missing that block.
            Ok(Event::GeneralRef(_)) => {
                return Err(invalid("it holds an entity or character reference"));
            }
            Ok(Event::DocType(_)) => return Err(invalid("it holds a document type declaration")),
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match name.as_str() {
                    "BlockList" => saw_root = true,
                    "Latest" | "Committed" | "Uncommitted" if saw_root => {
                        inside = Some(name);
                        named = false;
                    }
                    other => return Err(bad(&format!("unexpected element <{other}>"))),
                }
            }
            Ok(Event::Text(t)) => {
                if inside.is_some() {
                    if named {
                        return Err(invalid("an element holds more than one block id"));
                    }
                    let text = t.decode().map_err(|_| bad("a block id is not UTF-8"))?;
                    ids.push(text.trim().to_string());
                    named = true;
                }
            }
            Ok(Event::End(_)) => {
                if let Some(element) = inside.take()
                    && !named
                {
                    return Err(invalid(&format!("a <{element}> element names no block")));
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(bad(&e.to_string())),
        }
        if ids.len() > MAX_BLOCKS_PER_BLOB {
            return Err(bad("too many blocks"));
        }
    }
    if !saw_root {
        return Err(bad("there is no <BlockList> element"));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_names_that_could_escape_or_break_the_store_are_refused() {
        for good in ["a.txt", "logs/2025/x.tar.gz", "name with spaces #1", "ü/ñ"] {
            validate_blob_name(good).unwrap_or_else(|e| panic!("{good}: {e}"));
        }
        let long = "x".repeat(MAX_BLOB_NAME_BYTES + 1);
        let long_segment = "y".repeat(MAX_SEGMENT_BYTES + 1);
        for bad in [
            "",
            "../etc/passwd",
            "a/../../b",
            "/abs",
            "a//b",
            "a/./b",
            "trailing/",
            "back\\slash",
            "nul\0byte",
            "line\nbreak",
            long.as_str(),
            long_segment.as_str(),
        ] {
            assert!(validate_blob_name(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn container_names_follow_azure_rules_and_spare_the_rest_routes() {
        assert!(validate_container_name("fileupload").is_ok());
        assert!(validate_container_name("dm-logs-2").is_ok());
        for bad in [
            "ab", "Upper", "a--b", "-a", "a-", "a_b", "devices", "twins", "jobs",
        ] {
            assert!(validate_container_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sas_query_values_are_decoded() {
        let sas = parse_sas(Some(
            "sv=2021-08-06&sr=b&sig=ab%2Bc%2Fd%3D&se=2030-01-01T00%3A00%3A00Z&sp=rw",
        ));
        assert_eq!(sas.sig.as_deref(), Some("ab+c/d="));
        assert_eq!(sas.sp.as_deref(), Some("rw"));
        assert_eq!(sas.sr.as_deref(), Some("b"));
        assert_eq!(
            query_param(Some("comp=block&blockid=QUFB"), "blockid").as_deref(),
            Some("QUFB")
        );
    }

    #[test]
    fn block_lists_parse_in_order_and_reject_garbage() {
        let body = br#"<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>QUFB</Latest><Uncommitted>QkJC</Uncommitted><Committed>Q0ND</Committed></BlockList>"#;
        assert_eq!(parse_block_list(body).unwrap(), ["QUFB", "QkJC", "Q0ND"]);
        assert!(parse_block_list(b"<Other/>").is_err());
        assert!(parse_block_list(b"not xml <<<").is_err());
        assert!(parse_block_list(b"").is_err());
        for entity in [
            "<BlockList><Latest>&amp;</Latest></BlockList>",
            "<BlockList><Latest>QUFB&#65;</Latest></BlockList>",
            "<BlockList><Latest>&x;</Latest></BlockList>",
            "<!DOCTYPE x [<!ENTITY x \"QUFB\">]><BlockList><Latest>&x;</Latest></BlockList>",
            "<BlockList><Latest></Latest></BlockList>",
        ] {
            let refused = parse_block_list(entity.as_bytes()).unwrap_err();
            assert_eq!(refused.code, "InvalidBlockList", "{entity}");
        }
    }

    #[test]
    fn storage_info_debug_hides_the_sas() {
        let info = StorageInfo {
            correlation_id: "c".into(),
            host_name: "localhost".into(),
            container_name: "fileupload".into(),
            blob_name: "d/x".into(),
            sas_token: "?sig=SECRET".into(),
        };
        assert!(!format!("{info:?}").contains("SECRET"));
    }
}
