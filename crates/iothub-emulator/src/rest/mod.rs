//! The service REST API over HTTPS, and the MQTT-over-WebSocket upgrade on the same port.
//!
//! The routes, status codes, headers and error bodies follow the data-plane swagger and the
//! protocol reference §B, because the official SDKs accept only the exact success codes and
//! parse the error envelopes. Every request passes one gate first (`guard`): optional latency,
//! `api-version`, the SAS check with the permission the route needs, optional throttling. The
//! handlers then run their store work off the async runtime (SQLite commits wait for `fsync`).

mod configurations;
mod device_http;
mod files;
mod jobs;
mod jobs_storage;
mod registry;
mod response;
mod twins;

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use hyper_util::rt::{TokioIo, TokioTimer};
use iothub_model::ErrorCode;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::timeout::RequestBodyTimeout;

use crate::auth::{self, Permission};
use crate::config::ConnectionLimits;
use crate::error::EmulatorError;
use crate::hub::Hub;
use crate::throttle::{Category, Throttle};

pub use response::{MAX_BODY_BYTES, MAX_BULK_BODY_BYTES};

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

/// The route a request was dispatched to: the template the router matched (`None` for the
/// fallback) and its path parameters, percent-decoded exactly as the handlers' `Path`
/// extractors see them.
///
/// Authorization, throttling and the device-facing check all read this rather than the raw
/// path: a check on the raw path and a dispatch on the decoded one disagree as soon as a
/// segment is percent-encoded (`POST /devices/%71uery` is the twin query).
#[derive(Debug, Default)]
struct Route {
    template: Option<String>,
    params: Vec<(String, String)>,
}

impl Route {
    /// The route of `request`, from what the router recorded while dispatching it.
    async fn of(request: Request) -> Result<(Self, Request), Response> {
        let (mut parts, body) = request.into_parts();
        let template = parts
            .extensions
            .get::<MatchedPath>()
            .map(|m| m.as_str().to_string());
        let params = match template {
            None => Vec::new(),
            Some(_) => match RawPathParams::from_request_parts(&mut parts, &()).await {
                Ok(params) => params
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                Err(_) => {
                    return Err(EmulatorError::hub(
                        ErrorCode::ArgumentInvalid,
                        "A path segment is not valid percent-encoded UTF-8.",
                    )
                    .into_response());
                }
            },
        };
        Ok((Self { template, params }, Request::from_parts(parts, body)))
    }

    fn template(&self) -> &str {
        self.template.as_deref().unwrap_or("")
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `POST /devices/{id}` with the id `query` (however it was encoded): the twin query.
    fn is_query(&self, method: &Method) -> bool {
        *method == Method::POST
            && self.template() == "/devices/{id}"
            && self.param("id") == Some("query")
    }

    /// The permission a request needs (§A.3).
    fn permission(&self, method: &Method) -> Permission {
        let template = self.template();
        if self.is_query(method) {
            Permission::ServiceConnect
        } else if template == "/configurations/testQueries" {
            Permission::RegistryRead
        } else if template == "/configurations" || template.starts_with("/configurations/") {
            if *method == Method::GET {
                Permission::RegistryRead
            } else {
                Permission::RegistryWrite
            }
        } else if template == "/jobs" || template == "/jobs/create" || template == "/jobs/{id}" {
            // Import/export jobs read or rewrite the whole registry.
            if *method == Method::GET {
                Permission::RegistryRead
            } else {
                Permission::RegistryWrite
            }
        } else if template == "/statistics/devices" {
            Permission::RegistryRead
        } else if template == "/devices" || template.starts_with("/devices/") {
            if *method == Method::GET {
                Permission::RegistryRead
            } else {
                Permission::RegistryWrite
            }
        } else {
            Permission::ServiceConnect
        }
    }

    /// The throttle a request counts against (§G).
    fn category(&self, method: &Method) -> Category {
        let template = self.template();
        if self.is_query(method) {
            Category::Query
        } else if template.starts_with("/twins/") && template.ends_with("/methods") {
            Category::Methods
        } else if template.starts_with("/twins/") {
            if *method == Method::GET {
                Category::TwinRead
            } else {
                Category::TwinUpdate
            }
        } else if template.starts_with("/jobs/") {
            Category::Jobs
        } else {
            Category::Registry
        }
    }

    /// The device of a device-facing request (`POST /devices/{id}/files`,
    /// `/files/notifications` or `/files/notifications/{correlationId}`, device telemetry and
    /// cloud-to-device messages over HTTPS), which is authenticated with the device's
    /// credentials instead of a service policy.
    fn device_facing(&self, method: &Method) -> Option<String> {
        let facing = match self.template() {
            "/devices/{id}/files"
            | "/devices/{id}/files/notifications"
            | "/devices/{id}/files/notifications/{correlation_id}"
            | "/devices/{id}/messages/events"
            | "/devices/{id}/messages/deviceBound/{lock_token}/abandon"
            | "/devices/{id}/messages/devicebound/{lock_token}/abandon" => *method == Method::POST,
            "/devices/{id}/messages/deviceBound" | "/devices/{id}/messages/devicebound" => {
                *method == Method::GET
            }
            "/devices/{id}/messages/deviceBound/{lock_token}"
            | "/devices/{id}/messages/devicebound/{lock_token}" => *method == Method::DELETE,
            _ => false,
        };
        if !facing {
            return None;
        }
        self.param("id")
            .filter(|id| !id.is_empty())
            .map(str::to_string)
    }
}

/// `path` percent-decoded, as the resource a token's audience must cover (the hub compares
/// audiences with the decoded resource, so `/twins/dev%31` is `/twins/dev1`).
fn decoded_path(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
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
    let (route, request) = match Route::of(request).await {
        Ok(r) => r,
        Err(refused) => return refused,
    };
    let template = route.template();
    if template == WEBSOCKET_PATH
        || template.starts_with(&state.blob_prefix)
        || template.starts_with(crate::bulkio::STORAGE_PREFIX)
    {
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
    if let Some(device_id) = route.device_facing(&method) {
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
            // Notifications complete an upload already counted when it was created.
            if route.template() == "/devices/{id}/files"
                && let Err(e) = throttle.admit(Category::FileUpload).await
            {
                return e.into_response();
            }
        }
        return next.run(request).await;
    }
    // Policies are in memory and a check is one HMAC: no need to leave the async runtime.
    let checked = auth::authorize_service(
        state.hub.policies(),
        authorization.as_deref(),
        &decoded_path(&path),
        route.permission(&method),
        state.hub.audiences(),
        state.hub.clock(),
    );
    if let Err(e) = checked {
        return e.into_response();
    }
    if let Some(throttle) = &state.throttle
        && let Err(e) = throttle.admit(route.category(&method)).await
    {
        return e.into_response();
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

/// The REST API over `hub` as a service, without the listener: what the HTTPS port serves
/// (throttled when the hub's configuration says so), ready for hyper or for driving requests
/// in-process (the `rest_route` fuzz target feeds it arbitrary methods, paths and headers).
/// `shutdown` ends the WebSocket sessions it upgrades.
pub fn service(hub: Arc<Hub>, shutdown: CancellationToken) -> Router {
    let state = AppState {
        throttle: hub.config().throttling.then(|| Arc::new(Throttle::new())),
        blob_prefix: format!("/{}/", hub.config().upload_container),
        hub,
        shutdown,
    };
    router(state)
}

/// The REST API's routes.
fn router(state: AppState) -> Router {
    let bulk_limit = axum::extract::DefaultBodyLimit::max(MAX_BULK_BODY_BYTES);
    let blob_route = format!("{}{{*blob}}", state.blob_prefix);
    let storage_route = format!("{}{{container}}/{{*blob}}", crate::bulkio::STORAGE_PREFIX);
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
        .route("/devices/keys/regenerate", post(registry::regenerate_keys))
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
        .route("/jobs/create", post(jobs::create_v1))
        .route("/jobs/{id}", get(jobs::get_v1).delete(jobs::cancel_v1))
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
        // Device-side HTTPS (§H.4). Node spells the C2D path `devicebound`.
        .route(
            "/devices/{id}/messages/events",
            post(device_http::send_event),
        )
        .route(
            "/devices/{id}/messages/deviceBound",
            get(device_http::receive),
        )
        .route(
            "/devices/{id}/messages/devicebound",
            get(device_http::receive),
        )
        .route(
            "/devices/{id}/messages/deviceBound/{lock_token}",
            delete(device_http::complete_or_reject),
        )
        .route(
            "/devices/{id}/messages/devicebound/{lock_token}",
            delete(device_http::complete_or_reject),
        )
        .route(
            "/devices/{id}/messages/deviceBound/{lock_token}/abandon",
            post(device_http::abandon),
        )
        .route(
            "/devices/{id}/messages/devicebound/{lock_token}/abandon",
            post(device_http::abandon),
        )
        .route(
            &storage_route,
            put(jobs_storage::put_blob)
                .get(jobs_storage::get_blob)
                .head(jobs_storage::get_blob),
        )
        .route(
            &blob_route,
            put(files::put_blob)
                .get(files::get_blob)
                .head(files::get_blob),
        )
        .route("/configurations", get(configurations::list))
        .route(
            "/configurations/testQueries",
            post(configurations::test_queries),
        )
        .route(
            "/configurations/{id}",
            get(configurations::get)
                .put(configurations::put)
                .delete(configurations::delete),
        )
        .route(
            "/devices/{id}/applyConfigurationContent",
            post(configurations::apply_content),
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
    limits: ConnectionLimits,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let connection_shutdown = shutdown.clone();
    crate::listen::accept_tls(
        "HTTPS",
        listener,
        tls,
        limits,
        shutdown,
        move |tls, peer| {
            let certificate = crate::listen::peer_certificate(&tls).map(Arc::new);
            let router =
                tower::Layer::layer(&axum::Extension(PeerCertificate(certificate)), router.clone());
            let shutdown = connection_shutdown.clone();
            async move {
                // A body that stops sending for this long ends its request (the timer restarts
                // with each chunk, so slow but steady uploads pass).
                let router = RequestBodyTimeout::new(router, limits.body_idle_timeout);
                let service = hyper_util::service::TowerToHyperService::new(router);
                let mut builder = hyper::server::conn::http1::Builder::new();
                builder
                    .timer(TokioTimer::new())
                    .header_read_timeout(limits.header_read_timeout);
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
            }
        },
    )
    .await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(template: &str, params: &[(&str, &str)]) -> Route {
        Route {
            template: Some(template.to_string()),
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
        }
    }

    #[test]
    fn permissions_follow_the_policy_table() {
        let cases = [
            (
                Method::GET,
                route("/devices/{id}", &[("id", "d1")]),
                Permission::RegistryRead,
            ),
            (
                Method::GET,
                route("/devices", &[]),
                Permission::RegistryRead,
            ),
            (
                Method::PUT,
                route("/devices/{id}", &[("id", "d1")]),
                Permission::RegistryWrite,
            ),
            (
                Method::DELETE,
                route("/devices/{id}/modules/{mid}", &[("id", "d1"), ("mid", "m")]),
                Permission::RegistryWrite,
            ),
            (
                Method::POST,
                route("/devices", &[]),
                Permission::RegistryWrite,
            ),
            (
                Method::POST,
                route("/devices/{id}", &[("id", "query")]),
                Permission::ServiceConnect,
            ),
            // Another id on the same route is not the query (the handler refuses it).
            (
                Method::POST,
                route("/devices/{id}", &[("id", "Query")]),
                Permission::RegistryWrite,
            ),
            (
                Method::GET,
                route("/twins/{id}", &[("id", "d1")]),
                Permission::ServiceConnect,
            ),
            (
                Method::POST,
                route("/twins/{id}/methods", &[("id", "d1")]),
                Permission::ServiceConnect,
            ),
            (
                Method::PUT,
                route("/jobs/v2/{id}", &[("id", "j1")]),
                Permission::ServiceConnect,
            ),
            (
                Method::GET,
                route("/statistics/devices", &[]),
                Permission::RegistryRead,
            ),
            (
                Method::GET,
                route("/statistics/service", &[]),
                Permission::ServiceConnect,
            ),
            (
                Method::GET,
                route("/configurations/{id}", &[("id", "c1")]),
                Permission::RegistryRead,
            ),
            (
                Method::PUT,
                route("/configurations/{id}", &[("id", "c1")]),
                Permission::RegistryWrite,
            ),
            (
                Method::DELETE,
                route("/configurations/{id}", &[("id", "c1")]),
                Permission::RegistryWrite,
            ),
            (
                Method::GET,
                route("/configurations", &[]),
                Permission::RegistryRead,
            ),
            (
                Method::POST,
                route("/configurations/testQueries", &[]),
                Permission::RegistryRead,
            ),
            (
                Method::POST,
                route("/devices/{id}/applyConfigurationContent", &[("id", "e1")]),
                Permission::RegistryWrite,
            ),
            (Method::GET, Route::default(), Permission::ServiceConnect),
        ];
        for (method, route, expected) in cases {
            assert_eq!(route.permission(&method), expected, "{method} {route:?}");
        }
    }

    #[test]
    fn device_facing_routes_name_their_decoded_device() {
        let upload = route("/devices/{id}/files", &[("id", "dev 1")]);
        assert_eq!(
            upload.device_facing(&Method::POST).as_deref(),
            Some("dev 1")
        );
        assert_eq!(upload.device_facing(&Method::GET), None);
        let twin = route("/devices/{id}", &[("id", "files")]);
        assert_eq!(twin.device_facing(&Method::POST), None);
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
