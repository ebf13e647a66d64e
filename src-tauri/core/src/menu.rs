//! The left menu, computed from the role. Only sections that exist are listed.

use serde::Serialize;
use specta::Type;

use crate::authz::{is_allowed, Actor, Operation};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Profile,
    /// Settings > Identity: Users, Tenants and the audit log.
    Identity,
}

impl Section {
    pub const ALL: [Section; 2] = [Section::Profile, Section::Identity];

    /// The operation whose permission makes the section visible.
    fn gate(self) -> Operation {
        match self {
            Section::Profile => Operation::ViewOwnProfile,
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
    // PRODUCT.md: administrators land on Identity, everyone else on Profile
    // (operators' Sessions screen does not exist yet).
    let landing = if sections.contains(&Section::Identity) { Section::Identity } else { Section::Profile };
    Menu { sections, landing }
}

/// No section opens while a sign-in is unfinished (its MFA code, a temporary
/// password to replace, MFA to set up).
pub fn locked() -> Menu {
    Menu { sections: Vec::new(), landing: Section::Profile }
}
