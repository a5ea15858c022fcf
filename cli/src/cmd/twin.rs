//! `dmctl twin ...`: read, change, compare and follow device twins.
//!
//! `diff` and `watch` work on twins flattened to dotted leaf paths (`desired.dm.reboot.at`),
//! because that is the level at which "is the device in sync?" and "what just changed?" have
//! useful answers; arrays are leaves, as a twin patch replaces an array whole.

use std::collections::BTreeMap;
use std::time::Duration;

use iothub_client::IfMatch;
use iothub_client::model::{Twin, strip_metadata};
use serde::Serialize;
use serde_json::{Value, json};

use crate::args::{
    TwinCommand, TwinDiffArgs, TwinPatchArgs, TwinReplaceArgs, TwinShowArgs, TwinWatchArgs,
};
use crate::cmd::device::{time_cell, wire_name};
use crate::cmd::input::{one_stdin, read_json, read_object};
use crate::context::Context;
use crate::exit::{CliError, Exit};
use crate::fleet::confirm_fleet;
use crate::printer::{OutputFormat, Printer, cell_text, rfc3339};

/// Runs `dmctl twin ...`.
pub async fn run(ctx: &Context, command: &TwinCommand) -> Result<Exit, CliError> {
    match command {
        TwinCommand::Show(args) => show(ctx, args).await,
        TwinCommand::Patch(args) => patch(ctx, args).await,
        TwinCommand::Replace(args) => replace(ctx, args).await,
        TwinCommand::Diff(args) => diff(ctx, args).await,
        TwinCommand::Watch(args) => watch(ctx, args).await,
    }
}

fn target_name(device: &str, module: Option<&str>) -> String {
    match module {
        Some(module) => format!("module '{module}' of device '{device}'"),
        None => format!("device '{device}'"),
    }
}

async fn get_twin(ctx: &Context, device: &str, module: Option<&str>) -> Result<Twin, CliError> {
    let client = ctx.client()?;
    let result = match module {
        Some(module) => client.get_module_twin(device, module).await,
        None => client.get_twin(device).await,
    };
    result.map_err(|e| CliError::from(e).context(target_name(device, module)))
}

/// The twin's tags and properties without `$metadata`, as people read them.
fn readable_sections(twin: &Twin) -> Value {
    let mut desired = twin.properties.desired.clone();
    let mut reported = twin.properties.reported.clone();
    strip_metadata(&mut desired);
    strip_metadata(&mut reported);
    json!({
        "tags": twin.tags.clone().unwrap_or_default(),
        "properties": {"desired": desired, "reported": reported},
    })
}

/// Prints a twin: the hub's document for JSON, a summary and the sections for people.
fn print_twin(printer: &Printer, twin: &Twin) -> Result<(), CliError> {
    if printer.format() != OutputFormat::Table {
        printer.document(twin)?;
        return Ok(());
    }
    let mut rows = vec![("device", twin.device_id.clone().unwrap_or_default())];
    if let Some(module) = &twin.module_id {
        rows.push(("module", module.clone()));
    }
    let version = |v: Option<i64>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
    rows.extend([
        ("status", wire_name(twin.status.as_ref())),
        ("connection", wire_name(twin.connection_state.as_ref())),
        (
            "last activity",
            time_cell(
                &twin
                    .last_activity_time
                    .as_deref()
                    .map_or(Value::Null, rfc3339),
            ),
        ),
        ("version", version(twin.version)),
        (
            "desired $version",
            version(twin.properties.desired_version()),
        ),
        (
            "reported $version",
            version(twin.properties.reported_version()),
        ),
    ]);
    if let Some(etag) = &twin.etag {
        rows.push(("etag", etag.clone()));
    }
    printer.table(&printer.fields_table(rows))?;
    printer.json(&readable_sections(twin))?;
    Ok(())
}

async fn show(ctx: &Context, args: &TwinShowArgs) -> Result<Exit, CliError> {
    let twin = get_twin(ctx, args.device.id(), args.module.as_deref()).await?;
    print_twin(&ctx.printer, &twin)?;
    Ok(Exit::Ok)
}

/// What a fleet patch reports per device.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Patched {
    /// The desired `$version` after the patch.
    desired_version: Option<i64>,
    /// The twin's version after the patch.
    version: Option<i64>,
}

async fn patch(ctx: &Context, args: &TwinPatchArgs) -> Result<Exit, CliError> {
    one_stdin(&[
        ("--desired", args.desired.as_deref()),
        ("--tags", args.tags.as_deref()),
    ])?;
    let mut patch = Twin::default();
    if let Some(desired) = &args.desired {
        patch.properties.desired = Value::Object(read_object("--desired", desired)?);
    }
    if let Some(tags) = &args.tags {
        patch.tags = Some(read_object("--tags", tags)?);
    }
    // Check the hub's limits before resolving targets: a bad patch fails for every device.
    if let Some(tags) = &patch.tags {
        iothub_client::model::validate_patch(
            iothub_client::model::TwinSection::Tags,
            &Value::Object(tags.clone()),
        )
        .map_err(|e| CliError::usage(format!("--tags: {e}")))?;
    }
    if !patch.properties.desired.is_null() {
        iothub_client::model::validate_patch(
            iothub_client::model::TwinSection::Desired,
            &patch.properties.desired,
        )
        .map_err(|e| CliError::usage(format!("--desired: {e}")))?;
    }
    let client = ctx.client()?;

    if let Some(device) = args.target.single() {
        let if_match = IfMatch::from_option(args.etag.as_deref());
        let twin = client
            .update_twin(device, &patch, if_match)
            .await
            .map_err(|e| CliError::from(e).context(target_name(device, None)))?;
        print_twin(&ctx.printer, &twin)?;
        ctx.printer.info(format!(
            "patched the twin of device '{device}' (desired $version {})",
            twin.properties
                .desired_version()
                .map_or_else(|| "?".to_owned(), |v| v.to_string())
        ));
        return Ok(Exit::Ok);
    }
    if args.etag.is_some() {
        return Err(CliError::usage("--etag applies to one device only")
            .with_hint("patch each device separately, or leave --etag out"));
    }
    let run = ctx.start_fleet_run(&args.target).await?;
    confirm_fleet(&ctx.printer, ctx.yes, run.devices.len(), "patch the twin")?;
    let patch = &patch;
    let client = &crate::context::fleet_client(client);
    let report = run
        .run(
            &ctx.printer,
            usize::from(args.target.concurrency),
            |device| async move {
                let twin = client
                    .update_twin(&device, patch, IfMatch::Any)
                    .await
                    .map_err(CliError::from)?;
                Ok(Patched {
                    desired_version: twin.properties.desired_version(),
                    version: twin.version,
                })
            },
        )
        .await?;
    report.finish(&ctx.printer, |p| {
        p.desired_version
            .map_or_else(|| "patched".to_owned(), |v| format!("desired $version {v}"))
    })
}

/// Twin fields the hub maintains: accepted in `twin replace` (so a twin read with `twin show -o
/// json` can be edited and written back) but ignored, with a note.
const READ_ONLY_FIELDS: &[&str] = &[
    "deviceId",
    "moduleId",
    "etag",
    "deviceEtag",
    "version",
    "status",
    "statusReason",
    "statusUpdateTime",
    "connectionState",
    "lastActivityTime",
    "cloudToDeviceMessageCount",
    "authenticationType",
    "x509Thumbprint",
    "capabilities",
    "deviceScope",
    "parentScopes",
    "modelId",
];

/// A `twin replace` document, checked: the new tags and desired properties, and the read-only
/// parts that were given and will be ignored.
#[derive(Debug, PartialEq)]
pub struct Replacement {
    /// The new tags (`{}` when absent: every tag goes).
    pub tags: serde_json::Map<String, Value>,
    /// The new desired properties (`{}` when absent).
    pub desired: serde_json::Map<String, Value>,
    /// Paths of the read-only fields given, which the hub would ignore.
    pub ignored: Vec<String>,
}

/// Checks that `value` has a twin document's shape (`tags`, `properties.desired`, read-only
/// fields) and nothing else. A misspelt or misplaced key would otherwise be dropped and the
/// replacement would silently wipe every tag or desired property; the error names the path of
/// the first unknown key.
pub fn replacement(value: Value) -> Result<Replacement, CliError> {
    let shape_hint = "a twin is {\"tags\": {...}, \"properties\": {\"desired\": {...}}}";
    let Value::Object(top) = value else {
        return Err(CliError::usage("--twin must be a JSON object").with_hint(shape_hint));
    };
    let mut out = Replacement {
        tags: serde_json::Map::new(),
        desired: serde_json::Map::new(),
        ignored: Vec::new(),
    };
    let object = |path: &str, value: Value| match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(serde_json::Map::new()),
        _ => Err(
            CliError::usage(format!("--twin: `{path}` must be an object")).with_hint(shape_hint),
        ),
    };
    for (key, value) in top {
        match key.as_str() {
            "tags" => out.tags = object("tags", value)?,
            "properties" => {
                for (section, value) in object("properties", value)? {
                    match section.as_str() {
                        "desired" => out.desired = object("properties.desired", value)?,
                        "reported" => out.ignored.push("properties.reported".to_owned()),
                        _ => return Err(unknown_key(&format!("properties.{section}"), shape_hint)),
                    }
                }
            }
            "$metadata" => out.ignored.push(key),
            _ if READ_ONLY_FIELDS.contains(&key.as_str()) => out.ignored.push(key),
            _ => return Err(unknown_key(&key, shape_hint)),
        }
    }
    // `$version` / `$metadata` inside desired are the hub's; it sets them itself.
    out.desired.retain(|key, _| !key.starts_with('$'));
    Ok(out)
}

fn unknown_key(path: &str, shape_hint: &str) -> CliError {
    let hint = match path {
        "desired" | "reported" => {
            format!("desired properties go under properties.desired; {shape_hint}")
        }
        _ => shape_hint.to_owned(),
    };
    CliError::usage(format!(
        "--twin: unknown key `{path}`: not part of a twin document"
    ))
    .with_hint(hint)
}

/// Dotted leaf paths of `before` that `after` no longer has (neither the path, something
/// under it, nor a value at one of its parents).
pub fn removed_paths(before: &Value, after: &Value) -> Vec<String> {
    let after = flatten(after);
    flatten(before)
        .into_keys()
        .filter(|path| {
            let under = format!("{path}.");
            let kept = after.contains_key(path)
                || after.keys().any(|p| p.starts_with(&under))
                || path
                    .match_indices('.')
                    .any(|(i, _)| after.contains_key(&path[..i]));
            !kept
        })
        .collect()
}

async fn replace(ctx: &Context, args: &TwinReplaceArgs) -> Result<Exit, CliError> {
    let device = args.device.id();
    let new = replacement(read_json("--twin", &args.twin)?)?;
    if !new.ignored.is_empty() {
        ctx.printer.info(format!(
            "ignoring read-only fields the hub maintains: {}",
            new.ignored.join(", ")
        ));
    }
    let twin = Twin {
        tags: Some(new.tags.clone()),
        properties: iothub_client::model::TwinProperties {
            desired: Value::Object(new.desired.clone()),
            reported: Value::Null,
        },
        ..Twin::default()
    };
    validate_sections(&twin)?;
    let current = get_twin(ctx, device, None).await?;
    let mut removed: Vec<String> = removed_paths(
        &Value::Object(current.tags.clone().unwrap_or_default()),
        &Value::Object(new.tags),
    )
    .into_iter()
    .map(|p| format!("tags.{p}"))
    .collect();
    removed.extend(
        removed_paths(&current.properties.desired, &Value::Object(new.desired))
            .into_iter()
            .map(|p| format!("properties.desired.{p}")),
    );
    if !removed.is_empty() {
        ctx.printer.info(format!(
            "replacing the twin of device '{device}' removes {}: {}",
            removed.len(),
            removed.join(", ")
        ));
        if !ctx.yes {
            return Err(CliError::usage(format!(
                "this would remove {} tag(s) or desired propert(ies) from device '{device}'",
                removed.len()
            ))
            .with_hint(
                "check the list above, then pass --yes to go ahead (or use `dmctl twin patch` to change only some keys)",
            ));
        }
    }
    let if_match = IfMatch::from_option(args.etag.as_deref());
    let replaced = ctx
        .client()?
        .replace_twin(device, &twin, if_match)
        .await
        .map_err(|e| CliError::from(e).context(target_name(device, None)))?;
    print_twin(&ctx.printer, &replaced)?;
    ctx.printer
        .info(format!("replaced the twin of device '{device}'"));
    Ok(Exit::Ok)
}

/// The hub's limits on tags and desired properties, checked before anything is sent.
fn validate_sections(twin: &Twin) -> Result<(), CliError> {
    use iothub_client::model::{TwinSection, validate_document};
    if let Some(tags) = &twin.tags {
        validate_document(TwinSection::Tags, &Value::Object(tags.clone()))
            .map_err(|e| CliError::usage(format!("--twin tags: {e}")))?;
    }
    validate_document(TwinSection::Desired, &twin.properties.desired)
        .map_err(|e| CliError::usage(format!("--twin properties.desired: {e}")))?;
    Ok(())
}

/// Leaf values of a twin section by dotted path; `$version` and `$metadata` are left out.
pub fn flatten(section: &Value) -> BTreeMap<String, Value> {
    fn walk(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (key, child) in map {
                    if key.starts_with('$') {
                        continue;
                    }
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(&path, child, out);
                }
            }
            Value::Null if prefix.is_empty() => {}
            leaf => {
                if !prefix.is_empty() {
                    out.insert(prefix.to_owned(), leaf.clone());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", section, &mut out);
    out
}

/// Where a property stands between desired and reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DiffState {
    /// Desired and reported agree.
    InSync,
    /// Both exist with different values.
    Differs,
    /// Desired, not (yet) reported.
    NotReported,
    /// Reported with no desired counterpart (device state).
    ReportedOnly,
}

impl DiffState {
    /// How `twin diff` names the state.
    pub fn label(self) -> &'static str {
        match self {
            DiffState::InSync => "in sync",
            DiffState::Differs => "differs",
            DiffState::NotReported => "not reported",
            DiffState::ReportedOnly => "reported only",
        }
    }
}

/// One row of `twin diff`.
#[derive(Debug, Serialize)]
pub struct DiffRow {
    /// Dotted property path.
    pub path: String,
    /// The desired value (`null` when absent).
    pub desired: Value,
    /// The reported value (`null` when absent).
    pub reported: Value,
    /// The comparison.
    pub state: DiffState,
}

/// One row of a property comparison, as every diff dmctl prints shows it (`twin diff`:
/// desired against reported; `plan`: the live twin against the desired-state file).
#[derive(Debug, Clone, Copy)]
pub struct DiffLine<'a> {
    /// The device, for a comparison across devices (shown on its first row only).
    pub device: Option<&'a str>,
    /// Dotted property path.
    pub path: &'a str,
    /// The left column's value (`null`: absent).
    pub left: &'a Value,
    /// The right column's value (`null`: absent).
    pub right: &'a Value,
    /// How the two relate (`differs`, `change`, …).
    pub state: &'a str,
}

/// The one renderer of property comparisons: `PROPERTY` plus the three `columns` (left,
/// right, state), preceded by `DEVICE` when the lines name devices. Absent values show as
/// `-`, long ones are shortened, so diffs read the same everywhere.
pub fn diff_table<'a>(
    printer: &Printer,
    columns: [&str; 3],
    lines: impl IntoIterator<Item = DiffLine<'a>>,
) -> comfy_table::Table {
    let lines: Vec<DiffLine<'a>> = lines.into_iter().collect();
    let with_device = lines.iter().any(|line| line.device.is_some());
    let mut headers = Vec::with_capacity(5);
    if with_device {
        headers.push("DEVICE");
    }
    headers.push("PROPERTY");
    headers.extend(columns);
    let mut table = printer.new_table(headers);
    let cell = |v: &Value| {
        if v.is_null() {
            "-".to_owned()
        } else {
            cell_text(v, 48)
        }
    };
    let mut previous: Option<&str> = None;
    for line in lines {
        let mut row = Vec::with_capacity(5);
        if with_device {
            let device = line.device.unwrap_or("-");
            row.push(if previous == Some(device) {
                String::new()
            } else {
                device.to_owned()
            });
            previous = Some(device);
        }
        row.extend([
            line.path.to_owned(),
            cell(line.left),
            cell(line.right),
            line.state.to_owned(),
        ]);
        table.add_row(row);
    }
    table
}

/// Compares desired with reported, property by property.
pub fn diff_sections(desired: &Value, reported: &Value) -> Vec<DiffRow> {
    let (desired, reported) = (flatten(desired), flatten(reported));
    let mut paths: Vec<&String> = desired.keys().chain(reported.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .map(|path| {
            let (d, r) = (desired.get(path), reported.get(path));
            let state = match (d, r) {
                (Some(d), Some(r)) if d == r => DiffState::InSync,
                (Some(_), Some(_)) => DiffState::Differs,
                (Some(_), None) => DiffState::NotReported,
                (None, _) => DiffState::ReportedOnly,
            };
            DiffRow {
                path: path.clone(),
                desired: d.cloned().unwrap_or(Value::Null),
                reported: r.cloned().unwrap_or(Value::Null),
                state,
            }
        })
        .collect()
}

async fn diff(ctx: &Context, args: &TwinDiffArgs) -> Result<Exit, CliError> {
    let device = args.device.id();
    let twin = get_twin(ctx, device, args.module.as_deref()).await?;
    let under = |path: &str| {
        args.path.as_deref().is_none_or(|prefix| {
            path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    };
    let all_rows: Vec<DiffRow> = diff_sections(&twin.properties.desired, &twin.properties.reported)
        .into_iter()
        .filter(|row| under(&row.path))
        .collect();
    let present = !all_rows.is_empty();
    let differs = all_rows
        .iter()
        .any(|row| matches!(row.state, DiffState::Differs | DiffState::NotReported));
    let rows: Vec<DiffRow> = all_rows
        .into_iter()
        .filter(|row| args.all || matches!(row.state, DiffState::Differs | DiffState::NotReported))
        .collect();
    ctx.printer.list(&rows, |rows| {
        diff_table(
            &ctx.printer,
            ["DESIRED", "REPORTED", "STATE"],
            rows.iter().map(|row| DiffLine {
                device: None,
                path: &row.path,
                left: &row.desired,
                right: &row.reported,
                state: row.state.label(),
            }),
        )
    })?;
    let name = target_name(device, args.module.as_deref());
    match &args.path {
        Some(path) if !present => ctx.printer.info(format!(
            "{name}: `{path}` is not present in desired or reported properties"
        )),
        _ if rows.is_empty() => ctx.printer.info(format!(
            "{name}: desired and reported properties agree{}",
            if args.all {
                ""
            } else {
                " (--all lists every property)"
            }
        )),
        _ => {}
    }
    // As `git diff --exit-code`: 1 tells a script "not in sync" without parsing the output.
    if args.exit_code && differs {
        Ok(Exit::Failure)
    } else {
        Ok(Exit::Ok)
    }
}

/// The parts of a twin `watch` follows, by path.
fn watched(twin: &Twin) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    out.insert("status".to_owned(), json!(wire_name(twin.status.as_ref())));
    out.insert(
        "connectionState".to_owned(),
        json!(wire_name(twin.connection_state.as_ref())),
    );
    let sections = [
        ("tags", Value::Object(twin.tags.clone().unwrap_or_default())),
        ("desired", twin.properties.desired.clone()),
        ("reported", twin.properties.reported.clone()),
    ];
    for (name, section) in sections {
        for (path, value) in flatten(&section) {
            out.insert(format!("{name}.{path}"), value);
        }
    }
    out
}

/// One change seen by `watch`.
#[derive(Debug, Serialize)]
struct Change {
    /// When it was seen (RFC 3339).
    time: String,
    /// Dotted path (`reported.dm.reboot.state`, `connectionState`).
    path: String,
    /// The value before (`null`: absent).
    old: Value,
    /// The value after (`null`: removed).
    new: Value,
}

fn changes(before: &BTreeMap<String, Value>, after: &BTreeMap<String, Value>) -> Vec<Change> {
    let time = jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or_else(|_| jiff::Timestamp::now())
        .to_string();
    let mut paths: Vec<&String> = before.keys().chain(after.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|path| Change {
            time: time.clone(),
            path: path.clone(),
            old: before.get(path).cloned().unwrap_or(Value::Null),
            new: after.get(path).cloned().unwrap_or(Value::Null),
        })
        .collect()
}

async fn watch(ctx: &Context, args: &TwinWatchArgs) -> Result<Exit, CliError> {
    let interval = args.interval.max(Duration::from_millis(200));
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    let device = args.device.id();
    let name = target_name(device, args.module.as_deref());
    let mut previous: Option<BTreeMap<String, Value>> = None;
    loop {
        tokio::select! {
            _ = &mut interrupted => break,
            _ = ticker.tick() => {}
        }
        let twin = match get_twin(ctx, device, args.module.as_deref()).await {
            Ok(twin) => twin,
            Err(err)
                if matches!(err.exit(), Exit::Throttled | Exit::TimedOut | Exit::Failure)
                    && previous.is_some() =>
            {
                ctx.printer.warn(format!("{err}; retrying"));
                continue;
            }
            Err(err) => return Err(err),
        };
        let current = watched(&twin);
        match &previous {
            None => ctx.printer.info(format!(
                "watching the twin of {name} (desired $version {}, reported $version {}); Ctrl-C stops",
                twin.properties.desired_version().unwrap_or(0),
                twin.properties.reported_version().unwrap_or(0),
            )),
            Some(before) => {
                for change in changes(before, &current) {
                    match ctx.printer.format() {
                        OutputFormat::Table => {
                            let show = |v: &Value| if v.is_null() { "(none)".to_owned() } else { cell_text(v, 80) };
                            ctx.printer.line(&format!(
                                "{}  {}: {} -> {}",
                                change.time,
                                change.path,
                                show(&change.old),
                                show(&change.new)
                            ))?;
                        }
                        // A stream of events cannot be one document: both JSON formats print lines.
                        OutputFormat::Json | OutputFormat::Jsonl => ctx.printer.json_line(&change)?,
                    }
                }
            }
        }
        previous = Some(current);
    }
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatten_skips_metadata_and_keeps_arrays_whole() {
        let section = json!({
            "$version": 3,
            "$metadata": {"$lastUpdated": "x"},
            "a": {"b": 1, "c": [1, 2], "e": {}},
            "d": null
        });
        let flat = flatten(&section);
        assert_eq!(
            flat.into_iter().collect::<Vec<_>>(),
            vec![
                ("a.b".to_owned(), json!(1)),
                ("a.c".to_owned(), json!([1, 2])),
                ("a.e".to_owned(), json!({})),
                ("d".to_owned(), Value::Null),
            ]
        );
    }

    #[test]
    fn diff_classifies_every_property() {
        let desired = json!({"$version": 2, "rate": 10, "mode": "eco", "new": true});
        let reported = json!({"$version": 5, "rate": 10, "mode": "fast", "uptime": 7});
        let rows = diff_sections(&desired, &reported);
        let states: Vec<(&str, DiffState)> =
            rows.iter().map(|r| (r.path.as_str(), r.state)).collect();
        assert_eq!(
            states,
            vec![
                ("mode", DiffState::Differs),
                ("new", DiffState::NotReported),
                ("rate", DiffState::InSync),
                ("uptime", DiffState::ReportedOnly),
            ]
        );
    }

    #[test]
    fn replacements_take_only_a_twin_documents_shape() {
        let ok = replacement(json!({
            "deviceId": "d",
            "etag": "x",
            "tags": {"a": 1},
            "properties": {"desired": {"$version": 4, "r": 2}, "reported": {"u": 1}}
        }))
        .unwrap();
        assert_eq!(Value::Object(ok.tags), json!({"a": 1}));
        assert_eq!(Value::Object(ok.desired), json!({"r": 2}));
        assert_eq!(ok.ignored, ["deviceId", "etag", "properties.reported"]);
        for (bad, path) in [
            (json!({"desired": {"a": 1}}), "desired"),
            (json!({"tagz": {}}), "tagz"),
            (json!({"properties": {"desird": {}}}), "properties.desird"),
        ] {
            let err = replacement(bad).unwrap_err();
            assert_eq!(err.exit(), Exit::Usage);
            assert!(
                err.to_string().contains(&format!("unknown key `{path}`")),
                "{err}"
            );
        }
        assert!(replacement(json!({"tags": [1]})).is_err());
        assert!(replacement(json!([1])).is_err());
    }

    #[test]
    fn removed_paths_are_leaves_that_disappear() {
        let before = json!({"a": {"b": 1, "c": 2}, "d": 3, "e": {"f": 1}});
        let after = json!({"a": {"b": 5}, "e": 7});
        assert_eq!(removed_paths(&before, &after), ["a.c", "d"]);
        assert!(removed_paths(&before, &before).is_empty());
        assert_eq!(
            removed_paths(&json!({"x": 1}), &json!({"x": {"y": 2}})),
            Vec::<String>::new()
        );
    }

    #[test]
    fn watch_reports_only_what_changed() {
        let before: BTreeMap<String, Value> =
            [("a".to_owned(), json!(1)), ("b".to_owned(), json!(2))].into();
        let after: BTreeMap<String, Value> =
            [("a".to_owned(), json!(1)), ("c".to_owned(), json!(3))].into();
        let seen: Vec<(String, Value, Value)> = changes(&before, &after)
            .into_iter()
            .map(|c| (c.path, c.old, c.new))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("b".to_owned(), json!(2), Value::Null),
                ("c".to_owned(), Value::Null, json!(3)),
            ]
        );
    }
}
