//! Back up now: the whole store to a file, while the app goes on working.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::folder::{self, describe};
use super::BackupFile;
use crate::authz::{Actor, LocalAdministrator, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::audit;
use crate::store::copy::copy_database;
use crate::Desk;

impl Desk {
    /// The app's backup folder (`backups/` beside the store), where the save
    /// and open dialogs start.
    pub fn backup_folder(&self, actor: &Actor) -> Result<PathBuf> {
        self.check(actor, Operation::BackUpStore)?;
        folder::create_folder(self.data_dir())
    }

    /// The backup of the app's backup folder named `name` (as listed).
    pub fn backup_in_folder(&self, actor: &Actor, name: &str) -> Result<PathBuf> {
        self.check(actor, Operation::BackUpStore)?;
        folder::in_folder(self.data_dir(), name)
    }

    /// The backups in the app's backup folder, newest first.
    pub fn list_backups(&self, actor: &Actor) -> Result<Vec<BackupFile>> {
        self.check(actor, Operation::BackUpStore)?;
        folder::list(self.data_dir())
    }

    /// Writes a backup of the whole store to `dest` (replacing a file a person
    /// chose to overwrite in the save dialog). The copy is written beside
    /// `dest` first and checked, so a failed backup leaves `dest` as it was.
    pub fn back_up_store(&self, actor: &Actor, dest: &Path) -> Result<BackupFile> {
        self.check(actor, Operation::BackUpStore)?;
        if dest == self.db.sqlite()?.path() {
            return Err(Error::new(ErrorCode::Validation, "Choose another file: this is the store itself."));
        }
        let backup = self.write_backup(dest)?;
        let at = self.now_millis();
        self.db.write(|tx| {
            audit::record(
                tx,
                audit::Entry::install_change(Some(actor.account_id), at, "store.backup", None, Some(json!({ "file": backup.name }))),
            )
        })?;
        Ok(backup)
    }

    /// The command line's backup, to `dest` or into the backup folder as a
    /// backup made by a person. It only reads the store, so it runs beside
    /// the app as well; like the daily backup it writes no audit entry (only
    /// the process holding the folder writes to the store).
    pub fn back_up_locally(&self, _local: &LocalAdministrator, dest: Option<&Path>) -> Result<BackupFile> {
        let in_folder;
        let dest = match dest {
            Some(dest) => dest,
            None => {
                let dir = folder::create_folder(self.data_dir())?;
                let name = format!("tenant-desk-backup-{}.{}", self.clock.now().format("%Y-%m-%d-%H%M%S"), super::BACKUP_EXTENSION);
                in_folder = folder::free_path(&dir, &name);
                &in_folder
            }
        };
        if dest == self.db.sqlite()?.path() {
            return Err(Error::new(ErrorCode::Validation, "Choose another file: this is the store itself."));
        }
        self.write_backup(dest)
    }

    /// Writes a backup to `dest`; one in the app's backup folder prunes the
    /// folder after it (`folder::prune`).
    pub(crate) fn write_backup(&self, dest: &Path) -> Result<BackupFile> {
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::file_system(format!("cannot create {}: {e}", parent.display())))?;
        }
        // A store still being checked is not copied yet, a damaged one never.
        self.db.sqlite()?.startup_check()?;
        copy_database(self.db.sqlite()?.path(), dest)?;
        // Written "now" by the store's clock, which the folder's rules go by.
        let stamped = std::fs::File::options()
            .write(true)
            .open(dest)
            .and_then(|f| f.set_modified(std::time::SystemTime::from(self.clock.now())));
        if let Err(e) = stamped {
            tracing::warn!(file = %dest.display(), error = %e, "backup not dated");
        }
        let written = describe(dest)?;
        tracing::info!(file = %dest.display(), bytes = written.size_bytes, "backup written");
        let app_folder = folder::folder_of(self.data_dir());
        if dest.parent() == Some(app_folder.as_path()) {
            folder::prune(&app_folder, self.now_millis());
        }
        Ok(written)
    }

    pub(crate) fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}
