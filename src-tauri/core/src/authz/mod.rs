//! Who may do what. Every operation of the core names itself as an
//! [`Operation`] and asks [`permit`] inside its own transaction, where the
//! actor's role and platform flag are read again; [`authorize`] gives the
//! same answer early, on the actor as resolved. The UI's menu is derived from
//! the same table, never a second copy of the rules. `over_account` decides
//! actions on an account as a whole.

mod actor;
mod authority;
mod caller;
mod local_admin;
mod offers;
pub(crate) mod over_account;
mod policy;
mod role;

pub use actor::{Actor, TenantContext};
pub use caller::{authorize_caller, Caller, TenantKey};
pub use local_admin::LocalAdministrator;
pub use offers::Offers;
pub(crate) use authority::{permit, permit_in};
pub use authority::Permit;
pub use policy::{authorize, can, is_allowed, Operation};
pub(crate) use policy::read_only_refusal;
pub use role::Role;
