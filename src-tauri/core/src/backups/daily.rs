//! One automatic backup a day, at start: a store that later fails its check
//! can be brought back to at most a day before. The last seven are kept.

use chrono::Duration;

use super::folder::{self, DAILY_PREFIX};
use super::{BackupFile, BackupKind};
use crate::error::Result;
use crate::Desk;

impl Desk {
    /// Writes today's backup unless one was written in the last 24 hours,
    /// then prunes the backup folder (`folder::prune`). The app calls it at
    /// start, off the window's thread; it is the app's own upkeep, for no one.
    /// The last backup is found by when it was written, not by its name, and
    /// one dated ahead of now (a wrong clock, then or now) does not count as
    /// recent: a wrong clock never stops daily backups.
    pub fn daily_backup_if_due(&self) -> Result<Option<BackupFile>> {
        // Before setup there is nothing worth a backup.
        let accounts: i64 = self.db.read(|tx| Ok(tx.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?))?;
        if accounts == 0 {
            return Ok(None);
        }
        let now = self.clock.now();
        let now_millis = now.timestamp_millis();
        let dir = folder::create_folder(self.data_dir())?;
        let latest = folder::newest_written(&dir, BackupKind::Daily, now_millis);
        let written = match latest {
            Some(at) if now_millis - at < Duration::hours(24).num_milliseconds() => None,
            _ => Some(self.write_backup(&folder::free_path(&dir, &folder::stamped_name(DAILY_PREFIX, now)))?),
        };
        folder::prune(&dir, now_millis);
        Ok(written)
    }
}
