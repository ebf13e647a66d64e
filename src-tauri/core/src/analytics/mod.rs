//! Analytics: charts of a tenant's conversations over a date range, and
//! background jobs that export their raw data as CSV.
//!
//! - `range`: the range picker's presets and custom dates, as local days of
//!   the tenant's timezone.
//! - `scope`: whose work a person sees (Tenant Admins the whole tenant,
//!   Tenant Operators their own conversations).
//! - `rollup`: per-conversation times (first response, resolution) kept up to
//!   date by the sessions writes, so charts never read the messages.
//! - `charts`: the aggregates; `percentile`: median and p90.
//! - `exports`: the export jobs, their CSV, history, expiry and recovery.

mod charts;
mod chart_exports;
mod percentile;
mod range;
mod rollup;
mod scope;

use serde::{Deserialize, Serialize};
use specta::Type;

pub use chart_exports::{ChartExport, ChartExportFile, ChartExports, ExportState, EXPIRY_HOURS_DEFAULT, EXPIRY_HOURS_MAX, TIME_LIMIT_MILLIS};
pub use percentile::nearest_rank;
pub use range::RANGE_DAYS_MAX;
pub(crate) use rollup::{first_times, record_message, record_reopened, record_resolved, FirstTimes};

/// The range picker: a preset, or `from`–`to` (dates like 2026-11-26, both
/// included) for `Custom`. Days are the tenant's local days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RangePreset {
    /// Today and the 6 days before.
    Last7Days,
    /// Today and the 29 days before.
    Last30Days,
    /// From the 1st of this month to today.
    ThisMonth,
    /// The whole previous month.
    LastMonth,
    Custom,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AnalyticsRange {
    pub preset: RangePreset,
    pub from: String,
    pub to: String,
}

impl AnalyticsRange {
    pub fn preset(preset: RangePreset) -> Self {
        Self { preset, from: String::new(), to: String::new() }
    }

    pub fn custom(from: &str, to: &str) -> Self {
        Self { preset: RangePreset::Custom, from: from.into(), to: to.into() }
    }
}

/// Median and 90th percentile (nearest rank) of durations in seconds; `None`
/// when nothing was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct Durations {
    pub count: i64,
    pub median_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
}

/// Conversations started on each day on one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ChannelDays {
    pub channel: String,
    pub counts: Vec<i64>,
}

/// One person's conversations started in the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct OperatorLoad {
    pub account_id: i64,
    pub name: String,
    pub conversations: i64,
    pub open: i64,
    pub resolved: i64,
}

/// The range's totals, shown beside the charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AnalyticsTotals {
    pub conversations: i64,
    pub billable_sessions: i64,
    pub first_response: Durations,
    pub resolution: Durations,
    pub open: i64,
    pub resolved: i64,
}

/// Every chart of the Analytics screen. Each per-day series has one value
/// per entry of `days`. Conversations count on the local day they started;
/// first response and resolution are those of the conversations started
/// that day; billable sessions count on the day their 24-hour window starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Analytics {
    pub from: String,
    pub to: String,
    pub timezone: String,
    /// The whole tenant (Tenant Admins) or only the person's own conversations.
    pub whole_tenant: bool,
    pub days: Vec<String>,
    pub conversations_by_channel: Vec<ChannelDays>,
    pub billable_sessions: Vec<i64>,
    pub first_response: Vec<Durations>,
    pub resolution: Vec<Durations>,
    pub open: Vec<i64>,
    pub resolved: Vec<i64>,
    /// Per operator, for the whole tenant only.
    pub operator_load: Option<Vec<OperatorLoad>>,
    pub totals: AnalyticsTotals,
}
