//! `dmctl completions SHELL`: shell completion scripts generated from the clap tree.
//!
//! The same generator writes the checked-in files under `completions/`, and a test regenerates
//! them and compares, so the packaged scripts always match the binary.

use clap::CommandFactory as _;
use clap_complete::{Generator as _, Shell};

use crate::args::{Cli, CompletionsArgs};
use crate::exit::{CliError, Exit};
use crate::printer::Printer;

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "dmctl", &mut out);
    out
}

/// The file name of `shell`'s script under `completions/` (`dmctl.bash`, `_dmctl`, ...).
pub fn file_name(shell: Shell) -> String {
    shell.file_name("dmctl")
}

/// Runs `dmctl completions`.
pub fn run(args: &CompletionsArgs, printer: &Printer) -> Result<Exit, CliError> {
    printer.raw(&script(args.shell))?;
    Ok(Exit::Ok)
}
