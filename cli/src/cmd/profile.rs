//! `dmctl profile add|list|use|remove`: the saved connections of the config file.
//!
//! Where a profile is used (the connection precedence, reading and writing the file) is
//! [`crate::config`]; this is the command that edits them.

use std::io::{self, Read as _};
use std::path::PathBuf;

use iothub_auth::ConnectionString;
use serde::Serialize;

use crate::args::{ProfileAddArgs, ProfileCommand};
use crate::config::{
    ConfigFile, ConnectionInputs, Profile, Source, local_hub_connection_string,
    parse_connection_string,
};
use crate::env_vars;
use crate::exit::{CliError, Exit};
use crate::printer::Printer;

/// Runs `dmctl profile ...`.
pub fn run(
    command: &ProfileCommand,
    inputs: &ConnectionInputs,
    printer: &Printer,
) -> Result<Exit, CliError> {
    let path = inputs.config_path.clone().ok_or_else(|| {
        CliError::usage("cannot find where the config file goes").with_hint(format!(
            "set {} or {}",
            env_vars::XDG_CONFIG_HOME,
            env_vars::DMCTL_CONFIG
        ))
    })?;
    let mut config = ConfigFile::load(&path)?;
    match command {
        ProfileCommand::Add(args) => {
            let profile = new_profile(args, inputs)?;
            if config.profiles.contains_key(&args.name) && !args.force {
                return Err(CliError::new(
                    Exit::Conflict,
                    format!("profile '{}' already exists", args.name),
                )
                .with_hint("pass --force to replace it"));
            }
            config.profiles.insert(args.name.clone(), profile);
            let make_default = args.make_default || config.current.is_none();
            if make_default {
                config.current = Some(args.name.clone());
            }
            config.save(&path)?;
            let note = if make_default { " (the default)" } else { "" };
            printer.info(format!(
                "saved profile '{}'{note} in {}",
                args.name,
                path.display()
            ));
        }
        ProfileCommand::List => list_profiles(&config, printer)?,
        ProfileCommand::Use(args) => {
            if !config.profiles.contains_key(&args.name) {
                return Err(CliError::new(
                    Exit::NotFound,
                    format!("no profile named '{}'", args.name),
                )
                .with_hint("see `dmctl profile list`"));
            }
            config.current = Some(args.name.clone());
            config.save(&path)?;
            printer.info(format!("now using profile '{}'", args.name));
        }
        ProfileCommand::Remove(args) => {
            if config.profiles.remove(&args.name).is_none() {
                return Err(CliError::new(
                    Exit::NotFound,
                    format!("no profile named '{}'", args.name),
                )
                .with_hint("see `dmctl profile list`"));
            }
            if config.current.as_deref() == Some(args.name.as_str()) {
                config.current = None;
            }
            config.save(&path)?;
            printer.info(format!("removed profile '{}'", args.name));
        }
    }
    Ok(Exit::Ok)
}

fn new_profile(args: &ProfileAddArgs, inputs: &ConnectionInputs) -> Result<Profile, CliError> {
    let ca_file = inputs
        .ca_file
        .as_deref()
        .map(|p| std::path::absolute(p).map_err(|e| CliError::io(p.display(), e)))
        .transpose()?;
    if let Some(dir) = &args.data_dir {
        let dir = std::path::absolute(dir).map_err(|e| CliError::io(dir.display(), e))?;
        // Check now that the hub is there and the policy exists, rather than at first use.
        local_hub_connection_string(&dir, &args.policy, &args.host)?;
        return Ok(Profile {
            hub: None,
            data_dir: Some(dir),
            host: Some(args.host.clone()),
            policy: Some(args.policy.clone()),
            ca_file,
        });
    }
    let text = if args.from_stdin {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::io("stdin", e))?;
        text.trim().to_owned()
    } else {
        match &inputs.hub {
            Some((secret, _)) => secret.expose().to_owned(),
            None => {
                return Err(CliError::usage(format!(
                    "profile '{}' needs a connection string or a data directory",
                    args.name
                ))
                .with_hint(format!(
                    "pass --hub (or set {}), --from-stdin, or --data-dir DIR",
                    env_vars::IOTHUB_CONNECTION_STRING
                )));
            }
        }
    };
    let source = Source::Profile(args.name.clone());
    let parsed = parse_connection_string(&text, &source)?;
    if parsed.device_id.is_some() {
        return Err(CliError::usage(
            "that is a device connection string; a profile needs a hub connection string (a shared access policy)",
        ));
    }
    Ok(Profile {
        hub: Some(text),
        data_dir: None,
        host: None,
        policy: None,
        ca_file,
    })
}

/// The `profile list` row.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ProfileRow {
    name: String,
    current: bool,
    host: Option<String>,
    policy: Option<String>,
    data_dir: Option<PathBuf>,
    ca_file: Option<PathBuf>,
}

fn list_profiles(config: &ConfigFile, printer: &Printer) -> Result<(), CliError> {
    let rows: Vec<ProfileRow> = config
        .profiles
        .iter()
        .map(|(name, profile)| {
            // Only the host and policy name are shown; the key never is.
            let parsed = profile
                .hub
                .as_deref()
                .and_then(|h| h.parse::<ConnectionString>().ok());
            ProfileRow {
                name: name.clone(),
                current: config.current.as_deref() == Some(name.as_str()),
                host: parsed
                    .as_ref()
                    .map(|cs| cs.host_name.clone())
                    .or_else(|| profile.host.clone()),
                policy: parsed
                    .and_then(|cs| cs.shared_access_key_name)
                    .or_else(|| profile.policy.clone()),
                data_dir: profile.data_dir.clone(),
                ca_file: profile.ca_file.clone(),
            }
        })
        .collect();
    printer.list(&rows, |rows| {
        let mut table = printer.new_table(["", "NAME", "HOST", "POLICY", "LOCAL HUB", "CA"]);
        for row in rows {
            let show = |p: &Option<PathBuf>| {
                p.as_ref()
                    .map_or("-".to_owned(), |p| p.display().to_string())
            };
            table.add_row([
                if row.current { "*" } else { "" }.to_owned(),
                row.name.clone(),
                row.host.clone().unwrap_or_else(|| "-".into()),
                row.policy.clone().unwrap_or_else(|| "-".into()),
                show(&row.data_dir),
                show(&row.ca_file),
            ]);
        }
        table
    })?;
    if rows.is_empty() {
        printer.info("no profiles yet; add one with `dmctl profile add NAME`");
    }
    Ok(())
}
