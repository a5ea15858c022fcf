//! Shared by the `core_*` tests: a fake transport that records what the client sends, and
//! helpers to build clients over the sandbox.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dm_agent::transport::Transport;
use dm_agent::{Agent, DmError, DmResult};
use futures::future::BoxFuture;
use serde_json::{Value, json};
use tokio::sync::Notify;

/// How long a test waits for something the client does in the background.
pub const WAIT: Duration = Duration::from_secs(10);

/// Records reported patches and method answers; serves a scripted twin.
#[derive(Default)]
pub struct FakeTransport {
    reported: Mutex<Vec<Value>>,
    answers: Mutex<Vec<(String, u16, Value)>>,
    twin: Mutex<Option<Value>>,
    twin_gets: Mutex<u32>,
    changed: Notify,
}

impl FakeTransport {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Sets what `get_twin` returns.
    pub fn set_twin(&self, twin: Value) {
        *self.twin.lock().unwrap() = Some(twin);
    }

    /// How many times the client fetched the twin.
    pub fn twin_gets(&self) -> u32 {
        *self.twin_gets.lock().unwrap()
    }

    /// Every reported patch, in order.
    pub fn patches(&self) -> Vec<Value> {
        self.reported.lock().unwrap().clone()
    }

    /// The reported document the hub would hold after merging every patch.
    pub fn reported(&self) -> Value {
        let mut doc = json!({});
        for patch in self.patches() {
            merge(&mut doc, &patch);
        }
        doc
    }

    /// Waits for the answer to request `rid`.
    pub async fn answer(&self, rid: &str) -> (u16, Value) {
        let found = self
            .wait_for(|| {
                self.answers
                    .lock()
                    .unwrap()
                    .iter()
                    .find(|(r, _, _)| r == rid)
                    .map(|(_, s, p)| (*s, p.clone()))
            })
            .await;
        found.unwrap_or_else(|| panic!("no answer to `{rid}` within {WAIT:?}"))
    }

    /// Waits until the merged reported document satisfies `check`, and returns it.
    pub async fn reported_until(&self, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        let found = self
            .wait_for(|| {
                let doc = self.reported();
                check(&doc).then_some(doc)
            })
            .await;
        found.unwrap_or_else(|| panic!("reported never showed {what}; got {:#}", self.reported()))
    }

    /// Waits until operation `id` of `section` reaches a final state; returns the envelope.
    pub async fn final_envelope(&self, section: &str, id: &str) -> Value {
        let doc = self
            .reported_until(&format!("a final `{section}` envelope `{id}`"), |doc| {
                let state = doc["dm"][section]["operations"][id]["state"].as_str();
                matches!(state, Some("succeeded" | "failed" | "rejected"))
            })
            .await;
        doc["dm"][section]["operations"][id].clone()
    }

    async fn wait_for<T>(&self, probe: impl Fn() -> Option<T>) -> Option<T> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let notified = self.changed.notified();
            if let Some(found) = probe() {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return probe();
            }
        }
    }
}

impl Transport for FakeTransport {
    fn send_reported(&self, patch: Value) -> BoxFuture<'_, DmResult<()>> {
        self.reported.lock().unwrap().push(patch);
        self.changed.notify_waiters();
        Box::pin(async { Ok(()) })
    }

    fn respond_method(
        &self,
        request_id: &str,
        status: u16,
        payload: Value,
    ) -> BoxFuture<'_, DmResult<()>> {
        self.answers
            .lock()
            .unwrap()
            .push((request_id.to_owned(), status, payload));
        self.changed.notify_waiters();
        Box::pin(async { Ok(()) })
    }

    fn get_twin(&self) -> BoxFuture<'_, DmResult<Value>> {
        *self.twin_gets.lock().unwrap() += 1;
        let twin = self.twin.lock().unwrap().clone();
        Box::pin(async move { twin.ok_or(DmError::NotConnected) })
    }
}

/// RFC 7396 merge, as the hub applies reported patches.
pub fn merge(target: &mut Value, patch: &Value) {
    if patch.is_object() && !target.is_object() {
        *target = json!({});
    }
    if let (Value::Object(t), Value::Object(p)) = (&mut *target, patch) {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    } else {
        *target = patch.clone();
    }
}

/// A sandbox device: its client, transport and directories.
pub struct Device {
    pub client: Agent,
    pub transport: Arc<FakeTransport>,
    pub sandbox: PathBuf,
    pub state: PathBuf,
    pub dir: Arc<tempfile::TempDir>,
    counter: std::sync::atomic::AtomicU32,
}

pub const DEVICE_ID: &str = "sensor-042";

/// The client settings of test devices: the test servers ([`serve`]) speak plain http on
/// 127.0.0.1, so http is allowed (as `artifacts.allow_http = true` would); the sandbox lives in
/// the test's private temporary directory, so preflights keep the test's privileges.
pub fn test_settings() -> dm_agent::client::Settings {
    dm_agent::client::Settings {
        artifacts: dm_agent::artifacts::ArtifactPolicy {
            allow_http: true,
            preflight_user: None,
            ..dm_agent::artifacts::ArtifactPolicy::default()
        },
        ..dm_agent::client::Settings::default()
    }
}

impl Device {
    /// A fresh sandbox device.
    pub fn new() -> Self {
        let dir = Arc::new(tempfile::tempdir().unwrap());
        Self::in_dir(dir)
    }

    /// A device over an existing directory (a restart).
    pub fn in_dir(dir: Arc<tempfile::TempDir>) -> Self {
        Self::with_settings(dir, test_settings())
    }

    /// A device with these client settings.
    pub fn with_settings(
        dir: Arc<tempfile::TempDir>,
        settings: dm_agent::client::Settings,
    ) -> Self {
        let transport = FakeTransport::new();
        let sandbox = dir.path().join("sandbox");
        let state = dir.path().join("state");
        let client = Agent::builder(transport.clone())
            .device_id(DEVICE_ID)
            .state_dir(&state)
            .sandbox(&sandbox)
            .settings(settings)
            .build()
            .unwrap();
        Self {
            client,
            transport,
            sandbox,
            state,
            dir,
            counter: std::sync::atomic::AtomicU32::default(),
        }
    }

    /// Calls a method through `handle_method` and waits for its answer.
    pub async fn call(&self, name: &str, payload: Value) -> (u16, Value) {
        let bytes = if payload.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(&payload).unwrap()
        };
        self.call_raw(name, &bytes).await
    }

    /// Calls a method with raw payload bytes.
    pub async fn call_raw(&self, name: &str, payload: &[u8]) -> (u16, Value) {
        let n = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let rid = format!("rid-{n}");
        assert!(
            self.client.handle_method(&rid, name, payload).await,
            "{name} not handled"
        );
        self.transport.answer(&rid).await
    }

    /// Calls a 202 method and waits for its final envelope.
    pub async fn run(&self, name: &str, section: &str, payload: Value) -> Value {
        let (status, body) = self.call(name, payload).await;
        assert_eq!(status, 202, "{name}: {body}");
        let id = body["operationId"].as_str().unwrap().to_owned();
        self.transport.final_envelope(section, &id).await
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.sandbox.join(rel)
    }
}

/// Writes a file, creating its directory.
pub fn write(path: &Path, contents: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// Serves `body` over HTTP on 127.0.0.1 for every request; returns the base URL.
pub async fn serve(body: Vec<u8>) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = vec![0_u8; 4096];
                let _ = stream.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
            });
        }
    });
    format!("http://{addr}")
}

/// SHA-256 as lower-case hex.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
