//! Backups of the whole local store (every tenant of the install), to files.
//!
//! - `folder`: the app's backup folder and the backups it holds.
//! - `create`: a backup made while the app runs (SQLite's online backup API).
//! - `restore`: a backup put in place of the store, after a safety copy of the
//!   current one; everyone is signed out.
//! - `recover`: the same for a store that failed its start-up check, before the
//!   app can open it (no one can sign in to a damaged store).
//! - `daily`: one automatic backup a day, kept for a week.
//!
//! Platform administrators only (`Operation::BackUpStore`, `RestoreStore`):
//! the store holds every tenant of the install, not just one's own.

mod create;
mod daily;
mod folder;
mod recover;
mod restore;

use serde::Serialize;
use specta::Type;

pub use folder::{in_folder as backup_in_folder, list as list_backups_in, summary as backup_summary, BACKUP_EXTENSION, FOLDER};
pub use recover::recover;

/// A backup file: one of the app's backup folder, or one a person chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct BackupFile {
    pub path: String,
    pub name: String,
    pub kind: BackupKind,
    /// When the file was last written, UTC RFC 3339.
    pub written_at: String,
    pub size_bytes: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// Made by a person (Back up now).
    Manual,
    /// Made automatically once a day.
    Daily,
    /// The store as it was just before a restore: a restore can be undone.
    BeforeRestore,
    /// A store that failed its start-up check, kept aside when a backup replaced it.
    Damaged,
}

/// What a restore would bring back, for the confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct BackupSummary {
    pub file: BackupFile,
    pub tenants: i64,
    pub users: i64,
    pub conversations: i64,
}

/// The outcome of a restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Restored {
    pub from: BackupFile,
    /// The store as it was before, in the backup folder.
    pub previous_store: BackupFile,
}
