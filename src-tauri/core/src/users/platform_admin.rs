//! The platform administrator flag: granted and revoked by platform
//! administrators only, and never taken from the install's last one.

use crate::store::sql::{params, Tx};
use serde_json::json;

use super::{detail, load, UserDetail};
use crate::authz::{authorize, permit_in, Actor, LocalAdministrator, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::audit;
use crate::Desk;

/// Called inside the write transaction of any change that can take the flag
/// away (BEGIN IMMEDIATE: no other writer interleaves): if no live account
/// keeps it, the error rolls the change back.
pub(crate) fn ensure_one_remains(tx: &Tx) -> Result<()> {
    let left: i64 =
        tx.query_row("SELECT count(*) FROM accounts WHERE is_platform_admin = 1 AND deleted_at IS NULL", [], |r| r.get(0))?;
    if left == 0 {
        return Err(Error::new(
            ErrorCode::NotAllowed,
            "This is the install's last platform administrator. Make someone else platform administrator first: \
             without one, nobody can add tenants, back up or restore.",
        ));
    }
    Ok(())
}

impl Desk {
    /// Grants (`granted`) or revokes the platform administrator flag of the
    /// user's account. Audited as a change of the whole install.
    pub fn set_platform_admin(&self, actor: &Actor, id: i64, granted: bool) -> Result<UserDetail> {
        authorize(actor, Operation::ManagePlatformAdmins)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let user = load(tx, id)?;
            let permit = permit_in(tx, actor, user.tenant_id, Operation::ManagePlatformAdmins)?;
            if user.platform_admin != granted {
                tx.execute(
                    "UPDATE accounts SET is_platform_admin = ?2, modified_at = ?3 WHERE id = ?1",
                    params![user.account_id, granted, now],
                )?;
                ensure_one_remains(tx)?;
                let mut entry = audit::Entry::install_change(
                    Some(permit.account_id()),
                    now,
                    if granted { "account.platform_admin_grant" } else { "account.platform_admin_revoke" },
                    Some(json!({ "platform_admin": user.platform_admin })),
                    Some(json!({ "platform_admin": granted })),
                );
                entry.subject = format!("account:{}", user.account_id);
                entry.subject_account_id = Some(user.account_id);
                audit::record(tx, entry)?;
            }
            detail(tx, &permit, id)
        })
    }

    /// The command line's way back to a platform administrator (the last one
    /// left, or their flag was taken by mistake): the account with `email`
    /// gets the flag. Audited as the local administrator. Returns the
    /// account's address as stored, and whether it already had the flag.
    pub fn grant_platform_locally(&self, local: &LocalAdministrator, email: &str) -> Result<(String, bool)> {
        let now = self.now_millis();
        self.db.write(|tx| {
            let (account_id, email) = super::reset_password::live_account(tx, email)?;
            let had: bool = tx.query_row("SELECT is_platform_admin FROM accounts WHERE id = ?1", [account_id], |r| r.get(0))?;
            if !had {
                tx.execute("UPDATE accounts SET is_platform_admin = 1, modified_at = ?2 WHERE id = ?1", params![account_id, now])?;
                audit::record(
                    tx,
                    audit::Entry::local_account_change(local, now, "account.platform_admin_grant", account_id, json!({ "platform_admin": true })),
                )?;
            }
            Ok((email, had))
        })
    }
}
