//! The Profile's MFA toggle: on or off, and grayed out when a tenant requires it.

use serde::Serialize;
use specta::Type;

use super::{is_enabled, is_required, recovery_codes};
use crate::authz::{authorize, Actor, Operation};
use crate::error::Result;
use crate::Desk;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct MfaStatus {
    pub enabled: bool,
    /// A tenant of the account requires MFA: it cannot be turned off.
    pub required: bool,
    pub recovery_codes_left: i64,
}

impl Desk {
    pub fn mfa_status(&self, actor: &Actor) -> Result<MfaStatus> {
        authorize(actor, Operation::ViewOwnMfa)?;
        self.db.read(|tx| {
            Ok(MfaStatus {
                enabled: is_enabled(tx, actor.account_id)?,
                required: is_required(tx, actor.account_id)?,
                recovery_codes_left: recovery_codes::remaining(tx, actor.account_id)?,
            })
        })
    }
}
