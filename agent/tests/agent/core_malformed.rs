//! Nothing a cloud sends can crash the agent: malformed payloads of every method get 400 with
//! the reason, a panicking or hanging provider becomes a 500, an inactive provider a 501, and
//! the client keeps serving after each.

use std::sync::Arc;
use std::time::Duration;

use crate::core_common::{DEVICE_ID, FakeTransport};
use dm_agent::Agent;
use dm_agent::client::Settings;
use dm_agent::error::DmResult;
use dm_agent::providers::apps::{AppsProvider, InstallSpec, UnitAction};
use dm_agent::providers::info::InfoProvider;
use dm_agent::providers::{Providers, SandboxOptions};
use dm_agent::runner::RecordingRunner;
use dm_contract::{AppKind, AppStatus, Backend, DeviceInfo, Method, ProviderStatus};
use futures::future::BoxFuture;
use serde_json::{Value, json};

/// A payload of the right shape but a wrong type, per method.
fn wrong_type(method: Method) -> Value {
    match method {
        Method::Reboot => json!({"delaySeconds": "soon"}),
        Method::FactoryReset => json!({"confirmDeviceId": 42}),
        Method::AppsInstall => {
            json!({"name": ["a"], "url": "https://x.example/a.deb", "sha256": "0".repeat(64)})
        }
        Method::AppsRemove => json!({"name": true}),
        Method::AppsStart | Method::AppsEnable | Method::AppsDisable => {
            json!({"name": {"nested": 1}})
        }
        Method::AppsStop | Method::AppsRestart => json!({"name": "plc", "force": "yes"}),
        Method::AppsList => json!({"limit": "many"}),
        Method::UpdatesInstall => json!({"packages": "openssl"}),
        Method::CertificatesInstall => json!({"store": "trust", "pem": 5}),
        Method::CertificatesRemove | Method::CertificatesShow => {
            json!({"store": "trust", "thumbprint": 5})
        }
        Method::CertificatesList => json!({"store": 1}),
        Method::WifiAdd => json!({"ssid": "x", "security": "wpa2Psk", "passphrase": 87_654_321}),
        Method::WifiRemove => json!({"id": 7}),
        Method::DiagnosticsCollect => json!({"maxBytes": -1}),
        Method::DiagnosticsSetLogLevel => json!({"level": 3}),
        Method::OperationsCancel => json!({"operationId": "a.b"}),
        Method::AgentUpdate => {
            json!({"url": "https://x.example/dm-agent", "sha256": "0".repeat(64), "version": 2})
        }
        Method::UpdatesScan
        | Method::TimeGet
        | Method::WifiList
        | Method::InfoGet
        | Method::ReportAll => {
            json!({"unexpected": true})
        }
    }
}

#[tokio::test]
async fn every_method_refuses_malformed_payloads_and_the_client_keeps_serving() {
    let device = crate::core_common::Device::new();
    let deep = "[".repeat(50_000);
    let huge = format!("{{\"name\": \"{}\"}}", "a".repeat(200 * 1024));
    for &method in Method::ALL {
        let name = method.name();
        let wrong = serde_json::to_vec(&wrong_type(method)).unwrap();
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("wrong type", wrong),
            ("unknown field", br#"{"surelyNotAField": 1}"#.to_vec()),
            ("array", b"[1, 2]".to_vec()),
            ("string", br#""reboot please""#.to_vec()),
            ("number", b"5".to_vec()),
            ("invalid UTF-8", b"{\"name\": \"\xff\xfe\"}".to_vec()),
            ("truncated JSON", b"{\"name\": ".to_vec()),
            ("too deep", deep.clone().into_bytes()),
            ("huge", huge.clone().into_bytes()),
        ];
        for (what, payload) in cases {
            let (status, body) = device.call_raw(name, &payload).await;
            assert_eq!(status, 400, "{name} with {what}: {body}");
            assert_eq!(body["code"], "invalidPayload", "{name} with {what}: {body}");
            assert!(!body["message"].as_str().unwrap().is_empty());
            assert!(
                !body.to_string().contains("87654321"),
                "a misplaced secret is not echoed: {body}"
            );
        }
        let (status, _) = device.call(dm_contract::METHOD_INFO_GET, json!({})).await;
        assert_eq!(status, 200, "still serving after {name}");
    }
    // The 400 names the field where it can.
    let (_, body) = device.call("dm.reboot", json!({"delaySecs": 5})).await;
    assert_eq!(body["field"], "delaySecs");
    let (_, body) = device
        .call("dm.reboot", json!({"delaySeconds": 90_000}))
        .await;
    assert_eq!(body["field"], "delaySeconds");
    assert!(body["message"].as_str().unwrap().contains("86400"));
}

struct PanickyApps;

impl AppsProvider for PanickyApps {
    fn status(&self) -> ProviderStatus {
        ProviderStatus {
            backend: Backend::Sandbox,
            active: true,
            reason: None,
        }
    }
    fn install<'a>(&'a self, _: &'a InstallSpec) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(async { panic!("provider bug") })
    }
    fn remove<'a>(&'a self, _: &'a str, _: bool) -> BoxFuture<'a, DmResult<()>> {
        Box::pin(async { panic!("provider bug") })
    }
    fn control<'a>(&'a self, _: &'a str, _: UnitAction) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(async { panic!("provider bug") })
    }
    fn set_enabled<'a>(&'a self, _: &'a str, _: bool) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(async { panic!("provider bug") })
    }
    fn inspect<'a>(&'a self, _: &'a str) -> BoxFuture<'a, DmResult<AppStatus>> {
        Box::pin(async { panic!("provider bug") })
    }
    fn list(&self, _: Option<AppKind>) -> BoxFuture<'_, DmResult<Vec<AppStatus>>> {
        Box::pin(async { panic!("provider bug") })
    }
}

struct HangingInfo;

impl InfoProvider for HangingInfo {
    fn status(&self) -> ProviderStatus {
        ProviderStatus {
            backend: Backend::Sandbox,
            active: true,
            reason: None,
        }
    }
    fn collect(&self) -> BoxFuture<'_, DmResult<DeviceInfo>> {
        Box::pin(async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(DeviceInfo::default())
        })
    }
}

fn device_with(
    dir: &tempfile::TempDir,
    change: impl FnOnce(&mut Providers),
    settings: Settings,
) -> (Agent, Arc<FakeTransport>) {
    let mut providers =
        Providers::sandbox(&dir.path().join("sandbox"), &SandboxOptions::default()).unwrap();
    change(&mut providers);
    let transport = FakeTransport::new();
    let client = Agent::builder(transport.clone())
        .device_id(DEVICE_ID)
        .state_dir(dir.path().join("state"))
        .providers(providers)
        .settings(settings)
        .build()
        .unwrap();
    (client, transport)
}

async fn call(
    client: &Agent,
    transport: &FakeTransport,
    rid: &str,
    name: &str,
    payload: Value,
) -> (u16, Value) {
    assert!(
        client
            .handle_method(rid, name, payload.to_string().as_bytes())
            .await
    );
    transport.answer(rid).await
}

#[tokio::test]
async fn a_panicking_provider_becomes_a_500_and_a_failed_envelope() {
    let dir = tempfile::tempdir().unwrap();
    let (client, transport) = device_with(
        &dir,
        |p| p.apps = Arc::new(PanickyApps),
        Settings::default(),
    );
    let (status, body) = call(&client, &transport, "1", "dm.apps.list", json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (500, Some("internal")),
        "{body}"
    );
    let (status, body) = call(
        &client,
        &transport,
        "2",
        "dm.apps.restart",
        json!({"name": "plc"}),
    )
    .await;
    assert_eq!(status, 202);
    let id = body["operationId"].as_str().unwrap();
    let envelope = transport.final_envelope("apps", id).await;
    assert_eq!(
        (
            envelope["state"].as_str(),
            envelope["error"]["code"].as_str()
        ),
        (Some("failed"), Some("internal"))
    );
    // A later operation on the same app is not blocked by the one that died.
    let (status, _) = call(
        &client,
        &transport,
        "3",
        "dm.apps.restart",
        json!({"name": "plc"}),
    )
    .await;
    assert_eq!(status, 202);
    let (status, _) = call(&client, &transport, "4", "dm.time.get", json!({})).await;
    assert_eq!(status, 200, "still serving");
}

#[tokio::test(start_paused = true)]
async fn a_hanging_provider_times_out() {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        method_timeout: Duration::from_secs(2),
        ..Settings::default()
    };
    let (client, transport) = device_with(&dir, |p| p.info = Arc::new(HangingInfo), settings);
    let (status, body) = call(&client, &transport, "1", "dm.info.get", json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (500, Some("timeout")),
        "{body}"
    );
    let (status, _) = call(&client, &transport, "2", "dm.wifi.list", json!({})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn an_inactive_provider_answers_501_and_the_manifest_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let runner = RecordingRunner::new();
    runner.without(&["nmcli"]);
    let (client, transport) = device_with(
        &dir,
        |p| {
            p.network = Arc::new(dm_agent::providers::network::KeyfileWifi::linux(
                Arc::new(runner),
                dir.path(),
            ));
        },
        Settings::default(),
    );
    for name in ["dm.wifi.list", "dm.wifi.add", "dm.wifi.remove"] {
        let payload = if name == "dm.wifi.add" {
            json!({"ssid": "x", "security": "open"})
        } else if name == "dm.wifi.remove" {
            json!({"ssid": "x"})
        } else {
            json!({})
        };
        let (status, body) = call(&client, &transport, name, name, payload).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (501, Some("notSupported")),
            "{name}"
        );
        assert!(
            body["message"].as_str().unwrap().contains("nmcli"),
            "{body}"
        );
    }
    let manifest = client.manifest();
    assert!(!manifest.providers["network"].active);
    let (status, all) = call(&client, &transport, "all", "dm.reportAll", json!({})).await;
    assert_eq!(status, 200);
    assert!(
        !all["sections"]
            .as_array()
            .unwrap()
            .contains(&json!("network"))
    );
}
