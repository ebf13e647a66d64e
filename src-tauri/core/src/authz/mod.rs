//! Who may do what. Every operation of the core names itself as an
//! [`Operation`] and asks [`authorize`] with the signed-in [`Actor`]; the UI's
//! menu is derived from the same table, never a second copy of the rules.

mod actor;
mod caller;
mod policy;
mod role;

pub use actor::{Actor, TenantContext};
pub use caller::{authorize_caller, Caller, TenantKey};
pub use policy::{authorize, can, is_allowed, Operation, Permit};
pub use role::Role;
