//! A conversation written whole, with all of its messages at once (a new
//! conversation from the API, an import): its row is written once with what
//! its messages make of it, where a message added later brings the row up to
//! date one message at a time. Every index on the conversation's activity is
//! written once instead of once a message.

use crate::store::sql::{params, Tx};

use super::append::insert_message_row;
use super::{Author, ConversationStatus};
use crate::error::Result;

pub(super) struct Whole<'a> {
    pub tenant_id: i64,
    pub channel: &'a str,
    pub customer: &'a str,
    pub operator_account_id: Option<i64>,
    pub status: ConversationStatus,
    /// UTC milliseconds.
    pub created_at: i64,
    pub accepted_at: Option<i64>,
}

/// Stores the conversation and its messages (author, trimmed text, UTC
/// milliseconds); returns its id. The messages' words are the caller's to
/// index ([`word_index::pending`](super::word_index::pending)), once for
/// every conversation of its write.
pub(super) fn insert<'m>(tx: &Tx, whole: &Whole, messages: impl Iterator<Item = (Author, &'m str, i64)> + Clone) -> Result<i64> {
    let last_activity_at = messages.clone().map(|(_, _, at)| at).fold(whole.created_at, i64::max);
    let message_count = messages.clone().count() as i64;
    let customer_replied = messages.clone().any(|(author, _, _)| author == Author::Customer);
    let (first_customer_at, first_response_at) = crate::analytics::first_times(messages.clone().map(|(author, _, at)| (author, at)));
    // Stored whole, a resolved conversation knows no later resolution time
    // than its last activity.
    let resolved_at = (whole.status == ConversationStatus::Resolved).then_some(last_activity_at);
    tx.prepare_cached(
        "INSERT INTO conversations (tenant_id, channel, customer, operator_account_id, status, created_at, last_activity_at,
                                    accepted_at, customer_replied, message_count, first_customer_at, first_response_at,
                                    resolved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        whole.tenant_id,
        whole.channel,
        whole.customer,
        whole.operator_account_id,
        whole.status,
        whole.created_at,
        last_activity_at,
        whole.accepted_at,
        customer_replied,
        message_count,
        first_customer_at,
        first_response_at,
        resolved_at
    ])?;
    let id = tx.last_insert_rowid()?;
    for (author, text, at) in messages {
        insert_message_row(tx, id, author, text, at)?;
    }
    crate::billing::record_windows(tx, id)?;
    Ok(id)
}
