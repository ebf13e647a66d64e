//! Replacing a temporary password (set by an administrator at creation or by a
//! reset) at sign-in, before anything else opens (OWASP ASVS 6.4.1). This is
//! the last step of signing in, so it works on the session, not on an actor.

use crate::store::sql::params;
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::login_session::{self, SessionToken, SignedIn};
use super::password;
use crate::error::{Error, ErrorCode, FieldErrors, Result};
use crate::audit;
use crate::Desk;

#[derive(Clone, Serialize, Deserialize, Type)]
pub struct NewPasswordInput {
    pub password: String,
    pub confirm: String,
}

/// Leaves the secret out, so no log or panic message can carry it.
impl std::fmt::Debug for NewPasswordInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewPasswordInput").finish_non_exhaustive()
    }
}

impl Desk {
    /// Sets the person's own new password in place of the temporary one.
    /// Only possible while a change is required. Blocking: Argon2.
    pub fn set_new_password(&self, token: &SessionToken, input: NewPasswordInput) -> Result<SignedIn> {
        let (account_id, email, name, current) = self.db.read(|tx| {
            let s = login_session::live(tx, token)?;
            if s.awaiting_code {
                return Err(Error::second_factor_required());
            }
            if !s.must_change_password {
                return Err(Error::new(ErrorCode::NotAllowed, "Your password was not set by an administrator; there is nothing to replace."));
            }
            let (email, name, hash): (String, String, String) = tx.query_row(
                "SELECT email, name, password_hash FROM accounts WHERE id = ?1",
                [s.account_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            Ok((s.account_id, email, name, hash))
        })?;
        let mut errors = FieldErrors::new();
        errors.check("password", password::check_policy(&input.password, &[&email, &name]));
        if !input.password.is_empty() && password::verify(&input.password, &current) {
            errors.add("password", "Choose a password different from the temporary one.");
        }
        if input.confirm != input.password {
            errors.add("confirm", "The two passwords do not match.");
        }
        errors.into_result()?;
        let hash = password::hash(&input.password)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let s = login_session::live(tx, token)?;
            tx.execute(
                "UPDATE accounts SET password_hash = ?2, must_change_password = 0, modified_at = ?3 WHERE id = ?1",
                params![account_id, hash, now],
            )?;
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(account_id),
                    tenant_id: s.tenant_id,
                    action: "account.password_replace",
                    subject: format!("account:{account_id}"),
                    subject_account_id: Some(account_id),
                    before: None,
                    after: Some(json!({ "temporary": false })),
                    via: audit::Via::Window,
                },
            )?;
            tx.execute(
                "UPDATE login_sessions SET last_active_at = ?2 WHERE id = ?1",
                params![login_session::stored_id(token), now],
            )?;
            login_session::view(tx, token, now)
        })
    }
}
