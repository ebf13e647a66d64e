//! Users table → CSV.

use super::{in_zone, text, Cell, Sheet};
use crate::authz::Actor;
use crate::error::Result;
use crate::users::{TemporaryPassword, UserQuery, UserRow};
use crate::Desk;

impl Desk {
    /// Every user matching the table's search, in its sort.
    pub fn users_csv(&self, actor: &Actor, query: &UserQuery) -> Result<String> {
        let all = UserQuery { page: 0, ..query.clone() };
        let page = self.users_page(actor, &all, u32::MAX)?;
        let mut sheet = Sheet::new(&["ID", "Name", "Email", "Role", "Tenant", "Created On", "Modified On"])?;
        for u in page.rows {
            sheet.row([
                Cell::Number(u.id),
                text(u.name),
                text(u.email),
                text(u.role.label()),
                text(u.tenant_name),
                text(in_zone(&u.created_on, &page.timezone)),
                text(in_zone(&u.modified_on, &page.timezone)),
            ])?;
        }
        sheet.finish()
    }
}

/// The command line's `users list --format csv`: users of any tenants, with
/// the Users export's columns (times in UTC) and the platform flag, so the
/// list can be imported again.
pub fn users_across_tenants(rows: &[UserRow]) -> Result<String> {
    let mut sheet = Sheet::new(&["ID", "Name", "Email", "Role", "Tenant", "Created On", "Platform Admin"])?;
    for u in rows {
        sheet.row([
            Cell::Number(u.id),
            text(u.name.clone()),
            text(u.email.clone()),
            text(u.role.label()),
            text(u.tenant_name.clone()),
            text(u.created_on.clone()),
            text(if u.platform_admin { "yes" } else { "no" }),
        ])?;
    }
    sheet.finish()
}

/// The temporary passwords of an import, for the file kept until each person
/// has theirs.
pub fn temporary_passwords(passwords: &[TemporaryPassword]) -> Result<String> {
    let mut sheet = Sheet::new(&["Email", "Temporary Password"])?;
    for p in passwords {
        sheet.row([text(p.email.clone()), text(p.password.clone())])?;
    }
    sheet.finish()
}
