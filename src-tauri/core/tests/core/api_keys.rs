//! The tenant API key: only a hash in SQLite, the key in the keyring, copy,
//! rotation, verification.

use std::sync::Arc;

use tenant_desk_core::api_keys::PREFIX;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn tenant_of(h: &Harness) -> (tenant_desk_core::authz::Actor, i64) {
    let admin = h.actor_of(ADMIN_EMAIL);
    let id = admin.tenant.as_ref().unwrap().tenant_id;
    (admin, id)
}

/// Every text the database holds, to look for a secret in it.
fn database_text(h: &Harness) -> String {
    h.desk
        .db()
        .read(|tx| {
            let mut out = String::new();
            for (table, cols) in [
                ("tenant_api_keys", "key_hash"),
                ("audit_log", "coalesce(before, '') || coalesce(after, '') || subject"),
                ("tenants", "name || labels"),
            ] {
                let mut stmt = tx.prepare(&format!("SELECT {cols} FROM {table}"))?;
                for text in stmt.query_map([], |r| r.get::<_, String>(0))? {
                    out.push_str(&text?);
                }
            }
            Ok(out)
        })
        .unwrap()
}

#[test]
fn setup_issues_a_key_that_is_kept_in_the_keyring_and_only_hashed_in_the_database() {
    let h = Harness::new();
    h.set_up(false);
    let (admin, id) = tenant_of(&h);
    let key = h.desk.tenant_api_key(&admin, id).unwrap();
    assert!(key.expose().starts_with(PREFIX));
    assert!(key.expose().len() >= PREFIX.len() + 43, "at least 256 bits");
    assert_eq!(h.desk.verify_tenant_api_key(key.expose()).unwrap(), Some(id));
    let text = database_text(&h);
    assert!(!text.contains(key.expose()));
    assert!(!text.contains(&key.expose()[PREFIX.len()..]));
    assert_eq!(h.audit("tenant.api_key.copy").len(), 1);
}

#[test]
fn unknown_or_malformed_keys_do_not_verify() {
    let h = Harness::new();
    h.set_up(false);
    let (admin, id) = tenant_of(&h);
    let key = h.desk.tenant_api_key(&admin, id).unwrap();
    let body = &key.expose()[PREFIX.len()..];
    for bad in ["", PREFIX, body, &format!("{}x", key.expose()), &key.expose().to_uppercase(), "tdk_AAAA"] {
        assert_eq!(h.desk.verify_tenant_api_key(bad).unwrap(), None, "{bad:?}");
    }
}

#[test]
fn rotation_replaces_the_key_at_once_and_is_audited_without_the_key() {
    let h = Harness::new();
    h.set_up(false);
    let (admin, id) = tenant_of(&h);
    let old = h.desk.tenant_api_key(&admin, id).unwrap();
    h.desk.rotate_tenant_api_key(&admin, id).unwrap();
    let new = h.desk.tenant_api_key(&admin, id).unwrap();
    assert_ne!(old, new);
    assert_eq!(h.desk.verify_tenant_api_key(old.expose()).unwrap(), None);
    assert_eq!(h.desk.verify_tenant_api_key(new.expose()).unwrap(), Some(id));
    assert_eq!(h.audit("tenant.api_key.rotate").len(), 1);
    let text = database_text(&h);
    assert!(!text.contains(old.expose()) && !text.contains(new.expose()));
}

#[test]
fn another_machine_without_the_key_is_told_so_and_can_rotate() {
    let h = Harness::new();
    h.set_up(false);
    let (admin, id) = tenant_of(&h);
    let original = h.desk.tenant_api_key(&admin, id).unwrap();
    // The same database with a keyring that never saw the key.
    let elsewhere = open(&h.dir, h.clock.clone(), Arc::new(MemoryStore::new()));
    let e = elsewhere.tenant_api_key(&admin, id).unwrap_err();
    assert_eq!(e.code, ErrorCode::ApiKeyNotOnThisMachine);
    assert!(!e.message.contains(original.expose()));
    elsewhere.rotate_tenant_api_key(&admin, id).unwrap();
    let fresh = elsewhere.tenant_api_key(&admin, id).unwrap();
    assert_eq!(elsewhere.verify_tenant_api_key(fresh.expose()).unwrap(), Some(id));
    assert_eq!(elsewhere.verify_tenant_api_key(original.expose()).unwrap(), None);
    // The first machine's keyring now holds a replaced key: it is told so too.
    assert_eq!(h.desk.tenant_api_key(&admin, id).unwrap_err().code, ErrorCode::ApiKeyNotOnThisMachine);
}

#[test]
fn without_a_keyring_rotation_changes_nothing() {
    let h = Harness::new();
    h.set_up(false);
    let (admin, id) = tenant_of(&h);
    let key = h.desk.tenant_api_key(&admin, id).unwrap();
    let no_keyring = open(&h.dir, h.clock.clone(), Arc::new(MemoryStore::unavailable("no Secret Service")));
    let e = no_keyring.rotate_tenant_api_key(&admin, id).unwrap_err();
    assert_eq!(e.code, ErrorCode::Desktop);
    assert_eq!(no_keyring.tenant_api_key(&admin, id).unwrap_err().code, ErrorCode::Desktop);
    assert_eq!(h.desk.verify_tenant_api_key(key.expose()).unwrap(), Some(id));
    assert!(h.audit("tenant.api_key.rotate").is_empty());
}

#[test]
fn a_tenant_created_without_a_keyring_still_gets_a_key_to_rotate() {
    let h = Harness::with_secrets(Arc::new(MemoryStore::unavailable("no Secret Service")));
    h.set_up(false);
    let (admin, id) = tenant_of(&h);
    let hashes: i64 =
        h.desk.db().read(|tx| Ok(tx.query_row("SELECT count(*) FROM tenant_api_keys", [], |r| r.get(0))?)).unwrap();
    assert_eq!(hashes, 1);
    assert_eq!(h.desk.tenant_api_key(&admin, id).unwrap_err().code, ErrorCode::Desktop);
}

#[test]
fn a_rotation_stopped_before_its_key_left_the_pending_entry_is_finished_by_copying() {
    use tenant_desk_core::secrets::SecretStore;
    let h = Harness::new();
    h.set_up(false);
    let (admin, id) = tenant_of(&h);
    h.desk.rotate_tenant_api_key(&admin, id).unwrap();
    let new = h.desk.tenant_api_key(&admin, id).unwrap();
    // As if the app stopped after the commit, before the key moved: the
    // tenant's entry still holds the old key, the new one waits pending.
    let entries = h.secrets.keys();
    let main = entries.iter().find(|k| k.starts_with("tenant-api-key/")).unwrap().clone();
    let pending = main.replacen("tenant-api-key/", "tenant-api-key-pending/", 1);
    h.secrets.put(&pending, new.expose()).unwrap();
    h.secrets.put(&main, "tdk_an-old-key").unwrap();
    assert_eq!(h.desk.tenant_api_key(&admin, id).unwrap(), new);
    assert_eq!(h.secrets.get(&main).unwrap().as_deref(), Some(new.expose()), "promoted");
    assert_eq!(h.secrets.get(&pending).unwrap(), None);
}
