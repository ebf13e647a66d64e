//! Recovery: the store failed its start-up check (or is not SQLite at all), so
//! the app cannot open it and nobody can sign in. The recovery screen offers
//! a backup instead. The damaged file is never deleted or written to: it is
//! moved to the backup folder as `damaged-…`, and moved back if the backup
//! does not open.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::folder::{self, describe, DAMAGED_PREFIX};
use super::BackupFile;
use crate::auth::end_every_session;
use crate::error::Result;
use crate::store::copy::copy_database;
use crate::store::{move_database, open_checked, sibling, DATABASE_FILE};

/// Replaces the damaged store of `data_dir` with the backup at `backup`.
/// Returns where the damaged store was kept.
pub fn recover(data_dir: &Path, backup: &Path, now: DateTime<Utc>) -> Result<BackupFile> {
    folder::summary(backup)?;
    let store = data_dir.join(DATABASE_FILE);
    let staged = sibling(&store, "restoring");
    if let Err(e) = copy_database(backup, &staged) {
        let _ = std::fs::remove_file(&staged);
        return Err(e);
    }
    let dir = folder::create_folder(data_dir)?;
    let kept = folder::free_path(&dir, &folder::stamped_name(DAMAGED_PREFIX, now));
    move_database(&store, &kept)?;
    let opened = std::fs::rename(&staged, &store)
        .map_err(|e| crate::Error::file_system(format!("cannot move the backup in place: {e}")))
        .and_then(|()| open_checked(&store));
    match opened {
        Ok(mut conn) => {
            let tx = conn.transaction()?;
            end_every_session(&tx, now.timestamp_millis())?;
            tx.commit()?;
            let written = describe(&kept)?;
            tracing::info!(from = %backup.display(), damaged_kept_as = %kept.display(), "damaged store replaced by a backup");
            folder::prune(&dir, now.timestamp_millis());
            Ok(written)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&store);
            let _ = std::fs::remove_file(&staged);
            move_database(&kept, &store)?;
            Err(e)
        }
    }
}
