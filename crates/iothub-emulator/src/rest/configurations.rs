//! Automatic device management endpoints: `/configurations`, `testQueries` and
//! `applyConfigurationContent` (protocol reference §H.1).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use iothub_model::{Configuration, ConfigurationContent, ConfigurationQueriesTestInput, ErrorCode};

use super::response::{if_match, json, parse_body, path_ids};
use super::{AppState, blocking};
use crate::configurations;
use crate::error::EmulatorError;

type Body = Result<Bytes, BytesRejection>;

fn response(configuration: &Configuration) -> Response {
    json(StatusCode::OK, configuration, configuration.etag.as_deref())
}

/// `GET /configurations?top=N`
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, EmulatorError> {
    let top = match params.get("top") {
        None => None,
        Some(text) => Some(text.trim().parse::<usize>().map_err(|_| {
            EmulatorError::hub(
                ErrorCode::ArgumentInvalid,
                format!("top '{text}' is not a non-negative integer"),
            )
        })?),
    };
    let list = blocking(&state.hub, move |hub| configurations::list(hub, top)).await?;
    Ok(json(StatusCode::OK, &list, None))
}

/// `GET /configurations/{id}`
pub(crate) async fn get(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let c = blocking(&state.hub, move |hub| configurations::get(hub, &id)).await?;
    Ok(response(&c))
}

/// `PUT /configurations/{id}`: create without `If-Match`, update with it. Answers 200 either
/// way (the .NET SDK accepts only 200).
pub(crate) async fn put(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let body: Configuration = parse_body(body)?;
    let precondition = if_match(&headers);
    let written = blocking(&state.hub, move |hub| {
        configurations::put(hub, &id, &body, precondition.as_ref())
    })
    .await?;
    Ok(response(&written.configuration))
}

/// `DELETE /configurations/{id}`
pub(crate) async fn delete(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let precondition = if_match(&headers);
    blocking(&state.hub, move |hub| {
        configurations::delete(hub, &id, precondition.as_ref())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /configurations/testQueries`
pub(crate) async fn test_queries(body: Body) -> Result<Response, EmulatorError> {
    let input: ConfigurationQueriesTestInput = parse_body(body)?;
    Ok(json(
        StatusCode::OK,
        &configurations::test_queries(&input),
        None,
    ))
}

/// `POST /devices/{id}/applyConfigurationContent`: 204, as the Python SDK requires.
pub(crate) async fn apply_content(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let content: ConfigurationContent = parse_body(body)?;
    blocking(&state.hub, move |hub| {
        configurations::apply_content(hub, &id, &content)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
