//! Tauri commands: parse, call the core with the signed-in actor (here or on
//! the team server), return its typed error. No rules live here. The
//! operations of the core's one list are generated in `operations`; the
//! other modules hold the desktop's own commands around desktop services.

pub mod analytics;
pub mod api_key;
pub mod archives;
pub mod backups;
pub mod billing;
pub mod list_csv;
pub mod desktop;
pub mod diagnostics;
pub mod local_api;
pub mod mfa;
pub mod notifications;
pub mod operations;
pub mod organizations;
pub mod profile;
pub mod recovery;
pub mod relayed;
pub mod conversations;
pub mod setup;
pub mod sign_in;
pub mod team_server;
pub mod tenants;
pub mod user_import;
