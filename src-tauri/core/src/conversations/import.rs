//! The bulk path: many conversations, with their own times, in one
//! transaction (a tenant data export, a load test). All are checked before
//! anything is written; one bad conversation writes nothing.

use std::collections::HashSet;

use crate::store::sql::Tx;
use serde_json::json;

use super::scope::{self, check_assignable};
use super::whole::{self, Whole};
use super::word_index;
use super::{rules, Author, ConversationChange, ConversationStatus};
use crate::authz::{authorize_caller, Caller, Operation};
use crate::error::{FieldErrors, Result};
use crate::audit;
use crate::validate::required_text;
use crate::Desk;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedMessage {
    pub author: Author,
    pub text: String,
    /// UTC milliseconds.
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedConversation {
    pub channel: String,
    pub customer: String,
    pub operator_account_id: Option<i64>,
    pub status: ConversationStatus,
    /// UTC milliseconds.
    pub created_at: i64,
    pub messages: Vec<ImportedMessage>,
}

fn check(i: usize, conversation: &ImportedConversation, errors: &mut FieldErrors) {
    let at = |field: &str| format!("sessions[{i}].{field}");
    errors.check(&at("channel"), required_text(conversation.channel.trim(), "Channel", rules::CHANNEL_MAX));
    errors.check(&at("customer"), required_text(conversation.customer.trim(), "Customer", rules::CUSTOMER_MAX));
    for (j, message) in conversation.messages.iter().enumerate() {
        errors.check(&at(&format!("messages[{j}].text")), required_text(message.text.trim(), "Text", rules::TEXT_MAX));
    }
}

/// Stores one conversation with its messages, billable sessions, times and
/// words (checked by the caller); returns its id.
pub(crate) fn insert(tx: &Tx, tenant_id: i64, conversation: &ImportedConversation) -> Result<i64> {
    let words = word_index::pending(tx)?;
    let id = insert_unindexed(tx, tenant_id, conversation)?;
    words.index(tx)?;
    Ok(id)
}

/// As [`insert`], many at once: their words are indexed in one statement.
fn insert_all(tx: &Tx, tenant_id: i64, conversations: &[ImportedConversation]) -> Result<()> {
    let words = word_index::pending(tx)?;
    for conversation in conversations {
        insert_unindexed(tx, tenant_id, conversation)?;
    }
    words.index(tx)
}

fn insert_unindexed(tx: &Tx, tenant_id: i64, conversation: &ImportedConversation) -> Result<i64> {
    let whole = Whole {
        tenant_id,
        channel: conversation.channel.trim(),
        customer: conversation.customer.trim(),
        operator_account_id: conversation.operator_account_id,
        status: conversation.status,
        created_at: conversation.created_at,
        // An import knows not when it was accepted: its start is the closest.
        accepted_at: conversation.operator_account_id.map(|_| conversation.created_at),
    };
    whole::insert(tx, &whole, conversation.messages.iter().map(|m| (m.author, m.text.trim(), m.at)))
}

impl Desk {
    /// Returns how many conversations were added.
    pub fn import_conversations(&self, caller: &Caller, conversations: &[ImportedConversation]) -> Result<usize> {
        authorize_caller(caller, Operation::CreateConversation)?;
        let mut errors = FieldErrors::new();
        for (i, conversation) in conversations.iter().enumerate() {
            check(i, conversation, &mut errors);
        }
        errors.into_result()?;
        let now = self.now_millis();
        let tenant_id = self.db.write(|tx| {
            let scope = scope::resolve(tx, caller, Operation::CreateConversation)?;
            let operators: HashSet<i64> = conversations.iter().filter_map(|s| s.operator_account_id).collect();
            for operator in operators {
                check_assignable(tx, scope.tenant_id, operator)?;
            }
            insert_all(tx, scope.tenant_id, conversations)?;
            audit::record(
                tx,
                audit::Entry {
                    subject: "sessions".into(),
                    after: Some(json!({ "count": conversations.len() })),
                    ..scope.entry(now, "session.import", 0)
                },
            )?;
            Ok(scope.tenant_id)
        })?;
        self.publish(ConversationChange::Imported { tenant_id, count: conversations.len() });
        Ok(conversations.len())
    }
}
