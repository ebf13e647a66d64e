use crate::store::sql::params;
use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::{audit_view, last_admin, load, platform_admin};
use crate::auth::{end_all_sessions, end_sessions_in};
use crate::authz::over_account::{self, AccountAction};
use crate::authz::{permit_in, Actor, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::personal_api_keys::revoke_keys_of;
use crate::audit;
use crate::Desk;

/// What deleting a user did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Deletion {
    /// The user belonged to this tenant only: the account is gone.
    AccountDeleted,
    /// The user belongs to other tenants too: they were removed from this
    /// one, and their account (password, MFA, other tenants) is untouched.
    RemovedFromTenant,
}

impl Desk {
    /// Removes the user from the tenant. An account left in no tenant is
    /// deleted: it can no longer sign in and its address is free for a new
    /// user; its audit history stays. Deleting an account is an action on
    /// the whole account (`authz::over_account`); removing someone who stays
    /// in other tenants is the tenant's own business and touches nothing of
    /// their account. Refused for the last Tenant Admin and for oneself.
    pub fn delete_user(&self, actor: &Actor, id: i64) -> Result<Deletion> {
        crate::authz::authorize(actor, Operation::DeleteUser)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let user = load(tx, id)?;
            let permit = permit_in(tx, actor, user.tenant_id, Operation::DeleteUser)?;
            if user.account_id == permit.account_id() {
                return Err(Error::new(ErrorCode::NotAllowed, super::OWN_ACCOUNT));
            }
            let stays_elsewhere: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM memberships WHERE account_id = ?1 AND id <> ?2)",
                params![user.account_id, id],
                |r| r.get(0),
            )?;
            if !stays_elsewhere {
                over_account::require(tx, &permit, user.account_id, AccountAction::Delete)?;
            }
            tx.execute("DELETE FROM memberships WHERE id = ?1", [id])?;
            last_admin::ensure_admin_remains(tx, user.tenant_id)?;
            revoke_keys_of(tx, user.account_id, Some(user.tenant_id), now)?;
            let (deletion, action) = if stays_elsewhere {
                end_sessions_in(tx, user.account_id, user.tenant_id, now)?;
                (Deletion::RemovedFromTenant, "user.remove_from_tenant")
            } else {
                // The email key is freed (uniqueness holds only among live accounts).
                tx.execute(
                    "UPDATE accounts SET deleted_at = ?2, modified_at = ?2,
                            email_key = 'deleted:' || id || ':' || email_key
                      WHERE id = ?1",
                    params![user.account_id, now],
                )?;
                platform_admin::ensure_one_remains(tx)?;
                end_all_sessions(tx, user.account_id, now)?;
                tx.execute("DELETE FROM invitations WHERE account_id = ?1", [user.account_id])?;
                (Deletion::AccountDeleted, "user.delete")
            };
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(permit.account_id()),
                    tenant_id: Some(user.tenant_id),
                    action,
                    subject: format!("user:{id}"),
                    subject_account_id: Some(user.account_id),
                    before: Some(audit_view(&user)),
                    after: stays_elsewhere.then(|| json!({ "account_kept": true })),
                    via: audit::Via::Window,
                },
            )?;
            Ok(deletion)
        })
    }
}
