//! What the store writes is its owner's alone: the data folder and the
//! folders in it are 0700, the database (its WAL and shared-memory files take
//! the database's mode), backups, archives and exports 0600. Other local
//! users read none of it.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};

/// Creates `dir` (and its parents) if needed and makes it 0700.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    Ok(())
}

/// Creates (or empties) the file at `path`, 0600 from its first byte.
pub fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    let file = options.open(path)?;
    // A file that existed before keeps its mode through open(): set it.
    make_private(path)?;
    Ok(file)
}

/// Makes an existing file 0600; a missing one is left missing.
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        other => other?,
    }
    Ok(())
}
