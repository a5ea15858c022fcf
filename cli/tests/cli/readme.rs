//! The READMEs (`cli/README-cli.md` and the project's `README.md`) against the binary: every
//! example command parses, and the exit-code tables are the one the code defines.

use clap::Parser as _;
use dmctl::args::Cli;
use dmctl::exit::Exit;

fn readme() -> String {
    read("README-cli.md")
}

/// The project README, one directory up from the CLI package.
fn project_readme() -> String {
    read("../README.md")
}

fn read(relative: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(path).unwrap()
}

/// Splits a shell command line: whitespace separates words; single and double quotes group.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    assert!(quote.is_none(), "unbalanced quotes in {line:?}");
    if in_word {
        words.push(word);
    }
    words
}

#[test]
fn every_example_command_parses() {
    let checked = check_examples(&readme());
    assert!(checked > 30, "only {checked} examples found");
}

#[test]
fn every_project_readme_example_parses() {
    let checked = check_examples(&project_readme());
    assert!(checked >= 7, "only {checked} examples found");
}

/// Parses every `dmctl ...` line of the `sh` blocks of `text` (after an optional `sudo`, without
/// trailing `#` comments); returns how many there were.
fn check_examples(text: &str) -> usize {
    let mut in_block = false;
    let mut checked = 0;
    for line in text.lines() {
        if line.starts_with("```") {
            in_block = line == "```sh";
            continue;
        }
        let line = line.strip_prefix("sudo ").unwrap_or(line);
        if !in_block || !line.starts_with("dmctl ") {
            continue;
        }
        // Redirections, pipes and comments belong to the shell, not to dmctl.
        let command = line.split(['<', '>', '|', '#']).next().unwrap();
        let words = shell_words(command);
        if let Err(err) = Cli::try_parse_from(&words) {
            panic!("README example does not parse: {line}\n{err}");
        }
        checked += 1;
    }
    checked
}

#[test]
fn the_exit_code_table_matches_the_code() {
    exit_table_matches(&readme());
    exit_table_matches(&project_readme());
}

fn exit_table_matches(text: &str) {
    let section = text
        .split("## Exit codes")
        .nth(1)
        .expect("an Exit codes section");
    let rows: Vec<(u8, String)> = section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let code = cells.first()?.parse().ok()?;
            Some((code, cells.get(1)?.to_string()))
        })
        .collect();
    let expected: Vec<(u8, String)> = Exit::ALL
        .iter()
        .map(|e| (e.code(), e.meaning().to_owned()))
        .collect();
    assert_eq!(rows, expected);
}

#[test]
fn every_dmctl_variable_is_documented() {
    let text = readme();
    for var in [
        dmctl::env_vars::IOTHUB_CONNECTION_STRING,
        dmctl::env_vars::DMCTL_PROFILE,
        dmctl::env_vars::DMCTL_CA_FILE,
        dmctl::env_vars::DMCTL_OUTPUT,
        dmctl::env_vars::DMCTL_CONFIG,
        dmctl::env_vars::DMCTL_LOG,
        dmctl::env_vars::DMCTL_HUB_ENDPOINT,
        dmctl::env_vars::NO_COLOR,
        dmctl::env_vars::DMCTL_OPERATOR,
        dmctl::env_vars::XDG_STATE_HOME,
    ] {
        assert!(
            text.contains(&format!("| `{var}`")),
            "{var} is not in the table"
        );
    }
}
