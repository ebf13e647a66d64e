//! Settings > Identity > Users: add, edit, delete, reset password, the
//! temporary password, search and paging, and the last Tenant Admin rule.

use std::sync::{Arc, Barrier};

use chrono::{TimeZone, Utc};
use tenant_desk_core::auth::{NewPasswordInput, SignInInput};
use tenant_desk_core::authz::{is_allowed, Actor, Operation, Role, TenantContext};
use tenant_desk_core::menu::Section;
use tenant_desk_core::schedules::{HourRange, Schedule};
use tenant_desk_core::users::{UserChanges, UserQuery, UserSort};
use tenant_desk_core::{Desk, ErrorCode};

use crate::support::*;

fn admin(h: &Harness) -> Actor {
    let (token, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    h.desk.actor(&token).unwrap()
}

fn actor_of(desk: &Desk, email: &str) -> Actor {
    let (token, _) = sign_in(desk, email, PASSWORD).unwrap();
    desk.actor(&token).unwrap()
}

fn find(desk: &Desk, admin: &Actor, term: &str) -> Vec<String> {
    desk.list_users(admin, &UserQuery::search(term)).unwrap().rows.into_iter().map(|r| r.email).collect()
}

fn changes(name: &str, role: Role, tenant_id: i64) -> UserChanges {
    UserChanges { name: name.into(), role, tenant_id, schedule: None }
}

fn admins_in(desk: &Desk, tenant_id: i64) -> i64 {
    desk.db()
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT count(*) FROM memberships WHERE tenant_id = ?1 AND role = 'tenant_admin'",
                [tenant_id],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

fn membership_of(desk: &Desk, admin: &Actor, email: &str) -> i64 {
    desk.list_users(admin, &UserQuery::search(email)).unwrap().rows[0].id
}

#[test]
fn created_user_must_replace_the_temporary_password_before_anything_opens() {
    let h = Harness::new();
    h.set_up(false);
    let admin = admin(&h);
    let user = new_user(&h.desk, &admin, "Linus@Example.com", Role::TenantOperator);
    assert_eq!(user.email, "Linus@Example.com");
    assert_eq!(user.tenant_name, "Acme Support");

    let (token, view) = sign_in(&h.desk, "linus@example.com", PASSWORD).unwrap();
    assert!(view.must_change_password);
    assert!(view.menu.sections.is_empty(), "nothing opens: {:?}", view.menu);
    assert_eq!(h.desk.actor(&token).unwrap_err().code, ErrorCode::PasswordChangeRequired);

    let same = h.desk.set_new_password(&token, NewPasswordInput { password: PASSWORD.into(), confirm: PASSWORD.into() });
    assert_eq!(same.unwrap_err().fields["password"], "Choose a password different from the temporary one.");
    let mismatch = h
        .desk
        .set_new_password(&token, NewPasswordInput { password: "amber falcon river stone".into(), confirm: "other".into() });
    assert_eq!(mismatch.unwrap_err().fields["confirm"], "The two passwords do not match.");
    let weak = h.desk.set_new_password(&token, NewPasswordInput { password: "password".into(), confirm: "password".into() });
    assert!(weak.unwrap_err().fields.contains_key("password"));

    let view = h
        .desk
        .set_new_password(&token, NewPasswordInput { password: "amber falcon river stone".into(), confirm: "amber falcon river stone".into() })
        .unwrap();
    assert!(!view.must_change_password);
    // An operator: Sessions opens, and is where they land.
    assert_eq!(view.menu.sections, vec![Section::Profile, Section::Sessions, Section::Analytics, Section::Notifications]);
    assert_eq!(view.menu.landing, Section::Sessions);
    assert!(h.desk.actor(&token).is_ok());
    assert_eq!(sign_in(&h.desk, "linus@example.com", PASSWORD).unwrap_err().code, ErrorCode::WrongCredentials);
    assert!(!sign_in(&h.desk, "linus@example.com", "amber falcon river stone").unwrap().1.must_change_password);
    // Nothing left to replace.
    let again = h.desk.set_new_password(&token, NewPasswordInput { password: "x".into(), confirm: "x".into() });
    assert_eq!(again.unwrap_err().code, ErrorCode::NotAllowed);
}

#[test]
fn admins_land_on_identity() {
    let h = Harness::new();
    let (_, view) = h.set_up(false);
    // The install's first account is also a platform administrator: Backups too.
    assert_eq!(
        view.menu.sections,
        vec![Section::Profile, Section::Sessions, Section::Analytics, Section::Identity, Section::Notifications, Section::Archives, Section::Backups]
    );
    assert_eq!(view.menu.landing, Section::Identity);
}

#[test]
fn invalid_add_user_writes_nothing_and_says_why_per_field() {
    let h = Harness::new();
    h.set_up(false);
    let admin = admin(&h);
    let t = tenant_id(&admin);
    let before = h.desk.list_users(&admin, &UserQuery::search("")).unwrap().total.unwrap();

    let mut input = new_user_input("not-an-email", Role::TenantUser, t);
    input.name = "  ".into();
    input.password = "short".into();
    let e = h.desk.create_user(&admin, input).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(e.fields["name"], "Name is required.");
    assert_eq!(e.fields["email"], "Enter a valid email address, like name@example.com.");
    assert_eq!(e.fields["password"], "Password must be at least 8 characters.");

    // Unique across the install, case-insensitively: a member already is one.
    let e = h.desk.create_user(&admin, new_user_input("GRACE@EXAMPLE.COM", Role::TenantUser, t)).unwrap_err();
    assert_eq!(e.fields["email"], "This person is already a user of this tenant.");

    // A schedule with overlapping ranges.
    let mut input = new_user_input("op@example.com", Role::TenantOperator, t);
    input.schedule = Some(Schedule {
        zone: "Europe/Berlin".into(),
        ranges: vec![
            HourRange { weekday: 0, start_hour: 9, end_hour: 12 },
            HourRange { weekday: 0, start_hour: 11, end_hour: 13 },
        ],
    });
    let e = h.desk.create_user(&admin, input).unwrap_err();
    assert_eq!(e.fields["schedule.1"], "This range overlaps another range of the same day.");

    // A tenant the admin does not administer.
    let other = h
        .desk
        .db()
        .write(|tx| {
            tx.execute("INSERT INTO tenants (name, timezone, created_at, modified_at) VALUES ('Other', 'UTC', 0, 0)", [])?;
            Ok(tx.last_insert_rowid()?)
        })
        .unwrap();
    let ada_like = {
        let ada = new_user(&h.desk, &admin, "second.admin@example.com", Role::TenantAdmin);
        let (token, _) = sign_in(&h.desk, &ada.email, PASSWORD).unwrap();
        h.desk
            .set_new_password(&token, NewPasswordInput { password: "amber falcon river stone".into(), confirm: "amber falcon river stone".into() })
            .unwrap();
        h.desk.actor(&token).unwrap()
    };
    let e = h.desk.create_user(&ada_like, new_user_input("x@example.com", Role::TenantUser, other)).unwrap_err();
    assert_eq!(e.fields["tenant_id"], "Pick a tenant you administer.");

    let after = h.desk.list_users(&admin, &UserQuery::search("")).unwrap().total.unwrap();
    assert_eq!(after, before + 1, "only the second admin was added");
}

#[test]
fn search_is_case_insensitive_beyond_ascii_by_index_and_by_scan() {
    let h = Harness::new();
    h.set_up(true);
    let admin = admin(&h);
    let elodie = "elodie.durand@demo.tenant-desk.example";
    assert_eq!(find(&h.desk, &admin, "ÉLODIE"), vec![elodie]);
    assert_eq!(find(&h.desk, &admin, "élodie"), vec![elodie]);
    assert_eq!(find(&h.desk, &admin, "DURAND@"), vec![elodie]);
    assert_eq!(find(&h.desk, &admin, "MUÑ"), vec!["tomas.munoz@demo.tenant-desk.example"]);
    // One and two characters: no trigram, a scan of the folded text.
    assert_eq!(find(&h.desk, &admin, "É"), vec![elodie]);
    assert_eq!(find(&h.desk, &admin, "ÑO"), vec!["tomas.munoz@demo.tenant-desk.example"]);
    assert!(find(&h.desk, &admin, "kq").is_empty());
    assert!(find(&h.desk, &admin, "xylophone").is_empty());
    // Name and email never run together into a match.
    assert!(find(&h.desk, &admin, "durandelodie").is_empty());
    assert!(find(&h.desk, &admin, "\"quoted\"").is_empty());
    // Renaming reindexes.
    let id = membership_of(&h.desk, &admin, elodie);
    h.desk.update_user(&admin, id, changes("Zoë Quint", Role::TenantViewer, tenant_id(&admin))).unwrap();
    assert_eq!(find(&h.desk, &admin, "ZOË"), vec![elodie]);
    assert!(find(&h.desk, &admin, "élodie durand").is_empty());
}

#[test]
fn table_sorts_by_each_column_and_pages() {
    let h = Harness::new();
    h.set_up(true);
    let admin = admin(&h);
    let mut q = UserQuery::search("");
    q.sort = UserSort::Name;
    let names: Vec<String> = h.desk.list_users(&admin, &q).unwrap().rows.into_iter().map(|r| r.name).collect();
    assert_eq!(names.first().map(String::as_str), Some("Ada Lovelace"));
    assert_eq!(names.last().map(String::as_str), Some("Tomás Muñoz"));
    q.descending = true;
    let desc = h.desk.list_users(&admin, &q).unwrap();
    assert_eq!(desc.rows[0].name, "Tomás Muñoz");
    assert_eq!(desc.total, Some(7));
    assert_eq!(desc.timezone, "Europe/Berlin");
    for sort in [UserSort::Id, UserSort::Email, UserSort::Role, UserSort::Tenant, UserSort::CreatedOn, UserSort::ModifiedOn] {
        let page = h.desk.list_users(&admin, &UserQuery { sort, ..UserQuery::search("") }).unwrap();
        assert_eq!(page.rows.len(), 7, "{sort:?}");
    }
    let mut q = UserQuery::search("");
    q.sort = UserSort::Role;
    let roles: Vec<Role> = h.desk.list_users(&admin, &q).unwrap().rows.into_iter().map(|r| r.role).collect();
    assert_eq!(roles[0], Role::TenantAdmin);
    assert_eq!(roles[6], Role::TenantViewer);
    let mut q = UserQuery::search("");
    q.page_size = 3;
    let first = h.desk.list_users(&admin, &q).unwrap();
    assert!(first.has_more);
    q.page = 2;
    let last = h.desk.list_users(&admin, &q).unwrap();
    assert_eq!(last.rows.len(), 1);
    assert!(!last.has_more);
    assert_eq!(first.rows[0].created_on, "2026-03-01T09:00:00.000Z", "UTC on the wire");
}

#[test]
fn edit_changes_name_role_and_schedule_and_audits_each() {
    let h = Harness::new();
    h.set_up(true);
    let admin = admin(&h);
    let t = tenant_id(&admin);
    let priya = membership_of(&h.desk, &admin, "priya.raman@");
    let detail = h.desk.user_detail(&admin, priya).unwrap();
    assert_eq!(detail.schedule.as_ref().map(|s| s.ranges.len()), Some(5));

    let schedule = Schedule { zone: "Asia/Kolkata".into(), ranges: vec![HourRange { weekday: 2, start_hour: 9, end_hour: 18 }] };
    let user = h
        .desk
        .update_user(&admin, priya, UserChanges { name: "Priya R.".into(), role: Role::TenantOperator, tenant_id: t, schedule: Some(schedule.clone()) })
        .unwrap();
    assert_eq!(user.name, "Priya R.");
    assert_eq!(user.email, "priya.raman@demo.tenant-desk.example", "email never changes");
    assert_eq!(h.desk.user_detail(&admin, priya).unwrap().schedule, Some(schedule));
    // Wednesday 2026-03-04 04:00 UTC is 09:30 in Kolkata.
    let at = Utc.with_ymd_and_hms(2026, 3, 4, 4, 0, 0).unwrap();
    assert!(h.desk.on_shift(priya, at).unwrap());

    // Another role drops the schedule; the operator is no longer on shift.
    h.desk.update_user(&admin, priya, changes("Priya R.", Role::TenantViewer, t)).unwrap();
    assert_eq!(h.desk.user_detail(&admin, priya).unwrap().schedule, None);
    assert!(!h.desk.on_shift(priya, at).unwrap());

    let actions: Vec<String> = h
        .desk
        .audit_log(&admin, &Default::default())
        .unwrap()
        .entries
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        &actions[..4],
        ["user.schedule_change", "user.role_change", "user.schedule_change", "user.update"].map(String::from)
    );
}

#[test]
fn demo_operator_is_on_shift_in_the_tenant_zone() {
    let h = Harness::new();
    h.set_up(true);
    let admin = admin(&h);
    let priya = membership_of(&h.desk, &admin, "priya.raman@");
    let tomas = membership_of(&h.desk, &admin, "tomas.munoz@");
    // Monday 2026-03-02: 9–17 in Berlin (CET) is 08:00–16:00 UTC.
    assert!(!h.desk.on_shift(priya, Utc.with_ymd_and_hms(2026, 3, 2, 7, 59, 0).unwrap()).unwrap());
    assert!(h.desk.on_shift(priya, Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()).unwrap());
    assert!(!h.desk.on_shift(priya, Utc.with_ymd_and_hms(2026, 3, 2, 16, 0, 0).unwrap()).unwrap());
    assert!(!h.desk.on_shift(priya, Utc.with_ymd_and_hms(2026, 3, 7, 10, 0, 0).unwrap()).unwrap(), "Saturday");
    assert!(!h.desk.on_shift(tomas, Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap()).unwrap(), "not an operator");
}

#[test]
fn the_last_tenant_admin_cannot_be_demoted_deleted_or_moved_away() {
    let h = Harness::new();
    h.set_up(true);
    let grace = admin(&h);
    let t = tenant_id(&grace);
    let ada = membership_of(&h.desk, &grace, "ada.lovelace@");
    let me = membership_of(&h.desk, &grace, ADMIN_EMAIL);
    h.desk.update_user(&grace, ada, changes("Ada Lovelace", Role::TenantUser, t)).unwrap();

    let e = h.desk.update_user(&grace, me, changes("Grace Hopper", Role::TenantUser, t)).unwrap_err();
    assert_eq!(e.code, ErrorCode::LastTenantAdmin);
    assert!(e.message.contains("last Tenant Admin"), "{}", e.message);

    let other = h
        .desk
        .db()
        .write(|tx| {
            tx.execute("INSERT INTO tenants (name, timezone, created_at, modified_at) VALUES ('Second', 'UTC', 0, 0)", [])?;
            Ok(tx.last_insert_rowid()?)
        })
        .unwrap();
    let e = h.desk.update_user(&grace, me, changes("Grace Hopper", Role::TenantAdmin, other)).unwrap_err();
    assert_eq!(e.code, ErrorCode::LastTenantAdmin, "moving away");
    assert_eq!(admins_in(&h.desk, t), 1, "nothing written");

    // Another person cannot delete the last admin either (Grace cannot delete herself at all).
    h.desk.db().write(|tx| Ok(tx.execute("UPDATE accounts SET is_platform_admin = 1 WHERE email = 'sam.carter@demo.tenant-desk.example'", [])?)).unwrap();
    let sam = actor_of(&h.desk, "sam.carter@demo.tenant-desk.example");
    let e = h.desk.delete_user(&sam, me).unwrap_err();
    assert_eq!(e.code, ErrorCode::LastTenantAdmin);
    assert_eq!(h.desk.delete_user(&grace, me).unwrap_err().message, "You cannot delete your own account.");
    assert_eq!(admins_in(&h.desk, t), 1);
}

#[test]
fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let h = Harness::new();
    h.set_up(true);
    let grace = admin(&h);
    let t = tenant_id(&grace);
    let ada_id = membership_of(&h.desk, &grace, "ada.lovelace@");
    let grace_id = membership_of(&h.desk, &grace, ADMIN_EMAIL);
    // Plain Tenant Admins (not platform administrators), each on its own connection.
    h.desk.db().write(|tx| Ok(tx.execute("UPDATE accounts SET is_platform_admin = 0", [])?)).unwrap();
    let first = Arc::new(h.reopen());
    let second = Arc::new(h.reopen());
    let grace = actor_of(&first, ADMIN_EMAIL);
    let ada = actor_of(&second, "ada.lovelace@demo.tenant-desk.example");
    for round in 0..10 {
        h.desk
            .db()
            .write(|tx| Ok(tx.execute("UPDATE memberships SET role = 'tenant_admin' WHERE id IN (?1, ?2)", [ada_id, grace_id])?))
            .unwrap();
        let barrier = Arc::new(Barrier::new(2));
        let run = |desk: Arc<Desk>, actor: Actor, target: i64, name: &'static str| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                desk.update_user(&actor, target, changes(name, Role::TenantUser, t)).map(drop).map_err(|e| e.code)
            })
        };
        let a = run(first.clone(), grace.clone(), ada_id, "Ada Lovelace");
        let b = run(second.clone(), ada.clone(), grace_id, "Grace Hopper");
        let outcomes = [a.join().unwrap(), b.join().unwrap()];
        assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "round {round}: {outcomes:?}");
        assert!(outcomes.iter().all(|o| matches!(o, Ok(()) | Err(ErrorCode::NotAllowed | ErrorCode::LastTenantAdmin))));
        assert_eq!(admins_in(&h.desk, t), 1, "round {round}");
    }
}

#[test]
fn deleted_user_cannot_sign_in_and_every_session_ends_but_history_stays() {
    let h = Harness::new();
    h.set_up(true);
    let admin = admin(&h);
    let email = "tomas.munoz@demo.tenant-desk.example";
    let (plain, _) = sign_in(&h.desk, email, PASSWORD).unwrap();
    let (_, view) = h.desk.sign_in(SignInInput { email: email.into(), password: PASSWORD.into(), remember: true }).unwrap();
    assert!(view.remembered);

    let id = membership_of(&h.desk, &admin, email);
    h.desk.delete_user(&admin, id).unwrap();
    assert_eq!(h.desk.actor(&plain).unwrap_err().code, ErrorCode::NotSignedIn);
    assert!(h.desk.resume().unwrap().is_none(), "remembered sign-in revoked");
    assert_eq!(sign_in(&h.desk, email, PASSWORD).unwrap_err().code, ErrorCode::WrongCredentials);
    assert!(find(&h.desk, &admin, "tomas").is_empty());
    assert_eq!(h.desk.delete_user(&admin, id).unwrap_err().code, ErrorCode::NotFound);

    let log = h.desk.audit_log(&admin, &Default::default()).unwrap();
    let entry = log.entries.iter().find(|e| e.action == "user.delete").unwrap();
    assert_eq!(entry.subject.as_deref(), Some("Tomás Muñoz <tomas.munoz@demo.tenant-desk.example>"));
    assert!(entry.before.as_deref().unwrap_or("").contains("Tenant User"));

    // The address is free again.
    new_user(&h.desk, &admin, email, Role::TenantUser);
}

#[test]
fn reset_password_ends_sessions_and_forces_a_new_password() {
    let h = Harness::new();
    h.set_up(true);
    let admin = admin(&h);
    let email = "sam.carter@demo.tenant-desk.example";
    let (old_session, _) = sign_in(&h.desk, email, PASSWORD).unwrap();
    let id = membership_of(&h.desk, &admin, email);
    let temporary = h.desk.reset_user_password(&admin, id).unwrap();
    assert_eq!(temporary.email, email);
    assert_eq!(temporary.password.chars().count(), 16);
    assert!(!format!("{temporary:?}").contains(&temporary.password), "never in debug output");
    assert_eq!(h.desk.actor(&old_session).unwrap_err().code, ErrorCode::NotSignedIn);
    assert_eq!(sign_in(&h.desk, email, PASSWORD).unwrap_err().code, ErrorCode::WrongCredentials);
    let (token, view) = sign_in(&h.desk, email, &temporary.password).unwrap();
    assert!(view.must_change_password);
    assert_eq!(h.desk.actor(&token).unwrap_err().code, ErrorCode::PasswordChangeRequired);

    let me = membership_of(&h.desk, &admin, ADMIN_EMAIL);
    assert_eq!(h.desk.reset_user_password(&admin, me).unwrap_err().code, ErrorCode::NotAllowed);

    // The audit log never holds the password or a hash.
    let all = h.desk.audit_log(&admin, &Default::default()).unwrap();
    let text = format!("{:?}", all.entries);
    assert!(!text.contains(&temporary.password));
    assert!(!text.contains("argon2"));
    assert!(all.entries.iter().any(|e| e.action == "user.password_reset"));
}

#[test]
fn platform_administrators_manage_users_whatever_their_role() {
    let viewer_admin = Actor {
        account_id: 1,
        is_platform_admin: true,
        tenant: Some(TenantContext { tenant_id: 1, role: Role::TenantViewer, read_only: false }),
        through_key: false,
    };
    assert!(is_allowed(&viewer_admin, Operation::DeleteUser));
    assert!(is_allowed(&viewer_admin, Operation::ViewAuditLog));
    let viewer = Actor { is_platform_admin: false, ..viewer_admin };
    assert!(!is_allowed(&viewer, Operation::ListUsers));
}

#[test]
fn search_results_follow_the_chosen_sort() {
    let h = Harness::new();
    h.set_up(true);
    let admin = admin(&h);
    let names = |term: &str, sort: UserSort, descending: bool| -> Vec<String> {
        let q = UserQuery { sort, descending, ..UserQuery::search(term) };
        h.desk.list_users(&admin, &q).unwrap().rows.into_iter().map(|r| r.name).collect()
    };
    // By index (three characters or more), sorted by name.
    assert_eq!(names("demo.tenant", UserSort::Name, false)[..3], ["Ada Lovelace", "Élodie Durand", "Kenji Watanabe"]);
    assert_eq!(names("demo.tenant", UserSort::Name, true)[0], "Tomás Muñoz");
    // By walking the table (one character), sorted by name and by ID.
    assert_eq!(names("a", UserSort::Name, false)[0], "Ada Lovelace");
    let by_id_desc = names("a", UserSort::Id, true);
    assert_eq!(by_id_desc.first().map(String::as_str), Some("Sam Carter"));
    assert_eq!(by_id_desc.last().map(String::as_str), Some("Grace Hopper"));
    assert_eq!(names("demo.tenant", UserSort::Id, true)[0], "Sam Carter");
}

#[test]
fn the_window_is_offered_what_the_rules_allow_each_role() {
    let h = Harness::new();
    let (first, _) = h.set_up_with_demo_conversations();
    let offers = |token: &tenant_desk_core::auth::SessionToken| {
        let o = h.desk.signed_in(token).unwrap().offers;
        (o.add_tenant, o.change_conversations, o.billing_reminders)
    };
    // The install's first account: Tenant Admin and platform administrator.
    assert_eq!(offers(&first), (true, true, true));
    let of = |role: Role| offers(&h.session_of(member_email(role)).0);
    assert_eq!(of(Role::TenantAdmin), (false, true, true));
    assert_eq!(of(Role::TenantOperator), (false, true, false));
    assert_eq!(of(Role::TenantViewer), (false, false, false));
    assert_eq!(of(Role::TenantUser), (false, false, false));
    // A read-only tenant changes nothing, whoever asks.
    h.mark_read_only(tenant_id(&h.actor_of(member_email(Role::TenantAdmin))));
    assert_eq!(of(Role::TenantAdmin), (false, false, true));
}

#[test]
fn ones_own_row_offers_no_action_the_core_refuses() {
    let h = Harness::new();
    let (_, _) = h.set_up_with_demo_conversations();
    let admin = h.actor_of(member_email(Role::TenantAdmin));
    let rows = h.desk.list_users(&admin, &UserQuery { page_size: 100, ..UserQuery::search("") }).unwrap().rows;
    let own = rows.iter().find(|r| r.account_id == admin.account_id).unwrap();
    let refused = [&own.refusals.reset_password, &own.refusals.reset_mfa, &own.refusals.delete].map(|r| r.clone().unwrap());
    assert_eq!(h.desk.reset_user_password(&admin, own.id).unwrap_err().message, refused[0]);
    assert_eq!(h.desk.reset_user_mfa(&admin, own.id).unwrap_err().message, refused[1]);
    assert_eq!(h.desk.delete_user(&admin, own.id).unwrap_err().message, refused[2]);
    // Someone else's row, with no limit: every action is offered.
    let other = rows.iter().find(|r| r.account_id != admin.account_id && r.account_limit.is_none()).unwrap();
    assert_eq!(other.refusals, tenant_desk_core::users::RowRefusals::default());
}

#[test]
fn a_second_save_over_someone_elses_change_is_refused_with_who_and_when() {
    let h = Harness::new();
    h.set_up_with_demo_conversations();
    let grace = h.actor_of(ADMIN_EMAIL);
    let ada = h.actor_of(member_email(Role::TenantAdmin));
    let tomas = h.desk.list_users(&grace, &UserQuery::search("tomas")).unwrap().rows.remove(0);
    let opened_by_grace = h.desk.user_detail(&grace, tomas.id).unwrap();
    let opened_by_ada = h.desk.user_detail(&ada, tomas.id).unwrap();
    assert_eq!(opened_by_grace.version, opened_by_ada.version, "one version for one state");

    h.desk.update_user_if_unchanged(&ada, tomas.id, changes("Tomás M.", Role::TenantUser, tomas.tenant_id), &opened_by_ada.version).unwrap();
    let refused = h
        .desk
        .update_user_if_unchanged(&grace, tomas.id, changes("Tomas Munoz", Role::TenantViewer, tomas.tenant_id), &opened_by_grace.version)
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::EditConflict);
    assert!(refused.message.starts_with("Ada Lovelace changed this user at "), "{}", refused.message);
    let now = h.desk.user_detail(&grace, tomas.id).unwrap();
    assert_eq!((now.user.name.as_str(), now.user.role), ("Tomás M.", Role::TenantUser), "nothing of the refused save was written");

    // Reloaded, the same change goes through.
    h.desk.update_user_if_unchanged(&grace, tomas.id, changes("Tomas Munoz", Role::TenantViewer, tomas.tenant_id), &now.version).unwrap();
    // Saving twice from one form: the first save changed the version.
    let again = h.desk.update_user_if_unchanged(&grace, tomas.id, changes("Tomas", Role::TenantViewer, tomas.tenant_id), &now.version);
    assert_eq!(again.unwrap_err().code, ErrorCode::EditConflict);
}
