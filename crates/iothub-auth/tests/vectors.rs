//! The published and captured vectors of iothub-protocol.md §A.2, byte for byte.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use iothub_auth::{DEFAULT_CLOCK_SKEW_SECS, SasToken, SharedAccessKey, Signer};

const PY_KEY: &str = "NMgJDvdKTxjLi+xBxxkDDEwDJxEvOE5u8BiT0mVgPeg=";

fn key(b64: &str) -> SharedAccessKey {
    SharedAccessKey::from_base64(b64).unwrap()
}

/// The `sig` field of a token, still URL-encoded.
fn sig_field(token: &str) -> &str {
    let start = token.find("sig=").unwrap() + 4;
    let rest = &token[start..];
    rest.split('&').next().unwrap()
}

fn hmac_b64(key: &SharedAccessKey, msg: &str) -> String {
    STANDARD.encode(key.sign(msg.as_bytes()).unwrap())
}

#[test]
fn node_core_vector() {
    let k = key("cGFzc3dvcmQ=");
    assert_eq!(
        hmac_b64(&k, "uri\n12345"),
        "kcWxXAK2OAaAoq2oCkaGzX2NMqDB8nCyNuq2fPYCDhk="
    );
    let token = SasToken::sign_encoded(&k, "uri", 12345, None).unwrap();
    assert_eq!(
        token.expose(),
        "SharedAccessSignature sr=uri&sig=kcWxXAK2OAaAoq2oCkaGzX2NMqDB8nCyNuq2fPYCDhk%3D&se=12345"
    );
}

#[test]
fn python_signing_mechanism_vector() {
    assert_eq!(
        hmac_b64(&key(PY_KEY), "sign this message"),
        "8NJRMT83CcplGrAGaUVIUM/md5914KpWVNngSVoF9/M="
    );
}

#[test]
fn computed_vectors_via_sign_encoded() {
    let k = key(PY_KEY);
    let rows = [
        (
            "myhub.azure-devices.net%2Fdevices%2Fdevice1",
            "YmIL/dTZAntV/lLZdg3E7re+iH8C6Gt9dG4E4I74ho0=",
        ),
        (
            "myhub.azure-devices.net",
            "yolbXGrIiPqRxDLICmk8WAsg9fmQTukPby8F+WY0lDc=",
        ),
        (
            "myhub.azure-devices.net%2Fdevices%2Fdevice1%2Fmodules%2Fmod1",
            "1a924jO1FO5JEI+K9t+S40sX89geQBbtWSq0paIYP4I=",
        ),
        (
            "myhub.azure-devices.net%2fdevices%2fdevice1",
            "h8gdvOGH9Q5+gJr3RnmHeEIdjDWZFecpZ+y4XTYuvYM=",
        ),
    ];
    for (sr, expected) in rows {
        assert_eq!(hmac_b64(&k, &format!("{sr}\n1700000000")), expected, "{sr}");
        let token = SasToken::sign_encoded(&k, sr, 1_700_000_000, None).unwrap();
        let encoded_expected = expected
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        assert_eq!(sig_field(token.expose()), encoded_expected, "{sr}");
        assert_eq!(token.resource_encoded(), sr);
    }
}

#[test]
fn sign_encodes_the_uri_like_the_sdks() {
    let k = key(PY_KEY);
    let device = SasToken::sign(
        &k,
        "myhub.azure-devices.net/devices/device1",
        1_700_000_000,
        None,
    )
    .unwrap();
    assert_eq!(
        device.resource_encoded(),
        "myhub.azure-devices.net%2Fdevices%2Fdevice1"
    );
    assert_eq!(
        sig_field(device.expose()),
        "YmIL%2FdTZAntV%2FlLZdg3E7re%2BiH8C6Gt9dG4E4I74ho0%3D"
    );
    let module = SasToken::sign(
        &k,
        "myhub.azure-devices.net/devices/device1/modules/mod1",
        1_700_000_000,
        None,
    )
    .unwrap();
    assert_eq!(
        sig_field(module.expose()),
        "1a924jO1FO5JEI%2BK9t%2BS40sX89geQBbtWSq0paIYP4I%3D"
    );
}

#[test]
fn lowercase_escapes_are_hashed_as_sent() {
    let k = key(PY_KEY);
    let lower = "SharedAccessSignature sr=myhub.azure-devices.net%2fdevices%2fdevice1&sig=h8gdvOGH9Q5%2BgJr3RnmHeEIdjDWZFecpZ%2By4XTYuvYM%3D&se=1700000000";
    let token = SasToken::parse(lower).unwrap();
    assert_eq!(token.resource(), "myhub.azure-devices.net/devices/device1");
    assert_eq!(
        token.resource_encoded(),
        "myhub.azure-devices.net%2fdevices%2fdevice1"
    );
    token.verify(&k, 1_700_000_000, 0).unwrap();

    // Same decoded resource, uppercase escapes, but the lowercase token's signature: must fail.
    let upper = lower.replace("%2f", "%2F");
    let token = SasToken::parse(&upper).unwrap();
    assert!(matches!(
        token.verify(&k, 1_700_000_000, 0),
        Err(iothub_auth::AuthError::SignatureMismatch)
    ));
}

const CAPTURED: [(&str, &str, u64, Option<&str>); 4] = [
    (
        "SharedAccessSignature sr=localhost%3A8443&sig=TVJ/TXwsSF4R5HOEQmYmgyWtPWMdbYMS828ufZjmqtU%3D&se=1795724123&skn=iothubowner",
        "localhost:8443",
        1_795_724_123,
        Some("iothubowner"),
    ),
    (
        "SharedAccessSignature sr=localhost&sig=qf7JJqoQu2ZR91jnErv5UQBIMPnIVB4yzLj02P2M%2Bi4%3D&skn=iothubowner&se=1795724185",
        "localhost",
        1_795_724_185,
        Some("iothubowner"),
    ),
    (
        "SharedAccessSignature sr=localhost%2Fdevices%2Fdev1&sig=EOdH4LRrC9efeSnPMsghnMRD51Zo5N5WS3v%2FTFVnfCY%3D&se=1795724142",
        "localhost/devices/dev1",
        1_795_724_142,
        None,
    ),
    (
        "SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fdev1&sig=uOvOGI7zVDjwZsYj5%2FlTbZFNZ96xHr0q6xIrdPDh2Xk%3D&se=1795724175",
        "myhub.azure-devices.net/devices/dev1",
        1_795_724_175,
        None,
    ),
];

#[test]
fn captured_tokens_parse_and_verify() {
    let k = key(PY_KEY);
    for (text, resource, se, skn) in CAPTURED {
        let token = SasToken::parse(text).unwrap();
        assert_eq!(token.resource(), resource);
        assert_eq!(token.expiry(), se);
        assert_eq!(token.key_name(), skn);
        assert_eq!(token.expose(), text);
        token
            .verify(&k, se - 3600, DEFAULT_CLOCK_SKEW_SECS)
            .unwrap_or_else(|e| panic!("{resource}: {e}"));
        token.verify(&k, se, 0).unwrap();
        assert!(matches!(
            token.verify(
                &k,
                se + DEFAULT_CLOCK_SKEW_SECS + 1,
                DEFAULT_CLOCK_SKEW_SECS
            ),
            Err(iothub_auth::AuthError::Expired { .. })
        ));
        let other = SharedAccessKey::from_base64("cGFzc3dvcmQ=").unwrap();
        assert!(matches!(
            token.verify(&other, se - 3600, DEFAULT_CLOCK_SKEW_SECS),
            Err(iothub_auth::AuthError::SignatureMismatch)
        ));
    }
}

#[test]
fn captured_token_audiences() {
    let tokens: Vec<SasToken> = CAPTURED
        .iter()
        .map(|(text, ..)| SasToken::parse(text).unwrap())
        .collect();
    let [py_hub, node_hub, py_dev, node_dev] = tokens.as_slice() else {
        unreachable!()
    };

    assert!(py_hub.audience_matches("localhost:8443/devices/query"));
    assert!(py_hub.audience_matches("localhost:8443/twins/dev1"));
    assert!(!py_hub.audience_matches("localhost/devices/query"));
    assert!(!py_hub.audience_matches("localhost:8444/devices/query"));

    assert!(node_hub.audience_matches("localhost/devices/dev1"));
    assert!(!node_hub.audience_matches("localhost:8443/devices/dev1"));

    assert!(py_dev.audience_matches("localhost/devices/dev1"));
    assert!(py_dev.audience_matches("localhost/devices/dev1/messages/events"));
    assert!(!py_dev.audience_matches("localhost/devices/dev2"));
    assert!(!py_dev.audience_matches("localhost/devices/dev10"));
    assert!(!py_dev.audience_matches("localhost/devices"));

    assert!(node_dev.audience_matches("myhub.azure-devices.net/devices/dev1/twin"));
    assert!(!node_dev.audience_matches("otherhub.azure-devices.net/devices/dev1"));
    assert!(!node_dev.audience_matches("localhost/devices/dev1"));
}
