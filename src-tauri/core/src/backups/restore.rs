//! Restore: a backup replaces the whole store.
//!
//! In order: the file is checked completely (a Tenant Desk store at a schema
//! version this build knows, passing `integrity_check`) — a refused file
//! changes nothing; the current store is copied to the backup folder
//! (`before-restore-…`), so the restore can be undone; the backup is copied
//! beside the store and swapped in (`store::swap`: the old file stays aside
//! until the new one has opened and, in its first transaction, every session
//! ended and each tenant's audit log recorded the restore; a crash before
//! that undoes the restore at the next start). Everyone signs in again.

use std::path::Path;

use serde_json::json;

use super::folder::{self, describe, BEFORE_RESTORE_PREFIX};
use super::{BackupSummary, Restored};
use crate::auth::{end_every_session, forget_remembered_sign_in};
use crate::authz::{Actor, LocalAdministrator, Operation};
use crate::error::Result;
use crate::faults;
use crate::audit::{record, Entry, Via};
use crate::store::copy::copy_database;
use crate::store::sibling;
use crate::Desk;

impl Desk {
    /// Checks a file offered for restore and says what it holds.
    pub fn inspect_backup(&self, actor: &Actor, path: &Path) -> Result<BackupSummary> {
        self.check(actor, Operation::RestoreStore)?;
        folder::summary(path)
    }

    /// Puts the backup at `path` in place of the store. Afterwards nobody is
    /// signed in: the window goes back to Sign in.
    pub fn restore_store(&self, actor: &Actor, path: &Path) -> Result<Restored> {
        self.check(actor, Operation::RestoreStore)?;
        self.db.sqlite()?;
        let restored_by: Option<String> = self.db.read(|tx| {
            Ok(tx
                .query_row("SELECT name || ' <' || email || '>' FROM accounts WHERE id = ?1", [actor.account_id], |r| r.get(0))
                .ok())
        })?;
        self.restore_from(path, restored_by, Via::Window)
    }

    /// The same restore from the command line, with the same safety copy and
    /// the same crash-safe swap; the restored store's audit log names the
    /// local administrator.
    pub fn restore_store_locally(&self, local: &LocalAdministrator, path: &Path) -> Result<Restored> {
        self.db.sqlite()?;
        self.restore_from(path, Some(format!("local administrator {}", local.os_user())), Via::CommandLine)
    }

    fn restore_from(&self, path: &Path, restored_by: Option<String>, via: Via) -> Result<Restored> {
        let offered = folder::summary(path)?;
        let now = self.clock.now();
        let dir = folder::create_folder(self.data_dir())?;
        let previous = folder::free_path(&dir, &folder::stamped_name(BEFORE_RESTORE_PREFIX, now));
        let previous_store = self.write_backup(&previous)?;
        let staged = sibling(self.db.sqlite()?.path(), "restoring");
        let at = self.now_millis();
        let file = offered.file.name.clone();
        let staged_copy = copy_database(path, &staged);
        faults::point("restore.staged");
        // Sessions end and the audit log tells of the restore in the restored
        // store's first transaction, before the previous store is let go.
        let swapped = staged_copy.and_then(|()| {
            self.db.sqlite()?.swap_in(&staged, |tx| {
                end_every_session(tx, at)?;
                let tenants: Vec<i64> =
                    tx.prepare("SELECT id FROM tenants")?.query_map([], |r| r.get(0))?.collect::<crate::store::sql::Result<_>>()?;
                // Every platform administrator of the restored store reads it
                // among the install's entries; each tenant's administrators in theirs.
                // The account that restored may not exist in the restored store.
                let mut install = Entry::install_change(
                    None,
                    at,
                    "store.restore",
                    Some(json!({ "kept_as": previous_store.name })),
                    Some(json!({ "restored_from": file, "restored_by": restored_by })),
                );
                install.via = via;
                record(tx, install)?;
                for tenant_id in tenants {
                    record(
                        tx,
                        Entry {
                            at,
                            actor_account_id: None,
                            tenant_id: Some(tenant_id),
                            action: "store.restore",
                            subject: "store".into(),
                            subject_account_id: None,
                            before: Some(json!({ "kept_as": previous_store.name })),
                            after: Some(json!({ "restored_from": file, "restored_by": restored_by })),
                            via,
                        },
                    )?;
                }
                Ok(())
            })
        });
        if swapped.is_err() {
            let _ = std::fs::remove_file(&staged);
        }
        swapped?;
        // The remembered sign-in of the store that was, then of the one that is.
        forget_remembered_sign_in(self);
        self.reload_install_id()?;
        forget_remembered_sign_in(self);
        tracing::info!(from = %path.display(), by = restored_by.as_deref().unwrap_or("someone no longer in the store"), kept_as = %previous_store.name, "store restored from a backup");
        Ok(Restored { from: describe(path)?, previous_store })
    }
}
