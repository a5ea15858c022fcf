//! The service REST API over HTTPS, and the MQTT-over-WebSocket upgrade on the same port.
//!
//! The routes, status codes, headers and error bodies follow the data-plane swagger and the
//! protocol reference §B, because the official SDKs accept only the exact success codes and
//! parse the error envelopes. Every request passes one gate first (`guard`): optional latency,
//! `api-version`, the SAS check with the permission the route needs, optional throttling. The
//! handlers then run their store work off the async runtime (SQLite commits wait for `fsync`).

mod files;
mod jobs;
mod registry;
mod response;
mod twins;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use hyper_util::rt::{TokioIo, TokioTimer};
use iothub_model::ErrorCode;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::auth::{self, Permission};
use crate::error::EmulatorError;
use crate::hub::Hub;
use crate::throttle::{Category, Throttle};

pub use response::{MAX_BODY_BYTES, MAX_BULK_BODY_BYTES};

/// How long a client may take to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection may wait for its next request's headers. hyper counts idle keep-alive
/// time against it, so it is generous: SDK connection pools reuse connections after pauses, and
/// closing them early races with the client's next request.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(240);
/// How long open connections get to finish their requests once shutdown starts.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// What every handler can reach.
#[derive(Clone)]
pub(crate) struct AppState {
    /// The hub.
    pub(crate) hub: Arc<Hub>,
    /// Cancelled when the server stops; ends WebSocket sessions.
    pub(crate) shutdown: CancellationToken,
    /// The S1 throttles, when enabled.
    pub(crate) throttle: Option<Arc<Throttle>>,
    /// `/{upload container}/`: where the storage endpoint is served.
    pub(crate) blob_prefix: String,
}

/// Runs a store operation off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    hub: &Arc<Hub>,
    f: impl FnOnce(&Hub) -> Result<T, EmulatorError> + Send + 'static,
) -> Result<T, EmulatorError> {
    let hub = Arc::clone(hub);
    tokio::task::spawn_blocking(move || f(&hub))
        .await
        .map_err(|e| {
            EmulatorError::hub(ErrorCode::ServerError, format!("request task failed: {e}"))
        })?
}

/// The permission a request needs, by method and path (§A.3).
fn permission_for(method: &Method, path: &str) -> Permission {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match first {
        "devices" if path == "/devices/query" && method == Method::POST => {
            Permission::ServiceConnect
        }
        "devices" if method == Method::GET => Permission::RegistryRead,
        "devices" => Permission::RegistryWrite,
        "statistics" if path == "/statistics/devices" => Permission::RegistryRead,
        _ => Permission::ServiceConnect,
    }
}

/// The throttle a request counts against (§G), by method and path.
fn category_for(method: &Method, path: &str) -> Category {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match first {
        "devices" if path == "/devices/query" && method == Method::POST => Category::Query,
        "twins" if path.ends_with("/methods") => Category::Methods,
        "twins" if method == Method::GET => Category::TwinRead,
        "twins" => Category::TwinUpdate,
        "jobs" => Category::Jobs,
        _ => Category::Registry,
    }
}

/// The device of a device-facing request (`POST /devices/{id}/files`,
/// `/files/notifications` or `/files/notifications/{correlationId}`), which is authenticated
/// with the device's credentials instead of a service policy.
fn device_facing(method: &Method, path: &str) -> Option<String> {
    if *method != Method::POST {
        return None;
    }
    let mut segments = path.trim_start_matches('/').split('/');
    let (Some("devices"), Some(id), Some("files")) =
        (segments.next(), segments.next(), segments.next())
    else {
        return None;
    };
    let tail = (segments.next(), segments.next(), segments.next());
    match tail {
        (None | Some("notifications"), None, None) | (Some("notifications"), Some(_), None)
            if !id.is_empty() =>
        {
            Some(
                percent_encoding::percent_decode_str(id)
                    .decode_utf8_lossy()
                    .into_owned(),
            )
        }
        _ => None,
    }
}

fn has_api_version(query: Option<&str>) -> bool {
    query.is_some_and(|q| {
        q.split('&').any(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            name.eq_ignore_ascii_case("api-version") && !value.is_empty()
        })
    })
}

/// The gate every request passes before its handler.
async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(latency) = state.hub.config().latency {
        tokio::time::sleep(latency).await;
    }
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    if path == WEBSOCKET_PATH || path.starts_with(&state.blob_prefix) {
        // Devices authenticate in MQTT CONNECT, after the upgrade; storage requests carry
        // their SAS in the query and are checked by the storage handlers.
        return next.run(request).await;
    }
    if !has_api_version(request.uri().query()) {
        return EmulatorError::hub(
            ErrorCode::InvalidProtocolVersion,
            "The api-version query parameter is missing.",
        )
        .into_response();
    }
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(device_id) = device_facing(&method, &path) {
        let certificate = request
            .extensions()
            .get::<PeerCertificate>()
            .and_then(|c| c.0.clone());
        let checked = blocking(&state.hub, move |hub| {
            hub.authorize_device_request(
                &device_id,
                authorization.as_deref(),
                certificate.as_deref().map(Vec::as_slice),
            )
        })
        .await;
        if let Err(e) = checked {
            return e.into_response();
        }
        if let Some(throttle) = &state.throttle {
            if !path.ends_with("/notifications") {
                if let Err(e) = throttle.admit(Category::FileUpload).await {
                    return e.into_response();
                }
            }
        }
        return next.run(request).await;
    }
    // Policies are in memory and a check is one HMAC: no need to leave the async runtime.
    let checked = auth::authorize_service(
        state.hub.policies(),
        authorization.as_deref(),
        &path,
        permission_for(&method, &path),
        state.hub.audiences(),
        state.hub.clock(),
    );
    if let Err(e) = checked {
        return e.into_response();
    }
    if let Some(throttle) = &state.throttle {
        if let Err(e) = throttle.admit(category_for(&method, &path)).await {
            return e.into_response();
        }
    }
    next.run(request).await
}

/// The certificate the client presented in the TLS handshake (DER), on every request of its
/// connection: an X.509 device's credential on the device-facing endpoints.
#[derive(Clone)]
pub(crate) struct PeerCertificate(pub(crate) Option<Arc<Vec<u8>>>);

/// Where MQTT over WebSocket is served.
pub const WEBSOCKET_PATH: &str = "/$iothub/websocket";

async fn websocket(
    State(state): State<AppState>,
    upgrade: axum::extract::ws::WebSocketUpgrade,
) -> Response {
    let backend: Arc<dyn crate::mqtt::DeviceBackend> = state.hub.clone();
    let connections = Arc::clone(state.hub.connections());
    let shutdown = state.shutdown.clone();
    upgrade
        .protocols(["mqtt"])
        .max_message_size(2 * crate::mqtt::MAX_INCOMING_PACKET)
        .on_upgrade(move |socket| {
            crate::mqtt::serve_websocket(socket, backend, connections, shutdown)
        })
}

async fn no_such_operation(method: Method, uri: axum::http::Uri) -> Response {
    EmulatorError::hub(
        ErrorCode::InvalidOperation,
        format!("The hub has no operation {method} {}.", uri.path()),
    )
    .into_response()
}

/// The REST API's routes.
pub(crate) fn router(state: AppState) -> Router {
    let bulk_limit = axum::extract::DefaultBodyLimit::max(MAX_BULK_BODY_BYTES);
    let blob_route = format!("{}{{*blob}}", state.blob_prefix);
    Router::new()
        .route(
            "/devices",
            get(registry::list_devices)
                .post(registry::bulk)
                .layer(bulk_limit),
        )
        // The Node service SDK lists devices at `/devices/` (an empty id segment); the hub
        // treats it as the collection.
        .route(
            "/devices/",
            get(registry::list_devices)
                .post(registry::bulk)
                .layer(axum::extract::DefaultBodyLimit::max(MAX_BULK_BODY_BYTES)),
        )
        .route(
            "/devices/{id}",
            get(registry::get_device)
                .put(registry::put_device)
                .delete(registry::delete_device)
                .post(registry::post_devices_collection),
        )
        .route("/devices/{id}/modules", get(registry::list_modules))
        .route(
            "/devices/{id}/modules/{mid}",
            get(registry::get_module)
                .put(registry::put_module)
                .delete(registry::delete_module),
        )
        .route(
            "/twins/{id}",
            get(twins::get_twin)
                .patch(twins::patch_twin)
                .put(twins::replace_twin),
        )
        .route("/twins/{id}/methods", post(twins::invoke_device_method))
        .route(
            "/twins/{id}/modules/{mid}",
            get(twins::get_module_twin)
                .patch(twins::patch_module_twin)
                .put(twins::replace_module_twin),
        )
        .route(
            "/twins/{id}/modules/{mid}/methods",
            post(twins::invoke_module_method),
        )
        .route("/statistics/devices", get(registry::device_statistics))
        .route("/statistics/service", get(registry::service_statistics))
        .route("/jobs", get(jobs::list_v1))
        .route("/jobs/v2/{id}", put(jobs::create).get(jobs::get_or_query))
        .route("/jobs/v2/{id}/cancel", post(jobs::cancel))
        .route("/devices/{id}/files", post(files::create_upload))
        .route(
            "/devices/{id}/files/notifications",
            post(files::notify_upload),
        )
        // The Node device SDK puts the correlation id in the path instead of the body.
        .route(
            "/devices/{id}/files/notifications/{correlation_id}",
            post(files::notify_upload_for),
        )
        .route(
            &blob_route,
            put(files::put_blob)
                .get(files::get_blob)
                .head(files::get_blob),
        )
        .route(WEBSOCKET_PATH, get(websocket))
        .fallback(no_such_operation)
        .method_not_allowed_fallback(no_such_operation)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Serves HTTPS on `listener` until `shutdown` is cancelled, then gives open requests a short
/// grace period.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    router: Router,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    let mut connections = JoinSet::new();
    loop {
        // Reap finished connections so the set does not grow with the server's lifetime.
        while connections.try_join_next().is_some() {}
        let (stream, peer) = tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "HTTPS accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        let router = router.clone();
        let shutdown = shutdown.clone();
        connections.spawn(async move {
            let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => tls,
                Ok(Err(e)) => {
                    tracing::debug!(%peer, error = %e, "TLS handshake failed");
                    return;
                }
                Err(_) => {
                    tracing::debug!(%peer, "TLS handshake timed out");
                    return;
                }
            };
            let certificate = tls
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|chain| chain.first())
                .map(|der| Arc::new(der.to_vec()));
            let router =
                tower::Layer::layer(&axum::Extension(PeerCertificate(certificate)), router);
            let service = hyper_util::service::TowerToHyperService::new(router);
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT);
            let connection = builder
                .serve_connection(TokioIo::new(tls), service)
                .with_upgrades();
            tokio::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(%peer, error = %e, "HTTPS connection ended with an error");
                    }
                }
                () = shutdown.cancelled() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(DRAIN_TIMEOUT, drain).await.is_err() {
        connections.abort_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_follow_the_policy_table() {
        let cases = [
            (Method::GET, "/devices/d1", Permission::RegistryRead),
            (Method::GET, "/devices", Permission::RegistryRead),
            (Method::PUT, "/devices/d1", Permission::RegistryWrite),
            (
                Method::DELETE,
                "/devices/d1/modules/m",
                Permission::RegistryWrite,
            ),
            (Method::POST, "/devices", Permission::RegistryWrite),
            (Method::POST, "/devices/query", Permission::ServiceConnect),
            (Method::GET, "/twins/d1", Permission::ServiceConnect),
            (
                Method::POST,
                "/twins/d1/methods",
                Permission::ServiceConnect,
            ),
            (Method::PUT, "/jobs/v2/j1", Permission::ServiceConnect),
            (Method::GET, "/statistics/devices", Permission::RegistryRead),
            (
                Method::GET,
                "/statistics/service",
                Permission::ServiceConnect,
            ),
        ];
        for (method, path, expected) in cases {
            assert_eq!(permission_for(&method, path), expected, "{method} {path}");
        }
    }

    #[test]
    fn api_version_must_be_present_and_non_empty() {
        assert!(has_api_version(Some("api-version=2021-04-12")));
        assert!(has_api_version(Some("top=5&API-VERSION=2020-09-30")));
        assert!(!has_api_version(Some("api-version=")));
        assert!(!has_api_version(Some("top=5")));
        assert!(!has_api_version(None));
    }
}
