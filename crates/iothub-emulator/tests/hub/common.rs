//! A running emulator on ephemeral ports and an HTTPS client that trusts its CA, signing service
//! tokens the way the SDKs do.

use std::path::Path;
use std::time::Duration;

use iothub_auth::{ConnectionString, SasToken};
use iothub_emulator::{HubConfig, RunningHub};
use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::Value;

pub use test_support::eventually;

pub const API: &str = "api-version=2021-04-12";

/// How long [`eventually`] waits for the hub's background work.
pub const WITHIN: Duration = Duration::from_secs(10);

pub struct TestHub {
    pub hub: RunningHub,
    pub client: reqwest::Client,
    pub owner: ConnectionString,
    pub base: String,
    /// Kept alive for the hub's lifetime; `None` when the caller owns the directory.
    pub dir: Option<tempfile::TempDir>,
}

/// An answer: status, headers and the body as JSON (`Null` when empty or not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `ErrorCode:<Name>;` of an envelope-1 body.
    pub fn error_name(&self) -> String {
        let message = self.body["Message"].as_str().unwrap_or_default();
        message
            .strip_prefix("ErrorCode:")
            .and_then(|m| m.split(';').next())
            .unwrap_or_default()
            .to_string()
    }

    pub fn message(&self) -> String {
        self.body["Message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

pub fn config(dir: &Path) -> HubConfig {
    HubConfig::new(dir).ephemeral()
}

pub async fn start() -> TestHub {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = start_with(config(dir.path())).await;
    hub.dir = Some(dir);
    hub
}

pub async fn start_with(config: HubConfig) -> TestHub {
    let hub = iothub_emulator::start(config).await.unwrap();
    let ca = reqwest::Certificate::from_pem(hub.ca_pem().as_bytes()).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([ca])
        .resolve("localhost", hub.https_addr())
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let owner = hub.service_connection_string("iothubowner").unwrap();
    let base = format!("https://localhost:{}", hub.https_addr().port());
    TestHub {
        hub,
        client,
        owner,
        base,
        dir: None,
    }
}

impl TestHub {
    /// A fresh token for a connection string, as the SDKs send it.
    pub fn token_for(cs: &ConnectionString) -> String {
        cs.generate_token(iothub_auth::unix_now(), 3600)
            .unwrap()
            .expose()
            .to_string()
    }

    pub fn owner_token(&self) -> String {
        Self::token_for(&self.owner)
    }

    /// Sends a request with the owner's token; `path` may carry its own query string.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        self.call_with(
            method,
            path,
            body,
            &[("authorization", &self.owner_token())],
        )
        .await
    }

    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut request = self
            .client
            .request(method, format!("{}{path}{sep}{API}", self.base));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json; charset=utf-8")
                .body(body.to_string());
        }
        send(request).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call(Method::GET, path, None).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Answer {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Answer {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.call_with(
            Method::DELETE,
            path,
            None,
            &[
                ("authorization", &self.owner_token()),
                ("if-match", "\"*\""),
            ],
        )
        .await
    }

    /// Creates a device and returns its JSON.
    pub async fn create_device(&self, id: &str) -> Value {
        let answer = self
            .put(
                &format!("/devices/{id}"),
                serde_json::json!({"deviceId": id}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.body
    }

    /// Signs a token for this hub's host with `key` (base64), as a service SDK would.
    pub fn sign(key: &str, resource: &str, expiry: u64, skn: Option<&str>) -> String {
        let key = iothub_auth::SharedAccessKey::from_base64(key).unwrap();
        SasToken::sign(&key, resource, expiry, skn)
            .unwrap()
            .expose()
            .to_string()
    }

    pub fn host(&self) -> String {
        self.hub.host_name()
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
    }
}
