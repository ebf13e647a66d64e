//! Replies queued for the delivery address, and a failed one tried again.

use crate::store::sql::{params, OptionalExtension, Tx};

use super::{Delivery, DeliveryState};
use crate::authz::{authorize_caller, Caller, Operation};
use crate::clock::to_wire;
use crate::error::{Error, ErrorCode, Result};
use crate::Desk;

/// Queues the reply `message_id` when the tenant has a delivery address;
/// called in the transaction that stores the reply.
pub(crate) fn enqueue(tx: &Tx, tenant_id: i64, message_id: i64, now: i64) -> Result<bool> {
    let url: Option<String> = tx.query_row("SELECT delivery_url FROM tenants WHERE id = ?1", [tenant_id], |r| r.get(0))?;
    if url.is_none() {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO reply_deliveries (message_id, tenant_id, state, next_at) VALUES (?1, ?2, 'pending', ?3)",
        params![message_id, tenant_id, now],
    )?;
    Ok(true)
}

/// The delivery of a message, if it is a reply that had one.
pub(crate) fn delivery_of(tx: &Tx, message_id: i64) -> Result<Option<Delivery>> {
    Ok(tx
        .prepare_cached("SELECT state, attempts, last_error, next_at FROM reply_deliveries WHERE message_id = ?1")?
        .query_row([message_id], |r| {
            let state: String = r.get(0)?;
            let next_at: Option<i64> = r.get(3)?;
            Ok(Delivery {
                state: DeliveryState::from_key(&state).unwrap_or(DeliveryState::Failed),
                attempts: r.get(1)?,
                last_error: r.get(2)?,
                next_at: next_at.map(to_wire),
            })
        })
        .optional()?)
}

impl Desk {
    /// Retry delivery: a failed reply goes out again, its attempts counted
    /// afresh. Whoever may write in the conversation may ask.
    pub fn retry_delivery(&self, caller: &Caller, conversation_id: i64, message_id: i64) -> Result<Delivery> {
        authorize_caller(caller, Operation::AppendMessage)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let scope = crate::conversations::resolve_scope(tx, caller, Operation::AppendMessage)?;
            let found = scope.conversation(tx, conversation_id)?;
            let changed = tx.execute(
                "UPDATE reply_deliveries SET state = 'pending', attempts = 0, next_at = ?3, last_error = NULL
                  WHERE message_id = ?1 AND state = 'failed'
                    AND message_id IN (SELECT id FROM messages WHERE conversation_id = ?2)",
                params![message_id, found.id, now],
            )?;
            if changed == 0 {
                return Err(Error::new(ErrorCode::Conflict, "Only a failed delivery can be retried."));
            }
            tracing::info!(message_id, "reply delivery retried on request");
            delivery_of(tx, message_id)?.ok_or_else(|| Error::not_found("delivery"))
        })
    }
}
