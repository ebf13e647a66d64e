//! The range picker's dates, as local days of the tenant's timezone. A day
//! with a daylight-saving change lasts 23 or 25 hours.

use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;

use super::{AnalyticsRange, RangePreset};
use crate::audit::{day_start, parse_day};
use crate::billing::{period_days, Span};
use crate::clock::from_millis;
use crate::error::{Error, ErrorCode, FieldErrors, Result};

/// The longest custom range, in days.
pub const RANGE_DAYS_MAX: i64 = 366;

#[derive(Debug, Clone)]
pub(crate) struct Days {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `[start of from, end of to)` in UTC millis.
    pub span: Span,
    /// Each local day with its UTC span, in order.
    pub days: Vec<(NaiveDate, Span)>,
}

impl Days {
    pub fn new(zone: Tz, from: NaiveDate, to: NaiveDate) -> Self {
        let end = to.succ_opt().unwrap_or(to);
        let span = Span { start: day_start(zone, from), end: day_start(zone, end) };
        Self { from, to, span, days: period_days(zone, span) }
    }

    /// The index of the day holding `at`, if it is in the range.
    pub fn index(&self, at: i64) -> Option<usize> {
        if at < self.span.start || at >= self.span.end {
            return None;
        }
        Some(self.days.partition_point(|(_, d)| d.start <= at).saturating_sub(1))
    }

    pub fn labels(&self) -> Vec<String> {
        self.days.iter().map(|(d, _)| date_label(*d)).collect()
    }
}

pub(crate) fn date_label(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The dates the range stands for today (`now`) in `zone`.
pub(crate) fn resolve(range: &AnalyticsRange, zone: Tz, now: i64) -> Result<Days> {
    let today = from_millis(now).with_timezone(&zone).date_naive();
    let first_of_month = today.with_day(1).unwrap_or(today);
    let (from, to) = match range.preset {
        RangePreset::Last7Days => (today - Duration::days(6), today),
        RangePreset::Last30Days => (today - Duration::days(29), today),
        RangePreset::ThisMonth => (first_of_month, today),
        RangePreset::LastMonth => {
            let last = first_of_month.pred_opt().unwrap_or(first_of_month);
            (last.with_day(1).unwrap_or(last), last)
        }
        RangePreset::Custom => custom(range)?,
    };
    Ok(Days::new(zone, from, to))
}

fn custom(range: &AnalyticsRange) -> Result<(NaiveDate, NaiveDate)> {
    let mut errors = FieldErrors::new();
    let mut day = |field: &str, value: &str, missing: &str| {
        if value.trim().is_empty() {
            errors.add(field, missing);
            return None;
        }
        parse_day(field, value, &mut errors)
    };
    let from = day("from", &range.from, "Choose the first day.");
    let to = day("to", &range.to, "Choose the last day.");
    let chosen = match (from, to) {
        (Some(from), Some(to)) if to < from => {
            errors.add("to", "The last day must not be before the first.");
            None
        }
        (Some(from), Some(to)) if (to - from).num_days() + 1 > RANGE_DAYS_MAX => {
            errors.add("to", format!("Choose at most {RANGE_DAYS_MAX} days."));
            None
        }
        (Some(from), Some(to)) => Some((from, to)),
        _ => None,
    };
    errors.into_result()?;
    chosen.ok_or_else(|| Error::new(ErrorCode::Validation, "Choose the first and last day."))
}
