//! What the window offers the signed-in person, sent with who they are: the
//! answers of the same rules the operations check, so the UI decides no role
//! itself and offers nothing the core would refuse.

use serde::Serialize;
use specta::Type;

use super::{can, Actor, Operation, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct Offers {
    /// Identity > Tenants > Add tenant.
    pub add_tenant: bool,
    /// Sessions can be accepted, answered, assigned or resolved here (not a
    /// viewer, not a read-only tenant); each conversation says which.
    pub change_conversations: bool,
    /// Trial reminders reach this person, as notifications and the banner
    /// over every screen: the tenant's own Tenant Admins, the recipients
    /// `billing/reminders.rs` selects (a platform administrator visiting the
    /// tenant does not pay its bills).
    pub billing_reminders: bool,
}

impl Offers {
    pub fn for_actor(actor: &Actor) -> Self {
        Offers {
            add_tenant: can(actor, Operation::AddTenant),
            change_conversations: can(actor, Operation::AppendMessage),
            billing_reminders: actor.role() == Some(Role::TenantAdmin),
        }
    }

    /// Nothing is offered until the sign-in is finished.
    pub fn none() -> Self {
        Offers { add_tenant: false, change_conversations: false, billing_reminders: false }
    }
}
