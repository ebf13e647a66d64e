//! Whose work a person's charts and exports hold, decided on the role read
//! again inside the transaction (`authz::permit`).

use crate::store::sql::Tx;

use crate::authz::{permit, Actor, Operation, Role};
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

pub(crate) fn resolve(tx: &Tx, actor: &Actor, operation: Operation) -> Result<Scope> {
    let permit = permit(tx, actor, operation)?;
    let tenant_id = permit.tenant_id().ok_or_else(Error::not_allowed)?;
    let operator = (permit.role() == Some(Role::TenantOperator) && !permit.is_platform_admin()).then_some(permit.account_id());
    Ok(Scope { tenant_id, operator })
}
