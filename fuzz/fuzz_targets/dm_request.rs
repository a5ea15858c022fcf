//! dm-contract requests as the agent receives them: any method name with any payload. Parsing
//! never panics, and a request that parses re-encodes to a payload that parses to the same.
#![no_main]

use arbitrary::Arbitrary;
use dm_contract::{Method, Request};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    method: u8,
    name: &'a str,
    payload: &'a [u8],
}

fuzz_target!(|input: Input<'_>| {
    let Ok(payload) = serde_json::from_slice(input.payload) else {
        return;
    };
    let _ = Request::parse_call(input.name, &payload);
    let method = Method::ALL[usize::from(input.method) % Method::ALL.len()];
    let Ok(request) = Request::parse(method, &payload) else {
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
