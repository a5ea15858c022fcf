//! What a rollout is, fixed before it starts: the devices of each wave, the operation, the
//! limits; and what it writes on each device it reaches.
//!
//! The spec is decided once, from the arguments and the target's devices (sorted by id, so the
//! same fleet always gives the same waves), then kept in a local file and identified by the hash
//! of its JSON form. That hash is written into every device's rollout tag, which is how a resume
//! (from this machine or another) proves it continues the same plan and not a different one.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// The twin tag under which every rollout keeps its per-device records:
/// `tags.dmRollouts.<name>`.
pub const TAG: &str = "dmRollouts";

/// Longest rollout name: it is a twin tag key and appears in every query of the rollout.
pub const MAX_NAME_LEN: usize = 64;

/// A number of devices or a share of them: `5` or `10%`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Amount {
    /// A number of devices.
    Count(u64),
    /// A percentage, more than 0 and at most 100.
    Percent(f64),
}

impl Amount {
    /// How many of `total` devices this is (a percentage rounds up, so `1%` of 10 is 1).
    pub fn of(self, total: usize) -> usize {
        match self {
            Amount::Count(n) => usize::try_from(n).unwrap_or(usize::MAX).min(total),
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss,
                reason = "a share of a device count, between 0 and the count"
            )]
            Amount::Percent(p) => ((total as f64) * p / 100.0).ceil().min(total as f64) as usize,
        }
    }

    /// Whether `failed` devices out of `started` cross this threshold (more than it).
    pub fn crossed_by(self, failed: usize, started: usize) -> bool {
        match self {
            Amount::Count(n) => u64::try_from(failed).unwrap_or(u64::MAX) > n,
            #[expect(
                clippy::cast_precision_loss,
                reason = "device counts are far below 2^52"
            )]
            Amount::Percent(p) => started > 0 && (failed as f64) * 100.0 > p * (started as f64),
        }
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Amount::Count(n) => write!(f, "{n}"),
            Amount::Percent(p) => write!(f, "{p}%"),
        }
    }
}

impl From<Amount> for String {
    fn from(amount: Amount) -> Self {
        amount.to_string()
    }
}

impl TryFrom<String> for Amount {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl FromStr for Amount {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if let Some(number) = text.strip_suffix('%') {
            let p: f64 = number
                .trim()
                .parse()
                .map_err(|_| format!("'{text}' is not a percentage (e.g. 10%)"))?;
            if !(p > 0.0 && p <= 100.0) {
                return Err(format!(
                    "'{text}': a percentage must be above 0% and at most 100%"
                ));
            }
            Ok(Amount::Percent(p))
        } else {
            text.parse::<u64>().map(Amount::Count).map_err(|_| {
                format!("'{text}' is neither a device count (5) nor a percentage (10%)")
            })
        }
    }
}

/// Checks a rollout name: it becomes a twin tag key and a query path segment, so letters,
/// digits and `_` only, starting with a letter.
pub fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let starts_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if !starts_ok
        || name.len() > MAX_NAME_LEN
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(format!(
            "rollout name '{name}': use letters, digits and '_' (a letter first, at most {MAX_NAME_LEN}); it becomes the twin tag tags.{TAG}.<name>"
        ));
    }
    Ok(())
}

/// Splits `devices` (already sorted) into waves: an optional canary, then cumulative steps
/// (`--waves 10%,50%,100%`: after each wave that share of the fleet has been reached) or
/// equal batches (`--batch 20`). Devices left after the last step form a final wave; empty
/// waves are dropped.
pub fn build_waves(
    devices: &[String],
    canary: Option<Amount>,
    steps: &[Amount],
    batch: Option<Amount>,
) -> Vec<Vec<String>> {
    let total = devices.len();
    let mut cuts = Vec::new();
    if let Some(canary) = canary {
        cuts.push(canary.of(total).max(1).min(total));
    }
    for step in steps {
        cuts.push(step.of(total));
    }
    if let Some(batch) = batch {
        let size = batch.of(total).max(1);
        let mut reached = cuts.last().copied().unwrap_or(0);
        while reached < total {
            reached = (reached + size).min(total);
            cuts.push(reached);
        }
    }
    cuts.push(total);
    let mut waves = Vec::new();
    let mut from = 0;
    for cut in cuts {
        if cut > from {
            waves.push(devices[from..cut].to_vec());
            from = cut;
        }
    }
    waves
}

/// A rollout, decided before it starts. Its JSON form is what is kept locally and hashed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutSpec {
    /// The rollout's name (a tag key).
    pub name: String,
    /// The target condition as given (`WHERE tags.site = 'plant-4'`).
    pub target: String,
    /// The typed command after `--`, as given (it may hold secrets: the local file is 0600).
    pub operation: Vec<String>,
    /// The devices of each wave, in order.
    pub waves: Vec<Vec<String>>,
    /// Pause between waves, then the finished waves' success condition is checked again.
    pub bake_secs: u64,
    /// The rollout stops once more devices than this have failed.
    pub max_failures: Amount,
    /// An IoT Hub query condition every succeeded device must satisfy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<String>,
    /// The maintenance window new waves may start in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<String>,
    /// Devices worked on at once.
    pub concurrency: u16,
    /// How long one wave may take (retries of busy devices and waiting included).
    pub timeout_secs: u64,
}

impl RolloutSpec {
    /// The plan's hash: the first 16 hex digits of the SHA-256 of its JSON form.
    pub fn hash(&self) -> String {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        let digest = Sha256::digest(&bytes);
        digest[..8].iter().fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
    }

    /// Every device of the rollout.
    pub fn devices(&self) -> impl Iterator<Item = (usize, &String)> {
        self.waves
            .iter()
            .enumerate()
            .flat_map(|(wave, ids)| ids.iter().map(move |id| (wave, id)))
    }

    /// How many devices the rollout covers.
    pub fn total(&self) -> usize {
        self.waves.iter().map(Vec::len).sum()
    }

    /// The twin path of this rollout's tag: `tags.dmRollouts.<name>`.
    pub fn tag_path(&self) -> String {
        format!("tags.{TAG}.{}", self.name)
    }
}

/// Where one device stands in a rollout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// The operation was sent; its outcome is not known yet.
    Sent,
    /// It reached `succeeded` (and satisfied the success condition).
    Succeeded,
    /// It failed, timed out, stayed busy, or stopped satisfying the success condition.
    Failed,
}

impl Outcome {
    /// The name shown in tables and tags.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
        }
    }
}

/// What a rollout writes in a device's twin, at `tags.dmRollouts.<name>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceRecord {
    /// The rollout's name.
    pub name: String,
    /// The plan hash ([`RolloutSpec::hash`]).
    pub plan: String,
    /// The wave, from 1.
    pub wave: usize,
    /// Where the device stands.
    pub outcome: Outcome,
    /// When that was recorded.
    pub time: Timestamp,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The operation id the device's 202 answer named (followed again after a restart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The desired `$version` a desired-state change produced (followed again after a restart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_version: Option<u64>,
    /// With `--via-job`: the IoT Hub job that carries the device's operation, written before
    /// the job is created, so a restarted rollout follows that job instead of sending again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
}

impl DeviceRecord {
    /// The twin patch that writes this record.
    pub fn patch(&self) -> serde_json::Value {
        serde_json::json!({ "tags": { TAG: { self.name.clone(): self } } })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("d{i:03}")).collect()
    }

    fn sizes(waves: &[Vec<String>]) -> Vec<usize> {
        waves.iter().map(Vec::len).collect()
    }

    #[test]
    fn waves_are_cumulative_steps_after_the_canary() {
        let pct = |p| Amount::Percent(p);
        let waves = build_waves(
            &ids(100),
            Some(Amount::Count(2)),
            &[pct(10.0), pct(25.0), pct(50.0), pct(100.0)],
            None,
        );
        assert_eq!(sizes(&waves), [2, 8, 15, 25, 50]);
        assert_eq!(waves[0], ["d001", "d002"]);
        assert_eq!(waves[4].last().unwrap(), "d100");

        let batches = build_waves(
            &ids(10),
            Some(Amount::Percent(10.0)),
            &[],
            Some(Amount::Count(4)),
        );
        assert_eq!(sizes(&batches), [1, 4, 4, 1]);

        // Steps short of 100% leave a final wave; a step below the canary adds nothing.
        let rest = build_waves(
            &ids(10),
            Some(Amount::Count(3)),
            &[pct(20.0), pct(50.0)],
            None,
        );
        assert_eq!(sizes(&rest), [3, 2, 5]);
        assert_eq!(sizes(&build_waves(&ids(7), None, &[], None)), [7]);
        assert!(build_waves(&[], Some(Amount::Count(1)), &[], None).is_empty());
    }

    #[test]
    fn thresholds_count_failures_over_what_was_started() {
        assert!(!Amount::Count(2).crossed_by(2, 10));
        assert!(Amount::Count(2).crossed_by(3, 10));
        assert!(Amount::Count(0).crossed_by(1, 100));
        assert!(!Amount::Percent(10.0).crossed_by(1, 10));
        assert!(Amount::Percent(10.0).crossed_by(2, 10));
        assert!(!Amount::Percent(10.0).crossed_by(0, 0));
    }

    #[test]
    fn amounts_parse_and_print_the_same() {
        for text in ["5", "10%", "2.5%", "100%"] {
            assert_eq!(text.parse::<Amount>().unwrap().to_string(), text);
        }
        for bad in ["0%", "101%", "ten", "-1", "%"] {
            assert!(bad.parse::<Amount>().is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_tag_keys() {
        assert!(check_name("web_2_1").is_ok());
        for bad in ["", "1st", "web-2.1", "a b", "$x"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
