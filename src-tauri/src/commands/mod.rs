//! Tauri commands: parse, call the core with the signed-in actor, return its
//! typed error. No rules live here.

pub mod api_key;
pub mod audit;
pub mod notifications;
pub mod profile;
pub mod session;
pub mod setup;
pub mod tenants;
pub mod users;
