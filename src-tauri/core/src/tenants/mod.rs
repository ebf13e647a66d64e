//! Tenants ("organizations"): their details under one set of rules
//! (`rules`), the Identity > Tenants list (`list`), editing (`update`),
//! adding (`create`), and Profile > Customer organization (`organization`).

mod create;
mod list;
mod named;
mod organization;
pub mod rules;
mod scope;
mod stored;
mod update;

pub(crate) use create::insert_owned as insert_owned_tenant;
pub(crate) use scope::administered as administered_tenant;
pub(crate) use stored::in_zone;

/// A tenant as stored; "not found" when it is gone.
pub(crate) fn stored_tenant(tx: &crate::store::sql::Tx, tenant_id: i64) -> crate::error::Result<stored::StoredTenant> {
    stored::load(tx, tenant_id)?.ok_or_else(|| crate::error::Error::not_found("tenant"))
}
pub use organization::{Organization, OrganizationFields};
pub use rules::{Form, TenantFields};
pub use stored::TenantRow;

/// The most tenants one account may own.
pub const MAX_OWNED_TENANTS: i64 = 3;
