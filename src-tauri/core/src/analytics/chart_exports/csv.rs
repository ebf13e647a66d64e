//! The export file: every chart's values, one row each, in long form so a
//! spreadsheet can filter by chart:
//!
//! | chart | date | series | measure | value |
//! |---|---|---|---|---|
//! | conversations | 2026-11-02 | web | count | 12 |
//! | billable_sessions | 2026-11-02 | | count | 14 |
//! | first_response | 2026-11-02 | | median_seconds | 310 |
//! | resolution | 2026-11-02 | | p90_seconds | 86400 |
//! | status | 2026-11-02 | open | count | 3 |
//! | operator_load | | Priya Raman | resolved | 40 |
//!
//! A day with nothing measured has an empty `value` for median and p90.
//! Names that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`) are written with a leading `'` (OWASP, CSV injection).

use crate::analytics::{Analytics, Durations};

/// A channel or person's name as a cell a spreadsheet shows as text.
fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

pub const HEADER: [&str; 5] = ["chart", "date", "series", "measure", "value"];

fn push_durations(out: &mut Vec<[String; 5]>, chart: &str, day: &str, d: &Durations) {
    let value = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    out.push([chart.into(), day.into(), String::new(), "count".into(), d.count.to_string()]);
    out.push([chart.into(), day.into(), String::new(), "median_seconds".into(), value(d.median_seconds)]);
    out.push([chart.into(), day.into(), String::new(), "p90_seconds".into(), value(d.p90_seconds)]);
}

/// The rows of the file (without the header), in chart order.
pub fn rows(analytics: &Analytics) -> Vec<[String; 5]> {
    let mut out = Vec::new();
    let count = |chart: &str, day: &str, series: &str, value: i64| {
        [chart.to_owned(), day.to_owned(), text_cell(series), "count".to_owned(), value.to_string()]
    };
    for series in &analytics.conversations_by_channel {
        for (day, value) in analytics.days.iter().zip(&series.counts) {
            out.push(count("conversations", day, &series.channel, *value));
        }
    }
    for (day, value) in analytics.days.iter().zip(&analytics.billable_sessions) {
        out.push(count("billable_sessions", day, "", *value));
    }
    for (day, d) in analytics.days.iter().zip(&analytics.first_response) {
        push_durations(&mut out, "first_response", day, d);
    }
    for (day, d) in analytics.days.iter().zip(&analytics.resolution) {
        push_durations(&mut out, "resolution", day, d);
    }
    for (i, day) in analytics.days.iter().enumerate() {
        out.push(count("status", day, "open", analytics.open.get(i).copied().unwrap_or_default()));
        out.push(count("status", day, "resolved", analytics.resolved.get(i).copied().unwrap_or_default()));
    }
    for load in analytics.operator_load.iter().flatten() {
        for (measure, value) in [("conversations", load.conversations), ("open", load.open), ("resolved", load.resolved)] {
            out.push(["operator_load".into(), String::new(), text_cell(&load.name), measure.into(), value.to_string()]);
        }
    }
    out
}

/// Writes the file at `path`.
pub(super) fn write(path: &std::path::Path, analytics: &Analytics) -> std::io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(crate::store::private::create_private(path)?);
    writer.write_record(HEADER)?;
    for row in rows(analytics) {
        writer.write_record(&row)?;
    }
    writer.flush()
}
