use super::{Actor, Role};
use crate::error::{Error, Result};

/// Every operation a signed-in person can ask the core for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Read one's own profile (name, email, role).
    ViewOwnProfile,
    /// Change one's own display name, phone, company and avatar.
    UpdateOwnDetails,
    /// Settings > Identity > Users: list and search a tenant's users, preview
    /// an operator schedule, list the tenants one administers.
    ListUsers,
    /// Add a user (name, email, initial password, role, tenant, schedule).
    CreateUser,
    /// Change a user's name, role, tenant or operator schedule.
    UpdateUser,
    /// Remove a user; they can no longer sign in.
    DeleteUser,
    /// Give a user a new temporary password and end their sessions.
    ResetUserPassword,
    /// Turn a user's MFA off (a lost phone) and end their sessions.
    ResetUserMfa,
    /// Read the tenant's audit log.
    ViewAuditLog,
    /// Read one's tenant's details (Profile > Customer organization).
    ViewOwnOrganization,
    /// Change one's tenant's details from the Profile page.
    UpdateOwnOrganization,
    /// Identity > Tenants: the tenants one administers (every tenant for platform administrators).
    ListTenants,
    /// Edit tenant: details, timezone, labels.
    UpdateTenant,
    /// Add tenant.
    AddTenant,
    /// Copy the tenant API key to the clipboard.
    CopyTenantApiKey,
    /// Replace the tenant API key with a new one.
    RotateTenantApiKey,
    /// Sessions: list conversations, read one with its messages, see the
    /// number waiting for an operator.
    ViewConversations,
    /// Start a conversation (or import many).
    CreateConversation,
    /// Add a message to a conversation.
    AppendMessage,
    /// Assign a conversation to an operator, reassign it or take it back.
    AssignConversation,
    /// Accept: an operator takes a conversation that waits for one.
    AcceptConversation,
    /// Mark a conversation resolved.
    ResolveConversation,
    /// Turn the local tenant API on or off and choose its port: a setting of
    /// the whole install.
    ManageLocalApi,
    /// Grant or revoke the platform administrator flag of an account.
    ManagePlatformAdmins,
    /// The audit entries of the whole install (backups, restore, the local
    /// API, the platform flag, sign-ins of unknown addresses).
    ViewInstallAuditLog,
    /// List and revoke the personal API keys of the tenant's members.
    ManageMemberApiKeys,
    /// Change one's own password (the current one first).
    ChangeOwnPassword,
    /// See where one is signed in and sign out of any of it.
    ManageOwnSignIns,
    /// Accept or decline an invitation to join a tenant.
    AnswerInvitations,
    /// Settings > Notifications: one's own consent and categories.
    ManageOwnNotifications,
    /// Read one's own MFA state (on or off, required by a tenant, recovery codes left).
    ViewOwnMfa,
    /// Turn on MFA for one's own account (password again, then a valid code).
    EnableOwnMfa,
    /// Turn off MFA for one's own account (password and a current code).
    DisableOwnMfa,
    /// Replace one's own recovery codes with ten new ones.
    RegenerateRecoveryCodes,
    /// The organization switcher: the tenants one belongs to, with one's role in each.
    ListOwnOrganizations,
    /// Work in another of one's tenants (menu, data and role follow).
    SwitchOrganization,
    /// Create an organization one owns (at most three per account).
    CreateOrganization,
    /// List one's own personal API keys in the current tenant.
    ListPersonalApiKeys,
    /// Create a personal API key (shown once).
    CreatePersonalApiKey,
    /// Revoke one of one's own personal API keys.
    RevokePersonalApiKey,
    /// Read and change one's own preferences (toasts, theme, pinned home page).
    ManageOwnPreferences,
    /// Profile > Billing: subscription, usage, payment methods, credits.
    ViewBilling,
    /// Start the trial, change the plan, payment methods, the billing portal's address.
    ManageBilling,
    /// Add Credits.
    AddCredits,
    /// Back up the whole local store (every tenant of the install) to a file;
    /// list the app's backups.
    BackUpStore,
    /// Replace the whole local store with a backup.
    RestoreStore,
    /// Analytics: charts of the whole tenant (Tenant Admins) or of one's own
    /// conversations (Tenant Operators).
    ViewAnalytics,
    /// Export the charts' raw data, list one's exports, download them.
    ExportChartData,
    /// How long finished chart data exports stay downloadable.
    SetChartExportExpiry,
    /// Write the current tenant to a portable archive.
    ExportTenantArchive,
    /// Import an archive as a read-only snapshot.
    ImportTenantArchive,
    /// The snapshots one may open, and comparing two of one tenant.
    ViewSnapshots,
    /// Remove a snapshot with all its data.
    RemoveSnapshot,
    /// Diagnostics: the app's version, its folders, the database's size and
    /// schema, the operating system.
    ViewDiagnostics,
    /// The app's log (its last lines in Copy diagnostics, its folder): it
    /// records every tenant of the install.
    ReadAppLog,
}

impl Operation {
    pub const ALL: [Operation; 55] = [
        Operation::ViewOwnProfile,
        Operation::UpdateOwnDetails,
        Operation::ListUsers,
        Operation::CreateUser,
        Operation::UpdateUser,
        Operation::DeleteUser,
        Operation::ResetUserPassword,
        Operation::ResetUserMfa,
        Operation::ViewAuditLog,
        Operation::ViewOwnOrganization,
        Operation::UpdateOwnOrganization,
        Operation::ListTenants,
        Operation::UpdateTenant,
        Operation::AddTenant,
        Operation::CopyTenantApiKey,
        Operation::RotateTenantApiKey,
        Operation::ViewConversations,
        Operation::CreateConversation,
        Operation::AppendMessage,
        Operation::AssignConversation,
        Operation::AcceptConversation,
        Operation::ResolveConversation,
        Operation::ManageLocalApi,
        Operation::ManagePlatformAdmins,
        Operation::ViewInstallAuditLog,
        Operation::ManageMemberApiKeys,
        Operation::ChangeOwnPassword,
        Operation::ManageOwnSignIns,
        Operation::AnswerInvitations,
        Operation::ManageOwnNotifications,
        Operation::ViewOwnMfa,
        Operation::EnableOwnMfa,
        Operation::DisableOwnMfa,
        Operation::RegenerateRecoveryCodes,
        Operation::ListOwnOrganizations,
        Operation::SwitchOrganization,
        Operation::CreateOrganization,
        Operation::ListPersonalApiKeys,
        Operation::CreatePersonalApiKey,
        Operation::RevokePersonalApiKey,
        Operation::ManageOwnPreferences,
        Operation::ViewBilling,
        Operation::ManageBilling,
        Operation::AddCredits,
        Operation::ViewAnalytics,
        Operation::ExportChartData,
        Operation::SetChartExportExpiry,
        Operation::ExportTenantArchive,
        Operation::ImportTenantArchive,
        Operation::ViewSnapshots,
        Operation::RemoveSnapshot,
        Operation::ViewDiagnostics,
        Operation::ReadAppLog,
        // A restore ends every session: last.
        Operation::BackUpStore,
        Operation::RestoreStore,
    ];

    /// Whether the operation changes the data of the tenant one works in (or
    /// acts as its administrator on the install). A read-only tenant, such
    /// as a snapshot, refuses all of these, whatever the role. One's own
    /// account (details, preferences, MFA, switching, creating an
    /// organization) is not the tenant's data and stays one's own.
    pub fn changes_tenant_data(self) -> bool {
        use Operation::*;
        match self {
            CreateUser | UpdateUser | DeleteUser | ResetUserPassword | ResetUserMfa | UpdateOwnOrganization | UpdateTenant
            | RotateTenantApiKey | CreateConversation | AppendMessage | AssignConversation | AcceptConversation
            | ResolveConversation | CreatePersonalApiKey | RevokePersonalApiKey | ManageMemberApiKeys | ManageBilling
            | AddCredits | SetChartExportExpiry => true,
            ViewOwnProfile | UpdateOwnDetails | ListUsers | ViewAuditLog | ViewOwnOrganization | ListTenants
            | AddTenant | CopyTenantApiKey | ViewConversations | ManageOwnNotifications | ViewOwnMfa | EnableOwnMfa
            | DisableOwnMfa | RegenerateRecoveryCodes | ListOwnOrganizations | SwitchOrganization
            | CreateOrganization | ListPersonalApiKeys | ManageOwnPreferences | ViewBilling
            | ExportTenantArchive | ImportTenantArchive | ViewSnapshots | RemoveSnapshot | ViewAnalytics
            // A chart data export reads the tenant; its job row is the exporter's own bookkeeping.
            | ExportChartData
            | ChangeOwnPassword | ManageOwnSignIns | AnswerInvitations | ViewDiagnostics
            // The whole install, not the tenant one works in.
            | BackUpStore | RestoreStore | ManageLocalApi | ManagePlatformAdmins | ViewInstallAuditLog | ReadAppLog => false,
        }
    }
}

/// The role table of the specification (PRODUCT.md, "Sections and who sees them"),
/// decided on the actor's role in its current tenant (`None`: an account that belongs
/// to no tenant yet, which may look after its own profile) and its platform
/// administrator flag.
pub fn is_allowed(actor: &Actor, operation: Operation) -> bool {
    use Operation::*;
    use Role::*;
    let role = actor.role();
    match operation {
        ViewOwnProfile => true,
        // Every role, viewers included, decides about its own notifications.
        ManageOwnNotifications => true,
        // Tenant Viewers see their profile read-only (only their preferences are theirs to edit).
        UpdateOwnDetails => !matches!(role, Some(TenantViewer)),
        ManageOwnPreferences => true,
        // Settings > Identity: Tenant Admins, and platform administrators in any tenant.
        ListUsers | CreateUser | UpdateUser | DeleteUser | ResetUserPassword | ResetUserMfa | ViewAuditLog => {
            actor.is_platform_admin || matches!(role, Some(TenantAdmin))
        }
        // Organization details are shared by the whole tenant: everyone reads them.
        ViewOwnOrganization => true,
        // The tenant's details belong to its administrators; platform administrators
        // manage every tenant. Which tenant is decided by the operation itself
        // (`tenants::scope`).
        UpdateOwnOrganization | ListTenants | UpdateTenant | CopyTenantApiKey | RotateTenantApiKey => {
            actor.is_platform_admin || matches!(role, Some(TenantAdmin))
        }
        // Identity > Tenants > Add tenant; everyone else creates organizations
        // from the switcher.
        AddTenant => actor.is_platform_admin,
        // One's own account, whatever the role (the Profile header).
        ViewOwnMfa | EnableOwnMfa | DisableOwnMfa | RegenerateRecoveryCodes => true,
        ListOwnOrganizations | SwitchOrganization | CreateOrganization => true,
        // A personal key acts with one's role in the tenant it belongs to, so
        // it needs a tenant; every role may have one.
        ListPersonalApiKeys | CreatePersonalApiKey | RevokePersonalApiKey => role.is_some(),
        // Sessions: administrators do everything, viewers read, operators read
        // their own and unassigned conversations (narrowed by `conversations::scope`),
        // accept, resolve and write in their own; Tenant Users have no access.
        ViewConversations => {
            actor.is_platform_admin || matches!(role, Some(TenantAdmin | TenantViewer | TenantOperator))
        }
        CreateConversation | AssignConversation => actor.is_platform_admin || matches!(role, Some(TenantAdmin)),
        AppendMessage | AcceptConversation | ResolveConversation => {
            actor.is_platform_admin || matches!(role, Some(TenantAdmin | TenantOperator))
        }
        // Settings of the whole install belong to platform administrators: a
        // Tenant Admin of one organization (which anyone can create) must not
        // reach the others through them.
        ManageLocalApi | ManagePlatformAdmins | ViewInstallAuditLog => actor.is_platform_admin,
        ManageMemberApiKeys => actor.is_platform_admin || matches!(role, Some(TenantAdmin)),
        // One's own sign-in, whatever the role.
        ChangeOwnPassword | ManageOwnSignIns | AnswerInvitations => true,
        // Profile > Billing: read-only for every role but Tenant Admin.
        ViewBilling => true,
        ManageBilling | AddCredits => actor.is_platform_admin || matches!(role, Some(TenantAdmin)),
        // The store holds every tenant of the install: a backup reads them
        // all and a restore replaces them all, so neither belongs to one
        // tenant's administrators.
        BackUpStore | RestoreStore => actor.is_platform_admin,
        // Analytics: Tenant Admins (the whole tenant) and Tenant Operators
        // (their own work, narrowed by `analytics::scope`); not Users or Viewers.
        ViewAnalytics | ExportChartData => {
            actor.is_platform_admin || matches!(role, Some(TenantAdmin | TenantOperator))
        }
        SetChartExportExpiry => actor.is_platform_admin || matches!(role, Some(TenantAdmin)),
        // Archives and snapshots: administrators (in a snapshot, its reader is
        // its Tenant Admin; which snapshots one reaches is `archives::snapshots`).
        ExportTenantArchive | ImportTenantArchive | ViewSnapshots | RemoveSnapshot => {
            actor.is_platform_admin || matches!(role, Some(TenantAdmin))
        }
        // What anyone tells support: which app, which machine, which folders.
        ViewDiagnostics => true,
        // The log records every tenant's activity, like the install's audit entries.
        ReadAppLog => actor.is_platform_admin,
    }
}

/// The role table, then the tenant: in a read-only tenant (a snapshot)
/// nothing of the tenant changes. Decided on the actor as resolved when the
/// call began: operations ask again inside their transaction
/// ([`permit`](super::permit)); this answer refuses early, before slow work
/// such as hashing a password.
pub fn authorize(actor: &Actor, operation: Operation) -> Result<()> {
    if operation.changes_tenant_data() && actor.tenant.as_ref().is_some_and(|t| t.read_only) {
        return Err(read_only_refusal());
    }
    if is_allowed(actor, operation) {
        Ok(())
    } else {
        Err(Error::not_allowed())
    }
}

/// Whether the window should offer an operation: [`authorize`]'s answer, so a
/// read-only tenant offers no changes even to its Tenant Admin.
pub fn can(actor: &Actor, operation: Operation) -> bool {
    authorize(actor, operation).is_ok()
}

/// What a change to a read-only tenant gets.
pub(crate) fn read_only_refusal() -> Error {
    Error::new(crate::error::ErrorCode::NotAllowed, "This tenant is read-only and cannot be changed.")
}
