//! "Rotate key": a new key replaces the old one, which stops verifying at once.
//!
//! The keyring is never asked inside the write transaction: the new key is
//! first kept in a pending entry (if the keyring cannot take it, nothing
//! changes), the transaction then stores its hash, and only after the commit
//! does the key move to the tenant's entry. Should the app stop in between,
//! copying finds the key in the pending entry (`copy`).

use crate::store::sql::{params, OptionalExtension};
use serde_json::json;

use super::{hash, ApiKey};
use crate::authz::{Actor, Operation};
use crate::clock::to_wire;
use crate::error::{Error, ErrorCode, Result};
use crate::audit;
use crate::tenants::administered_tenant;
use crate::Desk;

impl Desk {
    /// Refused for read-only tenants.
    pub fn rotate_tenant_api_key(&self, actor: &Actor, tenant_id: i64) -> Result<()> {
        // Asked before the keyring is: a refused caller leaves no trace there.
        self.db.read(|tx| administered_tenant(tx, actor, tenant_id, Operation::RotateTenantApiKey).map(drop))?;
        let key = ApiKey::generate()?;
        let pending = self.api_key_pending_entry(tenant_id);
        self.secrets.put(&pending, key.expose()).map_err(|e| {
            tracing::warn!(tenant_id, error = %e, "keyring: the rotated API key not kept, nothing rotated");
            Error::new(ErrorCode::Desktop, "The keyring of this desktop could not keep a new API key, so the key was not rotated.")
        })?;
        let now = self.now_millis();
        let stored = self.db.write(|tx| {
            let (permit, _) = administered_tenant(tx, actor, tenant_id, Operation::RotateTenantApiKey)?;
            let previous: Option<i64> = tx
                .query_row("SELECT created_at FROM tenant_api_keys WHERE tenant_id = ?1", [tenant_id], |r| r.get(0))
                .optional()?;
            tx.execute(
                "INSERT INTO tenant_api_keys (tenant_id, key_hash, created_at, created_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant_id) DO UPDATE SET key_hash = excluded.key_hash,
                     created_at = excluded.created_at, created_by = excluded.created_by",
                params![tenant_id, hash(key.expose()), now, permit.account_id()],
            )?;
            audit::record(
                tx,
                audit::Entry::tenant_change(
                    permit.account_id(),
                    now,
                    tenant_id,
                    "tenant.api_key.rotate",
                    Some(json!({ "key_created_at": previous.map(to_wire) })),
                    Some(json!({ "key_created_at": to_wire(now) })),
                ),
            )
        });
        if let Err(e) = stored {
            let _ = self.secrets.delete(&pending);
            return Err(e);
        }
        self.promote_api_key(tenant_id, &key);
        tracing::info!(tenant_id, account_id = actor.account_id, "tenant API key rotated");
        Ok(())
    }

    /// Moves a key from the pending entry to the tenant's entry. If the
    /// keyring fails now, the key stays pending and copying promotes it.
    pub(crate) fn promote_api_key(&self, tenant_id: i64, key: &ApiKey) {
        match self.secrets.put(&self.api_key_entry(tenant_id), key.expose()) {
            Ok(()) => {
                if let Err(e) = self.secrets.delete(&self.api_key_pending_entry(tenant_id)) {
                    tracing::warn!(tenant_id, error = %e, "keyring: the pending API key not removed");
                }
            }
            Err(e) => tracing::warn!(tenant_id, error = %e, "keyring: the rotated API key stays pending"),
        }
    }
}
