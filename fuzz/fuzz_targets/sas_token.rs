//! SAS tokens arrive from every client (REST `Authorization`, MQTT CONNECT password): parsing
//! and verifying one must never panic, and a token that verifies must survive a round trip.
#![no_main]

use iothub_auth::{SasToken, SharedAccessKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let Ok(token) = SasToken::parse(input) else {
        return;
    };
    // A fixed key: a fuzzer almost never forges its signature, but every path up to the
    // comparison (decoding, the string to sign, expiry arithmetic at u64 edges) runs.
    let key = SharedAccessKey::from_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        .expect("a valid fixed key");
    let _ = token.verify(&key, u64::MAX, u64::MAX);
    let _ = token.verify(&key, 0, 0);
    let _ = token.audience_matches("hub.azure-devices.net/devices/d1");
    let _ = token.audience_matches("");
    // What was accepted once is accepted again, unchanged.
    let again = SasToken::parse(token.expose()).expect("a parsed token re-parses");
    assert_eq!(again.expose(), token.expose());
});
