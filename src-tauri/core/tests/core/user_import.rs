//! Import users from CSV: checked whole first, then all or nothing, by the
//! roles that may add users, and by the local administrator.

use tenant_desk_core::archives::Progress;
use tenant_desk_core::authz::{LocalAdministrator, Role};
use tenant_desk_core::users::{UserImport, UserQuery};
use tenant_desk_core::ErrorCode;

use crate::support::*;

const TEAM: &str = "Name,Email,Role,Schedule,Schedule Timezone\n\
                    Rosa Parks,rosa@example.com,Tenant User,,\n\
                    Mary Jackson,mary@example.com,viewer,,\n\
                    Dorothy Vaughan,dorothy@example.com,Tenant Operator,Mon-Fri 9-17; Sat 10-14,America/New_York\n";

fn import(tenant_id: i64, csv: &str, dry_run: bool) -> UserImport {
    UserImport { tenant_id, csv: csv.into(), dry_run }
}

fn emails(h: &Harness, admin: &tenant_desk_core::authz::Actor) -> Vec<String> {
    h.desk.list_users(admin, &UserQuery::search("")).unwrap().rows.into_iter().map(|r| r.email).collect()
}

#[test]
fn a_tenant_admin_imports_everyone_after_a_report_that_writes_nothing() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let tenant = tenant_id(&admin);

    let report = h.desk.import_users(&admin, &import(tenant, TEAM, true)).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!((report.rows, report.users.len(), report.written), (3, 3, false));
    assert!(report.temporary_passwords.is_empty());
    assert_eq!(emails(&h, &admin), [ADMIN_EMAIL], "a dry run adds no one");

    let report = h.desk.import_users(&admin, &import(tenant, TEAM, false)).unwrap();
    assert!(report.written);
    assert_eq!(report.temporary_passwords.len(), 3);
    let mut all = emails(&h, &admin);
    all.sort();
    assert_eq!(all, ["dorothy@example.com", ADMIN_EMAIL, "mary@example.com", "rosa@example.com"]);

    // The operator's hours, in the zone the file named.
    let dorothy = report.users.iter().find(|u| u.email == "dorothy@example.com").unwrap();
    let schedule = dorothy.schedule.as_ref().unwrap();
    assert_eq!((schedule.zone.as_str(), schedule.ranges.len()), ("America/New_York", 6));
    assert_eq!(dorothy.role, Role::TenantOperator);

    // Each signs in with their temporary password and must replace it.
    for temporary in &report.temporary_passwords {
        let (_, signed_in) = sign_in(&h.desk, &temporary.email, &temporary.password).unwrap();
        assert!(signed_in.must_change_password, "{}", temporary.email);
    }
    let created = h.audit("user.create");
    assert_eq!(created.len(), 3);
    assert!(created.iter().all(|(_, after)| after.as_deref().is_some_and(|a| a.contains("\"imported\":true"))));
}

#[test]
fn one_bad_row_refuses_the_whole_file_with_line_and_column() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let bad = TEAM.replace("mary@example.com", "mary at example") + "Rosa Again,ROSA@example.com,Tenant User,,\n" + "No Role,norole@example.com,,,\n";
    let report = h.desk.import_users(&admin, &import(tenant_id(&admin), &bad, false)).unwrap();
    assert!(!report.written);
    let found: Vec<(u32, &str)> = report.problems.iter().map(|p| (p.line, p.column.as_str())).collect();
    assert_eq!(found, [(3, "Email"), (5, "Email"), (6, "Role")], "{:?}", report.problems);
    assert!(report.problems[1].problem.contains("on line 2 too"));
    assert!(report.users.is_empty() && report.temporary_passwords.is_empty());
    assert_eq!(emails(&h, &admin), [ADMIN_EMAIL], "nothing of a refused file is kept");
    assert!(h.audit("user.create").is_empty());
}

#[test]
fn a_file_without_the_needed_columns_is_refused_at_its_first_line() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let report = h.desk.import_users(&admin, &import(tenant_id(&admin), "Full name,Mail\nRosa,rosa@example.com\n", true)).unwrap();
    let columns: Vec<&str> = report.problems.iter().map(|p| p.column.as_str()).collect();
    assert_eq!(columns, ["Name", "Email", "Role"]);
    assert!(report.problems.iter().all(|p| p.line == 1));
    assert_eq!(report.ignored_columns, ["Full name", "Mail"]);
}

#[test]
fn an_existing_account_is_invited_from_add_user_not_imported() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let csv = format!("Name,Email,Role\nSomeone,{},Tenant User\n", member_email(Role::TenantViewer).to_uppercase());
    let report = h.desk.import_users(&admin, &import(tenant_id(&admin), &csv, true)).unwrap();
    assert_eq!(report.problems.len(), 1);
    assert!(report.problems[0].problem.contains("already has a Tenant Desk account"));
}

#[test]
fn only_those_who_may_add_users_import_and_never_into_a_read_only_tenant() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let tenant = tenant_id(&admin);
    for role in [Role::TenantUser, Role::TenantViewer, Role::TenantOperator] {
        let member = h.actor_of(member_email(role));
        let refused = h.desk.import_users(&member, &import(tenant, TEAM, true)).unwrap_err();
        assert_eq!(refused.code, ErrorCode::NotAllowed, "{role:?}");
    }
    h.mark_read_only(tenant);
    let refused = h.desk.import_users(&admin, &import(tenant, TEAM, true)).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert_eq!(emails(&h, &admin).len(), 7);
}

#[test]
fn the_local_administrator_imports_and_is_named_in_the_audit_log() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let local = LocalAdministrator::of_folder(h.dir.path()).unwrap();
    let progress = Progress::new();
    let report = h.desk.import_users_locally(&local, &import(tenant_id(&admin), TEAM, false), &progress).unwrap();
    assert!(report.written);
    assert_eq!((progress.done(), progress.total()), (6, 6), "hashed, then written");
    let vias: Vec<Option<String>> = h
        .desk
        .db()
        .read(|tx| {
            let mut stmt = tx.prepare("SELECT via FROM audit_log WHERE action = 'user.create' AND actor_account_id IS NULL")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<tenant_desk_core::store::sql::Result<Vec<_>>>()?)
        })
        .unwrap();
    assert_eq!(vias, vec![Some("command_line".to_owned()); 3]);
}

#[test]
fn a_column_named_twice_and_a_file_past_the_row_limit_are_refused() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let tenant = tenant_id(&admin);
    let twice = h.desk.import_users(&admin, &import(tenant, "Name,Email,Role,email\nRosa,rosa@example.com,viewer,r@example.com\n", true)).unwrap();
    assert_eq!(twice.problems.len(), 1);
    assert_eq!((twice.problems[0].line, twice.problems[0].column.as_str()), (1, "Email"));
    assert!(twice.problems[0].problem.contains("appears twice"));

    let mut csv = String::from("Name,Email,Role\n");
    for _ in 0..=tenant_desk_core::users::MAX_ROWS {
        csv.push_str(",x,\n");
    }
    let too_many = h.desk.import_users(&admin, &import(tenant, &csv, false)).unwrap();
    assert_eq!(too_many.problems.len(), 1, "the limit is the one thing reported");
    assert_eq!(too_many.problems[0].line as usize, tenant_desk_core::users::MAX_ROWS + 2);
    assert!(too_many.problems[0].problem.starts_with("A file holds at most 200000 users"));
    assert!(!too_many.written);
}
