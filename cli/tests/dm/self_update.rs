//! `dmctl agent update` against real dm agents (sandbox providers) on the local hub: the new
//! version shows in the manifest and the device info after `--wait`, a binary of the wrong
//! version never lands, a fleet needs `--yes`, and a v1 agent is refused before anything is sent.

use dm_contract::{AgentManifest, Method};
use serde_json::{Value, json};

use crate::agent::{simulate, wait_for_manifest};
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
