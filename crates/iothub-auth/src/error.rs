//! The crate's single error type.
//!
//! It exists so every caller (CLI, client, emulator, agent) can tell *which* field or key was wrong
//! without ever being handed secret material: no variant carries a key, a signature, a token or a
//! connection-string value, only names, positions, lengths and timestamps.

use std::error::Error as StdError;

/// Everything that can go wrong while handling keys, SAS tokens and connection strings.
///
/// Messages name the offending field or key but never include secret values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// A shared access key was the empty string.
    #[error("shared access key is empty")]
    EmptyKey,
    /// A shared access key is longer than IoT Hub allows.
    #[error("shared access key is {len} characters long; the maximum is {max}")]
    KeyTooLong {
        /// Length of the rejected key, in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A shared access key is not valid standard (padded) base64.
    #[error("shared access key is not valid base64")]
    InvalidKeyEncoding,
    /// A [`Signer`](crate::Signer) implementation failed (HSM unavailable, keyring locked, ...).
    #[error("signer failed")]
    Signer(#[source] Box<dyn StdError + Send + Sync + 'static>),

    /// The token does not start with `SharedAccessSignature ` (one space).
    #[error("SAS token does not start with `SharedAccessSignature `")]
    TokenPrefix,
    /// A `&`-separated part of a token has no `=`.
    #[error("SAS token part {position} is not a `name=value` pair")]
    MalformedTokenPart {
        /// 1-based position of the part after the prefix.
        position: usize,
    },
    /// A required token field (`sr`, `sig` or `se`) is absent.
    #[error("SAS token is missing the `{field}` field")]
    MissingField {
        /// `sr`, `sig` or `se`.
        field: &'static str,
    },
    /// A token field occurs more than once.
    #[error("SAS token has more than one `{field}` field")]
    DuplicateField {
        /// `sr`, `sig`, `se` or `skn`.
        field: &'static str,
    },
    /// A token field (or an argument that becomes one) has an unusable value.
    #[error("SAS token field `{field}` is invalid: {reason}")]
    InvalidField {
        /// `sr`, `sig`, `se` or `skn`.
        field: &'static str,
        /// What is wrong with it (never the value itself).
        reason: &'static str,
    },
    /// The token's signature does not match the key.
    #[error("SAS token signature does not match the key")]
    SignatureMismatch,
    /// The token's expiry, plus the allowed clock skew, is in the past.
    #[error("SAS token expired: se={expiry}, now={now}, allowed clock skew {skew_secs}s")]
    Expired {
        /// The token's `se`.
        expiry: u64,
        /// The time it was checked at.
        now: u64,
        /// The tolerance that was applied.
        skew_secs: u64,
    },

    /// A `;`-separated part of a connection string has no `=`.
    #[error("connection string part {position} is not a `Key=Value` pair")]
    MalformedConnectionStringPart {
        /// 1-based position of the part.
        position: usize,
    },
    /// A connection string uses a key this crate does not know.
    #[error("connection string has unknown key {key}")]
    UnknownKey {
        /// The key, quoted, or a description of it when it looks like it could be secret material.
        key: String,
    },
    /// A connection string key occurs more than once.
    #[error("connection string has more than one `{key}`")]
    DuplicateKey {
        /// The repeated key.
        key: &'static str,
    },
    /// A connection string lacks a key it needs.
    #[error("connection string is missing `{key}`")]
    MissingKey {
        /// The absent key.
        key: &'static str,
    },
    /// A connection string key is only meaningful together with another one.
    #[error("connection string has `{key}` but not `{requires}`")]
    KeyRequires {
        /// The key that is present.
        key: &'static str,
        /// The key it depends on.
        requires: &'static str,
    },
    /// A device or module connection string has none of the credentials.
    #[error(
        "connection string has no credential: it needs one of `SharedAccessKey`, `SharedAccessSignature` or `x509=true`"
    )]
    MissingCredential,
    /// A connection string carries more than one credential.
    #[error(
        "connection string has more than one credential: use only one of `SharedAccessKey`, `SharedAccessSignature` or `x509=true`"
    )]
    ConflictingCredentials,
    /// A connection string value is unusable.
    #[error("connection string value for `{key}` is invalid: {reason}")]
    InvalidValue {
        /// The key whose value is wrong.
        key: &'static str,
        /// What is wrong with it (never the value itself).
        reason: String,
    },
    /// A token was requested from a connection string that holds no shared access key.
    #[error("connection string has no `SharedAccessKey` to sign a token with")]
    NoKey,
}
