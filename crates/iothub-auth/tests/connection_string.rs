//! Connection strings: every kind of iothub-protocol.md §A.4, validation errors, redaction, tokens.

use iothub_auth::{
    AuthError, ConnectionString, ConnectionStringKind, Credential, DEFAULT_CLOCK_SKEW_SECS,
    SasToken, SharedAccessKey,
};

const KEY: &str = "PqZ70GzRIOv8Mfap31nzDjwqsRwt8X6VTLDUM48qDGk=";
const HOST: &str = "myhub.azure-devices.net";
const TOKEN: &str = "SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fdev1&sig=uOvOGI7zVDjwZsYj5%2FlTbZFNZ96xHr0q6xIrdPDh2Xk%3D&se=1795724175";

fn parse(s: &str) -> ConnectionString {
    ConnectionString::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn parse_err(s: &str) -> AuthError {
    match ConnectionString::parse(s) {
        Ok(_) => panic!("accepted: {s}"),
        Err(e) => e,
    }
}

#[test]
fn hub_policy() {
    let s = format!("HostName={HOST};SharedAccessKeyName=iothubowner;SharedAccessKey={KEY}");
    let cs = parse(&s);
    assert_eq!(cs.kind(), ConnectionStringKind::HubPolicy);
    assert_eq!(cs.host_name, HOST);
    assert_eq!(cs.shared_access_key_name.as_deref(), Some("iothubowner"));
    assert!(cs.device_id.is_none() && cs.module_id.is_none() && !cs.x509);
    assert!(matches!(cs.credential(), Credential::Key(k) if k.to_base64() == KEY));
    assert_eq!(cs.resource_uri(), HOST);
    assert_eq!(cs.expose_secret(), s);
}

#[test]
fn device_with_key() {
    let s = format!("HostName={HOST};DeviceId=dev1;SharedAccessKey={KEY}");
    let cs = parse(&s);
    assert_eq!(cs.kind(), ConnectionStringKind::Device);
    assert_eq!(cs.device_id.as_deref(), Some("dev1"));
    assert_eq!(cs.key().unwrap().to_base64(), KEY);
    assert_eq!(cs.resource_uri(), format!("{HOST}/devices/dev1"));
    assert_eq!(cs.expose_secret(), s);
}

#[test]
fn module_with_key() {
    let s = format!("HostName={HOST};DeviceId=dev1;ModuleId=m1;SharedAccessKey={KEY}");
    let cs = parse(&s);
    assert_eq!(cs.kind(), ConnectionStringKind::Module);
    assert_eq!(cs.module_id.as_deref(), Some("m1"));
    assert_eq!(cs.resource_uri(), format!("{HOST}/devices/dev1/modules/m1"));
    assert_eq!(cs.expose_secret(), s);
}

#[test]
fn device_via_gateway() {
    let s = format!(
        "HostName={HOST};DeviceId=dev1;SharedAccessKey={KEY};GatewayHostName=localhost:8883"
    );
    let cs = parse(&s);
    assert_eq!(cs.gateway_host_name.as_deref(), Some("localhost:8883"));
    // The token is still scoped to HostName, not to the gateway.
    assert_eq!(cs.resource_uri(), format!("{HOST}/devices/dev1"));
    assert_eq!(cs.expose_secret(), s);
}

#[test]
fn device_with_token_only() {
    let s = format!("HostName={HOST};DeviceId=dev1;SharedAccessSignature={TOKEN}");
    let cs = parse(&s);
    assert_eq!(cs.kind(), ConnectionStringKind::Device);
    assert!(cs.key().is_none());
    let Credential::Token(token) = cs.credential() else {
        panic!("expected a token credential")
    };
    assert_eq!(token.expose(), TOKEN);
    assert_eq!(token.resource(), format!("{HOST}/devices/dev1"));
    assert!(matches!(cs.generate_token(0, 60), Err(AuthError::NoKey)));
    assert_eq!(cs.expose_secret(), s);
}

#[test]
fn device_via_policy_key() {
    let s =
        format!("HostName={HOST};DeviceId=dev1;SharedAccessKeyName=device;SharedAccessKey={KEY}");
    let cs = parse(&s);
    assert_eq!(cs.kind(), ConnectionStringKind::Device);
    let token = cs.generate_token(1_000, 3_600).unwrap();
    assert_eq!(token.key_name(), Some("device"));
    assert_eq!(token.resource(), format!("{HOST}/devices/dev1"));
    assert_eq!(cs.expose_secret(), s);
}

#[test]
fn x509_device() {
    let s = format!("HostName={HOST};DeviceId=dev1;x509=true");
    let cs = parse(&s);
    assert!(cs.x509);
    assert!(matches!(cs.credential(), Credential::X509));
    assert!(matches!(cs.generate_token(0, 60), Err(AuthError::NoKey)));
    assert_eq!(cs.expose_secret(), s);
    assert!(parse(&format!("HostName={HOST};DeviceId=dev1;x509=TRUE")).x509);
    // x509=false is "no certificate", so a key is then required and allowed.
    let cs = parse(&format!(
        "HostName={HOST};DeviceId=dev1;x509=false;SharedAccessKey={KEY}"
    ));
    assert!(!cs.x509);
}

#[test]
fn values_are_split_on_the_first_equals_sign() {
    // Both the key's padding and the embedded token contain '='.
    let cs = parse(&format!(
        "HostName={HOST};DeviceId=dev=1;SharedAccessKey={KEY}"
    ));
    assert_eq!(cs.device_id.as_deref(), Some("dev=1"));
    assert_eq!(cs.key().unwrap().to_base64(), KEY);
}

#[test]
fn empty_parts_and_surrounding_whitespace_are_tolerated() {
    let cs = parse(&format!(
        "HostName={HOST};;DeviceId=dev1;SharedAccessKey={KEY};\n"
    ));
    assert_eq!(cs.device_id.as_deref(), Some("dev1"));
    let via_from_str: ConnectionString = format!("HostName={HOST};DeviceId=d;x509=true")
        .parse()
        .unwrap();
    assert_eq!(via_from_str.device_id.as_deref(), Some("d"));
}

#[test]
fn unknown_keys_are_named() {
    let err = parse_err(&format!(
        "HostName={HOST};DeviceId=d;SharedAccessKey={KEY};Protocol=mqtt"
    ));
    assert!(matches!(&err, AuthError::UnknownKey { key } if key == "`Protocol`"));
    assert!(err.to_string().contains("Protocol"));
    // Keys are case-sensitive, as in the SDKs.
    let err = parse_err(&format!("hostname={HOST};DeviceId=d;x509=true"));
    assert!(err.to_string().contains("`hostname`"), "{err}");
}

#[test]
fn a_key_pasted_where_a_name_belongs_is_not_echoed() {
    let err = parse_err(&format!("HostName={HOST};DeviceId=d;{KEY}"));
    let text = err.to_string();
    assert!(matches!(err, AuthError::UnknownKey { .. }));
    assert!(!text.contains(&KEY[..20]), "{text}");
}

#[test]
fn duplicate_keys_are_named() {
    let err = parse_err(&format!(
        "HostName={HOST};DeviceId=a;DeviceId=b;SharedAccessKey={KEY}"
    ));
    assert!(matches!(err, AuthError::DuplicateKey { key: "DeviceId" }));
    assert!(err.to_string().contains("`DeviceId`"));
}

/// Whether an error is the one a case expects.
type Expectation = fn(&AuthError) -> bool;

#[test]
fn missing_or_inconsistent_keys_are_rejected() {
    let cases: [(String, Expectation); 11] = [
        (format!("DeviceId=d;SharedAccessKey={KEY}"), |e| {
            matches!(e, AuthError::MissingKey { key: "HostName" })
        }),
        (format!("HostName={HOST};SharedAccessKey={KEY}"), |e| {
            matches!(
                e,
                AuthError::MissingKey {
                    key: "SharedAccessKeyName"
                }
            )
        }),
        (
            format!("HostName={HOST};SharedAccessKeyName=iothubowner"),
            |e| {
                matches!(
                    e,
                    AuthError::KeyRequires {
                        key: "SharedAccessKeyName",
                        requires: "SharedAccessKey"
                    }
                )
            },
        ),
        (format!("HostName={HOST};DeviceId=d"), |e| {
            matches!(e, AuthError::MissingCredential)
        }),
        (
            format!("HostName={HOST};ModuleId=m;SharedAccessKeyName=o;SharedAccessKey={KEY}"),
            |e| {
                matches!(
                    e,
                    AuthError::KeyRequires {
                        key: "ModuleId",
                        requires: "DeviceId"
                    }
                )
            },
        ),
        (
            format!("HostName={HOST};DeviceId=d;SharedAccessKey={KEY};x509=true"),
            |e| matches!(e, AuthError::ConflictingCredentials),
        ),
        (
            format!(
                "HostName={HOST};DeviceId=d;SharedAccessKey={KEY};SharedAccessSignature={TOKEN}"
            ),
            |e| matches!(e, AuthError::ConflictingCredentials),
        ),
        (format!("HostName=;DeviceId=d;SharedAccessKey={KEY}"), |e| {
            matches!(
                e,
                AuthError::InvalidValue {
                    key: "HostName",
                    ..
                }
            )
        }),
        (format!("HostName={HOST};DeviceId=d;x509=yes"), |e| {
            matches!(e, AuthError::InvalidValue { key: "x509", .. })
        }),
        (format!("HostName={HOST};DeviceId=d;SharedAccessKey"), |e| {
            matches!(e, AuthError::MalformedConnectionStringPart { position: 3 })
        }),
        (String::new(), |e| {
            matches!(e, AuthError::MissingKey { key: "HostName" })
        }),
    ];
    for (s, expected) in cases {
        let err = parse_err(&s);
        assert!(expected(&err), "{s}: {err:?}");
    }
}

#[test]
fn invalid_secret_values_are_named_but_not_echoed() {
    let bad_key = "PqZ70GzRIOv8Mfap31nzDjwqsRwt8X6V!!!!";
    let err = parse_err(&format!(
        "HostName={HOST};DeviceId=d;SharedAccessKey={bad_key}"
    ));
    assert!(matches!(
        err,
        AuthError::InvalidValue {
            key: "SharedAccessKey",
            ..
        }
    ));
    let text = err.to_string();
    assert!(
        text.contains("SharedAccessKey") && !text.contains("PqZ70"),
        "{text}"
    );

    let bad_token = TOKEN.replace("&se=1795724175", "");
    let err = parse_err(&format!(
        "HostName={HOST};DeviceId=d;SharedAccessSignature={bad_token}"
    ));
    let text = err.to_string();
    assert!(
        text.contains("SharedAccessSignature") && text.contains("`se`"),
        "{text}"
    );
    assert!(!text.contains("uOvOGI7z"), "{text}");
}

#[test]
fn debug_and_display_redact_secrets() {
    for s in [
        format!("HostName={HOST};SharedAccessKeyName=iothubowner;SharedAccessKey={KEY}"),
        format!("HostName={HOST};DeviceId=dev1;SharedAccessSignature={TOKEN}"),
    ] {
        let cs = parse(&s);
        for shown in [format!("{cs}"), format!("{cs:?}"), format!("{cs:#?}")] {
            assert!(!shown.contains(KEY), "{shown}");
            assert!(!shown.contains(&KEY[..12]), "{shown}");
            assert!(!shown.contains("uOvOGI7z"), "{shown}");
            assert!(shown.contains(HOST), "{shown}");
            assert!(shown.contains("<redacted>"), "{shown}");
        }
    }
    let cs = parse(&format!(
        "HostName={HOST};DeviceId=dev1;SharedAccessKey={KEY}"
    ));
    assert_eq!(
        cs.to_string(),
        format!("HostName={HOST};DeviceId=dev1;SharedAccessKey=<redacted>")
    );
}

#[test]
fn builders_produce_canonical_parseable_strings() {
    let key = SharedAccessKey::from_base64(KEY).unwrap();
    let hub = ConnectionString::for_hub_policy(HOST, "iothubowner", key.clone());
    assert_eq!(
        hub.expose_secret(),
        format!("HostName={HOST};SharedAccessKeyName=iothubowner;SharedAccessKey={KEY}")
    );
    assert_eq!(hub.kind(), ConnectionStringKind::HubPolicy);

    let dev = ConnectionString::for_device(HOST, "dev1", key.clone()).with_gateway("localhost");
    assert_eq!(
        dev.expose_secret(),
        format!("HostName={HOST};DeviceId=dev1;SharedAccessKey={KEY};GatewayHostName=localhost")
    );

    let module = ConnectionString::for_module("localhost:8443", "dev1", "m1", key);
    let text = module.expose_secret();
    assert_eq!(
        text,
        format!("HostName=localhost:8443;DeviceId=dev1;ModuleId=m1;SharedAccessKey={KEY}")
    );
    let reparsed = parse(&text);
    assert_eq!(reparsed.kind(), ConnectionStringKind::Module);
    assert_eq!(reparsed.expose_secret(), text);
}

#[test]
fn generated_tokens_verify_and_are_scoped() {
    let key = SharedAccessKey::generate();
    let dev = ConnectionString::for_device(HOST, "dev 1", key.clone());
    let token = dev.generate_token(1_000, 3_600).unwrap();
    assert_eq!(token.expiry(), 4_600);
    assert_eq!(token.key_name(), None);
    assert_eq!(
        token.resource_encoded(),
        "myhub.azure-devices.net%2Fdevices%2Fdev%201"
    );
    token.verify(&key, 4_600, 0).unwrap();
    assert!(token.audience_matches("myhub.azure-devices.net/devices/dev 1/twin"));

    // What goes on the wire parses back to an equivalent, verifiable token.
    let wire = SasToken::parse(token.expose()).unwrap();
    wire.verify(&key, 2_000, DEFAULT_CLOCK_SKEW_SECS).unwrap();

    let hub = ConnectionString::for_hub_policy(HOST, "service", key.clone());
    let token = hub.generate_token(u64::MAX - 5, 3_600).unwrap();
    assert_eq!(token.expiry(), u64::MAX);
    assert_eq!(token.key_name(), Some("service"));
    assert_eq!(token.resource(), HOST);
    assert!(token.audience_matches("myhub.azure-devices.net/devices/query"));
}
