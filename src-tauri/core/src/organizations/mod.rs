//! The organization switcher: the tenants an account belongs to, working in
//! another of them, and creating organizations of one's own (at most
//! [`MAX_OWNED_TENANTS`](crate::tenants::MAX_OWNED_TENANTS) per account).
//!
//! - `list`: the switcher's entries and the "1/3" counter.
//! - `switch`: the session's current tenant, remembered for the next sign-in.
//! - `create`: "Create Organization".

mod create;
mod list;
mod switch;

pub use create::NewOrganization;
pub use list::{OrganizationChoice, Organizations};
