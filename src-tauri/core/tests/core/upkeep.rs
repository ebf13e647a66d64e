//! What the store forgets, and when (`upkeep`): tables that grow with use
//! stay small, and nothing is forgotten too soon.

use chrono::Duration;
use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::authz::Caller;
use tenant_desk_core::idempotency::Once;
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn count(h: &Harness, table: &str) -> i64 {
    h.desk.db().read(|tx| Ok(tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)).unwrap()
}

#[test]
fn idempotency_replies_go_after_a_day() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let caller = Caller::from(&admin);
    let write = |key: &str| h.desk.create_conversation_once(&caller, new_conversation(None), Some(Once { key, fingerprint: "f" })).unwrap();
    write("old");
    h.clock.advance(Duration::hours(23));
    write("new");
    h.clock.advance(Duration::hours(2));
    assert_eq!(h.desk.forget_expired().unwrap().idempotency_replies, 1);
    assert_eq!(count(&h, "api_idempotency"), 1);
}

#[test]
fn a_throttle_row_is_kept_while_someone_guesses_and_goes_a_day_after() {
    let h = Harness::new();
    h.set_up(false);
    let wrong = || h.desk.sign_in(SignInInput { email: ADMIN_EMAIL.into(), password: "guess".into(), remember: false }).unwrap_err().code;
    for _ in 0..3 {
        assert_eq!(wrong(), ErrorCode::WrongCredentials);
    }
    h.clock.advance(Duration::hours(23));
    assert_eq!(h.desk.forget_expired().unwrap().throttle_rows, 0, "the count is not reset by upkeep");
    assert_eq!(wrong(), ErrorCode::WrongCredentials);
    assert_eq!(wrong(), ErrorCode::WrongCredentials);
    assert_eq!(wrong(), ErrorCode::Throttled, "the sixth attempt waits");
    h.clock.advance(Duration::hours(25));
    assert_eq!(h.desk.forget_expired().unwrap().throttle_rows, 1);
    assert_eq!(count(&h, "sign_in_throttle"), 0);
}

#[test]
fn ended_and_long_unused_sign_ins_go_after_thirty_days() {
    let h = Harness::new();
    h.set_up(false);
    let (ended, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    h.desk.sign_out(&ended).unwrap();
    let (_, view) = h.desk.sign_in(SignInInput { email: ADMIN_EMAIL.into(), password: PASSWORD.into(), remember: true }).unwrap();
    assert!(view.remembered);
    let before = count(&h, "login_sessions");
    h.clock.advance(Duration::days(29));
    let (recent, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    assert_eq!(h.desk.forget_expired().unwrap().login_sessions, 0, "nothing is 30 days old yet");
    h.clock.advance(Duration::days(2));
    let forgotten = h.desk.forget_expired().unwrap();
    assert_eq!(forgotten.login_sessions as i64, before, "the ended one and the unused ones");
    assert_eq!(forgotten.remembered_sign_ins, 0, "expired only a day ago (14 days unused)");
    assert!(h.desk.signed_in(&recent).is_ok());
    h.clock.advance(Duration::days(30));
    assert_eq!(h.desk.forget_expired().unwrap().remembered_sign_ins, 1);
}
