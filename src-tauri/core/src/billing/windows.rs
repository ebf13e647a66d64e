//! Billable sessions: each started 24-hour window of a conversation.
//!
//! Window `k` of a conversation starts at `created_at + k × 24 h`; a
//! conversation whose latest activity is at `last` has started the windows
//! `0..=(last - created_at) / 24 h`. A conversation of 36 hours is one
//! conversation and two billable sessions; one of exactly 24 hours has just
//! started its second window. Each window counts in the billing period (and
//! on the day, in the tenant's timezone) in which it starts, so a
//! conversation that crosses a period boundary is billed in both periods,
//! once for each window started in each.
//!
//! The windows are stored as messages arrive ([`record`], called by the
//! sessions writes in their transaction), so counting a period reads an
//! index range instead of the conversations; migration 0008 derives the same
//! rows from scratch for conversations stored before it.

use crate::store::sql::{params, Tx};

use super::credits;
use super::plans::terms;
use crate::error::Result;

pub const WINDOW_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// How many billable sessions a conversation from `created_at` to
/// `last_activity_at` has started.
pub fn window_count(created_at: i64, last_activity_at: i64) -> i64 {
    (last_activity_at.max(created_at) - created_at) / WINDOW_MILLIS + 1
}

/// Brings the conversation's windows up to its latest activity. On a
/// credit-based plan each new window spends a credit when the balance allows;
/// a window the balance could not pay for is marked as such, never taken
/// from a negative balance.
pub(crate) fn record(tx: &Tx, conversation_id: i64) -> Result<()> {
    let (tenant_id, created_at, last_activity_at, known): (i64, i64, i64, i64) = tx
        .prepare_cached(
            "SELECT c.tenant_id, c.created_at, c.last_activity_at,
                    (SELECT count(*) FROM billable_windows w WHERE w.conversation_id = c.id)
               FROM conversations c WHERE c.id = ?1",
        )?
        .query_row([conversation_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let wanted = window_count(created_at, last_activity_at);
    if known >= wanted {
        return Ok(());
    }
    let credit_based = terms(tx, tenant_id)?.credit_based;
    let mut insert = tx.prepare_cached(
        "INSERT INTO billable_windows (conversation_id, idx, tenant_id, starts_at, credit_spent) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for idx in known..wanted {
        let starts_at = created_at + idx * WINDOW_MILLIS;
        let spent = if credit_based {
            Some(credits::spend(tx, tenant_id, 1, &format!("Billable session of conversation {conversation_id}"), starts_at)?)
        } else {
            None
        };
        insert.execute(params![conversation_id, idx, tenant_id, starts_at, spent])?;
    }
    Ok(())
}

/// Billable sessions starting in `[from, to)`.
pub(crate) fn count(tx: &Tx, tenant_id: i64, from: i64, to: i64, answered_only: bool) -> Result<i64> {
    let sql = if answered_only {
        "SELECT count(*) FROM billable_windows w JOIN conversations c ON c.id = w.conversation_id
          WHERE w.tenant_id = ?1 AND w.starts_at >= ?2 AND w.starts_at < ?3 AND c.customer_replied = 1"
    } else {
        "SELECT count(*) FROM billable_windows w WHERE w.tenant_id = ?1 AND w.starts_at >= ?2 AND w.starts_at < ?3"
    };
    Ok(tx.prepare_cached(sql)?.query_row(params![tenant_id, from, to], |r| r.get(0))?)
}

/// Sessions a credit-based plan could not pay for.
pub(crate) fn uncovered(tx: &Tx, tenant_id: i64) -> Result<i64> {
    Ok(tx
        .prepare_cached("SELECT count(*) FROM billable_windows WHERE tenant_id = ?1 AND credit_spent = 0")?
        .query_row([tenant_id], |r| r.get(0))?)
}
