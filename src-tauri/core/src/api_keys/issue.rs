//! A new tenant's first key: its hash is stored in the same transaction as
//! the tenant; the key goes to the keyring once that transaction committed
//! (no keyring call ever runs inside a write transaction).

use crate::store::sql::{params, Tx};

use super::{hash, ApiKey};
use crate::error::Result;
use crate::Desk;

/// Stores the hash of a new key for `tenant_id` and returns the key, for
/// [`Desk::keep_new_api_key`] after the commit.
pub(crate) fn issue(tx: &Tx, tenant_id: i64, by: Option<i64>, now: i64) -> Result<ApiKey> {
    let key = ApiKey::generate()?;
    tx.execute(
        "INSERT INTO tenant_api_keys (tenant_id, key_hash, created_at, created_by) VALUES (?1, ?2, ?3, ?4)",
        params![tenant_id, hash(key.expose()), now, by],
    )?;
    Ok(key)
}

impl Desk {
    /// Keeps a new tenant's key in this machine's keyring. Without a keyring
    /// the tenant is still created: its key is then held nowhere, and copying
    /// offers to rotate it once a keyring is available.
    pub(crate) fn keep_new_api_key(&self, tenant_id: i64, key: &ApiKey) {
        if let Err(e) = self.secrets.put(&self.api_key_entry(tenant_id), key.expose()) {
            tracing::warn!(tenant_id, error = %e, "keyring: the new tenant's API key not kept");
        }
    }
}
