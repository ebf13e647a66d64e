//! Tenants table → CSV.

use super::{in_zone, text, Sheet};
use crate::authz::Actor;
use crate::error::Result;
use crate::Desk;

impl Desk {
    /// Every tenant the table lists for `search`; Created On in each tenant's timezone.
    pub fn tenants_csv(&self, actor: &Actor, search: &str) -> Result<String> {
        let mut sheet = Sheet::new(&["Name", "Description", "Billing email", "Phone", "Address", "Created On"])?;
        for t in self.list_tenants(actor, search)? {
            sheet.row([
                text(t.name),
                text(t.description),
                text(t.billing_email),
                text(t.phone),
                text(t.address),
                text(in_zone(&t.created_at, &t.timezone)),
            ])?;
        }
        sheet.finish()
    }
}
