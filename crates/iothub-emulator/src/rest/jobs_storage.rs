//! The storage account's containers for import/export jobs: Put Blob and Get Blob under
//! `/storage/{container}/{blob}`, authorized by a container SAS (see `crate::bulkio`).

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;

use super::AppState;
use super::files::{
    blob_version_headers, created, internal, off_runtime, receive, serve_blob_file,
};
use crate::files::{StorageRefusal, validate_blob_name, validate_container_name};

/// The container and blob of a storage request, decoded and checked.
fn names(
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<(String, String), StorageRefusal> {
    let (container, blob) = path.map(|p| p.0).map_err(|_| {
        StorageRefusal::new(400, "InvalidUri", "The blob path could not be decoded.")
    })?;
    validate_container_name(&container)
        .map_err(|m| StorageRefusal::new(400, "InvalidResourceName", m))?;
    validate_blob_name(&blob)
        .map_err(|e| StorageRefusal::new(400, "InvalidResourceName", e.to_string()))?;
    Ok((container, blob))
}

async fn authorize(
    state: &AppState,
    container: &str,
    uri: &Uri,
    permission: char,
) -> Result<(), StorageRefusal> {
    let hub = std::sync::Arc::clone(&state.hub);
    let container = container.to_string();
    let query = uri.query().map(str::to_string);
    off_runtime(move || hub.authorize_container(&container, query.as_deref(), permission)).await
}

/// `PUT /storage/{container}/{blob}`: Put Blob (a whole block blob), with a SAS granting `w`
/// (or `c`).
pub(crate) async fn put_blob(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, StorageRefusal> {
    let (container, blob) = names(path)?;
    let permission = if crate::files::query_param(uri.query(), "sp")
        .is_some_and(|sp| sp.contains('c') && !sp.contains('w'))
    {
        'c'
    } else {
        'w'
    };
    authorize(&state, &container, &uri, permission).await?;
    if crate::files::query_param(uri.query(), "comp").is_some() {
        return Err(StorageRefusal::new(
            400,
            "UnsupportedQueryParameter",
            "The hub's job containers take whole blobs (Put Blob); block uploads are served in the file-upload container only.",
        ));
    }
    match headers.get("x-ms-blob-type").and_then(|v| v.to_str().ok()) {
        Some("BlockBlob") => {}
        Some(other) => {
            return Err(StorageRefusal::new(
                400,
                "InvalidHeaderValue",
                format!("x-ms-blob-type `{other}` is not supported here: use BlockBlob."),
            ));
        }
        None => {
            return Err(StorageRefusal::new(
                400,
                "MissingRequiredHeader",
                "An HTTP header that's mandatory for this request is not specified: x-ms-blob-type.",
            ));
        }
    }
    let target = state.hub.container_blob_path(&container, &blob);
    let limit = state.hub.config().max_blob_bytes;
    let (temp, _) = receive(target.clone(), &headers, body, limit).await?;
    let committed = target.clone();
    off_runtime(move || {
        std::fs::rename(&temp, &committed).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            internal(e)
        })?;
        if let Some(dir) = committed.parent()
            && let Ok(d) = std::fs::File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(())
    })
    .await?;
    let meta = std::fs::metadata(&target).ok();
    Ok(created(|h| {
        if let Some(meta) = &meta {
            blob_version_headers(h, meta);
        }
    }))
}

/// `GET`/`HEAD /storage/{container}/{blob}`: Get Blob, with a SAS granting `r`.
pub(crate) async fn get_blob(
    State(state): State<AppState>,
    method: Method,
    path: Result<Path<(String, String)>, PathRejection>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, StorageRefusal> {
    let (container, blob) = names(path)?;
    authorize(&state, &container, &uri, 'r').await?;
    serve_blob_file(
        &method,
        &state.hub.container_blob_path(&container, &blob),
        &headers,
    )
    .await
}
