//! dm-contract requests as the agent receives them: any method name with any payload.
//!
//! Structure-aware: the payload is a JSON object whose keys are mostly the contract's own field
//! names (and whose values are anything), so executions get past "unknown field" into the
//! per-field checks. The raw-bytes half covers JSON text the builder cannot produce. Parsing
//! never panics, and a request that parses re-encodes to a payload that parses to the same.
#![no_main]

use arbitrary::{Arbitrary, Result, Unstructured};
use dm_contract::{Method, Request};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// The request fields of the contract (camelCase, as on the wire).
const KEYS: &[&str] = &[
    "allowDowngrade",
    "autoConnect",
    "clearTpm",
    "confirmDeviceId",
    "delaySeconds",
    "delivery",
    "durationSeconds",
    "enable",
    "filter",
    "force",
    "hidden",
    "id",
    "journal",
    "kind",
    "level",
    "limit",
    "maxBytes",
    "name",
    "operationId",
    "packages",
    "passphrase",
    "paths",
    "pem",
    "postpone",
    "priority",
    "purge",
    "reason",
    "rebootIfRequired",
    "security",
    "signature",
    "since",
    "ssid",
    "start",
    "store",
    "thumbprint",
    "units",
    "until",
    "url",
    "version",
    "wipeData",
    "sha256",
    "schema",
    "contractVersion",
];

#[derive(Debug)]
struct Input {
    method: usize,
    name: String,
    payload: Value,
}

impl<'a> Arbitrary<'a> for Input {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let method = u.choose_index(Method::ALL.len())?;
        let name = if u.ratio(3, 4)? {
            Method::ALL[method].name().to_owned()
        } else {
            u.arbitrary()?
        };
        let payload = match u.int_in_range(0..=5)? {
            0 => serde_json::from_slice(u.arbitrary::<&[u8]>()?).unwrap_or(Value::Null),
            1 => dmctl_fuzz::json(u, KEYS, 0)?,
            _ => Value::Object(dmctl_fuzz::object(u, KEYS, 1)?),
        };
        Ok(Input {
            method,
            name,
            payload,
        })
    }
}

fuzz_target!(|input: Input| {
    let _ = Request::parse_call(&input.name, &input.payload);
    let method = Method::ALL[input.method];
    let Ok(request) = Request::parse(method, &input.payload) else {
        return;
    };
    let encoded = request.to_payload().expect("a parsed request encodes");
    let again = Request::parse(method, &encoded).expect("an encoded request parses");
    assert_eq!(
        again.to_payload().expect("re-encodes"),
        encoded,
        "a request survives a round trip"
    );
});
