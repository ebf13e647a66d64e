use crate::store::sql::{params, OptionalExtension};

use super::{hash, PREFIX};
use crate::authz::{Actor, Role, TenantContext};
use crate::error::Result;
use crate::Desk;

impl Desk {
    /// The person a presented key acts for: their account with their current
    /// role in the key's tenant, and nothing beyond it (a platform
    /// administrator's key does not carry that flag). `None` for an unknown,
    /// revoked or expired key, a deleted account, one no longer in that
    /// tenant, and while the owner could not sign in to the window either:
    /// a temporary password still to replace, or MFA a tenant of theirs
    /// requires and they have not set up. A key that passes has its last use
    /// recorded.
    pub fn verify_personal_api_key(&self, key: &str) -> Result<Option<Actor>> {
        if !key.starts_with(PREFIX) {
            return Ok(None);
        }
        let digest = hash(key);
        let now = self.now_millis();
        self.db.write(|tx| {
            let found: Option<(i64, i64, i64, Role, bool)> = tx
                .query_row(
                    "SELECT k.id, k.account_id, k.tenant_id, m.role,
                            (SELECT read_only FROM tenants WHERE id = k.tenant_id)
                       FROM personal_api_keys k
                       JOIN accounts a ON a.id = k.account_id AND a.deleted_at IS NULL
                       JOIN memberships m ON m.account_id = k.account_id AND m.tenant_id = k.tenant_id
                      WHERE k.key_hash = ?1 AND k.revoked_at IS NULL
                        AND (k.expires_at IS NULL OR k.expires_at > ?2)
                        AND a.must_change_password = 0
                        AND NOT (NOT EXISTS (SELECT 1 FROM account_mfa f WHERE f.account_id = a.id)
                                 AND EXISTS (SELECT 1 FROM memberships r JOIN tenants t ON t.id = r.tenant_id
                                              WHERE r.account_id = a.id AND t.require_mfa = 1 AND r.snapshot_reader = 0))",
                    params![digest, now],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let Some((id, account_id, tenant_id, role, read_only)) = found else { return Ok(None) };
            tx.execute("UPDATE personal_api_keys SET last_used_at = ?2 WHERE id = ?1", params![id, now])?;
            Ok(Some(Actor {
                account_id,
                is_platform_admin: false,
                tenant: Some(TenantContext { tenant_id, role, read_only }),
                through_key: true,
            }))
        })
    }
}
