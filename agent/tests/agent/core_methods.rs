//! Every `dm.*` method through `Agent::handle_method` on the sandbox backends: the answer,
//! the sandbox's effect and the reported state and envelopes.

use crate::core_common::{DEVICE_ID, Device, serve, sha256, write};
use serde_json::{Value, json};
use std::fmt::Write as _;

fn self_signed(cn: &str) -> (String, String) {
    let mut params = rcgen::CertificateParams::new(vec!["device.example".to_owned()]).unwrap();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, cn);
    let key = rcgen::KeyPair::generate().unwrap();
    (params.self_signed(&key).unwrap().pem(), key.serialize_pem())
}

#[tokio::test]
async fn methods_outside_dm_are_left_to_the_application() {
    let device = Device::new();
    assert!(!device.client.handle_method("1", "reboot", b"{}").await);
    assert!(!device.client.handle_method("2", "dmx.reboot", b"{}").await);
    assert!(
        !device
            .client
            .handle_method("3", "windows.rebootAsync", b"{}")
            .await
    );
    let (status, body) = device.call("dm.teleport", json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("unknownMethod"))
    );
}

#[tokio::test]
async fn reboot_moves_the_boot_time_and_reports_reason_and_result() {
    let device = Device::new();
    let before = std::fs::read_to_string(device.path("run/boot-time")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let envelope = device
        .run(
            "dm.reboot",
            "reboot",
            json!({"reason": "apply kernel update"}),
        )
        .await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(envelope["op"], "dm.reboot");
    let after = std::fs::read_to_string(device.path("run/boot-time")).unwrap();
    assert_ne!(before, after, "the sandbox booted again");
    assert_eq!(
        envelope["result"]["bootTime"].as_str().unwrap(),
        after.trim()
    );
    for key in ["requestedAt", "startedAt", "finishedAt"] {
        assert!(envelope[key].is_string(), "{key} in {envelope}");
    }
    let reported = device
        .transport
        .reported_until("the reboot reason", |d| {
            d["dm"]["reboot"]["lastRebootReason"] == "apply kernel update"
        })
        .await;
    assert_eq!(
        reported["dm"]["reboot"]["lastBootTime"].as_str().unwrap(),
        after.trim()
    );
}

#[tokio::test]
async fn a_delayed_reboot_stays_pending_and_can_be_cancelled() {
    let device = Device::new();
    let (status, body) = device
        .call("dm.reboot", json!({"delaySeconds": 3600}))
        .await;
    assert_eq!(status, 202);
    assert_eq!(body["state"], "pending");
    let id = body["operationId"].as_str().unwrap().to_owned();
    device
        .transport
        .reported_until("the pending envelope", |d| {
            d["dm"]["reboot"]["operations"][&id]["state"] == "pending"
        })
        .await;
    // A second reboot conflicts with the one waiting.
    let (status, body) = device.call("dm.reboot", json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("conflict")),
        "{body}"
    );
    let (status, cancelled) = device
        .call("dm.operations.cancel", json!({"operationId": id}))
        .await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["state"], "rejected");
    assert_eq!(cancelled["error"]["code"], "cancelled");
    let envelope = device.transport.final_envelope("reboot", &id).await;
    assert_eq!(envelope["state"], "rejected");
    let (status, body) = device
        .call("dm.operations.cancel", json!({"operationId": id}))
        .await;
    assert_eq!((status, body["code"].as_str()), (409, Some("conflict")));
    let (status, _) = device
        .call("dm.operations.cancel", json!({"operationId": "no-such-op"}))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn factory_reset_needs_the_device_id_and_erases_the_sandbox() {
    let device = Device::new();
    let twin = json!({"desired": {"dm": {"time": {"timeZone": "Asia/Tokyo"}}, "$version": 1}});
    device.client.handle_full_twin(&twin).await;
    device.transport.final_envelope("time", "d1-time").await;
    write(
        &device.path("apps/old/app.json"),
        br#"{"version":"1","active":true,"enabled":true}"#,
    );
    write(&device.path("data/db.sqlite"), b"data");
    let (status, body) = device
        .call("dm.factoryReset", json!({"confirmDeviceId": "sensor-043"}))
        .await;
    assert_eq!(
        (status, body["code"].as_str(), body["field"].as_str()),
        (400, Some("confirmationMismatch"), Some("confirmDeviceId"))
    );
    assert!(device.path("apps/old").exists(), "nothing happened");
    let envelope = device
        .run(
            "dm.factoryReset",
            "factoryReset",
            json!({"confirmDeviceId": DEVICE_ID, "wipeData": true}),
        )
        .await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert!(!device.path("apps").exists() && !device.path("data").exists());
    let reported = device
        .transport
        .reported_until("lastResetAt", |d| {
            d["dm"]["factoryReset"]["lastResetAt"].is_string()
        })
        .await;
    assert_eq!(
        reported["dm"]["factoryReset"]["lastResetAt"],
        envelope["result"]["bootTime"]
    );
    // The reset erased the time zone; the next connect re-applies the desired state.
    assert!(!device.path("etc/timezone").exists());
    device.client.handle_full_twin(&twin).await;
    let zone = device.path("etc/timezone");
    for _ in 0..3000 {
        if zone.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(std::fs::read_to_string(zone).unwrap(), "Asia/Tokyo\n");
}

#[tokio::test]
async fn app_installs_follow_the_artefact_rules() {
    let publisher = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let mut settings = crate::core_common::test_settings();
    settings.artifacts.allow_http = false;
    let device = Device::with_settings(std::sync::Arc::new(tempfile::tempdir().unwrap()), settings);
    let package = b"plc-bridge 2.4.1 package".to_vec();
    let base = serve(package.clone()).await;
    let install = json!({"name": "plc-bridge", "url": format!("{base}/p.deb"), "sha256": sha256(&package), "version": "2.4.1"});
    let envelope = device.run("dm.apps.install", "apps", install.clone()).await;
    assert_eq!(envelope["error"]["code"], "insecureUrl", "{envelope}");
    assert!(!device.path("apps/plc-bridge").exists());

    let mut settings = crate::core_common::test_settings();
    settings.artifacts.trusted_keys =
        vec![dm_agent::artifacts::TrustedKey::parse(&publisher.pk.to_base64()).unwrap()];
    let device = Device::with_settings(std::sync::Arc::new(tempfile::tempdir().unwrap()), settings);
    let envelope = device.run("dm.apps.install", "apps", install.clone()).await;
    assert_eq!(envelope["error"]["code"], "signatureRequired", "{envelope}");
    assert!(!device.path("apps/plc-bridge").exists());
    let signature = |data: &[u8]| {
        minisign::sign(
            Some(&publisher.pk),
            &publisher.sk,
            std::io::Cursor::new(data),
            None,
            None,
        )
        .unwrap()
        .into_string()
    };
    let mut tampered = install.clone();
    tampered["signature"] = json!(signature(b"another package"));
    let envelope = device.run("dm.apps.install", "apps", tampered).await;
    assert_eq!(envelope["error"]["code"], "signatureInvalid", "{envelope}");
    assert!(!device.path("apps/plc-bridge").exists());
    let mut signed = install.clone();
    signed["signature"] = json!(signature(&package));
    let envelope = device.run("dm.apps.install", "apps", signed.clone()).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");

    // 2.4.1 is installed: 2.3.0 is a downgrade, refused unless the request allows it.
    let mut older = signed;
    older["version"] = json!("2.3.0");
    let envelope = device.run("dm.apps.install", "apps", older.clone()).await;
    assert_eq!(envelope["error"]["code"], "downgradeRefused", "{envelope}");
    let message = envelope["error"]["message"].as_str().unwrap();
    assert!(message.contains("2.3.0 is older than 2.4.1"), "{message}");
    older["allowDowngrade"] = json!(true);
    let envelope = device.run("dm.apps.install", "apps", older.clone()).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(envelope["result"]["version"], "2.3.0");

    // Without a version the agent cannot compare: refused (naming the flags), not let through.
    let mut unversioned = older;
    unversioned.as_object_mut().unwrap().remove("version");
    unversioned
        .as_object_mut()
        .unwrap()
        .remove("allowDowngrade");
    let envelope = device
        .run("dm.apps.install", "apps", unversioned.clone())
        .await;
    assert_eq!(envelope["error"]["code"], "downgradeRefused", "{envelope}");
    let message = envelope["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("names no version")
            && message.contains("--expect-version")
            && message.contains("--allow-downgrade"),
        "{message}"
    );
    let app: serde_json::Value =
        serde_json::from_slice(&std::fs::read(device.path("apps/plc-bridge/app.json")).unwrap())
            .unwrap();
    assert_eq!(
        app["version"], "2.3.0",
        "the refused install changed nothing"
    );
    unversioned["allowDowngrade"] = json!(true);
    let envelope = device.run("dm.apps.install", "apps", unversioned).await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
}

#[tokio::test]
async fn apps_install_control_list_and_remove() {
    let device = Device::new();
    let package = b"plc-bridge 2.4.1 package".to_vec();
    let base = serve(package.clone()).await;
    let url = format!("{base}/plc-bridge_2.4.1_arm64.deb?sv=2024&sig=SECRET");
    let envelope = device
        .run("dm.apps.install", "apps", json!({"name": "plc-bridge", "url": url, "sha256": sha256(&package), "version": "2.4.1"}))
        .await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(envelope["result"]["state"], "active");
    assert_eq!(envelope["result"]["sha256"], sha256(&package));
    assert_eq!(
        std::fs::read(device.path("apps/plc-bridge/package")).unwrap(),
        package
    );
    let reported = device
        .transport
        .reported_until("the managed app", |d| {
            d["dm"]["apps"]["managed"][0]["name"] == "plc-bridge"
        })
        .await;
    assert_eq!(reported["dm"]["apps"]["managed"][0]["version"], "2.4.1");
    let everything = serde_json::to_string(&device.transport.patches()).unwrap();
    assert!(
        !everything.contains("SECRET"),
        "the signed URL never reaches the twin"
    );

    // A wrong checksum fails the operation with checksumMismatch and installs nothing.
    let envelope = device
        .run(
            "dm.apps.install",
            "apps",
            json!({"name": "other", "url": url, "sha256": sha256(b"something else")}),
        )
        .await;
    assert_eq!(
        (
            envelope["state"].as_str(),
            envelope["error"]["code"].as_str()
        ),
        (Some("failed"), Some("checksumMismatch"))
    );
    assert!(!device.path("apps/other").exists());

    let stopped = device
        .run(
            "dm.apps.stop",
            "apps",
            json!({"name": "plc-bridge.service"}),
        )
        .await;
    assert_eq!(stopped["result"]["state"], "inactive", "{stopped}");
    let started = device
        .run("dm.apps.start", "apps", json!({"name": "plc-bridge"}))
        .await;
    assert_eq!(started["result"]["state"], "active");
    let restarted = device
        .run("dm.apps.restart", "apps", json!({"name": "plc-bridge"}))
        .await;
    assert_eq!(restarted["state"], "succeeded");
    let (status, disabled) = device
        .call("dm.apps.disable", json!({"name": "plc-bridge"}))
        .await;
    assert_eq!((status, &disabled["enabled"]), (200, &json!(false)));
    let (status, enabled) = device
        .call("dm.apps.enable", json!({"name": "plc-bridge"}))
        .await;
    assert_eq!((status, &enabled["enabled"]), (200, &json!(true)));
    let (status, list) = device
        .call("dm.apps.list", json!({"kind": "unit", "filter": "PLC"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        list,
        json!({"apps": [{"name": "plc-bridge.service", "kind": "unit", "state": "active", "enabled": true}], "total": 1})
    );
    let (_, limited) = device.call("dm.apps.list", json!({"limit": 1})).await;
    assert_eq!(
        (limited["total"].as_u64(), limited["truncated"].as_bool()),
        (Some(2), Some(true))
    );
    let (status, body) = device
        .call("dm.apps.enable", json!({"name": "ghost"}))
        .await;
    assert_eq!((status, body["code"].as_str()), (404, Some("notFound")));
    let failed = device
        .run("dm.apps.restart", "apps", json!({"name": "ghost"}))
        .await;
    assert_eq!(failed["error"]["code"], "notFound");

    let removed = device
        .run(
            "dm.apps.remove",
            "apps",
            json!({"name": "plc-bridge", "purge": true}),
        )
        .await;
    assert_eq!(removed["state"], "succeeded");
    assert!(!device.path("apps/plc-bridge").exists());
    device
        .transport
        .reported_until("no managed apps", |d| {
            d["dm"]["apps"]["managed"] == json!([])
        })
        .await;
}

#[tokio::test]
async fn updates_scan_and_install() {
    let device = Device::new();
    let scan = device.run("dm.updates.scan", "updates", json!({})).await;
    assert_eq!(
        scan["result"],
        json!({"availableCount": 3, "securityCount": 2})
    );
    let reported = device
        .transport
        .reported_until("scan results", |d| {
            d["dm"]["updates"]["availableCount"] == 3
        })
        .await;
    let updates = &reported["dm"]["updates"];
    assert_eq!(
        updates["available"][0]["security"], true,
        "security first: {updates}"
    );
    assert!(updates["lastScanTime"].is_string());
    let install = device
        .run(
            "dm.updates.install",
            "updates",
            json!({"packages": ["linux-image-arm64", "curl"]}),
        )
        .await;
    assert_eq!(
        install["result"],
        json!({"installedCount": 2, "rebootRequired": true}),
        "{install}"
    );
    assert!(device.path("run/reboot-required").exists());
    device
        .transport
        .reported_until("pendingReboot", |d| {
            d["dm"]["updates"]["pendingReboot"] == true
        })
        .await;
    // With rebootIfRequired the agent reboots by itself, which clears the pending reboot.
    let install = device
        .run(
            "dm.updates.install",
            "updates",
            json!({"packages": ["openssl"], "rebootIfRequired": true}),
        )
        .await;
    assert_eq!(install["result"]["installedCount"], 1);
    device
        .transport
        .reported_until("the reboot completing the updates", |d| {
            d["dm"]["reboot"]["lastRebootReason"] == "complete OS updates"
        })
        .await;
    assert!(!device.path("run/reboot-required").exists());
}

/// A certificate decides whom the device trusts: downloaded or inline, it follows the same
/// artefact rules as apps and agent updates (https only unless allowed, publisher signature
/// when keys are configured), checked before anything reaches a store.
#[tokio::test]
async fn certificate_installs_follow_the_artefact_rules() {
    let publisher = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let (ca, _) = self_signed("Signed Vendor CA");
    let base = serve(ca.clone().into_bytes()).await;
    let by_url =
        json!({"store": "trust", "url": format!("{base}/ca.pem"), "sha256": sha256(ca.as_bytes())});
    let inline = json!({"store": "trust", "pem": ca});
    let trusted =
        |device: &Device| std::fs::read_dir(device.path("certs/trust")).map_or(0, Iterator::count);

    let mut settings = crate::core_common::test_settings();
    settings.artifacts.allow_http = false;
    let device = Device::with_settings(std::sync::Arc::new(tempfile::tempdir().unwrap()), settings);
    let envelope = device
        .run("dm.certificates.install", "certificates", by_url.clone())
        .await;
    assert_eq!(envelope["error"]["code"], "insecureUrl", "{envelope}");
    assert_eq!(trusted(&device), 0);

    let mut settings = crate::core_common::test_settings();
    settings.artifacts.trusted_keys =
        vec![dm_agent::artifacts::TrustedKey::parse(&publisher.pk.to_base64()).unwrap()];
    let device = Device::with_settings(std::sync::Arc::new(tempfile::tempdir().unwrap()), settings);
    let signature = |data: &[u8]| {
        minisign::sign(
            Some(&publisher.pk),
            &publisher.sk,
            std::io::Cursor::new(data),
            None,
            None,
        )
        .unwrap()
        .into_string()
    };
    for request in [&by_url, &inline] {
        let envelope = device
            .run("dm.certificates.install", "certificates", request.clone())
            .await;
        assert_eq!(envelope["error"]["code"], "signatureRequired", "{envelope}");
        let mut tampered = request.clone();
        tampered["signature"] = json!(signature(b"another certificate"));
        let envelope = device
            .run("dm.certificates.install", "certificates", tampered)
            .await;
        assert_eq!(envelope["error"]["code"], "signatureInvalid", "{envelope}");
        assert_eq!(
            trusted(&device),
            0,
            "a refused certificate reached the store"
        );
    }
    let mut signed = by_url;
    signed["signature"] = json!(signature(ca.as_bytes()));
    let envelope = device
        .run("dm.certificates.install", "certificates", signed)
        .await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    let mut signed = inline;
    signed["signature"] = json!(signature(ca.as_bytes()));
    let envelope = device
        .run("dm.certificates.install", "certificates", signed)
        .await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    assert_eq!(trusted(&device), 1, "the same certificate, installed once");
}

#[tokio::test]
async fn certificates_install_list_show_remove() {
    let device = Device::new();
    let (ca, _) = self_signed("Plant Root CA");
    let envelope = device
        .run(
            "dm.certificates.install",
            "certificates",
            json!({"store": "trust", "pem": ca}),
        )
        .await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");
    let thumb = envelope["result"]["thumbprint"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(device.path(&format!("certs/trust/{thumb}.pem")).is_file());
    let reported = device
        .transport
        .reported_until("the trust anchor", |d| {
            d["dm"]["certificates"]["trust"][0]["thumbprint"] == thumb
        })
        .await;
    assert_eq!(
        reported["dm"]["certificates"]["trust"][0]["subject"],
        "CN=Plant Root CA"
    );

    // From a URL with its digest.
    let (other, _) = self_signed("Vendor CA");
    let base = serve(other.clone().into_bytes()).await;
    let envelope = device
        .run("dm.certificates.install", "certificates", json!({"store": "trust", "url": format!("{base}/ca.pem"), "sha256": sha256(other.as_bytes())}))
        .await;
    assert_eq!(envelope["state"], "succeeded", "{envelope}");

    // A client certificate with its key: the key never leaves the device.
    let (cert, key) = self_signed(DEVICE_ID);
    let envelope = device
        .run(
            "dm.certificates.install",
            "certificates",
            json!({"store": "client", "pem": format!("{cert}{key}")}),
        )
        .await;
    let client_thumb = envelope["result"]["thumbprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, shown) = device
        .call(
            "dm.certificates.show",
            json!({"store": "client", "thumbprint": client_thumb}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        shown["pem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    assert!(!shown.to_string().contains("PRIVATE KEY"));
    let everything = serde_json::to_string(&device.transport.patches()).unwrap();
    assert!(!everything.contains("PRIVATE KEY"));

    let (status, list) = device
        .call("dm.certificates.list", json!({"store": "trust"}))
        .await;
    assert_eq!(status, 200);
    let subjects: Vec<&str> = list["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["CN=Plant Root CA", "CN=Vendor CA"]);
    let (status, removed) = device
        .call(
            "dm.certificates.remove",
            json!({"store": "trust", "thumbprint": thumb}),
        )
        .await;
    assert_eq!(
        (status, removed["thumbprint"].as_str()),
        (200, Some(thumb.as_str()))
    );
    let (status, _) = device
        .call(
            "dm.certificates.remove",
            json!({"store": "trust", "thumbprint": thumb}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = device
        .call(
            "dm.certificates.show",
            json!({"store": "trust", "thumbprint": thumb}),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn time_get_reports_the_sandbox_clock() {
    let device = Device::new();
    write(&device.path("etc/timezone"), b"Asia/Tokyo\n");
    let (status, info) = device.call("dm.time.get", Value::Null).await;
    assert_eq!(status, 200);
    assert_eq!(info["timeZone"], "Asia/Tokyo");
    assert!(
        info["localTime"].as_str().unwrap().ends_with("+09:00"),
        "{info}"
    );
    assert!(info["utcTime"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn wifi_profiles_never_expose_the_passphrase() {
    let device = Device::new();
    let (status, added) = device
        .call("dm.wifi.add", json!({"ssid": "Plant 4", "security": "wpa2Psk", "passphrase": "correct horse battery", "priority": 10}))
        .await;
    assert_eq!(status, 200, "{added}");
    let id = added["id"].as_str().unwrap().to_owned();
    assert!(!added.to_string().contains("correct horse"));
    let keyfile = device.path(&format!(
        "etc/NetworkManager/system-connections/dm-{id}.nmconnection"
    ));
    assert!(
        std::fs::read_to_string(&keyfile)
            .unwrap()
            .contains("psk=correct horse battery")
    );
    let reported = device
        .transport
        .reported_until("the profile", |d| d["dm"]["network"]["wifi"][0]["id"] == id)
        .await;
    assert_eq!(reported["dm"]["network"]["wifi"][0]["ssid"], "Plant 4");
    let (_, list) = device.call("dm.wifi.list", json!({})).await;
    assert_eq!(list["profiles"].as_array().unwrap().len(), 1);
    let (status, removed) = device.call("dm.wifi.remove", json!({"id": id})).await;
    assert_eq!(
        (status, removed["removed"][0]["ssid"].as_str()),
        (200, Some("Plant 4"))
    );
    assert!(!keyfile.exists());
    let (status, removed) = device
        .call("dm.wifi.remove", json!({"ssid": "Nowhere"}))
        .await;
    assert_eq!((status, removed), (200, json!({"removed": []})));
    let everything = serde_json::to_string(&device.transport.patches()).unwrap();
    assert!(
        !everything.contains("correct horse"),
        "no passphrase in any reported patch"
    );
}

#[tokio::test]
async fn diagnostics_collect_inline_and_refuse_what_cannot_be_delivered() {
    let device = Device::new();
    write(&device.path("var/log/plc/plc.log"), b"connected to PLC\n");
    write(&device.path("etc/secret"), b"top secret\n");
    std::os::unix::fs::symlink(device.path("etc/secret"), device.path("var/log/plc/escape"))
        .unwrap();
    let (status, result) = device
        .call(
            "dm.diagnostics.collect",
            json!({"journal": false, "paths": ["/var/log/plc"]}),
        )
        .await;
    assert_eq!(status, 200, "{result}");
    let content = result["content"].as_str().unwrap();
    assert!(
        content.contains("connected to PLC") && !content.contains("top secret"),
        "{content}"
    );
    assert_eq!(result["bytes"].as_u64().unwrap(), content.len() as u64);
    let (status, body) = device
        .call(
            "dm.diagnostics.collect",
            json!({"journal": false, "paths": ["/etc/secret"]}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str(), body["field"].as_str()),
        (400, Some("pathNotAllowed"), Some("paths[0]"))
    );
    let (status, body) = device
        .call(
            "dm.diagnostics.collect",
            json!({"journal": false, "paths": ["/var/log/plc/escape"]}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("pathNotAllowed"))
    );
    // Too large for an answer and no file upload: a clear 501; `inline` returns the newest part.
    let big: String = (0..20_000).fold(String::new(), |mut s, i| {
        let _ = writeln!(s, "line {i:06}");
        s
    });
    write(&device.path("var/log/big.log"), big.as_bytes());
    let (status, body) = device
        .call(
            "dm.diagnostics.collect",
            json!({"journal": false, "paths": ["/var/log/big.log"]}),
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (501, Some("notSupported")));
    assert!(body["message"].as_str().unwrap().contains("inline"));
    let (status, body) = device
        .call(
            "dm.diagnostics.collect",
            json!({"journal": false, "paths": ["/var/log/big.log"], "delivery": "inline"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["truncated"], true);
    assert!(body["content"].as_str().unwrap().ends_with("line 019999\n"));
    let (status, _) = device
        .call("dm.diagnostics.collect", json!({"delivery": "upload"}))
        .await;
    assert_eq!(status, 501);
    // The sandbox journal shows what the sandbox did.
    device.run("dm.reboot", "reboot", json!({})).await;
    let (status, body) = device
        .call("dm.diagnostics.collect", json!({"units": ["systemd"]}))
        .await;
    assert_eq!(status, 200);
    assert!(
        body["content"].as_str().unwrap().contains("rebooting"),
        "{body}"
    );
}

#[tokio::test]
async fn log_level_changes_and_reverts() {
    let device = Device::new();
    let (status, result) = device
        .call(
            "dm.diagnostics.setLogLevel",
            json!({"level": "debug", "durationSeconds": 1}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (result["level"].as_str(), result["previous"].as_str()),
        (Some("debug"), Some("info"))
    );
    assert!(result["revertsAt"].is_string());
    device
        .transport
        .reported_until("debug level", |d| {
            d["dm"]["diagnostics"]["logLevel"] == "debug"
        })
        .await;
    device
        .transport
        .reported_until("the level reverting", |d| {
            d["dm"]["diagnostics"]["logLevel"] == "info"
                && d["dm"]["diagnostics"]["logLevelRevertsAt"].is_null()
        })
        .await;
}

#[tokio::test]
async fn info_report_all_and_the_manifest() {
    let device = Device::new();
    let (status, info) = device.call("dm.info.get", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(info["hostname"], DEVICE_ID);
    assert_eq!(info["osId"], "dmctl-sandbox");
    assert!(info["bootTime"].is_string() && info["agentVersion"].is_string());
    let (status, all) = device.call("dm.reportAll", Value::Null).await;
    assert_eq!(status, 200);
    let sections: Vec<&str> = all["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(
        sections,
        [
            "agent",
            "busy",
            "reboot",
            "factoryReset",
            "apps",
            "updates",
            "certificates",
            "time",
            "network",
            "diagnostics",
            "info",
            "agentUpdate"
        ]
    );
    let reported = device.transport.reported();
    let agent = &reported["dm"]["agent"];
    assert_eq!(agent["contractVersion"], dm_contract::CONTRACT_VERSION);
    assert_eq!(
        agent["providers"]["network"],
        json!({"backend": "sandbox", "active": true})
    );
    let manifest: dm_contract::AgentManifest = serde_json::from_value(agent.clone()).unwrap();
    for &method in dm_contract::Method::ALL {
        assert!(manifest.supports(method), "{method}");
    }
}
