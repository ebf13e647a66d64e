use rusqlite::params;
use serde_json::json;

use crate::authz::{authorize, Actor, Operation};
use crate::error::{Error, Result};
use crate::store::audit;
use crate::Desk;

impl Desk {
    /// Stops one of one's own keys at once. Someone else's key id is "not
    /// found", so ids reveal nothing.
    pub fn revoke_personal_api_key(&self, actor: &Actor, key_id: i64) -> Result<()> {
        authorize(actor, Operation::RevokePersonalApiKey)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let changed = tx.execute(
                "UPDATE personal_api_keys SET revoked_at = ?3
                  WHERE id = ?1 AND account_id = ?2 AND revoked_at IS NULL",
                params![key_id, actor.account_id, now],
            )?;
            if changed == 0 {
                return Err(Error::not_found("API key"));
            }
            audit::record(
                tx,
                audit::Entry::own_account(actor.account_id, actor, now, "account.personal_api_key_revoke", json!({ "key_id": key_id })),
            )
        })
    }
}
