//! An administrator turns off MFA for a user who lost their phone and their
//! recovery codes: the only way back in short of a new account.

use serde_json::json;

use super::load;
use crate::auth::end_all_sessions;
use crate::authz::over_account::{self, AccountAction};
use crate::authz::{authorize, permit_in, Actor, LocalAdministrator, Operation};
use crate::personal_api_keys::revoke_keys_of;
use crate::error::{Error, ErrorCode, Result};
use crate::mfa;
use crate::audit;
use crate::Desk;

impl Desk {
    /// Turns the user's MFA off (app key and recovery codes), ends all their
    /// sessions and remembered sign-ins and revokes their personal API keys.
    /// An action on the whole account (`authz::over_account`). If a tenant of theirs requires
    /// MFA, they set it up again at next sign-in before anything else opens.
    pub fn reset_user_mfa(&self, actor: &Actor, id: i64) -> Result<()> {
        authorize(actor, Operation::ResetUserMfa)?;
        let now = self.now_millis();
        let account_id = self.db.write(|tx| {
            let user = load(tx, id)?;
            let permit = permit_in(tx, actor, user.tenant_id, Operation::ResetUserMfa)?;
            if user.account_id == permit.account_id() {
                return Err(Error::new(ErrorCode::NotAllowed, super::OWN_MFA));
            }
            over_account::require(tx, &permit, user.account_id, AccountAction::ResetMfa)?;
            if !mfa::is_enabled(tx, user.account_id)? {
                return Err(Error::new(ErrorCode::NotAllowed, format!("MFA is not on for {}.", user.name)));
            }
            mfa::remove(tx, user.account_id)?;
            end_all_sessions(tx, user.account_id, now)?;
            let keys = revoke_keys_of(tx, user.account_id, None, now)?;
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(permit.account_id()),
                    tenant_id: Some(user.tenant_id),
                    action: "user.mfa_reset",
                    subject: format!("user:{id}"),
                    subject_account_id: Some(user.account_id),
                    before: Some(json!({ "mfa": true })),
                    after: Some(json!({ "mfa": false, "sessions_ended": true, "api_keys_revoked": keys })),
                    via: audit::Via::Window,
                },
            )?;
            Ok(user.account_id)
        })?;
        self.forget_mfa_secret(account_id);
        Ok(())
    }

    /// The command line's way back for someone who lost their phone and
    /// their recovery codes: the account with `email` has MFA turned off, as
    /// Reset MFA does. Audited as the local administrator. Returns the
    /// address as stored.
    pub fn reset_mfa_locally(&self, local: &LocalAdministrator, email: &str) -> Result<String> {
        let now = self.now_millis();
        let (account_id, email) = self.db.write(|tx| {
            let (account_id, email) = super::reset_password::live_account(tx, email)?;
            if !mfa::is_enabled(tx, account_id)? {
                return Err(Error::new(ErrorCode::NotAllowed, format!("MFA is not on for {email}.")));
            }
            mfa::remove(tx, account_id)?;
            end_all_sessions(tx, account_id, now)?;
            let keys = revoke_keys_of(tx, account_id, None, now)?;
            audit::record(
                tx,
                audit::Entry::local_account_change(local, now, "account.mfa_reset", account_id, json!({ "mfa": false, "sessions_ended": true, "api_keys_revoked": keys })),
            )?;
            Ok((account_id, email))
        })?;
        self.forget_mfa_secret(account_id);
        Ok(email)
    }
}
