use super::Role;

/// The signed-in person an operation runs for, resolved from a live session
/// (so a deleted account or an ended session never yields an actor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: i64,
    pub is_platform_admin: bool,
    /// The tenant the session works in, if the account belongs to any.
    pub tenant: Option<TenantContext>,
    /// The call came with a personal API key: it carries its owner's role in
    /// the key's tenant and nothing more (no platform flag, no other tenant).
    pub through_key: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantContext {
    pub tenant_id: i64,
    pub role: Role,
    /// The tenant refuses every change (a snapshot, or a tenant marked read-only).
    pub read_only: bool,
}

impl Actor {
    pub fn role(&self) -> Option<Role> {
        self.tenant.as_ref().map(|t| t.role)
    }
}
