//! Tenants ("organizations"): their details under one set of rules
//! (`rules`), the Identity > Tenants list (`list`), editing (`update`),
//! adding (`create`), and Profile > Customer organization (`organization`).

mod create;
mod list;
mod organization;
pub mod rules;
mod scope;
mod stored;
mod update;

pub(crate) use create::insert_owned as insert_owned_tenant;
pub(crate) use scope::administered as administered_tenant;
pub(crate) use stored::in_zone;
pub use organization::{Organization, OrganizationFields};
pub use rules::{Form, TenantFields};
pub use stored::TenantRow;

/// The most tenants one account may own.
pub const MAX_OWNED_TENANTS: i64 = 3;
