//! File upload over HTTPS: the hub's two device endpoints and the storage endpoint the SAS URIs
//! point at (see [`crate::files`] for why the emulator plays the storage account too).
//!
//! The device endpoints answer like the rest of the hub (JSON envelopes). The storage endpoint
//! answers like Azure Blob Storage (XML errors, `x-ms-*` headers), because the storage SDKs a
//! device uses (azure-storage-blob in Python, @azure/storage-blob in Node) are what parse it.

use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt as _;
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _};

use super::response::{json, parse_body, path_ids};
use super::{AppState, blocking};
use crate::auth::{self, Permission};
use crate::error::EmulatorError;
use crate::files::{
    FileUploadNotification, FileUploadRequest, STORAGE_VERSION, StorageRefusal, parse_block_list,
    query_param, too_large, validate_blob_name,
};
use crate::store::FileUpload;

type JsonBody = Result<Bytes, BytesRejection>;

/// `POST /devices/{id}/files` (the device was authenticated by the guard).
pub(crate) async fn create_upload(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: JsonBody,
) -> Result<Response, EmulatorError> {
    let device_id = path_ids(path)?;
    let request: FileUploadRequest = parse_body(body)?;
    let info = blocking(&state.hub, move |hub| {
        hub.create_file_upload(&device_id, &request)
    })
    .await?;
    Ok(json(StatusCode::OK, &info, None))
}

/// `POST /devices/{id}/files/notifications`.
pub(crate) async fn notify_upload(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: JsonBody,
) -> Result<Response, EmulatorError> {
    let device_id = path_ids(path)?;
    let notification: FileUploadNotification = parse_body(body)?;
    blocking(&state.hub, move |hub| {
        hub.complete_file_upload(&device_id, &notification)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /devices/{id}/files/notifications/{correlationId}`: the same notification with the
/// correlation id in the path, which is how the Node device SDK (`azure-iot-device` 1.x)
/// sends it; its body carries only `isSuccess`, `statusCode` and `statusDescription`. The
/// id in the path names the upload; one in the body too must agree with it.
pub(crate) async fn notify_upload_for(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    body: JsonBody,
) -> Result<Response, EmulatorError> {
    let (device_id, correlation_id) = path_ids(path)?;
    let mut notification: FileUploadNotification = parse_body(body)?;
    if notification
        .correlation_id
        .as_deref()
        .is_some_and(|c| c != correlation_id)
    {
        return Err(EmulatorError::hub(
            iothub_model::ErrorCode::ArgumentInvalid,
            "The correlationId in the body differs from the one in the path.",
        ));
    }
    notification.correlation_id = Some(correlation_id);
    blocking(&state.hub, move |hub| {
        hub.complete_file_upload(&device_id, &notification)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

impl IntoResponse for StorageRefusal {
    fn into_response(self) -> Response {
        let request_id = uuid::Uuid::new_v4();
        let time = jiff::Timestamp::now();
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{}</Code><Message>{}\nRequestId:{request_id}\nTime:{time}</Message></Error>",
            self.code,
            quick_xml::escape::escape(self.message.as_str()),
        );
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/xml"),
        );
        headers.insert(
            HeaderName::from_static("x-ms-error-code"),
            HeaderValue::from_static(self.code),
        );
        storage_headers(headers);
        response
    }
}

/// A 500 in storage's shape, for failures of the emulator itself.
pub(crate) fn internal(e: impl std::fmt::Display) -> StorageRefusal {
    StorageRefusal::new(500, "InternalError", e.to_string())
}

/// Runs blocking store or file work off the async runtime.
pub(crate) async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StorageRefusal> + Send + 'static,
) -> Result<T, StorageRefusal> {
    tokio::task::spawn_blocking(work).await.map_err(internal)?
}

/// Headers every storage answer carries.
pub(crate) fn storage_headers(headers: &mut HeaderMap) {
    if let Ok(v) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert(HeaderName::from_static("x-ms-request-id"), v);
    }
    headers.insert(
        HeaderName::from_static("x-ms-version"),
        HeaderValue::from_static(STORAGE_VERSION),
    );
    if let Ok(v) = HeaderValue::from_str(&http_date(jiff::Timestamp::now())) {
        headers.insert(header::DATE, v);
    }
}

fn http_date(t: jiff::Timestamp) -> String {
    t.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The `ETag` and `Last-Modified` of a stored blob, from its file's modification time.
pub(crate) fn blob_version_headers(headers: &mut HeaderMap, meta: &std::fs::Metadata) {
    let modified = meta
        .modified()
        .ok()
        .and_then(|m| jiff::Timestamp::try_from(m).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    if let Ok(v) = HeaderValue::from_str(&format!(
        "\"0x{:X}{:X}\"",
        modified.as_nanosecond(),
        meta.len()
    )) {
        headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&http_date(modified)) {
        headers.insert(header::LAST_MODIFIED, v);
    }
}

pub(crate) fn created(extra: impl FnOnce(&mut HeaderMap)) -> Response {
    let mut response = StatusCode::CREATED.into_response();
    let headers = response.headers_mut();
    storage_headers(headers);
    headers.insert(
        HeaderName::from_static("x-ms-request-server-encrypted"),
        HeaderValue::from_static("true"),
    );
    extra(headers);
    response
}

/// The blob name of a storage request, decoded and checked.
fn blob_name(path: Result<Path<String>, PathRejection>) -> Result<String, StorageRefusal> {
    let name = path.map(|p| p.0).map_err(|_| {
        StorageRefusal::new(400, "InvalidUri", "The blob path could not be decoded.")
    })?;
    validate_blob_name(&name).map_err(|e| {
        let message = match e {
            EmulatorError::Hub { message, .. } => message,
            other => other.to_string(),
        };
        StorageRefusal::new(400, "InvalidResourceName", message)
    })?;
    Ok(name)
}

/// Writes a request body into a new temporary file next to `target`, at most `limit` bytes.
/// Returns the file's path and size; on any failure the file is gone.
pub(crate) async fn receive(
    target: std::path::PathBuf,
    headers: &HeaderMap,
    body: Body,
    limit: u64,
) -> Result<(std::path::PathBuf, u64), StorageRefusal> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(too_large(limit));
    }
    let (temp, file) = off_runtime(move || crate::hub::Hub::blob_temp_file(&target)).await?;
    let mut file = tokio::fs::File::from_std(file);
    let written = async {
        let mut size = 0_u64;
        let mut stream = body.into_data_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| {
                StorageRefusal::new(
                    400,
                    "InvalidInput",
                    format!("The request body could not be read: {e}"),
                )
            })?;
            size += chunk.len() as u64;
            if size > limit {
                return Err(too_large(limit));
            }
            file.write_all(&chunk).await.map_err(internal)?;
        }
        file.sync_all().await.map_err(internal)?;
        if declared.is_some_and(|len| len != size) {
            return Err(StorageRefusal::new(
                400,
                "InvalidInput",
                "The body is shorter than its Content-Length.",
            ));
        }
        Ok(size)
    }
    .await;
    drop(file);
    match written {
        Ok(size) => Ok((temp, size)),
        Err(e) => {
            let _ = tokio::fs::remove_file(&temp).await;
            Err(e)
        }
    }
}

async fn authorize(
    state: &AppState,
    name: &str,
    query: Option<&str>,
    permission: char,
) -> Result<FileUpload, StorageRefusal> {
    let hub = std::sync::Arc::clone(&state.hub);
    let name = name.to_string();
    let query = query.map(str::to_string);
    off_runtime(move || hub.authorize_blob(&name, query.as_deref(), permission)).await
}

/// `PUT /{container}/{blob}`: Put Blob, Put Block (`comp=block`) or Put Block List
/// (`comp=blocklist`), authorized by the upload's SAS.
pub(crate) async fn put_blob(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, StorageRefusal> {
    let name = blob_name(path)?;
    let query = uri.query();
    let upload = authorize(&state, &name, query, 'w').await?;
    let limit = state.hub.config().max_blob_bytes;
    match query_param(query, "comp").as_deref() {
        None => {
            let kind = headers
                .get("x-ms-blob-type")
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| {
                    StorageRefusal::new(
                        400,
                        "MissingRequiredHeader",
                        "An HTTP header that's mandatory for this request is not specified: x-ms-blob-type.",
                    )
                })?;
            if kind != "BlockBlob" {
                return Err(StorageRefusal::new(
                    400,
                    "InvalidHeaderValue",
                    format!(
                        "x-ms-blob-type `{kind}` is not supported here: file uploads are block blobs."
                    ),
                ));
            }
            let target = state.hub.blob_path(&upload.blob_name);
            let (temp, size) = receive(target, &headers, body, limit).await?;
            let hub = std::sync::Arc::clone(&state.hub);
            let committed = upload.clone();
            off_runtime(move || {
                let result = hub.commit_blob(&committed, &temp, size);
                if result.is_err() {
                    let _ = std::fs::remove_file(&temp);
                }
                result
            })
            .await?;
            tracing::debug!(blob = %crate::logsafe::Escaped(&upload.blob_name), size, "blob stored");
            Ok(committed_response(&state, &upload.blob_name))
        }
        Some("block") => {
            let block_id = query_param(query, "blockid");
            let hub = std::sync::Arc::clone(&state.hub);
            let staged_for = upload.clone();
            let target =
                off_runtime(move || hub.staged_block_path(&staged_for, block_id.as_deref()))
                    .await?;
            let (temp, _) = receive(target.clone(), &headers, body, limit).await?;
            tokio::fs::rename(&temp, &target).await.map_err(internal)?;
            Ok(created(|_| {}))
        }
        Some("blocklist") => {
            let bytes = axum::body::to_bytes(body, 4 * 1024 * 1024)
                .await
                .map_err(|_| {
                    StorageRefusal::new(413, "RequestBodyTooLarge", "The block list is too large.")
                })?;
            let ids = parse_block_list(&bytes)?;
            let hub = std::sync::Arc::clone(&state.hub);
            let committed = upload.clone();
            let size = off_runtime(move || hub.commit_block_list(&committed, &ids)).await?;
            tracing::debug!(blob = %crate::logsafe::Escaped(&upload.blob_name), size, "block list committed");
            Ok(committed_response(&state, &upload.blob_name))
        }
        Some(other) => Err(StorageRefusal::new(
            400,
            "UnsupportedQueryParameter",
            format!(
                "comp={other} is not supported by the emulator's storage (file uploads use Put Blob or Put Block + Put Block List)."
            ),
        )),
    }
}

fn committed_response(state: &AppState, blob: &str) -> Response {
    let meta = std::fs::metadata(state.hub.blob_path(blob)).ok();
    created(|headers| {
        if let Some(meta) = &meta {
            blob_version_headers(headers, meta);
        }
    })
}

/// `GET`/`HEAD /{container}/{blob}`: reads a blob back, with the upload's SAS (`sp` has `r`)
/// or — an emulator extension for operators, since a real back end reads the storage account
/// with its own credentials — a service token of a policy granting `ServiceConnect`.
pub(crate) async fn get_blob(
    State(state): State<AppState>,
    method: Method,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, StorageRefusal> {
    let name = blob_name(path)?;
    if let Some(authorization) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .filter(|_| query_param(uri.query(), "sig").is_none())
    {
        auth::authorize_service(
            state.hub.policies(),
            Some(authorization),
            "",
            Permission::ServiceConnect,
            state.hub.audiences(),
            state.hub.clock(),
        )
        .map_err(|e| StorageRefusal::new(403, "AuthenticationFailed", e.to_string()))?;
    } else {
        authorize(&state, &name, uri.query(), 'r').await?;
    }
    serve_blob_file(&method, &state.hub.blob_path(&name), &headers).await
}

/// Answers Get Blob (or, for `HEAD`, Get Blob Properties) from the file at `path`, honouring a
/// requested range: shared by the upload container and the containers of import/export jobs.
pub(crate) async fn serve_blob_file(
    method: &Method,
    path: &std::path::Path,
    headers: &HeaderMap,
) -> Result<Response, StorageRefusal> {
    let mut file = tokio::fs::File::open(path).await.map_err(|_| {
        StorageRefusal::new(404, "BlobNotFound", "The specified blob does not exist.")
    })?;
    let meta = file.metadata().await.map_err(internal)?;
    let len = meta.len();
    // HEAD is Get Blob Properties, which has no range.
    let range = if method == Method::HEAD {
        None
    } else {
        requested_range(headers, len)?
    };
    let (status, body, content_length) = match range {
        None if method == Method::HEAD => (StatusCode::OK, Body::empty(), len),
        None => (
            StatusCode::OK,
            Body::from_stream(tokio_util::io::ReaderStream::new(file)),
            len,
        ),
        Some((start, end)) => {
            file.seek(std::io::SeekFrom::Start(start))
                .await
                .map_err(internal)?;
            let count = end - start + 1;
            let body = Body::from_stream(tokio_util::io::ReaderStream::new(file.take(count)));
            (StatusCode::PARTIAL_CONTENT, body, count)
        }
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    storage_headers(headers);
    blob_version_headers(headers, &meta);
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(content_length));
    if let Some((start, end)) = range
        && let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}"))
    {
        headers.insert(header::CONTENT_RANGE, v);
    }
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(
        HeaderName::from_static("x-ms-blob-type"),
        HeaderValue::from_static("BlockBlob"),
    );
    Ok(response)
}

/// The byte range a Get Blob asks for, clamped to the blob's `len`, as inclusive offsets.
///
/// Storage SDKs read blobs in ranges even when they want all of it (azure-storage-blob asks for
/// `bytes=0-33554431` first and needs the `Content-Range` answer to learn the size), so a hub
/// that ignored ranges would break every read-back. `x-ms-range` wins over `Range`, as in Azure
/// Storage; a range starting at or past the end is 416 `InvalidRange`, as there.
fn requested_range(headers: &HeaderMap, len: u64) -> Result<Option<(u64, u64)>, StorageRefusal> {
    let Some((header_name, value)) = ["x-ms-range", "range"]
        .into_iter()
        .find_map(|n| headers.get(n).map(|v| (n, v)))
    else {
        return Ok(None);
    };
    let malformed = || {
        StorageRefusal::new(
            400,
            "InvalidHeaderValue",
            format!(
                "The value for one of the HTTP headers is not in the correct format: {header_name} must be `bytes=START-` or `bytes=START-END`."
            ),
        )
    };
    let spec = value
        .to_str()
        .ok()
        .and_then(|v| v.trim().strip_prefix("bytes="))
        .ok_or_else(malformed)?;
    let (start, end) = spec.split_once('-').ok_or_else(malformed)?;
    let start: u64 = start.trim().parse().map_err(|_| malformed())?;
    let end: Option<u64> = match end.trim() {
        "" => None,
        e => Some(e.parse().map_err(|_| malformed())?),
    };
    if end.is_some_and(|e| e < start) {
        return Err(malformed());
    }
    if start >= len {
        return Err(StorageRefusal::new(
            416,
            "InvalidRange",
            format!(
                "The range specified is invalid for the current size of the resource ({len} bytes)."
            ),
        ));
    }
    let last = len - 1;
    Ok(Some((start, end.map_or(last, |e| e.min(last)))))
}
