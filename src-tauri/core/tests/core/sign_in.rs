use std::sync::Arc;

use chrono::Duration;
use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn attempt(email: &str, password: &str) -> SignInInput {
    SignInInput { email: email.into(), password: password.into(), remember: false }
}

#[test]
fn right_credentials_sign_in_case_insensitively() {
    let h = Harness::new();
    h.set_up(false);
    let (token, view) = h.desk.sign_in(attempt("GRACE@Example.com", PASSWORD)).unwrap();
    assert_eq!(view.account.name, "Grace Hopper");
    assert_eq!(h.desk.actor(&token).unwrap().account_id, view.account.id);
}

#[test]
fn wrong_password_and_unknown_email_get_the_same_answer() {
    let h = Harness::new();
    h.set_up(false);
    let wrong_password = h.desk.sign_in(attempt(ADMIN_EMAIL, "not the password")).unwrap_err();
    let unknown_email = h.desk.sign_in(attempt("nobody@example.com", PASSWORD)).unwrap_err();
    assert_eq!(wrong_password, unknown_email);
    assert_eq!(wrong_password.code, ErrorCode::WrongCredentials);
    assert_eq!(wrong_password.message, "Wrong email or password");
}

#[test]
fn five_failures_throttle_even_the_right_password() {
    let h = Harness::new();
    h.set_up(false);
    for _ in 0..5 {
        let e = h.desk.sign_in(attempt(ADMIN_EMAIL, "wrong wrong wrong")).unwrap_err();
        assert_eq!(e.code, ErrorCode::WrongCredentials);
    }
    let e = h.desk.sign_in(attempt(ADMIN_EMAIL, PASSWORD)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Throttled);
    assert!(e.message.contains("30 seconds"), "{}", e.message);
    h.clock.advance(Duration::seconds(31));
    assert!(h.desk.sign_in(attempt(ADMIN_EMAIL, PASSWORD)).is_ok());
    // Success resets the count: four more failures do not throttle.
    for _ in 0..4 {
        assert_eq!(h.desk.sign_in(attempt(ADMIN_EMAIL, "nope nope")).unwrap_err().code, ErrorCode::WrongCredentials);
    }
}

#[test]
fn waits_grow_and_never_exceed_fifteen_minutes() {
    let h = Harness::new();
    h.set_up(false);
    let mut waits = Vec::new();
    for _ in 0..12 {
        match h.desk.sign_in(attempt(ADMIN_EMAIL, "wrong wrong wrong")) {
            Err(e) if e.code == ErrorCode::WrongCredentials => {}
            other => panic!("unexpected {other:?}"),
        }
        let e = h.desk.sign_in(attempt(ADMIN_EMAIL, "wrong wrong wrong")).unwrap_err();
        if e.code == ErrorCode::Throttled {
            waits.push(e.message.clone());
            h.clock.advance(Duration::minutes(15));
        }
    }
    assert!(waits.len() >= 6, "{waits:?}");
    assert!(waits.iter().all(|w| !w.contains("16 minutes")), "{waits:?}");
    assert!(waits.last().is_some_and(|w| w.contains("15 minutes")), "{waits:?}");
}

#[test]
fn unknown_emails_are_throttled_too() {
    let h = Harness::new();
    h.set_up(false);
    for _ in 0..5 {
        let _ = h.desk.sign_in(attempt("ghost@example.com", "whatever pass"));
    }
    assert_eq!(h.desk.sign_in(attempt("ghost@example.com", "x y z w v")).unwrap_err().code, ErrorCode::Throttled);
}

#[test]
fn parallel_attempts_cannot_exceed_the_limit() {
    // Eight threads over two connections to the same file fire 40 wrong
    // attempts at once. At most five may reach the password check.
    let h = Harness::new();
    h.set_up(false);
    let second = Arc::new(h.reopen());
    let first = Arc::new(h.reopen());
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let desk = if i % 2 == 0 { first.clone() } else { second.clone() };
            std::thread::spawn(move || {
                (0..5)
                    .map(|_| desk.sign_in(attempt(ADMIN_EMAIL, "parallel guess")).unwrap_err().code)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let codes: Vec<ErrorCode> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let checked = codes.iter().filter(|c| **c == ErrorCode::WrongCredentials).count();
    let throttled = codes.iter().filter(|c| **c == ErrorCode::Throttled).count();
    assert_eq!(checked, 5, "{codes:?}");
    assert_eq!(throttled, 35);
}

#[test]
fn sign_out_ends_the_session() {
    let h = Harness::new();
    h.set_up(false);
    let (token, _) = h.desk.sign_in(attempt(ADMIN_EMAIL, PASSWORD)).unwrap();
    h.desk.sign_out(&token).unwrap();
    assert_eq!(h.desk.actor(&token).unwrap_err().code, ErrorCode::NotSignedIn);
    assert_eq!(h.desk.sign_out(&token).unwrap_err().code, ErrorCode::NotSignedIn);
}

#[test]
fn deleted_account_loses_its_session_and_cannot_sign_in() {
    let h = Harness::new();
    h.set_up(true);
    let email = "tomas.munoz@demo.tenant-desk.example";
    let (token, _) = h.desk.sign_in(attempt(email, PASSWORD)).unwrap();
    h.desk
        .db()
        .write(|tx| Ok(tx.execute("UPDATE accounts SET deleted_at = 1 WHERE email = ?1", [email])?))
        .unwrap();
    assert_eq!(h.desk.actor(&token).unwrap_err().code, ErrorCode::NotSignedIn);
    assert_eq!(h.desk.sign_in(attempt(email, PASSWORD)).unwrap_err().code, ErrorCode::WrongCredentials);
}
