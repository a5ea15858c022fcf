//! The fast query paths give the rows the general path gives.
//!
//! `query_pages` answers a query page by page with device-id seeks, keyset continuations and
//! twins built without their properties. Here generated fleets are written into a real store and
//! generated queries are paged to the end through it, at generated page sizes; the rows must be
//! exactly what the general path yields: every twin built in full, the whole query evaluated,
//! in `(deviceId, moduleId)` order.

use iothub_emulator::hub::QueryPage;
use iothub_emulator::query_pages::{self, Plan};
use iothub_emulator::registry::{self, Now};
use iothub_emulator::store::Store;
use iothub_emulator::twins::{self, ServiceTwinWrite};
use iothub_emulator::{EmulatorError, Identity, query};
use proptest::prelude::*;
use serde_json::{Value, json};

/// One generated device.
#[derive(Debug, Clone)]
struct Spec {
    site: Option<u8>,
    n: u8,
    connected: bool,
    disabled: bool,
    reported_v: Option<u8>,
    modules: u8,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        proptest::option::of(0u8..3),
        0u8..6,
        any::<bool>(),
        proptest::bool::weighted(0.2),
        proptest::option::of(0u8..3),
        0u8..3,
    )
        .prop_map(|(site, n, connected, disabled, reported_v, modules)| Spec {
            site,
            n,
            connected,
            disabled,
            reported_v,
            modules,
        })
}

/// Device ids share prefixes (`d1`, `d10`, `d1x`) so prefix seeks have edges to get wrong.
fn device_id(i: usize) -> String {
    match i % 3 {
        0 => format!("d{i}"),
        1 => format!("d{}x", i / 3),
        _ => format!("e{i}"),
    }
}

fn write_fleet(store: &Store, fleet: &[Spec]) -> Result<(), EmulatorError> {
    let now = Now::current();
    store.with_tx(|tx| {
        for (i, spec) in fleet.iter().enumerate() {
            let id = device_id(i);
            let mut body = json!({"deviceId": id});
            if spec.disabled {
                body["status"] = json!("disabled");
            }
            let device: iothub_model::Device =
                serde_json::from_value(body).map_err(|e| EmulatorError::Corrupt(e.to_string()))?;
            let _ = registry::put_device(tx, &id, &device, None, &now)?;
            let mut tags = json!({"n": spec.n});
            if let Some(site) = spec.site {
                tags["site"] = json!(format!("s{site}"));
            }
            let write = ServiceTwinWrite::from_body(&json!({
                "tags": tags,
                "properties": {"desired": {"v": spec.n}},
            }))?;
            let identity = Identity::device(id.clone());
            let _ = registry::write_twin(tx, &identity, &write, false, None, &now)?;
            let mut record = tx.identity(&id, None)?.expect("just written");
            if let Some(v) = spec.reported_v {
                twins::patch_reported(&mut record.twin, &json!({"v": v}), &now.timestamp)?;
            }
            if spec.connected
                && let Some(doc) = record.registry.as_object_mut()
            {
                doc.insert("connectionState".into(), json!("Connected"));
            }
            tx.put_identity(&id, None, &record)?;
            for m in 0..spec.modules {
                let module: iothub_model::Module =
                    serde_json::from_value(json!({"deviceId": id, "moduleId": format!("m{m}")}))
                        .map_err(|e| EmulatorError::Corrupt(e.to_string()))?;
                let _ = registry::put_module(tx, &id, &format!("m{m}"), &module, None, &now)?;
            }
        }
        Ok::<(), EmulatorError>(())
    })
}

/// What the general path returns: every twin built in full, the whole query evaluated.
fn expected(store: &Store, text: &str) -> Vec<Value> {
    let parsed = query::parse(text).unwrap();
    let docs = store
        .with_read_tx(|tx| {
            tx.identities(parsed.source() == query::Source::Modules)?
                .into_iter()
                .map(|(d, m, record)| {
                    registry::twin_wire(
                        &Identity {
                            device_id: d,
                            module_id: m,
                        },
                        &record,
                    )
                })
                .collect::<Result<Vec<_>, EmulatorError>>()
        })
        .unwrap();
    parsed.execute(docs).unwrap()
}

/// Every row of `text` paged through `query_pages` at `page_size`, checking the page contract
/// on the way (no page over the size, a continuation exactly when rows remain).
fn paged(store: &Store, text: &str, page_size: usize, plan: Option<Plan>) -> Vec<Value> {
    let parsed = query::parse(text).unwrap();
    let mut rows = Vec::new();
    let mut continuation: Option<String> = None;
    for _ in 0..1000 {
        let page: QueryPage = store
            .with_read_tx(|tx| match plan {
                Some(plan) => query_pages::run_with(
                    tx,
                    text,
                    &parsed,
                    continuation.as_deref(),
                    page_size,
                    plan,
                ),
                None => query_pages::run(tx, text, &parsed, continuation.as_deref(), page_size),
            })
            .unwrap();
        assert!(page.items.len() <= page_size, "{text}: page over its size");
        if page.continuation.is_some() {
            assert!(
                !page.items.is_empty(),
                "{text}: an empty page with a continuation"
            );
        }
        rows.extend(page.items);
        match page.continuation {
            Some(next) => continuation = Some(next),
            None => return rows,
        }
    }
    panic!("{text}: paging did not end");
}

fn condition() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        (0usize..12).prop_map(|i| format!("deviceId = '{}'", device_id(i))),
        (0usize..12).prop_map(|i| format!("DEVICEID = '{}'", device_id(i))),
        Just("deviceId = 5".to_owned()),
        proptest::collection::vec(0usize..14, 0..4).prop_map(|ids| {
            let list: Vec<String> = ids.iter().map(|i| format!("'{}'", device_id(*i))).collect();
            format!("deviceId IN [{}]", list.join(", "))
        }),
        Just("deviceId IN ['d0', 3, null]".to_owned()),
        prop_oneof![
            Just("d"),
            Just("d1"),
            Just("e"),
            Just(""),
            Just("z"),
            Just("d1x")
        ]
        .prop_map(|p| format!("STARTSWITH(deviceId, '{p}')")),
        (0u8..3).prop_map(|s| format!("tags.site = 's{s}'")),
        (0u8..6).prop_map(|n| format!("tags.n >= {n}")),
        Just("connectionState = 'Connected'".to_owned()),
        Just("status = 'disabled'".to_owned()),
        Just("IS_DEFINED(tags.site)".to_owned()),
        (0u8..3).prop_map(|v| format!("properties.reported.v = {v}")),
        Just("properties.desired.v = tags.n".to_owned()),
        Just("moduleId = 'm1'".to_owned()),
    ];
    atom.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 2..4)
                .prop_map(|v| format!("({})", v.join(" AND "))),
            proptest::collection::vec(inner.clone(), 2..4)
                .prop_map(|v| format!("({})", v.join(" OR "))),
            inner.prop_map(|c| format!("NOT ({c})")),
        ]
    })
}

fn query_text() -> impl Strategy<Value = String> {
    let select = prop_oneof![
        Just("SELECT *"),
        Just("SELECT deviceId, tags.site"),
        Just("SELECT deviceId, moduleId, connectionState AS c"),
        Just("SELECT deviceId, properties.reported.v AS v, tags"),
        Just("SELECT TOP 3 *"),
        Just("SELECT TOP 5 deviceId, status"),
        Just("SELECT COUNT() AS n"),
        Just("SELECT COUNT() AS n, connectionState"),
        Just("SELECT COUNT() AS n, properties.reported.v"),
    ];
    let from = prop_oneof![3 => Just("devices"), 1 => Just("devices.modules")];
    (select, from, proptest::option::of(condition())).prop_map(|(select, from, condition)| {
        let mut text = format!("{select} FROM {from}");
        if let Some(c) = condition {
            text.push_str(" WHERE ");
            text.push_str(&c);
        }
        if select.ends_with("connectionState") {
            text.push_str(" GROUP BY connectionState");
        } else if select.ends_with("properties.reported.v") {
            text.push_str(" GROUP BY properties.reported.v");
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn pages_give_the_rows_of_the_general_path(
        fleet in proptest::collection::vec(spec(), 0..16),
        queries in proptest::collection::vec((query_text(), 1usize..5), 1..8),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        write_fleet(&store, &fleet).unwrap();
        for (text, page_size) in &queries {
            let want = expected(&store, text);
            prop_assert_eq!(&paged(&store, text, *page_size, None), &want, "{}", text);
            // The same query with every twin built in full: the lighter twins change nothing.
            prop_assert_eq!(&paged(&store, text, *page_size, Some(Plan::Full)), &want, "{}", text);
        }
    }
}
