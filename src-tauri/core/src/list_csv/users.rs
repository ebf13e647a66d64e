//! Users table → CSV.

use super::{in_zone, text, Cell, Sheet};
use crate::authz::Actor;
use crate::error::Result;
use crate::users::UserQuery;
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
