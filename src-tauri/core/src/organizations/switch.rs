use crate::store::sql::params;

use crate::auth::{SessionToken, SignedIn};
use crate::authz::{permit, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::Desk;

impl Desk {
    /// Moves the session to another tenant the account belongs to and makes
    /// it the one the next sign-in opens in. Menu, data and role follow.
    pub fn switch_organization(&self, token: &SessionToken, tenant_id: i64) -> Result<SignedIn> {
        let actor = self.actor(token)?;
        self.db.write(|tx| {
            let permit = permit(tx, &actor, Operation::SwitchOrganization)?;
            let member: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM memberships WHERE account_id = ?1 AND tenant_id = ?2)",
                params![permit.account_id(), tenant_id],
                |r| r.get(0),
            )?;
            if !member {
                return Err(Error::new(ErrorCode::NotAllowed, "You are not a member of this organization."));
            }
            tx.execute(
                "UPDATE login_sessions SET tenant_id = ?2 WHERE id = ?1",
                params![crate::auth::session_id(token), tenant_id],
            )?;
            tx.execute("UPDATE accounts SET current_tenant_id = ?2 WHERE id = ?1", params![actor.account_id, tenant_id])?;
            Ok(())
        })?;
        self.signed_in(token)
    }
}
