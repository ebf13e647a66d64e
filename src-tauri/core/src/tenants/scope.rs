//! Which tenants an administrator may act on: platform administrators every
//! tenant, Tenant Admins the tenants they administer. Anything else (including
//! a tenant that does not exist) is "not allowed", so ids reveal nothing.

use rusqlite::{params, OptionalExtension, Transaction};

use super::stored::{load, StoredTenant};
use crate::authz::{Actor, Role};
use crate::error::{Error, Result};

pub(crate) fn administered(tx: &Transaction, actor: &Actor, tenant_id: i64) -> Result<StoredTenant> {
    let tenant = load(tx, tenant_id)?.ok_or_else(Error::not_allowed)?;
    if actor.is_platform_admin {
        return Ok(tenant);
    }
    let role: Option<Role> = tx
        .query_row(
            "SELECT role FROM memberships WHERE account_id = ?1 AND tenant_id = ?2",
            params![actor.account_id, tenant_id],
            |r| r.get(0),
        )
        .optional()?;
    match role {
        Some(Role::TenantAdmin) => Ok(tenant),
        _ => Err(Error::not_allowed()),
    }
}
