//! An administrator turns off MFA for a user who lost their phone and their
//! recovery codes: the only way back in short of a new account.

use serde_json::json;

use super::{load, scope};
use crate::auth::end_all_sessions;
use crate::authz::{authorize, Actor, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::mfa;
use crate::store::audit;
use crate::Desk;

impl Desk {
    /// Turns the user's MFA off (app key and recovery codes) and ends all
    /// their sessions and remembered sign-ins. If a tenant of theirs requires
    /// MFA, they set it up again at next sign-in before anything else opens.
    pub fn reset_user_mfa(&self, actor: &Actor, id: i64) -> Result<()> {
        authorize(actor, Operation::ResetUserMfa)?;
        let now = self.now_millis();
        let account_id = self.db.write(|tx| {
            let user = load(tx, id)?;
            scope::require_writable_admin_of(tx, actor, user.tenant_id)?;
            if user.account_id == actor.account_id {
                return Err(Error::new(ErrorCode::NotAllowed, "Turn your own MFA off in Profile."));
            }
            if !mfa::is_enabled(tx, user.account_id)? {
                return Err(Error::new(ErrorCode::NotAllowed, format!("MFA is not on for {}.", user.name)));
            }
            mfa::remove(tx, user.account_id)?;
            end_all_sessions(tx, user.account_id, now)?;
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(actor.account_id),
                    tenant_id: Some(user.tenant_id),
                    action: "user.mfa_reset",
                    subject: format!("user:{id}"),
                    subject_account_id: Some(user.account_id),
                    before: Some(json!({ "mfa": true })),
                    after: Some(json!({ "mfa": false, "sessions_ended": true })),
                },
            )?;
            Ok(user.account_id)
        })?;
        self.forget_mfa_secret(account_id);
        Ok(())
    }
}
