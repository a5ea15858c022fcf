//! The agent's configuration file (TOML written by an operator or a package): loading and
//! validating never panics, and neither does formatting what was loaded.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(config) = dm_agent::config::Config::from_toml(text, Path::new("fuzz.toml")) else {
        return;
    };
    let _ = config.validate();
    let _ = config.artifact_policy();
    let _ = format!("{config:?}");
});
