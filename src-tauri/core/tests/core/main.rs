//! Integration tests of the core: one binary, a fresh store per test opened
//! through the production `Desk::open`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod analytics;
mod chart_exports;
mod archives;
mod audit_log;
mod api_keys;
mod authority;
mod authz_matrix;
mod avatar;
mod postgres_store;
mod preferences;
mod private_files;
mod backups;
mod billing;
mod crashes;
mod list_csv;
mod list_against_plain_queries;
mod local_admin;
mod kill_points;
mod diagnostics;
mod notifications;
mod mfa;
mod organizations;
mod own_sign_in;
mod personal_api_keys;
mod profile;
mod properties;
mod replies;
mod remembered;
mod schema_drift;
mod search_on_both_stores;
mod store_reads;
mod setup;
mod conversation_notifications;
mod conversations;
mod sign_in;
mod support;
mod users;
mod user_import;
mod tenant_rules;
mod tenants;
mod upkeep;
