//! Chart data exports: a background job writes the raw data of every chart
//! over a date range as one CSV file into the data folder's `exports/`.
//!
//! - `jobs`: starting a job (the caller runs it on a worker thread) and
//!   running it within its time limit.
//! - `csv`: the file: one row per chart value (`chart,date,series,measure,value`).
//! - `history`: a person's last 5 exports, a finished file to save.
//! - `expiry`: how long a file stays (a tenant setting), deleting expired
//!   files, timing out stuck jobs, and jobs a quit interrupted.

mod csv;
mod expiry;
mod history;
mod jobs;

use serde::Serialize;
use specta::Type;


/// A finished export stays downloadable this long unless the tenant chose otherwise.
pub const EXPIRY_HOURS_DEFAULT: i64 = 24;
pub const EXPIRY_HOURS_MAX: i64 = 720;
/// A job still running this long after it started is Timed Out.
pub const TIME_LIMIT_MILLIS: i64 = 10 * 60 * 1000;

/// The status column of the export history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportState {
    /// "In Progress": the job is still running.
    InProgress,
    /// "Download": the file is ready until `expires_at`.
    Download,
    /// "Timed Out": the job did not finish within its time limit.
    TimedOut,
    /// The file expired and was deleted.
    Expired,
}

impl ExportState {
    fn key(self) -> &'static str {
        match self {
            ExportState::InProgress => "in_progress",
            ExportState::Download => "done",
            ExportState::TimedOut => "timed_out",
            ExportState::Expired => "expired",
        }
    }

    fn from_key(key: &str) -> Option<Self> {
        [ExportState::InProgress, ExportState::Download, ExportState::TimedOut, ExportState::Expired]
            .into_iter()
            .find(|s| s.key() == key)
    }

    /// What the history says about an export in this state.
    fn message(self) -> &'static str {
        match self {
            ExportState::InProgress => "The export job is still running.",
            ExportState::Download => "The export is complete; click Download to retrieve the file.",
            ExportState::TimedOut => {
                "The export did not complete within the allowed time; try again with a smaller date range."
            }
            ExportState::Expired => "This export expired and its file was deleted.",
        }
    }
}

impl crate::store::sql::FromSql for ExportState {
    fn column_result(value: crate::store::sql::ValueRef<'_>) -> crate::store::sql::FromSqlResult<Self> {
        ExportState::from_key(value.as_str()?).ok_or(crate::store::sql::FromSqlError::InvalidType)
    }
}

/// One row of the export history. Times are RFC 3339 UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ChartExport {
    pub id: i64,
    /// The exported range: first and last day (tenant timezone).
    pub from: String,
    pub to: String,
    pub state: ExportState,
    pub message: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// When a finished file is deleted.
    pub expires_at: Option<String>,
    /// The name the save dialog proposes.
    pub file_name: String,
}

/// A finished export's file: the name to propose and the CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartExportFile {
    pub file_name: String,
    pub contents: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ChartExports {
    /// The person's last 5 exports in this tenant, newest first.
    pub exports: Vec<ChartExport>,
    pub expiry_hours: i64,
    /// Tenant Admins may change `expiry_hours`.
    pub can_set_expiry: bool,
    pub timezone: String,
}
