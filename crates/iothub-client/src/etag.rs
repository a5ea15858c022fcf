//! Optimistic concurrency: the `If-Match` header.
//!
//! The hub and both official service SDKs send the header quoted (`"*"`, `"AAAAAAAAAAE="`), while
//! etags reach users both ways: quoted in the `ETag` response header, bare in JSON bodies. This
//! type accepts either and always sends the quoted form, so a caller never has to care.

use crate::error::{Error, Result};

/// The `If-Match` condition of an update or delete.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum IfMatch {
    /// Unconditional (`If-Match: "*"`).
    #[default]
    Any,
    /// Only if the current etag is this one (with or without surrounding quotes).
    Etag(String),
}

impl IfMatch {
    /// Only if the current etag is `etag`; `*` (quoted or not) means [`IfMatch::Any`].
    pub fn etag(etag: impl Into<String>) -> Self {
        let etag = etag.into();
        if unquote(&etag) == "*" {
            Self::Any
        } else {
            Self::Etag(etag)
        }
    }

    /// `Etag` when an etag is known, `Any` otherwise: `IfMatch::from_option(twin.etag.as_deref())`.
    pub fn from_option(etag: Option<&str>) -> Self {
        etag.map_or(Self::Any, Self::etag)
    }

    /// The header value, always quoted: `"*"` or `"<etag>"`.
    ///
    /// Fails for an etag that cannot be quoted: empty, or containing `"`, a control character or
    /// non-ASCII text.
    pub fn header_value(&self) -> Result<String> {
        match self {
            Self::Any => Ok("\"*\"".to_owned()),
            Self::Etag(raw) => {
                let bare = unquote(raw);
                if bare.is_empty() {
                    return Err(Error::invalid_input("etag is empty"));
                }
                if let Some(c) = bare
                    .chars()
                    .find(|c| *c == '"' || !(c.is_ascii_graphic() || *c == ' '))
                {
                    return Err(Error::invalid_input(format!(
                        "etag contains {}, which cannot appear in If-Match",
                        describe(c)
                    )));
                }
                Ok(format!("\"{bare}\""))
            }
        }
    }
}

impl From<&str> for IfMatch {
    fn from(etag: &str) -> Self {
        Self::etag(etag)
    }
}

impl From<String> for IfMatch {
    fn from(etag: String) -> Self {
        Self::etag(etag)
    }
}

/// Strips one pair of surrounding quotes and a weak-validator prefix (`W/`), which proxies add.
fn unquote(etag: &str) -> &str {
    let etag = etag.trim();
    let etag = etag.strip_prefix("W/").unwrap_or(etag);
    etag.strip_prefix('"')
        .and_then(|e| e.strip_suffix('"'))
        .unwrap_or(etag)
}

fn describe(c: char) -> String {
    if c == '"' {
        "a '\"'".to_owned()
    } else {
        format!("U+{:04X}", u32::from(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn always_quoted_once() {
        assert_eq!(IfMatch::Any.header_value().unwrap(), "\"*\"");
        for given in [
            "AAAAAAAAAAE=",
            "\"AAAAAAAAAAE=\"",
            " \"AAAAAAAAAAE=\" ",
            "W/\"AAAAAAAAAAE=\"",
        ] {
            assert_eq!(
                IfMatch::etag(given).header_value().unwrap(),
                "\"AAAAAAAAAAE=\"",
                "{given}"
            );
        }
    }

    #[test]
    fn star_is_the_wildcard() {
        assert_eq!(IfMatch::etag("*"), IfMatch::Any);
        assert_eq!(IfMatch::etag("\"*\""), IfMatch::Any);
        assert_eq!(IfMatch::from_option(None), IfMatch::Any);
        assert_eq!(
            IfMatch::from_option(Some("MA==")),
            IfMatch::Etag("MA==".into())
        );
    }

    #[test]
    fn rejects_unquotable_etags() {
        for bad in ["", "\"\"", "a\"b", "a\nb", "é"] {
            assert!(IfMatch::etag(bad).header_value().is_err(), "{bad:?}");
        }
    }
}
