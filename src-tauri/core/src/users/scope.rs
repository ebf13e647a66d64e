use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use specta::Type;

use crate::authz::{authorize, Actor, Operation, Role};
use crate::error::{Error, Result};
use crate::Desk;

/// A tenant the acting person may put users in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct TenantOption {
    pub id: i64,
    pub name: String,
    pub timezone: String,
}

/// Re-reads, inside the caller's transaction, whether the actor administers
/// `tenant_id` now (a platform administrator, or its Tenant Admin). The actor
/// was resolved before the transaction began; a demotion committed since then
/// must count.
pub(crate) fn require_admin_of(tx: &Transaction, actor: &Actor, tenant_id: i64) -> Result<()> {
    let found: Option<(bool, Option<Role>)> = tx
        .query_row(
            "SELECT a.is_platform_admin,
                    (SELECT role FROM memberships WHERE account_id = a.id AND tenant_id = ?2)
               FROM accounts a WHERE a.id = ?1 AND a.deleted_at IS NULL",
            params![actor.account_id, tenant_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match found {
        None => Err(Error::not_signed_in()),
        Some((true, _)) | Some((_, Some(Role::TenantAdmin))) => Ok(()),
        Some(_) => Err(Error::not_allowed()),
    }
}

/// [`require_admin_of`] for a change: a read-only tenant (a snapshot) refuses it.
pub(crate) fn require_writable_admin_of(tx: &Transaction, actor: &Actor, tenant_id: i64) -> Result<()> {
    require_admin_of(tx, actor, tenant_id)?;
    crate::tenants::stored_tenant(tx, tenant_id)?.ensure_writable()
}

pub(crate) fn administered(tx: &Transaction, actor: &Actor) -> Result<Vec<TenantOption>> {
    let mut stmt = tx.prepare(
        "SELECT t.id, t.name, t.timezone FROM tenants t
          WHERE (SELECT is_platform_admin FROM accounts WHERE id = ?1)
             OR EXISTS (SELECT 1 FROM memberships m
                         WHERE m.tenant_id = t.id AND m.account_id = ?1 AND m.role = 'tenant_admin')
          ORDER BY t.name COLLATE NOCASE, t.id",
    )?;
    let tenants = stmt
        .query_map([actor.account_id], |r| Ok(TenantOption { id: r.get(0)?, name: r.get(1)?, timezone: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(tenants)
}

impl Desk {
    /// The tenants the actor may add users to (the dialog's Tenant field).
    pub fn administered_tenants(&self, actor: &Actor) -> Result<Vec<TenantOption>> {
        authorize(actor, Operation::ListUsers)?;
        self.db.read(|tx| administered(tx, actor))
    }
}
