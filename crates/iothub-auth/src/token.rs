//! Shared access signature tokens: signing, parsing and verification.
//!
//! The hub, the SDKs and this crate must agree on bytes, not on meaning: the HMAC covers `sr`
//! exactly as it appears in the token (SDKs disagree on escaping and on `%2F` vs `%2f`), so a
//! parsed token keeps its raw `sr` and verification hashes that, never a re-encoded form.

use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use subtle::ConstantTimeEq as _;

use crate::encoding::{decode_component, encode_component, encode_resource_uri};
use crate::{AuthError, Signer};

/// Tolerance applied to `se` by the hub (.NET `MaxClockSkew`), and the default for verification.
pub const DEFAULT_CLOCK_SKEW_SECS: u64 = 300;

const PREFIX: &str = "SharedAccessSignature ";
/// The hub's limit on policy (key) names.
const MAX_KEY_NAME_LEN: usize = 256;

/// Peers differ on whether they pad the signature; the bytes are what matters.
const SIG_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A parsed or freshly signed SAS token. Debug redacts `sig`. Display is NOT implemented (to avoid leaks).
#[derive(Clone)]
pub struct SasToken {
    /// The complete token text, exactly as received or produced.
    raw: String,
    sr_encoded: String,
    sr: String,
    sig: [u8; 32],
    /// `se` as it was hashed: the decoded field text, which may differ from `se.to_string()`
    /// only for odd peers that send leading zeros.
    se_text: String,
    se: u64,
    skn: Option<String>,
}

impl SasToken {
    /// Signs `resource_uri` (unencoded, e.g. `"myhub.azure-devices.net/devices/dev1"`): `sr = encode_resource_uri(uri)`.
    ///
    /// `key_name` becomes `skn`; pass `None` for device and module keys.
    pub fn sign(
        signer: &dyn Signer,
        resource_uri: &str,
        expiry_unix: u64,
        key_name: Option<&str>,
    ) -> Result<Self, AuthError> {
        if resource_uri.is_empty() {
            return Err(AuthError::InvalidField {
                field: "sr",
                reason: "is empty",
            });
        }
        Self::sign_encoded(
            signer,
            &encode_resource_uri(resource_uri),
            expiry_unix,
            key_name,
        )
    }

    /// Signs with `sr` used exactly as given (already encoded) — for tests and odd peers.
    ///
    /// `encoded_sr` must be valid percent-encoding and must not contain `&`, which would end the field.
    pub fn sign_encoded(
        signer: &dyn Signer,
        encoded_sr: &str,
        expiry_unix: u64,
        key_name: Option<&str>,
    ) -> Result<Self, AuthError> {
        if encoded_sr.contains('&') {
            return Err(AuthError::InvalidField {
                field: "sr",
                reason: "contains a raw `&`",
            });
        }
        let sr = decode_sr(encoded_sr)?;
        if let Some(name) = key_name {
            check_key_name(name)?;
        }
        let se_text = expiry_unix.to_string();
        let sig = signer.sign(string_to_sign(encoded_sr, &se_text).as_bytes())?;

        let mut raw = format!(
            "{PREFIX}sr={encoded_sr}&sig={}&se={se_text}",
            encode_component(&STANDARD.encode(sig))
        );
        if let Some(name) = key_name {
            raw.push_str("&skn=");
            raw.push_str(&encode_component(name));
        }
        Ok(Self {
            raw,
            sr_encoded: encoded_sr.to_owned(),
            sr,
            sig,
            se_text,
            se: expiry_unix,
            skn: key_name.map(str::to_owned),
        })
    }

    /// Parses `"SharedAccessSignature sr=..&sig=..&se=..[&skn=..]"` (fields in any order, names
    /// case-insensitive, percent-decoding only: '+' is never a space; duplicate/missing sr, sig, se → error naming the field).
    ///
    /// Unknown fields are ignored, as the hub does. `sig` must be the base64 of a 32-byte HMAC.
    pub fn parse(s: &str) -> Result<Self, AuthError> {
        let fields = s.strip_prefix(PREFIX).ok_or(AuthError::TokenPrefix)?;

        let mut sr = None;
        let mut sig = None;
        let mut se = None;
        let mut skn = None;
        for (index, part) in fields.split('&').enumerate() {
            if part.is_empty() {
                continue;
            }
            let (name, value) = part.split_once('=').ok_or(AuthError::MalformedTokenPart {
                position: index + 1,
            })?;
            let (slot, field) = if name.eq_ignore_ascii_case("sr") {
                (&mut sr, "sr")
            } else if name.eq_ignore_ascii_case("sig") {
                (&mut sig, "sig")
            } else if name.eq_ignore_ascii_case("se") {
                (&mut se, "se")
            } else if name.eq_ignore_ascii_case("skn") {
                (&mut skn, "skn")
            } else {
                continue;
            };
            if slot.replace(value).is_some() {
                return Err(AuthError::DuplicateField { field });
            }
        }

        let sr_encoded = sr.ok_or(AuthError::MissingField { field: "sr" })?;
        let sig = sig.ok_or(AuthError::MissingField { field: "sig" })?;
        let se_raw = se.ok_or(AuthError::MissingField { field: "se" })?;

        let sr = decode_sr(sr_encoded)?;
        let sig = decode_sig(sig)?;
        let (se_text, se) = decode_se(se_raw)?;
        let skn = skn
            .map(|raw| {
                let name = decode_component(raw).map_err(|e| AuthError::InvalidField {
                    field: "skn",
                    reason: e.reason(),
                })?;
                check_key_name(&name)?;
                Ok::<_, AuthError>(name.into_owned())
            })
            .transpose()?;

        Ok(Self {
            raw: s.to_owned(),
            sr_encoded: sr_encoded.to_owned(),
            sr,
            sig,
            se_text,
            se,
            skn,
        })
    }

    /// `sr` exactly as in the token (still percent-encoded); this is what the signature covers.
    pub fn resource_encoded(&self) -> &str {
        &self.sr_encoded
    }

    /// `sr` percent-decoded, e.g. `myhub.azure-devices.net/devices/dev1`.
    pub fn resource(&self) -> &str {
        &self.sr
    }

    /// `se`: expiry in seconds since the Unix epoch.
    pub fn expiry(&self) -> u64 {
        self.se
    }

    /// `skn`: the shared access policy name, absent for device and module keys.
    pub fn key_name(&self) -> Option<&str> {
        self.skn.as_deref()
    }

    /// The full header value / MQTT password. Named so call sites are greppable.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// Verifies signature (constant time; HMAC over the raw encoded sr + "\n" + se as in the token)
    /// and expiry (`now_unix <= se + skew_secs`). Does NOT check audience.
    ///
    /// The signature is checked first, so `Expired` implies the token was genuine.
    pub fn verify(
        &self,
        signer: &dyn Signer,
        now_unix: u64,
        skew_secs: u64,
    ) -> Result<(), AuthError> {
        let expected = signer.sign(string_to_sign(&self.sr_encoded, &self.se_text).as_bytes())?;
        if !bool::from(expected.ct_eq(&self.sig)) {
            return Err(AuthError::SignatureMismatch);
        }
        if now_unix > self.se.saturating_add(skew_secs) {
            return Err(AuthError::Expired {
                expiry: self.se,
                now: now_unix,
                skew_secs,
            });
        }
        Ok(())
    }

    /// Audience rule: decoded sr, trailing '/' trimmed, is a per-segment prefix of
    /// `host_and_path` (e.g. "myhub.azure-devices.net/devices/dev1/twin"). "/a/b" matches
    /// "/a/b/c" not "/a/bc".
    ///
    /// Only the host name folds case (ASCII, as DNS does); the path does not, because device and
    /// module ids are case-sensitive: a token for `/devices/dev1` must not reach `/devices/DEV1`.
    /// `host` and `host:port` are different audiences. An `sr` that is empty after trimming
    /// matches nothing.
    pub fn audience_matches(&self, host_and_path: &str) -> bool {
        let audience = self.sr.trim_end_matches('/');
        if audience.is_empty() || host_and_path.len() < audience.len() {
            return false;
        }
        let (audience_host, audience_path) = split_host(audience);
        let (target_host, target_path) = split_host(host_and_path);
        if !audience_host.eq_ignore_ascii_case(target_host) {
            return false;
        }
        target_path
            .strip_prefix(audience_path)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

/// `host[:port]` and the rest of a resource URI (empty, or starting with `/`).
fn split_host(resource: &str) -> (&str, &str) {
    resource
        .find('/')
        .map_or((resource, ""), |i| resource.split_at(i))
}

impl fmt::Debug for SasToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SasToken")
            .field("sr", &self.sr_encoded)
            .field("se", &self.se)
            .field("skn", &self.skn)
            .field("sig", &format_args!("<redacted>"))
            // `raw` holds the signature too; `se_text` only repeats `se`.
            .finish_non_exhaustive()
    }
}

fn string_to_sign(sr_encoded: &str, se_text: &str) -> String {
    format!("{sr_encoded}\n{se_text}")
}

fn decode_sr(encoded: &str) -> Result<String, AuthError> {
    if encoded.is_empty() {
        return Err(AuthError::InvalidField {
            field: "sr",
            reason: "is empty",
        });
    }
    decode_component(encoded)
        .map(std::borrow::Cow::into_owned)
        .map_err(|e| AuthError::InvalidField {
            field: "sr",
            reason: e.reason(),
        })
}

fn decode_sig(raw: &str) -> Result<[u8; 32], AuthError> {
    let text = decode_component(raw).map_err(|e| AuthError::InvalidField {
        field: "sig",
        reason: e.reason(),
    })?;
    let not_hmac = || AuthError::InvalidField {
        field: "sig",
        reason: "is not the base64 of a 32-byte HMAC-SHA256",
    };
    let bytes = SIG_BASE64.decode(text.as_bytes()).map_err(|_| not_hmac())?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| not_hmac())
}

fn decode_se(raw: &str) -> Result<(String, u64), AuthError> {
    let text = decode_component(raw).map_err(|e| AuthError::InvalidField {
        field: "se",
        reason: e.reason(),
    })?;
    // `u64::from_str` would also accept a leading `+`; the hub wants plain digits.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AuthError::InvalidField {
            field: "se",
            reason: "is not a decimal number of seconds",
        });
    }
    let se = text.parse().map_err(|_| AuthError::InvalidField {
        field: "se",
        reason: "does not fit in 64 bits",
    })?;
    Ok((text.into_owned(), se))
}

fn check_key_name(name: &str) -> Result<(), AuthError> {
    if name.is_empty() {
        return Err(AuthError::InvalidField {
            field: "skn",
            reason: "is empty",
        });
    }
    if name.chars().count() > MAX_KEY_NAME_LEN {
        return Err(AuthError::InvalidField {
            field: "skn",
            reason: "is longer than 256 characters",
        });
    }
    Ok(())
}
