//! `dmctl token`: a SAS token signed locally with the connection string's key.
//!
//! This is what a token service does for devices or scripts that must not hold the key: no
//! network, just `iothub-auth`'s signing. With `--device` the token is scoped to
//! `{host}/devices/{id}[/modules/{m}]` and names the policy (`skn`) when the connection string
//! has one, so the hub checks it against that policy's key and permissions.

use iothub_auth::SasToken;
use serde_json::json;

use crate::args::TokenArgs;
use crate::context::Context;
use crate::exit::{CliError, Exit};
use crate::printer::OutputFormat;

/// Runs `dmctl token`.
pub fn run(args: &TokenArgs, ctx: &Context) -> Result<Exit, CliError> {
    let connection = ctx.connection()?;
    let cs = &connection.connection_string;
    let key = cs.key().ok_or_else(|| {
        CliError::usage(format!(
            "the connection string from {} has no SharedAccessKey to sign with",
            connection.source
        ))
    })?;

    let now = iothub_auth::unix_now();
    let expiry = match args.expiry {
        Some(expiry) if expiry <= now => {
            return Err(CliError::usage(format!(
                "--expiry {expiry} is in the past (now is {now})"
            )));
        }
        Some(expiry) => expiry,
        None => {
            if args.ttl.is_zero() {
                return Err(CliError::usage("--ttl must be longer than zero"));
            }
            now.saturating_add(args.ttl.as_secs().max(1))
        }
    };

    let resource = match &args.device {
        None => cs.resource_uri(),
        Some(device) => {
            iothub_model::validate_device_id(device)
                .map_err(|e| CliError::usage(format!("--device '{device}': {e}")))?;
            if let Some(module) = &args.module {
                iothub_model::validate_module_id(module)
                    .map_err(|e| CliError::usage(format!("--module '{module}': {e}")))?;
            }
            if let Some(own) = cs.device_id.as_deref().filter(|own| *own != device) {
                return Err(CliError::usage(format!(
                    "the connection string belongs to device '{own}'; its key cannot sign for device '{device}'"
                ))
                .with_hint("use a hub connection string whose policy has DeviceConnect"));
            }
            let mut uri = format!("{}/devices/{device}", cs.host_name);
            if let Some(module) = args.module.as_ref().or(cs.module_id.as_ref()) {
                uri.push_str("/modules/");
                uri.push_str(module);
            }
            uri
        }
    };
    let key_name = cs.shared_access_key_name.as_deref();
    let token = SasToken::sign(key, &resource, expiry, key_name)?;

    let expires_at = i64::try_from(expiry)
        .ok()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.to_string());
    ctx.printer.detail(format!(
        "token for {resource}{}, valid until {}",
        key_name
            .map(|k| format!(" (policy '{k}')"))
            .unwrap_or_default(),
        expires_at.as_deref().unwrap_or("?")
    ));
    match ctx.printer.format() {
        OutputFormat::Table => ctx.printer.line(token.expose())?,
        OutputFormat::Json | OutputFormat::Jsonl => {
            let mut value = json!({
                "token": token.expose(),
                "resource": resource,
                "expiry": expiry,
                "expiresAt": expires_at,
            });
            if let (Some(name), Some(map)) = (key_name, value.as_object_mut()) {
                map.insert("keyName".into(), name.into());
            }
            if ctx.printer.format() == OutputFormat::Json {
                ctx.printer.json(&value)?;
            } else {
                ctx.printer.json_line(&value)?;
            }
        }
    }
    Ok(Exit::Ok)
}
