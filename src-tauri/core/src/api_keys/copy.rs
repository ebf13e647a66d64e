//! "Copy api key": reads the key back from this machine's keyring for the
//! clipboard, after checking it is the tenant's current key.

use crate::store::sql::OptionalExtension;

use super::{hash, ApiKey};
use crate::authz::{Actor, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::audit;
use crate::tenants::administered_tenant;
use crate::Desk;

impl Desk {
    /// The tenant's key, for the shell to put on the clipboard. Fails with
    /// `ApiKeyNotOnThisMachine` when this keyring does not hold the current key
    /// (another machine created it, or it was removed): rotating helps then.
    pub fn tenant_api_key(&self, actor: &Actor, tenant_id: i64) -> Result<ApiKey> {
        let stored_hash: Option<String> = self.db.read(|tx| {
            administered_tenant(tx, actor, tenant_id, Operation::CopyTenantApiKey)?;
            Ok(tx
                .query_row("SELECT key_hash FROM tenant_api_keys WHERE tenant_id = ?1", [tenant_id], |r| r.get(0))
                .optional()?)
        })?;
        let held = self.secrets.get(&self.api_key_entry(tenant_id)).map_err(|e| {
            tracing::warn!(tenant_id, error = %e, "keyring: unavailable, the API key not read");
            Error::new(ErrorCode::Desktop, "No keyring service is available on this desktop, so the API key cannot be read.")
        })?;
        let key = match (held, &stored_hash) {
            (Some(key), Some(stored)) if hash(&key) == *stored => ApiKey(key),
            // A rotation stopped before its key left the pending entry.
            (_, Some(stored)) => match self.secrets.get(&self.api_key_pending_entry(tenant_id)) {
                Ok(Some(key)) if hash(&key) == *stored => {
                    let key = ApiKey(key);
                    self.promote_api_key(tenant_id, &key);
                    key
                }
                _ => return Err(not_on_this_machine()),
            },
            _ => return Err(not_on_this_machine()),
        };
        let now = self.now_millis();
        self.db.write(|tx| {
            audit::record(
                tx,
                audit::Entry::tenant_change(
                    actor.account_id,
                    now,
                    tenant_id,
                    "tenant.api_key.copy",
                    None,
                    None,
                ),
            )
        })?;
        tracing::info!(tenant_id, account_id = actor.account_id, "tenant API key read for the clipboard");
        Ok(key)
    }
}

fn not_on_this_machine() -> Error {
    Error::new(
        ErrorCode::ApiKeyNotOnThisMachine,
        "This computer's keyring does not hold the tenant's API key: it was created on another computer or removed. \
         Rotate the key to get a new one here; the old key then stops working.",
    )
}
