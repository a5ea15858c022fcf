//! `dm.diagnostics.collect` by IoT Hub file upload, over a fake transport that implements the
//! upload capability and a real HTTPS blob server on 127.0.0.1 (with its own CA, trusted through
//! `AgentBuilder::storage_ca_pem`).

use std::fmt::Write as _;
use std::io::Read as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::core_common::{DEVICE_ID, FakeTransport, write};
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use dm_agent::transport::{FileUploadTarget, Transport};
use dm_agent::{Agent, DmError, DmResult};
use futures::future::BoxFuture;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

const SIG: &str = "S3cretSignatureValue";
const CONTAINER: &str = "dm-logs";

/// One blob `PUT` as the server saw it.
#[derive(Debug, Clone)]
struct Put {
    path: String,
    query: String,
    blob_type: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// A blob server: records every `PUT` and answers with a fixed status.
struct BlobServer {
    addr: SocketAddr,
    ca_pem: String,
    puts: Arc<Mutex<Vec<Put>>>,
}

#[derive(Clone)]
struct ServerState {
    puts: Arc<Mutex<Vec<Put>>>,
    status: StatusCode,
}

async fn put_blob(
    State(state): State<ServerState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    state.puts.lock().unwrap().push(Put {
        path: uri.path().to_owned(),
        query: uri.query().unwrap_or_default().to_owned(),
        blob_type: header("x-ms-blob-type"),
        content_type: header("content-type"),
        body: body.to_vec(),
    });
    let answer = if state.status.is_success() {
        String::new()
    } else {
        format!(
            "<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code><Message>sig={SIG}</Message></Error>"
        )
    };
    (state.status, answer)
}

impl BlobServer {
    async fn start(status: StatusCode) -> Self {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "test storage CA");
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let key = rcgen::KeyPair::generate().unwrap();
        let leaf = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        let chain = vec![leaf.der().clone()];
        let private = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let puts = Arc::new(Mutex::new(Vec::new()));
        let router = axum::Router::new()
            .route("/{*path}", axum::routing::put(put_blob))
            .layer(axum::extract::DefaultBodyLimit::disable())
            .with_state(ServerState {
                puts: puts.clone(),
                status,
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (acceptor, router) = (acceptor.clone(), router.clone());
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let service = hyper_util::service::TowerToHyperService::new(router);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        Self {
            addr,
            ca_pem: ca_cert.pem(),
            puts,
        }
    }

    fn puts(&self) -> Vec<Put> {
        self.puts.lock().unwrap().clone()
    }
}

/// What the fake hub was told about one upload.
#[derive(Debug, Clone, PartialEq)]
struct Completion {
    correlation_id: String,
    success: bool,
    status: u16,
    description: String,
}

/// A transport with file upload: the hub side is scripted, the rest is [`FakeTransport`].
struct UploadTransport {
    inner: Arc<FakeTransport>,
    storage_host: String,
    refuse: Option<DmError>,
    created: Mutex<Vec<String>>,
    completed: Mutex<Vec<Completion>>,
}

impl Transport for UploadTransport {
    fn send_reported(&self, patch: Value) -> BoxFuture<'_, DmResult<()>> {
        self.inner.send_reported(patch)
    }

    fn respond_method(
        &self,
        request_id: &str,
        status: u16,
        payload: Value,
    ) -> BoxFuture<'_, DmResult<()>> {
        self.inner.respond_method(request_id, status, payload)
    }

    fn get_twin(&self) -> BoxFuture<'_, DmResult<Value>> {
        self.inner.get_twin()
    }

    fn supports_file_upload(&self) -> bool {
        true
    }

    fn create_file_upload(&self, blob_name: &str) -> BoxFuture<'_, DmResult<FileUploadTarget>> {
        self.created.lock().unwrap().push(blob_name.to_owned());
        let result = match &self.refuse {
            Some(DmError::Hub { status, message }) => Err(DmError::hub(*status, message.clone())),
            Some(other) => Err(DmError::transport(other.to_string())),
            None => Ok(FileUploadTarget::new(
                "corr-7",
                self.storage_host.clone(),
                CONTAINER,
                format!("{DEVICE_ID}/{blob_name}"),
                format!("?sv=2018-03-28&sr=b&sig={SIG}&se=2099-01-01T00%3A00%3A00Z&sp=rw"),
            )),
        };
        Box::pin(async move { result })
    }

    fn complete_file_upload(
        &self,
        correlation_id: &str,
        success: bool,
        status: u16,
        description: &str,
    ) -> BoxFuture<'_, DmResult<()>> {
        self.completed.lock().unwrap().push(Completion {
            correlation_id: correlation_id.to_owned(),
            success,
            status,
            description: description.to_owned(),
        });
        Box::pin(async { Ok(()) })
    }
}

/// A sandbox device whose transport can upload to `server`.
struct Device {
    client: Agent,
    transport: Arc<UploadTransport>,
    sandbox: PathBuf,
    state: PathBuf,
    _dir: tempfile::TempDir,
}

impl Device {
    fn new(server: &BlobServer, refuse: Option<DmError>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let transport = Arc::new(UploadTransport {
            inner: FakeTransport::new(),
            storage_host: format!("localhost:{}", server.addr.port()),
            refuse,
            created: Mutex::new(Vec::new()),
            completed: Mutex::new(Vec::new()),
        });
        let sandbox = dir.path().join("sandbox");
        let state = dir.path().join("state");
        let client = Agent::builder(transport.clone())
            .device_id(DEVICE_ID)
            .state_dir(&state)
            .sandbox(&sandbox)
            .storage_ca_pem(Some(server.ca_pem.clone().into_bytes()))
            .build()
            .unwrap();
        Self {
            client,
            transport,
            sandbox,
            state,
            _dir: dir,
        }
    }

    async fn call(&self, payload: &Value) -> (u16, Value) {
        let response = self
            .client
            .call_method(
                "dm.diagnostics.collect",
                &serde_json::to_vec(payload).unwrap(),
            )
            .await;
        (response.status, response.payload)
    }

    /// Calls, expects a 202 and waits for the final envelope.
    async fn upload(&self, payload: &Value) -> Value {
        let (status, body) = self.call(payload).await;
        assert_eq!(status, 202, "{body}");
        let id = body["operationId"].as_str().unwrap().to_owned();
        self.transport
            .inner
            .final_envelope("diagnostics", &id)
            .await
    }

    fn completions(&self) -> Vec<Completion> {
        self.transport.completed.lock().unwrap().clone()
    }

    fn created(&self) -> Vec<String> {
        self.transport.created.lock().unwrap().clone()
    }

    /// Bundles left in the state directory.
    fn leftovers(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.state.join("uploads"))
            .map(|dir| dir.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default()
    }
}

/// Log text: `count` numbered lines.
fn log_lines(count: usize) -> String {
    (0..count).fold(String::new(), |mut s, i| {
        let _ = writeln!(s, "{i:06} plc-bridge: sample reading ok");
        s
    })
}

/// The entries of a `.tar.gz`, by name.
fn unpack(bundle: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bundle));
    archive
        .entries()
        .unwrap()
        .map(|entry| {
            let mut entry = entry.unwrap();
            let name = entry.path().unwrap().display().to_string();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            (name, data)
        })
        .collect()
}

fn entry<'a>(entries: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &entries
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in the bundle"))
        .1
}

fn write_log(sandbox: &Path, rel: &str, text: &str) {
    write(&sandbox.join(rel), text.as_bytes());
}

#[tokio::test]
async fn an_upload_succeeds_with_the_blob_in_the_envelope_and_no_sas_anywhere() {
    let server = BlobServer::start(StatusCode::CREATED).await;
    let device = Device::new(&server, None);
    let logs = log_lines(2_000);
    write_log(&device.sandbox, "var/log/plc/bridge.log", &logs);

    let request = json!({"journal": false, "paths": ["/var/log/plc"], "delivery": "upload"});
    let envelope = device.upload(&request).await;

    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(envelope["op"], "dm.diagnostics.collect");
    let result = &envelope["result"];
    let blob_name = result["upload"]["blobName"].as_str().unwrap();
    let file = blob_name
        .strip_prefix(&format!("{DEVICE_ID}/"))
        .unwrap_or_else(|| panic!("{blob_name}"));
    assert!(
        file.starts_with("logs-") && file.ends_with(".tar.gz"),
        "{file}"
    );
    assert_eq!(device.created(), vec![file.to_owned()]);
    let port = server.addr.port();
    assert_eq!(
        result["upload"]["url"],
        format!("https://localhost:{port}/{CONTAINER}/{blob_name}")
    );
    assert!(result.get("content").is_none(), "{result}");

    // The blob went up once, as a block blob, signed, and holds what was collected.
    let puts = server.puts();
    assert_eq!(puts.len(), 1);
    let put = &puts[0];
    assert_eq!(put.path, format!("/{CONTAINER}/{blob_name}"));
    assert!(put.query.contains(&format!("sig={SIG}")), "{}", put.query);
    assert_eq!(put.blob_type.as_deref(), Some("BlockBlob"));
    assert_eq!(put.content_type.as_deref(), Some("application/gzip"));
    let entries = unpack(&put.body);
    let text = std::str::from_utf8(entry(&entries, "logs.txt")).unwrap();
    assert!(
        text.starts_with("==> ") && text.ends_with(&logs),
        "{}",
        &text[..200]
    );
    assert_eq!(result["bytes"].as_u64(), Some(text.len() as u64));
    assert_eq!(result.get("truncated"), None, "{result}");
    let info: Value = serde_json::from_slice(entry(&entries, "collect.json")).unwrap();
    assert_eq!(info["deviceId"], DEVICE_ID);
    assert_eq!(info["request"], request);
    assert_eq!(info["bytes"], result["bytes"]);
    assert_eq!(info["truncated"], false);

    // The hub heard that it worked; nothing is left behind; the twin never saw the SAS.
    assert_eq!(
        device.completions(),
        vec![Completion {
            correlation_id: "corr-7".into(),
            success: true,
            status: 201,
            description: format!("uploaded {} bytes", put.body.len()),
        }]
    );
    assert!(device.leftovers().is_empty(), "{:?}", device.leftovers());
    let twin = device.transport.inner.reported().to_string();
    assert!(!twin.contains(SIG), "{twin}");
}

#[tokio::test]
async fn auto_uploads_what_does_not_fit_in_an_answer_and_keeps_the_newest() {
    let server = BlobServer::start(StatusCode::CREATED).await;
    let device = Device::new(&server, None);
    // About 180 KiB: over the 64 KiB inline limit, over a 100 KiB maxBytes.
    let logs = log_lines(5_000);
    write_log(&device.sandbox, "var/log/big.log", &logs);

    let envelope = device
        .upload(&json!({"journal": false, "paths": ["/var/log/big.log"], "maxBytes": 102_400}))
        .await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(envelope["result"]["truncated"], true);
    let entries = unpack(&server.puts()[0].body);
    let text = entry(&entries, "logs.txt");
    assert!(
        text.len() <= 102_400 && text.len() > 65_536,
        "{}",
        text.len()
    );
    assert!(logs.as_bytes().ends_with(text), "not the newest part");

    // Small logs still come back inline.
    write_log(&device.sandbox, "var/log/small.log", "one line\n");
    let (status, body) = device
        .call(&json!({"journal": false, "paths": ["/var/log/small.log"]}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["content"].as_str().unwrap().ends_with("one line\n"));
    assert_eq!(server.puts().len(), 1);
}

#[tokio::test]
async fn a_refused_put_fails_the_envelope_and_still_frees_the_hub_slot() {
    let server = BlobServer::start(StatusCode::FORBIDDEN).await;
    let device = Device::new(&server, None);
    write_log(&device.sandbox, "var/log/app.log", &log_lines(10));

    let envelope = device
        .upload(&json!({"journal": false, "paths": ["/var/log/app.log"], "delivery": "upload"}))
        .await;

    assert_eq!(envelope["state"], "failed", "{envelope}");
    let message = envelope["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("storage answered HTTP 403") && message.contains("AuthenticationFailed"),
        "{message}"
    );
    let completions = device.completions();
    assert_eq!(completions.len(), 1, "{completions:?}");
    assert_eq!(
        (completions[0].success, completions[0].status),
        (false, 403)
    );
    assert!(!completions[0].description.contains(SIG));
    assert!(device.leftovers().is_empty(), "{:?}", device.leftovers());
    let twin = device.transport.inner.reported().to_string();
    assert!(!twin.contains(SIG), "{twin}");
}

#[tokio::test]
async fn a_hub_refusal_fails_the_envelope_with_the_hubs_reason() {
    let server = BlobServer::start(StatusCode::CREATED).await;
    let refusal = DmError::Hub {
        status: 403,
        message: "DeviceMaximumActiveFileUploadLimitExceeded: too many uploads in progress".into(),
    };
    let device = Device::new(&server, Some(refusal));
    write_log(&device.sandbox, "var/log/app.log", &log_lines(10));

    let envelope = device
        .upload(&json!({"journal": false, "paths": ["/var/log/app.log"], "delivery": "upload"}))
        .await;

    assert_eq!(envelope["state"], "failed", "{envelope}");
    let message = envelope["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("the hub refused the upload: 403")
            && message.contains("DeviceMaximumActiveFileUploadLimitExceeded"),
        "{message}"
    );
    // No blob was handed out, so there is nothing to write or to complete.
    assert!(server.puts().is_empty());
    assert!(device.completions().is_empty());
    assert!(device.leftovers().is_empty());
}

#[tokio::test]
async fn refusals_come_in_the_answer_before_any_upload() {
    let server = BlobServer::start(StatusCode::CREATED).await;
    let device = Device::new(&server, None);
    write(&device.sandbox.join("etc/secret"), b"top secret\n");
    let (status, body) = device
        .call(&json!({"journal": false, "paths": ["/etc/secret"], "delivery": "upload"}))
        .await;
    assert_eq!(
        (status, body["code"].as_str(), body["field"].as_str()),
        (400, Some("pathNotAllowed"), Some("paths[0]")),
        "{body}"
    );
    assert!(device.created().is_empty());

    // A transport without file upload: 501 at once, with what to ask for instead.
    let plain = crate::core_common::Device::new();
    let (status, body) = plain
        .call(
            "dm.diagnostics.collect",
            json!({"journal": false, "paths": ["/var/log"], "delivery": "upload"}),
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (501, Some("notSupported")));
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("delivery: inline"),
        "{body}"
    );
    // Nothing was recorded as an operation.
    assert!(
        plain.transport.reported()["dm"]["diagnostics"]["operations"].is_null(),
        "{}",
        plain.transport.reported()
    );
}
