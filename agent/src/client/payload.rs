//! Turning the raw bytes of a method call into JSON, or a 400 that says what was wrong.
//!
//! The payload comes from the cloud and may be anything: too large, not UTF-8, not JSON, or
//! nested deep enough to exhaust a recursive parser. These checks run before `serde_json` sees
//! the bytes, so no payload can make the agent use unbounded memory or stack.

use dm_contract::ContractError;
use serde_json::Value;

/// The hub's limit on a method payload; anything larger cannot have come from a real hub.
pub const MAX_PAYLOAD_BYTES: usize = 128 * 1024;
/// The deepest nesting accepted. Contract payloads are at most three levels deep.
pub const MAX_PAYLOAD_DEPTH: usize = 32;

fn invalid(detail: impl Into<String>) -> ContractError {
    ContractError::InvalidPayload {
        what: "method payload".into(),
        field: None,
        detail: detail.into(),
    }
}

/// Decodes a method payload: empty (or only whitespace) means no payload (`null`).
pub(crate) fn decode(payload: &[u8]) -> Result<Value, ContractError> {
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(invalid(format!(
            "is {} bytes; at most {MAX_PAYLOAD_BYTES} are accepted",
            payload.len()
        )));
    }
    let text = std::str::from_utf8(payload).map_err(|e| {
        invalid(format!(
            "is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    check_depth(text.as_bytes())?;
    serde_json::from_str(text).map_err(|e| {
        invalid(format!(
            "is not JSON ({} at line {} column {})",
            classify(&e),
            e.line(),
            e.column()
        ))
    })
}

fn classify(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Eof => "unexpected end",
        serde_json::error::Category::Data | serde_json::error::Category::Io => "invalid data",
    }
}

/// Counts bracket nesting outside strings, without building anything.
fn check_depth(bytes: &[u8]) -> Result<(), ContractError> {
    let mut depth = 0_usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_PAYLOAD_DEPTH {
                    return Err(invalid(format!(
                        "is nested deeper than {MAX_PAYLOAD_DEPTH} levels"
                    )));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_means_no_payload() {
        assert_eq!(decode(b"").unwrap(), Value::Null);
        assert_eq!(decode(b" \n").unwrap(), Value::Null);
        assert_eq!(decode(b"null").unwrap(), Value::Null);
        assert_eq!(decode(br#"{"a":"[[[["}"#).unwrap()["a"], "[[[[");
    }

    #[test]
    fn hostile_payloads_are_refused_with_a_reason() {
        let deep = "[".repeat(100_000);
        for (bytes, needle) in [
            (&b"\xff\xfe{}"[..], "UTF-8"),
            (b"{\"a\":", "not JSON"),
            (b"{'a':1}", "not JSON"),
            (deep.as_bytes(), "deeper than 32"),
        ] {
            let err = decode(bytes).unwrap_err();
            assert!(err.to_string().contains(needle), "{err}");
        }
        let huge = format!("\"{}\"", "x".repeat(MAX_PAYLOAD_BYTES));
        assert!(
            decode(huge.as_bytes())
                .unwrap_err()
                .to_string()
                .contains("at most")
        );
        let ok_depth = format!(
            "{}{}",
            "[".repeat(MAX_PAYLOAD_DEPTH),
            "]".repeat(MAX_PAYLOAD_DEPTH)
        );
        assert!(decode(ok_depth.as_bytes()).is_ok());
    }
}
