//! End-to-end tests of the `dmctl` binary: the framework (help, exit codes, output formats,
//! profiles), the local commands (token, completions, hub) and the hub plumbing against an
//! in-process local hub.

#[path = "support/mod.rs"]
mod support;

#[path = "cli/local.rs"]
mod local;

#[path = "cli/plumbing.rs"]
mod plumbing;

#[path = "cli/readme.rs"]
mod readme;

#[path = "cli/answers.rs"]
mod answers;

#[path = "cli/desired.rs"]
mod desired;

#[path = "cli/secrets.rs"]
mod secrets;
