//! Turning MFA on: the password again, then a QR code and the secret for the
//! authenticator app; MFA is on only once a valid code from the app comes
//! back. Ten recovery codes are then shown once.

use crate::store::sql::params;
use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::{is_enabled, keyring_missing, reauthenticate, recovery_codes, totp, unix_seconds, wrong_code, RecoveryCodes};
use crate::auth::{forget_revoked_sign_in, revoke_remembered_sign_ins, throttle};
use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::audit;
use crate::Desk;

/// What the authenticator app needs. The secret is shown in groups of four.
#[derive(Clone, PartialEq, Eq, Serialize, Type)]
pub struct MfaSetup {
    pub secret: String,
    pub otpauth_url: String,
    /// The QR code of `otpauth_url`: a `data:image/svg+xml` URL.
    pub qr_code: String,
}

/// Leaves the secret out, so no log or panic message can carry it.
impl std::fmt::Debug for MfaSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaSetup").finish_non_exhaustive()
    }
}

impl Desk {
    /// Checks the password, makes a new secret and keeps it in the keyring
    /// until [`confirm_mfa`](Self::confirm_mfa) receives a valid code.
    /// Blocking: Argon2.
    pub fn begin_mfa_setup(&self, actor: &Actor, password: &str) -> Result<MfaSetup> {
        authorize(actor, Operation::EnableOwnMfa)?;
        let account_id = actor.account_id;
        if self.db.read(|tx| is_enabled(tx, permit(tx, actor, Operation::EnableOwnMfa)?.account_id()))? {
            return Err(already_on());
        }
        let key = reauthenticate(self, account_id, password)?;
        self.db.write(|tx| throttle::clear(tx, &key))?;
        let email: String = self.db.read(|tx| Ok(tx.query_row("SELECT email FROM accounts WHERE id = ?1", [account_id], |r| r.get(0))?))?;
        let secret = totp::new_secret()?;
        self.secrets.put(&self.mfa_pending_entry(account_id), &secret).map_err(|e| {
            tracing::warn!(account_id, error = %e, "keyring: the MFA key being set up not kept");
            keyring_missing()
        })?;
        let (otpauth_url, qr_code) = totp::provisioning(&secret, &email)?;
        let grouped = secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
        Ok(MfaSetup { secret: grouped, otpauth_url, qr_code })
    }

    /// Turns MFA on when `code` is valid for the secret being set up; returns
    /// the ten recovery codes, shown once.
    pub fn confirm_mfa(&self, actor: &Actor, code: &str) -> Result<RecoveryCodes> {
        authorize(actor, Operation::EnableOwnMfa)?;
        let account_id = actor.account_id;
        let pending = self
            .secrets
            .get(&self.mfa_pending_entry(account_id))
            .map_err(|_| keyring_missing())?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, "Start setting up MFA again: enter your password first."))?;
        let now = self.now_millis();
        let step = totp::matching_step(&pending, code, unix_seconds(now))?.ok_or_else(wrong_code)?;
        let step = i64::try_from(step).map_err(Error::internal)?;
        if self.db.read(|tx| is_enabled(tx, account_id))? {
            return Err(already_on());
        }
        // The keyring first, outside the transaction: if it cannot take the
        // secret, nothing is written.
        self.secrets.put(&self.mfa_secret_entry(account_id), &pending).map_err(|e| {
            tracing::warn!(account_id, error = %e, "keyring: the MFA key not kept, MFA stays off");
            keyring_missing()
        })?;
        let codes = self.db.write(|tx| {
            permit(tx, actor, Operation::EnableOwnMfa)?;
            if is_enabled(tx, account_id)? {
                return Err(already_on());
            }
            tx.execute(
                "INSERT INTO account_mfa (account_id, enabled_at, last_step) VALUES (?1, ?2, ?3)",
                params![account_id, now, step],
            )?;
            let codes = recovery_codes::replace_all(tx, account_id, now)?;
            // A remembered sign-in was made with the password alone.
            let forgotten = revoke_remembered_sign_ins(tx, account_id, now)?;
            audit::record(
                tx,
                audit::Entry::own_account(
                    account_id,
                    actor,
                    now,
                    "account.mfa_enable",
                    json!({ "mfa": true, "remembered_sign_ins_ended": forgotten }),
                ),
            )?;
            Ok(codes)
        })?;
        if let Err(e) = self.secrets.delete(&self.mfa_pending_entry(account_id)) {
            tracing::warn!(account_id, error = %e, "keyring: the MFA key being set up not removed");
        }
        forget_revoked_sign_in(self);
        tracing::info!(account_id, "MFA turned on");
        Ok(RecoveryCodes { codes })
    }
}

fn already_on() -> Error {
    Error::new(ErrorCode::NotAllowed, "MFA is already on for your account.")
}
