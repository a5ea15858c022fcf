//! The hub's twin state machine (service PATCH and PUT, device reported patches) fed sequences
//! of structure-aware patches: nothing panics, a refused write leaves the twin exactly as it
//! was (no half-applied state), an accepted one leaves every section within the limits and
//! moves the counters the way the protocol reference §D.1 says.
#![no_main]

use arbitrary::{Arbitrary, Result, Unstructured};
use iothub_emulator::twins::{self, ServiceTwinWrite};
use iothub_model::twin::{TwinSection, validate_document};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Key names twins really carry, so merges hit existing branches (and `$` keys, which patches
/// may not use).
const KEYS: &[&str] = &[
    "dm",
    "agent",
    "version",
    "site",
    "n",
    "a",
    "b",
    "$version",
    "$metadata",
    "$x",
    "a.b",
    "a b",
    "",
    "\u{0}",
];

#[derive(Debug)]
enum Op {
    Patch(ServiceTwinWrite),
    Replace(ServiceTwinWrite),
    Reported(Value),
}

fn write(u: &mut Unstructured<'_>) -> Result<ServiceTwinWrite> {
    Ok(ServiceTwinWrite {
        tags: if u.arbitrary()? {
            Some(dmctl_fuzz::object(u, KEYS, 1)?)
        } else {
            None
        },
        desired: if u.arbitrary()? {
            Some(dmctl_fuzz::object(u, KEYS, 1)?)
        } else {
            None
        },
    })
}

fn ops(u: &mut Unstructured<'_>) -> Result<Vec<Op>> {
    let mut ops = Vec::new();
    for _ in 0..u.int_in_range(1..=6)? {
        ops.push(match u.int_in_range(0..=2)? {
            0 => Op::Patch(write(u)?),
            1 => Op::Replace(write(u)?),
            _ => Op::Reported(dmctl_fuzz::json(u, KEYS, 0)?),
        });
    }
    Ok(ops)
}

struct Input(Vec<Op>);

impl<'a> Arbitrary<'a> for Input {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        ops(u).map(Input)
    }
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

const T: &str = "2026-01-01T00:00:00.0000000Z";

fn sections_valid(twin: &iothub_emulator::store::TwinState) {
    for (section, doc) in [
        (TwinSection::Tags, &twin.tags),
        (TwinSection::Desired, &twin.desired),
        (TwinSection::Reported, &twin.reported),
    ] {
        if let Err(e) = validate_document(section, &Value::Object(doc.clone())) {
            panic!("an accepted write left {section:?} invalid: {e}");
        }
    }
}

fuzz_target!(|input: Input| {
    let mut twin = twins::new_twin(T);
    for op in &input.0 {
        let before = twin.clone();
        let outcome = match op {
            Op::Patch(w) => twins::patch(&mut twin, w, T).map(|o| o.notification.is_some()),
            Op::Replace(w) => twins::replace(&mut twin, w, T).map(|o| o.notification.is_some()),
            Op::Reported(p) => twins::patch_reported(&mut twin, p, T).map(|v| {
                assert_eq!(
                    v,
                    before.reported_version + 1,
                    "reported $version moves by one"
                );
                false
            }),
        };
        match outcome {
            Err(_) => assert_eq!(twin, before, "a refused write changed the twin"),
            Ok(notified) => {
                sections_valid(&twin);
                if notified {
                    assert_eq!(twin.desired_version, before.desired_version + 1);
                } else {
                    assert_eq!(twin.desired_version, before.desired_version);
                }
                assert!(twin.version >= before.version, "the twin version went back");
                // What a device and a service read back is built without panicking.
                let _ = twins::device_view(&twin);
                let _ = twins::service_parts(&twin);
                let _ = twins::etag(&twin);
            }
        }
    }
});
