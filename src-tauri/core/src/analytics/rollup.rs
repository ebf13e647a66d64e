//! The times charts measure, kept on the conversation as it changes (in the
//! sessions writes' transactions), so a chart over a date range reads one
//! index range of conversations and never their messages.
//!
//! - First response: from the customer's first message to the first
//!   operator message at or after it (AI agent replies do not count: the
//!   chart measures people).
//! - Resolution: from the conversation's start to when it was resolved; a
//!   customer writing again reopens it and clears the time.
//!
//! Messages may arrive out of order (imports carry their own times), so an
//! earlier customer message looks the first response up again.

use crate::store::sql::{params, Tx};

use crate::error::Result;
use crate::conversations::Author;

/// The first customer message and the first response to it, from a whole
/// conversation's messages (author, UTC milliseconds) in any order: what
/// [`record_message`] keeps, message by message.
pub(crate) fn first_times(messages: impl Iterator<Item = (Author, i64)> + Clone) -> (Option<i64>, Option<i64>) {
    let first_customer = messages.clone().filter(|(author, _)| *author == Author::Customer).map(|(_, at)| at).min();
    let first_response = first_customer.and_then(|customer| {
        messages.filter(|(author, at)| *author == Author::Operator && *at >= customer).map(|(_, at)| at).min()
    });
    (first_customer, first_response)
}

pub(crate) fn record_message(tx: &Tx, conversation_id: i64, author: Author, at: i64) -> Result<()> {
    match author {
        Author::Customer => {
            let moved = tx
                .prepare_cached(
                    "UPDATE conversations SET first_customer_at = ?2
                      WHERE id = ?1 AND (first_customer_at IS NULL OR first_customer_at > ?2)",
                )?
                .execute(params![conversation_id, at])?;
            if moved > 0 {
                tx.prepare_cached(
                    "UPDATE conversations SET first_response_at =
                        (SELECT min(m.at) FROM messages m
                          WHERE m.conversation_id = ?1 AND m.author = 'operator' AND m.at >= ?2)
                      WHERE id = ?1",
                )?
                .execute(params![conversation_id, at])?;
            }
        }
        Author::Operator => {
            tx.prepare_cached(
                "UPDATE conversations SET first_response_at = ?2
                  WHERE id = ?1 AND first_customer_at <= ?2 AND (first_response_at IS NULL OR first_response_at > ?2)",
            )?
            .execute(params![conversation_id, at])?;
        }
        Author::AiAgent => {}
    }
    Ok(())
}

pub(crate) fn record_resolved(tx: &Tx, conversation_id: i64, at: i64) -> Result<()> {
    tx.prepare_cached("UPDATE conversations SET resolved_at = ?2 WHERE id = ?1")?.execute(params![conversation_id, at])?;
    Ok(())
}

pub(crate) fn record_reopened(tx: &Tx, conversation_id: i64) -> Result<()> {
    tx.prepare_cached("UPDATE conversations SET resolved_at = NULL WHERE id = ?1")?.execute([conversation_id])?;
    Ok(())
}

/// Derives the times of the next `batch` conversations of a tenant after id
/// `after` from their messages at once: for conversations written in bulk
/// (an archive import) rather than message by message. The same rules as
/// `record_message` and migration 0009. Answers the last id it covered, or
/// none when no conversation is left.
pub(crate) fn derive_for_conversations(conn: &Tx, tenant_id: i64, after: i64, batch: i64) -> Result<Option<i64>> {
    let last: Option<i64> = conn.query_row(
        "SELECT max(id) FROM (SELECT id FROM conversations WHERE tenant_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3) AS batch",
        params![tenant_id, after, batch],
        |r| r.get(0),
    )?;
    let Some(last) = last else { return Ok(None) };
    let these = "tenant_id = ?1 AND id > ?2 AND id <= ?3";
    conn.execute(
        &format!(
            "UPDATE conversations SET first_customer_at =
                 (SELECT min(at) FROM messages m WHERE m.conversation_id = conversations.id AND m.author = 'customer')
              WHERE {these}"
        ),
        params![tenant_id, after, last],
    )?;
    conn.execute(
        &format!(
            "UPDATE conversations SET first_response_at =
                 (SELECT min(at) FROM messages m
                   WHERE m.conversation_id = conversations.id AND m.author = 'operator' AND m.at >= conversations.first_customer_at)
              WHERE {these} AND first_customer_at IS NOT NULL"
        ),
        params![tenant_id, after, last],
    )?;
    conn.execute(
        &format!("UPDATE conversations SET resolved_at = CASE WHEN status = 'resolved' THEN last_activity_at END WHERE {these}"),
        params![tenant_id, after, last],
    )?;
    Ok(Some(last))
}
