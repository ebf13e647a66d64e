//! Marking a conversation resolved.

use serde_json::json;

use super::scope;
use super::{read, ConversationChange, ConversationStatus, ConversationSummary};
use crate::authz::{authorize_caller, Caller, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::idempotency::{Once, Written};
use crate::audit;
use crate::Desk;

impl Desk {
    /// A Tenant Operator resolves only conversations they handle. Resolving a
    /// resolved conversation changes nothing.
    pub fn resolve_conversation(&self, caller: &Caller, conversation_id: i64) -> Result<ConversationSummary> {
        self.resolve_conversation_once(caller, conversation_id, None).map(Written::into_inner)
    }

    /// [`resolve_conversation`](Self::resolve_conversation) once per idempotency key.
    pub fn resolve_conversation_once(&self, caller: &Caller, conversation_id: i64, once: Option<Once>) -> Result<Written<ConversationSummary>> {
        authorize_caller(caller, Operation::ResolveConversation)?;
        let now = self.now_millis();
        self.write_once(caller, once, |tx| {
            let scope = scope::resolve(tx, caller, Operation::ResolveConversation)?;
            let found = scope.conversation(tx, conversation_id)?;
            if let Some(me) = scope.operator_only() {
                if found.operator_account_id != Some(me) {
                    return Err(Error::new(ErrorCode::NotAllowed, "Accept this session before resolving it."));
                }
            }
            if found.status == ConversationStatus::Resolved {
                return Ok((read::summary(tx, found.id)?, None));
            }
            tx.execute("UPDATE conversations SET status = 'resolved' WHERE id = ?1", [found.id])?;
            crate::analytics::record_resolved(tx, found.id, now)?;
            audit::record(
                tx,
                audit::Entry {
                    subject_account_id: found.operator_account_id,
                    before: Some(json!({ "status": "open" })),
                    after: Some(json!({ "status": "resolved" })),
                    ..scope.entry(now, "session.resolve", found.id)
                },
            )?;
            let change = ConversationChange::Resolved { tenant_id: scope.tenant_id, conversation_id: found.id };
            Ok((read::summary(tx, found.id)?, Some(change)))
        })
    }
}
