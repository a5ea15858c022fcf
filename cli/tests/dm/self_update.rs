//! `dmctl agent update` against real dm agents (sandbox providers) on the local hub: the new
//! version shows in the manifest and the device info after `--wait`, a binary of the wrong
//! version never lands, a fleet needs `--yes`, and a v1 agent is refused before anything is sent.
//! Devices that trust a publisher key install only what it signed (`--signature`), and refuse a
//! downgrade unless `--allow-downgrade`.

use dm_contract::{AgentManifest, Method};
use serde_json::{Value, json};

use crate::agent::{simulate, simulate_with, wait_for_manifest};
use crate::support::Hub;

fn info(hub: &Hub, id: &str) -> Value {
    let run = hub.dmctl(&["info", "-d", id, "-o", "json"]).run();
    run.assert_code(0);
    run.json()["result"]["result"].clone()
}

#[test]
fn agent_update_waits_for_the_new_version_on_simulated_devices() {
    let hub = Hub::start();
    let fleet = simulate(&hub, "upd-", 2);
    let (url, sha256, server) = hub
        .runtime
        .block_on(dmctl::dm::demo::serve_package(
            b"#!/bin/sh\necho \"dm-agent 0.9.1\"\n".to_vec(),
        ))
        .unwrap();
    let update = |device: &str, version: &str, extra: &[&str]| {
        let mut args = vec![
            "agent",
            "update",
            "-d",
            device,
            "--url",
            &url,
            "--sha256",
            &sha256,
            "--version",
        ];
        args.push(version);
        args.extend_from_slice(extra);
        hub.dmctl(&args).run()
    };
    let before = info(&hub, "upd-1")["agentVersion"].clone();
    assert_eq!(before, env!("CARGO_PKG_VERSION"));

    // --dry-run prints the call (without a signed URL's query) and sends nothing.
    let signed = format!("{url}?sig=SECRET");
    let dry = hub
        .dmctl(&[
            "agent",
            "update",
            "-d",
            "upd-1",
            "--url",
            &signed,
            "--sha256",
            &sha256,
            "--version",
            "0.9.1",
            "--dry-run",
            "-o",
            "json",
        ])
        .run();
    dry.assert_code(0);
    assert!(!dry.stdout.contains("SECRET"), "{}", dry.stdout);
    let request = &dry.json()["result"]["request"];
    assert_eq!(
        request["body"]["methodName"], "dm.agent.update",
        "{request}"
    );
    assert_eq!(request["body"]["payload"]["version"], "0.9.1", "{request}");
    assert_eq!(info(&hub, "upd-1")["agentVersion"], before);

    // A binary that says it is another version never replaces the agent.
    let wrong = update("upd-1", "0.9.2", &["--wait"]);
    wrong.assert_code(7);
    assert!(wrong.stderr.contains("preflightFailed"), "{}", wrong.stderr);
    assert_eq!(info(&hub, "upd-1")["agentVersion"], before);

    let run = update("upd-1", "0.9.1", &["--wait", "-o", "json"]);
    run.assert_code(0);
    let result = run.json()["result"].clone();
    assert_eq!(result["operation"]["state"], "succeeded", "{result}");
    assert_eq!(
        result["operation"]["result"],
        json!({"version": "0.9.1", "previousVersion": env!("CARGO_PKG_VERSION")})
    );
    assert_eq!(info(&hub, "upd-1")["agentVersion"], "0.9.1");
    assert_eq!(info(&hub, "upd-2")["agentVersion"], before);

    // Several devices need --yes, like any command that changes what manages them.
    let several = update("upd-1", "0.9.1", &["-d", "upd-2"]);
    several.assert_code(2);
    assert!(several.stderr.contains("--yes"), "{}", several.stderr);

    server.abort();
    fleet.stop(&hub);
}

#[test]
fn a_v1_agent_is_told_it_cannot_self_update() {
    let hub = Hub::start();
    let device = hub.connect_device("old-1", |_, _| None);
    let mut manifest = AgentManifest::new("0.1.0");
    manifest.contract_version = 1;
    manifest.methods = Method::ALL
        .iter()
        .filter(|m| **m != Method::AgentUpdate)
        .map(|m| m.name().to_owned())
        .collect();
    device.report(&hub, &json!({"dm": {"agent": manifest}}));
    wait_for_manifest(&hub, "old-1");
    let run = hub
        .dmctl(&[
            "agent",
            "update",
            "-d",
            "old-1",
            "--url",
            "https://artifacts.example.com/dm-agent",
            "--sha256",
            &"0".repeat(64),
            "--version",
            "0.2.0",
        ])
        .run();
    run.assert_code(7);
    assert!(
        run.stderr.contains("not supported on this device") && run.stderr.contains("contract v1"),
        "{}",
        run.stderr
    );
}

/// The `.minisig` text of `data` signed by `keypair`, as `minisign -S` writes it.
fn minisig(keypair: &minisign::KeyPair, data: &[u8]) -> String {
    minisign::sign(
        Some(&keypair.pk),
        &keypair.sk,
        std::io::Cursor::new(data),
        None,
        None,
    )
    .unwrap()
    .into_string()
}

#[test]
fn devices_that_trust_a_publisher_install_only_what_it_signed() {
    let hub = Hub::start();
    let publisher = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let stranger = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let key = dm_agent::artifacts::TrustedKey::parse(&publisher.pk.to_base64()).unwrap();
    let fleet = simulate_with(&hub, "sig-", 1, |options| {
        options.artifacts.allow_http = true;
        options.artifacts.trusted_keys = vec![key];
    });
    let package = b"hello-dm 1.0.0: signed by its publisher".to_vec();
    let (url, sha256, server) = hub
        .runtime
        .block_on(dmctl::dm::demo::serve_package(package.clone()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("hello-dm.deb.minisig");
    std::fs::write(&good, minisig(&publisher, &package)).unwrap();
    let foreign = dir.path().join("foreign.minisig");
    std::fs::write(&foreign, minisig(&stranger, &package)).unwrap();
    let not_a_signature = dir.path().join("notes.txt");
    std::fs::write(&not_a_signature, "hello\n").unwrap();
    let install = |extra: &[&str]| {
        let mut args = vec![
            "apps", "install", "hello-dm", "-d", "sig-1", "--url", &url, "--sha256", &sha256,
        ];
        args.extend_from_slice(extra);
        hub.dmctl(&args).run()
    };
    let installed = || {
        let run = hub
            .dmctl(&[
                "apps", "list", "-d", "sig-1", "--filter", "hello-dm", "-o", "json",
            ])
            .run();
        run.assert_code(0);
        run.stdout.contains("hello-dm")
    };

    // Unsigned: refused by the device, nothing installed.
    let unsigned = install(&["--expect-version", "1.0.0", "--wait"]);
    unsigned.assert_code(7);
    assert!(
        unsigned.stderr.contains("signatureRequired"),
        "{}",
        unsigned.stderr
    );
    assert!(!installed());

    // Signed by a key the device does not trust: refused too.
    let untrusted = install(&["--signature", foreign.to_str().unwrap(), "--wait"]);
    untrusted.assert_code(7);
    assert!(
        untrusted.stderr.contains("signatureUntrusted"),
        "{}",
        untrusted.stderr
    );
    assert!(!installed());

    // Not a .minisig at all: a usage error before anything is sent.
    let usage = install(&["--signature", not_a_signature.to_str().unwrap()]);
    usage.assert_code(2);
    assert!(usage.stderr.contains("--signature"), "{}", usage.stderr);

    // --dry-run shows the signature and --allow-downgrade in the payload.
    let dry = install(&[
        "--signature",
        good.to_str().unwrap(),
        "--allow-downgrade",
        "--dry-run",
        "-o",
        "json",
    ]);
    dry.assert_code(0);
    let payload = dry.json()["result"]["request"]["body"]["payload"].clone();
    assert_eq!(payload["signature"], minisig_text(&good), "{payload}");
    assert_eq!(payload["allowDowngrade"], true, "{payload}");

    // Signed by the publisher: installed.
    let signed = install(&[
        "--expect-version",
        "1.0.0",
        "--signature",
        good.to_str().unwrap(),
        "--wait",
        "-o",
        "json",
    ]);
    signed.assert_code(0);
    assert_eq!(signed.json()["result"]["operation"]["state"], "succeeded");
    assert!(installed());

    // An older version is a downgrade: refused unless --allow-downgrade.
    let older = install(&[
        "--expect-version",
        "0.9.0",
        "--signature",
        good.to_str().unwrap(),
        "--wait",
    ]);
    older.assert_code(7);
    assert!(
        older.stderr.contains("downgradeRefused"),
        "{}",
        older.stderr
    );
    let allowed = install(&[
        "--expect-version",
        "0.9.0",
        "--signature",
        good.to_str().unwrap(),
        "--allow-downgrade",
        "--wait",
    ]);
    allowed.assert_code(0);

    // Without --expect-version the device cannot tell a downgrade: refused, naming the flags.
    let unversioned = install(&["--signature", good.to_str().unwrap(), "--wait"]);
    unversioned.assert_code(7);
    assert!(
        unversioned.stderr.contains("downgradeRefused")
            && unversioned.stderr.contains("--expect-version")
            && unversioned.stderr.contains("--allow-downgrade"),
        "{}",
        unversioned.stderr
    );
    server.abort();

    // A certificate decides whom the device trusts: the same signature rule (the hub's own CA
    // serves as the certificate to install).
    let ca = std::fs::read(&hub.ca_file).unwrap();
    let (ca_url, ca_sha256, ca_server) = hub
        .runtime
        .block_on(dmctl::dm::demo::serve_package(ca.clone()))
        .unwrap();
    let ca_signature = dir.path().join("ca.pem.minisig");
    std::fs::write(&ca_signature, minisig(&publisher, &ca)).unwrap();
    let install_ca = |extra: &[&str]| {
        let mut args = vec![
            "certs", "install", "-d", "sig-1", "--store", "trust", "--url", &ca_url, "--sha256",
            &ca_sha256, "--wait",
        ];
        args.extend_from_slice(extra);
        hub.dmctl(&args).run()
    };
    let unsigned = install_ca(&[]);
    unsigned.assert_code(7);
    assert!(
        unsigned.stderr.contains("signatureRequired"),
        "{}",
        unsigned.stderr
    );
    let foreign_ca = dir.path().join("ca-foreign.minisig");
    std::fs::write(&foreign_ca, minisig(&stranger, &ca)).unwrap();
    install_ca(&["--signature", foreign_ca.to_str().unwrap()]).assert_code(7);
    let listed = hub
        .dmctl(&["certs", "list", "-d", "sig-1", "-o", "json"])
        .run();
    listed.assert_code(0);
    assert!(
        !listed.stdout.contains("thumbprint"),
        "a refused certificate was installed: {}",
        listed.stdout
    );
    install_ca(&["--signature", ca_signature.to_str().unwrap()]).assert_code(0);
    let listed = hub
        .dmctl(&["certs", "list", "-d", "sig-1", "-o", "json"])
        .run();
    assert!(
        listed.assert_code(0).stdout.contains("thumbprint"),
        "{}",
        listed.stdout
    );

    ca_server.abort();
    fleet.stop(&hub);
}

fn minisig_text(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap()
}
