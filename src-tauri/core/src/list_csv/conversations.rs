//! Sessions list → CSV.

use super::{in_zone, text, Cell, Sheet};
use crate::authz::Caller;
use crate::error::Result;
use crate::conversations::{ConversationQuery, ConversationStatus};
use crate::Desk;

impl Desk {
    /// Every conversation matching the list's filters and search, newest activity first.
    pub fn conversations_csv(&self, caller: &Caller, query: &ConversationQuery) -> Result<String> {
        let all = ConversationQuery { page: 0, ..query.clone() };
        let page = self.conversations_page(caller, &all, u32::MAX)?;
        let mut sheet = Sheet::new(&[
            "ID",
            "Customer",
            "Channel",
            "Status",
            "Operator",
            "Started",
            "Last activity",
            "Messages",
            "Last message",
        ])?;
        for s in page.rows {
            let status = match s.status {
                ConversationStatus::Open => "Open",
                ConversationStatus::Resolved => "Resolved",
            };
            sheet.row([
                Cell::Number(s.id),
                text(s.customer),
                text(s.channel),
                text(status),
                text(s.operator.map_or_else(|| "Waiting".to_owned(), |o| o.name)),
                text(in_zone(&s.created_at, &page.timezone)),
                text(in_zone(&s.last_activity_at, &page.timezone)),
                Cell::Number(s.message_count),
                text(s.last_message.unwrap_or_default()),
            ])?;
        }
        sheet.finish()
    }
}
