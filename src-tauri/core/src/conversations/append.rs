//! Adding a message to a conversation.

use crate::store::sql::{params, Tx};

use super::scope;
use super::{rules, Author, Message, NewMessage, ConversationChange, ConversationStatus};
use crate::authz::{authorize_caller, Caller, Operation};
use crate::clock::to_wire;
use crate::error::{Error, FieldErrors, Result};
use crate::idempotency::{Once, Written};
use crate::Desk;

/// Stores a message and brings the conversation's counters up to date.
fn insert_message(tx: &Tx, conversation_id: i64, author: Author, text: &str, at: i64) -> Result<i64> {
    let id = insert_message_row(tx, conversation_id, author, text, at)?;
    super::word_index::add(tx, conversation_id, id, text)?;
    tx.prepare_cached(
        "UPDATE conversations SET message_count = message_count + 1, last_activity_at = max(last_activity_at, ?2),
                customer_replied = max(customer_replied, ?3)
          WHERE id = ?1",
    )?
    .execute(params![conversation_id, at, author == Author::Customer])?;
    crate::analytics::record_message(tx, conversation_id, author, at)?;
    Ok(id)
}

/// Stores a message, leaving the conversation's counters and the word index
/// to the caller.
pub(super) fn insert_message_row(tx: &Tx, conversation_id: i64, author: Author, text: &str, at: i64) -> Result<i64> {
    tx.prepare_cached("INSERT INTO messages (conversation_id, author, text, at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![conversation_id, author, text, at])?;
    Ok(tx.last_insert_rowid()?)
}

impl Desk {
    /// A customer writing again reopens a resolved conversation. A Tenant
    /// Operator writes only as the operator, in a conversation they handle.
    pub fn append_message(&self, caller: &Caller, conversation_id: i64, input: NewMessage) -> Result<Message> {
        self.append_message_once(caller, conversation_id, input, None).map(Written::into_inner)
    }

    /// [`append_message`](Self::append_message) once per idempotency key.
    pub fn append_message_once(
        &self,
        caller: &Caller,
        conversation_id: i64,
        input: NewMessage,
        once: Option<Once>,
    ) -> Result<Written<Message>> {
        authorize_caller(caller, Operation::AppendMessage)?;
        rules::check_new_message(&input)?;
        let text = input.text.trim().to_owned();
        let now = self.now_millis();
        self.write_once(caller, once, |tx| {
            let scope = scope::resolve(tx, caller, Operation::AppendMessage)?;
            let found = scope.conversation(tx, conversation_id)?;
            if let Some(me) = scope.operator_only() {
                if found.operator_account_id != Some(me) {
                    return Err(Error::new(
                        crate::ErrorCode::NotAllowed,
                        "Accept this session before writing in it.",
                    ));
                }
                if input.author != Author::Operator {
                    let mut errors = FieldErrors::new();
                    errors.add("author", "Operators write as the operator.");
                    errors.into_result()?;
                }
            }
            let id = insert_message(tx, found.id, input.author, &text, now)?;
            // A reply written in the window leaves for the tenant's delivery address, if it has one.
            let queued = matches!(caller, Caller::Person(_))
                && input.author == Author::Operator
                && crate::replies::enqueue(tx, scope.tenant_id, id, now)?;
            crate::billing::record_windows(tx, found.id)?;
            if found.status == ConversationStatus::Resolved && input.author == Author::Customer {
                tx.execute("UPDATE conversations SET status = 'open' WHERE id = ?1", [found.id])?;
                crate::analytics::record_reopened(tx, found.id)?;
            }
            let change = ConversationChange::Message {
                tenant_id: scope.tenant_id,
                conversation_id: found.id,
                operator_account_id: found.operator_account_id,
                author: input.author,
                text: text.clone(),
            };
            let delivery = if queued { crate::replies::delivery_of(tx, id)? } else { None };
            Ok((Message { id, author: input.author, text: text.clone(), at: to_wire(now), delivery }, Some(change)))
        })
    }

}
