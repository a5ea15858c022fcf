//! Keeps the crate documentation honest: every JSON example in the `lib.rs` reference is parsed
//! into the type it claims to show, validated, and re-serialized to the same JSON; the summary
//! table must agree with [`Method`]; and every method and section must have its examples.

use std::collections::{BTreeMap, BTreeSet};

use dm_contract::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

const LIB_RS: &str = include_str!("../src/lib.rs");

/// The crate docs as markdown: the `//!` lines of lib.rs without their prefix.
fn crate_docs() -> Vec<&'static str> {
    LIB_RS
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect()
}

struct Example {
    marker: String,
    json: Value,
    line: usize,
}

/// Every fenced `json` block, with the `<!-- example: … -->` marker right before it.
fn examples() -> Vec<Example> {
    let docs = crate_docs();
    let mut out = Vec::new();
    let mut i = 0;
    while i < docs.len() {
        if docs[i].trim() == "```json" {
            let marker = (0..i)
                .rev()
                .map(|j| docs[j].trim())
                .find(|l| !l.is_empty())
                .and_then(|l| l.strip_prefix("<!-- example:"))
                .and_then(|l| l.strip_suffix("-->"))
                .unwrap_or_else(|| panic!("doc line {i}: json block without an example marker"))
                .trim()
                .to_owned();
            let end = (i + 1..docs.len())
                .find(|&j| docs[j].trim() == "```")
                .unwrap_or_else(|| panic!("doc line {i}: unterminated json block"));
            let text = docs[i + 1..end].join("\n");
            let json = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("doc line {i} ({marker}): not JSON: {e}"));
            out.push(Example {
                marker,
                json,
                line: i,
            });
            i = end;
        }
        i += 1;
    }
    out
}

fn roundtrip<T: DeserializeOwned + Serialize>(ex: &Example) -> T {
    let parsed: T = serde_json::from_value(ex.json.clone()).unwrap_or_else(|e| {
        panic!(
            "doc line {} ({}): does not parse as {}: {e}",
            ex.line,
            ex.marker,
            std::any::type_name::<T>()
        )
    });
    let back = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        back, ex.json,
        "doc line {} ({}): re-serializes differently",
        ex.line, ex.marker
    );
    parsed
}

/// Checks a 200 answer of `method` against its result type.
fn check_done(method: Method, ex: &Example) {
    match method {
        Method::AppsEnable | Method::AppsDisable => drop(roundtrip::<AppStatus>(ex)),
        Method::AppsList => drop(roundtrip::<AppInventory>(ex)),
        Method::CertificatesRemove => drop(roundtrip::<CertResult>(ex)),
        Method::CertificatesList => drop(roundtrip::<CertList>(ex)),
        Method::CertificatesShow => drop(roundtrip::<CertDetails>(ex)),
        Method::TimeGet => drop(roundtrip::<TimeInfo>(ex)),
        Method::WifiList => drop(roundtrip::<WifiList>(ex)),
        Method::WifiAdd => drop(roundtrip::<WifiProfile>(ex)),
        Method::WifiRemove => drop(roundtrip::<WifiRemoved>(ex)),
        Method::DiagnosticsCollect => {
            let r = roundtrip::<DiagnosticsResult>(ex);
            r.validate().unwrap();
            assert!(r.content.is_some(), "a 200 collect answer is inline");
        }
        Method::DiagnosticsSetLogLevel => drop(roundtrip::<LogLevelResult>(ex)),
        Method::InfoGet => drop(roundtrip::<DeviceInfo>(ex)),
        Method::ReportAll => {
            for s in roundtrip::<ReportAllResult>(ex).sections {
                Section::from_name(&s).unwrap();
            }
        }
        Method::OperationsCancel => roundtrip::<OperationStatus>(ex).validate().unwrap(),
        other => panic!("doc line {}: {other} does not answer 200", ex.line),
    }
    let reply = MethodReply::from_response(STATUS_OK, &ex.json).unwrap();
    assert_eq!(reply, MethodReply::Done(ex.json.clone()));
}

/// Checks an envelope `result` of `method` against its type.
fn check_result(method: Method, ex: &Example) {
    match method {
        Method::Reboot => drop(roundtrip::<RebootResult>(ex)),
        Method::AppsInstall | Method::AppsStart | Method::AppsStop | Method::AppsRestart => {
            drop(roundtrip::<AppStatus>(ex));
        }
        Method::UpdatesScan => drop(roundtrip::<UpdatesScanResult>(ex)),
        Method::UpdatesInstall => drop(roundtrip::<UpdatesInstallResult>(ex)),
        Method::CertificatesInstall => drop(roundtrip::<CertResult>(ex)),
        Method::AgentUpdate => {
            let r = roundtrip::<AgentUpdateResult>(ex);
            check::agent_version("version", &r.version).unwrap();
            check::agent_version("previousVersion", &r.previous_version).unwrap();
        }
        Method::DiagnosticsCollect => {
            let r = roundtrip::<DiagnosticsResult>(ex);
            r.validate().unwrap();
            assert!(
                r.upload.is_some(),
                "an envelope collect result is an upload"
            );
        }
        other => panic!("doc line {}: {other} has no envelope result type", ex.line),
    }
    // It must fit in an envelope in the twin.
    let mut op = OperationStatus::pending(
        OperationId::new("doc").unwrap(),
        method.name(),
        "2025-03-01T10:00:00Z".parse().unwrap(),
    );
    op.succeed(
        "2025-03-01T10:01:00Z".parse().unwrap(),
        Some(ex.json.clone()),
    );
    op.validate()
        .unwrap_or_else(|e| panic!("doc line {}: {e}", ex.line));
}

fn check_type(name: &str, ex: &Example) {
    match name {
        "OperationStatus" => roundtrip::<OperationStatus>(ex).validate().unwrap(),
        "AgentManifest" => {
            let m = roundtrip::<AgentManifest>(ex);
            for method in &m.methods {
                Method::from_name(method).unwrap();
            }
            for section in m.sections.iter().chain(m.providers.keys()) {
                Section::from_name(section).unwrap();
            }
        }
        "RebootDesired" => {
            roundtrip::<RebootDesired>(ex);
            parse_desired::<RebootDesired>(Section::Reboot, &ex.json).unwrap();
        }
        "UpdatesDesired" => {
            roundtrip::<UpdatesDesired>(ex);
            parse_desired::<UpdatesDesired>(Section::Updates, &ex.json).unwrap();
        }
        "TimeDesired" => {
            roundtrip::<TimeDesired>(ex);
            parse_desired::<TimeDesired>(Section::Time, &ex.json).unwrap();
        }
        "RebootReport" => drop(roundtrip::<RebootReport>(ex)),
        "FactoryResetReport" => drop(roundtrip::<FactoryResetReport>(ex)),
        "AppsReport" => drop(roundtrip::<AppsReport>(ex)),
        "UpdatesReport" => drop(roundtrip::<UpdatesReport>(ex)),
        "CertificatesReport" => drop(roundtrip::<CertificatesReport>(ex)),
        "TimeReport" => drop(roundtrip::<TimeReport>(ex)),
        "NetworkReport" => drop(roundtrip::<NetworkReport>(ex)),
        "DiagnosticsReport" => drop(roundtrip::<DiagnosticsReport>(ex)),
        "DeviceInfo" => drop(roundtrip::<DeviceInfo>(ex)),
        "BusyReport" => drop(roundtrip::<BusyReport>(ex)),
        "AgentUpdateReport" => drop(roundtrip::<AgentUpdateReport>(ex)),
        other => panic!("doc line {}: no check for type {other}", ex.line),
    }
}

fn check_twin(ex: &Example) {
    let twin = &ex.json;
    let id = "20250301T100000Z-7f3b";
    let op = find_operation(twin, Section::Reboot, id).unwrap().unwrap();
    assert_eq!(op.state, OperationState::Postponed);
    assert!(!op.is_final());
    let (section, _) = find_operation_anywhere(twin, "d7-time").unwrap().unwrap();
    assert_eq!(section, Section::Time);
    assert_eq!(desired_version(twin), Some(7));

    let reported = reported_properties(twin).unwrap();
    let dm: ReportedDm = serde_json::from_value(reported["dm"].clone()).unwrap();
    assert!(dm.other.is_empty(), "every reported section is typed");
    let manifest = dm.agent.unwrap();
    assert!(manifest.supports(Method::Reboot));
    assert!(!manifest.supports(Method::WifiAdd));
    let busy = dm.busy.unwrap();
    assert_eq!(busy.retry_after(op.requested_at), Some(240));
    for op in dm.reboot.unwrap().operations.values() {
        op.validate().unwrap();
    }

    let desired = desired_properties(twin).unwrap();
    let parsed: DesiredDm = serde_json::from_value(desired["dm"].clone()).unwrap();
    parsed.validate().unwrap();
    for section in [Section::Reboot, Section::Updates, Section::Time] {
        assert!(section_value(desired, section).is_some(), "{section}");
    }
    let window = parsed.reboot.unwrap().maintenance_window.unwrap();
    assert!(window.crosses_midnight());
}

#[test]
fn every_doc_example_parses_validates_and_round_trips() {
    let examples = examples();
    assert!(
        examples.len() > 50,
        "found only {} examples",
        examples.len()
    );
    let mut requests = BTreeSet::new();
    let mut done = BTreeSet::new();
    let mut results = BTreeSet::new();
    let mut types = BTreeSet::new();
    let mut twins = 0;

    for ex in &examples {
        let (kind, arg) = ex.marker.split_once(' ').unwrap_or((&ex.marker, ""));
        match kind {
            "request" => {
                let method = Method::from_name(arg).unwrap();
                let request = Request::parse(method, &ex.json)
                    .unwrap_or_else(|e| panic!("doc line {}: {e}", ex.line));
                assert_eq!(
                    request.to_payload().unwrap(),
                    ex.json,
                    "doc line {}",
                    ex.line
                );
                requests.insert(method);
            }
            "200" => {
                let method = Method::from_name(arg).unwrap();
                assert_ne!(
                    method.success(),
                    Success::Accepted,
                    "{method} never answers 200"
                );
                check_done(method, ex);
                done.insert(method);
            }
            "result" => {
                let method = Method::from_name(arg).unwrap();
                assert_ne!(method.success(), Success::Done, "{method} has no envelope");
                check_result(method, ex);
                results.insert(method);
            }
            "accepted" => {
                let accepted = roundtrip::<Accepted>(ex);
                assert!(!accepted.state.is_final());
                let reply = MethodReply::from_response(STATUS_ACCEPTED, &ex.json).unwrap();
                assert_eq!(reply, MethodReply::Accepted(accepted));
            }
            "error" => {
                let status: u16 = arg.parse().unwrap();
                let body = roundtrip::<ErrorBody>(ex);
                let reply = MethodReply::from_response(status, &ex.json).unwrap();
                assert_eq!(reply, MethodReply::Error { status, body });
            }
            "type" => {
                check_type(arg, ex);
                types.insert(arg.to_owned());
            }
            "twin" => {
                check_twin(ex);
                twins += 1;
            }
            other => panic!("doc line {}: unknown example kind `{other}`", ex.line),
        }
    }

    for &method in Method::ALL {
        assert!(
            requests.contains(&method),
            "no request example for {method}"
        );
        match method.success() {
            Success::Done => assert!(done.contains(&method), "no 200 example for {method}"),
            Success::Accepted => {}
            Success::DoneOrAccepted => {
                assert!(done.contains(&method), "no 200 example for {method}");
                assert!(results.contains(&method), "no result example for {method}");
            }
        }
    }
    let section_types: BTreeMap<Section, &[&str]> = BTreeMap::from([
        (Section::Agent, &["AgentManifest"][..]),
        (Section::Busy, &["BusyReport"][..]),
        (Section::Reboot, &["RebootDesired", "RebootReport"][..]),
        (Section::FactoryReset, &["FactoryResetReport"][..]),
        (Section::Apps, &["AppsReport"][..]),
        (Section::Updates, &["UpdatesDesired", "UpdatesReport"][..]),
        (Section::Certificates, &["CertificatesReport"][..]),
        (Section::Time, &["TimeDesired", "TimeReport"][..]),
        (Section::Network, &["NetworkReport"][..]),
        (Section::Diagnostics, &["DiagnosticsReport"][..]),
        (Section::Info, &["DeviceInfo"][..]),
        (Section::AgentUpdate, &["AgentUpdateReport"][..]),
    ]);
    for section in Section::ALL {
        for name in section_types[&section] {
            assert!(
                types.contains(*name),
                "no example of {name} for section {section}"
            );
        }
    }
    assert!(types.contains("OperationStatus"));
    assert_eq!(twins, 1);
}

#[test]
fn the_summary_table_agrees_with_the_code() {
    let docs = crate_docs();
    let mut seen = BTreeSet::new();
    for row in docs.iter().filter(|l| l.starts_with("| `dm.")) {
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
        let name = cells[0].trim_matches('`');
        let method = Method::from_name(name).unwrap();
        let success = cells[2];
        let expected = match method.success() {
            Success::Done => success.starts_with("200"),
            Success::Accepted => success == "202",
            Success::DoneOrAccepted => success.contains("200") && success.contains("202"),
        };
        assert!(expected, "{name}: table says `{success}`");
        assert_eq!(
            cells[3] == "yes",
            method.is_disruptive(),
            "{name}: disruptive"
        );
        let section = method.section().map_or("—", Section::name);
        assert_eq!(cells[4], section, "{name}: section");
        assert!(seen.insert(method), "{name} listed twice");
    }
    assert_eq!(seen.len(), Method::ALL.len(), "table misses methods");
}

#[test]
fn every_disruptive_request_carries_its_flags() {
    // Build each disruptive request from its doc example and check `disruption()` sees the
    // flags the payload set.
    for ex in examples() {
        let Some(name) = ex.marker.strip_prefix("request ") else {
            continue;
        };
        let method = Method::from_name(name).unwrap();
        let request = Request::parse(method, &ex.json).unwrap();
        assert_eq!(request.method(), method);
        assert_eq!(
            request.disruption().is_some(),
            method.is_disruptive(),
            "{method}"
        );
        if let Some(flags) = request.disruption() {
            assert_eq!(
                flags.force(),
                ex.json.get("force") == Some(&Value::Bool(true))
            );
            assert_eq!(
                flags.postpone(),
                ex.json.get("postpone") == Some(&Value::Bool(true))
            );
        }
    }
}
