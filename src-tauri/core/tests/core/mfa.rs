//! MFA (TOTP, RFC 6238) through the core, on the test clock: enabling with
//! the password and a code, signing in with a code or a recovery code,
//! replays, drift, the throttle, regenerating, disabling, and a tenant's
//! "Require MFA".

use chrono::Duration;
use tenant_desk_core::auth::SignInCodeInput;
use tenant_desk_core::authz::Role;
use tenant_desk_core::mfa::{totp, MfaDisableInput};
use tenant_desk_core::secrets::SecretStore;
use tenant_desk_core::users::UserQuery;
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn code_input(code: &str) -> SignInCodeInput {
    SignInCodeInput { code: code.into(), remember: false }
}

#[test]
fn enabling_asks_for_the_password_then_a_valid_code_and_keeps_no_secret_in_sqlite() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);

    let e = h.desk.begin_mfa_setup(&admin, "not my password at all").unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(e.fields["password"], "Wrong password.");

    let setup = h.desk.begin_mfa_setup(&admin, PASSWORD).unwrap();
    assert_eq!(setup.secret.replace(' ', "").len(), 32);
    assert!(setup.otpauth_url.starts_with("otpauth://totp/Tenant%20Desk:grace%40example.com?secret="));
    assert!(setup.qr_code.starts_with("data:image/svg+xml;base64,"));
    assert!(!h.desk.mfa_status(&admin).unwrap().enabled, "not on before a code confirms it");

    let e = h.desk.confirm_mfa(&admin, "000000").unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.fields.contains_key("code"));
    assert!(!h.desk.mfa_status(&admin).unwrap().enabled);

    let codes = h.desk.confirm_mfa(&admin, &h.code(&setup.secret)).unwrap().codes;
    assert_eq!(codes.len(), 10);
    let status = h.desk.mfa_status(&admin).unwrap();
    assert!(status.enabled && !status.required);
    assert_eq!(status.recovery_codes_left, 10);
    assert_eq!(h.desk.begin_mfa_setup(&admin, PASSWORD).unwrap_err().code, ErrorCode::NotAllowed, "already on");

    // The secret lives in the keyring; neither it nor a recovery code is in the database.
    let db = h.database_bytes();
    assert!(!contains(&db, &setup.secret.replace(' ', "")));
    assert!(codes.iter().all(|c| !contains(&db, c) && !contains(&db, &c.replace('-', ""))));
    assert_eq!(h.audit("account.mfa_enable").len(), 1);
}

#[test]
fn sign_in_asks_for_a_code_after_the_password_and_never_accepts_a_code_twice() {
    let h = Harness::new();
    h.set_up(false);
    let (secret, _) = h.enable_mfa(&h.actor_of(ADMIN_EMAIL));

    let (token, view) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    assert!(view.second_factor_required);
    assert!(view.menu.sections.is_empty(), "nothing opens before the code");
    assert_eq!(h.desk.actor(&token).unwrap_err().code, ErrorCode::SecondFactorRequired);

    let e = h.desk.verify_sign_in_code(&token, code_input("123456")).unwrap_err();
    assert!(e.fields.contains_key("code"));
    let code = h.code(&secret);
    let view = h.desk.verify_sign_in_code(&token, code_input(&code)).unwrap();
    assert!(!view.second_factor_required);
    assert!(!view.menu.sections.is_empty());
    assert!(h.desk.actor(&token).is_ok());

    // The same code, in the same 30 seconds, on another sign-in: refused.
    let (again, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    assert!(h.desk.verify_sign_in_code(&again, code_input(&code)).unwrap_err().fields.contains_key("code"));
    // The next step's code passes.
    h.clock.advance(Duration::seconds(30));
    assert!(h.desk.verify_sign_in_code(&again, code_input(&h.code(&secret))).is_ok());
}

#[test]
fn one_step_of_drift_is_allowed_and_older_steps_are_not() {
    let h = Harness::new();
    h.set_up(false);
    let (secret, _) = h.enable_mfa(&h.actor_of(ADMIN_EMAIL));
    h.clock.advance(Duration::minutes(5));
    let now = h.unix_now();
    let plain = secret.replace(' ', "");

    let (token, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    let two_steps_ago = totp::code_at(&plain, now - 60).unwrap();
    assert!(h.desk.verify_sign_in_code(&token, code_input(&two_steps_ago)).is_err());
    let one_step_ago = totp::code_at(&plain, now - 30).unwrap();
    assert!(h.desk.verify_sign_in_code(&token, code_input(&one_step_ago)).is_ok(), "a phone 30 s behind");

    let (token, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    let one_step_ahead = totp::code_at(&plain, now + 30).unwrap();
    assert!(h.desk.verify_sign_in_code(&token, code_input(&one_step_ahead)).is_ok(), "a phone 30 s ahead");
    // Once a later step was used, the current step's code is older: refused.
    let (token, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    assert!(h.desk.verify_sign_in_code(&token, code_input(&totp::code_at(&plain, now).unwrap())).is_err());
}

#[test]
fn recovery_codes_work_once_each_and_regenerating_replaces_them_all() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let (_, codes) = h.enable_mfa(&admin);

    let (token, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    // Typed in capitals and without dashes: the same code.
    let typed = codes[0].to_uppercase().replace('-', " ");
    assert!(h.desk.verify_sign_in_code(&token, code_input(&typed)).is_ok());
    let (token, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    let e = h.desk.verify_sign_in_code(&token, code_input(&codes[0])).unwrap_err();
    assert!(e.fields.contains_key("code"), "a recovery code works once");
    assert_eq!(h.desk.mfa_status(&admin).unwrap().recovery_codes_left, 9);

    assert_eq!(
        h.desk.regenerate_recovery_codes(&admin, "wrong password entirely").unwrap_err().fields["password"],
        "Wrong password."
    );
    let fresh = h.desk.regenerate_recovery_codes(&admin, PASSWORD).unwrap().codes;
    assert_eq!(fresh.len(), 10);
    assert!(fresh.iter().all(|c| !codes.contains(c)));
    assert_eq!(h.desk.mfa_status(&admin).unwrap().recovery_codes_left, 10);
    assert!(h.desk.verify_sign_in_code(&token, code_input(&codes[1])).is_err(), "old codes are gone");
    assert!(h.desk.verify_sign_in_code(&token, code_input(&fresh[1])).is_ok());
}

#[test]
fn wrong_codes_are_throttled_like_passwords() {
    let h = Harness::new();
    h.set_up(false);
    let (secret, _) = h.enable_mfa(&h.actor_of(ADMIN_EMAIL));
    // The right password counts as an attempt until the code succeeds, so
    // signing in again does not reset the count.
    let (token, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    for _ in 0..4 {
        assert_eq!(h.desk.verify_sign_in_code(&token, code_input("000000")).unwrap_err().code, ErrorCode::Validation);
    }
    let e = h.desk.verify_sign_in_code(&token, code_input(&h.code(&secret))).unwrap_err();
    assert_eq!(e.code, ErrorCode::Throttled);
    assert_eq!(sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap_err().code, ErrorCode::Throttled);
    h.clock.advance(Duration::seconds(31));
    assert!(h.desk.verify_sign_in_code(&token, code_input(&h.code(&secret))).is_ok());
    // Success clears the count.
    let (token, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    assert_eq!(h.desk.verify_sign_in_code(&token, code_input("000000")).unwrap_err().code, ErrorCode::Validation);
}

#[test]
fn keep_me_signed_in_is_kept_only_once_the_code_passed() {
    let h = Harness::new();
    h.set_up(false);
    let (secret, _) = h.enable_mfa(&h.actor_of(ADMIN_EMAIL));
    let (token, view) = h
        .desk
        .sign_in(tenant_desk_core::auth::SignInInput { email: ADMIN_EMAIL.into(), password: PASSWORD.into(), remember: true })
        .unwrap();
    assert!(!view.remembered);
    assert!(h.desk.resume().unwrap().is_none(), "no remembered sign-in before the code");
    let view = h.desk.verify_sign_in_code(&token, SignInCodeInput { code: h.code(&secret), remember: true }).unwrap();
    assert!(view.remembered);
    assert!(h.desk.resume().unwrap().is_some());
}

#[test]
fn disabling_asks_for_the_password_and_a_current_code() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let (secret, codes) = h.enable_mfa(&admin);
    let input = |password: &str, code: &str| MfaDisableInput { password: password.into(), code: code.into() };

    let e = h.desk.disable_mfa(&admin, &input("wrong password entirely", &h.code(&secret))).unwrap_err();
    assert_eq!(e.fields["password"], "Wrong password.");
    let e = h.desk.disable_mfa(&admin, &input(PASSWORD, "000000")).unwrap_err();
    assert!(e.fields.contains_key("code"));
    assert!(h.desk.mfa_status(&admin).unwrap().enabled);

    let code = h.code(&secret);
    let (token, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    h.desk.verify_sign_in_code(&token, code_input(&code)).unwrap();
    assert!(h.desk.disable_mfa(&admin, &input(PASSWORD, &code)).unwrap_err().fields.contains_key("code"), "replayed");

    h.clock.advance(Duration::seconds(30));
    h.desk.disable_mfa(&admin, &input(PASSWORD, &h.code(&secret))).unwrap();
    let status = h.desk.mfa_status(&admin).unwrap();
    assert!(!status.enabled);
    assert_eq!(status.recovery_codes_left, 0);
    let (_, view) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    assert!(!view.second_factor_required);
    assert_eq!(h.audit("account.mfa_disable").len(), 1);

    // A recovery code stands in for a lost phone.
    let (_, codes_again) = h.enable_mfa(&admin);
    assert_ne!(codes, codes_again);
    h.desk.disable_mfa(&admin, &input(PASSWORD, &codes_again[3])).unwrap();
    assert!(!h.desk.mfa_status(&admin).unwrap().enabled);
}

#[test]
fn a_tenant_requiring_mfa_makes_members_enroll_before_anything_else_and_keeps_it_on() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let tenant = tenant_id(&admin);
    let mut fields = valid_tenant("Acme Support");
    fields.require_mfa = true;

    // Requiring MFA starts with one's own.
    let e = h.desk.update_tenant(&admin, tenant, &fields).unwrap_err();
    assert!(e.fields.contains_key("require_mfa"));
    h.enable_mfa(&admin);
    assert!(h.desk.update_tenant(&admin, tenant, &fields).unwrap().require_mfa);
    assert!(h.desk.mfa_status(&admin).unwrap().required);

    // A member without MFA: signed in, but nothing opens until MFA is on.
    let email = member_email(Role::TenantUser);
    let (token, view) = sign_in(&h.desk, email, PASSWORD).unwrap();
    assert!(view.mfa_enrollment_required && !view.second_factor_required);
    assert!(view.menu.sections.is_empty());
    assert_eq!(h.desk.actor(&token).unwrap_err().code, ErrorCode::MfaEnrollmentRequired);
    let enrolling = h.desk.enrolling_actor(&token).unwrap();
    let setup = h.desk.begin_mfa_setup(&enrolling, PASSWORD).unwrap();
    h.desk.confirm_mfa(&enrolling, &h.code(&setup.secret)).unwrap();
    let view = h.desk.signed_in(&token).unwrap();
    assert!(!view.mfa_enrollment_required);
    assert!(!view.menu.sections.is_empty());
    let member = h.desk.actor(&token).unwrap();

    // The toggle cannot be turned off while the tenant requires it.
    h.clock.advance(Duration::seconds(30));
    let e = h
        .desk
        .disable_mfa(&member, &MfaDisableInput { password: PASSWORD.into(), code: h.code(&setup.secret) })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed);
    assert_eq!(e.message, "Your organization requires MFA, so it cannot be turned off.");
    assert!(h.desk.mfa_status(&member).unwrap().enabled);

    // A session of a member who was already signed in is held at the next operation.
    let (viewer_token, _) = sign_in(&h.desk, member_email(Role::TenantViewer), PASSWORD).unwrap();
    assert_eq!(h.desk.actor(&viewer_token).unwrap_err().code, ErrorCode::MfaEnrollmentRequired);
}

#[test]
fn an_administrator_resets_mfa_for_a_lost_phone() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let email = member_email(Role::TenantUser);
    let (old_session, member) = h.session_of(email);
    let (_, codes) = h.enable_mfa(&member);
    let id = h.desk.list_users(&admin, &UserQuery::search(email)).unwrap().rows[0].id;
    assert!(h.desk.user_detail(&admin, id).unwrap().mfa_on);
    let install: String = h.desk.db().read(|tx| Ok(tx.query_row("SELECT install_id FROM install", [], |r| r.get(0))?)).unwrap();
    let keyring_entry = format!("mfa-totp/{install}/{}", member.account_id);
    assert!(h.secrets.get(&keyring_entry).unwrap().is_some());

    // Not one's own (Profile turns it off with a code), and not by a member.
    let me = h.desk.list_users(&admin, &UserQuery::search(ADMIN_EMAIL)).unwrap().rows[0].id;
    h.enable_mfa(&admin);
    assert_eq!(h.desk.reset_user_mfa(&admin, me).unwrap_err().message, "Turn your own MFA off in Profile.");
    assert_eq!(h.desk.reset_user_mfa(&member, id).unwrap_err().code, ErrorCode::NotAllowed);

    h.desk.reset_user_mfa(&admin, id).unwrap();
    assert!(!h.desk.user_detail(&admin, id).unwrap().mfa_on);
    assert!(h.secrets.get(&keyring_entry).unwrap().is_none(), "the app key leaves the keyring");
    assert_eq!(h.desk.actor(&old_session).unwrap_err().code, ErrorCode::NotSignedIn);
    // Signing in needs no code now; the old recovery codes are gone for good.
    let (token, view) = sign_in(&h.desk, email, PASSWORD).unwrap();
    assert!(!view.second_factor_required);
    assert!(h.desk.actor(&token).is_ok());
    let stored: i64 = h
        .desk
        .db()
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM mfa_recovery_codes WHERE account_id = ?1", [member.account_id], |r| r.get(0))?))
        .unwrap();
    assert_eq!((stored, codes.len()), (0, 10));

    let name = h.desk.user_detail(&admin, id).unwrap().user.name;
    assert_eq!(h.desk.reset_user_mfa(&admin, id).unwrap_err().message, format!("MFA is not on for {name}."));
    let audit = h.desk.audit_log(&admin, &Default::default()).unwrap();
    assert!(audit.entries.iter().any(|e| e.action == "user.mfa_reset"));
}
