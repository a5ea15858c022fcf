//! Percent-encoding rules shared by token signing and parsing.
//!
//! Kept in one place because the hub hashes `sr` byte-for-byte as sent: the encoder must match the
//! SDKs exactly (RFC 3986 unreserved characters kept, uppercase hex), and the decoder must be strict
//! percent-decoding only (a `+` in a signature is a `+`, never a space).

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything except RFC 3986 "unreserved" (`A-Z a-z 0-9 - . _ ~`) is escaped, like Python's
/// `quote(safe="")` and JavaScript's `encodeURIComponent` plus `!'()*`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a resource URI the way the SDKs do for `sr` (all but RFC 3986 unreserved, uppercase hex).
///
/// `"myhub.azure-devices.net/devices/dev1"` becomes `"myhub.azure-devices.net%2Fdevices%2Fdev1"`.
pub fn encode_resource_uri(uri: &str) -> String {
    encode_component(uri)
}

pub(crate) fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Why a percent-encoded value could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// A `%` not followed by two hex digits.
    BadEscape,
    /// The decoded bytes are not UTF-8.
    NotUtf8,
}

impl DecodeError {
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Self::BadEscape => "has a `%` not followed by two hex digits",
            Self::NotUtf8 => "does not decode to UTF-8",
        }
    }
}

/// Strict percent-decoding: malformed escapes are errors rather than passed through, so two
/// parties can never disagree about what a field means.
pub(crate) fn decode_component(s: &str) -> Result<Cow<'_, str>, DecodeError> {
    let mut rest = s.as_bytes();
    while let Some(at) = rest.iter().position(|&b| b == b'%') {
        match rest
            .get(at + 1..)
            .and_then(|after| after.split_at_checked(2))
        {
            Some((hex, tail)) if hex.iter().all(u8::is_ascii_hexdigit) => rest = tail,
            _ => return Err(DecodeError::BadEscape),
        }
    }
    percent_decode_str(s)
        .decode_utf8()
        .map_err(|_| DecodeError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_sdks() {
        assert_eq!(
            encode_resource_uri("myhub.azure-devices.net/devices/dev1"),
            "myhub.azure-devices.net%2Fdevices%2Fdev1"
        );
        assert_eq!(encode_resource_uri("localhost:8443"), "localhost%3A8443");
        assert_eq!(encode_resource_uri("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(encode_resource_uri("a b+c=/é"), "a%20b%2Bc%3D%2F%C3%A9");
        assert_eq!(encode_resource_uri("!'()*"), "%21%27%28%29%2A");
    }

    #[test]
    fn decodes_strictly() {
        assert_eq!(decode_component("a%2Fb%2fc").unwrap(), "a/b/c");
        assert_eq!(decode_component("a+b").unwrap(), "a+b");
        assert_eq!(decode_component("%2B").unwrap(), "+");
        assert_eq!(decode_component("%zz"), Err(DecodeError::BadEscape));
        assert_eq!(decode_component("abc%2"), Err(DecodeError::BadEscape));
        assert_eq!(decode_component("abc%"), Err(DecodeError::BadEscape));
        assert_eq!(decode_component("%FF"), Err(DecodeError::NotUtf8));
        assert_eq!(decode_component("%C3%A9").unwrap(), "é");
    }
}
