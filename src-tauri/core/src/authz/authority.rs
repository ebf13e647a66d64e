//! One way to check authority. Every operation asks here inside its own
//! transaction: the actor's platform flag, their role in the tenant and the
//! tenant's read-only flag are read again, so a demotion, a revoked flag or
//! a removal committed since the actor was resolved counts. Inner functions
//! take the [`Permit`] this returns, which nothing else can make.

use crate::store::sql::{params, OptionalExtension, Tx};

use super::{authorize, Actor, Operation, Role, TenantContext};
use crate::error::{Error, Result};

/// Proof that the actor, as the store knows them inside the transaction,
/// may do `operation`.
#[derive(Debug)]
pub struct Permit {
    operation: Operation,
    actor: Actor,
    tenant_id: Option<i64>,
}

impl Permit {
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// The actor as stored now (role and platform flag read in the transaction).
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn account_id(&self) -> i64 {
        self.actor.account_id
    }

    /// The tenant the check was made for: the one the actor works in, or the
    /// one the operation names.
    pub fn tenant_id(&self) -> Option<i64> {
        self.tenant_id
    }

    /// [`tenant_id`](Self::tenant_id) for operations that need one: "not
    /// allowed" for an account that belongs to no tenant.
    pub fn tenant(&self) -> Result<i64> {
        self.tenant_id.ok_or_else(Error::not_allowed)
    }

    pub fn is_platform_admin(&self) -> bool {
        self.actor.is_platform_admin
    }

    /// The actor's role in [`tenant_id`](Self::tenant_id), if they are a member.
    pub fn role(&self) -> Option<Role> {
        self.actor.role()
    }
}

/// The actor's `operation` in the tenant they work in.
pub(crate) fn permit(tx: &Tx, actor: &Actor, operation: Operation) -> Result<Permit> {
    check(tx, actor, actor.tenant.as_ref().map(|t| t.tenant_id), operation)
}

/// The actor's `operation` on `tenant_id`, which need not be the tenant they
/// work in (Edit tenant, a user moved to another tenant). A tenant that does
/// not exist is "not allowed", so ids reveal nothing.
pub(crate) fn permit_in(tx: &Tx, actor: &Actor, tenant_id: i64, operation: Operation) -> Result<Permit> {
    check(tx, actor, Some(tenant_id), operation)
}

fn check(tx: &Tx, actor: &Actor, tenant_id: Option<i64>, operation: Operation) -> Result<Permit> {
    let now = current(tx, actor, tenant_id)?;
    let tenant_read_only = match tenant_id {
        Some(id) => Some(read_only(tx, id)?.ok_or_else(Error::not_allowed)?),
        None => None,
    };
    // A platform administrator who is no member of the tenant has no tenant
    // context, so the tenant's own flag is checked here as well.
    if operation.changes_tenant_data() && tenant_read_only == Some(true) {
        return Err(super::read_only_refusal());
    }
    authorize(&now, operation)?;
    Ok(Permit { operation, actor: now, tenant_id })
}

/// The actor as stored now. A personal API key carries its owner's role in
/// the key's tenant only, never the platform flag and never another tenant.
fn current(tx: &Tx, actor: &Actor, tenant_id: Option<i64>) -> Result<Actor> {
    if actor.through_key && tenant_id != actor.tenant.as_ref().map(|t| t.tenant_id) {
        return Err(Error::not_allowed());
    }
    let (is_platform_admin, membership): (bool, Option<(Role, bool)>) = tx
        .query_row(
            "SELECT a.is_platform_admin, m.role, t.read_only
               FROM accounts a
               LEFT JOIN memberships m ON m.account_id = a.id AND m.tenant_id = ?2
               LEFT JOIN tenants t ON t.id = m.tenant_id
              WHERE a.id = ?1 AND a.deleted_at IS NULL",
            params![actor.account_id, tenant_id],
            |r| {
                let role: Option<Role> = r.get(1)?;
                let read_only: Option<bool> = r.get(2)?;
                Ok((r.get(0)?, role.zip(read_only)))
            },
        )
        .optional()?
        .ok_or_else(Error::not_signed_in)?;
    Ok(Actor {
        account_id: actor.account_id,
        is_platform_admin: is_platform_admin && !actor.through_key,
        tenant: tenant_id.zip(membership).map(|(tenant_id, (role, read_only))| TenantContext { tenant_id, role, read_only }),
        through_key: actor.through_key,
    })
}

fn read_only(tx: &Tx, tenant_id: i64) -> Result<Option<bool>> {
    Ok(tx.query_row("SELECT read_only FROM tenants WHERE id = ?1", [tenant_id], |r| r.get(0)).optional()?)
}

impl crate::Desk {
    /// Whether the actor, as stored now, may do `operation`: for work that
    /// runs outside the store's transactions (a file dialog about to open, a
    /// backup through SQLite's backup API, a computation).
    pub fn check(&self, actor: &Actor, operation: Operation) -> Result<()> {
        self.db.read(|tx| permit(tx, actor, operation).map(drop))
    }
}
