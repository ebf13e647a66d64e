//! Room on disk before big writes: a backup, a restore's copies or an
//! archive's import is refused up front, with how much it needs, rather than
//! failing half-way on a full disk.

use std::path::Path;

use crate::error::{Error, ErrorCode, Result};

/// Kept free beyond what a write needs: the store and the rest of the system
/// go on working after it.
const MARGIN: u64 = 64 << 20;

/// Refuses `what` unless the file system holding `dir` has `needed` bytes
/// free, and the margin.
pub fn ensure_room(dir: &Path, needed: u64, what: &str) -> Result<()> {
    let free = fs4::available_space(dir).map_err(|e| Error::file_system(format!("cannot read free space of {}: {e}", dir.display())))?;
    if free < needed.saturating_add(MARGIN) {
        return Err(disk_full(format!(
            "There is not enough free disk space for {what}: it needs {} MiB and {} MiB are free on {}.",
            (needed.saturating_add(MARGIN)) >> 20,
            free >> 20,
            dir.display()
        )));
    }
    Ok(())
}

pub fn disk_full(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::DiskFull, message)
}

/// The bytes of a database with its WAL.
pub fn database_bytes(path: &Path) -> u64 {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    [path, Path::new(&wal)].iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum()
}
