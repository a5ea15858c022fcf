//! IoT Hub's device file-upload calls over HTTPS, for the daemon's own connection.
//!
//! The hub hands out blob SAS URIs only on its HTTPS device API, not over MQTT, so the daemon
//! needs a small HTTPS client beside its MQTT session: "create file upload" and "complete file
//! upload" (`/devices/{id}/files` and `/devices/{id}/files/notifications`). It authenticates
//! like the MQTT session does, with a freshly signed device SAS per call or with the X.509
//! client certificate during the handshake (it reuses the session's TLS configuration, so it
//! trusts exactly the same CAs). The blob itself is written by the DM client, not here.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::credentials::DeviceAuth;
use super::{ConnectionSettings, Endpoint};
use crate::error::DmError;
use crate::transport::{FileUploadTarget, encode_path_segment};

/// The device API version the SDKs use for file upload.
const API_VERSION: &str = "2021-04-12";
/// How long TCP + TLS to the hub may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one call may take, answer included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The most of a hub answer read (they are a few hundred bytes).
const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// Attempts per call when the hub is throttling or briefly unavailable.
const ATTEMPTS: u32 = 4;
/// The first pause between attempts; it doubles, and a `Retry-After` (capped) wins.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The longest pause honoured from a `Retry-After`.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Which failures a call may be repeated after.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// Only when the hub surely did nothing: throttled (429), unavailable (503), or the
    /// connection could not be opened. A create that may have been processed is not repeated,
    /// as each one takes one of the device's ten upload slots.
    IfNotProcessed,
    /// Also after a 5xx or a timeout: a notification may be sent twice (the hub records the
    /// first).
    Idempotent,
}

/// The hub's HTTPS device API for one device.
pub(super) struct HubFiles {
    /// Shares the MQTT session's TLS configuration.
    http: reqwest::Client,
    /// `https://{host[:port]}/devices/{encoded id}/files`.
    files_url: String,
    /// Who signs the `Authorization` header (nothing for X.509).
    auth: DeviceAuth,
    /// Lifetime of each token.
    token_ttl: Duration,
}

/// How one attempt failed.
struct Failure {
    /// What went wrong.
    error: DmError,
    /// The hub's `Retry-After`.
    retry_after: Option<Duration>,
    /// The connection could not be opened: the hub saw nothing.
    not_sent: bool,
}

/// `POST /devices/{id}/files` body.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateRequest<'a> {
    blob_name: &'a str,
}

/// `POST /devices/{id}/files` answer.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateAnswer {
    correlation_id: String,
    host_name: String,
    container_name: String,
    blob_name: String,
    sas_token: String,
}

/// `POST /devices/{id}/files/notifications` body.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification<'a> {
    correlation_id: &'a str,
    is_success: bool,
    status_code: u16,
    status_description: &'a str,
}

impl HubFiles {
    /// The client for `settings`, over `tls` (the session's configuration, with the extra CA
    /// and any client certificate already in it).
    pub(super) fn new(
        settings: &ConnectionSettings,
        tls: &rustls::ClientConfig,
    ) -> Result<Self, DmError> {
        let host = https_host(settings)?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls.clone())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| DmError::Tls(format!("cannot build the HTTPS client: {e}")))?;
        Ok(Self {
            http,
            files_url: format!(
                "https://{host}/devices/{}/files",
                encode_path_segment(&settings.identity.device_id)
            ),
            auth: settings.identity.auth.clone(),
            token_ttl: settings.token_ttl,
        })
    }

    /// Asks the hub where to upload `blob_name`.
    pub(super) async fn create(&self, blob_name: &str) -> Result<FileUploadTarget, DmError> {
        let url = format!("{}?api-version={API_VERSION}", self.files_url);
        let body = self
            .call(&url, &CreateRequest { blob_name }, Repeat::IfNotProcessed)
            .await?;
        let answer: CreateAnswer = serde_json::from_slice(&body).map_err(|e| {
            DmError::Transport(format!("the hub's file-upload answer is not usable: {e}"))
        })?;
        check_answer(&answer)?;
        Ok(FileUploadTarget::new(
            answer.correlation_id,
            answer.host_name,
            answer.container_name,
            answer.blob_name,
            answer.sas_token,
        ))
    }

    /// Tells the hub the upload `correlation_id` ended.
    pub(super) async fn complete(
        &self,
        correlation_id: &str,
        is_success: bool,
        status_code: u16,
        status_description: &str,
    ) -> Result<(), DmError> {
        let url = format!("{}/notifications?api-version={API_VERSION}", self.files_url);
        let notification = Notification {
            correlation_id,
            is_success,
            status_code,
            status_description,
        };
        self.call(&url, &notification, Repeat::Idempotent)
            .await
            .map(drop)
    }

    /// POSTs `body` as JSON with the device's credential, repeating it after the failures
    /// `repeat` allows; returns the answer body of a 2xx.
    async fn call(
        &self,
        url: &str,
        body: &impl Serialize,
        repeat: Repeat,
    ) -> Result<Vec<u8>, DmError> {
        let mut attempt = 1;
        loop {
            let Failure {
                error,
                retry_after,
                not_sent,
            } = match self.call_once(url, body).await {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            let again = not_sent
                || match &error {
                    DmError::Hub { status, .. } => {
                        matches!(status, 429 | 503)
                            || (repeat == Repeat::Idempotent && *status >= 500)
                    }
                    DmError::HubTimeout => repeat == Repeat::Idempotent,
                    _ => false,
                };
            if !again || attempt >= ATTEMPTS {
                return Err(error);
            }
            let pause = retry_after.map_or(FIRST_BACKOFF * 2_u32.pow(attempt - 1), |d| {
                d.min(MAX_BACKOFF)
            });
            tracing::debug!(attempt, error = %error, ?pause, "file-upload call failed; repeating it");
            tokio::time::sleep(pause).await;
            attempt += 1;
        }
    }

    /// One attempt of [`Self::call`].
    async fn call_once(&self, url: &str, body: &impl Serialize) -> Result<Vec<u8>, Failure> {
        let failed = |error| Failure {
            error,
            retry_after: None,
            not_sent: false,
        };
        let mut request = self.http.post(url).json(body);
        if let Some(token) = self.authorization().map_err(failed)? {
            request = request.header(reqwest::header::AUTHORIZATION, token);
        }
        let response = request.send().await.map_err(|e| Failure {
            not_sent: e.is_connect(),
            error: request_error(e),
            retry_after: None,
        })?;
        let status = response.status();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let code = header("iothub-errorcode");
        let retry_after = header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = read_limited(response).await.map_err(failed)?;
        if status.is_success() {
            return Ok(body);
        }
        let parsed = iothub_model::parse_error_body(status.as_u16(), code.as_deref(), &body);
        let message = match &parsed.name {
            Some(name) => format!("{name}: {}", parsed.message),
            None => parsed.message,
        };
        Err(Failure {
            error: DmError::Hub {
                status: status.as_u16(),
                message,
            },
            retry_after,
            not_sent: false,
        })
    }

    /// A fresh device token, or none for X.509 (the certificate is the credential).
    fn authorization(&self) -> Result<Option<String>, DmError> {
        match &self.auth {
            DeviceAuth::SasKey(cs) => cs
                .generate_token(iothub_auth::unix_now(), self.token_ttl.as_secs())
                .map(|t| Some(t.expose().to_owned()))
                .map_err(|e| DmError::Transport(format!("cannot sign a SAS token: {e}"))),
            DeviceAuth::SasToken(token) => {
                if token.expiry() <= iothub_auth::unix_now() {
                    return Err(DmError::Transport(
                        "the SharedAccessSignature of the connection string has expired".into(),
                    ));
                }
                Ok(Some(token.expose().to_owned()))
            }
            DeviceAuth::X509 { .. } => Ok(None),
        }
    }
}

/// Where the HTTPS device API is: the WebSocket endpoint's host when MQTT goes over a
/// WebSocket (the hub serves both on one HTTPS listener), otherwise what the identity says.
fn https_host(settings: &ConnectionSettings) -> Result<String, DmError> {
    if let Endpoint::WebSocket { url } = &settings.endpoint {
        let parsed = reqwest::Url::parse(url).map_err(|e| {
            DmError::invalid_setting("connection.websocket_url", format!("is not a URL: {e}"))
        })?;
        let host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| DmError::invalid_setting("connection.websocket_url", "has no host"))?;
        return Ok(match parsed.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        });
    }
    settings.identity.https_host()
}

/// Refuses an answer that would make the blob URL point somewhere else than a host and a
/// container (a `/`, `@` or `?` in the host, an empty name).
fn check_answer(answer: &CreateAnswer) -> Result<(), DmError> {
    let bad = |what: &str| {
        DmError::Transport(format!(
            "the hub's file-upload answer has an unusable `{what}`"
        ))
    };
    let host_ok = !answer.host_name.is_empty()
        && answer
            .host_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        return Err(bad("hostName"));
    }
    if answer.container_name.is_empty() || answer.container_name.contains('/') {
        return Err(bad("containerName"));
    }
    if answer.blob_name.is_empty() {
        return Err(bad("blobName"));
    }
    if answer.correlation_id.is_empty() {
        return Err(bad("correlationId"));
    }
    Ok(())
}

/// A request that got no answer, without the URL (it names the device).
fn request_error(e: reqwest::Error) -> DmError {
    if e.is_timeout() {
        return DmError::HubTimeout;
    }

    DmError::Transport(format!(
        "the hub's HTTPS API is unreachable: {}",
        error_chain(&e.without_url())
    ))
}

/// An error with its causes (`reqwest` keeps "connection refused" and TLS reasons there).
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Reads at most [`MAX_ANSWER_BYTES`] of an answer.
async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>, DmError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| DmError::Transport(format!("reading the hub's answer: {}", e.without_url())))?
    {
        let room = MAX_ANSWER_BYTES.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if room <= chunk.len() {
            break;
        }
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::DeviceIdentity;
    use iothub_auth::{SasToken, SharedAccessKey};

    const KEY: &str = "cGFzc3dvcmQ=";

    fn settings(host: &str, gateway: Option<&str>) -> ConnectionSettings {
        let mut identity =
            DeviceIdentity::with_key(host, "cam 1", SharedAccessKey::from_base64(KEY).unwrap());
        identity.gateway_host_name = gateway.map(str::to_owned);
        ConnectionSettings::new(identity, std::path::Path::new("/tmp/unused")).unwrap()
    }

    fn files(settings: &ConnectionSettings) -> HubFiles {
        let tls = super::super::tls::client_config(None, None).unwrap();
        HubFiles::new(settings, &tls).unwrap()
    }

    #[test]
    fn calls_go_to_the_https_front_door_with_the_device_id_encoded() {
        let hub = settings("myhub.azure-devices.net", None);
        assert_eq!(
            files(&hub).files_url,
            "https://myhub.azure-devices.net/devices/cam%201/files"
        );
        let local = settings("localhost:18443", Some("localhost:18883"));
        assert_eq!(
            files(&local).files_url,
            "https://localhost:18443/devices/cam%201/files"
        );
        // Over a WebSocket, the hub's HTTPS listener is where the WebSocket is.
        let mut ws = settings("myhub.azure-devices.net", Some("edge.local"));
        ws.endpoint = Endpoint::WebSocket {
            url: "wss://proxy.local:8443/$iothub/websocket".into(),
        };
        assert_eq!(
            files(&ws).files_url,
            "https://proxy.local:8443/devices/cam%201/files"
        );
    }

    #[test]
    fn each_call_signs_a_device_token_and_x509_sends_none() {
        let hub = settings("myhub.azure-devices.net", None);
        let header = files(&hub).authorization().unwrap().unwrap();
        let token = SasToken::parse(&header).unwrap();
        assert_eq!(token.resource(), "myhub.azure-devices.net/devices/cam 1");
        assert_eq!(token.key_name(), None);
        assert!(token.expiry() > iothub_auth::unix_now());

        let mut x509 = hub.clone();
        x509.identity.auth = DeviceAuth::X509 {
            cert_pem: Vec::new(),
            key_pem: Vec::new(),
        };
        let files = HubFiles {
            auth: x509.identity.auth.clone(),
            ..files(&hub)
        };
        assert_eq!(files.authorization().unwrap(), None);
    }

    /// A plain-HTTP stand-in for the hub answering the scripted statuses in turn (the last
    /// one repeats), counting the requests.
    async fn scripted_hub(
        statuses: &'static [u16],
    ) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let seen = std::sync::Arc::new(AtomicUsize::new(0));
        let counter = std::sync::Arc::clone(&seen);
        let app = axum::Router::new().fallback(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let status = statuses[n.min(statuses.len() - 1)];
            async move {
                let body = if status == 200 {
                    r#"{"correlationId":"c1","hostName":"acct.blob.core.windows.net","containerName":"logs","blobName":"d/x","sasToken":"?sig=s"}"#
                } else {
                    r#"{"Message":"ErrorCode:ThrottlingException;slow down"}"#
                };
                (
                    axum::http::StatusCode::from_u16(status).unwrap(),
                    [("retry-after", "0")],
                    body,
                )
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{addr}/devices/d/files"), seen)
    }

    fn files_at(url: String) -> HubFiles {
        HubFiles {
            files_url: url,
            ..files(&settings("myhub.azure-devices.net", None))
        }
    }

    #[tokio::test]
    async fn throttled_and_unavailable_answers_are_retried_only_where_safe() {
        use std::sync::atomic::Ordering;
        // A notification may be repeated after any 5xx.
        let (url, seen) = scripted_hub(&[503, 500, 204]).await;
        files_at(url).complete("c1", true, 201, "ok").await.unwrap();
        assert_eq!(seen.load(Ordering::SeqCst), 3);
        // A create is repeated after a 429 ...
        let (url, seen) = scripted_hub(&[429, 200]).await;
        let target = files_at(url).create("x").await.unwrap();
        assert_eq!(target.correlation_id, "c1");
        assert_eq!(seen.load(Ordering::SeqCst), 2);
        // ... but not after a 500, which may have taken an upload slot.
        let (url, seen) = scripted_hub(&[500, 200]).await;
        let err = files_at(url).create("x").await.unwrap_err();
        assert!(matches!(err, DmError::Hub { status: 500, .. }), "{err}");
        assert_eq!(seen.load(Ordering::SeqCst), 1);
        // And a hub that stays throttled ends the call after the last attempt.
        let (url, seen) = scripted_hub(&[429]).await;
        let err = files_at(url).create("x").await.unwrap_err();
        assert!(err.to_string().contains("ThrottlingException"), "{err}");
        assert_eq!(seen.load(Ordering::SeqCst), ATTEMPTS as usize);
    }

    #[test]
    fn answers_that_would_redirect_the_upload_are_refused() {
        let answer = |host: &str, container: &str| CreateAnswer {
            correlation_id: "c".into(),
            host_name: host.into(),
            container_name: container.into(),
            blob_name: "d/x".into(),
            sas_token: "?sig=s".into(),
        };
        assert!(check_answer(&answer("acct.blob.core.windows.net", "logs")).is_ok());
        assert!(check_answer(&answer("localhost:8443", "logs")).is_ok());
        for host in ["evil.com/x", "user@evil.com", "", "h?x"] {
            assert!(check_answer(&answer(host, "logs")).is_err(), "{host}");
        }
        assert!(check_answer(&answer("h", "a/b")).is_err());
    }
}
