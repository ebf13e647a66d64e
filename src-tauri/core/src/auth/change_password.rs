//! Profile > Security > Change password: the current password first, a new
//! one under the same rules as every password (OWASP ASVS 6.2.2, 6.2.3).
//! Every other place the person is signed in ends; this window stays.

use crate::store::sql::params;
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::login_session::{self, SessionToken};
use super::{password, remembered, signed_in_places, throttle};
use crate::authz::{authorize, permit, Operation};
use crate::error::{FieldErrors, Result};
use crate::audit;
use crate::validate::email_key;
use crate::Desk;

#[derive(Clone, Serialize, Deserialize, Type)]
pub struct PasswordChange {
    pub current: String,
    pub password: String,
    pub confirm: String,
}

/// Leaves the secret out, so no log or panic message can carry it.
impl std::fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordChange").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct PasswordChanged {
    /// How many other places (windows, remembered sign-ins) were signed out.
    pub signed_out_elsewhere: u32,
}

impl Desk {
    /// Blocking: Argon2.
    pub fn change_own_password(&self, token: &SessionToken, input: &PasswordChange) -> Result<PasswordChanged> {
        let actor = self.actor(token)?;
        authorize(&actor, Operation::ChangeOwnPassword)?;
        let (email, name, current_hash): (String, String, String) = self.db.read(|tx| {
            Ok(tx.query_row("SELECT email, name, password_hash FROM accounts WHERE id = ?1", [actor.account_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?)
        })?;
        let mut errors = FieldErrors::new();
        if input.current.is_empty() {
            errors.add("current", "Enter your current password.");
        }
        errors.check("password", password::check_policy(&input.password, &[&email, &name]));
        if input.confirm != input.password {
            errors.add("confirm", "The two passwords do not match.");
        }
        errors.into_result()?;
        let key = email_key(&email);
        let now = self.now_millis();
        self.db.write(|tx| throttle::begin_attempt(tx, &key, now))?;
        let mut errors = FieldErrors::new();
        if !password::verify(&input.current, &current_hash) {
            errors.add("current", "Wrong password.");
        } else if input.password == input.current {
            errors.add("password", "Choose a password different from your current one.");
        }
        errors.into_result()?;
        let hash = password::hash(&input.password)?;
        let changed = self.db.write(|tx| {
            let permit = permit(tx, &actor, Operation::ChangeOwnPassword)?;
            let account_id = permit.account_id();
            let session = login_session::live(tx, token)?;
            let elsewhere = signed_in_places::list(tx, account_id, token, self.opened_at, now)?.iter().filter(|p| !p.current).count();
            tx.execute(
                "UPDATE accounts SET password_hash = ?2, must_change_password = 0, modified_at = ?3 WHERE id = ?1",
                params![account_id, hash, now],
            )?;
            tx.execute(
                "UPDATE login_sessions SET ended_at = ?3 WHERE account_id = ?1 AND id <> ?2 AND ended_at IS NULL",
                params![account_id, login_session::stored_id(token), now],
            )?;
            remembered::revoke_all_but(tx, account_id, session.remembered_id, now)?;
            throttle::clear(tx, &key)?;
            let signed_out_elsewhere = u32::try_from(elsewhere).unwrap_or(u32::MAX);
            audit::record(
                tx,
                audit::Entry::own_account(
                    account_id,
                    permit.actor(),
                    now,
                    "account.password_change",
                    json!({ "signed_out_elsewhere": signed_out_elsewhere }),
                ),
            )?;
            Ok(PasswordChanged { signed_out_elsewhere })
        })?;
        remembered::forget_if_revoked(self);
        Ok(changed)
    }
}
