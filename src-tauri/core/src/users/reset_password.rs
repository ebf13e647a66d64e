use crate::store::sql::params;
use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::load;
use crate::auth::{end_all_sessions, password};
use crate::authz::over_account::{self, AccountAction};
use crate::authz::{authorize, permit_in, Actor, LocalAdministrator, Operation};
use crate::personal_api_keys::revoke_keys_of;
use crate::error::{Error, ErrorCode, Result};
use crate::store::sql::{OptionalExtension, Tx};
use crate::validate::email_key;
use crate::secrets::random;
use crate::audit;
use crate::Desk;

const TEMPORARY_PASSWORD_CHARS: usize = 16;

/// Shown once to the administrator, never stored in clear.
#[derive(Clone, PartialEq, Eq, Serialize, serde::Deserialize, Type)]
pub struct TemporaryPassword {
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for TemporaryPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TemporaryPassword({}, …)", self.email)
    }
}

impl Desk {
    /// Gives the user a strong temporary password (returned once), ends all
    /// their sessions and remembered sign-ins, revokes their personal API
    /// keys, and makes them choose a new password at next sign-in. An action
    /// on the whole account (`authz::over_account`). Blocking: Argon2.
    pub fn reset_user_password(&self, actor: &Actor, id: i64) -> Result<TemporaryPassword> {
        authorize(actor, Operation::ResetUserPassword)?;
        let temporary = random::password(TEMPORARY_PASSWORD_CHARS)?;
        let hash = password::hash(&temporary)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let user = load(tx, id)?;
            let permit = permit_in(tx, actor, user.tenant_id, Operation::ResetUserPassword)?;
            if user.account_id == permit.account_id() {
                return Err(Error::new(ErrorCode::NotAllowed, super::OWN_PASSWORD));
            }
            over_account::require(tx, &permit, user.account_id, AccountAction::ResetPassword)?;
            let keys = replace_password(tx, user.account_id, &hash, now)?;
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(permit.account_id()),
                    tenant_id: Some(user.tenant_id),
                    action: "user.password_reset",
                    subject: format!("user:{id}"),
                    subject_account_id: Some(user.account_id),
                    before: None,
                    after: Some(json!({ "temporary": true, "sessions_ended": true, "api_keys_revoked": keys })),
                    via: audit::Via::Window,
                },
            )?;
            Ok(TemporaryPassword { email: user.email, password: temporary })
        })
    }

    /// The command line's recovery for someone locked out (a sole
    /// administrator who forgot their password): the account with `email`
    /// gets a temporary password, to be replaced at next sign-in, exactly as
    /// Reset password in the window does, and earlier failed attempts no longer
    /// hold them back. Audited as the local administrator. Blocking: Argon2.
    pub fn reset_password_locally(&self, local: &LocalAdministrator, email: &str) -> Result<TemporaryPassword> {
        let temporary = random::password(TEMPORARY_PASSWORD_CHARS)?;
        let hash = password::hash(&temporary)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let (account_id, email) = live_account(tx, email)?;
            let keys = replace_password(tx, account_id, &hash, now)?;
            // Failed attempts before the reset must not keep them out now.
            tx.execute("DELETE FROM sign_in_throttle WHERE email_key = ?1", [email_key(&email)])?;
            audit::record(
                tx,
                audit::Entry::local_account_change(local, now, "account.password_reset", account_id, json!({ "temporary": true, "sessions_ended": true, "api_keys_revoked": keys })),
            )?;
            Ok(TemporaryPassword { email, password: temporary })
        })
    }
}

/// Sets a temporary password, ends every session and remembered sign-in and
/// revokes the personal API keys of the account; the number revoked.
fn replace_password(tx: &Tx, account_id: i64, hash: &str, now: i64) -> Result<usize> {
    tx.execute(
        "UPDATE accounts SET password_hash = ?2, must_change_password = 1, modified_at = ?3 WHERE id = ?1",
        params![account_id, hash, now],
    )?;
    end_all_sessions(tx, account_id, now)?;
    revoke_keys_of(tx, account_id, None, now)
}

/// The live account with this address (any case), and its address as stored.
pub(crate) fn live_account(tx: &Tx, email: &str) -> Result<(i64, String)> {
    tx.query_row(
        "SELECT id, email FROM accounts WHERE email_key = ?1 AND deleted_at IS NULL",
        [email_key(email.trim())],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("No account has the address {}.", email.trim())))
}
