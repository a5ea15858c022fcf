//! JSON arguments given inline, as `@FILE`, or as `-` for stdin.
//!
//! Payloads and patches are often too big or too quote-heavy for a shell argument; one reader
//! for all three forms keeps the rules (and the error messages) the same for every flag.

use std::io::Read as _;

use serde_json::Value;

use crate::exit::CliError;

/// Reads `text` as JSON: the text itself, the contents of `@FILE`, or stdin for `-`. `flag`
/// names the option in errors (e.g. `--desired`).
pub fn read_json(flag: &str, text: &str) -> Result<Value, CliError> {
    let (body, origin) = if text == "-" {
        let mut body = String::new();
        std::io::stdin()
            .read_to_string(&mut body)
            .map_err(|e| CliError::io(format!("{flag} from stdin"), e))?;
        (body, "stdin".to_owned())
    } else if let Some(path) = text.strip_prefix('@') {
        // A file named on the command line that cannot be read is the command line's fault.
        let body = std::fs::read_to_string(path).map_err(|e| {
            CliError::usage(format!("{flag}: cannot read file {path}: {e}"))
                .with_hint(format!(
                    "{flag} @FILE reads FILE (relative to the current directory); check the path or give the JSON inline"
                ))
                .with_source(e)
        })?;
        (body, format!("file {path}"))
    } else {
        (text.to_owned(), "the argument".to_owned())
    };
    serde_json::from_str(&body).map_err(|e| {
        // serde_json's messages give a position, never the input, so they are safe to show.
        CliError::usage(format!("{flag}: {origin} is not valid JSON: {e}"))
            .with_hint(format!(
                "quote JSON for the shell, e.g. {flag} '{{\"key\": \"value\"}}', or use {flag} @file.json"
            ))
    })
}

/// Refuses two options that both want stdin.
pub fn one_stdin(flags: &[(&str, Option<&str>)]) -> Result<(), CliError> {
    let users: Vec<&str> = flags
        .iter()
        .filter(|(_, value)| *value == Some("-"))
        .map(|(flag, _)| *flag)
        .collect();
    if users.len() > 1 {
        return Err(
            CliError::usage(format!("{} cannot all read stdin", users.join(" and ")))
                .with_hint("give all but one of them inline or as @FILE"),
        );
    }
    Ok(())
}

/// Reads a JSON object (a twin section or a tags patch); other JSON values are refused.
pub fn read_object(flag: &str, text: &str) -> Result<serde_json::Map<String, Value>, CliError> {
    match read_json(flag, text)? {
        Value::Object(map) => Ok(map),
        other => Err(CliError::usage(format!(
            "{flag} must be a JSON object, not {}",
            iothub_model::json_kind(&other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_file_json() {
        assert_eq!(read_json("--payload", "{\"a\":1}").unwrap()["a"], 1);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.json");
        std::fs::write(&file, "[1, 2]").unwrap();
        let value = read_json("--payload", &format!("@{}", file.display())).unwrap();
        assert_eq!(value, serde_json::json!([1, 2]));
    }

    #[test]
    fn errors_name_the_flag_and_the_problem() {
        let err = read_json("--desired", "{nope").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--desired: the argument is not valid JSON")
        );
        let err = read_json("--desired", "@/definitely/missing.json").unwrap_err();
        assert!(err.to_string().contains("/definitely/missing.json"));
        assert_eq!(err.exit(), crate::exit::Exit::Usage);
        let err = read_object("--tags", "[1]").unwrap_err();
        assert_eq!(
            err.to_string(),
            "--tags must be a JSON object, not an array"
        );
        assert!(one_stdin(&[("--desired", Some("-")), ("--tags", Some("-"))]).is_err());
        assert!(one_stdin(&[("--desired", Some("-")), ("--tags", Some("{}"))]).is_ok());
    }
}
