//! Reboot schedule and maintenance-window arithmetic, in the right time zone.
//!
//! Daily reboots and windows are local wall-clock times, so they follow daylight-saving
//! changes: 03:30 Europe/Paris is 02:30 UTC in winter and 01:30 UTC in summer. On the day a
//! local time does not exist (the spring-forward gap) the reboot happens just after the gap;
//! on the day it exists twice (the autumn fold) it happens once, at the first occurrence. These
//! functions are pure (they take "now") so they are tested across midnight, DST and zones.

use dm_contract::{MaintenanceWindow, RebootSchedule, TimeOfDay};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::error::{DmError, DmResult};

/// What the reboot section remembers across restarts (part of `client.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct RebootMemory {
    /// The reboot schedule and maintenance window in effect.
    pub reboot: Option<dm_contract::RebootDesired>,
    /// A reboot in flight.
    pub pending_reboot: Option<super::PendingReboot>,
    /// The reason of the last reboot dm caused.
    pub last_reboot_reason: Option<String>,
    /// When the last scheduled reboot was due (so it is not repeated after the boot).
    pub last_scheduled_reboot: Option<Timestamp>,
}

/// Why a scheduled reboot is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduledKind {
    /// `schedule.single`.
    Single,
    /// `schedule.daily`.
    Daily,
}

/// Looks up a time zone by IANA name in the agent's tz database.
pub fn zone(name: &str) -> DmResult<TimeZone> {
    jiff::tz::db()
        .get(name)
        .map_err(|_| DmError::UnknownTimeZone(name.to_owned()))
}

/// The first instant strictly after `after` at which the local time in `tz` is `at`.
pub fn next_daily(after: Timestamp, at: TimeOfDay, tz: &TimeZone) -> Option<Timestamp> {
    let today: Date = after.to_zoned(tz.clone()).date();
    let mut day = today.yesterday().ok()?;
    for _ in 0..4 {
        let civil = day.at(
            i8::try_from(at.hour()).ok()?,
            i8::try_from(at.minute()).ok()?,
            0,
            0,
        );
        // `compatible`: a time in a gap moves forward past it; in a fold, the earlier instant.
        if let Ok(zoned) = civil.to_zoned(tz.clone())
            && zoned.timestamp() > after
        {
            return Some(zoned.timestamp());
        }
        day = day.tomorrow().ok()?;
    }
    None
}

/// The next scheduled reboot after `now`: the earlier of a future `single` not yet done and
/// the next `daily` occurrence after both `now` and the last scheduled reboot.
pub fn next_reboot(
    now: Timestamp,
    schedule: &RebootSchedule,
    device_tz: &TimeZone,
    last_fired: Option<Timestamp>,
) -> DmResult<Option<(Timestamp, ScheduledKind)>> {
    let after = last_fired.map_or(now, |f| f.max(now));
    let single = schedule
        .single
        .filter(|s| *s > now && last_fired.is_none_or(|f| *s > f))
        .map(|s| (s, ScheduledKind::Single));
    let daily = match schedule.daily {
        Some(at) => {
            let tz = match &schedule.time_zone {
                Some(name) => zone(name)?,
                None => device_tz.clone(),
            };
            next_daily(after, at, &tz).map(|t| (t, ScheduledKind::Daily))
        }
        None => None,
    };
    Ok(match (single, daily) {
        (Some(s), Some(d)) => Some(if s.0 <= d.0 { s } else { d }),
        (s, d) => s.or(d),
    })
}

/// Whether `now` falls in the maintenance window (local time in the window's zone, or the
/// device's). A window whose end is before its start crosses midnight.
pub fn in_window(
    window: &MaintenanceWindow,
    now: Timestamp,
    device_tz: &TimeZone,
) -> DmResult<bool> {
    let tz = match &window.time_zone {
        Some(name) => zone(name)?,
        None => device_tz.clone(),
    };
    let local = now.to_zoned(tz);
    let time = TimeOfDay::new(
        u8::try_from(local.hour()).unwrap_or(0),
        u8::try_from(local.minute()).unwrap_or(0),
    );
    Ok(time.is_some_and(|t| window.contains(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn tod(s: &str) -> TimeOfDay {
        TimeOfDay::parse("t", s).unwrap()
    }

    fn paris() -> TimeZone {
        zone("Europe/Paris").unwrap()
    }

    #[test]
    fn daily_in_winter_and_summer_follows_the_local_clock() {
        // 03:30 Paris is 02:30Z in winter (CET) and 01:30Z in summer (CEST).
        assert_eq!(
            next_daily(ts("2025-01-10T12:00:00Z"), tod("03:30"), &paris()),
            Some(ts("2025-01-11T02:30:00Z"))
        );
        assert_eq!(
            next_daily(ts("2025-07-10T12:00:00Z"), tod("03:30"), &paris()),
            Some(ts("2025-07-11T01:30:00Z"))
        );
    }

    #[test]
    fn daily_across_midnight_and_exactly_at_the_time() {
        // 23:50 local on the 10th; a 00:10 daily is 20 minutes later, on the 11th.
        assert_eq!(
            next_daily(ts("2025-01-10T22:50:00Z"), tod("00:10"), &paris()),
            Some(ts("2025-01-10T23:10:00Z"))
        );
        // Exactly at the time: strictly after, so tomorrow.
        assert_eq!(
            next_daily(ts("2025-01-11T02:30:00Z"), tod("03:30"), &paris()),
            Some(ts("2025-01-12T02:30:00Z"))
        );
        // A few seconds before: today.
        assert_eq!(
            next_daily(ts("2025-01-11T02:29:59Z"), tod("03:30"), &paris()),
            Some(ts("2025-01-11T02:30:00Z"))
        );
    }

    #[test]
    fn daily_in_the_spring_gap_and_the_autumn_fold() {
        // 2025-03-30: Paris jumps from 02:00 to 03:00. 02:30 does not exist: it happens at 03:30
        // CEST (01:30Z), just after the gap.
        assert_eq!(
            next_daily(ts("2025-03-29T12:00:00Z"), tod("02:30"), &paris()),
            Some(ts("2025-03-30T01:30:00Z"))
        );
        // 2025-10-26: 02:30 happens twice; the reboot is at the first (CEST, 00:30Z), once.
        let first = next_daily(ts("2025-10-25T12:00:00Z"), tod("02:30"), &paris()).unwrap();
        assert_eq!(first, ts("2025-10-26T00:30:00Z"));
        assert_eq!(
            next_daily(first, tod("02:30"), &paris()),
            Some(ts("2025-10-27T01:30:00Z"))
        );
    }

    #[test]
    fn daily_in_other_zones() {
        let tokyo = zone("Asia/Tokyo").unwrap();
        assert_eq!(
            next_daily(ts("2025-03-01T00:00:00Z"), tod("03:30"), &tokyo),
            Some(ts("2025-03-01T18:30:00Z"))
        );
        let ny = zone("America/New_York").unwrap();
        assert_eq!(
            next_daily(ts("2025-03-01T00:00:00Z"), tod("03:30"), &ny),
            Some(ts("2025-03-01T08:30:00Z"))
        );
        let kolkata = zone("Asia/Kolkata").unwrap();
        assert_eq!(
            next_daily(ts("2025-03-01T00:00:00Z"), tod("00:00"), &kolkata),
            Some(ts("2025-03-01T18:30:00Z"))
        );
    }

    #[test]
    fn next_reboot_picks_the_earlier_and_ignores_the_past() {
        let schedule = RebootSchedule {
            single: Some(ts("2025-03-01T12:00:00Z")),
            daily: Some(tod("03:30")),
            time_zone: Some("Europe/Paris".into()),
        };
        let utc = TimeZone::UTC;
        let now = ts("2025-03-01T10:00:00Z");
        assert_eq!(
            next_reboot(now, &schedule, &utc, None).unwrap(),
            Some((ts("2025-03-01T12:00:00Z"), ScheduledKind::Single))
        );
        // Once the single reboot fired, the daily one is next.
        let fired = ts("2025-03-01T12:00:00Z");
        assert_eq!(
            next_reboot(ts("2025-03-01T12:00:30Z"), &schedule, &utc, Some(fired)).unwrap(),
            Some((ts("2025-03-02T02:30:00Z"), ScheduledKind::Daily))
        );
        // A single instant in the past is ignored, not replayed.
        let past = RebootSchedule {
            single: Some(ts("2025-02-01T00:00:00Z")),
            ..RebootSchedule::default()
        };
        assert_eq!(next_reboot(now, &past, &utc, None).unwrap(), None);
        // The device's zone applies without a schedule zone.
        let local = RebootSchedule {
            daily: Some(tod("03:30")),
            ..RebootSchedule::default()
        };
        assert_eq!(
            next_reboot(now, &local, &paris(), None).unwrap().unwrap().0,
            ts("2025-03-02T02:30:00Z")
        );
        let bad = RebootSchedule {
            daily: Some(tod("03:30")),
            time_zone: Some("Mars/Base".into()),
            ..RebootSchedule::default()
        };
        assert_eq!(
            next_reboot(now, &bad, &utc, None).unwrap_err().code(),
            "unknownTimeZone"
        );
    }

    #[test]
    fn windows_across_midnight_in_local_time() {
        let window = MaintenanceWindow {
            start: tod("22:00"),
            end: tod("04:00"),
            time_zone: Some("Europe/Paris".into()),
        };
        let utc = TimeZone::UTC;
        // 21:30Z is 22:30 in Paris (winter): inside. 03:30Z is 04:30: outside. 02:59Z is 03:59: inside.
        assert!(in_window(&window, ts("2025-01-10T21:30:00Z"), &utc).unwrap());
        assert!(!in_window(&window, ts("2025-01-11T03:30:00Z"), &utc).unwrap());
        assert!(in_window(&window, ts("2025-01-11T02:59:00Z"), &utc).unwrap());
        assert!(!in_window(&window, ts("2025-01-10T20:59:00Z"), &utc).unwrap());
        // In summer the same window is an hour earlier in UTC.
        assert!(in_window(&window, ts("2025-07-10T20:30:00Z"), &utc).unwrap());
        let device_local = MaintenanceWindow {
            time_zone: None,
            ..window
        };
        assert!(in_window(&device_local, ts("2025-01-10T23:30:00Z"), &utc).unwrap());
        assert!(!in_window(&device_local, ts("2025-01-10T21:30:00Z"), &utc).unwrap());
    }
}
