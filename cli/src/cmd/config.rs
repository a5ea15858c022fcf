//! `dmctl config ...`: automatic device management configurations, which the hub keeps applied
//! to every device matching a target condition (the hub evaluates them on its own schedule:
//! up to five minutes on a real hub, seconds on the local one).
//!
//! `plan` and `apply` answer "what would this do" before anything is written: the devices the
//! target condition selects now, and for each the desired properties that would change, after
//! the hub's own priority rule (per content path the higher priority wins, ties go to the newer
//! configuration). The plan reads the same queries the hub evaluates, so it means the same on
//! the real service and on the local hub; what it cannot know is what changes in the fleet
//! between the plan and the hub's next evaluation.
//!
//! `--wait` follows the hub's own system metrics, counted live: the devices the target
//! condition selects, and those whose twin says the configuration is `Applied`.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use iothub_client::IfMatch;
use iothub_client::model::configuration::{check_device_content, device_content_patch};
use iothub_client::model::{
    Configuration, ConfigurationContent, ConfigurationMetrics, merge_patch,
    validate_configuration_id,
};
use serde::Serialize;
use serde_json::{Map, Value, json};
use tokio::time::Instant;

use crate::args::{
    ConfigApplyArgs, ConfigCommand, ConfigCreateArgs, ConfigListArgs, ConfigUpdateArgs,
    ConfigWaitArgs,
};
use crate::cmd::input::read_json;
use crate::cmd::twin::flatten;
use crate::context::Context;
use crate::exit::{CliError, Exit};
use crate::fleet::confirm_fleet;
use crate::printer::{OutputFormat, Printer, cell_text, rfc3339};

/// The prefix of device content paths.
const DESIRED: &str = "properties.desired";

/// How long `--wait` waits by default: two evaluation periods of a real hub.
const DEFAULT_WAIT: Duration = Duration::from_secs(600);

/// Runs `dmctl config ...`.
pub async fn run(ctx: &Context, command: &ConfigCommand) -> Result<Exit, CliError> {
    match command {
        ConfigCommand::Create(args) => create(ctx, args).await,
        ConfigCommand::List(args) => list(ctx, args).await,
        ConfigCommand::Show(args) => {
            let c = get(ctx, &args.id).await?;
            print_configuration(&ctx.printer, &c)?;
            Ok(Exit::Ok)
        }
        ConfigCommand::Update(args) => update(ctx, args).await,
        ConfigCommand::Delete(args) => {
            check_id(&args.id)?;
            ctx.client()?
                .delete_configuration(&args.id, IfMatch::Any)
                .await
                .map_err(|e| with_context(e, &args.id))?;
            ctx.printer.info(format!(
                "deleted configuration '{}' (devices keep the desired values it wrote)",
                args.id
            ));
            Ok(Exit::Ok)
        }
        ConfigCommand::Metrics(args) => {
            let c = get(ctx, &args.id).await?;
            print_metrics(&ctx.printer, &c)?;
            Ok(Exit::Ok)
        }
        ConfigCommand::Plan(args) => {
            let wanted = read_file(&args.file)?;
            let plan = make_plan(ctx, &wanted).await?;
            print_plan(&ctx.printer, &plan)?;
            Ok(Exit::Ok)
        }
        ConfigCommand::Apply(args) => apply(ctx, args).await,
    }
}

fn check_id(id: &str) -> Result<(), CliError> {
    validate_configuration_id(id).map_err(|e| {
        CliError::usage(e.to_string())
            .with_hint("configuration ids are lowercase letters, digits and -+%_*!' (at most 128)")
    })
}

fn with_context(e: iothub_client::Error, id: &str) -> CliError {
    let hub_code = e.hub_error().and_then(|h| h.code);
    let mut err = CliError::from(e).context(format!("configuration '{id}'"));
    match hub_code {
        Some(iothub_client::model::ErrorCode::ConfigurationNotFound) => {
            err = err.with_hint("list configurations with `dmctl config list`");
        }
        Some(iothub_client::model::ErrorCode::ConfigurationAlreadyExists) => {
            err = err
                .with_hint("change it with `dmctl config update`, or `dmctl config apply -f FILE`");
        }
        _ => {}
    }
    err
}

async fn get(ctx: &Context, id: &str) -> Result<Configuration, CliError> {
    check_id(id)?;
    ctx.client()?
        .get_configuration(id)
        .await
        .map_err(|e| with_context(e, id))
}

/// `KEY=VALUE` pairs into a map; `what` names the flag in errors.
fn pairs(flag: &str, items: &[String]) -> Result<BTreeMap<String, String>, CliError> {
    let mut out = BTreeMap::new();
    for item in items {
        let Some((k, v)) = item.split_once('=').filter(|(k, _)| !k.trim().is_empty()) else {
            return Err(CliError::usage(format!(
                "{flag} '{item}' is not NAME=VALUE"
            )));
        };
        out.insert(k.trim().to_owned(), v.to_owned());
    }
    Ok(out)
}

/// `--desired PATH=VALUE` into device content: the path goes under `properties.desired`, the
/// value is JSON when it parses and text otherwise.
fn desired_content(items: &[String]) -> Result<Map<String, Value>, CliError> {
    let mut content = Map::new();
    for (path, text) in pairs("--desired", items)? {
        let path = if path == DESIRED || path.starts_with("properties.desired.") {
            path
        } else {
            format!("{DESIRED}.{path}")
        };
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        content.insert(path, value);
    }
    Ok(content)
}

fn check_content(content: &ConfigurationContent) -> Result<(), CliError> {
    if let Some(device) = &content.device_content {
        check_device_content(device).map_err(CliError::usage)?;
    }
    if content.is_empty() {
        return Err(CliError::usage(
            "the content sets none of deviceContent, moduleContent or modulesContent",
        ));
    }
    Ok(())
}

fn metrics_of(items: &[String]) -> Result<Option<ConfigurationMetrics>, CliError> {
    let queries = pairs("--metric", items)?;
    Ok(Some(ConfigurationMetrics {
        results: BTreeMap::new(),
        queries,
    }))
}

async fn create(ctx: &Context, args: &ConfigCreateArgs) -> Result<Exit, CliError> {
    check_id(&args.id)?;
    let content = match &args.content {
        Some(text) => {
            let value = read_json("--content", text)?;
            serde_json::from_value::<ConfigurationContent>(value).map_err(|e| {
                CliError::usage(format!("--content is not configuration content: {e}"))
                    .with_hint("give {\"deviceContent\": {\"properties.desired.PATH\": VALUE}}")
            })?
        }
        None => ConfigurationContent {
            device_content: Some(desired_content(&args.desired)?),
            ..ConfigurationContent::default()
        },
    };
    check_content(&content)?;
    let labels = pairs("--label", &args.labels)?;
    let configuration = Configuration {
        id: args.id.clone(),
        schema_version: Some("1.0".to_owned()),
        labels: (!labels.is_empty()).then_some(labels),
        content,
        target_condition: args.target_condition.clone(),
        priority: Some(args.priority),
        metrics: metrics_of(&args.metrics)?,
        ..Configuration::default()
    };
    let created = ctx
        .client()?
        .create_configuration(&configuration)
        .await
        .map_err(|e| with_context(e, &args.id))?;
    print_configuration(&ctx.printer, &created)?;
    ctx.printer
        .info(format!("created configuration '{}'", created.id));
    finish_wait(ctx, &created.id, &args.wait).await
}

async fn update(ctx: &Context, args: &ConfigUpdateArgs) -> Result<Exit, CliError> {
    let mut c = get(ctx, &args.id).await?;
    if let Some(condition) = &args.target_condition {
        c.target_condition.clone_from(condition);
    }
    if let Some(priority) = args.priority {
        c.priority = Some(priority);
    }
    let mut labels = c.labels.clone().unwrap_or_default();
    labels.extend(pairs("--label", &args.labels)?);
    for key in &args.remove_labels {
        labels.remove(key);
    }
    c.labels = (!labels.is_empty()).then_some(labels);
    let mut metrics = c.metrics.clone().unwrap_or_default();
    metrics.queries.extend(pairs("--metric", &args.metrics)?);
    for name in &args.remove_metrics {
        metrics.queries.remove(name);
    }
    c.metrics = Some(metrics);
    let if_match = match &args.etag {
        Some(etag) => IfMatch::etag(etag.clone()),
        None => IfMatch::from_option(c.etag.as_deref()),
    };
    let updated = ctx
        .client()?
        .update_configuration(&c, if_match)
        .await
        .map_err(|e| with_context(e, &args.id))?;
    print_configuration(&ctx.printer, &updated)?;
    ctx.printer
        .info(format!("updated configuration '{}'", updated.id));
    finish_wait(ctx, &updated.id, &args.wait).await
}

async fn list(ctx: &Context, args: &ConfigListArgs) -> Result<Exit, CliError> {
    let all = ctx
        .client()?
        .list_configurations(args.top)
        .await
        .map_err(CliError::from)?;
    ctx.printer.list(&all, |all| {
        let mut table = ctx
            .printer
            .new_table(["ID", "PRIORITY", "TARGET", "TARGETED", "APPLIED", "CREATED"]);
        for c in all {
            let (targeted, applied) = system_counts(c);
            table.add_row([
                c.id.clone(),
                c.priority.unwrap_or(0).to_string(),
                cell_text(&Value::String(target_text(c)), 48),
                targeted,
                applied,
                time_text(c.created_time_utc.as_deref()),
            ]);
        }
        table
    })?;
    if all.is_empty() {
        ctx.printer
            .info("no configurations (create one with `dmctl config create`)");
    }
    Ok(Exit::Ok)
}

fn target_text(c: &Configuration) -> String {
    if c.target_condition.trim().is_empty() {
        "(none)".to_owned()
    } else {
        c.target_condition.clone()
    }
}

fn time_text(text: Option<&str>) -> String {
    match text.map(rfc3339) {
        Some(Value::String(s)) => s,
        _ => "-".to_owned(),
    }
}

/// `targetedCount` and `appliedCount` as the hub last counted them, `-` before its first pass.
fn system_counts(c: &Configuration) -> (String, String) {
    let results = c.system_metrics.as_ref().map(|m| &m.results);
    let get = |name: &str| {
        results
            .and_then(|r| r.get(name))
            .map_or_else(|| "-".to_owned(), ToString::to_string)
    };
    (get("targetedCount"), get("appliedCount"))
}

fn print_configuration(printer: &Printer, c: &Configuration) -> Result<(), CliError> {
    if printer.format() != OutputFormat::Table {
        if printer.format() == OutputFormat::Jsonl {
            printer.json_line(c)?;
        } else {
            printer.json(c)?;
        }
        return Ok(());
    }
    let (targeted, applied) = system_counts(c);
    let labels = c
        .labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut rows = vec![
        ("configuration", c.id.clone()),
        ("priority", c.priority.unwrap_or(0).to_string()),
        ("target", target_text(c)),
        ("targeted", targeted),
        ("applied", applied),
        (
            "labels",
            if labels.is_empty() {
                "-".to_owned()
            } else {
                labels
            },
        ),
        ("created", time_text(c.created_time_utc.as_deref())),
        ("updated", time_text(c.last_updated_time_utc.as_deref())),
        ("etag", c.etag.clone().unwrap_or_else(|| "-".to_owned())),
    ];
    let content = serde_json::to_value(&c.content).unwrap_or(Value::Null);
    for (path, value) in flatten(&content) {
        rows.push(("content", format!("{path} = {}", cell_text(&value, 64))));
    }
    printer.table(&printer.fields_table(rows))?;
    Ok(())
}

/// One metric row.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MetricRow {
    name: String,
    kind: &'static str,
    count: Option<i64>,
    query: String,
}

fn print_metrics(printer: &Printer, c: &Configuration) -> Result<(), CliError> {
    let mut rows = Vec::new();
    for (kind, metrics) in [("system", &c.system_metrics), ("custom", &c.metrics)] {
        let Some(metrics) = metrics else { continue };
        for (name, query) in &metrics.queries {
            rows.push(MetricRow {
                name: name.clone(),
                kind,
                count: metrics.results.get(name).copied(),
                query: query.clone(),
            });
        }
    }
    printer.list(&rows, |rows| {
        let mut table = printer.new_table(["METRIC", "KIND", "COUNT", "QUERY"]);
        for row in rows {
            table.add_row([
                row.name.clone(),
                row.kind.to_owned(),
                row.count.map_or_else(|| "-".to_owned(), |n| n.to_string()),
                cell_text(&Value::String(row.query.clone()), 80),
            ]);
        }
        table
    })?;
    Ok(())
}

fn read_file(path: &str) -> Result<Configuration, CliError> {
    let text = if path == "-" {
        "-".to_owned()
    } else {
        format!("@{path}")
    };
    let value = read_json("--file", &text)?;
    let c: Configuration = serde_json::from_value(value).map_err(|e| {
        CliError::usage(format!("--file: {path} is not a configuration: {e}")).with_hint(
            "give {\"id\": ..., \"targetCondition\": ..., \"priority\": N, \"content\": {\"deviceContent\": {...}}}",
        )
    })?;
    check_id(&c.id).map_err(|e| e.context(format!("--file {path}")))?;
    check_content(&c.content).map_err(|e| e.context(format!("--file {path}")))?;
    Ok(c)
}

/// A property change on one device.
#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Change {
    /// Dotted path under desired.
    path: String,
    /// The desired value now (`null` when absent).
    now: Value,
    /// The desired value once applied.
    after: Value,
}

/// What a configuration would do to one device.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DevicePlan {
    device_id: String,
    /// Desired properties that would change.
    changes: Vec<Change>,
    /// Content paths another configuration wins on this device, with its id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    overridden: BTreeMap<String, String>,
}

/// What applying a configuration would do.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Plan {
    id: String,
    /// `create`, `update` or `unchanged`.
    action: &'static str,
    target_condition: String,
    priority: i32,
    devices: Vec<DevicePlan>,
    /// Devices the configuration targets now but would not any more (they keep the values).
    leaving: Vec<String>,
    /// Why nothing can be applied (content changed on an existing configuration).
    #[serde(skip_serializing_if = "Option::is_none")]
    refused: Option<String>,
    #[serde(skip)]
    existing: Option<Configuration>,
}

/// The query selecting a target condition's devices (`None`: targets nothing).
fn target_query(condition: &str, select: &str) -> Option<String> {
    match condition.trim() {
        "" => None,
        "*" => Some(format!("SELECT {select} FROM devices")),
        c => Some(format!("SELECT {select} FROM devices WHERE {c}")),
    }
}

async fn device_ids(ctx: &Context, condition: &str) -> Result<BTreeSet<String>, CliError> {
    let Some(query) = target_query(condition, "deviceId") else {
        return Ok(BTreeSet::new());
    };
    let rows = ctx
        .client()?
        .query(query)
        .collect_all()
        .await
        .map_err(|e| CliError::from(e).context(format!("target condition `{condition}`")))?;
    Ok(rows
        .iter()
        .filter_map(|r| r["deviceId"].as_str().map(str::to_owned))
        .collect())
}

/// Whether `path` is `prefix` or lies below it.
fn covers(prefix: &str, path: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.'))
}

async fn make_plan(ctx: &Context, wanted: &Configuration) -> Result<Plan, CliError> {
    let client = ctx.client()?;
    let all = client
        .list_configurations(None)
        .await
        .map_err(CliError::from)?;
    let existing = all.iter().find(|c| c.id == wanted.id).cloned();
    let priority = wanted.priority.unwrap_or(0);
    let refused = existing
        .as_ref()
        .filter(|e| e.content != wanted.content)
        .map(|_| {
            format!(
                "the content of configuration '{}' differs from the hub's, and content cannot change after creation",
                wanted.id
            )
        });
    let action = match &existing {
        None => "create",
        Some(e)
            if e.target_condition == wanted.target_condition
                && e.priority.unwrap_or(0) == priority
                && e.labels == wanted.labels
                && e.metrics.as_ref().map(|m| &m.queries)
                    == wanted.metrics.as_ref().map(|m| &m.queries) =>
        {
            "unchanged"
        }
        Some(_) => "update",
    };
    // Newer wins ties: a new configuration is the newest of all.
    let created = existing
        .as_ref()
        .and_then(|e| e.created_time_utc.clone())
        .unwrap_or_else(|| "~".to_owned());
    let mut winners: Vec<(String, BTreeSet<String>, Vec<String>)> = Vec::new();
    for other in &all {
        if other.id == wanted.id {
            continue;
        }
        let Some(content) = &other.content.device_content else {
            continue;
        };
        let other_priority = other.priority.unwrap_or(0);
        let other_created = other.created_time_utc.clone().unwrap_or_default();
        let wins =
            other_priority > priority || (other_priority == priority && other_created > created);
        if wins {
            let ids = device_ids(ctx, &other.target_condition).await?;
            winners.push((other.id.clone(), ids, content.keys().cloned().collect()));
        }
    }
    let mut devices = Vec::new();
    let content = wanted.content.device_content.clone().unwrap_or_default();
    let targeted: BTreeSet<String> = match target_query(&wanted.target_condition, "*") {
        None => BTreeSet::new(),
        Some(query) => {
            let twins = client.query(query).collect_all().await.map_err(|e| {
                CliError::from(e).context(format!("target condition `{}`", wanted.target_condition))
            })?;
            let mut ids = BTreeSet::new();
            for twin in twins {
                let Some(device_id) = twin["deviceId"].as_str().map(str::to_owned) else {
                    continue;
                };
                let mut overridden = BTreeMap::new();
                let mut kept = Map::new();
                for (path, value) in &content {
                    let winner = winners.iter().find(|(_, ids, keys)| {
                        ids.contains(&device_id) && keys.iter().any(|k| covers(k, path))
                    });
                    match winner {
                        Some((id, _, _)) => {
                            overridden.insert(path.clone(), id.clone());
                        }
                        None => {
                            kept.insert(path.clone(), value.clone());
                        }
                    }
                }
                let desired_now = twin["properties"]["desired"].clone();
                let mut after = desired_now.as_object().cloned().unwrap_or_default();
                merge_patch(&mut after, &device_content_patch(&kept));
                let (now_flat, after_flat) =
                    (flatten(&desired_now), flatten(&Value::Object(after)));
                let paths: BTreeSet<&String> = now_flat.keys().chain(after_flat.keys()).collect();
                let changes = paths
                    .into_iter()
                    .filter(|p| now_flat.get(*p) != after_flat.get(*p))
                    .map(|p| Change {
                        path: p.clone(),
                        now: now_flat.get(p).cloned().unwrap_or(Value::Null),
                        after: after_flat.get(p).cloned().unwrap_or(Value::Null),
                    })
                    .collect();
                ids.insert(device_id.clone());
                devices.push(DevicePlan {
                    device_id,
                    changes,
                    overridden,
                });
            }
            ids
        }
    };
    let leaving = if existing.is_some() {
        let condition = format!("IS_DEFINED(configurations.[[{}]])", wanted.id);
        device_ids(ctx, &condition)
            .await?
            .into_iter()
            .filter(|id| !targeted.contains(id))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Plan {
        id: wanted.id.clone(),
        action,
        target_condition: wanted.target_condition.clone(),
        priority,
        devices,
        leaving,
        refused,
        existing,
    })
}

fn print_plan(printer: &Printer, plan: &Plan) -> Result<(), CliError> {
    if printer.format() == OutputFormat::Table {
        let mut table = printer.new_table(["DEVICE", "PROPERTY", "NOW", "AFTER"]);
        let cell = |v: &Value| {
            if v.is_null() {
                "-".to_owned()
            } else {
                cell_text(v, 40)
            }
        };
        for device in &plan.devices {
            if device.changes.is_empty() {
                table.add_row([
                    device.device_id.clone(),
                    "(no change)".to_owned(),
                    String::new(),
                    String::new(),
                ]);
            }
            for change in &device.changes {
                table.add_row([
                    device.device_id.clone(),
                    format!("desired.{}", change.path),
                    cell(&change.now),
                    cell(&change.after),
                ]);
            }
            for (path, winner) in &device.overridden {
                table.add_row([
                    device.device_id.clone(),
                    path.clone(),
                    "(kept)".to_owned(),
                    format!("'{winner}' wins"),
                ]);
            }
        }
        for device in &plan.leaving {
            table.add_row([
                device.clone(),
                "(leaves the target; keeps its values)".to_owned(),
                String::new(),
                String::new(),
            ]);
        }
        if !plan.devices.is_empty() || !plan.leaving.is_empty() {
            printer.table(&table)?;
        }
    } else if printer.format() == OutputFormat::Jsonl {
        printer.json_line(plan)?;
    } else {
        printer.json(plan)?;
    }
    let changing = plan
        .devices
        .iter()
        .filter(|d| !d.changes.is_empty())
        .count();
    printer.info(format!(
        "configuration '{}': {}, priority {}, target `{}`: {} devices targeted, {} would change{}",
        plan.id,
        plan.action,
        plan.priority,
        plan.target_condition,
        plan.devices.len(),
        changing,
        if plan.leaving.is_empty() {
            String::new()
        } else {
            format!(", {} would leave the target", plan.leaving.len())
        }
    ));
    if let Some(reason) = &plan.refused {
        printer.warn(reason);
    }
    Ok(())
}

async fn apply(ctx: &Context, args: &ConfigApplyArgs) -> Result<Exit, CliError> {
    let wanted = read_file(&args.file.file)?;
    let plan = make_plan(ctx, &wanted).await?;
    print_plan(&ctx.printer, &plan)?;
    if let Some(reason) = &plan.refused {
        return Err(CliError::usage(reason.clone()).with_hint(
            "create a configuration with a new id for new content, then delete the old one",
        ));
    }
    if plan.action == "unchanged" {
        ctx.printer.info(format!(
            "configuration '{}' is already as in the file",
            wanted.id
        ));
        return finish_wait(ctx, &wanted.id, &args.wait).await;
    }
    let affected = plan.devices.len() + plan.leaving.len();
    confirm_fleet(&ctx.printer, ctx.yes, affected, "apply the configuration")?;
    let client = ctx.client()?;
    let written = match &plan.existing {
        None => client.create_configuration(&wanted).await,
        Some(existing) => {
            let mut c = wanted.clone();
            c.etag = None;
            client
                .update_configuration(&c, IfMatch::from_option(existing.etag.as_deref()))
                .await
        }
    }
    .map_err(|e| with_context(e, &wanted.id))?;
    ctx.printer.info(format!(
        "{} configuration '{}'",
        if plan.existing.is_some() {
            "updated"
        } else {
            "created"
        },
        written.id
    ));
    finish_wait(ctx, &written.id, &args.wait).await
}

/// How many devices match a target condition (`*`: all; empty: none).
async fn count(ctx: &Context, condition: &str) -> Result<i64, CliError> {
    let Some(query) = target_query(condition, "COUNT() AS n") else {
        return Ok(0);
    };
    let rows = ctx
        .client()?
        .query(query)
        .collect_all()
        .await
        .map_err(CliError::from)?;
    Ok(rows.first().and_then(|r| r["n"].as_i64()).unwrap_or(0))
}

async fn finish_wait(ctx: &Context, id: &str, args: &ConfigWaitArgs) -> Result<Exit, CliError> {
    if !args.wait {
        return Ok(Exit::Ok);
    }
    let deadline = Instant::now() + args.timeout.unwrap_or(DEFAULT_WAIT);
    let mut last = None;
    loop {
        let c = get(ctx, id).await?;
        // Before the hub's first pass over this configuration its twins carry no mark, and
        // the system results are empty.
        let evaluated = c
            .system_metrics
            .as_ref()
            .is_some_and(|m| m.results.contains_key("targetedCount"));
        let targeted = count(ctx, &c.target_condition).await?;
        let applied = count(ctx, &format!("configurations.[[{id}]].status = 'Applied'")).await?;
        if last != Some((targeted, applied)) {
            ctx.printer.info(format!(
                "configuration '{id}': applied on {applied} of {targeted} targeted devices"
            ));
            last = Some((targeted, applied));
        }
        if evaluated && applied == targeted {
            if ctx.printer.format() != OutputFormat::Table {
                let summary = json!({"id": id, "targetedCount": targeted, "appliedCount": applied});
                if ctx.printer.format() == OutputFormat::Jsonl {
                    ctx.printer.json_line(&summary)?;
                } else {
                    ctx.printer.json(&summary)?;
                }
            }
            return Ok(Exit::Ok);
        }
        if Instant::now() >= deadline {
            return Err(CliError::new(
                Exit::TimedOut,
                format!(
                    "configuration '{id}' is applied on {applied} of {targeted} targeted devices; gave up waiting"
                ),
            )
            .with_hint(format!(
                "the hub applies configurations on its own schedule; check again with `dmctl config metrics {id}`"
            )));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desired_flags_become_content_paths() {
        let content = desired_content(&[
            "dm.time.timeZone=Europe/Paris".to_owned(),
            "properties.desired.rate=5".to_owned(),
            "flags={\"a\":true}".to_owned(),
        ])
        .unwrap();
        assert_eq!(
            Value::Object(content),
            json!({
                "properties.desired.dm.time.timeZone": "Europe/Paris",
                "properties.desired.rate": 5,
                "properties.desired.flags": {"a": true},
            })
        );
        let err = desired_content(&["novalue".to_owned()]).unwrap_err();
        assert!(
            err.message().contains("--desired 'novalue'"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn target_queries_follow_the_hub_forms() {
        assert_eq!(target_query("", "deviceId"), None);
        assert_eq!(
            target_query("*", "deviceId").as_deref(),
            Some("SELECT deviceId FROM devices")
        );
        assert_eq!(
            target_query("tags.a = 1", "*").as_deref(),
            Some("SELECT * FROM devices WHERE tags.a = 1")
        );
    }
}
