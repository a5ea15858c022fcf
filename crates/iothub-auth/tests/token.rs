//! SAS token parsing edge cases, expiry boundaries, tampering, audience rules and redaction.

use std::error::Error as _;

use iothub_auth::{AuthError, SasToken, SharedAccessKey, Signer};

const KEY: &str = "NMgJDvdKTxjLi+xBxxkDDEwDJxEvOE5u8BiT0mVgPeg=";
// sig of "myhub.azure-devices.net%2Fdevices%2Fdevice1\n1700000000" with KEY (protocol doc §A.2).
const SR: &str = "myhub.azure-devices.net%2Fdevices%2Fdevice1";
const SIG_RAW: &str = "YmIL/dTZAntV/lLZdg3E7re+iH8C6Gt9dG4E4I74ho0=";
const SIG_ENC: &str = "YmIL%2FdTZAntV%2FlLZdg3E7re%2BiH8C6Gt9dG4E4I74ho0%3D";
const SE: u64 = 1_700_000_000;

fn key() -> SharedAccessKey {
    SharedAccessKey::from_base64(KEY).unwrap()
}

fn token(fields: &str) -> String {
    format!("SharedAccessSignature {fields}")
}

#[test]
fn fields_in_every_order_verify() {
    let parts = [
        format!("sr={SR}"),
        format!("sig={SIG_ENC}"),
        format!("se={SE}"),
        "skn=device".to_owned(),
    ];
    let mut seen = 0;
    for a in 0..4 {
        for b in 0..4 {
            for c in 0..4 {
                for d in 0..4 {
                    let idx = [a, b, c, d];
                    if (0..4).any(|i| !idx.contains(&i)) {
                        continue;
                    }
                    let fields: Vec<&str> = idx.iter().map(|&i| parts[i].as_str()).collect();
                    let text = token(&fields.join("&"));
                    let parsed = SasToken::parse(&text).unwrap();
                    assert_eq!(parsed.key_name(), Some("device"), "{text}");
                    assert_eq!(parsed.expiry(), SE);
                    parsed.verify(&key(), SE, 0).unwrap();
                    seen += 1;
                }
            }
        }
    }
    assert_eq!(seen, 24);
}

#[test]
fn field_names_are_case_insensitive() {
    let text = token(&format!("SR={SR}&Sig={SIG_ENC}&sE={SE}&SKN=owner"));
    let parsed = SasToken::parse(&text).unwrap();
    assert_eq!(parsed.key_name(), Some("owner"));
    parsed.verify(&key(), SE, 0).unwrap();
}

#[test]
fn raw_slash_plus_and_equals_in_sig_are_kept() {
    // '+' must stay '+': if it became a space the base64 would not decode or would not match.
    let text = token(&format!("sr={SR}&sig={SIG_RAW}&se={SE}"));
    let parsed = SasToken::parse(&text).unwrap();
    parsed.verify(&key(), SE, 0).unwrap();
}

#[test]
fn percent_2b_decodes_to_plus() {
    let text = token(&format!("sr={SR}&sig={SIG_ENC}&se={SE}"));
    SasToken::parse(&text)
        .unwrap()
        .verify(&key(), SE, 0)
        .unwrap();
    // The same signature with the '+' mangled into a space (form decoding) no longer matches.
    let spaced = token(&format!(
        "sr={SR}&sig={}&se={SE}",
        SIG_ENC.replace("%2B", "%20")
    ));
    assert!(matches!(
        SasToken::parse(&spaced),
        Err(AuthError::InvalidField { field: "sig", .. })
    ));
}

#[test]
fn missing_fields_are_named() {
    for (fields, missing) in [
        (format!("sig={SIG_ENC}&se={SE}"), "sr"),
        (format!("sr={SR}&se={SE}&skn=x"), "sig"),
        (format!("sr={SR}&sig={SIG_ENC}&skn=x"), "se"),
    ] {
        let err = SasToken::parse(&token(&fields)).unwrap_err();
        assert!(
            matches!(err, AuthError::MissingField { field } if field == missing),
            "{err:?}"
        );
        assert!(err.to_string().contains(&format!("`{missing}`")), "{err}");
    }
}

#[test]
fn duplicate_fields_are_named() {
    let text = token(&format!("sr={SR}&sig={SIG_ENC}&se={SE}&SE={SE}"));
    let err = SasToken::parse(&text).unwrap_err();
    assert!(matches!(err, AuthError::DuplicateField { field: "se" }));
    assert!(err.to_string().contains("`se`"));

    let text = token(&format!("sr={SR}&sig={SIG_ENC}&se={SE}&skn=a&skn=b"));
    assert!(matches!(
        SasToken::parse(&text),
        Err(AuthError::DuplicateField { field: "skn" })
    ));
}

#[test]
fn wrong_prefix_is_rejected() {
    let fields = format!("sr={SR}&sig={SIG_ENC}&se={SE}");
    for text in [
        fields.clone(),
        format!("sharedaccesssignature {fields}"),
        format!("SharedAccessSignature{fields}"),
        format!("Bearer {fields}"),
        String::new(),
    ] {
        assert!(
            matches!(SasToken::parse(&text), Err(AuthError::TokenPrefix)),
            "{text}"
        );
    }
}

#[test]
fn malformed_parts_and_values_are_rejected() {
    let part = token(&format!("sr={SR}&garbage&sig={SIG_ENC}&se={SE}"));
    assert!(matches!(
        SasToken::parse(&part),
        Err(AuthError::MalformedTokenPart { position: 2 })
    ));

    for (fields, bad) in [
        (format!("sr={SR}&sig={SIG_ENC}&se=soon"), "se"),
        (format!("sr={SR}&sig={SIG_ENC}&se=+5"), "se"),
        (format!("sr={SR}&sig={SIG_ENC}&se="), "se"),
        (
            format!("sr={SR}&sig={SIG_ENC}&se=99999999999999999999999"),
            "se",
        ),
        (format!("sr={SR}&sig=notbase64!&se={SE}"), "sig"),
        (format!("sr={SR}&sig=cGFzc3dvcmQ%3D&se={SE}"), "sig"),
        (format!("sr={SR}&sig=&se={SE}"), "sig"),
        (format!("sr=&sig={SIG_ENC}&se={SE}"), "sr"),
        (format!("sr=host%2&sig={SIG_ENC}&se={SE}"), "sr"),
        (format!("sr=host%FF&sig={SIG_ENC}&se={SE}"), "sr"),
        (format!("sr={SR}&sig={SIG_ENC}&se={SE}&skn="), "skn"),
        (
            format!("sr={SR}&sig={SIG_ENC}&se={SE}&skn={}", "n".repeat(257)),
            "skn",
        ),
    ] {
        let err = SasToken::parse(&token(&fields)).unwrap_err();
        assert!(
            matches!(err, AuthError::InvalidField { field, .. } if field == bad),
            "{fields}: {err:?}"
        );
        // Errors never echo the signature.
        assert!(!err.to_string().contains("YmIL"), "{err}");
    }
}

#[test]
fn unknown_fields_and_empty_parts_are_ignored() {
    let text = token(&format!("sr={SR}&&sig={SIG_ENC}&extra=1&se={SE}&"));
    SasToken::parse(&text)
        .unwrap()
        .verify(&key(), SE, 0)
        .unwrap();
}

#[test]
fn expiry_boundary_includes_skew() {
    let t = SasToken::sign(&key(), "hub/devices/d", 1000, None).unwrap();
    t.verify(&key(), 1000 + 300, 300).unwrap();
    let err = t.verify(&key(), 1000 + 301, 300).unwrap_err();
    assert!(matches!(
        err,
        AuthError::Expired {
            expiry: 1000,
            now: 1301,
            skew_secs: 300
        }
    ));
    t.verify(&key(), 1000, 0).unwrap();
    assert!(t.verify(&key(), 1001, 0).is_err());
    // A token from the future is fine: only expiry is checked.
    t.verify(&key(), 0, 0).unwrap();
}

#[test]
fn expiry_near_u64_max_does_not_overflow() {
    let t = SasToken::sign(&key(), "hub", u64::MAX, None).unwrap();
    assert_eq!(t.expiry(), u64::MAX);
    t.verify(&key(), u64::MAX, u64::MAX).unwrap();
    let parsed = SasToken::parse(t.expose()).unwrap();
    parsed.verify(&key(), u64::MAX, 300).unwrap();
}

/// Replaces the first base64 character of `sig` with a different one (same length, still valid).
fn flip_first_sig_char(text: &str) -> String {
    let at = text.find("sig=").unwrap() + 4;
    let replacement = if text[at..].starts_with('A') {
        "B"
    } else {
        "A"
    };
    format!("{}{replacement}{}", &text[..at], &text[at + 1..])
}

#[test]
fn tampering_is_detected() {
    let good = SasToken::sign(&key(), "hub/devices/dev1", 5000, None).unwrap();
    let text = good.expose();
    for tampered in [
        text.replace("dev1", "dev2"),
        text.replace("se=5000", "se=5001"),
        text.replace("%2F", "%2f"),
        flip_first_sig_char(text),
    ] {
        assert_ne!(tampered, text);
        let t = SasToken::parse(&tampered).unwrap();
        assert!(
            matches!(t.verify(&key(), 0, 0), Err(AuthError::SignatureMismatch)),
            "{tampered}"
        );
    }
    // An adversary who also expired the token still gets a signature error first.
    let forged = SasToken::parse(&text.replace("dev1", "dev2")).unwrap();
    assert!(matches!(
        forged.verify(&key(), 999_999, 0),
        Err(AuthError::SignatureMismatch)
    ));
}

#[test]
fn signing_rejects_unusable_arguments() {
    assert!(matches!(
        SasToken::sign(&key(), "", 1, None),
        Err(AuthError::InvalidField { field: "sr", .. })
    ));
    assert!(matches!(
        SasToken::sign_encoded(&key(), "a&b", 1, None),
        Err(AuthError::InvalidField { field: "sr", .. })
    ));
    assert!(matches!(
        SasToken::sign_encoded(&key(), "a%zz", 1, None),
        Err(AuthError::InvalidField { field: "sr", .. })
    ));
    assert!(matches!(
        SasToken::sign(&key(), "hub", 1, Some("")),
        Err(AuthError::InvalidField { field: "skn", .. })
    ));
}

#[test]
fn key_names_are_encoded_and_decoded() {
    let t = SasToken::sign(&key(), "hub", 10, Some("odd name&=+")).unwrap();
    assert!(t.expose().ends_with("&skn=odd%20name%26%3D%2B"));
    let parsed = SasToken::parse(t.expose()).unwrap();
    assert_eq!(parsed.key_name(), Some("odd name&=+"));
    parsed.verify(&key(), 10, 0).unwrap();
}

struct FailingSigner;

#[derive(Debug)]
struct HsmOffline;
impl std::fmt::Display for HsmOffline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("hsm offline")
    }
}
impl std::error::Error for HsmOffline {}

impl Signer for FailingSigner {
    fn sign(&self, _message: &[u8]) -> Result<[u8; 32], AuthError> {
        Err(AuthError::Signer(Box::new(HsmOffline)))
    }
}

#[test]
fn signer_errors_propagate_with_their_source() {
    let err = SasToken::sign(&FailingSigner, "hub", 1, None).unwrap_err();
    assert!(matches!(err, AuthError::Signer(_)));
    assert_eq!(err.source().unwrap().to_string(), "hsm offline");

    let t = SasToken::sign(&key(), "hub", 1, None).unwrap();
    assert!(matches!(
        t.verify(&FailingSigner, 0, 0),
        Err(AuthError::Signer(_))
    ));
}

#[test]
fn audience_is_a_segment_prefix_whose_host_folds_case() {
    let t = |sr: &str| SasToken::sign(&key(), sr, 1, None).unwrap();

    let ab = t("hub/a/b");
    assert!(ab.audience_matches("hub/a/b"));
    assert!(ab.audience_matches("hub/a/b/c"));
    assert!(ab.audience_matches("hub/a/b/"));
    assert!(!ab.audience_matches("hub/a/bc"));
    assert!(!ab.audience_matches("hub/a"));
    assert!(!ab.audience_matches(""));

    let dev = t("myhub.azure-devices.net/devices/dev1");
    assert!(dev.audience_matches("MYHUB.Azure-Devices.NET/devices/dev1/twin"));
    // Device ids are case-sensitive: dev1's token does not reach DEV1, nor any path in
    // another case.
    assert!(!dev.audience_matches("myhub.azure-devices.net/devices/DEV1"));
    assert!(!dev.audience_matches("myhub.azure-devices.net/Devices/dev1"));
    let twin = t("localhost:8443/twins/dev1");
    assert!(twin.audience_matches("LOCALHOST:8443/twins/dev1"));
    assert!(!twin.audience_matches("localhost:8443/twins/DEV1"));

    // A trailing '/' on sr is ignored.
    let devices = t("hub/devices/");
    assert!(devices.audience_matches("hub/devices/dev9"));
    assert!(devices.audience_matches("hub/devices"));
    assert!(!devices.audience_matches("hub/devicesX"));

    // host and host:port are different audiences, both ways.
    assert!(!t("localhost").audience_matches("localhost:8443/devices/d"));
    assert!(!t("localhost:8443").audience_matches("localhost/devices/d"));
    assert!(t("localhost:8443").audience_matches("localhost:8443/devices/d"));

    // Nothing is in scope of an empty audience.
    assert!(!t("/").audience_matches("/anything"));

    // Multi-byte text does not panic at a non-char boundary.
    assert!(!t("hé").audience_matches("h"));
    assert!(!t("hé/x").audience_matches("hé"));
    assert!(t("hé/x").audience_matches("hé/x/y"));
}

#[test]
fn debug_never_shows_the_signature() {
    let parsed =
        SasToken::parse(&token(&format!("sr={SR}&sig={SIG_ENC}&se={SE}&skn=owner"))).unwrap();
    let dbg = format!("{parsed:?}");
    assert!(!dbg.contains("YmIL"), "{dbg}");
    assert!(dbg.contains("<redacted>"));
    assert!(dbg.contains(SR) && dbg.contains("owner") && dbg.contains("1700000000"));
    // …while expose() gives back the exact text.
    assert!(parsed.expose().contains(SIG_ENC));
}
