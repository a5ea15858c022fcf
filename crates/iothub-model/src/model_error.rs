//! The crate's single error type: every input the hub would reject, and every wire value this
//! crate cannot read.
//!
//! One enum rather than one per module so callers (the client, the emulator, the CLI) need a
//! single `map_err` and a single [`ModelError::error_code`] to turn any model rejection into the
//! hub's answer. It lives apart from [`crate::error`], which holds the hub's own error codes and
//! envelopes (what goes on the wire), not this crate's failures.

use crate::error::ErrorCode;
use crate::id::IdKind;
use crate::twin::KeyProblem;

/// Something the hub would reject, or a wire value this crate does not understand.
///
/// Variants are grouped by origin: ids ([`crate::id`]), direct method calls
/// ([`crate::method`]), twin documents and patches ([`crate::twin`], each naming the JSON path
/// of the offending element) and query response headers ([`crate::query`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A device, module or job id is empty.
    #[error("{kind} is empty")]
    EmptyId {
        /// Which id.
        kind: IdKind,
    },
    /// An id is longer than allowed.
    #[error("{kind} is {len} characters long (limit {max})")]
    IdTooLong {
        /// Which id.
        kind: IdKind,
        /// Its length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// An id contains a character outside the allowed set.
    #[error("{kind} '{id}' contains {} at position {position}, which is not allowed", describe_id_char(*.ch))]
    InvalidIdChar {
        /// Which id.
        kind: IdKind,
        /// The id as given (ids are not secret).
        id: String,
        /// The offending character.
        ch: char,
        /// Its zero-based character position.
        position: usize,
    },

    /// A direct method name is empty.
    #[error("method name is empty")]
    EmptyMethodName,
    /// A direct method name contains a character outside the allowed set.
    #[error("method name '{}' contains {} at position {position}, which is not allowed", .name.escape_debug(), describe_method_char(*.ch))]
    InvalidMethodNameChar {
        /// The name as given.
        name: String,
        /// The offending character.
        ch: char,
        /// Its zero-based character position.
        position: usize,
    },
    /// A direct method's serialized payload is too large.
    #[error("method payload is {size} bytes (limit {max})")]
    MethodPayloadTooLarge {
        /// Serialized size in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// `responseTimeoutInSeconds` is outside 5–300.
    #[error("responseTimeoutInSeconds is {value} (allowed {min}..={max})")]
    ResponseTimeoutOutOfRange {
        /// The value given.
        value: u32,
        /// Smallest allowed.
        min: u32,
        /// Largest allowed.
        max: u32,
    },
    /// `connectTimeoutInSeconds` is outside 0–300.
    #[error("connectTimeoutInSeconds is {value} (allowed {min}..={max})")]
    ConnectTimeoutOutOfRange {
        /// The value given.
        value: u32,
        /// Smallest allowed.
        min: u32,
        /// Largest allowed.
        max: u32,
    },

    /// A twin section (or a patch for it) is not a JSON object.
    #[error("{path} must be a JSON object, found {found}")]
    NotAnObject {
        /// The section path.
        path: String,
        /// The JSON type found instead.
        found: &'static str,
    },
    /// A twin property name breaks the key rules.
    #[error("property name '{}' at {path} {problem}", shorten_key(.key))]
    InvalidKey {
        /// Path of the object holding the key.
        path: String,
        /// The key as given.
        key: String,
        /// What is wrong with it.
        problem: KeyProblem,
    },
    /// Twin objects or arrays nest deeper than [`crate::twin::MAX_DEPTH`].
    #[error("{path} is nested {depth} levels deep (limit {max})")]
    TooDeep {
        /// Path of the container that is too deep.
        path: String,
        /// Its depth.
        depth: usize,
        /// The limit.
        max: usize,
    },
    /// A twin integer outside [`crate::twin::MIN_INTEGER`]..=[`crate::twin::MAX_INTEGER`].
    #[error("integer {value} at {path} is outside the allowed range {min}..={max}")]
    IntegerOutOfRange {
        /// Path of the value.
        path: String,
        /// The value as written.
        value: String,
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// A twin string longer than [`crate::twin::MAX_STRING_BYTES`].
    #[error("string at {path} is {bytes} bytes long (limit {max})")]
    StringTooLong {
        /// Path of the value.
        path: String,
        /// Its UTF-8 length.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// A twin leaf property larger than [`crate::twin::MAX_PROPERTY_SIZE`].
    #[error("property {path} is {size} bytes (limit {max})")]
    PropertyTooLarge {
        /// Path of the property.
        path: String,
        /// Its size as counted by [`crate::twin::section_size`].
        size: usize,
        /// The limit.
        max: usize,
    },
    /// A whole twin section is larger than its limit.
    #[error("{path} is {size} bytes (limit {max})")]
    SectionTooLarge {
        /// The section path.
        path: String,
        /// Its size as counted by [`crate::twin::section_size`].
        size: usize,
        /// The limit.
        max: usize,
    },

    /// An `x-ms-item-type` value this crate does not know.
    #[error("unknown x-ms-item-type '{value}' (expected twin, deviceJob, jobResponse or raw)")]
    UnknownItemType {
        /// The header value, trimmed.
        value: String,
    },
}

impl ModelError {
    /// The hub's error code for this rejection: 413001 `MessageTooLarge` for an oversized method
    /// payload, 400004 `ArgumentInvalid` for everything else.
    ///
    /// [`ModelError::UnknownItemType`] is normally met reading a response, where no hub code
    /// applies; it maps to `ArgumentInvalid` because that is what a bad value supplied by a
    /// caller is, and a total mapping keeps every caller's `map_err` a one-liner.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            ModelError::MethodPayloadTooLarge { .. } => ErrorCode::MessageTooLarge,
            _ => ErrorCode::ArgumentInvalid,
        }
    }

    /// The JSON path of the offending element for twin errors (for example
    /// `properties.desired.a.b` or `tags.list[2]`); `None` for the other kinds.
    pub fn path(&self) -> Option<&str> {
        match self {
            ModelError::NotAnObject { path, .. }
            | ModelError::InvalidKey { path, .. }
            | ModelError::TooDeep { path, .. }
            | ModelError::IntegerOutOfRange { path, .. }
            | ModelError::StringTooLong { path, .. }
            | ModelError::PropertyTooLarge { path, .. }
            | ModelError::SectionTooLarge { path, .. } => Some(path),
            _ => None,
        }
    }
}

// Ids and method names are described differently on purpose: any non-ASCII character is
// already a violation in a method name, so only printable ASCII is quoted there, while for ids
// only the characters that would be invisible in a message are spelled as code points.
fn describe_id_char(ch: char) -> String {
    if ch.is_control() || ch == ' ' {
        format!("U+{:04X}", u32::from(ch))
    } else {
        format!("'{ch}'")
    }
}

fn describe_method_char(ch: char) -> String {
    if ch.is_ascii_graphic() {
        format!("'{ch}'")
    } else {
        format!("U+{:04X}", u32::from(ch))
    }
}

/// Longest key shown in an error message; a 1 KB key would bury the rest of the message.
const MAX_SHOWN_KEY_CHARS: usize = 64;

fn shorten_key(key: &str) -> String {
    let mut shown: String = key
        .chars()
        .take(MAX_SHOWN_KEY_CHARS)
        .flat_map(char::escape_debug)
        .collect();
    if key.chars().nth(MAX_SHOWN_KEY_CHARS).is_some() {
        shown.push('…');
    }
    shown
}
