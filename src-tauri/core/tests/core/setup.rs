use tenant_desk_core::authz::Role;
use tenant_desk_core::menu::Section;
use tenant_desk_core::ErrorCode;

use crate::support::*;

#[test]
fn fresh_install_needs_setup() {
    let h = Harness::new();
    let state = h.desk.startup_state().unwrap();
    assert!(state.needs_setup);
    assert!(!state.system_timezone.is_empty());
}

#[test]
fn setup_creates_tenant_platform_admin_and_membership() {
    let h = Harness::new();
    let (_, view) = h.set_up(false);
    assert_eq!(view.account.email, ADMIN_EMAIL);
    assert!(view.account.is_platform_admin);
    assert_eq!(view.role, Some(Role::TenantAdmin));
    let tenant = view.tenant.unwrap();
    assert_eq!(tenant.name, "Acme Support");
    assert_eq!(tenant.timezone, "Europe/Berlin");
    assert_eq!(view.menu.landing, Section::Identity);
    assert!(!h.desk.startup_state().unwrap().needs_setup);
}

#[test]
fn password_is_stored_only_as_argon2id() {
    let h = Harness::new();
    h.set_up(false);
    let stored: String = h
        .desk
        .db()
        .read(|tx| Ok(tx.query_row("SELECT password_hash FROM accounts", [], |r| r.get(0))?))
        .unwrap();
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert!(!stored.contains(PASSWORD));
}

#[test]
fn setup_twice_is_refused() {
    let h = Harness::new();
    h.set_up(false);
    let err = h.desk.complete_setup(setup_input(false)).unwrap_err();
    assert_eq!(err.code, ErrorCode::AlreadySetUp);
}

#[test]
fn setup_validates_every_field_and_writes_nothing() {
    let h = Harness::new();
    let mut input = setup_input(true);
    input.tenant_name = "  ".into();
    input.timezone = "Mars/Olympus".into();
    input.admin_name = String::new();
    input.email = "grace@".into();
    input.password = "password".into();
    let err = h.desk.complete_setup(input).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    for field in ["tenant_name", "timezone", "admin_name", "email", "password"] {
        assert!(err.fields.contains_key(field), "missing message for {field}: {:?}", err.fields);
    }
    assert!(h.desk.startup_state().unwrap().needs_setup);
}

#[test]
fn demo_data_adds_every_role_and_an_operator_schedule() {
    let h = Harness::new();
    h.set_up(true);
    let roles: Vec<String> = h
        .desk
        .db()
        .read(|tx| {
            let mut stmt = tx.prepare("SELECT DISTINCT role FROM memberships ORDER BY role")?;
            let rows = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
            Ok(rows)
        })
        .unwrap();
    assert_eq!(roles, ["tenant_admin", "tenant_operator", "tenant_user", "tenant_viewer"]);
    let ranges: i64 = h
        .desk
        .db()
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM operator_schedule_ranges", [], |r| r.get(0))?))
        .unwrap();
    assert!(ranges >= 5);
}

#[test]
fn demo_members_sign_in_with_the_setup_password() {
    let h = Harness::new();
    h.set_up(true);
    let (_, view) = h
        .desk
        .sign_in(tenant_desk_core::auth::SignInInput {
            email: "elodie.durand@demo.tenant-desk.example".into(),
            password: PASSWORD.into(),
            remember: false,
        })
        .unwrap();
    assert_eq!(view.role, Some(Role::TenantViewer));
    assert_eq!(view.account.name, "Élodie Durand");
}
