//! Identity registry endpoints: devices, modules, bulk operations, statistics, and the query
//! endpoint that shares the `/devices` path.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use iothub_model::query::{CONTINUATION_HEADER, ITEM_TYPE_HEADER, MAX_ITEM_COUNT_HEADER};
use iothub_model::{
    Device, ErrorCode, ExportImportDevice, Module, QuerySpecification, ServiceStatistics,
};

use super::response::{header_text, if_match, json, parse_body, path_ids, set_header};
use super::{AppState, blocking};
use crate::error::EmulatorError;
use crate::hub::{Hub, MAX_PAGE_SIZE};
use crate::registry;

type Body = Result<Bytes, BytesRejection>;

fn identity_response(record: &crate::store::IdentityRecord, status: StatusCode) -> Response {
    let (doc, etag) = registry::identity_wire(record);
    json(status, &doc, Some(&etag))
}

/// `GET /devices?top=n`
pub(crate) async fn list_devices(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, EmulatorError> {
    let top = params.get("top").and_then(|t| t.trim().parse().ok());
    let devices = blocking(&state.hub, move |hub| {
        hub.read(|tx| registry::list_devices(tx, top))
    })
    .await?;
    Ok(json(StatusCode::OK, &devices, None))
}

/// `POST /devices`: bulk create, update and delete.
pub(crate) async fn bulk(
    State(state): State<AppState>,
    body: Body,
) -> Result<Response, EmulatorError> {
    let entries: Vec<ExportImportDevice> = parse_body(body)?;
    let result = blocking(&state.hub, move |hub| {
        hub.transact(|tx, now| registry::bulk(tx, &entries, now))
    })
    .await?;
    if result.is_successful {
        Ok(json(StatusCode::OK, &result, None))
    } else {
        let mut response = json(StatusCode::BAD_REQUEST, &result, None);
        set_header(
            &mut response,
            "iothub-errorcode",
            ErrorCode::BulkRegistryOperationFailure.name(),
        );
        Ok(response)
    }
}

/// `GET /devices/{id}`
pub(crate) async fn get_device(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let record = blocking(&state.hub, move |hub| {
        hub.read(|tx| registry::load(tx, &crate::Identity::device(id)))
    })
    .await?;
    Ok(identity_response(&record, StatusCode::OK))
}

/// `PUT /devices/{id}`: create without `If-Match`, update with it.
pub(crate) async fn put_device(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let device: Device = parse_body(body)?;
    let precondition = if_match(&headers);
    let record = blocking(&state.hub, move |hub| {
        hub.transact(|tx, now| registry::put_device(tx, &id, &device, precondition.as_ref(), now))
    })
    .await?;
    Ok(identity_response(&record, StatusCode::OK))
}

/// `DELETE /devices/{id}`
pub(crate) async fn delete_device(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let precondition = if_match(&headers);
    blocking(&state.hub, move |hub| {
        hub.transact(|tx, _| Ok(((), registry::delete_device(tx, &id, precondition.as_ref())?)))
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /devices/{id}`: only `POST /devices/query` exists. Routed here because a device may be
/// named `query`, and `GET /devices/query` must still read that device.
pub(crate) async fn post_devices_collection(
    state: State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    if id != "query" {
        return Err(EmulatorError::hub(
            ErrorCode::InvalidOperation,
            format!("The hub has no operation POST /devices/{id}."),
        ));
    }
    query(state, headers, body).await
}

/// The page size a query asked for, within the hub's bounds.
pub(crate) fn page_size(headers: &HeaderMap, default: usize) -> Result<usize, EmulatorError> {
    match header_text(headers, MAX_ITEM_COUNT_HEADER) {
        None => Ok(default.clamp(1, MAX_PAGE_SIZE)),
        Some(text) => {
            let n: usize = text.trim().parse().map_err(|_| {
                EmulatorError::hub(
                    ErrorCode::ArgumentInvalid,
                    format!("{MAX_ITEM_COUNT_HEADER} must be a positive integer"),
                )
            })?;
            Ok(if n == 0 { default } else { n }.clamp(1, MAX_PAGE_SIZE))
        }
    }
}

/// Writes a page with the query headers: `x-ms-item-type` always, `x-ms-continuation` only
/// when more rows follow (Node loops forever on an empty one).
pub(crate) fn page_response(page: &crate::hub::QueryPage) -> Response {
    let mut response = json(StatusCode::OK, &page.items, None);
    set_header(&mut response, ITEM_TYPE_HEADER, page.item_type);
    if let Some(token) = &page.continuation {
        set_header(&mut response, CONTINUATION_HEADER, token);
    }
    response
}

/// `POST /devices/query`
async fn query(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EmulatorError> {
    let spec: QuerySpecification = parse_body(body)?;
    let size = page_size(&headers, state.hub.config().page_size_default)?;
    let continuation = header_text(&headers, CONTINUATION_HEADER)
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string);
    let page = blocking(&state.hub, move |hub| {
        hub.query(&spec.query, continuation.as_deref(), size)
    })
    .await?;
    Ok(page_response(&page))
}

/// `GET /devices/{id}/modules`
pub(crate) async fn list_modules(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, EmulatorError> {
    let id = path_ids(path)?;
    let modules = blocking(&state.hub, move |hub| {
        hub.read(|tx| {
            registry::load(tx, &crate::Identity::device(id.clone()))?;
            Ok(tx
                .modules_of(&id)?
                .iter()
                .map(|r| registry::identity_wire(r).0)
                .collect::<Vec<_>>())
        })
    })
    .await?;
    Ok(json(StatusCode::OK, &modules, None))
}

/// `GET /devices/{id}/modules/{mid}`
pub(crate) async fn get_module(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, EmulatorError> {
    let (id, mid) = path_ids(path)?;
    let record = blocking(&state.hub, move |hub| {
        hub.read(|tx| registry::load(tx, &crate::Identity::module(id, mid)))
    })
    .await?;
    Ok(identity_response(&record, StatusCode::OK))
}

/// `PUT /devices/{id}/modules/{mid}`: create without `If-Match`, update with it (200 both).
pub(crate) async fn put_module(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EmulatorError> {
    let (id, mid) = path_ids(path)?;
    let module: Module = parse_body(body)?;
    let precondition = if_match(&headers);
    let record = blocking(&state.hub, move |hub| {
        hub.transact(|tx, now| {
            let (record, _created, effects) =
                registry::put_module(tx, &id, &mid, &module, precondition.as_ref(), now)?;
            Ok((record, effects))
        })
    })
    .await?;
    Ok(identity_response(&record, StatusCode::OK))
}

/// `DELETE /devices/{id}/modules/{mid}`
pub(crate) async fn delete_module(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, EmulatorError> {
    let (id, mid) = path_ids(path)?;
    let precondition = if_match(&headers);
    blocking(&state.hub, move |hub| {
        hub.transact(|tx, _| {
            Ok((
                (),
                registry::delete_module(tx, &id, &mid, precondition.as_ref())?,
            ))
        })
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /statistics/devices`
pub(crate) async fn device_statistics(
    State(state): State<AppState>,
) -> Result<Response, EmulatorError> {
    let stats = blocking(&state.hub, |hub| hub.read(registry::statistics)).await?;
    Ok(json(StatusCode::OK, &stats, None))
}

/// `GET /statistics/service`
pub(crate) async fn service_statistics(
    State(state): State<AppState>,
) -> Result<Response, EmulatorError> {
    let count = blocking(&state.hub, Hub::connected_device_count).await?;
    Ok(json(
        StatusCode::OK,
        &ServiceStatistics {
            connected_device_count: count,
        },
        None,
    ))
}

/// The body of `POST /devices/keys/regenerate`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegenerateRequest {
    policy_key: String,
    #[serde(default)]
    devices: Vec<RegenerateItem>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegenerateItem {
    id: String,
    #[serde(default)]
    module_id: Option<String>,
}

/// `POST /devices/keys/regenerate`: bulk key regeneration (`az iot hub device-identity
/// renew-key`). 200 when every identity was renewed, 207 with `errors` when some were not.
pub(crate) async fn regenerate_keys(
    State(state): State<AppState>,
    body: Body,
) -> Result<Response, EmulatorError> {
    let request: RegenerateRequest = parse_body(body)?;
    let Some(which) = registry::RegenerateKey::parse(&request.policy_key) else {
        return Err(EmulatorError::hub(
            ErrorCode::ArgumentInvalid,
            "policyKey must be primaryKey, secondaryKey or both.",
        ));
    };
    if request.devices.is_empty() || request.devices.len() > iothub_model::bulk::MAX_BULK_DEVICES {
        return Err(EmulatorError::hub(
            ErrorCode::ArgumentInvalid,
            format!(
                "devices must name 1 to {} identities.",
                iothub_model::bulk::MAX_BULK_DEVICES
            ),
        ));
    }
    let items: Vec<crate::Identity> = request
        .devices
        .into_iter()
        .map(|d| match d.module_id.filter(|m| !m.is_empty()) {
            Some(m) => crate::Identity::module(d.id, m),
            None => crate::Identity::device(d.id),
        })
        .collect();
    let (rotated, errors) = blocking(&state.hub, move |hub| {
        hub.transact(|tx, _| registry::regenerate_keys(tx, which, &items))
    })
    .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::MULTI_STATUS
    };
    let body = serde_json::json!({
        "policyKey": request.policy_key,
        "rotatedKeys": rotated,
        "errors": errors,
    });
    Ok(json(status, &body, None))
}
