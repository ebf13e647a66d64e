//! Every user of the install, for the command line's `users list`: the
//! local administrator reads across tenants, with the Users list's filters.
//! A snapshot's readers are no users of it, so they are left out.

use super::{row, UserRow, ROW_COLUMNS, ROW_FROM};
use crate::authz::{LocalAdministrator, Role};
use crate::error::Result;
use crate::store::fold_case;
use crate::store::sql::Value;
use crate::Desk;

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub tenant_id: Option<i64>,
    pub role: Option<Role>,
    /// Part of a name or address, in any case.
    pub search: String,
    pub platform_admins_only: bool,
}

impl Desk {
    /// The users matching `filter`, by tenant then name.
    pub fn all_users(&self, _local: &LocalAdministrator, filter: &UserFilter) -> Result<Vec<UserRow>> {
        self.db.read(|tx| {
            let mut sql = format!("{ROW_COLUMNS} {ROW_FROM} WHERE a.deleted_at IS NULL AND m.snapshot_reader = 0");
            let mut params: Vec<Value> = vec![];
            if let Some(tenant) = filter.tenant_id {
                params.push(tenant.into());
                sql.push_str(&format!(" AND m.tenant_id = ?{}", params.len()));
            }
            if let Some(role) = filter.role {
                params.push(role.key().to_owned().into());
                sql.push_str(&format!(" AND m.role = ?{}", params.len()));
            }
            let term = fold_case(filter.search.trim());
            if !term.is_empty() {
                params.push(term.into());
                sql.push_str(&format!(" AND instr(fold_case(a.name || ' ' || a.email), ?{}) > 0", params.len()));
            }
            if filter.platform_admins_only {
                sql.push_str(" AND a.is_platform_admin = 1");
            }
            sql.push_str(" ORDER BY t.name, m.tenant_id, a.name, m.id");
            let mut statement = tx.prepare(&sql)?;
            let rows = statement.query_map(crate::store::sql::params_from_iter(params.iter()), row)?;
            Ok(rows.collect::<crate::store::sql::Result<Vec<_>>>()?)
        })
    }
}
