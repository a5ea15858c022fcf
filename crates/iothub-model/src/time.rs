//! Timestamp formatting in the exact shapes IoT Hub puts on the wire.
//!
//! The hub writes UTC timestamps with seven fractional digits (.NET ticks of 100 ns) and a `Z`,
//! writes `0001-01-01T00:00:00Z` for "never", and formats the time inside error tracking ids as
//! `MM/dd/yyyy HH:mm:ss`. Wire types keep timestamps as `String` so a value read from a real hub
//! round-trips byte for byte; these helpers only produce new ones (for the emulator and for
//! tests), which keeps a calendar dependency out of this crate.

use std::time::{SystemTime, UNIX_EPOCH};

/// The hub's "never happened" timestamp (for example `lastActivityTime` of a new device).
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const NANOS_PER_DAY: i128 = 86_400 * NANOS_PER_SECOND;

/// Broken-down UTC time; fields are kept as `i128` so no arithmetic on them can overflow or
/// need a lossy cast.
struct Utc {
    year: i128,
    month: i128,
    day: i128,
    hour: i128,
    minute: i128,
    second: i128,
    nanos: i128,
}

impl Utc {
    fn from_unix_nanos(unix_nanos: i128) -> Self {
        let days = unix_nanos.div_euclid(NANOS_PER_DAY);
        let in_day = unix_nanos.rem_euclid(NANOS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        let secs = in_day / NANOS_PER_SECOND;
        Self {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs / 60 % 60,
            second: secs % 60,
            nanos: in_day % NANOS_PER_SECOND,
        }
    }
}

/// Converts days since 1970-01-01 to a proleptic Gregorian (year, month, day).
///
/// Works in 400-year eras (146 097 days each) whose years start on March 1st, so the leap day
/// is the last day of a year and month lengths follow a fixed 153-days-per-5-months pattern.
fn civil_from_days(days: i128) -> (i128, i128, i128) {
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // 0 = March
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i128::from(month <= 2);
    (year, month, day)
}

/// Formats nanoseconds since the Unix epoch as the hub does: `2024-01-02T03:04:05.1234567Z`.
///
/// The fraction is truncated (not rounded) to 100 ns, matching .NET ticks.
pub fn format_timestamp(unix_nanos: i128) -> String {
    let t = Utc::from_unix_nanos(unix_nanos);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
        t.nanos / 100
    )
}

/// Formats the time part of an error tracking id: `MM/dd/yyyy HH:mm:ss` (UTC).
pub fn format_tracking_timestamp(unix_nanos: i128) -> String {
    let t = Utc::from_unix_nanos(unix_nanos);
    format!(
        "{:02}/{:02}/{:04} {:02}:{:02}:{:02}",
        t.month, t.day, t.year, t.hour, t.minute, t.second
    )
}

/// Formats a number of seconds as the .NET `TimeSpan` text the hub uses in method errors
/// (`info.timeout`): `hh:mm:ss`, for example `00:00:10`.
pub fn format_time_span(seconds: u32) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Nanoseconds between the Unix epoch and `time` (negative before 1970), the input of the
/// formatting helpers above.
pub fn unix_nanos(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
        Err(before) => i128::try_from(before.duration().as_nanos()).map_or(i128::MIN, |n| -n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// 2024-01-02T03:04:05Z in Unix seconds, computed independently (`date -u -d ... +%s`).
    const SAMPLE_SECS: i128 = 1_704_164_645;

    #[test]
    fn formats_seven_fraction_digits_truncating_to_ticks() {
        let nanos = SAMPLE_SECS * NANOS_PER_SECOND + 123_456_789;
        assert_eq!(format_timestamp(nanos), "2024-01-02T03:04:05.1234567Z");
    }

    #[test]
    fn formats_epoch_and_leap_day() {
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00.0000000Z");
        // 2024-02-29T23:59:59Z = 1709251199
        assert_eq!(
            format_timestamp(1_709_251_199 * NANOS_PER_SECOND),
            "2024-02-29T23:59:59.0000000Z"
        );
        // 2000-03-01T00:00:00Z = 951868800 (century leap year boundary)
        assert_eq!(
            format_timestamp(951_868_800 * NANOS_PER_SECOND),
            "2000-03-01T00:00:00.0000000Z"
        );
    }

    #[test]
    fn formats_times_before_the_epoch() {
        assert_eq!(format_timestamp(-1), "1969-12-31T23:59:59.9999999Z");
        // 0001-01-01T00:00:00Z, the hub's zero time, is -62135596800 s.
        assert_eq!(
            format_timestamp(-62_135_596_800 * NANOS_PER_SECOND),
            "0001-01-01T00:00:00.0000000Z"
        );
    }

    #[test]
    fn formats_tracking_timestamp_and_time_span() {
        let nanos = SAMPLE_SECS * NANOS_PER_SECOND + 999_999_999;
        assert_eq!(format_tracking_timestamp(nanos), "01/02/2024 03:04:05");
        assert_eq!(format_time_span(0), "00:00:00");
        assert_eq!(format_time_span(10), "00:00:10");
        assert_eq!(format_time_span(3_725), "01:02:05");
    }

    #[test]
    fn converts_system_time_both_sides_of_the_epoch() {
        let after = UNIX_EPOCH + Duration::new(5, 7);
        assert_eq!(unix_nanos(after), 5_000_000_007);
        let before = UNIX_EPOCH - Duration::from_secs(2);
        assert_eq!(unix_nanos(before), -2_000_000_000);
    }
}
