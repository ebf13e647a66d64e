//! What the caller may do with one conversation now, decided by the same
//! scope and rules as the writes, so the window offers exactly those.

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::scope::{self, Found, Scope};
use super::SessionStatus;
use crate::authz::{Caller, Operation};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SessionActions {
    /// Take it while it waits, or accept one assigned to oneself.
    pub accept: bool,
    pub resolve: bool,
    /// Assign, reassign or put back to waiting.
    pub assign: bool,
    /// Write to the customer.
    pub reply: bool,
}

pub(super) fn of(tx: &Transaction, caller: &Caller, found: &Found, accepted: bool) -> SessionActions {
    let allowed = |operation| scope::resolve(tx, caller, operation).ok();
    // An operator acts only in the conversations that are theirs.
    let reaches = |s: &Scope| s.operator_only().is_none_or(|me| found.operator_account_id == Some(me));
    let open = found.status == SessionStatus::Open;
    let me = caller.account_id();
    SessionActions {
        accept: open
            && me.is_some()
            && allowed(Operation::AcceptSession).is_some()
            && (found.operator_account_id.is_none() || (found.operator_account_id == me && !accepted)),
        resolve: open && allowed(Operation::ResolveSession).is_some_and(|s| reaches(&s)),
        assign: allowed(Operation::AssignSession).is_some(),
        reply: allowed(Operation::AppendSessionMessage).is_some_and(|s| reaches(&s)),
    }
}
