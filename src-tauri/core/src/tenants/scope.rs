//! Which tenants an administrator may act on: platform administrators every
//! tenant, Tenant Admins the tenants they administer (`authz::permit_in`).
//! Anything else, including a tenant that does not exist, is "not allowed",
//! so ids reveal nothing.

use crate::store::sql::Tx;

use super::stored::{load, StoredTenant};
use crate::authz::{permit_in, Actor, Operation, Permit};
use crate::error::{Error, Result};

/// The actor's permit for `operation` on `tenant_id`, with the tenant as stored.
pub(crate) fn administered(tx: &Tx, actor: &Actor, tenant_id: i64, operation: Operation) -> Result<(Permit, StoredTenant)> {
    let permit = permit_in(tx, actor, tenant_id, operation)?;
    let tenant = load(tx, tenant_id)?.ok_or_else(Error::not_allowed)?;
    Ok((permit, tenant))
}
