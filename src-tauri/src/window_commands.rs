// Every command the window may call, declared once: the operations of
// `tenant_desk_core::operations` (their `window` part, generated into
// `commands::operations`) and the desktop's own commands below. From this
// one list come the Tauri command registration and the TypeScript bindings
// (`bindings.rs`), and the build script's command list for Tauri's ACL with
// the generated grant to the window (`capabilities/commands.json`), so a
// command added here is callable, typed and granted, and one missing here
// is none of those. `build.rs` includes this file and the operations' list.

/// Calls `$then!` with the list: `module::command` for each, the module
/// under `commands/`.
macro_rules! window_commands {
    ($then:ident) => {
        desk_operations!(with_desktop_commands, $then)
    };
}

/// The operations' names after the desktop's own commands.
macro_rules! with_desktop_commands {
    (
        $then:ident
        window { $( $name:ident ( $($args:tt)* ) -> $out:ty as $who:ident |$d:ident, $a:ident| $body:expr; )* }
        shell { $($shell:tt)* }
    ) => {
        $then! {
            sign_in::startup,
            setup::list_timezones,
            setup::complete_setup,
            sign_in::sign_in,
            sign_in::sign_out,
            profile::choose_avatar,
            tenants::list_countries,
            api_key::copy_tenant_api_key,
            local_api::get_local_api_settings,
            local_api::update_local_api_settings,
            notifications::enable_notifications,
            notifications::pause_notifications,
            notifications::resume_notifications,
            desktop::get_desktop_presence,
            desktop::set_start_at_login,
            desktop::set_keep_running_when_closed,
            sign_in::verify_sign_in_code,
            mfa::save_recovery_codes,
            organizations::switch_organization,
            billing::open_billing_portal,
            billing::save_credit_transactions_csv,
            recovery::get_store_status,
            recovery::wait_for_store_check,
            recovery::inspect_recovery_backup,
            recovery::recover_from_backup,
            recovery::quit_app,
            backups::list_backups,
            backups::inspect_backup,
            backups::restore_store,
            backups::back_up_store,
            backups::choose_backup_to_restore,
            recovery::choose_recovery_backup,
            list_csv::save_users_csv,
            user_import::choose_users_csv,
            user_import::save_temporary_passwords,
            list_csv::save_tenants_csv,
            list_csv::save_conversations_csv,
            list_csv::save_audit_log_csv,
            analytics::start_chart_export,
            analytics::list_chart_exports,
            analytics::download_chart_export,
            analytics::set_chart_export_expiry,
            archives::start_archive_export,
            archives::start_archive_import,
            archives::save_team_archive,
            archives::archive_job,
            archives::cancel_archive_job,
            archives::list_snapshots,
            archives::compare_snapshots,
            archives::remove_snapshot,
            diagnostics::get_diagnostics,
            diagnostics::copy_diagnostics,
            diagnostics::open_log_folder,
            team_server::check_team_server,
            team_server::connect_team_server,
            team_server::use_this_computer,
            $(operations::$name,)*
        }
    };
}
// build.rs, which includes this file, calls the macros by their names instead.
#[allow(unused_imports)]
pub(crate) use {window_commands, with_desktop_commands};
