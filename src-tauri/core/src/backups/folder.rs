//! The app's backup folder (`backups/` beside the store) and what it holds.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};

use super::{BackupFile, BackupKind, BackupSummary};
use crate::clock::to_wire;
use crate::error::{Error, Result};
use crate::store::integrity;

pub const FOLDER: &str = "backups";
pub const BACKUP_EXTENSION: &str = "sqlite3";

pub(crate) const DAILY_PREFIX: &str = "daily-";
pub(crate) const BEFORE_RESTORE_PREFIX: &str = "before-restore-";
pub(crate) const DAMAGED_PREFIX: &str = "damaged-";

pub(crate) fn folder_of(data_dir: &Path) -> PathBuf {
    data_dir.join(FOLDER)
}

pub(crate) fn create_folder(data_dir: &Path) -> Result<PathBuf> {
    let dir = folder_of(data_dir);
    crate::store::private::private_dir(&dir).map_err(|e| Error::file_system(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}

/// A file name for `prefix` at `now`: `daily-20261126-150000.sqlite3`. Names
/// sort in time order.
pub(crate) fn stamped_name(prefix: &str, now: DateTime<Utc>) -> String {
    format!("{prefix}{}.{BACKUP_EXTENSION}", now.format("%Y%m%d-%H%M%S"))
}

/// A name not yet taken in `dir` (two backups in one second get `-2`, `-3`…).
pub(crate) fn free_path(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    if !path.exists() {
        return path;
    }
    let stem = name.trim_end_matches(&format!(".{BACKUP_EXTENSION}"));
    (2..).map(|n| dir.join(format!("{stem}-{n}.{BACKUP_EXTENSION}"))).find(|p| !p.exists()).unwrap_or(path)
}

fn kind_of(name: &str) -> BackupKind {
    if name.starts_with(DAILY_PREFIX) {
        BackupKind::Daily
    } else if name.starts_with(BEFORE_RESTORE_PREFIX) {
        BackupKind::BeforeRestore
    } else if name.starts_with(DAMAGED_PREFIX) {
        BackupKind::Damaged
    } else {
        BackupKind::Manual
    }
}

/// How many backups of each kind the folder keeps, the most recently
/// written ones: a week of dailies, the last twenty made by people, the last
/// three stores set aside before a restore and the last three damaged ones.
fn kept(kind: BackupKind) -> usize {
    match kind {
        BackupKind::Daily => 7,
        BackupKind::Manual => 20,
        BackupKind::BeforeRestore | BackupKind::Damaged => 3,
    }
}

/// A margin for a clock a little off: written "ahead of now" means beyond it.
const AHEAD_MILLIS: i64 = 5 * 60 * 1000;

/// The backups of `dir` of one kind, most recently written first, each with
/// when it was written; one dated ahead of `now` (a wrong clock, then or
/// now) sorts last, as the oldest.
fn by_recency(dir: &Path, kind: BackupKind, now: i64) -> Vec<(PathBuf, i64)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<(PathBuf, i64)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == BACKUP_EXTENSION))
        .filter(|p| kind_of(&integrity::file_name(p)) == kind)
        .filter_map(|p| {
            let written = std::fs::metadata(&p).and_then(|m| m.modified()).ok()?;
            Some((p, DateTime::<Utc>::from(written).timestamp_millis()))
        })
        .collect();
    files.sort_by_key(|(_, at)| if *at > now + AHEAD_MILLIS { i64::MAX } else { -*at });
    files
}

/// When the newest backup of `kind` in `dir` was written, ignoring any dated ahead of `now`.
pub(crate) fn newest_written(dir: &Path, kind: BackupKind, now: i64) -> Option<i64> {
    by_recency(dir, kind, now).into_iter().map(|(_, at)| at).find(|at| *at <= now + AHEAD_MILLIS)
}

/// Removes the backups of `dir` beyond what each kind keeps (`kept`).
pub(crate) fn prune(dir: &Path, now: i64) {
    for kind in [BackupKind::Daily, BackupKind::Manual, BackupKind::BeforeRestore, BackupKind::Damaged] {
        for (old, _) in by_recency(dir, kind, now).into_iter().skip(kept(kind)) {
            if let Err(e) = std::fs::remove_file(&old) {
                tracing::warn!(file = %old.display(), error = %e, "old backup not removed");
            }
        }
    }
}

/// What the listing says about one file.
pub(crate) fn describe(path: &Path) -> Result<BackupFile> {
    let meta = std::fs::metadata(path).map_err(|e| Error::file_system(format!("cannot read {}: {e}", path.display())))?;
    let written: DateTime<Utc> = meta.modified().map(DateTime::from).unwrap_or_default();
    let name = integrity::file_name(path);
    Ok(BackupFile {
        path: path.display().to_string(),
        kind: kind_of(&name),
        name,
        written_at: to_wire(written.timestamp_millis()),
        size_bytes: i64::try_from(meta.len()).unwrap_or(i64::MAX),
    })
}

/// The backups in the backup folder of `data_dir`, newest first. A store
/// kept aside as damaged is listed too, for the record, but cannot be
/// restored (it fails the check). Readable without opening the store, so the
/// recovery screen can list them.
pub fn list(data_dir: &Path) -> Result<Vec<BackupFile>> {
    let dir = folder_of(data_dir);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() && path.extension().is_some_and(|e| e == BACKUP_EXTENSION) {
            files.push(describe(&path)?);
        }
    }
    files.sort_by(|a, b| b.written_at.cmp(&a.written_at).then_with(|| b.name.cmp(&a.name)));
    Ok(files)
}

/// The backup named `name` in the backup folder of `data_dir`. Only a plain
/// file name of a backup there is accepted: the window names a listed
/// backup, never a path.
pub fn in_folder(data_dir: &Path, name: &str) -> Result<PathBuf> {
    let plain = Path::new(name).file_name().is_some_and(|n| n == name) && !name.starts_with('.');
    let path = folder_of(data_dir).join(name);
    if !plain || !path.is_file() || path.extension().is_none_or(|e| e != BACKUP_EXTENSION) {
        return Err(Error::not_found("backup"));
    }
    Ok(path)
}

/// Checks `path` as a backup (see `integrity::check_backup_file`) and counts
/// what it holds, for the confirmation before a restore.
pub fn summary(path: &Path) -> Result<BackupSummary> {
    integrity::check_backup_file(path)?;
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let count = |table: &str| conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0));
    Ok(BackupSummary {
        file: describe(path)?,
        tenants: count("tenants")?,
        users: count("memberships")?,
        // Stores from before Sessions have no conversations table.
        conversations: count("conversations").unwrap_or(0),
    })
}
