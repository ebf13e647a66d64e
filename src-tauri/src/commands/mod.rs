//! Tauri commands: parse, call the core with the signed-in actor, return its
//! typed error. No rules live here.

pub mod analytics;
pub mod api_key;
pub mod archives;
pub mod audit;
pub mod backups;
pub mod billing;
pub mod list_csv;
pub mod desktop;
pub mod diagnostics;
pub mod local_api;
pub mod mfa;
pub mod notifications;
pub mod organizations;
pub mod personal_api_keys;
pub mod profile;
pub mod recovery;
pub mod conversations;
pub mod setup;
pub mod sign_in;
pub mod tenants;
pub mod users;
