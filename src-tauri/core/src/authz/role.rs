use serde::{Deserialize, Serialize};
use specta::Type;

/// Exactly one role per membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    TenantAdmin,
    TenantUser,
    TenantViewer,
    TenantOperator,
}

impl Role {
    pub const ALL: [Role; 4] =
        [Role::TenantAdmin, Role::TenantUser, Role::TenantViewer, Role::TenantOperator];

    /// The name stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Role::TenantAdmin => "tenant_admin",
            Role::TenantUser => "tenant_user",
            Role::TenantViewer => "tenant_viewer",
            Role::TenantOperator => "tenant_operator",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    /// A role as a person types it: the words people see ("Tenant Operator"),
    /// their short form ("operator") or the stored key ("tenant_operator"),
    /// in any case.
    pub fn named(text: &str) -> Option<Role> {
        let wanted = text.trim().to_lowercase().replace(['_', '-'], " ");
        Role::ALL.into_iter().find(|r| {
            let label = r.label().to_lowercase();
            wanted == label || Some(wanted.as_str()) == label.strip_prefix("tenant ")
        })
    }

    /// The words people see.
    pub fn label(self) -> &'static str {
        match self {
            Role::TenantAdmin => "Tenant Admin",
            Role::TenantUser => "Tenant User",
            Role::TenantViewer => "Tenant Viewer",
            Role::TenantOperator => "Tenant Operator",
        }
    }
}

impl crate::store::sql::FromSql for Role {
    fn column_result(value: crate::store::sql::ValueRef<'_>) -> crate::store::sql::FromSqlResult<Self> {
        let key = value.as_str()?;
        Role::from_key(key).ok_or(crate::store::sql::FromSqlError::InvalidType)
    }
}

impl crate::store::sql::ToSql for Role {
    fn to_sql(&self) -> crate::store::sql::Result<crate::store::sql::ToSqlOutput<'_>> {
        Ok(self.key().into())
    }
}
