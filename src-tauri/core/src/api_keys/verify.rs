//! Verifying a key presented by a caller of the tenant API.

use crate::store::sql::OptionalExtension;

use super::{hash, PREFIX};
use crate::authz::{Caller, TenantKey};
use crate::error::Result;
use crate::Desk;

impl Desk {
    /// The tenant a key belongs to, or `None` for a key that is unknown or was
    /// replaced by a rotation.
    pub fn verify_tenant_api_key(&self, key: &str) -> Result<Option<i64>> {
        if !key.starts_with(PREFIX) {
            return Ok(None);
        }
        let digest = hash(key);
        self.db.read(|tx| {
            Ok(tx
                .query_row("SELECT tenant_id FROM tenant_api_keys WHERE key_hash = ?1", [digest], |r| r.get(0))
                .optional()?)
        })
    }

    /// The caller a tenant API request runs as, for a valid key.
    pub fn tenant_key_caller(&self, key: &str) -> Result<Option<Caller>> {
        Ok(self.verify_tenant_api_key(key)?.map(|tenant_id| Caller::TenantKey(TenantKey::verified(tenant_id))))
    }
}
