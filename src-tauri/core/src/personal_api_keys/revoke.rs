use crate::store::sql::{params, Tx};
use serde_json::json;

use crate::authz::{permit, Actor, Operation};
use crate::error::{Error, Result};
use crate::audit;
use crate::Desk;

/// Revokes every live key of the account (in `tenant_id` only, when given):
/// its password or MFA was reset, or it left the tenant. Returns how many.
pub(crate) fn revoke_keys_of(tx: &Tx, account_id: i64, tenant_id: Option<i64>, now: i64) -> Result<usize> {
    Ok(tx.execute(
        "UPDATE personal_api_keys SET revoked_at = ?3
          WHERE account_id = ?1 AND (CAST(?2 AS BIGINT) IS NULL OR tenant_id = ?2) AND revoked_at IS NULL",
        params![account_id, tenant_id, now],
    )?)
}

impl Desk {
    /// Stops one of one's own keys at once. Someone else's key id is "not
    /// found", so ids reveal nothing.
    pub fn revoke_personal_api_key(&self, actor: &Actor, key_id: i64) -> Result<()> {
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::RevokePersonalApiKey)?;
            let changed = tx.execute(
                "UPDATE personal_api_keys SET revoked_at = ?3
                  WHERE id = ?1 AND account_id = ?2 AND revoked_at IS NULL",
                params![key_id, permit.account_id(), now],
            )?;
            if changed == 0 {
                return Err(Error::not_found("API key"));
            }
            audit::record(
                tx,
                audit::Entry::own_account(
                    permit.account_id(),
                    permit.actor(),
                    now,
                    "account.personal_api_key_revoke",
                    json!({ "key_id": key_id }),
                ),
            )
        })
    }
}
