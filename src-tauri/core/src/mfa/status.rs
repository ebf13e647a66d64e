//! The Profile's MFA toggle: on or off, and grayed out when a tenant requires it.

use serde::Serialize;
use specta::Type;

use super::{is_enabled, is_required, recovery_codes};
use crate::authz::{permit, Actor, Operation};
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
        self.db.read(|tx| {
            permit(tx, actor, Operation::ViewOwnMfa)?;
            Ok(MfaStatus {
                enabled: is_enabled(tx, actor.account_id)?,
                required: is_required(tx, actor.account_id)?,
                recovery_codes_left: recovery_codes::remaining(tx, actor.account_id)?,
            })
        })
    }
}

impl Desk {
    /// The text file of recovery codes just shown, for the save dialog: only
    /// for a signed-in person who may see their own MFA.
    pub fn recovery_codes_file(&self, actor: &Actor, codes: &[String]) -> Result<String> {
        self.check(actor, Operation::ViewOwnMfa)?;
        Ok(format!(
            "Tenant Desk recovery codes\nEach code signs you in once, in place of a code from your authenticator app.\n\n{}\n",
            codes.join("\n")
        ))
    }
}
