//! SAS tokens arrive from every client (REST `Authorization`, MQTT CONNECT password).
//!
//! Two halves per input: the raw text is parsed and verified (never a panic, and what parses
//! once re-parses unchanged); and a token is signed for a fuzzed resource, expiry and clock,
//! then verified the way the hub does, with the answers the rules dictate: the signer's key
//! accepts it exactly when `now <= se + skew`, any other key refuses it as a signature
//! mismatch, and a token whose `sr` or `se` was altered under the same signature never verifies.
#![no_main]

use arbitrary::Arbitrary;
use iothub_auth::{AuthError, SasToken, SharedAccessKey};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    raw: &'a str,
    resource: &'a str,
    key_name: Option<&'a str>,
    expiry: u64,
    now: u64,
    skew: u64,
    key: [u8; 32],
    other_key: [u8; 32],
    /// Where to alter the signed token's text, and the byte put there.
    tamper: Option<(u16, u8)>,
}

fn key(bytes: &[u8; 32]) -> SharedAccessKey {
    use base64::Engine as _;
    SharedAccessKey::from_base64(&base64::engine::general_purpose::STANDARD.encode(bytes))
        .expect("32 bytes in base64 are a key")
}

fuzz_target!(|input: Input<'_>| {
    let key_a = key(&input.key);

    // The raw text, as a peer sends it.
    if let Ok(token) = SasToken::parse(input.raw) {
        let _ = token.verify(&key_a, input.now, input.skew);
        let _ = token.audience_matches(input.resource);
        let _ = token.audience_matches("localhost/devices/d1");
        let again = SasToken::parse(token.expose()).expect("a parsed token re-parses");
        assert_eq!(again.expose(), token.expose());
        assert_eq!(again.resource(), token.resource());
        assert_eq!(again.expiry(), token.expiry());
    }

    // A token signed here, verified as the hub does.
    let Ok(token) = SasToken::sign(&key_a, input.resource, input.expiry, input.key_name) else {
        return;
    };
    let parsed = SasToken::parse(token.expose()).expect("a signed token parses");
    assert_eq!(
        parsed.resource(),
        input.resource,
        "sr decodes to what was signed"
    );
    assert_eq!(
        parsed.key_name(),
        input.key_name,
        "skn decodes to what was signed"
    );
    assert_eq!(parsed.expiry(), input.expiry);
    let verdict = parsed.verify(&key_a, input.now, input.skew);
    if input.now <= input.expiry.saturating_add(input.skew) {
        assert!(
            verdict.is_ok(),
            "a genuine unexpired token was refused: {verdict:?}"
        );
    } else {
        assert!(
            matches!(verdict, Err(AuthError::Expired { .. })),
            "{verdict:?}"
        );
    }
    if input.other_key != input.key {
        let wrong = parsed.verify(&key(&input.other_key), input.now, input.skew);
        assert!(
            matches!(wrong, Err(AuthError::SignatureMismatch)),
            "{wrong:?}"
        );
    }
    // A token is trimmed to `sr` at most: the resource is where its audience stops.
    let host_and_path = parsed.resource().trim_end_matches('/');
    if !host_and_path.is_empty() {
        assert!(
            parsed.audience_matches(host_and_path),
            "a token covers its own resource"
        );
    }

    if let Some((at, byte)) = input.tamper {
        let mut bytes = token.expose().as_bytes().to_vec();
        let at = usize::from(at) % bytes.len();
        if bytes[at] == byte {
            return;
        }
        bytes[at] = byte;
        let Ok(text) = String::from_utf8(bytes) else {
            return;
        };
        let Ok(altered) = SasToken::parse(&text) else {
            return;
        };
        // The signature covers `sr` as encoded and `se`: a token naming another resource or
        // another expiry with the same signature is a forgery and must not verify.
        if altered.resource_encoded() != parsed.resource_encoded()
            || altered.expiry() != parsed.expiry()
        {
            assert!(
                altered.verify(&key_a, 0, u64::MAX).is_err(),
                "an altered token verified: {text:?}"
            );
        }
    }
});
