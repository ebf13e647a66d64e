//! The audit log view: filters by user, action and dates, newest first.

use chrono::Duration;
use tenant_desk_core::audit::AuditQuery;
use tenant_desk_core::authz::Role;
use tenant_desk_core::ErrorCode;

use crate::support::*;

#[test]
fn filters_by_user_action_and_date_newest_first() {
    let h = Harness::new();
    h.set_up(false);
    let (token, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    let admin = h.desk.actor(&token).unwrap();
    // 2026-03-01 09:00 UTC (setup) then a day later, then two days later.
    h.clock.advance(Duration::days(1));
    let linus = new_user(&h.desk, &admin, "linus@example.com", Role::TenantUser);
    h.clock.advance(Duration::days(1));
    new_user(&h.desk, &admin, "margaret@example.com", Role::TenantUser);
    h.desk.reset_user_password(&admin, linus.id).unwrap();

    let all = h.desk.audit_log(&admin, &AuditQuery::default()).unwrap();
    let actions: Vec<&str> = all.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["user.password_reset", "user.create", "user.create", "sign_in.success", "install.setup"]);
    assert_eq!(all.entries[0].actor.as_deref(), Some("Grace Hopper <grace@example.com>"));
    assert!(all.actions.contains(&"user.create".to_owned()));

    let by_user = h.desk.audit_log(&admin, &AuditQuery { user: "LINUS".into(), ..Default::default() }).unwrap();
    assert_eq!(by_user.entries.len(), 2);
    let by_action = h.desk.audit_log(&admin, &AuditQuery { action: "user.create".into(), ..Default::default() }).unwrap();
    assert_eq!(by_action.entries.len(), 2);
    // Dates are days of the tenant's zone (Berlin), both ends included.
    let day = h
        .desk
        .audit_log(&admin, &AuditQuery { from: "2026-03-02".into(), to: "2026-03-02".into(), ..Default::default() })
        .unwrap();
    assert_eq!(day.entries.len(), 1);
    assert_eq!(day.entries[0].subject.as_deref(), Some("Person linus <linus@example.com>"));

    let e = h.desk.audit_log(&admin, &AuditQuery { from: "03/02/2026".into(), ..Default::default() }).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(e.fields["from"], "Enter a date like 2026-11-26.");
    let e = h
        .desk
        .audit_log(&admin, &AuditQuery { from: "2026-03-03".into(), to: "2026-03-01".into(), ..Default::default() })
        .unwrap_err();
    assert!(e.fields.contains_key("to"));
}
