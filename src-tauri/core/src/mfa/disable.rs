//! Turning MFA off: the password and a current code (a recovery code also
//! does, for a lost phone). Refused while a tenant of the account requires MFA.

use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::{accept_code, is_enabled, is_required, reauthenticate, wrong_code};
use crate::auth::throttle;
use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::audit;
use crate::Desk;

#[derive(Clone, Serialize, Deserialize, Type)]
pub struct MfaDisableInput {
    pub password: String,
    pub code: String,
}

/// Leaves the secret out, so no log or panic message can carry it.
impl std::fmt::Debug for MfaDisableInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaDisableInput").finish_non_exhaustive()
    }
}

impl Desk {
    /// Blocking: Argon2.
    pub fn disable_mfa(&self, actor: &Actor, input: &MfaDisableInput) -> Result<()> {
        authorize(actor, Operation::DisableOwnMfa)?;
        let account_id = actor.account_id;
        self.db.read(|tx| ensure_can_turn_off(tx, permit(tx, actor, Operation::DisableOwnMfa)?.account_id()))?;
        let key = reauthenticate(self, account_id, &input.password)?;
        let secret = self.mfa_secret(account_id);
        let now = self.now_millis();
        self.db.write(|tx| {
            permit(tx, actor, Operation::DisableOwnMfa)?;
            ensure_can_turn_off(tx, account_id)?;
            if !accept_code(tx, account_id, secret.as_deref(), &input.code, now)? {
                return Err(wrong_code());
            }
            super::remove(tx, account_id)?;
            throttle::clear(tx, &key)?;
            audit::record(tx, audit::Entry::own_account(account_id, actor, now, "account.mfa_disable", json!({ "mfa": false })))
        })?;
        self.forget_mfa_secret(account_id);
        tracing::info!(account_id, "MFA turned off");
        Ok(())
    }
}

fn ensure_can_turn_off(tx: &crate::store::sql::Tx, account_id: i64) -> Result<()> {
    if !is_enabled(tx, account_id)? {
        return Err(Error::new(ErrorCode::NotAllowed, "MFA is not on for your account."));
    }
    if is_required(tx, account_id)? {
        return Err(Error::new(
            ErrorCode::NotAllowed,
            "Your organization requires MFA, so it cannot be turned off.",
        ));
    }
    Ok(())
}
