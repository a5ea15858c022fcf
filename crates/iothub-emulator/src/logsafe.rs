//! Text from the network, made safe to log.
//!
//! Device ids, MQTT usernames, topics and paths come from clients. Written to a log as they
//! are, a newline forges a log line and an ANSI escape rewrites the operator's terminal, so
//! everything the hub logs from input goes through [`Escaped`].

use std::fmt;

/// Displays a string with every control character (C0, DEL, C1) escaped as Rust does
/// (`\n`, `\u{1b}`); other characters, including non-ASCII text, are written as they are.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Escaped<'a>(pub(crate) &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        for c in self.0.chars() {
            if c.is_control() {
                for e in c.escape_default() {
                    f.write_char(e)?;
                }
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// Whether `text` holds a control character (which no identifier, topic or host name has).
pub(crate) fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_text_is_kept() {
        let forged = "dev1\nINFO forged line\r\u{1b}[31mred\u{7f}\u{9b}";
        let shown = Escaped(forged).to_string();
        assert!(!has_control(&shown), "{shown:?}");
        assert_eq!(
            shown,
            "dev1\\nINFO forged line\\r\\u{1b}[31mred\\u{7f}\\u{9b}"
        );
        assert_eq!(Escaped("capteur-é/m1").to_string(), "capteur-é/m1");
    }
}
