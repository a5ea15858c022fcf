//! `dmctl device ...`: device identities in the hub's registry.
//!
//! Identities carry keys, so every view printed here leaves them out; only `device keys` and
//! `device connection-string`, whose whole purpose is to hand out a secret, print one.

use iothub_auth::{ConnectionString, SharedAccessKey};
use iothub_client::IfMatch;
use iothub_client::model::{
    Authentication, AuthenticationType, ConnectionState, Device, DeviceCapabilities, DeviceStatus,
    Twin, X509Thumbprint,
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::args::{
    DeviceCommand, DeviceConnectionStringArgs, DeviceCreateArgs, DeviceDeleteArgs, DeviceKeysArgs,
    DeviceListArgs, DeviceStatusArgs, KeySlot,
};
use crate::context::Context;
use crate::exit::{CliError, Exit};
use crate::fleet::{confirm_fleet, run_fleet};
use crate::printer::{OutputFormat, Printer, relative_time, rfc3339};

/// A device as `dmctl` shows it: no keys; times in RFC 3339 (`null` for never).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceView {
    /// Device id.
    pub device_id: String,
    /// `enabled` or `disabled`.
    pub status: Option<DeviceStatus>,
    /// Why the status was set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// `Connected` or `Disconnected`.
    pub connection_state: Option<ConnectionState>,
    /// Last activity (RFC 3339), `null` for never.
    pub last_activity_time: Value,
    /// When the connection state last changed (RFC 3339), when known.
    #[serde(skip_serializing_if = "Value::is_null")]
    pub connection_state_updated_time: Value,
    /// `sas`, `selfSigned`, `certificateAuthority` or `none`.
    pub authentication_type: Option<AuthenticationType>,
    /// Whether it is an IoT Edge device.
    pub iot_edge: bool,
    /// Messages waiting for the device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_to_device_message_count: Option<i64>,
    /// Identity etag (for `--etag`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// Certificate thumbprints of an X.509 device (not secret).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x509_thumbprint: Option<X509Thumbprint>,
}

fn time_value(text: Option<&str>) -> Value {
    text.map_or(Value::Null, rfc3339)
}

impl From<&Device> for DeviceView {
    fn from(device: &Device) -> Self {
        let auth = device.authentication.as_ref();
        Self {
            device_id: device.device_id.clone(),
            status: device.status,
            status_reason: device.status_reason.clone().filter(|r| !r.is_empty()),
            connection_state: device.connection_state,
            last_activity_time: time_value(device.last_activity_time.as_deref()),
            connection_state_updated_time: time_value(
                device.connection_state_updated_time.as_deref(),
            ),
            authentication_type: auth.and_then(|a| a.type_),
            iot_edge: device.capabilities.is_some_and(|c| c.iot_edge),
            cloud_to_device_message_count: device.cloud_to_device_message_count,
            etag: device.etag.clone(),
            x509_thumbprint: auth
                .and_then(|a| a.x509_thumbprint.clone())
                .filter(|t| t.primary_thumbprint.is_some() || t.secondary_thumbprint.is_some()),
        }
    }
}

impl From<&Twin> for DeviceView {
    fn from(twin: &Twin) -> Self {
        Self {
            device_id: twin.device_id.clone().unwrap_or_default(),
            status: twin.status,
            status_reason: twin.status_reason.clone().filter(|r| !r.is_empty()),
            connection_state: twin.connection_state,
            last_activity_time: time_value(twin.last_activity_time.as_deref()),
            connection_state_updated_time: Value::Null,
            authentication_type: twin.authentication_type,
            iot_edge: twin.capabilities.is_some_and(|c| c.iot_edge),
            cloud_to_device_message_count: twin.cloud_to_device_message_count,
            etag: twin.device_etag.clone(),
            x509_thumbprint: twin
                .x509_thumbprint
                .clone()
                .filter(|t| t.primary_thumbprint.is_some() || t.secondary_thumbprint.is_some()),
        }
    }
}

/// The table text of an enum that serializes as a string (`enabled`, `Connected`, `sas`).
pub fn wire_name<T: Serialize>(value: Option<&T>) -> String {
    value
        .and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "-".to_owned())
}

/// A JSON time value in a table: relative, or `never`.
pub fn time_cell(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| "never".to_owned(), relative_time)
}

fn print_device(printer: &Printer, view: &DeviceView) -> Result<(), CliError> {
    printer.object(view, || {
        let mut rows = vec![
            ("device", view.device_id.clone()),
            ("status", wire_name(view.status.as_ref())),
            ("connection", wire_name(view.connection_state.as_ref())),
            ("last activity", time_cell(&view.last_activity_time)),
            (
                "authentication",
                wire_name(view.authentication_type.as_ref()),
            ),
            ("iot edge", view.iot_edge.to_string()),
        ];
        if let Some(reason) = &view.status_reason {
            rows.insert(2, ("status reason", reason.clone()));
        }
        if let Some(count) = view.cloud_to_device_message_count {
            rows.push(("queued messages", count.to_string()));
        }
        if let Some(tp) = &view.x509_thumbprint {
            for (name, value) in [
                ("primary thumbprint", &tp.primary_thumbprint),
                ("secondary thumbprint", &tp.secondary_thumbprint),
            ] {
                if let Some(value) = value {
                    rows.push((name, value.clone()));
                }
            }
        }
        if let Some(etag) = &view.etag {
            rows.push(("etag", etag.clone()));
        }
        printer.fields_table(rows)
    })?;
    Ok(())
}

fn context(device: &str) -> String {
    format!("device '{device}'")
}

/// Runs `dmctl device ...`.
pub async fn run(ctx: &Context, command: &DeviceCommand) -> Result<Exit, CliError> {
    match command {
        DeviceCommand::List(args) => list(ctx, args).await,
        DeviceCommand::Show(args) => {
            let device = ctx
                .client()?
                .get_device(args.id())
                .await
                .map_err(|e| CliError::from(e).context(context(args.id())))?;
            print_device(&ctx.printer, &DeviceView::from(&device))?;
            Ok(Exit::Ok)
        }
        DeviceCommand::Create(args) => create(ctx, args).await,
        DeviceCommand::Delete(args) => delete(ctx, args).await,
        DeviceCommand::Enable(args) => set_status(ctx, args, DeviceStatus::Enabled).await,
        DeviceCommand::Disable(args) => set_status(ctx, args, DeviceStatus::Disabled).await,
        DeviceCommand::Keys(args) => keys(ctx, args).await,
        DeviceCommand::ConnectionString(args) => connection_string(ctx, args).await,
    }
}

async fn list(ctx: &Context, args: &DeviceListArgs) -> Result<Exit, CliError> {
    // The registry query pages through any number of devices (GET /devices stops at 1000)
    // and never returns keys.
    let mut query = "SELECT * FROM devices".to_owned();
    if let Some(condition) = args
        .condition
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let condition = condition
            .get(..6)
            .filter(|head| head.eq_ignore_ascii_case("where "))
            .map_or(condition, |_| condition[6..].trim_start());
        query = format!("{query} WHERE {condition}");
    }
    let spinner = ctx.printer.spinner("listing devices");
    let twins = collect_query(ctx.client()?.query_twins(query), args.top).await;
    spinner.finish_and_clear();
    let twins = twins?;
    let views: Vec<DeviceView> = twins.iter().map(DeviceView::from).collect();
    ctx.printer.list(&views, |views| {
        let mut table =
            ctx.printer
                .new_table(["DEVICE", "STATUS", "CONNECTION", "LAST ACTIVITY", "AUTH"]);
        for view in views {
            table.add_row([
                view.device_id.clone(),
                wire_name(view.status.as_ref()),
                wire_name(view.connection_state.as_ref()),
                time_cell(&view.last_activity_time),
                wire_name(view.authentication_type.as_ref()),
            ]);
        }
        table
    })?;
    if views.is_empty() {
        ctx.printer.info("no devices");
    }
    Ok(Exit::Ok)
}

/// Pages through `query`, stopping after `top` items.
pub async fn collect_query<T>(
    mut query: iothub_client::Query<T>,
    top: Option<usize>,
) -> Result<Vec<T>, CliError>
where
    T: serde::de::DeserializeOwned,
{
    if let Some(top) = top {
        let size = u32::try_from(top.clamp(1, 1000)).unwrap_or(1000);
        query = query.page_size(size);
    } else {
        query = query.page_size(iothub_client::MAX_PAGE_SIZE);
    }
    let mut items = Vec::new();
    while let Some(page) = query.next_page().await.map_err(CliError::from)? {
        items.extend(page.items);
        if top.is_some_and(|top| items.len() >= top) {
            break;
        }
    }
    if let Some(top) = top {
        items.truncate(top);
    }
    Ok(items)
}

async fn create(ctx: &Context, args: &DeviceCreateArgs) -> Result<Exit, CliError> {
    let mut device = Device {
        device_id: args.device.clone(),
        ..Device::default()
    };
    if args.disabled {
        device.status = Some(DeviceStatus::Disabled);
    }
    if args.edge {
        device.capabilities = Some(DeviceCapabilities { iot_edge: true });
    }
    if !args.x509.is_empty() {
        device.authentication = Some(Authentication {
            symmetric_key: None,
            x509_thumbprint: Some(X509Thumbprint {
                primary_thumbprint: args.x509.first().cloned(),
                secondary_thumbprint: args.x509.get(1).cloned(),
            }),
            type_: Some(AuthenticationType::SelfSigned),
        });
    }
    let created = ctx
        .client()?
        .create_device(&device)
        .await
        .map_err(|e| CliError::from(e).context(context(&args.device)))?;
    print_device(&ctx.printer, &DeviceView::from(&created))?;
    if args.x509.is_empty() {
        ctx.printer.info(format!(
            "created device '{}'; its connection string: `dmctl device connection-string {}`",
            args.device, args.device
        ));
    } else {
        ctx.printer
            .info(format!("created device '{}' (X.509)", args.device));
    }
    Ok(Exit::Ok)
}

async fn delete(ctx: &Context, args: &DeviceDeleteArgs) -> Result<Exit, CliError> {
    let client = ctx.client()?;
    if args.devices.len() == 1 {
        let device = &args.devices[0];
        let if_match = IfMatch::from_option(args.etag.as_deref());
        client
            .delete_device(device, if_match)
            .await
            .map_err(|e| CliError::from(e).context(context(device)))?;
        if ctx.printer.format() != OutputFormat::Table {
            ctx.printer
                .document(&json!({"deviceId": device, "deleted": true}))?;
        }
        ctx.printer.info(format!("deleted device '{device}'"));
        return Ok(Exit::Ok);
    }
    if args.etag.is_some() {
        return Err(CliError::usage("--etag applies to one device only"));
    }
    let mut ids = args.devices.clone();
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    confirm_fleet(&ctx.printer, ctx.yes, ids.len(), "delete the identity")?;
    let client = &crate::context::fleet_client(client);
    let report = run_fleet(&ctx.printer, ids, 4, |device| async move {
        client
            .delete_device(&device, IfMatch::Any)
            .await
            .map_err(CliError::from)?;
        Ok("deleted")
    })
    .await?;
    report.finish(&ctx.printer, |s| (*s).to_owned())
}

async fn set_status(
    ctx: &Context,
    args: &DeviceStatusArgs,
    status: DeviceStatus,
) -> Result<Exit, CliError> {
    let client = ctx.client()?;
    let with_context =
        |e: iothub_client::Error| CliError::from(e).context(context(args.device.id()));
    let mut device = client
        .get_device(args.device.id())
        .await
        .map_err(with_context)?;
    // The reason explains the status it was given with: a change of status without a new
    // reason drops the old one, so an enabled device no longer says why it was disabled.
    if args.reason.is_some() || device.status != Some(status) {
        device.status_reason.clone_from(&args.reason);
    }
    device.status = Some(status);
    let if_match = IfMatch::from_option(device.etag.as_deref());
    let updated = client
        .update_device(&device, if_match)
        .await
        .map_err(with_context)?;
    print_device(&ctx.printer, &DeviceView::from(&updated))?;
    ctx.printer.info(format!(
        "device '{}' is {}",
        args.device.id(),
        wire_name(Some(&status))
    ));
    Ok(Exit::Ok)
}

fn symmetric_keys(device: &Device) -> Result<(String, String), CliError> {
    let auth = device.authentication.clone().unwrap_or_default();
    let keys = auth.symmetric_key.unwrap_or_default();
    match (auth.type_, keys.primary_key, keys.secondary_key) {
        (None | Some(AuthenticationType::Sas), Some(primary), Some(secondary))
            if !primary.is_empty() =>
        {
            Ok((primary, secondary))
        }
        _ => Err(CliError::usage(format!(
            "device '{}' does not authenticate with symmetric keys (it uses {})",
            device.device_id,
            wire_name(auth.type_.as_ref())
        ))),
    }
}

async fn keys(ctx: &Context, args: &DeviceKeysArgs) -> Result<Exit, CliError> {
    let client = ctx.client()?;
    let with_context =
        |e: iothub_client::Error| CliError::from(e).context(context(args.device.id()));
    let mut device = client
        .get_device(args.device.id())
        .await
        .map_err(with_context)?;
    let (mut primary, mut secondary) = symmetric_keys(&device)?;
    if let Some(slot) = args.regenerate {
        let fresh = SharedAccessKey::generate().to_base64();
        match slot {
            KeySlot::Primary => primary = fresh,
            KeySlot::Secondary => secondary = fresh,
        }
        let auth = device
            .authentication
            .get_or_insert_with(Authentication::default);
        auth.symmetric_key = Some(iothub_client::model::SymmetricKey {
            primary_key: Some(primary.clone()),
            secondary_key: Some(secondary.clone()),
        });
        let if_match = IfMatch::from_option(device.etag.as_deref());
        device = client
            .update_device(&device, if_match)
            .await
            .map_err(with_context)?;
        (primary, secondary) = symmetric_keys(&device)?;
        ctx.printer.info(format!(
            "regenerated the {} key of device '{}'",
            if slot == KeySlot::Primary {
                "primary"
            } else {
                "secondary"
            },
            args.device.id()
        ));
    }
    // Printing keys is this command's purpose; they go to stdout only.
    let value =
        json!({"deviceId": args.device.id(), "primaryKey": primary, "secondaryKey": secondary});
    ctx.printer.object(&value, || {
        ctx.printer.fields_table([
            ("primary", primary.clone()),
            ("secondary", secondary.clone()),
        ])
    })?;
    Ok(Exit::Ok)
}

async fn connection_string(
    ctx: &Context,
    args: &DeviceConnectionStringArgs,
) -> Result<Exit, CliError> {
    let client = ctx.client()?;
    let device = client
        .get_device(args.device.id())
        .await
        .map_err(|e| CliError::from(e).context(context(args.device.id())))?;
    let (primary, secondary) = symmetric_keys(&device)?;
    let key = SharedAccessKey::from_base64(if args.secondary { &secondary } else { &primary })?;
    let host = &ctx.connection()?.connection_string.host_name;
    let mut cs = ConnectionString::for_device(host, args.device.id(), key);
    if let Some(gateway) = &args.gateway {
        cs = cs.with_gateway(gateway);
    }
    match ctx.printer.format() {
        OutputFormat::Table => ctx.printer.line(&cs.expose_secret())?,
        _ => ctx.printer.document(
            &json!({"deviceId": args.device.id(), "connectionString": cs.expose_secret()}),
        )?,
    }
    Ok(Exit::Ok)
}
