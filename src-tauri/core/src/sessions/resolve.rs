//! Marking a conversation resolved.

use serde_json::json;

use super::scope;
use super::{read, SessionChange, SessionStatus, SessionSummary};
use crate::authz::{authorize_caller, Caller, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::idempotency::{Once, Written};
use crate::store::audit;
use crate::Desk;

impl Desk {
    /// A Tenant Operator resolves only conversations they handle. Resolving a
    /// resolved conversation changes nothing.
    pub fn resolve_session(&self, caller: &Caller, session_id: i64) -> Result<SessionSummary> {
        self.resolve_session_once(caller, session_id, None).map(Written::into_inner)
    }

    /// [`resolve_session`](Self::resolve_session) once per idempotency key.
    pub fn resolve_session_once(&self, caller: &Caller, session_id: i64, once: Option<Once>) -> Result<Written<SessionSummary>> {
        authorize_caller(caller, Operation::ResolveSession)?;
        let now = self.now_millis();
        self.write_once(caller, once, |tx| {
            let scope = scope::resolve(tx, caller, Operation::ResolveSession)?;
            let found = scope.conversation(tx, session_id)?;
            if let Some(me) = scope.operator_only() {
                if found.operator_account_id != Some(me) {
                    return Err(Error::new(ErrorCode::NotAllowed, "Accept this session before resolving it."));
                }
            }
            if found.status == SessionStatus::Resolved {
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
            let change = SessionChange::Resolved { tenant_id: scope.tenant_id, session_id: found.id };
            Ok((read::summary(tx, found.id)?, Some(change)))
        })
    }
}
