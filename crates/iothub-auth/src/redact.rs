//! Credentials out of text that was not written to hold them: panic messages, and other text
//! that reaches a terminal or a log without passing through the typed secrets of this crate.
//!
//! The typed secrets ([`SharedAccessKey`](crate::SharedAccessKey), [`SasToken`](crate::SasToken),
//! [`ConnectionString`](crate::ConnectionString)) never print themselves. A panic message is
//! different: it is whatever a `panic!`, `expect` or `unwrap` formatted, and a bug can put a
//! connection string or a token in it. The binaries' panic hook ([`install_panic_hook`]) passes
//! it through [`redact`] before anything is printed.

use std::fmt::Write as _;
use std::io::Write as _;

/// What a removed credential is replaced with (here and in connection strings' `Display`).
pub(crate) const REDACTED: &str = "<redacted>";

/// Field names whose value is a credential, as they appear in connection strings (`;`-separated)
/// and SAS tokens or URLs (`&`-separated), compared without case.
const SECRET_FIELDS: [&str; 3] = ["sharedaccesskey=", "sharedaccesssignature=", "sig="];

/// A SAS token written out whole, as a header value carries it.
const TOKEN: &str = "sharedaccesssignature sr=";

/// The shortest run of base64 characters taken for a key on its own: IoT Hub keys are 32 or
/// 64 random bytes (44 or 88 characters). Such a run is a key only when it mixes upper case,
/// lower case and digits, as random base64 does and paths and words do not.
const KEY_RUN: usize = 32;

/// `text` with every credential replaced by `<redacted>`: the value of a `SharedAccessKey=`,
/// `sig=` or `SharedAccessSignature=` field, a whole `SharedAccessSignature sr=…` token, and any
/// run of 32 or more base64 characters (a key written out alone).
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(len) = secret_field(rest) {
            // A connection string's `SharedAccessSignature=` holds a whole token (`&`-separated).
            let ends = if len == "sharedaccesssignature=".len() {
                ends_token
            } else {
                ends_value
            };
            out.push_str(&rest[..len]);
            out.push_str(REDACTED);
            rest = &rest[len..];
            rest = &rest[rest.find(ends).unwrap_or(rest.len())..];
            continue;
        }
        if starts_with_ignore_case(rest, TOKEN) {
            out.push_str("SharedAccessSignature ");
            out.push_str(REDACTED);
            rest = &rest[TOKEN.len()..];
            rest = &rest[rest.find(ends_token).unwrap_or(rest.len())..];
            continue;
        }
        let run = rest.find(|c: char| !is_base64(c)).unwrap_or(rest.len());
        if run >= KEY_RUN && looks_random(&rest[..run]) {
            out.push_str(REDACTED);
            rest = rest[run..].trim_start_matches('=');
            continue;
        }
        // Copy the run (or one other character) and go on.
        let step = if run > 0 {
            run
        } else {
            rest.chars().next().map_or(1, char::len_utf8)
        };
        out.push_str(&rest[..step]);
        rest = &rest[step..];
    }
    out
}

/// The length of the field name when `text` starts with a credential field (`sig=` only at the
/// start of a field, so that `config=` keeps its value).
fn secret_field(text: &str) -> Option<usize> {
    SECRET_FIELDS
        .iter()
        .find(|name| starts_with_ignore_case(text, name))
        .map(|name| name.len())
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Where a field's value ends: the next field, or the end of the quoted or spaced word.
fn ends_value(c: char) -> bool {
    matches!(c, ';' | '&' | '"' | '\'' | '`' | ',' | ')' | ']' | '}') || c.is_whitespace()
}

/// Where a whole token ends (its fields are `&`-separated: only a word boundary ends it).
fn ends_token(c: char) -> bool {
    matches!(c, ';' | '"' | '\'' | '`' | ',' | ')' | ']' | '}') || c.is_whitespace()
}

fn is_base64(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/')
}

fn looks_random(run: &str) -> bool {
    run.contains(|c: char| c.is_ascii_uppercase())
        && run.contains(|c: char| c.is_ascii_lowercase())
        && run.contains(|c: char| c.is_ascii_digit())
}

/// Replaces the standard panic output of `program` with one that leaves credentials out: the
/// message through [`redact`], where it happened, and what to do; a backtrace when
/// `RUST_BACKTRACE` asks for one (it names functions and files, never data).
pub fn install_panic_hook(program: &'static str) {
    std::panic::set_hook(Box::new(move |info| {
        // `PanicHookInfo::payload_as_str` is newer than the workspace's MSRV (1.88).
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .map_or_else(|| "(no message)".to_owned(), redact);
        let location = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        let thread = std::thread::current();
        let thread = thread.name().unwrap_or("unnamed");
        let backtrace = std::backtrace::Backtrace::capture();
        // One write, so that lines from threads panicking together do not interleave.
        let mut text = format!(
            "{program}: internal error in thread '{thread}'{location}: {message}\n\
             hint: this is a bug; please report it with the command that ran (credentials are left out of this message)\n"
        );
        if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
            let _ = writeln!(text, "{backtrace}");
        }
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key as the hub generates them (32 random bytes, base64).
    const KEY: &str = "q3N9vZ0tJ8fKp2LwX7sR1mYcB4hD6eUa9TgWnQ5oVxE=";

    #[test]
    fn connection_strings_keep_their_shape_and_lose_their_key() {
        let text = format!(
            "bad: HostName=h.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey={KEY}; done"
        );
        assert_eq!(
            redact(&text),
            "bad: HostName=h.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=<redacted>; done"
        );
    }

    #[test]
    fn tokens_urls_and_bare_keys_are_removed() {
        let token = "SharedAccessSignature sr=h%2Fdevices%2Fd&sig=abc%2Bdef%3D&se=1700000000";
        assert_eq!(
            redact(&format!("token \"{token}\" refused")),
            "token \"SharedAccessSignature <redacted>\" refused"
        );
        assert_eq!(
            redact("https://h/storage/c/b.txt?sv=2021&sig=AbC%2B12&se=99 failed"),
            "https://h/storage/c/b.txt?sv=2021&sig=<redacted>&se=99 failed"
        );
        assert_eq!(redact(&format!("key {KEY} left")), "key <redacted> left");
        assert_eq!(
            redact("SharedAccessSignature=sr=x&sig=y;DeviceId=d"),
            "SharedAccessSignature=<redacted>;DeviceId=d"
        );
    }

    #[test]
    fn ordinary_messages_pass_unchanged() {
        for text in [
            "called `Option::unwrap()` on a `None` value",
            "index out of bounds: the len is 3 but the index is 7",
            "config=/etc/dm-agent/config.toml; device 'sensor-01' at crates/x/src/lib.rs:12",
            "ünïcödé and emoji 🚀 stay",
            "/work/main/crates/iothubemulator/src/store/groupcommit/mod.rs",
            "gateway-hall-b-line-4-plc-bridge-with-a-very-long-device-identifier",
            "",
        ] {
            assert_eq!(redact(text), text);
        }
    }
}
