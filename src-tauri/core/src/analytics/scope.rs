//! Whose work a person's charts and exports hold, with the role read again
//! inside the transaction (a role changed since sign-in must count).

use rusqlite::{params, OptionalExtension, Transaction};

use crate::authz::{is_allowed, Actor, Operation, Role, TenantContext};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scope {
    pub tenant_id: i64,
    /// `Some(id)`: only conversations assigned to that Tenant Operator.
    pub operator: Option<i64>,
}

impl Scope {
    pub fn whole_tenant(&self) -> bool {
        self.operator.is_none()
    }
}

pub(crate) fn resolve(tx: &Transaction, actor: &Actor, operation: Operation) -> Result<Scope> {
    let tenant_id = actor.tenant.as_ref().map(|t| t.tenant_id).ok_or_else(Error::not_allowed)?;
    let found: Option<(bool, Option<Role>)> = tx
        .query_row(
            "SELECT a.is_platform_admin,
                    (SELECT role FROM memberships WHERE account_id = a.id AND tenant_id = ?2)
               FROM accounts a WHERE a.id = ?1 AND a.deleted_at IS NULL",
            params![actor.account_id, tenant_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((is_platform_admin, Some(role))) = found else { return Err(Error::not_allowed()) };
    let read_only = actor.tenant.as_ref().is_some_and(|t| t.read_only);
    let now =
        Actor { account_id: actor.account_id, is_platform_admin, tenant: Some(TenantContext { tenant_id, role, read_only }) };
    if !is_allowed(&now, operation) {
        return Err(Error::not_allowed());
    }
    let operator = (role == Role::TenantOperator && !is_platform_admin).then_some(actor.account_id);
    Ok(Scope { tenant_id, operator })
}
