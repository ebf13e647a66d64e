//! A new tenant's first key, created in the same transaction as the tenant.

use rusqlite::{params, Transaction};

use super::{hash, ApiKey};
use crate::error::Result;
use crate::Desk;

/// Stores the hash and keeps the key in this machine's keyring. Without a
/// keyring the tenant is still created: its key is then held nowhere, and
/// copying offers to rotate it once a keyring is available.
pub(crate) fn issue(desk: &Desk, tx: &Transaction, tenant_id: i64, by: Option<i64>, now: i64) -> Result<()> {
    let key = ApiKey::generate()?;
    tx.execute(
        "INSERT INTO tenant_api_keys (tenant_id, key_hash, created_at, created_by) VALUES (?1, ?2, ?3, ?4)",
        params![tenant_id, hash(key.expose()), now, by],
    )?;
    if let Err(e) = desk.secrets.put(&desk.api_key_entry(tenant_id), key.expose()) {
        eprintln!("tenant-desk: could not keep the new tenant's API key in the keyring: {e}");
    }
    Ok(())
}
