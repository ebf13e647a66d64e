//! The left menu, computed from the role. Only sections that exist are listed.

use serde::Serialize;
use specta::Type;

use crate::authz::{is_allowed, Actor, Operation, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Profile,
    /// Customer conversations: review, assignment; the operators' desk.
    Sessions,
    /// Settings > Identity: Users, Tenants and the audit log.
    Identity,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Profile, Section::Sessions, Section::Identity];

    /// The operation whose permission makes the section visible.
    fn gate(self) -> Operation {
        match self {
            Section::Profile => Operation::ViewOwnProfile,
            Section::Sessions => Operation::ViewSessions,
            Section::Identity => Operation::ListUsers,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Menu {
    pub sections: Vec<Section>,
    /// Where the app opens after sign-in.
    pub landing: Section,
}

pub fn for_actor(actor: &Actor) -> Menu {
    let sections: Vec<Section> =
        Section::ALL.into_iter().filter(|s| is_allowed(actor, s.gate())).collect();
    // PRODUCT.md: operators land on Sessions, administrators on Identity,
    // everyone else on Profile.
    let landing = if actor.role() == Some(Role::TenantOperator) && sections.contains(&Section::Sessions) {
        Section::Sessions
    } else if sections.contains(&Section::Identity) {
        Section::Identity
    } else {
        Section::Profile
    };
    Menu { sections, landing }
}

/// No section opens before a temporary password is replaced.
pub fn locked() -> Menu {
    Menu { sections: Vec::new(), landing: Section::Profile }
}
