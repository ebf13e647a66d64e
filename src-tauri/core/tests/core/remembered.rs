use std::sync::Arc;

use chrono::Duration;
use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::secrets::{MemoryStore, SecretAvailability, SecretStore};

use crate::support::*;

fn remember_me() -> SignInInput {
    SignInInput { email: ADMIN_EMAIL.into(), password: PASSWORD.into(), remember: true }
}

fn keyring_entries(h: &Harness) -> Vec<String> {
    h.secrets.get(&h.desk.remembered_sign_in_key()).unwrap().into_iter().collect()
}

#[test]
fn remembered_sign_in_resumes_after_restart() {
    let h = Harness::new();
    h.set_up(false);
    let (_, view) = h.desk.sign_in(remember_me()).unwrap();
    assert!(view.remembered);
    let tokens = keyring_entries(&h);
    assert_eq!(tokens.len(), 1);
    // 32 random bytes, base64url: at least 128 bits.
    assert!(tokens[0].len() >= 43);

    let restarted = h.reopen();
    let (token, resumed) = restarted.resume().unwrap().expect("resumed");
    assert_eq!(resumed.account.email, ADMIN_EMAIL);
    assert!(restarted.actor(&token).is_ok());
}

#[test]
fn database_keeps_only_the_token_hash() {
    let h = Harness::new();
    h.set_up(false);
    h.desk.sign_in(remember_me()).unwrap();
    let token = keyring_entries(&h).remove(0);
    let stored: String = h
        .desk
        .db()
        .read(|tx| Ok(tx.query_row("SELECT token_hash FROM remembered_sign_ins", [], |r| r.get(0))?))
        .unwrap();
    assert_ne!(stored, token);
    assert!(!stored.contains(&token));
}

#[test]
fn sign_out_revokes_the_token_and_clears_the_keyring() {
    let h = Harness::new();
    h.set_up(false);
    let (token, _) = h.desk.sign_in(remember_me()).unwrap();
    let kept = keyring_entries(&h).remove(0);
    h.desk.sign_out(&token).unwrap();
    assert!(keyring_entries(&h).is_empty());
    // Even if the token were copied out of the keyring first, it no longer works.
    h.secrets.put(&h.desk.remembered_sign_in_key(), &kept).unwrap();
    assert!(h.reopen().resume().unwrap().is_none());
    assert!(keyring_entries(&h).is_empty(), "a dead token is removed from the keyring");
}

#[test]
fn expired_token_does_not_resume() {
    let h = Harness::new();
    h.set_up(false);
    h.desk.sign_in(remember_me()).unwrap();
    h.clock.advance(Duration::days(31));
    assert!(h.reopen().resume().unwrap().is_none());
}

#[test]
fn without_a_keyring_sign_in_still_works_unremembered() {
    let h = Harness::with_secrets(Arc::new(MemoryStore::unavailable("no Secret Service on this bus")));
    h.set_up(false);
    let state = h.desk.startup_state().unwrap();
    assert!(matches!(state.keyring, SecretAvailability::Unavailable { .. }));
    let (token, view) = h.desk.sign_in(remember_me()).unwrap();
    assert!(!view.remembered);
    assert!(h.desk.actor(&token).is_ok());
    assert!(h.reopen().resume().unwrap().is_none());
}

#[test]
fn two_installs_do_not_share_a_remembered_sign_in() {
    let shared = Arc::new(MemoryStore::new());
    let a = Harness::with_secrets(shared.clone());
    let b = Harness::with_secrets(shared);
    a.set_up(false);
    b.set_up(false);
    a.desk.sign_in(remember_me()).unwrap();
    assert!(b.reopen().resume().unwrap().is_none());
    assert!(a.reopen().resume().unwrap().is_some());
}
