//! Tenant Desk core: domain types, validation, authorization and storage.
//!
//! Nothing here knows about the window. Every operation takes the signed-in
//! [`authz::Actor`] (or credentials, for signing in) and decides itself whether
//! the caller may do it.

pub mod analytics;
pub mod archives;
pub mod audit;
pub mod api_keys;
pub mod auth;
pub mod backups;
pub mod authz;
pub mod billing;
pub mod clock;
pub mod countries;
pub mod list_csv;
mod desk;
pub mod edit_versions;
pub mod diagnostics;
pub mod error;
pub mod faults;
pub mod local_api;
pub mod menu;
pub mod notifications;
pub mod mfa;
pub mod operations;
pub mod organizations;
pub mod personal_api_keys;
pub mod preferences;
pub mod profile;
pub mod replies;
pub mod schedules;
pub mod idempotency;
pub mod secrets;
pub mod conversations;
pub mod setup;
pub mod store;
pub mod tenants;
pub mod timezones;
pub mod upkeep;
pub mod users;
mod validate;

pub use desk::{Desk, DeskConfig};
pub use error::{Error, ErrorCode, Result};
