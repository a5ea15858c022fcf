//! Asking the operator: secrets without echo, and the typed confirmation of a factory reset.
//!
//! A Wi-Fi passphrase given as a command-line argument would sit in shell history and in every
//! `ps` listing, so it is never accepted there: it comes from a file, stdin, or a prompt that
//! does not echo. A factory reset erases a device, so on a terminal the operator types the
//! device id; scripts must say both `--yes` and `--confirm ID`.

use std::io::{self, IsTerminal as _, Read as _};
use std::path::Path;

use dm_contract::Secret;

use crate::exit::CliError;

/// Reads a secret from `source` (`-` for stdin, else a file path); with no source, prompts on
/// the terminal without echo. `what` names the secret in prompts and errors.
pub fn read_secret(source: Option<&Path>, what: &str, flag: &str) -> Result<Secret, CliError> {
    let text = match source {
        Some(path) if path.as_os_str() == "-" => {
            let mut text = String::new();
            io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| CliError::io(format!("{what} from stdin"), e))?;
            text
        }
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| CliError::io(format!("{what} file {}", path.display()), e))?,
        None => {
            if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
                return Err(CliError::usage(format!(
                    "a {what} is needed and there is no terminal to ask for it"
                ))
                .with_hint(format!(
                    "give {flag} FILE, or {flag} - to read it from stdin (it is never taken from the command line)"
                )));
            }
            let term = console::Term::stderr();
            term.write_str(&format!("{what}: "))
                .map_err(|e| CliError::io("the terminal", e))?;
            term.read_secure_line()
                .map_err(|e| CliError::io("the terminal", e))?
        }
    };
    // Files and pipes usually end with a newline that is not part of the secret.
    let trimmed = text.strip_suffix('\n').unwrap_or(&text);
    let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
    if trimmed.is_empty() {
        return Err(CliError::usage(format!("the {what} is empty")));
    }
    Ok(Secret::new(trimmed))
}

/// How a factory reset was confirmed, or why it was not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// `--yes --confirm ID` with the right id, or the id typed at the prompt.
    Confirmed,
    /// The operator typed something else.
    Mismatch,
}

/// Confirms a factory reset of `device_id`: `--yes` with `--confirm` naming it, or, on a
/// terminal, the id typed at a prompt.
pub fn confirm_reset(
    device_id: &str,
    yes: bool,
    confirm: Option<&str>,
) -> Result<Confirmation, CliError> {
    if let Some(given) = confirm {
        if given != device_id {
            return Err(CliError::usage(format!(
                "--confirm '{given}' does not match the device '{device_id}'"
            ))
            .with_hint("--confirm must repeat the id of the device being reset"));
        }
        if yes {
            return Ok(Confirmation::Confirmed);
        }
    }
    if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
        return Err(CliError::usage(format!(
            "a factory reset of '{device_id}' must be confirmed"
        ))
        .with_hint(format!(
            "pass --yes --confirm {device_id}, or run on a terminal to type the id"
        )));
    }
    let term = console::Term::stderr();
    term.write_line(&format!(
        "This erases device '{device_id}' and restores its factory state."
    ))
    .and_then(|()| term.write_str("Type the device id to confirm: "))
    .map_err(|e| CliError::io("the terminal", e))?;
    let typed = term
        .read_line()
        .map_err(|e| CliError::io("the terminal", e))?;
    Ok(if typed.trim() == device_id {
        Confirmation::Confirmed
    } else {
        Confirmation::Mismatch
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_come_from_files_without_the_trailing_newline() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("psk");
        std::fs::write(&file, "correct horse battery\n").unwrap();
        let secret = read_secret(Some(&file), "passphrase", "--passphrase-file").unwrap();
        assert_eq!(secret.expose(), "correct horse battery");
        std::fs::write(&file, "\n").unwrap();
        let err = read_secret(Some(&file), "passphrase", "--passphrase-file").unwrap_err();
        assert_eq!(err.to_string(), "the passphrase is empty");
    }

    #[test]
    fn a_missing_file_is_named_but_no_content_is_shown() {
        let err = read_secret(
            Some(Path::new("/definitely/not/here")),
            "passphrase",
            "--passphrase-file",
        )
        .unwrap_err();
        assert!(err.to_string().contains("/definitely/not/here"), "{err}");
    }

    #[test]
    fn a_wrong_confirmation_is_refused_before_any_prompt() {
        let err = confirm_reset("dev-1", true, Some("dev-2")).unwrap_err();
        assert!(err.to_string().contains("does not match"), "{err}");
        assert_eq!(
            confirm_reset("dev-1", true, Some("dev-1")).unwrap(),
            Confirmation::Confirmed
        );
    }
}
