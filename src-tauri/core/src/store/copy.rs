//! Copying a live database to a file with SQLite's online backup API: a
//! consistent copy of one moment while other connections go on writing
//! (never a copy of the file's bytes, which can catch a half-written page or
//! miss what is still in the WAL).

use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::integrity::{self, Depth};
use crate::error::{Error, Result};

/// Copies the database at `source` to `dest`, checks the copy with
/// `integrity_check`, and only then gives it its name: a failed copy leaves
/// no file at `dest`. The copy is in rollback-journal mode, a single file.
pub fn copy_database(source: &Path, dest: &Path) -> Result<()> {
    let folder = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    super::disk_space::ensure_room(folder, super::disk_space::database_bytes(source), "a copy of the database")?;
    let partial = partial_name(dest);
    let outcome = copy_to(source, &partial).and_then(|()| {
        std::fs::rename(&partial, dest).map_err(|e| Error::file_system(format!("cannot name the copy {}: {e}", dest.display())))
    });
    if outcome.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    outcome
}

fn copy_to(source: &Path, partial: &Path) -> Result<()> {
    let _ = std::fs::remove_file(partial);
    // Its own connection: the app's goes on serving the window meanwhile, and
    // WAL lets writers continue while this one reads.
    let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    super::harden(&src)?;
    src.busy_timeout(std::time::Duration::from_secs(10))?;
    // 0600 before the first page lands: SQLite opens the empty file as a new database.
    super::private::create_private(partial).map_err(|e| Error::file_system(format!("cannot create {}: {e}", partial.display())))?;
    let mut dst = Connection::open(partial)?;
    super::harden(&dst)?;
    {
        let backup = Backup::new(&src, &mut dst)?;
        // All pages in one step, inside one read transaction: a consistent
        // snapshot that writes on other connections cannot restart.
        match backup.step(-1)? {
            StepResult::Done => {}
            other => return Err(Error::storage(format!("backup did not finish: {other:?}"))),
        }
    }
    dst.pragma_update(None, "journal_mode", "DELETE")?;
    super::register_text_functions(&dst)?;
    integrity::check(&dst, Depth::Full).map_err(|p| Error::storage(format!("the copy failed its check: {}", p.0)))?;
    dst.close().map_err(|(_, e)| Error::storage(e))?;
    Ok(())
}

/// Where a copy is written before it is complete: beside its final name.
fn partial_name(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    dest.with_file_name(name)
}
