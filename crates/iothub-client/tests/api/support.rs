//! A scriptable stand-in for the hub's REST endpoint.
//!
//! Every request is recorded exactly as it arrived (raw percent-encoded path, headers, body) and
//! its SAS token is verified with `iothub_auth` before the test's handler sees it, so every test
//! also checks authentication. Handlers answer with [`Reply`]s chosen per request.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Request, Response, StatusCode};
use iothub_auth::{DEFAULT_CLOCK_SKEW_SECS, SasToken, SharedAccessKey, unix_now};
use iothub_client::{ClientBuilder, RetryPolicy, ServiceClient};
use serde_json::Value;
use tokio::net::TcpListener;

pub const HOST: &str = "testhub.azure-devices.net";
pub const KEY: &str = "PqZ70GzRIOv8Mfap31nzDjwqsRwt8X6VTLDUM48qDGk=";
pub const KEY_NAME: &str = "iothubowner";

pub fn connection_string() -> String {
    format!("HostName={HOST};SharedAccessKeyName={KEY_NAME};SharedAccessKey={KEY}")
}

pub fn key() -> SharedAccessKey {
    SharedAccessKey::from_base64(KEY).unwrap()
}

/// A retry policy fast enough for tests.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(3)
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20))
}

/// A builder for a plain-HTTP server at `addr`, with fast retries and no proxy.
pub fn builder_for(addr: SocketAddr) -> ClientBuilder {
    ClientBuilder::from_connection_string(&connection_string())
        .unwrap()
        .endpoint(format!("http://{addr}/").parse().unwrap())
        .retry_policy(fast_retries())
        .no_proxy()
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: Method,
    /// Raw path, still percent-encoded.
    pub path: String,
    /// Authority of an absolute-form request target (requests sent through a proxy).
    pub authority: Option<String>,
    pub query: HashMap<String, String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: &Value) -> Self {
        Self {
            status,
            headers: vec![(
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn raw(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_owned(),
            delay: Duration::ZERO,
        }
    }

    pub fn empty(status: u16) -> Self {
        Self::raw(status, "")
    }

    /// An envelope-1 error body with the `iothub-errorcode` header.
    pub fn hub_error(status: u16, name: &str, text: &str, tracking_id: &str) -> Self {
        Self::json(
            status,
            &serde_json::json!({
                "Message": format!("ErrorCode:{name};{text}"),
                "ExceptionMessage": format!("Tracking ID:{tracking_id}-G:0-TimeStamp:01/02/2024 03:04:05"),
            }),
        )
        .header("iothub-errorcode", name)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

#[derive(Clone)]
struct Shared {
    handler: Arc<Handler>,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

/// The test server. Dropping it does not stop the task; tests are short-lived.
pub struct TestHub {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestHub {
    /// Plain HTTP on `127.0.0.1:0`. `handler` gets each authenticated request and its
    /// zero-based index among all requests.
    pub async fn start(
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::start_on(listener, handler)
    }

    /// Plain HTTP on an already bound listener.
    pub fn start_on(
        listener: TcpListener,
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let (router, requests) = router(handler);
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Self { addr, requests }
    }

    /// HTTPS on `127.0.0.1:0` with the given server configuration.
    pub async fn start_tls(
        tls: Arc<rustls::ServerConfig>,
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let (router, requests) = router(handler);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(tls);
        tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                let router = router.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let service = hyper_util::service::TowerToHyperService::new(router);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        Self { addr, requests }
    }

    /// A builder pointed at this server over HTTP, with fast retries and no proxy.
    pub fn builder(&self) -> ClientBuilder {
        builder_for(self.addr)
    }

    pub fn client(&self) -> ServiceClient {
        self.builder().build().unwrap()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// The only request received; fails if there were more or none.
    pub fn single(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request: {requests:#?}"
        );
        requests.into_iter().next().unwrap()
    }
}

fn router(
    handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
) -> (Router, Arc<Mutex<Vec<Recorded>>>) {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let shared = Shared {
        handler: Arc::new(handler),
        requests: Arc::clone(&requests),
    };
    (Router::new().fallback(handle).with_state(shared), requests)
}

async fn handle(State(shared): State<Shared>, request: Request<Body>) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let query = parts
        .uri
        .query()
        .map(|q| {
            url_decode_pairs(q)
                .into_iter()
                .collect::<HashMap<String, String>>()
        })
        .unwrap_or_default();
    let recorded = Recorded {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        authority: parts.uri.authority().map(ToString::to_string),
        query,
        headers: parts.headers,
        body,
        at: Instant::now(),
    };
    let index = {
        let mut all = shared.requests.lock().unwrap();
        all.push(recorded.clone());
        all.len() - 1
    };
    let reply = match check_token(&recorded) {
        Ok(()) => (shared.handler)(&recorded, index),
        Err(why) => Reply::hub_error(401, "IotHubUnauthorizedAccess", &why, "auth"),
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = Response::builder().status(StatusCode::from_u16(reply.status).unwrap());
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    response.body(Body::from(reply.body)).unwrap()
}

/// The hub's checks: a token signed by the policy key, not expired, for this hub, naming the
/// policy.
fn check_token(request: &Recorded) -> Result<(), String> {
    let header = request
        .header("authorization")
        .ok_or("no Authorization header")?;
    let token = SasToken::parse(header).map_err(|e| e.to_string())?;
    token
        .verify(&key(), unix_now(), DEFAULT_CLOCK_SKEW_SECS)
        .map_err(|e| e.to_string())?;
    if !token.audience_matches(&format!("{HOST}{}", request.path)) {
        return Err(format!(
            "audience {} does not cover the path",
            token.resource()
        ));
    }
    if token.key_name() != Some(KEY_NAME) {
        return Err("wrong skn".into());
    }
    Ok(())
}

fn url_decode_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " "))
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// A CA and a `localhost`/`127.0.0.1` server certificate signed by it.
pub struct TestPki {
    pub ca_pem: String,
    pub server: Arc<rustls::ServerConfig>,
}

impl TestPki {
    pub fn generate() -> Self {
        Self::generate_named("iothub-client test CA")
    }

    /// A PKI whose CA has the common name `ca_name` (CAs with the same name are told apart
    /// only by their keys).
    pub fn generate_named(ca_name: &str) -> Self {
        use rcgen::{
            BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
            KeyUsagePurpose,
        };
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

        let mut ca_params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, ca_name);
        ca_params.distinguished_name = dn;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().unwrap();
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let ca_pem = ca_cert.pem();
        let issuer = Issuer::new(ca_params, ca_key);

        let server_key = KeyPair::generate().unwrap();
        let params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        let server_cert = params.signed_by(&server_key, &issuer).unwrap();

        let chain = vec![
            CertificateDer::from(server_cert.der().to_vec()),
            CertificateDer::from(ca_cert.der().to_vec()),
        ];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Self {
            ca_pem,
            server: Arc::new(config),
        }
    }
}
