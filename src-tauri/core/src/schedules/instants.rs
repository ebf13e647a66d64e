//! Wall-clock hours of a schedule to UTC instants.
//!
//! The daylight-saving rule: a range covers the wall-clock hours it names, as
//! they happen on that date in the schedule's zone.
//! - A time that does not exist that day (the clocks jump forward over it) is
//!   read as the moment of the jump, i.e. the first valid time after the gap.
//!   A range 02:00–04:00 on the spring-forward night in Berlin is 03:00–04:00
//!   CEST: one hour long.
//! - A time that happens twice (the clocks go back) is read at its first
//!   occurrence when it starts a range and at its second when it ends one, so
//!   the range covers every minute it names: 01:00–03:00 on the fall-back
//!   night in New York lasts three hours.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{HourRange, Schedule};

/// One occurrence of a range: [start, end) in UTC, on a local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    pub range: HourRange,
    pub date: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Clone, Copy)]
enum Edge {
    Start,
    End,
}

/// The instant a wall-clock time of `date` means in `zone`, by the rule above.
/// `hour` may be 24 (midnight at the end of the day).
fn instant(zone: Tz, date: NaiveDate, hour: u8, edge: Edge) -> DateTime<Utc> {
    let (date, hour) = if hour >= 24 { (date + Duration::days(1), 0) } else { (date, hour) };
    let naive = NaiveDateTime::new(date, NaiveTime::from_hms_opt(u32::from(hour), 0, 0).unwrap_or_default());
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, second) => match edge {
            Edge::Start => first.with_timezone(&Utc),
            Edge::End => second.with_timezone(&Utc),
        },
        // A gap: the first minute after it is the moment the clocks jumped.
        LocalResult::None => (1..=24 * 60)
            .find_map(|m| zone.from_local_datetime(&(naive + Duration::minutes(m))).earliest())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&naive)),
    }
}

fn parse_zone(schedule: &Schedule) -> Tz {
    schedule.zone.parse().unwrap_or(Tz::UTC)
}

/// Every occurrence of the schedule's ranges that overlaps [from, to).
pub fn occurrences(schedule: &Schedule, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Shift> {
    let zone = parse_zone(schedule);
    // A day earlier and later than the local dates of the bounds: a range of
    // the previous local day can still be running at `from`.
    let first = from.with_timezone(&zone).date_naive() - Duration::days(1);
    let last = to.with_timezone(&zone).date_naive() + Duration::days(1);
    let mut shifts = Vec::new();
    let mut date = first;
    while date <= last {
        let weekday = date.weekday().num_days_from_monday() as u8;
        for range in schedule.ranges.iter().filter(|r| r.weekday == weekday) {
            let start = instant(zone, date, range.start_hour, Edge::Start);
            let end = instant(zone, date, range.end_hour, Edge::End);
            if start < to && end > from && end > start {
                shifts.push(Shift { range: *range, date, start, end });
            }
        }
        date += Duration::days(1);
    }
    shifts.sort_by_key(|s| s.start);
    shifts
}

impl Schedule {
    /// Whether `at` falls inside one of the ranges.
    pub fn on_shift(&self, at: DateTime<Utc>) -> bool {
        occurrences(self, at, at + Duration::milliseconds(1)).iter().any(|s| s.start <= at && at < s.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap_or_default()
    }

    fn schedule(zone: &str, ranges: &[(u8, u8, u8)]) -> Schedule {
        Schedule {
            zone: zone.into(),
            ranges: ranges.iter().map(|&(weekday, start_hour, end_hour)| HourRange { weekday, start_hour, end_hour }).collect(),
        }
    }

    fn only_shift(s: &Schedule, on: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let shifts = occurrences(s, on, on + Duration::days(1));
        assert_eq!(shifts.len(), 1, "{shifts:?}");
        (shifts[0].start, shifts[0].end)
    }

    #[test]
    fn berlin_nine_to_five_follows_summer_and_winter_time() {
        let s = schedule("Europe/Berlin", &[(0, 9, 17)]);
        // Monday 2026-01-05 (CET, UTC+1) and Monday 2026-07-06 (CEST, UTC+2).
        assert_eq!(only_shift(&s, utc(2026, 1, 5, 0, 0)), (utc(2026, 1, 5, 8, 0), utc(2026, 1, 5, 16, 0)));
        assert_eq!(only_shift(&s, utc(2026, 7, 6, 0, 0)), (utc(2026, 7, 6, 7, 0), utc(2026, 7, 6, 15, 0)));
    }

    #[test]
    fn berlin_spring_forward_gap_starts_at_the_jump() {
        // Sunday 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
        let s = schedule("Europe/Berlin", &[(6, 2, 4)]);
        assert_eq!(only_shift(&s, utc(2026, 3, 29, 0, 0)), (utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 2, 0)));
        assert!(!s.on_shift(utc(2026, 3, 29, 0, 59)));
        assert!(s.on_shift(utc(2026, 3, 29, 1, 0)));
    }

    #[test]
    fn berlin_fall_back_overlap_covers_both_occurrences() {
        // Sunday 2026-10-25: 03:00 CEST goes back to 02:00 CET; 02:00–03:00 happens twice.
        let s = schedule("Europe/Berlin", &[(6, 2, 3)]);
        assert_eq!(only_shift(&s, utc(2026, 10, 25, 0, 0)), (utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 2, 0)));
    }

    #[test]
    fn new_york_both_changes() {
        // 2026-03-08 02:00 EST jumps to 03:00 EDT (07:00 UTC); 2026-11-01 02:00 EDT back to 01:00 EST.
        let s = schedule("America/New_York", &[(6, 1, 3)]);
        assert_eq!(only_shift(&s, utc(2026, 3, 8, 0, 0)), (utc(2026, 3, 8, 6, 0), utc(2026, 3, 8, 7, 0)));
        assert_eq!(only_shift(&s, utc(2026, 11, 1, 0, 0)), (utc(2026, 11, 1, 5, 0), utc(2026, 11, 1, 8, 0)));
        // An ordinary Sunday: two hours, EST.
        assert_eq!(only_shift(&s, utc(2026, 1, 11, 0, 0)), (utc(2026, 1, 11, 6, 0), utc(2026, 1, 11, 8, 0)));
    }

    #[test]
    fn kolkata_half_hour_offset() {
        let s = schedule("Asia/Kolkata", &[(2, 9, 18)]);
        // Wednesday 2026-03-04, UTC+05:30.
        assert_eq!(only_shift(&s, utc(2026, 3, 4, 0, 0)), (utc(2026, 3, 4, 3, 30), utc(2026, 3, 4, 12, 30)));
        assert!(s.on_shift(utc(2026, 3, 4, 3, 30)));
        assert!(!s.on_shift(utc(2026, 3, 4, 3, 29)));
        assert!(!s.on_shift(utc(2026, 3, 4, 12, 30)));
    }

    #[test]
    fn lord_howe_thirty_minute_dst() {
        // Lord Howe: UTC+10:30 standard, UTC+11 in summer. 2026-04-05 02:00 (+11) goes back to
        // 01:30 (+10:30); 2026-10-04 02:00 (+10:30) jumps to 02:30 (+11).
        let s = schedule("Australia/Lord_Howe", &[(6, 1, 3)]);
        // Back: 01:00 +11 = 14:00 UTC Sat; 03:00 +10:30 = 16:30 UTC: 2.5 hours.
        assert_eq!(only_shift(&s, utc(2026, 4, 4, 12, 0)), (utc(2026, 4, 4, 14, 0), utc(2026, 4, 4, 16, 30)));
        // Forward: 01:00 +10:30 = 14:30 UTC Sat; 03:00 +11 = 16:00 UTC: 1.5 hours.
        assert_eq!(only_shift(&s, utc(2026, 10, 3, 12, 0)), (utc(2026, 10, 3, 14, 30), utc(2026, 10, 3, 16, 0)));
        // A start inside the 30-minute gap (02:00–02:30) is the jump, 15:30 UTC.
        let gap = schedule("Australia/Lord_Howe", &[(6, 2, 4)]);
        assert_eq!(only_shift(&gap, utc(2026, 10, 3, 12, 0)).0, utc(2026, 10, 3, 15, 30));
    }

    #[test]
    fn monday_midnight_east_of_utc_is_sunday_in_utc() {
        // Mon 00:00–02:00 at UTC+1 is Sun 23:00 – Mon 01:00 UTC: crosses midnight in UTC.
        let s = schedule("Europe/Berlin", &[(0, 0, 2)]);
        assert!(s.on_shift(utc(2026, 1, 4, 23, 30)), "Sunday 23:30 UTC is Monday 00:30 in Berlin");
        assert!(s.on_shift(utc(2026, 1, 5, 0, 30)));
        assert!(!s.on_shift(utc(2026, 1, 5, 1, 0)));
        assert!(!s.on_shift(utc(2026, 1, 4, 22, 59)));
    }

    #[test]
    fn late_range_west_of_utc_crosses_midnight_into_the_next_utc_day() {
        // Fri 20:00–24:00 in New York (EST) is Sat 01:00–05:00 UTC.
        let s = schedule("America/New_York", &[(4, 20, 24)]);
        assert!(s.on_shift(utc(2026, 1, 10, 4, 59)));
        assert!(!s.on_shift(utc(2026, 1, 10, 5, 0)));
        assert!(s.on_shift(utc(2026, 1, 10, 1, 0)));
        assert!(!s.on_shift(utc(2026, 1, 10, 0, 59)));
    }

    #[test]
    fn adjacent_days_make_one_night_shift() {
        // Sat 22–24 and Sun 0–6 in Berlin: on shift all night.
        let s = schedule("Europe/Berlin", &[(5, 22, 24), (6, 0, 6)]);
        for h in [21, 22, 23] {
            assert!(s.on_shift(utc(2026, 1, 10, h, 30)), "Sat {h}:30 UTC");
        }
        for h in 0..5 {
            assert!(s.on_shift(utc(2026, 1, 11, h, 30)), "Sun {h}:30 UTC");
        }
        assert!(!s.on_shift(utc(2026, 1, 11, 5, 0)));
    }
}
