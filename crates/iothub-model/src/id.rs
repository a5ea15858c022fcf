//! Validation of device, module and job ids.
//!
//! Ids end up in URL paths, MQTT topics and SAS resource URIs; the hub rejects ids outside its
//! documented character sets, so the emulator rejects them too and clients can fail early with a
//! precise message instead of a round trip.
//!
//! Device and module ids: ≤ 128 ASCII characters, alphanumerics plus `- . % _ * ? ! ( ) , : = @ $ '`
//! (identity registry documentation, 2025; `+` and `#` are explicitly unsupported because they
//! are MQTT wildcards). Job ids: ≤ 64 ASCII letters, digits and `-`.

use crate::model_error::ModelError;

/// Longest device or module id.
pub const MAX_IDENTITY_ID_LEN: usize = 128;
/// Longest job id.
pub const MAX_JOB_ID_LEN: usize = 64;

/// Special characters allowed in device and module ids besides ASCII alphanumerics.
pub const IDENTITY_ID_SPECIAL_CHARS: &str = "-.%_*?!(),:=@$'";

/// Which kind of id was being checked; used in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// A device id.
    Device,
    /// A module id.
    Module,
    /// A job id.
    Job,
    /// A configuration (automatic device management) id.
    Configuration,
}

impl std::fmt::Display for IdKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            IdKind::Device => "device id",
            IdKind::Module => "module id",
            IdKind::Job => "job id",
            IdKind::Configuration => "configuration id",
        })
    }
}

fn validate(
    kind: IdKind,
    id: &str,
    max: usize,
    allowed: impl Fn(char) -> bool,
) -> Result<(), ModelError> {
    if id.is_empty() {
        return Err(ModelError::EmptyId { kind });
    }
    if let Some((position, ch)) = id.chars().enumerate().find(|&(_, c)| !allowed(c)) {
        return Err(ModelError::InvalidIdChar {
            kind,
            id: id.to_owned(),
            ch,
            position,
        });
    }
    // After the charset check every character is one byte, so `len()` counts characters.
    if id.len() > max {
        return Err(ModelError::IdTooLong {
            kind,
            len: id.len(),
            max,
        });
    }
    Ok(())
}

fn identity_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || IDENTITY_ID_SPECIAL_CHARS.contains(c)
}

/// Checks a device id against the identity registry rules.
pub fn validate_device_id(id: &str) -> Result<(), ModelError> {
    validate(IdKind::Device, id, MAX_IDENTITY_ID_LEN, identity_char)
}

/// Checks a module id against the identity registry rules (same as device ids).
pub fn validate_module_id(id: &str) -> Result<(), ModelError> {
    validate(IdKind::Module, id, MAX_IDENTITY_ID_LEN, identity_char)
}

/// Checks a job id: 1–64 ASCII letters, digits and `-`.
pub fn validate_job_id(id: &str) -> Result<(), ModelError> {
    validate(IdKind::Job, id, MAX_JOB_ID_LEN, |c| {
        c.is_ascii_alphanumeric() || c == '-'
    })
}

/// Longest configuration id.
pub const MAX_CONFIGURATION_ID_LEN: usize = 128;

/// Special characters allowed in configuration ids besides lowercase letters and digits.
pub const CONFIGURATION_ID_SPECIAL_CHARS: &str = "-+%_*!'";

/// Checks a configuration id: 1–128 lowercase ASCII letters, digits and `-+%_*!'` (automatic
/// device management docs). Uppercase is refused rather than folded: the Azure CLI lowercases
/// ids before sending, so a hub never stores one, and silently folding would make
/// `GET /configurations/A` and `/a` the same resource.
pub fn validate_configuration_id(id: &str) -> Result<(), ModelError> {
    validate(IdKind::Configuration, id, MAX_CONFIGURATION_ID_LEN, |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || CONFIGURATION_ID_SPECIAL_CHARS.contains(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn device_ids_accept_every_documented_character() {
        assert_eq!(validate_device_id("edison1"), Ok(()));
        assert_eq!(validate_device_id("a-.%_*?!(),:=@$'Z9"), Ok(()));
        assert_eq!(validate_module_id("$edgeAgent"), Ok(()));
    }

    #[test]
    fn device_ids_reject_other_characters() {
        for (id, bad, position) in [
            ("dev+1", '+', 3),
            ("dev#1", '#', 3),
            ("a/b", '/', 1),
            ("a b", ' ', 1),
            ("dé", 'é', 1),
            ("x;y", ';', 1),
        ] {
            let err = validate_device_id(id).unwrap_err();
            assert_eq!(
                err,
                ModelError::InvalidIdChar {
                    kind: IdKind::Device,
                    id: id.to_owned(),
                    ch: bad,
                    position
                }
            );
            assert_eq!(err.error_code(), ErrorCode::ArgumentInvalid);
        }
        assert_eq!(
            validate_device_id("a b").unwrap_err().to_string(),
            "device id 'a b' contains U+0020 at position 1, which is not allowed"
        );
    }

    #[test]
    fn identity_id_length_boundary() {
        assert_eq!(validate_device_id(&"a".repeat(128)), Ok(()));
        assert_eq!(
            validate_module_id(&"a".repeat(129)),
            Err(ModelError::IdTooLong {
                kind: IdKind::Module,
                len: 129,
                max: 128
            })
        );
        assert_eq!(
            validate_device_id(""),
            Err(ModelError::EmptyId {
                kind: IdKind::Device
            })
        );
    }

    #[test]
    fn job_ids() {
        assert_eq!(validate_job_id("job-01"), Ok(()));
        assert_eq!(validate_job_id(&"j".repeat(64)), Ok(()));
        assert!(matches!(
            validate_job_id(&"j".repeat(65)),
            Err(ModelError::IdTooLong {
                len: 65,
                max: 64,
                ..
            })
        ));
        assert!(matches!(
            validate_job_id("job_01"),
            Err(ModelError::InvalidIdChar { ch: '_', .. })
        ));
        assert!(matches!(
            validate_job_id(""),
            Err(ModelError::EmptyId { .. })
        ));
    }

    #[test]
    fn configuration_ids_are_lowercase_with_a_few_specials() {
        assert_eq!(
            validate_configuration_id("fw-1.0"),
            Err(ModelError::InvalidIdChar {
                kind: IdKind::Configuration,
                id: "fw-1.0".to_owned(),
                ch: '.',
                position: 4,
            })
        );
        assert_eq!(validate_configuration_id("fw-10+a%_*!'"), Ok(()));
        assert!(matches!(
            validate_configuration_id("Fw"),
            Err(ModelError::InvalidIdChar { ch: 'F', .. })
        ));
        assert_eq!(
            validate_configuration_id(&"a".repeat(129)),
            Err(ModelError::IdTooLong {
                kind: IdKind::Configuration,
                len: 129,
                max: 128
            })
        );
        assert_eq!(
            validate_configuration_id(""),
            Err(ModelError::EmptyId {
                kind: IdKind::Configuration
            })
        );
    }
}
