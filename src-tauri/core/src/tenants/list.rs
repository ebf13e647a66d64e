//! Identity > Tenants: the tenants an administrator may manage, searched by
//! name, description or label.

use crate::store::sql::params;

use super::stored::{StoredTenant, TenantRow, COLUMNS};
use crate::authz::{permit, Actor, Operation};
use crate::error::Result;
use crate::Desk;

/// Leaves out a snapshot still being imported or removed.
const FINISHED: &str = "id NOT IN (SELECT tenant_id FROM unfinished_snapshots)";

impl Desk {
    /// Platform administrators see every tenant; Tenant Admins the tenants they
    /// administer (through a personal API key, its tenant only). `search`
    /// matches name, description or any label, ignoring case.
    pub fn list_tenants(&self, actor: &Actor, search: &str) -> Result<Vec<TenantRow>> {
        let tenants = self.db.read(|tx| {
            let permit = permit(tx, actor, Operation::ListTenants)?;
            let rows = if permit.is_platform_admin() {
                let mut stmt = tx.prepare(&format!("SELECT {COLUMNS} FROM tenants WHERE {FINISHED} ORDER BY lower(name), id"))?;
                let rows = stmt.query_map([], StoredTenant::from_row)?.collect::<crate::store::sql::Result<Vec<_>>>()?;
                rows
            } else {
                let only = actor.through_key.then(|| permit.tenant_id()).flatten();
                let mut stmt = tx.prepare(&format!(
                    "SELECT {COLUMNS} FROM tenants WHERE id IN
                       (SELECT tenant_id FROM memberships WHERE account_id = ?1 AND role = 'tenant_admin')
                       AND (CAST(?2 AS BIGINT) IS NULL OR id = ?2) AND {FINISHED}
                     ORDER BY lower(name), id"
                ))?;
                let rows = stmt
                    .query_map(params![permit.account_id(), only], StoredTenant::from_row)?
                    .collect::<crate::store::sql::Result<Vec<_>>>()?;
                rows
            };
            Ok(rows)
        })?;
        let needle = search.trim().to_lowercase();
        Ok(tenants.into_iter().filter(|t| matches(t, &needle)).map(TenantRow::from).collect())
    }
}

fn matches(tenant: &StoredTenant, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let f = &tenant.fields;
    f.name.to_lowercase().contains(needle)
        || f.description.to_lowercase().contains(needle)
        || f.labels.iter().any(|l| l.to_lowercase().contains(needle))
}
