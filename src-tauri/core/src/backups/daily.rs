//! One automatic backup a day, at start: a store that later fails its check
//! can be brought back to at most a day before. The last seven are kept.

use chrono::{Duration, NaiveDateTime};

use super::folder::{self, DAILY_PREFIX};
use super::BackupFile;
use crate::error::Result;
use crate::Desk;

const KEPT: usize = 7;

impl Desk {
    /// Writes today's backup unless one was written in the last 24 hours,
    /// then removes daily backups beyond the last seven. The app calls it at
    /// start, off the window's thread; it is the app's own upkeep, for no one.
    pub fn daily_backup_if_due(&self) -> Result<Option<BackupFile>> {
        // Before setup there is nothing worth a backup.
        let accounts: i64 = self.db.read(|tx| Ok(tx.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?))?;
        if accounts == 0 {
            return Ok(None);
        }
        let now = self.clock.now();
        let dir = folder::create_folder(self.data_dir())?;
        let mut dailies = daily_names(&dir);
        let latest = dailies.last().and_then(|name| stamp_of(name));
        let written = match latest {
            Some(at) if now.naive_utc() - at < Duration::hours(24) => None,
            _ => {
                let path = folder::free_path(&dir, &folder::stamped_name(DAILY_PREFIX, now));
                let file = self.write_backup(&path)?;
                dailies.push(file.name.clone());
                Some(file)
            }
        };
        dailies.sort();
        let excess = dailies.len().saturating_sub(KEPT);
        for old in &dailies[..excess] {
            let _ = std::fs::remove_file(dir.join(old));
        }
        Ok(written)
    }
}

fn daily_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.starts_with(DAILY_PREFIX) && n.ends_with(&format!(".{}", folder::BACKUP_EXTENSION)))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The time in a daily backup's name (`daily-20261126-150000.sqlite3`).
fn stamp_of(name: &str) -> Option<NaiveDateTime> {
    let stamp = name.strip_prefix(DAILY_PREFIX)?.get(..15)?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()
}
