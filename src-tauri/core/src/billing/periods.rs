//! Billing periods and their days, in the tenant's timezone: a period starts
//! at local midnight of the subscription's start date, then of the same date
//! each month (or year; the 31st becomes the month's last day). Days are
//! local days, so a day with a DST change lasts 23 or 25 hours.

use chrono::{Datelike, Months, NaiveDate};
use chrono_tz::Tz;

use super::plans::Period;
use crate::audit::day_start;
use crate::clock::from_millis;

/// `[start, end)` in UTC millis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: i64,
    pub end: i64,
}

pub(crate) fn local_date(zone: Tz, at: i64) -> NaiveDate {
    from_millis(at).with_timezone(&zone).date_naive()
}

fn nth_start(anchor: NaiveDate, period: &Period, n: u32) -> Option<NaiveDate> {
    let months = match period {
        Period::Month => n,
        Period::Year => n.checked_mul(12)?,
    };
    anchor.checked_add_months(Months::new(months))
}

/// The period holding `now`, for a subscription started at `started_at`.
pub fn current(zone: Tz, period: &Period, started_at: i64, now: i64) -> Span {
    let anchor = local_date(zone, started_at);
    let today = local_date(zone, now);
    let months_between = (today.year() - anchor.year()) * 12 + today.month() as i32 - anchor.month() as i32;
    let per = match period {
        Period::Month => 1,
        Period::Year => 12,
    };
    // Start from an estimate one period early, then walk to the period holding today.
    let mut n = u32::try_from((months_between / per - 1).max(0)).unwrap_or(0);
    loop {
        let (Some(start), Some(next)) = (nth_start(anchor, period, n), nth_start(anchor, period, n + 1)) else {
            return Span { start: day_start(zone, anchor), end: i64::MAX };
        };
        if today < next {
            return Span { start: day_start(zone, start), end: day_start(zone, next) };
        }
        n += 1;
    }
}

/// The local days of `span` as (date, span of the day).
pub fn days(zone: Tz, span: Span) -> Vec<(NaiveDate, Span)> {
    let mut out = Vec::new();
    let mut day = local_date(zone, span.start);
    loop {
        let start = day_start(zone, day).max(span.start);
        if start >= span.end {
            break;
        }
        let Some(next) = day.succ_opt() else { break };
        out.push((day, Span { start, end: day_start(zone, next).min(span.end) }));
        day = next;
    }
    out
}
