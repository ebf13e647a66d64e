//! The second step of signing in when MFA is on: a code from the
//! authenticator app, or one of the recovery codes. Failures count in the same
//! throttle as passwords (the count is only cleared once this step succeeds).

use crate::store::sql::params;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::login_session::{self, SessionToken, SignedIn};
use super::events::{self, Step};
use super::{remembered, throttle};
use crate::error::{Error, ErrorCode, Result};
use crate::validate::email_key;
use crate::{mfa, Desk};

#[derive(Clone, Serialize, Deserialize, Type)]
pub struct SignInCodeInput {
    /// A 6-digit code or a recovery code.
    pub code: String,
    /// "Keep me signed in", asked with the password and kept until now.
    pub remember: bool,
}

/// Leaves the secret out, so no log or panic message can carry it.
impl std::fmt::Debug for SignInCodeInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInCodeInput").field("remember", &self.remember).finish_non_exhaustive()
    }
}

impl Desk {
    pub fn verify_sign_in_code(&self, token: &SessionToken, input: SignInCodeInput) -> Result<SignedIn> {
        let (account_id, key) = self.db.read(|tx| {
            let s = login_session::live(tx, token)?;
            if !s.awaiting_code {
                return Err(Error::new(ErrorCode::NotAllowed, "This sign-in does not wait for a code."));
            }
            let email: String = tx.query_row("SELECT email FROM accounts WHERE id = ?1", [s.account_id], |r| r.get(0))?;
            Ok((s.account_id, email_key(&email)))
        })?;
        let secret = self.mfa_secret(account_id);
        let now = self.now_millis();
        self.db.write(|tx| throttle::begin_attempt(tx, &key, now))?;
        let accepted = self.db.write(|tx| {
            if !mfa::accept_code(tx, account_id, secret.as_deref(), &input.code, now)? {
                return Ok(false);
            }
            throttle::clear(tx, &key)?;
            events::succeeded(tx, account_id, Step::Code, now)?;
            tx.execute(
                "UPDATE login_sessions SET awaiting_code = 0, last_active_at = ?2 WHERE id = ?1",
                params![token_id(token), now],
            )?;
            Ok(true)
        })?;
        if !accepted {
            self.db.write(|tx| events::failed(tx, Some(account_id), &events::email_of(tx, account_id)?, Step::Code, now))?;
            return Err(mfa::wrong_code());
        }
        if input.remember {
            if let Some(remembered_token) = remembered::new_token(self) {
                self.db.write(|tx| {
                    let remembered_id = remembered::insert(tx, account_id, &remembered_token, now)?;
                    tx.execute(
                        "UPDATE login_sessions SET remembered_id = ?2 WHERE id = ?1",
                        params![token_id(token), remembered_id],
                    )?;
                    Ok(())
                })?;
            }
        }
        let view = self.signed_in(token)?;
        self.announce_sign_in(account_id);
        Ok(view)
    }
}

fn token_id(token: &SessionToken) -> String {
    login_session::stored_id(token)
}
