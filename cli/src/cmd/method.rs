//! `dmctl method invoke`: a direct method on one device, or on a fleet.
//!
//! The answer is printed as `{"status": ..., "payload": ...}` whatever the device said, because
//! a device's error payload is often exactly what the operator needs to see; the exit code then
//! says how it went (7 for a device status ≥ 400, 8 for 409 busy).

use iothub_client::model::{CloudToDeviceMethod, validate_method};
use iothub_client::{MethodResponse, ServiceClient};
use serde::Serialize;
use serde_json::Value;

use crate::args::{MethodCommand, MethodInvokeArgs};
use crate::cmd::input::read_json;
use crate::context::Context;
use crate::exit::{CliError, Exit};
use crate::fleet::confirm_fleet;

/// A device's answer as printed.
#[derive(Debug, Clone, Serialize)]
pub struct MethodResult {
    /// The status the device chose.
    pub status: i32,
    /// The device's payload.
    pub payload: Value,
}

impl From<MethodResponse> for MethodResult {
    fn from(response: MethodResponse) -> Self {
        Self {
            status: response.status,
            payload: response.payload,
        }
    }
}

/// Runs `dmctl method ...`.
pub async fn run(ctx: &Context, command: &MethodCommand) -> Result<Exit, CliError> {
    match command {
        MethodCommand::Invoke(args) => invoke(ctx, args).await,
    }
}

fn build_call(args: &MethodInvokeArgs) -> Result<CloudToDeviceMethod, CliError> {
    let payload = match &args.payload {
        Some(text) => read_json("--payload", text)?,
        None => Value::Null,
    };
    let mut call = CloudToDeviceMethod::new(args.name.clone(), payload);
    call.response_timeout_in_seconds = args.response_timeout;
    call.connect_timeout_in_seconds = args.connect_timeout;
    validate_method(&call).map_err(|e| CliError::usage(e.to_string()))?;
    Ok(call)
}

async fn call_device(
    client: &ServiceClient,
    device: &str,
    module: Option<&str>,
    call: &CloudToDeviceMethod,
) -> Result<MethodResult, CliError> {
    let response = match module {
        Some(module) => client.invoke_module_method(device, module, call).await,
        None => client.invoke_device_method(device, call).await,
    };
    response.map(MethodResult::from).map_err(|e| {
        let target = match module {
            Some(module) => format!("module '{module}' of device '{device}'"),
            None => format!("device '{device}'"),
        };
        CliError::from(e)
            .for_connect_timeout(call.connect_timeout_in_seconds)
            .context(format!("method '{}' on {target}", call.method_name))
    })
}

async fn invoke(ctx: &Context, args: &MethodInvokeArgs) -> Result<Exit, CliError> {
    // Validate before resolving targets: a bad call would fail on every device.
    let call = build_call(args)?;
    let module = args.module.as_deref();

    if let Some(device) = args.target.single() {
        let result = call_device(ctx.client()?, device, module, &call).await?;
        ctx.printer.document(&result)?;
        let exit = Exit::for_device_status(result.status);
        if exit != Exit::Ok {
            ctx.printer.info(format!(
                "device '{device}' answered method '{}' with status {}",
                call.method_name, result.status
            ));
        }
        return Ok(exit);
    }

    let run = ctx.start_fleet_run(&args.target).await?;
    confirm_fleet(
        &ctx.printer,
        ctx.yes,
        run.devices.len(),
        &format!("invoke method '{}'", call.method_name),
    )?;
    let call = &call;
    let client = &ctx.client_for(&args.target)?;
    let report = run
        .run(
            &ctx.printer,
            usize::from(args.target.concurrency),
            |device| async move {
                let result = call_device(client, &device, module, call).await?;
                match Exit::for_device_status(result.status) {
                    Exit::Ok => Ok(result),
                    exit => {
                        let mut text = result.payload.to_string();
                        if text.chars().count() > 120 {
                            text = text.chars().take(119).collect::<String>() + "…";
                        }
                        Err(CliError::new(
                            exit,
                            format!("answered {}: {text}", result.status),
                        ))
                    }
                }
            },
        )
        .await?;
    report.finish(&ctx.printer, |r| format!("status {}", r.status))
}
