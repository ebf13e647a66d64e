//! The command list and the TypeScript bindings generated from it
//! (`ui/src/lib/bindings.ts`). A test fails when the committed file is stale;
//! `UPDATE_BINDINGS=1 cargo test -p tenant-desk bindings` rewrites it.

use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands::{
    analytics, api_key, archives, audit, backups, billing, csv_exports, desktop, diagnostics, local_api, mfa, notifications, organizations, personal_api_keys, profile, session,
    recovery, sessions, setup, tenants, users,
};
use crate::desktop_notifier::NotificationClicked;

pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            session::startup,
            setup::list_timezones,
            setup::complete_setup,
            session::sign_in,
            session::sign_out,
            session::set_new_password,
            profile::get_profile,
            profile::update_profile_details,
            profile::choose_avatar,
            profile::remove_avatar,
            profile::get_preferences,
            profile::set_show_toasts,
            profile::set_theme,
            profile::pin_home_page,
            profile::unpin_home_page,
            users::list_users,
            users::get_user,
            users::create_user,
            users::update_user,
            users::delete_user,
            users::reset_user_password,
            users::reset_user_mfa,
            users::list_administered_tenants,
            users::preview_schedule,
            audit::get_audit_log,
            tenants::list_countries,
            tenants::get_organization,
            tenants::update_organization,
            tenants::list_tenants,
            tenants::update_tenant,
            tenants::add_tenant,
            api_key::copy_tenant_api_key,
            api_key::rotate_tenant_api_key,
            sessions::list_sessions,
            sessions::get_session,
            sessions::get_session_filters,
            sessions::count_waiting_sessions,
            sessions::accept_session,
            sessions::reply_to_session,
            sessions::retry_delivery,
            organizations::get_delivery_address,
            organizations::set_delivery_address,
            sessions::resolve_session,
            sessions::assign_session,
            local_api::get_local_api_settings,
            local_api::update_local_api_settings,
            notifications::get_notification_settings,
            notifications::enable_notifications,
            notifications::block_notifications,
            notifications::set_notification_category,
            notifications::pause_notifications,
            notifications::resume_notifications,
            notifications::set_only_during_shift,
            desktop::get_desktop_presence,
            desktop::set_start_at_login,
            desktop::set_keep_running_when_closed,
            session::verify_sign_in_code,
            mfa::get_mfa_status,
            mfa::begin_mfa_setup,
            mfa::confirm_mfa,
            mfa::disable_mfa,
            mfa::regenerate_recovery_codes,
            mfa::save_recovery_codes,
            organizations::list_organizations,
            organizations::create_organization,
            organizations::switch_organization,
            personal_api_keys::list_personal_api_keys,
            personal_api_keys::create_personal_api_key,
            personal_api_keys::revoke_personal_api_key,
            billing::get_billing,
            billing::start_trial,
            billing::change_plan,
            billing::set_billing_portal,
            billing::open_billing_portal,
            billing::add_payment_method,
            billing::remove_payment_method,
            billing::add_credits,
            billing::list_credit_transactions,
            billing::export_credit_transactions,
            recovery::get_store_status,
            recovery::inspect_recovery_backup,
            recovery::recover_from_backup,
            recovery::quit_app,
            backups::list_backups,
            backups::inspect_backup,
            backups::restore_store,
            backups::back_up_store,
            backups::choose_backup_to_restore,
            recovery::choose_recovery_backup,
            csv_exports::export_users_csv,
            csv_exports::export_tenants_csv,
            csv_exports::export_sessions_csv,
            csv_exports::export_audit_log_csv,
            analytics::get_analytics,
            analytics::export_chart_data,
            analytics::list_chart_exports,
            analytics::download_chart_export,
            analytics::set_chart_export_expiry,
            archives::start_tenant_export,
            archives::start_archive_import,
            archives::archive_job,
            archives::cancel_archive_job,
            archives::list_snapshots,
            archives::compare_snapshots,
            archives::remove_snapshot,
            users::invite_existing_user,
            users::list_sent_invitations,
            users::cancel_invitation,
            users::list_received_invitations,
            users::answer_invitation,
            users::set_platform_admin,
            personal_api_keys::list_member_api_keys,
            personal_api_keys::revoke_member_api_key,
            session::change_own_password,
            session::list_signed_in_places,
            session::sign_out_place,
            session::note_activity,
            session::lock_session,
            session::unlock_session,
            diagnostics::get_diagnostics,
            diagnostics::copy_diagnostics,
            diagnostics::open_log_folder,
        ])
        .events(collect_events![
            sessions::SessionsChanged,
            NotificationClicked,
            analytics::ChartExportsChanged,
            crate::desktop::tray::NotificationSettingsChanged
        ])
        // One shape per type: the UI only reads what commands return.
        .disable_serde_phases()
        // Ids are SQLite rowids, far below 2^53.
        .dangerously_cast_bigints_to_number()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use specta_typescript::Typescript;

    const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/lib/bindings.ts");

    fn generate(to: &Path) {
        super::builder()
            .export(Typescript::default().header("// Generated from the Rust types by tauri-specta. Do not edit.\n// @ts-nocheck"), to)
            .unwrap_or_else(|e| panic!("export failed: {e}"));
    }

    #[test]
    fn bindings_are_up_to_date() {
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            generate(Path::new(COMMITTED));
            return;
        }
        let dir = std::env::temp_dir().join(format!("tenant-desk-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let fresh = dir.join("bindings.ts");
        generate(&fresh);
        let fresh = std::fs::read_to_string(&fresh).unwrap_or_default();
        let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
        assert!(
            fresh == committed,
            "ui/src/lib/bindings.ts is stale: run UPDATE_BINDINGS=1 cargo test -p tenant-desk bindings"
        );
    }

    /// Every command the window can call is known to Tauri's ACL (build.rs)
    /// and granted to the window (capabilities/main.json), or calling it
    /// fails at run time with a refusal from Tauri.
    #[test]
    fn every_command_is_declared_to_the_acl_and_granted_to_the_window() {
        let read = |path: &str| {
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
        };
        let (bindings, build, capabilities) = (read("ui/src/lib/bindings.ts"), read("src-tauri/build.rs"), read("capabilities/main.json"));
        let commands: Vec<&str> =
            bindings.split("TAURI_INVOKE(\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
        assert!(commands.len() > 100, "commands not found in the bindings");
        let missing: Vec<String> = commands
            .iter()
            .flat_map(|c| {
                let permission = format!("\"allow-{}\"", c.replace('_', "-"));
                [
                    (!build.contains(&format!("\"{c}\","))).then(|| format!("{c} (build.rs)")),
                    (!capabilities.contains(&permission)).then(|| format!("{c} (capabilities/main.json)")),
                ]
            })
            .flatten()
            .collect();
        assert!(missing.is_empty(), "commands the window could not call: {missing:?}");
    }
}
