//! End-to-end flows through the real window. Run by `scripts/test.sh` under
//! Xvfb (a display per install of the app) in a private D-Bus session with an
//! unlocked gnome-keyring.

mod analytics;
mod api_key;
mod authority;
mod archives;
mod clear_cache;
mod desktop_presence;
mod backups;
mod billing;
mod diagnostics;
mod first_run;
mod flows_util;
mod folder_in_use;
mod identity_users;
mod installed_package;
mod keyring_absent;
mod mfa;
mod notifications;
mod operator_notifications;
mod organization;
mod organization_switcher;
mod personal_api_keys;
mod preferences;
mod profile_header;
mod remembered;
mod replies;
mod roles;
mod conversations;
mod team_server;
mod tenants;
