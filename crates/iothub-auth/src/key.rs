//! Symmetric keys and the [`Signer`] abstraction.
//!
//! SAS signing only ever needs "HMAC-SHA256 of these bytes", so that is all the trait asks for:
//! a key held in an HSM or an OS keyring can sign tokens without the key bytes entering this
//! process. [`SharedAccessKey`] is the in-memory implementation used for device and policy keys.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::AuthError;

/// IoT Hub rejects keys longer than this many base64 characters.
pub(crate) const MAX_KEY_LEN: usize = 256;

/// Computes HMAC-SHA256 with a key the caller may not hold (HSM, keyring...).
pub trait Signer: Send + Sync {
    /// Returns HMAC-SHA256(key, `message`).
    fn sign(&self, message: &[u8]) -> Result<[u8; 32], AuthError>;
}

impl<S: Signer + ?Sized> Signer for &S {
    fn sign(&self, message: &[u8]) -> Result<[u8; 32], AuthError> {
        (**self).sign(message)
    }
}

impl<S: Signer + ?Sized> Signer for Box<S> {
    fn sign(&self, message: &[u8]) -> Result<[u8; 32], AuthError> {
        (**self).sign(message)
    }
}

impl<S: Signer + ?Sized> Signer for Arc<S> {
    fn sign(&self, message: &[u8]) -> Result<[u8; 32], AuthError> {
        (**self).sign(message)
    }
}

/// A base64 symmetric key (device key or policy key). Debug prints `SharedAccessKey(<redacted>)`.
///
/// There is deliberately no `Display` and no `PartialEq`: getting the key text out requires the
/// explicit [`SharedAccessKey::to_base64`].
#[derive(Clone)]
pub struct SharedAccessKey {
    bytes: Vec<u8>,
}

impl SharedAccessKey {
    /// Decodes a key as it appears in connection strings and the portal (standard, padded base64).
    ///
    /// Rejects the empty string, invalid base64 and keys longer than 256 characters (the hub's limit).
    pub fn from_base64(s: &str) -> Result<Self, AuthError> {
        if s.is_empty() {
            return Err(AuthError::EmptyKey);
        }
        let len = s.chars().count();
        if len > MAX_KEY_LEN {
            return Err(AuthError::KeyTooLong {
                len,
                max: MAX_KEY_LEN,
            });
        }
        // The strict engine rejects non-canonical input, so `to_base64` gives back exactly `s`.
        let bytes = STANDARD
            .decode(s)
            .map_err(|_| AuthError::InvalidKeyEncoding)?;
        Ok(Self { bytes })
    }

    /// A fresh random key of 32 bytes, the size the hub itself generates.
    pub fn generate() -> Self {
        // `rand`'s thread RNG is a CSPRNG seeded from the operating system.
        let bytes: [u8; 32] = rand::random();
        Self {
            bytes: bytes.to_vec(),
        }
    }

    /// The key as standard base64, for writing connection strings.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(&self.bytes)
    }
}

impl fmt::Debug for SharedAccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedAccessKey(<redacted>)")
    }
}

impl Signer for SharedAccessKey {
    fn sign(&self, message: &[u8]) -> Result<[u8; 32], AuthError> {
        // HMAC accepts keys of any length, so this only fails if the hmac crate changes contract.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.bytes)
            .map_err(|e| AuthError::Signer(Box::new(e)))?;
        mac.update(message);
        Ok(mac.finalize().into_bytes().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_is_exact() {
        let text = "PqZ70GzRIOv8Mfap31nzDjwqsRwt8X6VTLDUM48qDGk=";
        let key = SharedAccessKey::from_base64(text).unwrap();
        assert_eq!(key.to_base64(), text);
    }

    #[test]
    fn rejects_bad_keys() {
        assert!(matches!(
            SharedAccessKey::from_base64(""),
            Err(AuthError::EmptyKey)
        ));
        assert!(matches!(
            SharedAccessKey::from_base64("not base64!"),
            Err(AuthError::InvalidKeyEncoding)
        ));
        assert!(matches!(
            SharedAccessKey::from_base64("cGFzc3dvcmQ"),
            Err(AuthError::InvalidKeyEncoding)
        ));
        let long = "A".repeat(260);
        assert!(matches!(
            SharedAccessKey::from_base64(&long),
            Err(AuthError::KeyTooLong { len: 260, max: 256 })
        ));
        // exactly at the limit is accepted
        let at_limit = "A".repeat(256);
        assert!(SharedAccessKey::from_base64(&at_limit).is_ok());
    }

    #[test]
    fn generated_keys_are_32_bytes_and_distinct() {
        let a = SharedAccessKey::generate();
        let b = SharedAccessKey::generate();
        assert_eq!(a.to_base64().len(), 44);
        assert_eq!(STANDARD.decode(a.to_base64()).unwrap().len(), 32);
        assert_ne!(a.to_base64(), b.to_base64());
    }

    #[test]
    fn debug_is_redacted() {
        let text = "PqZ70GzRIOv8Mfap31nzDjwqsRwt8X6VTLDUM48qDGk=";
        let key = SharedAccessKey::from_base64(text).unwrap();
        let dbg = format!("{key:?}");
        assert_eq!(dbg, "SharedAccessKey(<redacted>)");
    }

    #[test]
    fn signer_through_pointers_agrees() {
        let key = SharedAccessKey::from_base64("cGFzc3dvcmQ=").unwrap();
        let direct = key.sign(b"uri\n12345").unwrap();
        let boxed: Box<dyn Signer> = Box::new(key.clone());
        let arc: Arc<dyn Signer> = Arc::new(key.clone());
        assert_eq!(boxed.sign(b"uri\n12345").unwrap(), direct);
        assert_eq!(arc.sign(b"uri\n12345").unwrap(), direct);
        assert_eq!(
            <&SharedAccessKey as Signer>::sign(&&key, b"uri\n12345").unwrap(),
            direct
        );
    }
}
