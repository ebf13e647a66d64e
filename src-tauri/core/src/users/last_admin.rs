use crate::store::sql::Tx;

use crate::error::{Error, ErrorCode, Result};

/// Called after a change, inside its write transaction (BEGIN IMMEDIATE, so
/// no other writer interleaves): if the tenant has no Tenant Admin left, the
/// error rolls the change back.
pub(crate) fn ensure_admin_remains(tx: &Tx, tenant_id: i64) -> Result<()> {
    let admins: i64 = tx.query_row(
        "SELECT count(*) FROM memberships m JOIN accounts a ON a.id = m.account_id
          WHERE m.tenant_id = ?1 AND m.role = 'tenant_admin' AND a.deleted_at IS NULL",
        [tenant_id],
        |r| r.get(0),
    )?;
    if admins == 0 {
        return Err(Error::new(
            ErrorCode::LastTenantAdmin,
            "This is the last Tenant Admin of the tenant. Make another user Tenant Admin first: \
             without one, nobody can manage users or tenant settings.",
        ));
    }
    Ok(())
}
