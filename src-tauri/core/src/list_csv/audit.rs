//! Audit log → CSV.

use super::{in_zone, text, Sheet};
use crate::audit::AuditQuery;
use crate::authz::Actor;
use crate::error::Result;
use crate::Desk;

impl Desk {
    /// Every entry matching the log's filters, newest first; before and after as JSON.
    pub fn audit_log_csv(&self, actor: &Actor, query: &AuditQuery) -> Result<String> {
        let all = AuditQuery { page: 0, ..query.clone() };
        let page = self.audit_page(actor, &all, u32::MAX)?;
        let mut sheet = Sheet::new(&["When", "Who", "Action", "User", "Before", "After"])?;
        for e in page.entries {
            sheet.row([
                text(in_zone(&e.at, &page.timezone)),
                text(e.actor.unwrap_or_default()),
                text(e.action),
                text(e.subject.unwrap_or_default()),
                text(e.before.unwrap_or_default()),
                text(e.after.unwrap_or_default()),
            ])?;
        }
        sheet.finish()
    }
}
