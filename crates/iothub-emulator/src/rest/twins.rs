//! Twin endpoints (get, patch, replace; devices and modules) and direct methods.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use iothub_model::CloudToDeviceMethod;
use serde_json::Value;

use super::response::{if_match, json, parse_body, path_ids};
use super::{AppState, blocking};
use crate::error::EmulatorError;
use crate::identity::Identity;
use crate::registry;
use crate::twins::{ServiceTwinWrite, etag};

type Body = Result<Bytes, BytesRejection>;

async fn read_twin(state: &AppState, identity: Identity) -> Result<Response, EmulatorError> {
    let (doc, tag) = blocking(&state.hub, move |hub| {
        hub.read(|tx| {
            let record = registry::load(tx, &identity)?;
            Ok((registry::twin_wire(&identity, &record)?, etag(&record.twin)))
        })
    })
    .await?;
    Ok(json(StatusCode::OK, &doc, Some(&tag)))
}

async fn write_twin(
    state: &AppState,
    identity: Identity,
    headers: &HeaderMap,
    body: Body,
    replace: bool,
) -> Result<Response, EmulatorError> {
    let body: Value = parse_body(body)?;
    let write = ServiceTwinWrite::from_body(&body)?;
    let precondition = if_match(headers);
    let (doc, tag) = blocking(&state.hub, move |hub| {
        hub.transact(|tx, now| {
            let (record, effects) =
                registry::write_twin(tx, &identity, &write, replace, precondition.as_ref(), now)?;
            let doc = registry::twin_wire(&identity, &record)?;
            Ok(((doc, etag(&record.twin)), effects))
        })
    })
    .await?;
    Ok(json(StatusCode::OK, &doc, Some(&tag)))
}

async fn invoke(
    state: &AppState,
    identity: Identity,
    body: Body,
) -> Result<Response, EmulatorError> {
    let method: CloudToDeviceMethod = parse_body(body)?;
    // Validate before looking the target up, so a bad call fails the same whether or not the
    // device exists.
    iothub_model::validate_method(&method)
        .map_err(|e| EmulatorError::hub(e.error_code(), e.to_string()))?;
    if !state.hub.method_target_is_live(&identity) {
        let target = identity.clone();
        blocking(&state.hub, move |hub| hub.check_method_target(&target)).await?;
    }
    let result = state.hub.invoke_method(&identity, &method).await?;
    Ok(json(StatusCode::OK, &result, None))
}

/// `GET /twins/{id}`
pub(crate) async fn get_twin(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, EmulatorError> {
    read_twin(&state, Identity::device(path_ids(path)?)).await
}

/// `PATCH /twins/{id}`
pub(crate) async fn patch_twin(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EmulatorError> {
    write_twin(
        &state,
        Identity::device(path_ids(path)?),
        &headers,
        body,
        false,
    )
    .await
}

/// `PUT /twins/{id}`
pub(crate) async fn replace_twin(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EmulatorError> {
    write_twin(
        &state,
        Identity::device(path_ids(path)?),
        &headers,
        body,
        true,
    )
    .await
}

/// `GET /twins/{id}/modules/{mid}`
pub(crate) async fn get_module_twin(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, EmulatorError> {
    let (id, mid) = path_ids(path)?;
    read_twin(&state, Identity::module(id, mid)).await
}

/// `PATCH /twins/{id}/modules/{mid}`
pub(crate) async fn patch_module_twin(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EmulatorError> {
    let (id, mid) = path_ids(path)?;
    write_twin(&state, Identity::module(id, mid), &headers, body, false).await
}

/// `PUT /twins/{id}/modules/{mid}`
pub(crate) async fn replace_module_twin(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EmulatorError> {
    let (id, mid) = path_ids(path)?;
    write_twin(&state, Identity::module(id, mid), &headers, body, true).await
}

/// `POST /twins/{id}/methods`
pub(crate) async fn invoke_device_method(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Response, EmulatorError> {
    invoke(&state, Identity::device(path_ids(path)?), body).await
}

/// `POST /twins/{id}/modules/{mid}/methods`
pub(crate) async fn invoke_module_method(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Body,
) -> Result<Response, EmulatorError> {
    let (id, mid) = path_ids(path)?;
    invoke(&state, Identity::module(id, mid), body).await
}
