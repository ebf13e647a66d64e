//! The idle lock (OWASP ASVS 7.3.1): a window without input for the period
//! its tenants set locks; its person's password (and code, with MFA) unlock
//! it. The window reports input (`note_activity`) and covers itself when its
//! own timer runs out; the core refuses every operation of a locked or idle
//! session whatever the window shows (`Desk::actor`).

use crate::store::sql::params;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::events::{self, Step};
use super::login_session::{self, SessionToken, SignedIn};
use super::{password, throttle};
use crate::error::{Error, FieldErrors, Result};
use crate::validate::email_key;
use crate::{mfa, Desk};

#[derive(Clone, Serialize, Deserialize, Type)]
pub struct UnlockInput {
    pub password: String,
    /// With MFA on: a code from the app or a recovery code.
    pub code: String,
}

/// Leaves the secret out, so no log or panic message can carry it.
impl std::fmt::Debug for UnlockInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnlockInput").finish_non_exhaustive()
    }
}

impl Desk {
    /// The person used the window: the idle lock counts from now. A window
    /// idle past its limit is locked instead, and says so.
    pub fn note_activity(&self, token: &SessionToken) -> Result<()> {
        let now = self.now_millis();
        self.db.write(|tx| {
            let s = login_session::live(tx, token)?;
            if s.covered(now) {
                login_session::lock(tx, token, now)?;
                tracing::info!(account_id = s.account_id, "window locked: left idle");
                return Ok(Err(Error::session_locked()));
            }
            tx.execute(
                "UPDATE login_sessions SET last_active_at = ?2 WHERE id = ?1",
                params![login_session::stored_id(token), now],
            )?;
            Ok(Ok(()))
        })?
    }

    /// Locks the window now (its own timer ran out, or its person chose to).
    pub fn lock_session(&self, token: &SessionToken) -> Result<SignedIn> {
        let now = self.now_millis();
        self.db.write(|tx| {
            let s = login_session::live(tx, token)?;
            login_session::lock(tx, token, now)?;
            tracing::info!(account_id = s.account_id, "window locked");
            login_session::view(tx, token, now)
        })
    }

    /// Unlocks the window with its person's password, and a code when MFA is
    /// on. Attempts count in the sign-in throttle and are audited like
    /// sign-ins. Blocking: Argon2.
    pub fn unlock_session(&self, token: &SessionToken, input: &UnlockInput) -> Result<SignedIn> {
        let now = self.now_millis();
        let (account_id, email, phc, mfa_on) = self.db.read(|tx| {
            let s = login_session::live(tx, token)?;
            let (email, phc): (String, String) =
                tx.query_row("SELECT email, password_hash FROM accounts WHERE id = ?1", [s.account_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            Ok((s.account_id, email, phc, mfa::is_enabled(tx, s.account_id)?))
        })?;
        let mut errors = FieldErrors::new();
        if input.password.is_empty() {
            errors.add("password", "Enter your password.");
        }
        if mfa_on && input.code.trim().is_empty() {
            errors.add("code", "Enter the code from your authenticator app.");
        }
        errors.into_result()?;
        let key = email_key(&email);
        self.db.write(|tx| throttle::begin_attempt(tx, &key, now))?;
        let secret = if mfa_on { self.mfa_secret(account_id) } else { None };
        let password_right = password::verify(&input.password, &phc);
        let unlocked = self.db.write(|tx| {
            if !password_right {
                return Ok(Err(Step::Unlock));
            }
            if mfa_on && !mfa::accept_code(tx, account_id, secret.as_deref(), input.code.trim(), now)? {
                return Ok(Err(Step::Code));
            }
            throttle::clear(tx, &key)?;
            tx.execute(
                "UPDATE login_sessions SET locked_at = NULL, last_active_at = ?2 WHERE id = ?1",
                params![login_session::stored_id(token), now],
            )?;
            tx.execute(
                "UPDATE remembered_sign_ins SET locked_at = NULL
                  WHERE id = (SELECT remembered_id FROM login_sessions WHERE id = ?1)",
                [login_session::stored_id(token)],
            )?;
            events::succeeded(tx, account_id, Step::Unlock, now)?;
            Ok(Ok(login_session::view(tx, token, now)?))
        })?;
        match unlocked {
            Ok(view) => Ok(view),
            Err(step) => {
                self.db.write(|tx| events::failed(tx, Some(account_id), &email, Step::Unlock, now))?;
                let mut errors = FieldErrors::new();
                match step {
                    Step::Code => errors.add(
                        "code",
                        "That code is not valid. Enter the current code from your authenticator app or an unused recovery code.",
                    ),
                    _ => errors.add("password", "Wrong password."),
                }
                errors.into_result()?;
                Err(Error::session_locked())
            }
        }
    }
}
