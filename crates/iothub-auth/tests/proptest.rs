//! Property tests: sign → parse → verify round trips, and any change to `sig` or `se` is caught.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use iothub_auth::{AuthError, ConnectionString, SasToken, SharedAccessKey, encode_resource_uri};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;

fn key_strategy() -> impl Strategy<Value = SharedAccessKey> {
    prop::collection::vec(any::<u8>(), 1..=64)
        .prop_map(|bytes| SharedAccessKey::from_base64(&STANDARD.encode(bytes)).unwrap())
}

/// Host-like prefix plus an arbitrary (including non-ASCII) path.
fn uri_strategy() -> impl Strategy<Value = String> {
    ("[a-z0-9.-]{1,20}(:[0-9]{1,5})?", "(/\\PC{1,12}){0,3}").prop_map(|(host, path)| host + &path)
}

fn skn_strategy() -> impl Strategy<Value = Option<String>> {
    prop::option::of("\\PC{1,24}")
}

/// Splits a token into (text before the sig value, sig value, text after it).
fn split_sig(text: &str) -> (&str, &str, &str) {
    let start = text.find("sig=").unwrap() + 4;
    let len = text[start..].find('&').unwrap_or(text.len() - start);
    (
        &text[..start],
        &text[start..start + len],
        &text[start + len..],
    )
}

proptest! {
    #[test]
    fn sign_parse_verify_round_trip(
        key in key_strategy(),
        uri in uri_strategy(),
        expiry in any::<u64>(),
        skn in skn_strategy(),
    ) {
        let signed = SasToken::sign(&key, &uri, expiry, skn.as_deref()).unwrap();
        let parsed = SasToken::parse(signed.expose()).unwrap();
        prop_assert_eq!(parsed.resource(), uri.as_str());
        prop_assert_eq!(parsed.resource_encoded(), encode_resource_uri(&uri));
        prop_assert_eq!(parsed.expiry(), expiry);
        prop_assert_eq!(parsed.key_name(), skn.as_deref());
        prop_assert_eq!(parsed.expose(), signed.expose());
        prop_assert!(parsed.verify(&key, expiry, 0).is_ok());
        // In scope: the resource itself and anything below it, with the host in any ASCII
        // case (the path keeps its case: ids are case-sensitive).
        prop_assert!(parsed.audience_matches(&uri));
        let (host, path) = uri.split_at(uri.find('/').unwrap_or(uri.len()));
        let below = format!("{}{path}/twin", host.to_ascii_uppercase());
        prop_assert!(parsed.audience_matches(&below));
        if path.chars().any(|c| c.is_ascii_lowercase()) {
            let shouted = format!("{host}{}", path.to_ascii_uppercase());
            prop_assert!(!parsed.audience_matches(&shouted));
        }
        // Out of scope: a sibling whose name merely starts with the last segment.
        if !uri.ends_with('/') {
            let sibling = format!("{uri}x");
            prop_assert!(!parsed.audience_matches(&sibling));
        }
    }

    #[test]
    fn any_flipped_signature_bit_is_rejected(
        key in key_strategy(),
        uri in uri_strategy(),
        expiry in any::<u64>(),
        byte in 0usize..32,
        bit in 0u8..8,
    ) {
        let signed = SasToken::sign(&key, &uri, expiry, None).unwrap();
        let (before, sig, after) = split_sig(signed.expose());
        let mut bytes = STANDARD
            .decode(percent_decode_str(sig).decode_utf8().unwrap().as_bytes())
            .unwrap();
        bytes[byte] ^= 1 << bit;
        let tampered_sig = encode_resource_uri(&STANDARD.encode(&bytes));
        let tampered = format!("{before}{tampered_sig}{after}");
        let parsed = SasToken::parse(&tampered).unwrap();
        prop_assert!(matches!(parsed.verify(&key, 0, 0), Err(AuthError::SignatureMismatch)));
    }

    #[test]
    fn a_changed_expiry_is_rejected(
        key in key_strategy(),
        uri in uri_strategy(),
        expiry in any::<u64>(),
        other in any::<u64>(),
        skn in skn_strategy(),
    ) {
        prop_assume!(expiry != other);
        let signed = SasToken::sign(&key, &uri, expiry, skn.as_deref()).unwrap();
        let tampered = signed
            .expose()
            .replace(&format!("&se={expiry}"), &format!("&se={other}"));
        let parsed = SasToken::parse(&tampered).unwrap();
        prop_assert_eq!(parsed.expiry(), other);
        prop_assert!(matches!(parsed.verify(&key, 0, 0), Err(AuthError::SignatureMismatch)));
    }

    #[test]
    fn parsers_never_panic(input in "\\PC{0,200}") {
        let _ = SasToken::parse(&input);
        let _ = SasToken::parse(&format!("SharedAccessSignature {input}"));
        let _ = ConnectionString::parse(&input);
    }

    #[test]
    fn builder_strings_parse_back(
        key in key_strategy(),
        host in "[a-z0-9.-]{1,20}(:[0-9]{1,5})?",
        device in "[A-Za-z0-9._:@$!()*,=%'-]{1,32}",
    ) {
        let cs = ConnectionString::for_device(&host, &device, key.clone());
        let text = cs.expose_secret();
        let reparsed = ConnectionString::parse(&text).unwrap();
        prop_assert_eq!(reparsed.device_id.as_deref(), Some(device.as_str()));
        prop_assert_eq!(reparsed.key().unwrap().to_base64(), key.to_base64());
        prop_assert_eq!(reparsed.expose_secret(), text);
    }
}
