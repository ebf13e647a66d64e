//! The left menu, computed from the role. Only sections that exist are listed.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::authz::{is_allowed, Actor, Operation, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Profile,
    /// Customer conversations: review, assignment; the operators' desk.
    Sessions,
    /// Charts of conversations and billable sessions, chart data exports.
    Analytics,
    /// Settings > Identity: Users, Tenants and the audit log.
    Identity,
    /// Settings > Notifications: one's own desktop notifications (every role).
    Notifications,
    /// Settings > Archives: export the tenant, import archives as snapshots, compare and remove them.
    Archives,
    /// Settings > Backups: back up and restore the whole store (platform administrators).
    Backups,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Profile,
        Section::Sessions,
        Section::Analytics,
        Section::Identity,
        Section::Notifications,
        Section::Archives,
        Section::Backups,
    ];

    /// The name stored in the database (a pinned home page).
    pub fn key(self) -> &'static str {
        match self {
            Section::Profile => "profile",
            Section::Sessions => "sessions",
            Section::Analytics => "analytics",
            Section::Identity => "identity",
            Section::Notifications => "notifications",
            Section::Archives => "archives",
            Section::Backups => "backups",
        }
    }

    pub fn from_key(key: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The operation whose permission makes the section visible.
    fn gate(self) -> Operation {
        match self {
            Section::Profile => Operation::ViewOwnProfile,
            Section::Sessions => Operation::ViewConversations,
            Section::Analytics => Operation::ViewAnalytics,
            Section::Identity => Operation::ListUsers,
            Section::Notifications => Operation::ManageOwnNotifications,
            Section::Archives => Operation::ImportTenantArchive,
            Section::Backups => Operation::BackUpStore,
        }
    }
}

/// The tabs of Settings > Identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum IdentityTab {
    Users,
    Tenants,
    AuditLog,
    /// The personal API keys of the tenant's members.
    ApiKeys,
    /// A setting of the whole install: platform administrators.
    LocalApi,
}

impl IdentityTab {
    pub const ALL: [IdentityTab; 5] =
        [IdentityTab::Users, IdentityTab::Tenants, IdentityTab::AuditLog, IdentityTab::ApiKeys, IdentityTab::LocalApi];

    fn gate(self) -> Operation {
        match self {
            IdentityTab::Users => Operation::ListUsers,
            IdentityTab::Tenants => Operation::ListTenants,
            IdentityTab::AuditLog => Operation::ViewAuditLog,
            IdentityTab::ApiKeys => Operation::ManageMemberApiKeys,
            IdentityTab::LocalApi => Operation::ManageLocalApi,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Menu {
    pub sections: Vec<Section>,
    /// Where the app opens after sign-in.
    pub landing: Section,
    /// The tabs of Settings > Identity the actor may open.
    pub identity_tabs: Vec<IdentityTab>,
}

/// The sections the actor may open.
pub fn sections(actor: &Actor) -> Vec<Section> {
    Section::ALL.into_iter().filter(|s| is_allowed(actor, s.gate())).collect()
}

/// The menu and where it opens (PRODUCT.md): operators land on Sessions;
/// everyone else on the pinned home page while they still see it, else
/// administrators on Identity and the rest on Profile.
pub fn for_actor(actor: &Actor, pinned: Option<Section>) -> Menu {
    let sections = sections(actor);
    let landing = match pinned {
        _ if actor.role() == Some(Role::TenantOperator) && sections.contains(&Section::Sessions) => Section::Sessions,
        Some(section) if sections.contains(&section) => section,
        _ if sections.contains(&Section::Identity) => Section::Identity,
        _ => Section::Profile,
    };
    let identity_tabs = IdentityTab::ALL.into_iter().filter(|t| is_allowed(actor, t.gate())).collect();
    Menu { sections, landing, identity_tabs }
}

/// No section opens while a sign-in is unfinished (its MFA code, a temporary
/// password to replace, MFA to set up).
pub fn locked() -> Menu {
    Menu { sections: Vec::new(), landing: Section::Profile, identity_tabs: Vec::new() }
}
