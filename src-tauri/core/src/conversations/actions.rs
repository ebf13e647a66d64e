//! What the caller may do with one conversation now, decided by the same
//! scope and rules as the writes, so the window offers exactly those.

use crate::store::sql::Tx;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::scope::{self, Found, Scope};
use super::ConversationStatus;
use crate::authz::{Caller, Operation};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ConversationActions {
    /// Take it while it waits, or accept one assigned to oneself.
    pub accept: bool,
    pub resolve: bool,
    /// Assign, reassign or put back to waiting.
    pub assign: bool,
    /// Write to the customer.
    pub reply: bool,
}

pub(super) fn of(tx: &Tx, caller: &Caller, found: &Found, accepted: bool) -> ConversationActions {
    let allowed = |operation| scope::resolve(tx, caller, operation).ok();
    // An operator acts only in the conversations that are theirs.
    let reaches = |s: &Scope| s.operator_only().is_none_or(|me| found.operator_account_id == Some(me));
    let open = found.status == ConversationStatus::Open;
    let me = caller.account_id();
    ConversationActions {
        accept: open
            && me.is_some()
            && allowed(Operation::AcceptConversation).is_some()
            && (found.operator_account_id.is_none() || (found.operator_account_id == me && !accepted)),
        resolve: open && allowed(Operation::ResolveConversation).is_some_and(|s| reaches(&s)),
        assign: allowed(Operation::AssignConversation).is_some(),
        reply: allowed(Operation::AppendMessage).is_some_and(|s| reaches(&s)),
    }
}
