use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::authz::{Actor, Role};
use tenant_desk_core::profile::{PersonalDetails, Profile};
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn rename(h: &Harness, actor: &Actor, name: &str) -> tenant_desk_core::Result<Profile> {
    h.desk.update_own_details(actor, &PersonalDetails { name: name.into(), ..Default::default() })
}

#[test]
fn profile_shows_name_email_and_role() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let p = h.desk.profile(&actor).unwrap();
    assert_eq!((p.name.as_str(), p.email.as_str(), p.role), ("Grace Hopper", ADMIN_EMAIL, Some(Role::TenantAdmin)));
    assert!(p.can_edit_details);
}

#[test]
fn update_name_trims_saves_and_audits() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let p = rename(&h, &actor, "  Rear Admiral Hopper ").unwrap();
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
        let e = rename(&h, &actor, bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.fields.contains_key("name"), "{e:?}");
    }
    assert!(rename(&h, &actor, &"é".repeat(100)).is_ok(), "100 characters, 200 bytes");
    let e = rename(&h, &actor, "").unwrap_err();
    assert_eq!(e.fields["name"], "Name is required.");
}

#[test]
fn nothing_is_written_when_the_name_is_refused() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let _ = rename(&h, &actor, "");
    assert_eq!(h.desk.profile(&actor).unwrap().name, "Grace Hopper");
}

#[test]
fn a_name_holding_u0000_is_refused_under_the_field_on_either_store() {
    // PostgreSQL text cannot hold U+0000: SQLite refuses it alike.
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let e = rename(&h, &actor, "Grace\0Hopper").unwrap_err();
    assert_eq!((e.code, e.fields.keys().map(String::as_str).collect::<Vec<_>>()), (ErrorCode::Validation, vec!["name"]));
    assert_eq!(e.fields["name"], "Name cannot contain the character U+0000.");
    let e = h.desk.update_own_details(&actor, &details("Grace Hopper", "\0", "Navy\0")).unwrap_err();
    assert_eq!(e.fields["phone"], "Phone cannot contain the character U+0000.");
    assert_eq!(e.fields["company"], "Company cannot contain the character U+0000.");
    let p = h.desk.profile(&actor).unwrap();
    assert_eq!((p.name.as_str(), p.phone.as_str(), p.company.as_str()), ("Grace Hopper", "", ""));
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
    assert!(!h.desk.profile(&actor).unwrap().can_edit_details);
    assert_eq!(rename(&h, &actor, "Someone Else").unwrap_err().code, ErrorCode::NotAllowed);
}

fn details(name: &str, phone: &str, company: &str) -> PersonalDetails {
    PersonalDetails { name: name.into(), phone: phone.into(), company: company.into() }
}

#[test]
fn contact_details_follow_the_tenant_phone_rule() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    for good in ["", "+4930123456", "1234567", "123456789012345", "  +4930123456  "] {
        assert!(h.desk.update_own_details(&actor, &details("Grace Hopper", good, "")).is_ok(), "{good:?}");
    }
    for bad in ["123456", "1234567890123456", "+49 30 123456", "030-123456", "++4930123456", "phone"] {
        let e = h.desk.update_own_details(&actor, &details("Grace Hopper", bad, "")).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation, "{bad:?}");
        assert!(e.fields.contains_key("phone"), "{bad:?}: {e:?}");
    }
    // The same words as the organization form.
    let org = h.desk.update_own_organization(&actor, &{
        let mut o = valid_organization("Acme");
        o.phone = "123".into();
        o
    });
    let mine = h.desk.update_own_details(&actor, &details("Grace Hopper", "123", "")).unwrap_err();
    assert_eq!(org.unwrap_err().fields["phone"], mine.fields["phone"]);
}

#[test]
fn contact_details_are_trimmed_saved_and_audited() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let p = h.desk.update_own_details(&actor, &details(" Grace Hopper ", " +4930123456 ", "  Navy  ")).unwrap();
    assert_eq!((p.phone.as_str(), p.company.as_str()), ("+4930123456", "Navy"));
    let again = h.desk.profile(&actor).unwrap();
    assert_eq!((again.phone.as_str(), again.company.as_str()), ("+4930123456", "Navy"));
    let entries = h.audit("account.contact_change");
    assert_eq!(entries.len(), 1);
    assert!(entries[0].1.as_deref().unwrap_or_default().contains("Navy"));
    assert!(h.audit("account.rename").is_empty(), "the name did not change");
}

#[test]
fn every_failing_field_is_reported_and_nothing_is_written() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let e = h.desk.update_own_details(&actor, &details("", "12", &"x".repeat(101))).unwrap_err();
    assert_eq!(e.fields.keys().map(String::as_str).collect::<Vec<_>>(), ["company", "name", "phone"]);
    assert_eq!(e.fields["company"], "Company must be at most 100 characters.");
    let p = h.desk.profile(&actor).unwrap();
    assert_eq!((p.name.as_str(), p.phone.as_str(), p.company.as_str()), ("Grace Hopper", "", ""));
    assert!(h.desk.update_own_details(&actor, &details("Grace Hopper", "", &"é".repeat(100))).is_ok());
}

#[test]
fn viewer_cannot_change_contact_details() {
    let h = Harness::new();
    h.set_up(true);
    let viewer = h.actor_of(member_email(Role::TenantViewer));
    let e = h.desk.update_own_details(&viewer, &details("Élodie Durand", "+331234567", "")).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed);
    assert_eq!(h.desk.profile(&viewer).unwrap().phone, "");
}
