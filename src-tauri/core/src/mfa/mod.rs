//! MFA with authenticator apps (TOTP, RFC 6238): 30-second steps, 6 digits,
//! one step of drift either way, and no code accepted twice (the last step a
//! code was accepted for is stored, and only later steps pass).
//!
//! The TOTP secret must be read back to check codes, so it lives in the OS
//! keyring (`mfa-totp/<install>/<account>`), never in SQLite; a secret being
//! set up waits in its own entry until a valid code confirms it. Recovery
//! codes are stored hashed and work once each.
//!
//! - `totp`: secrets, codes, the QR code; `recovery_codes`: the ten codes.
//! - `enroll`: turning MFA on (password again, then a code).
//! - `disable`: turning it off (password and a code); `regenerate`: new recovery codes.
//! - `status`: the Profile's view, including whether a tenant requires MFA.

mod disable;
mod enroll;
mod recovery_codes;
mod regenerate;
mod status;
pub mod totp;

pub use disable::MfaDisableInput;
pub use enroll::MfaSetup;
pub use recovery_codes::COUNT as RECOVERY_CODE_COUNT;
pub use status::MfaStatus;

use crate::store::sql::{params, OptionalExtension, Tx};
use serde::Serialize;
use specta::Type;

use crate::auth::{password, throttle};
use crate::error::{Error, ErrorCode, FieldErrors, Result};
use crate::validate::email_key;
use crate::Desk;

/// Recovery codes, shown once.
#[derive(Clone, PartialEq, Eq, Serialize, Type)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// Leaves the secret out, so no log or panic message can carry it.
impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryCodes").finish_non_exhaustive()
    }
}

pub(crate) fn is_enabled(tx: &Tx, account_id: i64) -> Result<bool> {
    Ok(tx.query_row("SELECT EXISTS (SELECT 1 FROM account_mfa WHERE account_id = ?1)", [account_id], |r| r.get(0))?)
}

/// Turns MFA off for the account in the store: its app key stops being
/// asked for and its recovery codes are gone. The keyring entry is removed
/// after the transaction commits (`forget_mfa_secret`).
pub(crate) fn remove(tx: &Tx, account_id: i64) -> Result<()> {
    tx.execute("DELETE FROM account_mfa WHERE account_id = ?1", [account_id])?;
    recovery_codes::delete_all(tx, account_id)
}

/// Whether a tenant the account belongs to requires MFA.
pub(crate) fn is_required(tx: &Tx, account_id: i64) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                         WHERE m.account_id = ?1 AND t.require_mfa = 1 AND m.snapshot_reader = 0)",
        [account_id],
        |r| r.get(0),
    )?)
}

/// Accepts what the person typed: a recovery code (used up), or a code from
/// their app for a time step later than the last one accepted (recorded).
/// `secret` is `None` when this machine's keyring does not hold it: then only
/// recovery codes can pass.
pub(crate) fn accept_code(tx: &Tx, account_id: i64, secret: Option<&str>, code: &str, now: i64) -> Result<bool> {
    if recovery_codes::looks_like_one(code) {
        return recovery_codes::consume(tx, account_id, code, now);
    }
    let Some(secret) = secret else {
        return Err(Error::new(
            ErrorCode::Desktop,
            "This computer's keyring does not hold your authenticator key. Use one of your recovery codes.",
        ));
    };
    let Some(step) = totp::matching_step(secret, code, unix_seconds(now))? else { return Ok(false) };
    let step = i64::try_from(step).map_err(Error::internal)?;
    let last: Option<i64> =
        tx.query_row("SELECT last_step FROM account_mfa WHERE account_id = ?1", [account_id], |r| r.get(0)).optional()?;
    match last {
        Some(last) if step > last => {
            tx.execute("UPDATE account_mfa SET last_step = ?2 WHERE account_id = ?1", params![account_id, step])?;
            Ok(true)
        }
        // Used already, or older than a code already used: never twice.
        _ => Ok(false),
    }
}

pub(crate) fn unix_seconds(millis: i64) -> u64 {
    u64::try_from(millis / 1000).unwrap_or_default()
}

pub(crate) fn wrong_code() -> Error {
    let mut errors = FieldErrors::new();
    errors.add("code", "That code is not valid. Enter the current code from your authenticator app or an unused recovery code.");
    errors.into_result().err().unwrap_or_else(Error::not_allowed)
}

/// Asks for the password again before a change to MFA (OWASP ASVS
/// re-authentication). Counted by the sign-in throttle; returns the throttle
/// key, which the caller clears once the whole change succeeded.
pub(crate) fn reauthenticate(desk: &Desk, account_id: i64, typed: &str) -> Result<String> {
    let now = desk.now_millis();
    let (key, phc) = desk.db.write(|tx| {
        let (email, phc): (String, String) = tx
            .query_row(
                "SELECT email, password_hash FROM accounts WHERE id = ?1 AND deleted_at IS NULL",
                [account_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(Error::not_signed_in)?;
        let key = email_key(&email);
        throttle::begin_attempt(tx, &key, now)?;
        Ok((key, phc))
    })?;
    if !password::verify(typed, &phc) {
        let mut errors = FieldErrors::new();
        errors.add("password", "Wrong password.");
        errors.into_result()?;
    }
    Ok(key)
}

impl Desk {
    fn mfa_secret_entry(&self, account_id: i64) -> String {
        format!("mfa-totp/{}/{account_id}", self.install_id())
    }

    fn mfa_pending_entry(&self, account_id: i64) -> String {
        format!("mfa-totp-pending/{}/{account_id}", self.install_id())
    }

    /// Removes the account's TOTP secret from this machine's keyring. A
    /// keyring that cannot be reached keeps it, harmlessly: the store no
    /// longer asks for MFA, and setting it up again replaces the entry.
    pub(crate) fn forget_mfa_secret(&self, account_id: i64) {
        if let Err(e) = self.secrets.delete(&self.mfa_secret_entry(account_id)) {
            tracing::warn!(account_id, error = %e, "keyring: the MFA key not removed");
        }
    }

    /// The account's TOTP secret from this machine's keyring, if it holds it.
    pub(crate) fn mfa_secret(&self, account_id: i64) -> Option<String> {
        self.secrets.get(&self.mfa_secret_entry(account_id)).unwrap_or_else(|e| {
            tracing::warn!(account_id, error = %e, "keyring: unavailable, the MFA key not read");
            None
        })
    }
}

fn keyring_missing() -> Error {
    Error::new(
        ErrorCode::Desktop,
        "No keyring service is available on this desktop, and MFA needs it to keep your authenticator key.",
    )
}
