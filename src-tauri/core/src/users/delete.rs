use rusqlite::params;

use super::{audit_view, last_admin, load, scope};
use crate::auth::end_all_sessions;
use crate::authz::{authorize, Actor, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::store::audit;
use crate::Desk;

impl Desk {
    /// Removes the user from the tenant. An account left in no tenant is
    /// deleted: it can no longer sign in and its address is free for a new
    /// user; its audit history stays. Every session and remembered sign-in of
    /// the person ends at once. Refused for the last Tenant Admin and for
    /// oneself.
    pub fn delete_user(&self, actor: &Actor, id: i64) -> Result<()> {
        authorize(actor, Operation::DeleteUser)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let user = load(tx, id)?;
            scope::require_writable_admin_of(tx, actor, user.tenant_id)?;
            if user.account_id == actor.account_id {
                return Err(Error::new(ErrorCode::NotAllowed, "You cannot delete your own account."));
            }
            tx.execute("DELETE FROM memberships WHERE id = ?1", [id])?;
            last_admin::ensure_admin_remains(tx, user.tenant_id)?;
            let remaining: i64 =
                tx.query_row("SELECT count(*) FROM memberships WHERE account_id = ?1", [user.account_id], |r| r.get(0))?;
            if remaining == 0 {
                // The email key is freed (uniqueness holds only among live accounts).
                tx.execute(
                    "UPDATE accounts SET deleted_at = ?2, modified_at = ?2,
                            email_key = 'deleted:' || id || ':' || email_key
                      WHERE id = ?1",
                    params![user.account_id, now],
                )?;
            }
            end_all_sessions(tx, user.account_id, now)?;
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(actor.account_id),
                    tenant_id: Some(user.tenant_id),
                    action: "user.delete",
                    subject: format!("user:{id}"),
                    subject_account_id: Some(user.account_id),
                    before: Some(audit_view(&user)),
                    after: None,
                },
            )?;
            Ok(())
        })
    }
}
