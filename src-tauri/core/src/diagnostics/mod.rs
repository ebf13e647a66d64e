//! Diagnostics for support: what this install is and where its files are
//! (anyone signed in), and the log's last lines (platform administrators:
//! the log records every tenant of the install).
//!
//! - `log_files`: where the app's log lives and how its files are named.
//! - `report`: the plain text "Copy diagnostics" puts on the clipboard.
//! - `system`: the operating system, in words.

pub mod log_files;
mod report;
mod system;

use std::path::PathBuf;

use serde::Serialize;
use specta::Type;

use crate::authz::{permit, Actor, Operation};
use crate::error::Result;
use crate::store::schema_version;
use crate::Desk;

/// Lines of the log "Copy diagnostics" adds.
pub const REPORT_LOG_LINES: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Diagnostics {
    pub app_version: String,
    pub operating_system: String,
    pub data_folder: String,
    pub database_file: String,
    /// The database file's size; its write-ahead log is not counted.
    pub database_bytes: i64,
    pub schema_version: i64,
    pub log_folder: String,
    /// The file written now; `None` before the log's first line.
    pub log_file: Option<String>,
    /// Daily log files kept.
    pub log_files_kept: u32,
    /// Lines of the log Copy diagnostics adds.
    pub report_log_lines: u32,
    /// Whether Copy diagnostics adds the log's last lines and the log folder
    /// can be opened: platform administrators only.
    pub log_included: bool,
}

impl Desk {
    /// The facts of this install; `app_version` is the shell's own.
    pub fn diagnostics(&self, actor: &Actor, app_version: &str) -> Result<Diagnostics> {
        let (schema_version, log_included) = self.db.read(|tx| {
            permit(tx, actor, Operation::ViewDiagnostics)?;
            Ok((schema_version(tx)?, permit(tx, actor, Operation::ReadAppLog).is_ok()))
        })?;
        let log_folder = log_files::folder(self.data_dir());
        let database_bytes = match self.db.sqlite() {
            Ok(store) => std::fs::metadata(store.path()).map(|m| m.len()).unwrap_or_default(),
            Err(_) => {
                let bytes: i64 = self.db.read(|tx| Ok(tx.query_row("SELECT pg_database_size(current_database())", [], |r| r.get(0))?))?;
                u64::try_from(bytes).unwrap_or_default()
            }
        };
        Ok(Diagnostics {
            app_version: app_version.to_owned(),
            operating_system: system::operating_system(),
            data_folder: self.data_dir().display().to_string(),
            database_file: self.db.describe(),
            database_bytes: i64::try_from(database_bytes).unwrap_or(i64::MAX),
            schema_version,
            log_file: log_files::files(&log_folder).first().map(|f| f.display().to_string()),
            log_folder: log_folder.display().to_string(),
            log_files_kept: u32::try_from(log_files::KEPT).unwrap_or(u32::MAX),
            report_log_lines: u32::try_from(REPORT_LOG_LINES).unwrap_or(u32::MAX),
            log_included,
        })
    }

    /// What "Copy diagnostics" copies: the facts, then the log's last
    /// [`REPORT_LOG_LINES`] lines when the actor may read the log.
    pub fn diagnostics_report(&self, actor: &Actor, app_version: &str) -> Result<String> {
        let facts = self.diagnostics(actor, app_version)?;
        let lines = if facts.log_included {
            Some(log_files::last_lines(&log_files::folder(self.data_dir()), REPORT_LOG_LINES))
        } else {
            None
        };
        Ok(report::text(&facts, lines.as_deref(), self.clock.now()))
    }

    /// The log's folder, for the file manager.
    pub fn log_folder(&self, actor: &Actor) -> Result<PathBuf> {
        self.check(actor, Operation::ReadAppLog)?;
        Ok(log_files::folder(self.data_dir()))
    }
}
