// App commands are listed here so the Tauri ACL knows them: each must be
// granted to the window in capabilities/, or the window cannot call it.
const COMMANDS: &[&str] = &[
    "startup",
    "list_timezones",
    "complete_setup",
    "sign_in",
    "sign_out",
    "get_profile",
    "update_profile_name",
    "set_new_password",
    "list_users",
    "get_user",
    "create_user",
    "update_user",
    "delete_user",
    "reset_user_password",
    "list_administered_tenants",
    "preview_schedule",
    "get_audit_log",
    "list_countries",
    "get_organization",
    "update_organization",
    "list_tenants",
    "update_tenant",
    "add_tenant",
    "copy_tenant_api_key",
    "rotate_tenant_api_key",
    "get_notification_settings",
    "enable_notifications",
    "block_notifications",
    "set_notification_category",
    "list_sessions",
    "get_session",
    "get_session_filters",
    "count_waiting_sessions",
    "accept_session",
    "resolve_session",
    "assign_session",
    "get_local_api_settings",
    "update_local_api_settings",
    "get_billing",
    "start_trial",
    "change_plan",
    "set_billing_portal",
    "open_billing_portal",
    "add_payment_method",
    "remove_payment_method",
    "add_credits",
    "list_credit_transactions",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {e:#}");
    }
}
