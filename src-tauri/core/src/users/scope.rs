use crate::store::sql::Tx;
use serde::Serialize;
use specta::Type;

use crate::authz::{permit, Actor, Operation, Permit};
use crate::error::Result;
use crate::Desk;

/// A tenant the acting person may put users in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct TenantOption {
    pub id: i64,
    pub name: String,
    pub timezone: String,
}

/// The tenants the permit's holder administers: every tenant for a platform
/// administrator, else those where they are Tenant Admin.
pub(crate) fn administered(tx: &Tx, permit: &Permit) -> Result<Vec<TenantOption>> {
    let mut stmt = tx.prepare(
        "SELECT t.id, t.name, t.timezone FROM tenants t
          WHERE (?2 = 1 OR EXISTS (SELECT 1 FROM memberships m
                                WHERE m.tenant_id = t.id AND m.account_id = ?1 AND m.role = 'tenant_admin'))
            AND t.id NOT IN (SELECT tenant_id FROM unfinished_snapshots)
          ORDER BY lower(t.name), t.id",
    )?;
    let tenants = stmt
        .query_map(crate::params![permit.account_id(), permit.is_platform_admin()], |r| {
            Ok(TenantOption { id: r.get(0)?, name: r.get(1)?, timezone: r.get(2)? })
        })?
        .collect::<crate::store::sql::Result<Vec<_>>>()?;
    Ok(tenants)
}

impl Desk {
    /// The tenants the actor may add users to (the dialog's Tenant field).
    pub fn administered_tenants(&self, actor: &Actor) -> Result<Vec<TenantOption>> {
        self.db.read(|tx| administered(tx, &permit(tx, actor, Operation::ListUsers)?))
    }
}
