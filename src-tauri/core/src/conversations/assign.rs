//! Who handles a conversation: an administrator (or the tenant API) assigns,
//! reassigns or takes it back; an operator accepts one that waits.

use crate::store::sql::params;
use serde_json::json;

use super::scope::{self, check_assignable};
use super::{read, ConversationChange, ConversationStatus, ConversationSummary};
use crate::authz::{authorize, authorize_caller, Actor, Caller, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::idempotency::{Once, Written};
use crate::audit;
use crate::Desk;

impl Desk {
    /// `operator_account_id`: a Tenant Operator or Tenant Admin of the tenant;
    /// `None` puts the conversation back to waiting.
    pub fn assign_conversation(&self, caller: &Caller, conversation_id: i64, operator_account_id: Option<i64>) -> Result<ConversationSummary> {
        self.assign_conversation_once(caller, conversation_id, operator_account_id, None).map(Written::into_inner)
    }

    /// [`assign_conversation`](Self::assign_conversation) once per idempotency key.
    pub fn assign_conversation_once(
        &self,
        caller: &Caller,
        conversation_id: i64,
        operator_account_id: Option<i64>,
        once: Option<Once>,
    ) -> Result<Written<ConversationSummary>> {
        authorize_caller(caller, Operation::AssignConversation)?;
        let now = self.now_millis();
        self.write_once(caller, once, |tx| {
            let scope = scope::resolve(tx, caller, Operation::AssignConversation)?;
            let found = scope.conversation(tx, conversation_id)?;
            if let Some(operator) = operator_account_id {
                check_assignable(tx, scope.tenant_id, operator)?;
            }
            if found.operator_account_id == operator_account_id {
                return Ok((read::summary(tx, found.id)?, None));
            }
            // Taking it oneself is accepting it; anyone else is offered it.
            let accepted_at = (operator_account_id.is_some() && operator_account_id == scope.account_id).then_some(now);
            tx.execute(
                "UPDATE conversations SET operator_account_id = ?2, accepted_at = ?3 WHERE id = ?1",
                params![found.id, operator_account_id, accepted_at],
            )?;
            audit::record(
                tx,
                audit::Entry {
                    subject_account_id: operator_account_id,
                    before: Some(json!({ "operator_account_id": found.operator_account_id })),
                    after: Some(json!({ "operator_account_id": operator_account_id })),
                    ..scope.entry(now, "session.assign", found.id)
                },
            )?;
            let change = ConversationChange::Assigned {
                tenant_id: scope.tenant_id,
                conversation_id: found.id,
                operator_account_id,
                by_account_id: scope.account_id,
            };
            Ok((read::summary(tx, found.id)?, Some(change)))
        })
    }

    /// Accept: the operator takes an open conversation that waits for one, or
    /// accepts one assigned to them. Accepting an accepted one of one's own
    /// changes nothing; one another operator took first is refused.
    pub fn accept_conversation(&self, actor: &Actor, conversation_id: i64) -> Result<ConversationSummary> {
        self.accept_conversation_once(actor, conversation_id, None).map(Written::into_inner)
    }

    /// [`accept_conversation`](Self::accept_conversation) once per idempotency key.
    pub fn accept_conversation_once(&self, actor: &Actor, conversation_id: i64, once: Option<Once>) -> Result<Written<ConversationSummary>> {
        authorize(actor, Operation::AcceptConversation)?;
        let caller = Caller::from(actor);
        let now = self.now_millis();
        self.write_once(&caller, once, |tx| {
            let scope = scope::resolve(tx, &caller, Operation::AcceptConversation)?;
            let found = scope.conversation(tx, conversation_id)?;
            let accepted: bool =
                tx.query_row("SELECT accepted_at IS NOT NULL FROM conversations WHERE id = ?1", [found.id], |r| r.get(0))?;
            match found.operator_account_id {
                Some(operator) if operator == actor.account_id && accepted => {
                    return Ok((read::summary(tx, found.id)?, None))
                }
                Some(operator) if operator != actor.account_id => {
                    return Err(Error::new(ErrorCode::Conflict, "Another operator accepted this session first."))
                }
                _ if found.status == ConversationStatus::Resolved => {
                    return Err(Error::new(ErrorCode::Conflict, "This session is resolved."))
                }
                _ => {}
            }
            tx.execute(
                "UPDATE conversations SET operator_account_id = ?2, accepted_at = ?3 WHERE id = ?1",
                params![found.id, actor.account_id, now],
            )?;
            audit::record(
                tx,
                audit::Entry {
                    subject_account_id: Some(actor.account_id),
                    before: Some(json!({ "operator_account_id": found.operator_account_id })),
                    after: Some(json!({ "operator_account_id": actor.account_id })),
                    ..scope.entry(now, "session.accept", found.id)
                },
            )?;
            let change = ConversationChange::Assigned {
                tenant_id: scope.tenant_id,
                conversation_id: found.id,
                operator_account_id: Some(actor.account_id),
                by_account_id: Some(actor.account_id),
            };
            Ok((read::summary(tx, found.id)?, Some(change)))
        })
    }
}
