//! The command line's authority. The operating-system user who owns the data
//! folder can already read and replace every byte of the store, so the core
//! lets them recover it without signing in: reset a password, make someone
//! platform administrator again, restore a backup, import. Grafana's
//! `reset-admin-password` and Kanidm's `recover-account` rest on the same
//! ground. Every change made this way is audited as the local administrator.
//! Root is sent to the owner's account instead: files root made in the folder
//! (the database's write-ahead log, a backup) would lock its owner's app out.

use std::path::Path;

use crate::error::{Error, ErrorCode, Result};

/// Proof that the process runs as the owner of a data folder; only
/// [`LocalAdministrator::of_folder`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalAdministrator {
    os_user: String,
}

impl LocalAdministrator {
    /// The local administrator of `dir`, if this process runs as its owner;
    /// anyone else is refused, even one the folder's mode lets in.
    pub fn of_folder(dir: &Path) -> Result<Self> {
        let meta = std::fs::metadata(dir)
            .map_err(|e| Error::file_system(format!("cannot read the data folder {}: {e}", dir.display())))?;
        let me = effective_uid();
        let owner = owner_uid(&meta);
        if owner != me {
            let message = if me == 0 {
                format!(
                    "The data folder {} belongs to another user: run this as its owner (sudo -u '#{owner}' …), so that every \
                     file it writes there stays theirs.",
                    dir.display()
                )
            } else {
                format!("Only the owner of the data folder {} may do this; run it as that user.", dir.display())
            };
            return Err(Error::new(ErrorCode::NotAllowed, message));
        }
        Ok(Self { os_user: os_user_name(me) })
    }

    /// The operating-system account, as the audit log names it.
    pub fn os_user(&self) -> &str {
        &self.os_user
    }
}

#[cfg(unix)]
fn effective_uid() -> u32 {
    // SAFETY: geteuid cannot fail and touches no memory of ours.
    unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn effective_uid() -> u32 {
    0
}

#[cfg(unix)]
fn owner_uid(meta: &std::fs::Metadata) -> u32 {
    std::os::unix::fs::MetadataExt::uid(meta)
}

#[cfg(not(unix))]
fn owner_uid(_: &std::fs::Metadata) -> u32 {
    0
}

/// The login name the session gives, with the uid, which cannot be faked.
fn os_user_name(uid: u32) -> String {
    match std::env::var("USER").or_else(|_| std::env::var("LOGNAME")) {
        Ok(name) if !name.trim().is_empty() => format!("{} (uid {uid})", name.trim()),
        _ => format!("uid {uid}"),
    }
}
