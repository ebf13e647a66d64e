use rusqlite::params;
use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::{load, scope};
use crate::auth::{end_all_sessions, password};
use crate::authz::{authorize, Actor, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::secrets::random;
use crate::store::audit;
use crate::Desk;

const TEMPORARY_PASSWORD_CHARS: usize = 16;

/// Shown once to the administrator, never stored in clear.
#[derive(Clone, PartialEq, Eq, Serialize, Type)]
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
    /// their sessions and remembered sign-ins, and makes them choose a new
    /// password at next sign-in. Blocking: Argon2.
    pub fn reset_user_password(&self, actor: &Actor, id: i64) -> Result<TemporaryPassword> {
        authorize(actor, Operation::ResetUserPassword)?;
        let temporary = random::password(TEMPORARY_PASSWORD_CHARS)?;
        let hash = password::hash(&temporary)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let user = load(tx, id)?;
            scope::require_writable_admin_of(tx, actor, user.tenant_id)?;
            if user.account_id == actor.account_id {
                return Err(Error::new(ErrorCode::NotAllowed, "You cannot reset your own password here."));
            }
            tx.execute(
                "UPDATE accounts SET password_hash = ?2, must_change_password = 1, modified_at = ?3 WHERE id = ?1",
                params![user.account_id, hash, now],
            )?;
            end_all_sessions(tx, user.account_id, now)?;
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(actor.account_id),
                    tenant_id: Some(user.tenant_id),
                    action: "user.password_reset",
                    subject: format!("user:{id}"),
                    subject_account_id: Some(user.account_id),
                    before: None,
                    after: Some(json!({ "temporary": true, "sessions_ended": true })),
                },
            )?;
            Ok(TemporaryPassword { email: user.email, password: temporary })
        })
    }
}
