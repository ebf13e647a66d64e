//! What a schedule means in the coming week, shown beside the editor: the
//! ranges as entered, in UTC, in the tenant's zone, and in the zone of the
//! desktop looking at it. People get this wrong (Mon 00:00 at UTC+1 is Sun
//! 23:00 UTC; Berlin and New York are five hours apart, not six, for the
//! weeks between their clock changes), so the editor shows the real week.

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{occurrences, Schedule};

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct PreviewInput {
    pub schedule: Schedule,
    pub tenant_zone: String,
    /// The zone of the desktop the editor runs on.
    pub viewer_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct PreviewRow {
    /// As entered, e.g. "Mon 30 Nov 09:00–17:00".
    pub entered: String,
    pub utc: String,
    pub tenant: String,
    /// In the viewer's own zone.
    pub viewer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct WeekPreview {
    /// "Mon 30 Nov – Sun 6 Dec 2026" in the entry zone.
    pub week: String,
    pub rows: Vec<PreviewRow>,
}

/// The week from the next Monday (in the schedule's zone) after `now`.
/// Ranges that are not valid yet are left out; the editor shows their errors.
pub fn preview(schedule: &Schedule, tenant_zone: &str, viewer_zone: &str, now: DateTime<Utc>) -> WeekPreview {
    let zone: Tz = schedule.zone.parse().unwrap_or(Tz::UTC);
    let tenant: Tz = tenant_zone.parse().unwrap_or(Tz::UTC);
    let viewer: Tz = viewer_zone.parse().unwrap_or(Tz::UTC);
    let today = now.with_timezone(&zone).date_naive();
    let monday = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    let sunday = monday + Duration::days(6);
    let midnight = |d: chrono::NaiveDate| {
        zone.from_local_datetime(&d.and_time(NaiveTime::MIN)).earliest().map(|t| t.with_timezone(&Utc))
    };
    let (Some(from), Some(to)) = (midnight(monday), midnight(sunday + Duration::days(1))) else {
        return WeekPreview { week: String::new(), rows: Vec::new() };
    };
    let valid = Schedule {
        zone: schedule.zone.clone(),
        ranges: schedule.ranges.iter().copied().filter(|r| r.weekday <= 6 && r.start_hour < r.end_hour && r.end_hour <= 24).collect(),
    };
    let rows = occurrences(&valid, from, to)
        .into_iter()
        .filter(|s| s.date >= monday && s.date <= sunday)
        .map(|s| PreviewRow {
            entered: span(s.start, s.end, &zone),
            utc: span(s.start, s.end, &Utc),
            tenant: span(s.start, s.end, &tenant),
            viewer: span(s.start, s.end, &viewer),
        })
        .collect();
    WeekPreview {
        week: format!("{} – {}", monday.format("%a %-d %b"), sunday.format("%a %-d %b %Y")),
        rows,
    }
}

/// "Mon 30 Nov 09:00–17:00", "Mon 30 Nov 20:00–24:00", or across days
/// "Sun 29 Nov 23:00 – Mon 30 Nov 07:00".
fn span<Z: TimeZone>(start: DateTime<Utc>, end: DateTime<Utc>, zone: &Z) -> String
where
    Z::Offset: std::fmt::Display,
{
    let s = start.with_timezone(zone);
    let e = end.with_timezone(zone);
    let day = |t: &DateTime<Z>| t.format("%a %-d %b").to_string();
    let hm = |t: &DateTime<Z>| t.format("%H:%M").to_string();
    if s.date_naive() == e.date_naive() {
        format!("{} {}–{}", day(&s), hm(&s), hm(&e))
    } else if e.time() == NaiveTime::MIN && s.date_naive() + Duration::days(1) == e.date_naive() {
        format!("{} {}–24:00", day(&s), hm(&s))
    } else {
        format!("{} {} – {} {}", day(&s), hm(&s), day(&e), hm(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedules::HourRange;

    #[test]
    fn monday_midnight_in_berlin_is_sunday_evening_in_utc() {
        let schedule = Schedule {
            zone: "Europe/Berlin".into(),
            ranges: vec![HourRange { weekday: 0, start_hour: 0, end_hour: 9 }],
        };
        // Thursday 26 Nov 2026: the coming week starts Monday 30 Nov.
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).single().unwrap_or_default();
        let p = preview(&schedule, "Asia/Kolkata", "UTC", now);
        assert_eq!(p.week, "Mon 30 Nov – Sun 6 Dec 2026");
        assert_eq!(
            p.rows,
            vec![PreviewRow {
                entered: "Mon 30 Nov 00:00–09:00".into(),
                utc: "Sun 29 Nov 23:00 – Mon 30 Nov 08:00".into(),
                tenant: "Mon 30 Nov 04:30–13:30".into(),
                viewer: "Sun 29 Nov 23:00 – Mon 30 Nov 08:00".into(),
            }]
        );
    }

    #[test]
    fn end_of_day_reads_as_24_00_and_invalid_ranges_are_left_out() {
        let schedule = Schedule {
            zone: "UTC".into(),
            ranges: vec![
                HourRange { weekday: 4, start_hour: 20, end_hour: 24 },
                HourRange { weekday: 4, start_hour: 9, end_hour: 9 },
            ],
        };
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).single().unwrap_or_default();
        let p = preview(&schedule, "America/New_York", "UTC", now);
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].utc, "Fri 4 Dec 20:00–24:00");
        assert_eq!(p.rows[0].tenant, "Fri 4 Dec 15:00–19:00");
    }

    #[test]
    fn a_viewer_in_new_york_sees_berlin_hours_five_hours_earlier_between_the_clock_changes() {
        let schedule = Schedule { zone: "Europe/Berlin".into(), ranges: vec![HourRange { weekday: 0, start_hour: 9, end_hour: 17 }] };
        // New York has moved its clocks (8 March 2026), Berlin not yet (29 March).
        let between = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
        assert_eq!(preview(&schedule, "Europe/Berlin", "America/New_York", between).rows[0].viewer, "Mon 16 Mar 04:00–12:00");
        let after = Utc.with_ymd_and_hms(2026, 4, 7, 12, 0, 0).unwrap();
        assert_eq!(preview(&schedule, "Europe/Berlin", "America/New_York", after).rows[0].viewer, "Mon 13 Apr 03:00–11:00");
    }
}
