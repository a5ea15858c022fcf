//! Field rules shared by every request and desired section, plus the small wire types they need.
//!
//! The same checks run twice, in `dmctl` before sending and in the agent on receipt, so they live
//! here once. The agent must still treat every string as hostile after these checks (it passes
//! names to systemctl and paths to the file system), which is why the rules are deliberately
//! narrower than what Linux would accept: no leading `-` (option injection), no `..`, no control
//! characters.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ContractError;

/// A value that can check itself against the contract's rules.
pub trait Validate {
    /// Checks every field; the error names the first field that breaks a rule.
    fn validate(&self) -> Result<(), ContractError>;
}

/// Longest accepted download URL, in bytes.
pub const MAX_URL_LEN: usize = 2048;
/// Longest accepted absolute file path, in bytes.
pub const MAX_PATH_LEN: usize = 1024;
/// Longest accepted app, unit or package name, in bytes.
pub const MAX_NAME_LEN: usize = 128;
/// Longest accepted free-text field (reasons, filters), in characters.
pub const MAX_TEXT_LEN: usize = 256;

/// Checks that a value is a SHA-256 digest written as 64 hexadecimal digits (either case).
pub fn sha256(field: &str, value: &str) -> Result<(), ContractError> {
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ContractError::invalid(
            field,
            format!(
                "must be a SHA-256 digest of 64 hex digits (got {} characters)",
                value.chars().count()
            ),
        ))
    }
}

/// Checks a certificate thumbprint: the SHA-256 of the DER certificate as 64 hex digits.
///
/// Use [`normalize_thumbprint`] first on operator input such as `AB:CD:…`.
pub fn thumbprint(field: &str, value: &str) -> Result<(), ContractError> {
    sha256(field, value).map_err(|_| {
        ContractError::invalid(
            field,
            "must be the certificate's SHA-256 fingerprint as 64 hex digits",
        )
    })
}

/// Turns `openssl x509 -fingerprint -sha256` style input (`AB:CD:…`) into the wire form
/// (lower-case hex without separators), then checks it.
pub fn normalize_thumbprint(field: &str, value: &str) -> Result<String, ContractError> {
    let normalized: String = value
        .chars()
        .filter(|c| *c != ':')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    thumbprint(field, &normalized)?;
    Ok(normalized)
}

/// Checks a download URL: absolute `https` or `http`, with a host and without user info
/// (credentials in a URL would end up in logs).
///
/// `http` is allowed because the SHA-256 in the same request, not the transport, is what proves
/// the artefact; a query string (e.g. a blob SAS) is allowed and is never echoed by this crate.
pub fn download_url(field: &str, value: &str) -> Result<(), ContractError> {
    if value.len() > MAX_URL_LEN {
        return Err(ContractError::invalid(
            field,
            format!("is longer than {MAX_URL_LEN} bytes"),
        ));
    }
    let url = url::Url::parse(value)
        .map_err(|e| ContractError::invalid(field, format!("is not an absolute URL ({e})")))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(ContractError::invalid(
            field,
            format!("scheme must be https or http, not `{}`", url.scheme()),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ContractError::invalid(field, "has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ContractError::invalid(
            field,
            "must not carry a user name or password; use a signed URL instead",
        ));
    }
    Ok(())
}

/// Longest detached signature accepted (a minisign `.minisig` is about 300 bytes; the untrusted
/// and trusted comments may make it longer).
pub const MAX_SIGNATURE_LEN: usize = 4096;

/// Checks a detached publisher signature: the text of a minisign `.minisig` file (an untrusted
/// comment line, the Ed25519 signature, a `trusted comment:` line, the global signature), at
/// most [`MAX_SIGNATURE_LEN`] bytes. Only the shape is checked here; the agent verifies it
/// against its trusted keys.
pub fn signature(field: &str, value: &str) -> Result<(), ContractError> {
    if value.len() > MAX_SIGNATURE_LEN {
        return Err(ContractError::invalid(
            field,
            format!("is longer than {MAX_SIGNATURE_LEN} bytes"),
        ));
    }
    if !value.starts_with("untrusted comment:") {
        return Err(ContractError::invalid(
            field,
            "is not a minisign signature: the text of a `.minisig` file starts with `untrusted comment:`",
        ));
    }
    minisign_verify::Signature::decode(value).map_err(|e| {
        ContractError::invalid(
            field,
            format!(
                "is not a minisign signature ({})",
                e.to_string().to_lowercase()
            ),
        )
    })?;
    Ok(())
}

/// Checks an absolute file path: starts with `/`, no `..` component, no NUL or control
/// characters, at most [`MAX_PATH_LEN`] bytes.
pub fn absolute_path(field: &str, value: &str) -> Result<(), ContractError> {
    if !value.starts_with('/') {
        return Err(ContractError::invalid(field, "must be an absolute path"));
    }
    if value.len() > MAX_PATH_LEN {
        return Err(ContractError::invalid(
            field,
            format!("is longer than {MAX_PATH_LEN} bytes"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(ContractError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    if value.split('/').any(|part| part == "..") {
        return Err(ContractError::invalid(
            field,
            "must not contain a `..` component",
        ));
    }
    Ok(())
}

/// Checks an IANA time-zone name such as `Europe/Paris`, `America/Argentina/Buenos_Aires`,
/// `Etc/GMT+5` or `UTC`.
///
/// Only the syntax is checked: the two ends may ship different tz databases, so whether the
/// zone exists is for the device to say (it fails the operation with `unknownTimeZone`).
pub fn time_zone(field: &str, value: &str) -> Result<(), ContractError> {
    let bad = |reason: &str| Err(ContractError::invalid(field, reason.to_owned()));
    if value.is_empty() || value.len() > 64 {
        return bad("must be an IANA time-zone name of 1 to 64 characters, e.g. Europe/Paris");
    }
    for part in value.split('/') {
        let Some(first) = part.chars().next() else {
            return bad("has an empty `/`-separated part");
        };
        if !first.is_ascii_alphabetic() {
            return bad("each part must start with a letter, e.g. Europe/Paris");
        }
        if !part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        {
            return bad("may contain only letters, digits, `_`, `-`, `+` and `/`");
        }
    }
    Ok(())
}

/// Checks an app, systemd unit or package name: 1 to [`MAX_NAME_LEN`] ASCII characters from
/// `A-Z a-z 0-9 . _ @ : + -`, starting with a letter or digit.
pub fn name(field: &str, value: &str) -> Result<(), ContractError> {
    if value.is_empty() || value.len() > MAX_NAME_LEN {
        return Err(ContractError::invalid(
            field,
            format!("must be 1 to {MAX_NAME_LEN} characters"),
        ));
    }
    if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(ContractError::invalid(
            field,
            "must start with a letter or digit",
        ));
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | ':' | '+' | '-'))
    {
        return Err(ContractError::invalid(
            field,
            "may contain only letters, digits and `. _ @ : + -`",
        ));
    }
    Ok(())
}

/// Checks a package spec for updates: `name` or `name=version`.
pub fn package_spec(field: &str, value: &str) -> Result<(), ContractError> {
    match value.split_once('=') {
        None => name(field, value),
        Some((pkg, version)) => {
            name(field, pkg)?;
            version_string(field, version)
        }
    }
}

/// Checks a version string: 1 to 64 characters from `A-Z a-z 0-9 . + ~ : _ -`.
pub fn version_string(field: &str, value: &str) -> Result<(), ContractError> {
    if value.is_empty()
        || value.len() > 64
        || !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '~' | ':' | '_' | '-'))
    {
        return Err(ContractError::invalid(
            field,
            "version must be 1 to 64 characters from letters, digits and `. + ~ : _ -`",
        ));
    }
    Ok(())
}

/// Longest agent version accepted by `dm.agent.update` (since v2).
pub const MAX_AGENT_VERSION_LEN: usize = 64;

/// Checks an agent version (`dm.agent.update`, since v2): 1 to [`MAX_AGENT_VERSION_LEN`]
/// characters from `0-9 A-Z a-z . + -`. Narrower than [`version_string`]: the agent compares it
/// with what the new binary prints for `--version`, so it must be one word without separators
/// a tool might rewrite.
pub fn agent_version(field: &str, value: &str) -> Result<(), ContractError> {
    if value.is_empty()
        || value.len() > MAX_AGENT_VERSION_LEN
        || !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
    {
        return Err(ContractError::invalid(
            field,
            format!(
                "an agent version must be 1 to {MAX_AGENT_VERSION_LEN} characters from letters, digits and `. + -`"
            ),
        ));
    }
    Ok(())
}

/// Checks a host name or IP address (e.g. an NTP server): at most 253 characters, labels of
/// letters, digits and `-`, or an IPv4/IPv6 literal.
pub fn host(field: &str, value: &str) -> Result<(), ContractError> {
    if value.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if value.is_empty() || value.len() > 253 || !value.split('.').all(label_ok) {
        return Err(ContractError::invalid(
            field,
            "must be a host name (letters, digits, `-`, dot-separated) or an IP address",
        ));
    }
    Ok(())
}

/// Checks an IoT Hub device id: 1 to 128 characters, ASCII letters, digits and
/// `- . % _ * ? ! ( ) , : = @ $ '` (the hub's own rule).
pub fn device_id(field: &str, value: &str) -> Result<(), ContractError> {
    if value.is_empty()
        || value.len() > 128
        || !value.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '-' | '.'
                        | '%'
                        | '_'
                        | '*'
                        | '?'
                        | '!'
                        | '('
                        | ')'
                        | ','
                        | ':'
                        | '='
                        | '@'
                        | '$'
                        | '\''
                )
        })
    {
        return Err(ContractError::invalid(
            field,
            "must be an IoT Hub device id (1 to 128 characters)",
        ));
    }
    Ok(())
}

/// Checks free text: at most `max` characters and no control characters (it ends up in logs and
/// in the twin).
pub fn text(field: &str, value: &str, max: usize) -> Result<(), ContractError> {
    if value.chars().count() > max {
        return Err(ContractError::invalid(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(ContractError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// Checks that `value` lies in `min..=max`.
pub fn range<T>(field: &str, value: T, min: T, max: T) -> Result<(), ContractError>
where
    T: PartialOrd + fmt::Display + Copy,
{
    if value < min || value > max {
        return Err(ContractError::invalid(
            field,
            format!("must be between {min} and {max} (got {value})"),
        ));
    }
    Ok(())
}

/// Checks that a list has at most `max` entries.
pub fn max_items<T>(field: &str, items: &[T], max: usize) -> Result<(), ContractError> {
    if items.len() > max {
        return Err(ContractError::invalid(
            field,
            format!("has {} entries; at most {max} are allowed", items.len()),
        ));
    }
    Ok(())
}

/// A wall-clock time of day, `HH:MM` on the wire (24-hour, two digits each).
///
/// It is a local time in the time zone named next to it, so it is not a [`jiff::Timestamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeOfDay {
    hour: u8,
    minute: u8,
}

impl TimeOfDay {
    /// Builds a time of day; `None` unless `hour < 24` and `minute < 60`.
    pub fn new(hour: u8, minute: u8) -> Option<Self> {
        (hour < 24 && minute < 60).then_some(Self { hour, minute })
    }

    /// The hour, 0 to 23.
    pub fn hour(self) -> u8 {
        self.hour
    }

    /// The minute, 0 to 59.
    pub fn minute(self) -> u8 {
        self.minute
    }

    /// Minutes since midnight, 0 to 1439.
    pub fn minutes_since_midnight(self) -> u16 {
        u16::from(self.hour) * 60 + u16::from(self.minute)
    }

    /// Parses `HH:MM`.
    pub fn parse(field: &str, value: &str) -> Result<Self, ContractError> {
        let bad = || ContractError::invalid(field, "must be HH:MM (24-hour), e.g. 03:30");
        let bytes = value.as_bytes();
        if bytes.len() != 5 || bytes[2] != b':' {
            return Err(bad());
        }
        let two = |s: &str| -> Option<u8> {
            (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let hour = two(&value[..2]).ok_or_else(bad)?;
        let minute = two(&value[3..]).ok_or_else(bad)?;
        Self::new(hour, minute).ok_or_else(bad)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl TryFrom<String> for TimeOfDay {
    type Error = ContractError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        // Deserialization adds the field path; this names only the value's kind.
        Self::parse("time of day", &value)
    }
}

impl From<TimeOfDay> for String {
    fn from(value: TimeOfDay) -> Self {
        value.to_string()
    }
}

/// A secret string carried in a method payload (a Wi-Fi passphrase, a PEM private key).
///
/// It serializes as a plain string because it has to travel, but `Debug` never shows it and it
/// has no `Display`, so it cannot slip into a log line or an error message by accident. Secrets
/// never go into the twin.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that needs it (the provider writing it to the OS).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} bytes redacted>)", self.0.len())
    }
}

/// A download URL for an artefact (package, certificate).
///
/// It may carry a signed query string (a blob SAS), which is as good as a password until it
/// expires, so `Debug` and `Display` drop the query and any user info. Agents never echo it into
/// the twin: the artefact's SHA-256 identifies it there.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArtifactUrl(String);

impl ArtifactUrl {
    /// Wraps a URL; [`Validate::validate`] on the request checks it.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The full URL, query included, for the download itself.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL without user info, query or fragment: safe to log.
    pub fn redacted(&self) -> String {
        match url::Url::parse(&self.0) {
            Ok(mut url) => {
                let had_query = url.query().is_some();
                url.set_query(None);
                url.set_fragment(None);
                let _ = url.set_username("");
                let _ = url.set_password(None);
                let mut shown = url.to_string();
                if had_query {
                    shown.push_str("?<redacted>");
                }
                shown
            }
            Err(_) => "<unparseable URL>".to_owned(),
        }
    }
}

impl fmt::Debug for ArtifactUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ArtifactUrl({:?})", self.redacted())
    }
}

impl fmt::Display for ArtifactUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn sha256_needs_exactly_64_hex_digits() {
        assert!(sha256("sha256", DIGEST).is_ok());
        assert!(sha256("sha256", &DIGEST.to_uppercase()).is_ok());
        assert!(sha256("sha256", &DIGEST[..63]).is_err());
        assert!(sha256("sha256", &format!("{DIGEST}0")).is_err());
        let with_g = format!("g{}", &DIGEST[1..]);
        let err = sha256("sha256", &with_g).unwrap_err();
        assert_eq!(err.field(), Some("sha256"));
    }

    #[test]
    fn thumbprints_are_normalized_from_openssl_form() {
        let colons = DIGEST
            .to_uppercase()
            .as_bytes()
            .chunks(2)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(":");
        assert_eq!(normalize_thumbprint("thumbprint", &colons).unwrap(), DIGEST);
        assert!(normalize_thumbprint("thumbprint", "AB:CD").is_err());
    }

    #[test]
    fn urls_must_be_http_or_https_without_credentials() {
        assert!(download_url("url", "https://example.com/a.deb").is_ok());
        assert!(download_url("url", "http://10.0.0.1:8080/a.deb?sig=x").is_ok());
        for bad in [
            "ftp://example.com/a.deb",
            "file:///etc/passwd",
            "example.com/a.deb",
            "https://user:pw@example.com/a.deb",
            "https://",
        ] {
            let err = download_url("url", bad).unwrap_err();
            assert_eq!(err.field(), Some("url"), "{bad}");
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert!(download_url("url", &long).is_err());
    }

    #[test]
    fn artifact_url_hides_its_signature() {
        let url = ArtifactUrl::new("https://acct.blob.core.windows.net/c/a.deb?sv=2024&sig=SECRET");
        assert!(!format!("{url:?}").contains("SECRET"));
        assert!(!url.to_string().contains("SECRET"));
        assert!(
            url.to_string()
                .starts_with("https://acct.blob.core.windows.net/c/a.deb")
        );
        assert!(url.expose().contains("SECRET"));
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let s = Secret::new("correct horse");
        assert!(!format!("{s:?}").contains("horse"));
        assert_eq!(s.expose(), "correct horse");
    }

    #[test]
    fn paths_must_be_absolute_without_dotdot() {
        assert!(absolute_path("paths[0]", "/var/log/syslog").is_ok());
        assert!(absolute_path("paths[0]", "/var/log/..hidden").is_ok());
        for bad in [
            "var/log",
            "/var/../etc/shadow",
            "/var/log/..",
            "/a\u{0}b",
            "",
        ] {
            assert_eq!(
                absolute_path("paths[0]", bad).unwrap_err().field(),
                Some("paths[0]"),
                "{bad:?}"
            );
        }
        assert!(absolute_path("p", &format!("/{}", "a".repeat(MAX_PATH_LEN))).is_err());
    }

    #[test]
    fn time_zone_syntax() {
        for ok in [
            "UTC",
            "Europe/Paris",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
        ] {
            assert!(time_zone("timeZone", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/Europe",
            "Europe/",
            "Europe//Paris",
            "../etc",
            "Europe/Paris Time",
            "1UTC",
        ] {
            assert!(time_zone("timeZone", bad).is_err(), "{bad}");
        }
        assert!(time_zone("timeZone", &"A".repeat(65)).is_err());
    }

    #[test]
    fn time_of_day_boundaries() {
        assert_eq!(
            TimeOfDay::parse("t", "00:00")
                .unwrap()
                .minutes_since_midnight(),
            0
        );
        assert_eq!(
            TimeOfDay::parse("t", "23:59")
                .unwrap()
                .minutes_since_midnight(),
            1439
        );
        for bad in [
            "24:00", "23:60", "3:30", "03:3", "03-30", "0a:00", "+1:00", "003:0",
        ] {
            let err = TimeOfDay::parse("daily", bad).unwrap_err();
            assert_eq!(err.field(), Some("daily"), "{bad}");
        }
        let t: TimeOfDay = serde_json::from_str("\"07:05\"").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"07:05\"");
    }

    #[test]
    fn names_refuse_option_injection() {
        assert!(name("name", "nginx.service").is_ok());
        assert!(name("name", "getty@tty1.service").is_ok());
        assert!(name("name", "libc6:amd64").is_ok());
        assert!(name("name", "g++").is_ok());
        for bad in ["", "-rf", ".hidden", "a b", "a/b", "a;b"] {
            assert!(name("name", bad).is_err(), "{bad}");
        }
        assert!(name("name", &"a".repeat(MAX_NAME_LEN)).is_ok());
        assert!(name("name", &"a".repeat(MAX_NAME_LEN + 1)).is_err());
    }

    #[test]
    fn package_specs() {
        assert!(package_spec("packages[0]", "openssl").is_ok());
        assert!(package_spec("packages[0]", "openssl=3.0.13-0ubuntu3.4").is_ok());
        assert!(package_spec("packages[0]", "openssl=").is_err());
        assert!(package_spec("packages[0]", "=1.0").is_err());
        assert!(package_spec("packages[0]", "openssl=1 0").is_err());
    }

    #[test]
    fn hosts() {
        for ok in [
            "pool.ntp.org",
            "time",
            "10.0.0.1",
            "2001:db8::1",
            "a-b.example",
        ] {
            assert!(host("ntpServers[0]", ok).is_ok(), "{ok}");
        }
        for bad in ["", "-a.example", "a..b", "a_b.example", "a b"] {
            assert!(host("ntpServers[0]", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_and_lists_and_text() {
        assert!(range("delaySeconds", 0_u32, 0, 10).is_ok());
        assert!(range("delaySeconds", 10_u32, 0, 10).is_ok());
        assert!(range("delaySeconds", 11_u32, 0, 10).is_err());
        assert!(max_items("units", &[1, 2], 2).is_ok());
        assert!(max_items("units", &[1, 2, 3], 2).is_err());
        assert!(text("reason", &"é".repeat(MAX_TEXT_LEN), MAX_TEXT_LEN).is_ok());
        assert!(text("reason", &"é".repeat(MAX_TEXT_LEN + 1), MAX_TEXT_LEN).is_err());
        assert!(text("reason", "a\nb", MAX_TEXT_LEN).is_err());
    }

    #[test]
    fn device_ids() {
        assert!(device_id("confirmDeviceId", "sensor-042").is_ok());
        assert!(device_id("confirmDeviceId", "").is_err());
        assert!(device_id("confirmDeviceId", "a b").is_err());
        assert!(device_id("confirmDeviceId", &"a".repeat(129)).is_err());
    }
}
