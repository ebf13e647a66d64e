//! "Rotate key": a new key replaces the old one, which stops verifying at once.

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::{hash, ApiKey};
use crate::authz::{Actor, Operation};
use crate::clock::to_wire;
use crate::error::{Error, ErrorCode, Result};
use crate::store::audit;
use crate::tenants::administered_tenant;
use crate::Desk;

impl Desk {
    /// Refused for read-only tenants. The new key goes to this machine's keyring
    /// inside the same transaction: if the keyring cannot take it, nothing changes.
    pub fn rotate_tenant_api_key(&self, actor: &Actor, tenant_id: i64) -> Result<()> {
        let key = ApiKey::generate()?;
        let now = self.now_millis();
        self.db.write(|tx| {
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
            )?;
            self.secrets.put(&self.api_key_entry(tenant_id), key.expose()).map_err(|e| {
                eprintln!("tenant-desk: could not keep the rotated API key in the keyring: {e}");
                Error::new(
                    ErrorCode::Desktop,
                    "The keyring of this desktop could not keep a new API key, so the key was not rotated.",
                )
            })
        })
    }
}
