//! "Keep me signed in": a 256-bit token from the OS CSPRNG goes to the OS
//! keyring; the database keeps its SHA-256 and can revoke it.

use chrono::Duration;
use crate::store::sql::{params, OptionalExtension, Tx};

use super::events::{self, Step};
use super::login_session::{self, SessionToken, SignedIn};
use crate::error::Result;
use crate::secrets::{random, SecretAvailability};
use crate::Desk;

/// How long a remembered sign-in lasts without being used.
pub const IDLE_LIFETIME: Duration = Duration::days(14);
/// How long a remembered sign-in lasts at most, however often it is used:
/// after this the password (and code) are asked again.
pub const ABSOLUTE_LIFETIME: Duration = Duration::days(30);

fn keyring_key(desk: &Desk) -> String {
    desk.remembered_sign_in_key()
}

/// Creates a token and puts it in the keyring. `None` when the keyring
/// cannot take it: the sign-in then goes on without being remembered.
pub(crate) fn new_token(desk: &Desk) -> Option<String> {
    if desk.secrets.availability() != SecretAvailability::Available {
        return None;
    }
    let token = random::token(32).ok()?;
    match desk.secrets.put(&keyring_key(desk), &token) {
        Ok(()) => Some(token),
        Err(e) => {
            tracing::warn!(error = %e, "keyring: the remembered sign-in not kept");
            None
        }
    }
}

pub(crate) fn insert(tx: &Tx, account_id: i64, token: &str, now: i64) -> Result<i64> {
    tx.execute(
        "INSERT INTO remembered_sign_ins (account_id, token_hash, created_at, expires_at, last_used_at)
         VALUES (?1, ?2, ?3, ?4, ?3)",
        params![account_id, random::token_hash(token), now, now + IDLE_LIFETIME.num_milliseconds()],
    )?;
    Ok(tx.last_insert_rowid()?)
}

/// Revokes every remembered sign-in of the account (MFA was turned on, the
/// password changed); the sessions they started go on, no longer remembered.
/// Returns how many were live.
pub(crate) fn revoke_all(tx: &Tx, account_id: i64, now: i64) -> Result<usize> {
    revoke_all_but(tx, account_id, None, now)
}

/// [`revoke_all`], sparing `kept` (the one the current window came from).
pub(crate) fn revoke_all_but(tx: &Tx, account_id: i64, kept: Option<i64>, now: i64) -> Result<usize> {
    let revoked = tx.execute(
        "UPDATE remembered_sign_ins SET revoked_at = ?2
          WHERE account_id = ?1 AND revoked_at IS NULL AND id IS DISTINCT FROM ?3",
        params![account_id, now, kept],
    )?;
    tx.execute(
        "UPDATE login_sessions SET remembered_id = NULL
          WHERE account_id = ?1 AND remembered_id IS NOT NULL AND remembered_id IS DISTINCT FROM ?2",
        params![account_id, kept],
    )?;
    Ok(revoked)
}

/// Removes this machine's keyring entry when the store no longer honours it.
pub(crate) fn forget_if_revoked(desk: &Desk) {
    let Ok(Some(token)) = desk.secrets.get(&keyring_key(desk)) else { return };
    let honoured = desk.db.read(|tx| {
        Ok(tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM remembered_sign_ins WHERE token_hash = ?1 AND revoked_at IS NULL)",
            [random::token_hash(&token)],
            |r| r.get::<_, bool>(0),
        )?)
    });
    if matches!(honoured, Ok(false)) {
        forget_on_this_machine(desk);
    }
}

pub(crate) fn revoke(tx: &Tx, id: i64, now: i64) -> Result<()> {
    tx.execute(
        "UPDATE remembered_sign_ins SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, now],
    )?;
    Ok(())
}

pub(crate) fn forget_on_this_machine(desk: &Desk) {
    if let Err(e) = desk.secrets.delete(&keyring_key(desk)) {
        tracing::warn!(error = %e, "keyring: the remembered sign-in not removed");
    }
}

impl Desk {
    /// Starts a session from the token in the keyring, if it is still valid.
    /// A token the database no longer honours is removed from the keyring.
    pub fn resume(&self) -> Result<Option<(SessionToken, SignedIn)>> {
        let stored = match self.secrets.get(&keyring_key(self)) {
            Ok(Some(token)) => token,
            Ok(None) => return Ok(None),
            Err(e) => {
                tracing::warn!(error = %e, "keyring: unavailable, the remembered sign-in not resumed");
                return Ok(None);
            }
        };
        let now = self.now_millis();
        let token = self.db.write(|tx| {
            let found: Option<(i64, i64, i64, bool)> = tx
                .query_row(
                    "SELECT r.id, r.account_id, r.created_at, r.locked_at IS NOT NULL FROM remembered_sign_ins r
                       JOIN accounts a ON a.id = r.account_id
                      WHERE r.token_hash = ?1 AND r.revoked_at IS NULL
                        AND r.expires_at > ?2 AND r.created_at > ?3 AND a.deleted_at IS NULL",
                    params![random::token_hash(&stored), now, now - ABSOLUTE_LIFETIME.num_milliseconds()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            match found {
                Some((remembered_id, account_id, created_at, locked)) => {
                    // Using a remembered sign-in keeps it alive for another
                    // idle lifetime, never past its absolute one.
                    let expires_at = (now + IDLE_LIFETIME.num_milliseconds())
                        .min(created_at + ABSOLUTE_LIFETIME.num_milliseconds());
                    tx.execute(
                        "UPDATE remembered_sign_ins SET expires_at = ?2, last_used_at = ?3 WHERE id = ?1",
                        params![remembered_id, expires_at, now],
                    )?;
                    events::succeeded(tx, account_id, Step::Remembered, now)?;
                    let token = login_session::start(tx, account_id, Some(remembered_id), false, now)?;
                    // Its window was locked when the app closed: it opens locked.
                    if locked {
                        login_session::lock(tx, &token, now)?;
                    }
                    Ok(Some(token))
                }
                None => Ok(None),
            }
        })?;
        match token {
            Some(token) => {
                let view = self.signed_in(&token)?;
                self.announce_sign_in(view.account.id);
                Ok(Some((token, view)))
            }
            None => {
                forget_on_this_machine(self);
                Ok(None)
            }
        }
    }

    /// The keyring entry this install's remembered sign-in is filed under.
    pub fn remembered_sign_in_key(&self) -> String {
        format!("remembered-sign-in/{}", self.install_id())
    }
}
