//! One app per data folder: whoever opens a store for good (the window, the
//! command line) holds an exclusive lock on `tenant-desk.lock` in its folder
//! for as long as it runs. A second process is told plainly that the folder
//! is in use (and by which process) instead of becoming a second writer.
//! The operating system releases the lock when the holder exits, however it
//! exits, so a crash never leaves the folder locked.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::private;
use crate::error::{Error, ErrorCode, Result};

pub const LOCK_FILE: &str = "tenant-desk.lock";

/// Held while the process uses the folder; dropping it lets go.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
    path: PathBuf,
}

impl FolderLock {
    /// Takes the lock of `dir` (creating the folder if needed), or answers
    /// `FolderInUse` at once when another process holds it.
    pub fn acquire(dir: &Path) -> Result<Self> {
        private::private_dir(dir).map_err(|e| Error::file_system(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join(LOCK_FILE);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path).map_err(|e| Error::file_system(format!("cannot open {}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                return Err(in_use(dir, holder.trim()));
            }
            Err(TryLockError::Error(e)) => {
                return Err(Error::file_system(format!("cannot lock {}: {e}", path.display())));
            }
        }
        // Who holds it, for the message a second process shows.
        let noted = file.set_len(0).and_then(|()| file.rewind()).and_then(|()| write!(file, "{}", std::process::id()));
        if let Err(e) = noted {
            return Err(Error::file_system(format!("cannot write {}: {e}", path.display())));
        }
        Ok(Self { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn in_use(dir: &Path, holder: &str) -> Error {
    let by = match holder.parse::<u32>() {
        Ok(pid) => format!(" (process {pid})"),
        Err(_) => String::new(),
    };
    Error::new(
        ErrorCode::FolderInUse,
        format!(
            "Tenant Desk is already open with the data folder {}{by}. Only one app at a time can use a data folder: close the other one first.",
            dir.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let first = FolderLock::acquire(dir.path()).unwrap_or_else(|e| panic!("{e:?}"));
        let second = FolderLock::acquire(dir.path()).expect_err("a second lock was granted");
        assert_eq!(second.code, ErrorCode::FolderInUse);
        assert!(second.message.contains(&dir.path().display().to_string()), "{}", second.message);
        assert!(second.message.contains(&format!("process {}", std::process::id())), "{}", second.message);
        drop(first);
        FolderLock::acquire(dir.path()).unwrap_or_else(|e| panic!("{e:?}"));
    }
}
