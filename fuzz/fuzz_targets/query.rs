//! The hub's query language (`POST /devices/query`, job and configuration target conditions):
//! parsing and evaluating must never panic, whatever the query and the twin.
#![no_main]

use arbitrary::Arbitrary;
use iothub_emulator::query;
use libfuzzer_sys::fuzz_target;
use serde_json::json;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    query: &'a str,
    twin: &'a [u8],
}

fuzz_target!(|input: Input<'_>| {
    let twin = serde_json::from_slice(input.twin).unwrap_or_else(|_| {
        json!({"deviceId": "d1", "tags": {"site": "plant-4", "n": 3},
               "properties": {"reported": {"dm": {"agent": {"version": "1.2.0"}}}}})
    });
    if let Ok(condition) = query::parse_condition(input.query) {
        let _ = condition.matches(&twin);
    }
    if let Ok(parsed) = query::parse(input.query) {
        let _ = parsed.execute(vec![twin.clone(), json!({}), json!(null)]);
    }
});
