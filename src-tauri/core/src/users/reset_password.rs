use crate::store::sql::params;
use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::load;
use crate::auth::{end_all_sessions, password};
use crate::authz::over_account::{self, AccountAction};
use crate::authz::{authorize, permit_in, Actor, Operation};
use crate::personal_api_keys::revoke_keys_of;
use crate::error::{Error, ErrorCode, Result};
use crate::secrets::random;
use crate::audit;
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
            tx.execute(
                "UPDATE accounts SET password_hash = ?2, must_change_password = 1, modified_at = ?3 WHERE id = ?1",
                params![user.account_id, hash, now],
            )?;
            end_all_sessions(tx, user.account_id, now)?;
            let keys = revoke_keys_of(tx, user.account_id, None, now)?;
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
}
