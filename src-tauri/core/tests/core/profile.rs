use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::authz::Role;
use tenant_desk_core::ErrorCode;

use crate::support::*;

#[test]
fn profile_shows_name_email_and_role() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let p = h.desk.profile(&actor).unwrap();
    assert_eq!((p.name.as_str(), p.email.as_str(), p.role), ("Grace Hopper", ADMIN_EMAIL, Some(Role::TenantAdmin)));
    assert!(p.can_edit_name);
}

#[test]
fn update_name_trims_saves_and_audits() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let p = h.desk.update_own_name(&actor, "  Rear Admiral Hopper ").unwrap();
    assert_eq!(p.name, "Rear Admiral Hopper");
    assert_eq!(h.desk.signed_in(&token).unwrap().account.name, "Rear Admiral Hopper");
    let (before, after): (String, String) = h
        .desk
        .db()
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT before, after FROM audit_log WHERE action = 'account.rename'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert!(before.contains("Grace Hopper") && after.contains("Rear Admiral Hopper"));
}

#[test]
fn empty_or_over_long_name_is_refused_under_the_field() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    for bad in ["", "   ", &"é".repeat(101)] {
        let e = h.desk.update_own_name(&actor, bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.fields.contains_key("name"), "{e:?}");
    }
    assert!(h.desk.update_own_name(&actor, &"é".repeat(100)).is_ok(), "100 characters, 200 bytes");
    let e = h.desk.update_own_name(&actor, "").unwrap_err();
    assert_eq!(e.fields["name"], "Name is required.");
}

#[test]
fn nothing_is_written_when_the_name_is_refused() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let _ = h.desk.update_own_name(&actor, "");
    assert_eq!(h.desk.profile(&actor).unwrap().name, "Grace Hopper");
}

#[test]
fn viewer_cannot_rename_themselves() {
    let h = Harness::new();
    h.set_up(true);
    let (token, _) = h
        .desk
        .sign_in(SignInInput {
            email: "elodie.durand@demo.tenant-desk.example".into(),
            password: PASSWORD.into(),
            remember: false,
        })
        .unwrap();
    let actor = h.desk.actor(&token).unwrap();
    assert!(!h.desk.profile(&actor).unwrap().can_edit_name);
    assert_eq!(h.desk.update_own_name(&actor, "Someone Else").unwrap_err().code, ErrorCode::NotAllowed);
}
