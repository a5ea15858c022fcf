//! Jobs endpoints: v2 (scheduled method and twin jobs: create, get, cancel, query) and v1
//! (import/export: create, get, list, cancel).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use iothub_model::JobRequest;
use iothub_model::query::CONTINUATION_HEADER;

use super::registry::{page_response, page_size};
use super::response::{header_text, json, parse_body, path_ids};
use super::{AppState, blocking};
use crate::error::EmulatorError;
use crate::{bulkio, jobs};

/// `PUT /jobs/v2/{id}`
pub(crate) async fn create(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let request: JobRequest = parse_body(body)?;
    let job = blocking(&state.hub, move |hub| jobs::create(hub, &id, request)).await?;
    Ok(json(StatusCode::OK, &job, None))
}

/// `GET /jobs/v2/{id}`, and `GET /jobs/v2/query?jobType=&jobStatus=`: both shapes share one
/// route, and `query` is answered as the jobs query as the service does.
pub(crate) async fn get_or_query(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    if id == "query" {
        let size = page_size(&headers, state.hub.config().page_size_default)?;
        let continuation = header_text(&headers, CONTINUATION_HEADER)
            .filter(|t| !t.trim().is_empty())
            .map(str::to_string);
        let job_type = params.get("jobType").cloned();
        let job_status = params.get("jobStatus").cloned();
        let page = blocking(&state.hub, move |hub| {
            let rows = jobs::query(hub, job_type.as_deref(), job_status.as_deref())?;
            let key = format!(
                "jobs?type={}&status={}",
                job_type.unwrap_or_default(),
                job_status.unwrap_or_default()
            );
            crate::hub::page(&key, rows, continuation.as_deref(), size, "jobResponse")
        })
        .await?;
        return Ok(page_response(&page));
    }
    let job = blocking(&state.hub, move |hub| jobs::get(hub, &id)).await?;
    Ok(json(StatusCode::OK, &job, None))
}

/// `POST /jobs/v2/{id}/cancel`
pub(crate) async fn cancel(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let job = blocking(&state.hub, move |hub| jobs::cancel(hub, &id)).await?;
    Ok(json(StatusCode::OK, &job, None))
}

/// `POST /jobs/create`: an import or export job (jobs v1), run in the background.
pub(crate) async fn create_v1(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, EmulatorError> {
    let body: serde_json::Value = parse_body(body)?;
    let job = blocking(&state.hub, move |hub| bulkio::create(hub, &body)).await?;
    tokio::spawn(bulkio::run(
        std::sync::Arc::clone(&state.hub),
        job.job_id.clone(),
    ));
    Ok(json(StatusCode::OK, &job, None))
}

/// `GET /jobs`: the v1 (import/export) jobs, which `az iot hub job list` reads alongside the
/// v2 query: a JSON array, unpaged, as the service answers.
pub(crate) async fn list_v1(State(state): State<AppState>) -> Result<Response, EmulatorError> {
    let jobs = blocking(&state.hub, bulkio::list).await?;
    Ok(json(StatusCode::OK, &jobs, None))
}

/// `GET /jobs/{id}`: one v1 job with its status and progress.
pub(crate) async fn get_v1(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let job = blocking(&state.hub, move |hub| bulkio::get(hub, &id)).await?;
    Ok(json(StatusCode::OK, &job, None))
}

/// `DELETE /jobs/{id}`: cancels a v1 job; answers the job as it now stands.
pub(crate) async fn cancel_v1(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let job = blocking(&state.hub, move |hub| bulkio::cancel(hub, &id)).await?;
    Ok(json(StatusCode::OK, &job, None))
}
