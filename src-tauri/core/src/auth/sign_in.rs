use crate::store::sql::{OptionalExtension, Tx};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::login_session::{self, SessionToken, SignedIn};
use super::events::{self, Step};
use super::{password, remembered, throttle};
use crate::error::{FieldErrors, Result};
use crate::validate::{email_key, without_nul};
use crate::Desk;

#[derive(Clone, Serialize, Deserialize, Type)]
pub struct SignInInput {
    pub email: String,
    pub password: String,
    /// "Keep me signed in".
    pub remember: bool,
}

/// Leaves the secret out, so no log or panic message can carry it.
impl std::fmt::Debug for SignInInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInInput").field("email", &self.email).field("remember", &self.remember).finish_non_exhaustive()
    }
}

impl Desk {
    /// Checks the credentials and starts a session. Every failure, whether
    /// the email is unknown or the password wrong, is the same
    /// "Wrong email or password" and costs the same time. Blocking: Argon2.
    pub fn sign_in(&self, input: SignInInput) -> Result<(SessionToken, SignedIn)> {
        // The typed address is kept (the throttle, the audit log of a refusal).
        let mut errors = FieldErrors::new();
        errors.check("email", without_nul(&input.email, "Email"));
        errors.into_result()?;
        let key = email_key(&input.email);
        let now = self.now_millis();
        let stored = self.db.write(|tx| {
            throttle::begin_attempt(tx, &key, now)?;
            account_hash(tx, &key)
        })?;
        let matched = match &stored {
            Some((_, phc)) => password::verify(&input.password, phc),
            None => {
                password::verify(&input.password, &password::DECOY_HASH);
                false
            }
        };
        let account_id = match (matched, stored) {
            (true, Some((id, _))) => id,
            (_, stored) => {
                self.db.write(|tx| events::failed(tx, stored.map(|(id, _)| id), &input.email, Step::Password, now))?;
                return Err(crate::Error::wrong_credentials());
            }
        };
        if self.db.read(|tx| crate::mfa::is_enabled(tx, account_id))? {
            // The second factor follows; the failed-attempt count stays until
            // it succeeds, so codes cannot be guessed by signing in again.
            // "Keep me signed in" is decided then.
            let token = self.db.write(|tx| login_session::start(tx, account_id, None, true, now))?;
            let view = self.signed_in(&token)?;
            return Ok((token, view));
        }
        let remembered_token = if input.remember { remembered::new_token(self) } else { None };
        let token = self.db.write(|tx| {
            throttle::clear(tx, &key)?;
            let remembered_id = match &remembered_token {
                Some(t) => Some(remembered::insert(tx, account_id, t, now)?),
                None => None,
            };
            events::succeeded(tx, account_id, Step::Password, now)?;
            login_session::start(tx, account_id, remembered_id, false, now)
        })?;
        let view = self.signed_in(&token)?;
        self.announce_sign_in(account_id);
        Ok((token, view))
    }

    /// Ends the session, revokes its remembered sign-in and removes the
    /// keyring entry.
    pub fn sign_out(&self, token: &SessionToken) -> Result<()> {
        let now = self.now_millis();
        self.db.write(|tx| {
            if let Some(remembered_id) = login_session::end(tx, token, now)? {
                remembered::revoke(tx, remembered_id, now)?;
            }
            Ok(())
        })?;
        remembered::forget_on_this_machine(self);
        Ok(())
    }
}

fn account_hash(tx: &Tx, key: &str) -> Result<Option<(i64, String)>> {
    Ok(tx
        .query_row(
            "SELECT id, password_hash FROM accounts WHERE email_key = ?1 AND deleted_at IS NULL",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
