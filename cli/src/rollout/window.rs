//! Maintenance windows: `"Sat 02:00-04:00 Europe/Paris"`.
//!
//! A rollout starts a wave only inside its window, so the clock that matters is the fleet's,
//! not the operator's laptop: the window names its time zone (IANA, resolved by jiff from the
//! system's tz database) and is evaluated there, daylight-saving shifts included. A window may
//! run past midnight (`Fri 22:00-02:00` ends on Saturday morning).

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan as _};

/// Days, a daily time range and a time zone.
#[derive(Clone)]
pub struct Window {
    /// Which days the window opens on, Monday first.
    days: [bool; 7],
    /// When it opens (local time).
    start: Time,
    /// When it closes (local time); not after `start` when it runs past midnight (equal:
    /// 24 hours, so `00:00-24:00` is the whole day).
    end: Time,
    /// The zone both times are in.
    tz: TimeZone,
    /// The text it was parsed from, for messages.
    text: String,
}

impl fmt::Debug for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Window").field(&self.text).finish()
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Day names, Monday first; any prefix of three letters or more names the day.
const DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn day_index(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    DAY_NAMES
        .iter()
        .position(|day| lower.len() >= 3 && day.starts_with(&lower))
}

fn weekday_index(day: Weekday) -> usize {
    usize::from(day.to_monday_zero_offset().unsigned_abs())
}

fn parse_days(text: &str) -> Option<[bool; 7]> {
    let mut days = [false; 7];
    for part in text.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (day_index(from)?, day_index(to)?);
                let mut day = from;
                loop {
                    days[day] = true;
                    if day == to {
                        break;
                    }
                    day = (day + 1) % 7;
                }
            }
            None => days[day_index(part)?] = true,
        }
    }
    Some(days)
}

fn parse_time(text: &str) -> Option<Time> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    if h == 24 && m == 0 {
        return Some(Time::midnight());
    }
    Time::new(h, m, 0, 0).ok()
}

/// Why a window text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WindowError(String);

impl FromStr for Window {
    type Err = WindowError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let usage = || {
            WindowError(format!(
                "window '{text}': expected [DAYS] HH:MM-HH:MM [TIME ZONE], e.g. \"Sat 02:00-04:00 Europe/Paris\" or \"Mon-Fri 22:00-02:00 UTC\""
            ))
        };
        let words: Vec<&str> = text.split_whitespace().collect();
        let range_at = words
            .iter()
            .position(|w| w.contains(':') && w.contains('-'))
            .ok_or_else(usage)?;
        let days = match range_at {
            0 => [true; 7],
            1 => parse_days(words[0]).ok_or_else(|| {
                WindowError(format!(
                    "window '{text}': unknown days '{}' (use Mon..Sun, ranges like Mon-Fri, or lists like Sat,Sun)",
                    words[0]
                ))
            })?,
            _ => return Err(usage()),
        };
        let (start, end) = words[range_at].split_once('-').ok_or_else(usage)?;
        let (start, end) = (
            parse_time(start).ok_or_else(usage)?,
            parse_time(end).ok_or_else(usage)?,
        );
        let tz = match &words[range_at + 1..] {
            [] => TimeZone::system(),
            [name] => TimeZone::get(name).map_err(|_| {
                WindowError(format!(
                    "window '{text}': unknown time zone '{name}' (use an IANA name such as Europe/Paris, or UTC)"
                ))
            })?,
            _ => return Err(usage()),
        };
        Ok(Self {
            days,
            start,
            end,
            tz,
            text: text.trim().to_owned(),
        })
    }
}

impl Window {
    /// Whether the window is open at `at`.
    pub fn contains(&self, at: Timestamp) -> bool {
        let local = at.to_zoned(self.tz.clone());
        let (day, time) = (weekday_index(local.weekday()), local.time());
        if self.start < self.end {
            self.days[day] && self.start <= time && time < self.end
        } else {
            // Runs past midnight: the evening part today, or the morning part of yesterday's.
            (self.days[day] && time >= self.start) || (self.days[(day + 6) % 7] && time < self.end)
        }
    }

    /// `at` when the window is open then, else when it next opens.
    pub fn next_open(&self, at: Timestamp) -> Timestamp {
        if self.contains(at) {
            return at;
        }
        let today = at.to_zoned(self.tz.clone()).date();
        for offset in 0..=8_i64 {
            let Ok(date) = today.checked_add(offset.days()) else {
                break;
            };
            if !self.days[weekday_index(date.weekday())] {
                continue;
            }
            // A start in a daylight-saving gap moves forward, as a wall clock would.
            let Ok(open) = date.to_datetime(self.start).to_zoned(self.tz.clone()) else {
                continue;
            };
            if open.timestamp() > at {
                return open.timestamp();
            }
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_weekly_window_in_paris() {
        let w: Window = "Sat 02:00-04:00 Europe/Paris".parse().unwrap();
        // 2026-12-05 is a Saturday; Paris is UTC+1 in December.
        assert!(w.contains(ts("2026-12-05T01:30:00Z")));
        assert!(!w.contains(ts("2026-12-05T03:00:00Z")));
        assert!(!w.contains(ts("2026-12-05T00:59:00Z")));
        assert!(!w.contains(ts("2026-12-06T01:30:00Z")), "Sunday");
        // From a Monday, the next opening is Saturday 02:00 Paris time.
        assert_eq!(
            w.next_open(ts("2026-12-07T16:00:00Z")),
            ts("2026-12-12T01:00:00Z")
        );
        // Summer time: Paris is UTC+2.
        assert!(w.contains(ts("2026-07-04T00:30:00Z")));
    }

    #[test]
    fn windows_past_midnight_and_day_ranges() {
        let w: Window = "Mon-Fri 22:00-02:00 UTC".parse().unwrap();
        assert!(w.contains(ts("2026-12-07T23:00:00Z")), "Monday night");
        assert!(w.contains(ts("2026-12-08T01:00:00Z")), "Tuesday morning");
        assert!(
            w.contains(ts("2026-12-12T01:00:00Z")),
            "Saturday morning ends Friday's window"
        );
        assert!(
            !w.contains(ts("2026-12-13T01:00:00Z")),
            "Sunday morning: Saturday has no window"
        );
        assert_eq!(
            w.next_open(ts("2026-12-12T12:00:00Z")),
            ts("2026-12-14T22:00:00Z")
        );
        let daily: Window = "09:00-17:00 UTC".parse().unwrap();
        assert!(daily.contains(ts("2026-12-13T10:00:00Z")));
        let weekend: Window = "sat,sunday 00:00-24:00 UTC".parse().unwrap();
        assert!(weekend.contains(ts("2026-12-13T23:59:00Z")));
    }

    #[test]
    fn bad_windows_say_what_is_wrong() {
        for (text, needle) in [
            ("Sat 02:00 Europe/Paris", "expected [DAYS]"),
            (
                "Sat 02:00-04:00 Mars/Olympus",
                "unknown time zone 'Mars/Olympus'",
            ),
            ("Caturday 02:00-04:00 UTC", "unknown days 'Caturday'"),
            ("Sat 25:00-04:00 UTC", "expected [DAYS]"),
        ] {
            let err = text.parse::<Window>().unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }
}
