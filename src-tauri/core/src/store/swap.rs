//! Putting another database file in place of the store (a restore), so that
//! a crash at any moment leaves a store that opens with all its data.
//!
//! The steps, each one rename on one file system, synced:
//! 1. the copy to put in place is complete at `<store>.restoring` (copies
//!    are written under `.partial` and renamed when checked);
//! 2. the store's connections close, its WAL checkpointed into the file and
//!    gone, so the store is that one file;
//! 3. the store moves aside to `<store>.previous`;
//! 4. the copy moves in as the store, opens, passes its check, and the
//!    caller's first transaction runs (ending sessions, the audit entry);
//! 5. the previous store is deleted.
//!
//! At start (`resolve_interrupted`): a `.previous` file means the swap did
//! not get through step 5, so it is undone — the previous store goes back
//! and whatever was moved in is dropped; with no `.previous` but no store
//! either and a complete `.restoring`, a recovery of a damaged store was cut
//! between moving the damaged file away (it is kept in the backup folder)
//! and moving the backup in, so the backup moves in; any other `.restoring`
//! or `.partial` copy is dropped.

use std::path::Path;

use rusqlite::Connection;

use super::sql::Tx;
use super::{database_files, open_checked, remove_database, sibling, SqliteStore};
use crate::error::{Error, Result};
use crate::faults;

impl SqliteStore {
    /// Puts the checked copy at `staged` (beside the store) in place of the
    /// store and runs `first` in a transaction on it before the previous
    /// store is let go. Any failure puts the previous store back in use.
    pub(crate) fn swap_in(&self, staged: &Path, first: impl FnOnce(&Tx) -> Result<()>) -> Result<()> {
        self.check.wait()?;
        let _alone = self.swapping.write().unwrap_or_else(|p| p.into_inner());
        self.readers.lock().unwrap_or_else(|p| p.into_inner()).clear();
        let mut conn = self.lock();
        // Everything in the WAL goes into the file, so the file alone is the store.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let current = std::mem::replace(&mut *conn, Connection::open_in_memory()?);
        if let Err((current, e)) = current.close() {
            *conn = current;
            return Err(Error::file_system(format!("cannot close the store: {e}")));
        }
        let [_, wal, shm] = database_files(&self.path);
        if wal.exists() {
            // SQLite removes the WAL when the last connection closes: another is
            // still open (an export or import on a connection of its own).
            *conn = open_checked(&self.path)?;
            return Err(Error::new(
                crate::error::ErrorCode::Conflict,
                "An archive export or import is running: restore once it has finished.",
            ));
        }
        let _ = std::fs::remove_file(&shm);
        faults::point("swap.closed");
        let aside = sibling(&self.path, "previous");
        if let Err(e) = rename(&self.path, &aside) {
            *conn = open_checked(&self.path)?;
            return Err(e);
        }
        faults::point("swap.moved_aside");
        let opened = rename(staged, &self.path).and_then(|()| {
            faults::point("swap.moved_in");
            let mut opened = open_checked(&self.path)?;
            let tx = Tx::sqlite(opened.transaction()?);
            first(&tx)?;
            tx.commit()?;
            Ok(opened)
        });
        match opened {
            Ok(opened) => {
                faults::point("swap.first_written");
                *conn = opened;
                let _ = std::fs::remove_file(&aside);
                sync_folder(&self.path);
                faults::point("swap.done");
                Ok(())
            }
            Err(e) => {
                remove_database(&self.path);
                rename(&aside, &self.path)?;
                *conn = open_checked(&self.path)?;
                Err(e)
            }
        }
    }
}

impl SqliteStore {
    /// Only for a store that failed its start-up check while the app had it
    /// open: its connections close, `put_in_place` replaces its files (a
    /// backup's recovery, which keeps the damaged files) and hands back the
    /// connection it opened them with, checked, which becomes the writer.
    /// Until a sound store is in place, nothing writes (the check still says
    /// it failed).
    pub(crate) fn replace_damaged<T>(&self, put_in_place: impl FnOnce() -> Result<(T, Connection)>) -> Result<T> {
        let _alone = self.swapping.write().unwrap_or_else(|p| p.into_inner());
        let mut conn = self.lock();
        // Asked while holding the store alone: of two recoveries at once,
        // the second finds the backup the first put in place.
        if !self.check.failed() {
            return Err(Error::not_allowed());
        }
        self.readers.lock().unwrap_or_else(|p| p.into_inner()).clear();
        let damaged = std::mem::replace(&mut *conn, Connection::open_in_memory()?);
        if let Err((_, e)) = damaged.close() {
            tracing::warn!(error = %e, "the damaged store's connection did not close cleanly");
        }
        let (outcome, opened) = put_in_place()?;
        *conn = opened;
        self.check.replaced();
        Ok(outcome)
    }
}

/// Finishes or undoes a swap a crash interrupted; see the module's text.
pub(crate) fn resolve_interrupted(store: &Path) -> Result<()> {
    let previous = sibling(store, "previous");
    let staged = sibling(store, "restoring");
    if previous.exists() {
        tracing::warn!(store = %store.display(), "a restore was interrupted: the store as it was before is put back");
        remove_database(store);
        rename(&previous, store)?;
    } else if !store.exists() && staged.exists() {
        tracing::warn!(store = %store.display(), "a recovery was interrupted: the backup it had checked is put in place");
        // What is left of the damaged store is kept whole in the backup folder.
        remove_database(store);
        rename(&staged, store)?;
    }
    for leftover in [staged.clone(), sibling(&staged, "partial")] {
        let _ = std::fs::remove_file(leftover);
    }
    Ok(())
}

/// A rename, then the folder synced, so the new name survives a power cut.
pub(crate) fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .map_err(|e| Error::file_system(format!("cannot move {} to {}: {e}", from.display(), to.display())))?;
    sync_folder(to);
    Ok(())
}

fn sync_folder(file: &Path) {
    if let Some(folder) = file.parent() {
        if let Err(e) = std::fs::File::open(folder).and_then(|f| f.sync_all()) {
            tracing::warn!(folder = %folder.display(), error = %e, "folder not synced");
        }
    }
}
