//! Every person controls their own sign-in: changing their password, seeing
//! where they are signed in and signing out there, the idle lock, and
//! remembered sign-ins that end for good. Sign-ins are audited.

use chrono::Duration;
use tenant_desk_core::audit::AuditQuery;
use tenant_desk_core::auth::{PasswordChange, PlaceKind, SignInInput, UnlockInput};
use tenant_desk_core::authz::Role;
use tenant_desk_core::secrets::SecretStore;
use tenant_desk_core::ErrorCode;

use crate::support::*;

const ADA: &str = "ada.lovelace@demo.tenant-desk.example";

fn remembered(email: &str) -> SignInInput {
    SignInInput { email: email.into(), password: PASSWORD.into(), remember: true }
}

fn change(current: &str, new: &str) -> PasswordChange {
    PasswordChange { current: current.into(), password: new.into(), confirm: new.into() }
}

fn unlock(password: &str, code: &str) -> UnlockInput {
    UnlockInput { password: password.into(), code: code.into() }
}

#[test]
fn changing_ones_password_ends_every_other_sign_in_and_says_how_many() {
    let h = Harness::new();
    h.set_up(true);
    let (here, _) = h.desk.sign_in(remembered(ADA)).unwrap();
    let (elsewhere, _) = sign_in(&h.desk, ADA, PASSWORD).unwrap();
    // A remembered sign-in whose keyring entry another sign-in replaced.
    let (older, _) = h.desk.sign_in(remembered(ADA)).unwrap();
    h.desk.sign_out(&older).unwrap();
    let (_, view) = h.desk.sign_in(remembered(ADA)).unwrap();
    assert!(view.remembered);
    let places = h.desk.signed_in_places(&here).unwrap();
    assert_eq!(places.iter().filter(|p| p.current).count(), 1);
    assert_eq!(places.len(), 3, "{places:?}");

    let e = h.desk.change_own_password(&here, &change("not it", OTHER_PASSWORD)).unwrap_err();
    assert_eq!(e.fields["current"], "Wrong password.");
    let e = h.desk.change_own_password(&here, &change(PASSWORD, PASSWORD)).unwrap_err();
    assert_eq!(e.fields["password"], "Choose a password different from your current one.");
    let e = h.desk.change_own_password(&here, &change(PASSWORD, "password")).unwrap_err();
    assert!(e.fields["password"].starts_with("This password is too common"), "{:?}", e.fields);
    let mismatch = PasswordChange { confirm: "something else".into(), ..change(PASSWORD, OTHER_PASSWORD) };
    assert_eq!(h.desk.change_own_password(&here, &mismatch).unwrap_err().fields["confirm"], "The two passwords do not match.");

    let changed = h.desk.change_own_password(&here, &change(PASSWORD, OTHER_PASSWORD)).unwrap();
    assert_eq!(changed.signed_out_elsewhere, 2);
    assert!(h.desk.actor(&here).is_ok(), "this window stays");
    assert_eq!(h.desk.actor(&elsewhere).unwrap_err().code, ErrorCode::NotSignedIn);
    assert!(h.reopen().resume().unwrap().is_none(), "the remembered sign-in of the other window is revoked");
    assert_eq!(h.desk.signed_in_places(&here).unwrap().len(), 1);
    assert_eq!(sign_in(&h.desk, ADA, PASSWORD).unwrap_err().code, ErrorCode::WrongCredentials);
    assert!(sign_in(&h.desk, ADA, OTHER_PASSWORD).is_ok());
    assert_eq!(h.audit("account.password_change"), [(None, Some(r#"{"signed_out_elsewhere":2}"#.into()))]);
}

#[test]
fn one_signs_out_of_any_other_place_but_this_window_signs_out_with_log_out() {
    let h = Harness::new();
    h.set_up(true);
    let (here, _) = sign_in(&h.desk, ADA, PASSWORD).unwrap();
    let (there, _) = sign_in(&h.desk, ADA, PASSWORD).unwrap();
    let places = h.desk.signed_in_places(&here).unwrap();
    let other = places.iter().find(|p| !p.current).unwrap();
    let mine = places.iter().find(|p| p.current).unwrap();
    assert_eq!(h.desk.sign_out_place(&here, mine.kind, mine.id).unwrap_err().message, "Use Log out to sign out of this window.");
    let left = h.desk.sign_out_place(&here, other.kind, other.id).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(h.desk.actor(&there).unwrap_err().code, ErrorCode::NotSignedIn);
    // Someone else's sign-in is nothing one can name.
    let (_, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    let (grace, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    let graces = h.desk.signed_in_places(&grace).unwrap();
    let hers = graces.iter().find(|p| !p.current).unwrap();
    assert_eq!(h.desk.sign_out_place(&here, PlaceKind::Window, hers.id).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(h.audit("account.sign_out_elsewhere").len(), 1);
}

#[test]
fn an_idle_window_locks_and_only_its_persons_password_unlocks_it() {
    let h = Harness::new();
    h.set_up(true);
    let (token, view) = sign_in(&h.desk, ADA, PASSWORD).unwrap();
    assert_eq!((view.locked, view.idle_lock_minutes), (false, 15));
    // Input keeps it open.
    h.clock.advance(Duration::minutes(10));
    h.desk.note_activity(&token).unwrap();
    h.clock.advance(Duration::minutes(10));
    assert!(h.desk.actor(&token).is_ok(), "20 minutes in, 10 since the last input");
    // Calls are not input: 15 minutes without any lock it.
    h.clock.advance(Duration::minutes(15));
    assert_eq!(h.desk.actor(&token).unwrap_err().code, ErrorCode::SessionLocked);
    assert!(h.desk.signed_in(&token).unwrap().locked);
    assert_eq!(h.desk.note_activity(&token).unwrap_err().code, ErrorCode::SessionLocked, "input does not unlock it");

    let e = h.desk.unlock_session(&token, &unlock("guess", "")).unwrap_err();
    assert_eq!(e.fields["password"], "Wrong password.");
    assert_eq!(h.desk.actor(&token).unwrap_err().code, ErrorCode::SessionLocked);
    let view = h.desk.unlock_session(&token, &unlock(PASSWORD, "")).unwrap();
    assert!(!view.locked);
    assert!(h.desk.actor(&token).is_ok());
    assert!(h.audit("sign_in.unlock").len() == 1);

    // The window locks itself when its own timer runs out.
    h.desk.lock_session(&token).unwrap();
    assert_eq!(h.desk.actor(&token).unwrap_err().code, ErrorCode::SessionLocked);
    // Signing out still works while locked.
    h.desk.sign_out(&token).unwrap();
    assert_eq!(h.desk.actor(&token).unwrap_err().code, ErrorCode::NotSignedIn);
}

#[test]
fn the_idle_period_is_the_shortest_of_the_persons_tenants_and_a_code_joins_the_password_with_mfa() {
    let h = Harness::new();
    h.set_up(false);
    let (_, grace) = h.session_of(ADMIN_EMAIL);
    let acme = tenant_id(&grace);
    h.desk
        .update_tenant(&grace, acme, &tenant_desk_core::tenants::TenantFields { idle_lock_minutes: 5, ..valid_tenant("Acme Support") })
        .unwrap();
    let e = h
        .desk
        .update_tenant(&grace, acme, &tenant_desk_core::tenants::TenantFields { idle_lock_minutes: 0, ..valid_tenant("Acme Support") })
        .unwrap_err();
    assert_eq!(e.fields["idle_lock_minutes"], "Choose from 1 to 480 minutes.");
    let (secret, _) = h.enable_mfa(&grace);
    let (token, view) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    h.desk.verify_sign_in_code(&token, tenant_desk_core::auth::SignInCodeInput { code: h.code(&secret), remember: false }).unwrap();
    assert!(view.second_factor_required);
    assert_eq!(h.desk.signed_in(&token).unwrap().idle_lock_minutes, 5);
    h.clock.advance(Duration::minutes(6));
    assert_eq!(h.desk.actor(&token).unwrap_err().code, ErrorCode::SessionLocked);
    let e = h.desk.unlock_session(&token, &unlock(PASSWORD, "")).unwrap_err();
    assert_eq!(e.fields["code"], "Enter the code from your authenticator app.");
    h.clock.advance(Duration::seconds(30));
    let view = h.desk.unlock_session(&token, &unlock(PASSWORD, &h.code(&secret))).unwrap();
    assert!(!view.locked);
}

#[test]
fn a_window_locked_when_the_app_closed_opens_locked() {
    let h = Harness::new();
    h.set_up(false);
    let (token, _) = h.desk.sign_in(remembered(ADMIN_EMAIL)).unwrap();
    h.desk.lock_session(&token).unwrap();
    let restarted = h.reopen();
    let (resumed, view) = restarted.resume().unwrap().expect("still remembered");
    assert!(view.locked, "closing and opening the app is no way past the lock");
    assert_eq!(restarted.actor(&resumed).unwrap_err().code, ErrorCode::SessionLocked);
    restarted.unlock_session(&resumed, &unlock(PASSWORD, "")).unwrap();
    let (_, again) = h.reopen().resume().unwrap().unwrap();
    assert!(!again.locked);
    let resumed = h.audit("sign_in.success").into_iter().filter(|(_, after)| after.as_deref() == Some(r#"{"step":"remembered"}"#));
    assert_eq!(resumed.count(), 2, "each start with a remembered sign-in is a sign-in");
}

#[test]
fn a_remembered_sign_in_ends_after_thirty_days_however_often_it_is_used() {
    let h = Harness::new();
    h.set_up(false);
    h.desk.sign_in(remembered(ADMIN_EMAIL)).unwrap();
    for _ in 0..3 {
        h.clock.advance(Duration::days(10) - Duration::minutes(1));
        assert!(h.reopen().resume().unwrap().is_some());
    }
    h.clock.advance(Duration::days(1));
    assert!(h.reopen().resume().unwrap().is_none(), "31 days after it was made");
    // Unused, it ends sooner: 14 days.
    h.desk.sign_in(remembered(ADMIN_EMAIL)).unwrap();
    h.clock.advance(Duration::days(14));
    assert!(h.reopen().resume().unwrap().is_none());
}

#[test]
fn turning_mfa_on_ends_ones_remembered_sign_ins() {
    let h = Harness::new();
    h.set_up(false);
    let (token, view) = h.desk.sign_in(remembered(ADMIN_EMAIL)).unwrap();
    assert!(view.remembered);
    let before = h.secrets.get(&h.desk.remembered_sign_in_key()).unwrap();
    assert!(before.is_some());
    h.enable_mfa(&h.desk.actor(&token).unwrap());
    assert!(!h.desk.signed_in(&token).unwrap().remembered, "this window goes on, no longer remembered");
    assert!(h.reopen().resume().unwrap().is_none());
    assert!(h.secrets.get(&h.desk.remembered_sign_in_key()).unwrap().is_none(), "the keyring entry is gone");
}

#[test]
fn sign_ins_failures_and_the_throttles_wait_are_audited_where_administrators_look() {
    let h = Harness::new();
    h.set_up(true);
    let (_, grace) = h.session_of(ADMIN_EMAIL);
    for _ in 0..5 {
        assert_eq!(sign_in(&h.desk, ADA, "wrong guess").unwrap_err().code, ErrorCode::WrongCredentials);
    }
    assert_eq!(sign_in(&h.desk, ADA, PASSWORD).unwrap_err().code, ErrorCode::Throttled);
    sign_in(&h.desk, "nobody@example.com", "anything").unwrap_err();

    let tenant = h.desk.audit_log(&grace, &AuditQuery { user: "ada".into(), ..AuditQuery::default() }).unwrap();
    let actions: Vec<&str> = tenant.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "sign_in.failure").count(), 5, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| **a == "sign_in.locked").count(), 1, "{actions:?}");
    let everything = h.desk.audit_log(&grace, &AuditQuery::default()).unwrap();
    assert!(everything.entries.iter().all(|e| !e.after.as_deref().unwrap_or_default().contains("nobody@")), "not a tenant's business");
    let install = h.desk.audit_log(&grace, &AuditQuery { install: true, ..AuditQuery::default() }).unwrap();
    let unknown = install.entries.iter().find(|e| e.action == "sign_in.failure").expect("in the install's log");
    assert!(unknown.after.as_deref().unwrap_or_default().contains("nobody@example.com"));
    assert!(unknown.subject.is_none());
    // Never the password typed.
    assert!(!contains(&h.database_bytes(), "wrong guess"));

    // A Tenant Admin of another organization sees none of Ada's.
    let (_, sam_owner) = {
        let (token, actor) = h.session_of("sam.carter@demo.tenant-desk.example");
        let org = h
            .desk
            .create_organization(
                &actor,
                &tenant_desk_core::organizations::NewOrganization { name: "Shop".into(), billing_email: "b@example.com".into(), timezone: "UTC".into() },
            )
            .unwrap();
        h.desk.switch_organization(&token, org.id).unwrap();
        (token.clone(), h.desk.actor(&token).unwrap())
    };
    assert_eq!(sam_owner.role(), Some(Role::TenantAdmin));
    let theirs = h.desk.audit_log(&sam_owner, &AuditQuery::default()).unwrap();
    assert!(theirs.entries.iter().all(|e| !e.subject.as_deref().unwrap_or_default().contains("ada.lovelace")));
}
