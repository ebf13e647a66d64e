//! Recovery: the store failed its start-up check (or is not SQLite at all), so
//! the app cannot open it and nobody can sign in. The recovery screen offers
//! a backup instead. The damaged file is never deleted before a copy of it
//! (with its WAL) is kept in the backup folder as `damaged-…`, and it goes
//! back if the backup does not open. A crash at any step leaves either the
//! damaged store as it was or the backup in place (`store::swap` finishes a
//! recovery cut after the damaged file was removed).
//!
//! The store may also fail its check after the app opened it (the check runs
//! beside the window, `store::startup_check`): then the open store lets go
//! of its files for the same steps and opens the backup in their place.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::folder::{self, describe, DAMAGED_PREFIX};
use super::BackupFile;
use crate::auth::end_every_session;
use crate::error::{Error, Result};
use crate::faults;
use crate::store::copy::copy_database;
use crate::store::{database_files, move_database, open_checked, remove_database, sibling, swap, DATABASE_FILE};

impl crate::Desk {
    /// Replaces this Desk's store, which failed its start-up check while
    /// open, with the backup at `backup`. Refused for a store that did not
    /// fail: whoever sits at the computer may recover a damaged store
    /// without signing in, but a restore of a sound one is an
    /// administrator's (`restore_store`).
    pub fn recover_damaged_store(&self, backup: &Path) -> Result<BackupFile> {
        let now = self.clock.now();
        let kept = self.db.sqlite()?.replace_damaged(|| put_in_place(self.data_dir(), backup, now))?;
        self.reload_install_id()?;
        Ok(kept)
    }
}

/// Replaces the damaged store of `data_dir` with the backup at `backup`.
/// Returns where the damaged store was kept.
pub fn recover(data_dir: &Path, backup: &Path, now: DateTime<Utc>) -> Result<BackupFile> {
    put_in_place(data_dir, backup, now).map(|(kept, _)| kept)
}

/// [`recover`], handing back the connection the backup was opened and
/// checked with, so an open store can keep it instead of checking every
/// page of the backup a second time.
fn put_in_place(data_dir: &Path, backup: &Path, now: DateTime<Utc>) -> Result<(BackupFile, Connection)> {
    folder::summary(backup)?;
    let store = data_dir.join(DATABASE_FILE);
    let staged = sibling(&store, "restoring");
    if let Err(e) = copy_database(backup, &staged) {
        let _ = std::fs::remove_file(&staged);
        return Err(e);
    }
    faults::point("recover.staged");
    let dir = folder::create_folder(data_dir)?;
    let kept = folder::free_path(&dir, &folder::stamped_name(DAMAGED_PREFIX, now));
    keep_copy(&store, &kept)?;
    faults::point("recover.kept");
    remove_database(&store);
    faults::point("recover.removed");
    let opened = swap::rename(&staged, &store).and_then(|()| {
        faults::point("recover.moved_in");
        open_checked(&store)
    });
    match opened {
        Ok(mut conn) => {
            let tx = crate::store::sql::Tx::sqlite(conn.transaction()?);
            end_every_session(&tx, now.timestamp_millis())?;
            tx.commit()?;
            let written = describe(&kept)?;
            tracing::info!(from = %backup.display(), damaged_kept_as = %kept.display(), "damaged store replaced by a backup");
            folder::prune(&dir, now.timestamp_millis());
            Ok((written, conn))
        }
        Err(e) => {
            remove_database(&store);
            let _ = std::fs::remove_file(&staged);
            move_database(&kept, &store)?;
            Err(e)
        }
    }
}

/// Copies the damaged database's files byte for byte (SQLite may not read
/// it) to `kept` and its `-wal`; the main file gets its name last, once
/// complete and synced.
fn keep_copy(store: &Path, kept: &Path) -> Result<()> {
    let [main, wal, _] = database_files(store);
    let [kept_main, kept_wal, _] = database_files(kept);
    let failed = |e: std::io::Error| Error::file_system(format!("cannot keep a copy of {}: {e}", store.display()));
    crate::store::disk_space::ensure_room(
        kept.parent().unwrap_or(Path::new(".")),
        [&main, &wal].iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum(),
        "a copy of the damaged database",
    )?;
    let partial = sibling(kept, "partial");
    if wal.exists() {
        copy_synced(&wal, &kept_wal).map_err(failed)?;
    }
    if main.exists() {
        copy_synced(&main, &partial).map_err(failed)?;
        swap::rename(&partial, &kept_main)?;
    }
    Ok(())
}

fn copy_synced(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut source = std::fs::File::open(from)?;
    let mut target = crate::store::private::create_private(to)?;
    std::io::copy(&mut source, &mut target)?;
    target.sync_all()
}
