//! Connection strings come from users (flags, environment, files): parsing must never panic,
//! and the parsed value's `Debug`/`Display` must never show the key it holds.
#![no_main]

use iothub_auth::ConnectionString;
use libfuzzer_sys::fuzz_target;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Another key of the same length: each base64 digit moved 16 places, which keeps the low
/// four bits that a canonical final digit must have as they were.
fn other_key(key: &str) -> String {
    key.bytes()
        .map(|b| match ALPHABET.iter().position(|a| *a == b) {
            Some(i) => char::from(ALPHABET[(i + 16) % 64]),
            None => char::from(b),
        })
        .collect()
}

fuzz_target!(|input: &str| {
    let Ok(parsed) = ConnectionString::parse(input) else {
        return;
    };
    let Some(key) = parsed.key() else {
        return;
    };
    // What is printed must not depend on the key: the same string with another key prints
    // the same. (Looking for the key's text in the output instead raised false alarms, each
    // found by this target and kept as a seed: a key's text inside the device id, a short key
    // inside `<redacted>` or a field name, a key produced by the escaping of `\0`.)
    let secret = key.to_base64();
    let field = format!("SharedAccessKey={secret}");
    if input.matches(field.as_str()).count() != 1 {
        return;
    }
    let swapped = input.replacen(
        &field,
        &format!("SharedAccessKey={}", other_key(&secret)),
        1,
    );
    let Ok(other) = ConnectionString::parse(&swapped) else {
        return;
    };
    assert_ne!(
        other.key().map(|k| k.to_base64()),
        Some(secret),
        "the key was not swapped"
    );
    assert_eq!(
        format!("{parsed:?}"),
        format!("{other:?}"),
        "Debug shows the key"
    );
    assert_eq!(
        parsed.to_string(),
        other.to_string(),
        "Display shows the key"
    );
});
