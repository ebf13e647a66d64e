//! Diagnostics: the facts for anyone signed in; the log's lines and its
//! folder for platform administrators only (the log records every tenant).

use tenant_desk_core::authz::Role;
use tenant_desk_core::diagnostics::log_files;
use tenant_desk_core::ErrorCode;

use crate::support::*;

const LOGGED: &str = "2026-03-01T09:00:00.000000Z  INFO tenant_desk_core::auth::events: signed in account_id=1";

#[test]
fn the_log_goes_to_platform_administrators_only() {
    let h = Harness::new();
    h.set_up(true);
    let folder = log_files::folder(h.dir.path());
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("tenant-desk.2026-03-01.log"), format!("{LOGGED}\n")).unwrap();

    let admin = h.actor_of(ADMIN_EMAIL);
    let facts = h.desk.diagnostics(&admin, "9.9.9").unwrap();
    assert_eq!(facts.app_version, "9.9.9");
    assert_eq!(facts.data_folder, h.dir.path().display().to_string());
    assert!(facts.database_bytes > 0);
    assert!(facts.schema_version > 0);
    assert_eq!(facts.log_folder, folder.display().to_string());
    assert_eq!(facts.log_file, Some(folder.join("tenant-desk.2026-03-01.log").display().to_string()));
    assert!(facts.log_included);
    let report = h.desk.diagnostics_report(&admin, "9.9.9").unwrap();
    assert!(report.contains(&format!("Log folder: {}\n", folder.display())), "{report}");
    assert!(report.ends_with(&format!("The log's last 1 lines:\n{LOGGED}\n")), "{report}");
    assert_eq!(h.desk.log_folder(&admin).unwrap(), folder);

    let member = h.actor_of(member_email(Role::TenantAdmin));
    let facts = h.desk.diagnostics(&member, "9.9.9").unwrap();
    assert!(!facts.log_included, "a Tenant Admin of one organization reads no other's activity");
    let report = h.desk.diagnostics_report(&member, "9.9.9").unwrap();
    assert!(!report.contains(LOGGED), "{report}");
    assert!(report.contains(&format!("Log folder: {}\n", folder.display())), "where the log is, for support");
    assert_eq!(h.desk.log_folder(&member).unwrap_err().code, ErrorCode::NotAllowed);
}
