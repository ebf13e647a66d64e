//! New recovery codes: the password again; the ten new codes replace every
//! earlier one, used or not.

use serde_json::json;

use super::{is_enabled, reauthenticate, recovery_codes, RecoveryCodes};
use crate::auth::throttle;
use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::audit;
use crate::Desk;

impl Desk {
    /// Blocking: Argon2.
    pub fn regenerate_recovery_codes(&self, actor: &Actor, password: &str) -> Result<RecoveryCodes> {
        authorize(actor, Operation::RegenerateRecoveryCodes)?;
        let account_id = actor.account_id;
        let key = reauthenticate(self, account_id, password)?;
        let now = self.now_millis();
        let codes = self.db.write(|tx| {
            permit(tx, actor, Operation::RegenerateRecoveryCodes)?;
            if !is_enabled(tx, account_id)? {
                return Err(Error::new(ErrorCode::NotAllowed, "Turn on MFA first: recovery codes come with it."));
            }
            let codes = recovery_codes::replace_all(tx, account_id, now)?;
            throttle::clear(tx, &key)?;
            audit::record(
                tx,
                audit::Entry::own_account(account_id, actor, now, "account.mfa_recovery_codes", json!({ "regenerated": true })),
            )?;
            Ok(codes)
        })?;
        Ok(RecoveryCodes { codes })
    }
}
