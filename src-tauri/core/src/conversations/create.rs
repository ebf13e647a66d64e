//! Starting a conversation, with its first messages and, if given, its operator.

use serde_json::json;

use super::scope::{self, check_assignable};
use super::whole::{self, Whole};
use super::word_index;
use super::{read, rules, NewConversation, ConversationChange, ConversationDetail, ConversationStatus};
use crate::authz::{authorize_caller, Caller, Operation};
use crate::error::Result;
use crate::idempotency::{Once, Written};
use crate::audit;
use crate::Desk;

impl Desk {
    pub fn create_conversation(&self, caller: &Caller, input: NewConversation) -> Result<ConversationDetail> {
        self.create_conversation_once(caller, input, None).map(Written::into_inner)
    }

    /// [`create_conversation`](Self::create_conversation) once per idempotency key.
    pub fn create_conversation_once(&self, caller: &Caller, input: NewConversation, once: Option<Once>) -> Result<Written<ConversationDetail>> {
        authorize_caller(caller, Operation::CreateConversation)?;
        rules::check_conversation(&input)?;
        let now = self.now_millis();
        self.write_once(caller, once, |tx| {
            let scope = scope::resolve(tx, caller, Operation::CreateConversation)?;
            if let Some(operator) = input.operator_account_id {
                check_assignable(tx, scope.tenant_id, operator)?;
            }
            let whole = Whole {
                tenant_id: scope.tenant_id,
                channel: input.channel.trim(),
                customer: input.customer.trim(),
                operator_account_id: input.operator_account_id,
                status: ConversationStatus::Open,
                created_at: now,
                accepted_at: None,
            };
            let words = word_index::pending(tx)?;
            let id = whole::insert(tx, &whole, input.messages.iter().map(|m| (m.author, m.text.trim(), now)))?;
            words.index(tx)?;
            audit::record(
                tx,
                audit::Entry {
                    subject_account_id: input.operator_account_id,
                    after: Some(json!({ "channel": input.channel.trim(), "operator_account_id": input.operator_account_id })),
                    ..scope.entry(now, "session.create", id)
                },
            )?;
            let change = ConversationChange::Created {
                tenant_id: scope.tenant_id,
                conversation_id: id,
                operator_account_id: input.operator_account_id,
            };
            // Read as created (an operator's key may start one assigned to someone else).
            let found = scope::Found { id, operator_account_id: input.operator_account_id, status: ConversationStatus::Open };
            Ok((read::detail(tx, caller, scope.tenant_id, &found)?, Some(change)))
        })
    }
}
