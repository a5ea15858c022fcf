//! Desired state, planned and applied: `dmctl plan` and `dmctl apply`.
//!
//! A desired-state file names targets (IoT Hub query conditions) and the tags and desired
//! properties their devices should have. It is *merge-style*, like a twin patch: it states the
//! values of the paths it names and leaves every other property alone; `null` (JSON only)
//! states that a path should be absent. `plan` reads every targeted twin with the target's own
//! query (`SELECT * FROM devices WHERE ...`, so the hub decides what a condition means and no
//! per-device read is needed), and lists only the paths whose live value differs. `apply`
//! patches exactly those paths, each patch guarded by the etag the twin had when it was read,
//! so a twin that changed in between is reported as a conflict and left as it is.
//!
//! Two entries may target the same device: their paths are merged. When both name the same
//! path (or one names a path inside the other's) with different values, the file contradicts
//! itself for that device; nothing is planned or written and the error names the device, the
//! path and both entries. The order of entries therefore never decides a value.
//!
//! `plan --out FILE` keeps the plan with the etags it was computed against; `apply --plan FILE`
//! applies exactly that plan, so what was reviewed is what is written, or a conflict.

pub mod wait;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use futures::StreamExt as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::cmd::twin::{DiffLine, diff_table};
use crate::context::Context;
use crate::dm::hub::{Hub, ServiceHub};
use crate::exit::{CliError, Exit};
use crate::fleet::{bare_condition, check_condition, confirm_fleet};
use crate::printer::OutputFormat;

/// Twin patches sent at once by `apply`.
const APPLY_CONCURRENCY: usize = 16;

/// `dmctl plan` arguments.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  dmctl plan -f fleet.toml\n  dmctl plan -f fleet.toml --target \"tags.site = 'plant-4'\" --out plan.json\n\nExit: 0 nothing to change, 11 changes pending (see `dmctl --help` for the others).\nThe file format is described in README-cli.md (\"Desired state\")."
)]
pub struct PlanArgs {
    /// The desired-state file (.toml, or .json)
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: PathBuf,
    /// Only devices that also match this query condition ("WHERE ..." or a bare condition)
    #[arg(long, value_name = "CONDITION")]
    pub target: Option<String>,
    /// Also write the plan, with the etags it was computed against, to FILE for `apply --plan`
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `dmctl apply` arguments.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  dmctl apply -f fleet.toml --yes\n  dmctl apply --plan plan.json --yes\n\nExit: 0 applied (or nothing to change), 8 conflicts (twins changed since they were read; \
they are left as they are), 10 some patches failed."
)]
pub struct ApplyArgs {
    /// The desired-state file (.toml, or .json)
    #[arg(
        long,
        short = 'f',
        value_name = "FILE",
        required_unless_present = "plan",
        conflicts_with = "plan"
    )]
    pub file: Option<PathBuf>,
    /// Apply a plan written by `dmctl plan --out` (guarded by the etags it was computed against)
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Only devices that also match this query condition ("WHERE ..." or a bare condition)
    #[arg(long, value_name = "CONDITION", conflicts_with = "plan")]
    pub target: Option<String>,
}

/// A desired-state file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesiredFile {
    /// The entries, in file order.
    pub targets: Vec<TargetEntry>,
}

/// One entry: which devices, and what they should have.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetEntry {
    /// A name for messages (default: `targets[N]`).
    #[serde(default)]
    pub name: Option<String>,
    /// The IoT Hub query condition selecting the devices (`*`: every device).
    #[serde(rename = "where")]
    pub condition: String,
    /// Tags the devices should have.
    #[serde(default)]
    pub tags: Map<String, Value>,
    /// Desired properties the devices should have.
    #[serde(default)]
    pub desired: Map<String, Value>,
}

impl TargetEntry {
    fn label(&self, index: usize) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("targets[{index}]"))
    }

    /// The entry's leaves, by `tags.*` / `desired.*` path.
    fn leaves(&self) -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        for (section, map) in [("tags", &self.tags), ("desired", &self.desired)] {
            for (path, value) in flatten_wanted(&Value::Object(map.clone())) {
                out.insert(format!("{section}.{path}"), value);
            }
        }
        out
    }
}

/// Leaves of a wanted section; unlike a twin's, `null` is kept (it removes) and an empty
/// object states nothing.
fn flatten_wanted(section: &Value) -> BTreeMap<String, Value> {
    fn walk(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(&path, child, out);
                }
            }
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

/// Reads and checks a desired-state file (TOML unless it ends in `.json`).
pub fn read_file(path: &Path) -> Result<DesiredFile, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::io(format!("desired-state file {}", path.display()), e))?;
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let file: DesiredFile = if json {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        toml::from_str(&text).map_err(|e| e.to_string())
    }
    .map_err(|e| {
        CliError::usage(format!("{}: {e}", path.display())).with_hint(
            "a desired-state file has [[targets]] entries with `where`, and `tags` and/or `desired` (README-cli.md, \"Desired state\")",
        )
    })?;
    check_file(&file).map_err(|e| CliError::usage(format!("{}: {e}", path.display())))?;
    Ok(file)
}

fn check_file(file: &DesiredFile) -> Result<(), String> {
    use iothub_client::model::{TwinSection, validate_document};
    if file.targets.is_empty() {
        return Err("no [[targets]] entries".to_owned());
    }
    for (index, entry) in file.targets.iter().enumerate() {
        let label = entry.label(index);
        if entry.tags.is_empty() && entry.desired.is_empty() {
            return Err(format!(
                "{label}: states no `tags` and no `desired` properties"
            ));
        }
        check_condition(&entry.condition).map_err(|e| format!("{label}: where: {e}"))?;
        validate_document(TwinSection::Tags, &Value::Object(entry.tags.clone()))
            .map_err(|e| format!("{label}: tags: {e}"))?;
        validate_document(TwinSection::Desired, &Value::Object(entry.desired.clone()))
            .map_err(|e| format!("{label}: desired: {e}"))?;
    }
    Ok(())
}

/// `(a) AND (b)` over the conditions given.
pub(crate) fn conjunction<'a>(conditions: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let parts: Vec<String> = conditions
        .into_iter()
        .flatten()
        .map(|c| format!("({c})"))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", parts.join(" AND "))
    }
}

/// What changes on one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// Absent now.
    Add,
    /// Present with another value.
    Change,
    /// Present, and should be absent.
    Remove,
}

impl ChangeKind {
    fn label(self) -> &'static str {
        match self {
            ChangeKind::Add => "add",
            ChangeKind::Change => "change",
            ChangeKind::Remove => "remove",
        }
    }
}

/// One path to change.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// `tags.x.y` or `desired.x.y`.
    pub path: String,
    /// The live value (`null`: absent).
    pub live: Value,
    /// The wanted value (`null`: absent).
    pub wanted: Value,
    /// Add, change or remove.
    pub change: ChangeKind,
}

/// One device's part of a plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DevicePlan {
    /// The device.
    pub device_id: String,
    /// The twin's etag when it was read: the patch is sent only if it still is.
    pub etag: Option<String>,
    /// The paths to change.
    pub changes: Vec<Change>,
}

impl DevicePlan {
    /// The twin patch that makes these changes (`tags` and `properties.desired`).
    pub fn patch(&self) -> Value {
        let mut tags = Map::new();
        let mut desired = Map::new();
        for change in &self.changes {
            let (section, rest) = match change.path.split_once('.') {
                Some(("tags", rest)) => (&mut tags, rest),
                Some(("desired", rest)) => (&mut desired, rest),
                _ => continue,
            };
            insert_path(section, rest, change.wanted.clone());
        }
        let mut patch = Map::new();
        if !tags.is_empty() {
            patch.insert("tags".to_owned(), Value::Object(tags));
        }
        if !desired.is_empty() {
            patch.insert(
                "properties".to_owned(),
                serde_json::json!({ "desired": Value::Object(desired) }),
            );
        }
        Value::Object(patch)
    }
}

fn insert_path(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = map
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            if let Value::Object(child) = child {
                insert_path(child, rest, value);
            }
        }
    }
}

/// A whole plan: the devices with changes, and how many targeted devices already match.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The hub it was computed against.
    pub hub: String,
    /// Devices whose twins would change.
    pub devices: Vec<DevicePlan>,
    /// Targeted devices that already match.
    pub unchanged: usize,
}

/// The value at a dotted path of a twin section (`$` keys ignored), if present.
fn live_value(section: &Value, path: &str) -> Option<Value> {
    let mut at = section;
    for key in path.split('.') {
        at = at.as_object()?.get(key)?;
    }
    let mut value = at.clone();
    iothub_client::model::strip_metadata(&mut value);
    if let Value::Object(map) = &mut value {
        map.retain(|k, _| !k.starts_with('$'));
    }
    (!value.is_null()).then_some(value)
}

/// One device's wanted leaves: path -> (value, the entry that states it).
type Wanted = BTreeMap<String, (Value, String)>;

/// Merges the entries' leaves for one device; a contradiction names both entries.
fn merge_wanted(
    device: &str,
    wanted: &mut Wanted,
    leaves: &BTreeMap<String, Value>,
    label: &str,
) -> Result<(), CliError> {
    for (path, value) in leaves {
        let clash = wanted.iter().find(|(other, (other_value, _))| {
            let nested =
                other.starts_with(&format!("{path}.")) || path.starts_with(&format!("{other}."));
            nested || (*other == path && other_value != value)
        });
        if let Some((other, (other_value, other_label))) = clash {
            return Err(CliError::usage(format!(
                "device '{device}' is targeted by {other_label} ({other} = {other_value}) and by {label} ({path} = {value}), which disagree"
            ))
            .with_hint("make the entries' conditions exclusive, or state the value in one entry only; nothing was planned"));
        }
        wanted.insert(path.clone(), (value.clone(), label.to_owned()));
    }
    Ok(())
}

/// Computes the plan of `file` (restricted to `target`) against the live twins.
pub async fn compute<H: Hub>(
    hub: &H,
    file: &DesiredFile,
    target: Option<&str>,
) -> Result<Plan, CliError> {
    let target = target.and_then(bare_condition);
    // Device -> (twin, wanted leaves); BTreeMap keeps the output in device order.
    let mut devices: BTreeMap<String, (Value, Wanted)> = BTreeMap::new();
    for (index, entry) in file.targets.iter().enumerate() {
        let label = entry.label(index);
        let query = format!(
            "SELECT * FROM devices{}",
            conjunction([bare_condition(&entry.condition), target])
        );
        let twins = hub
            .query(&query)
            .await
            .map_err(|e| e.context(format!("{label}: where")))?;
        let leaves = entry.leaves();
        for twin in twins {
            let Some(id) = twin
                .get("deviceId")
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                continue;
            };
            // Module twins are not devices' state; a device query never returns them.
            if twin.get("moduleId").is_some_and(|m| !m.is_null()) {
                continue;
            }
            let (_, wanted) = devices
                .entry(id.clone())
                .or_insert_with(|| (twin, BTreeMap::new()));
            merge_wanted(&id, wanted, &leaves, &label)?;
        }
    }
    let mut plan = Plan {
        hub: hub.host_name(),
        devices: Vec::new(),
        unchanged: 0,
    };
    for (device_id, (twin, wanted)) in devices {
        let tags = twin.get("tags").cloned().unwrap_or(Value::Null);
        let desired = twin
            .pointer("/properties/desired")
            .cloned()
            .unwrap_or(Value::Null);
        let mut changes = Vec::new();
        for (path, (want, _)) in wanted {
            let live = match path.split_once('.') {
                Some(("tags", rest)) => live_value(&tags, rest),
                Some(("desired", rest)) => live_value(&desired, rest),
                _ => None,
            };
            let change = match (&live, want.is_null()) {
                (None, true) => continue,
                (Some(_), true) => ChangeKind::Remove,
                (None, false) => ChangeKind::Add,
                (Some(live), false) if *live == want => continue,
                (Some(_), false) => ChangeKind::Change,
            };
            changes.push(Change {
                path,
                live: live.unwrap_or(Value::Null),
                wanted: want,
                change,
            });
        }
        if changes.is_empty() {
            plan.unchanged += 1;
        } else {
            plan.devices.push(DevicePlan {
                device_id,
                etag: twin.get("etag").and_then(Value::as_str).map(str::to_owned),
                changes,
            });
        }
    }
    Ok(plan)
}

/// Prints a plan: the per-device diff on stdout, the summary on stderr.
fn print_plan(ctx: &Context, plan: &Plan) -> Result<(), CliError> {
    let printer = &ctx.printer;
    if printer.format() != OutputFormat::Table {
        printer.document(plan)?;
    } else if !plan.devices.is_empty() {
        let table = diff_table(
            printer,
            ["LIVE", "WANTED", "CHANGE"],
            plan.devices.iter().flat_map(|device| {
                device.changes.iter().map(|change| DiffLine {
                    device: Some(&device.device_id),
                    path: &change.path,
                    left: &change.live,
                    right: &change.wanted,
                    state: change.change.label(),
                })
            }),
        );
        printer.table(&table)?;
    }
    let properties: usize = plan.devices.iter().map(|d| d.changes.len()).sum();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if plan.devices.is_empty() {
        printer.info(format!(
            "nothing to change: {} already match{}",
            plural(plan.unchanged, "targeted device"),
            if plan.unchanged == 1 { "es" } else { "" }
        ));
    } else {
        printer.info(format!(
            "{} would change ({}); {} already match{}",
            plural(plan.devices.len(), "device"),
            if properties == 1 {
                "1 property".to_owned()
            } else {
                format!("{properties} properties")
            },
            plan.unchanged,
            if plan.unchanged == 1 { "es" } else { "" }
        ));
    }
    Ok(())
}

/// Runs `dmctl plan`.
pub async fn plan(ctx: &Context, args: &PlanArgs) -> Result<Exit, CliError> {
    let file = read_file(&args.file)?;
    if let Some(target) = &args.target {
        check_condition(target).map_err(|e| CliError::usage(format!("--target {e}")))?;
    }
    let hub = ServiceHub::new(ctx.client()?.clone());
    let plan = compute(&hub, &file, args.target.as_deref()).await?;
    print_plan(ctx, &plan)?;
    if let Some(out) = &args.out {
        let text = serde_json::to_string_pretty(&plan)
            .map_err(|e| CliError::failure(format!("internal: plan: {e}")))?;
        std::fs::write(out, text + "\n")
            .map_err(|e| CliError::io(format!("writing the plan to {}", out.display()), e))?;
        ctx.printer.info(format!(
            "plan written to {} (apply it with `dmctl apply --plan {}`)",
            out.display(),
            out.display()
        ));
    }
    Ok(if plan.devices.is_empty() {
        Exit::Ok
    } else {
        Exit::Changes
    })
}

/// What happened to one device in `apply`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Applied {
    device_id: String,
    /// `applied`, `conflict` or `failed`.
    result: &'static str,
    /// How many paths were (or would have been) changed.
    changes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_code: Option<u8>,
}

/// Runs `dmctl apply`.
pub async fn apply(ctx: &Context, args: &ApplyArgs) -> Result<Exit, CliError> {
    let hub = ServiceHub::new(ctx.client()?.clone());
    let plan = match (&args.plan, &args.file) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::io(format!("plan {}", path.display()), e))?;
            let plan: Plan = serde_json::from_str(&text).map_err(|e| {
                CliError::usage(format!(
                    "{}: not a plan written by `dmctl plan --out`: {e}",
                    path.display()
                ))
            })?;
            if plan.hub != hub.host_name() {
                return Err(CliError::usage(format!(
                    "the plan {} was made for hub {}, not {}",
                    path.display(),
                    plan.hub,
                    hub.host_name()
                )));
            }
            plan
        }
        (None, Some(path)) => {
            let file = read_file(path)?;
            if let Some(target) = &args.target {
                check_condition(target).map_err(|e| CliError::usage(format!("--target {e}")))?;
            }
            compute(&hub, &file, args.target.as_deref()).await?
        }
        (None, None) => return Err(CliError::usage("pass -f FILE or --plan FILE")),
    };
    let printer = &ctx.printer;
    if printer.format() == OutputFormat::Table {
        print_plan(ctx, &plan)?;
    }
    if plan.devices.is_empty() {
        if printer.format() != OutputFormat::Table {
            printer.list::<Applied>(&[], |_| printer.new_table(["DEVICE"]))?;
        }
        return Ok(Exit::Ok);
    }
    confirm_fleet(printer, ctx.yes, plan.devices.len(), "patch the twins")?;
    let hub = &hub;
    let mut results: Vec<Applied> = futures::stream::iter(plan.devices.iter())
        .map(|device| async move {
            let result = hub
                .patch_twin(&device.device_id, &device.patch(), device.etag.as_deref())
                .await;
            let (result, error, exit_code) = match result {
                Ok(_) => ("applied", None, None),
                Err(e) if e.exit() == Exit::Conflict => (
                    "conflict",
                    Some(
                        "the twin changed since it was read; left as it is (plan again)".to_owned(),
                    ),
                    Some(e.exit().code()),
                ),
                Err(e) => (
                    "failed",
                    Some(e.message().to_owned()),
                    Some(e.exit().code()),
                ),
            };
            Applied {
                device_id: device.device_id.clone(),
                result,
                changes: device.changes.len(),
                error,
                exit_code,
            }
        })
        .buffer_unordered(APPLY_CONCURRENCY)
        .collect()
        .await;
    results.sort_by(|a, b| a.device_id.cmp(&b.device_id));
    printer.list(&results, |rows| {
        let mut table = printer.new_table(["DEVICE", "RESULT", "CHANGES", "DETAIL"]);
        for row in rows {
            table.add_row([
                row.device_id.clone(),
                row.result.to_owned(),
                row.changes.to_string(),
                row.error.clone().unwrap_or_default(),
            ]);
        }
        table
    })?;
    let count = |what: &str| results.iter().filter(|r| r.result == what).count();
    let (applied, conflicts, failed) = (count("applied"), count("conflict"), count("failed"));
    printer.info(format!(
        "applied to {applied} device{}, {conflicts} conflict{}, {failed} failed",
        if applied == 1 { "" } else { "s" },
        if conflicts == 1 { "" } else { "s" },
    ));
    Ok(if failed > 0 {
        if applied == 0 && conflicts == 0 && failed == 1 {
            results
                .iter()
                .find_map(|r| r.exit_code)
                .and_then(|code| Exit::ALL.into_iter().find(|e| e.code() == code))
                .unwrap_or(Exit::Failure)
        } else {
            Exit::PartialFailure
        }
    } else if conflicts > 0 {
        Exit::Conflict
    } else {
        Exit::Ok
    })
}

#[cfg(test)]
mod tests;
