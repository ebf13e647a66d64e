//! Personal API keys: shown once, kept as a hash, bound to the tenant they
//! were made in, expiring, revoked at once, last use recorded.

use chrono::Duration;
use tenant_desk_core::authz::Role;
use tenant_desk_core::personal_api_keys::NewPersonalApiKey;
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn key(name: &str, days: Option<u32>) -> NewPersonalApiKey {
    NewPersonalApiKey { name: name.into(), expires_in_days: days }
}

#[test]
fn a_key_is_shown_once_kept_as_a_hash_and_acts_with_its_owners_role_in_its_tenant() {
    let h = Harness::new();
    h.set_up(true);
    let operator = h.actor_of(member_email(Role::TenantOperator));
    let created = h.desk.create_personal_api_key(&operator, &key("  CI export ", None)).unwrap();
    assert!(created.secret.starts_with("tdp_"));
    assert_eq!(created.secret.len(), 4 + 43);
    assert_eq!(created.key.name, "CI export");
    assert_eq!(created.key.created_on, "1 Mar 2026, 10:00");
    assert!(created.key.last_used_on.is_none() && created.key.expires_on.is_none());
    assert!(!contains(&h.database_bytes(), &created.secret), "only the hash is stored");

    h.clock.advance(Duration::hours(2));
    let acting = h.desk.verify_personal_api_key(&created.secret).unwrap().unwrap();
    assert_eq!(acting.account_id, operator.account_id);
    assert_eq!(acting.tenant, operator.tenant);
    let listed = h.desk.personal_api_keys(&operator).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].last_used_on.as_deref(), Some("1 Mar 2026, 12:00"));

    assert!(h.desk.verify_personal_api_key("tdp_not-a-key").unwrap().is_none());
    assert!(h.desk.verify_personal_api_key("").unwrap().is_none());
    assert_eq!(h.audit("account.personal_api_key_create").len(), 1);
}

#[test]
fn revoking_stops_a_key_at_once_and_only_its_owner_can() {
    let h = Harness::new();
    h.set_up(true);
    let user = h.actor_of(member_email(Role::TenantUser));
    let other = h.actor_of(member_email(Role::TenantViewer));
    let created = h.desk.create_personal_api_key(&user, &key("Laptop", Some(30))).unwrap();
    assert_eq!(h.desk.revoke_personal_api_key(&other, created.key.id).unwrap_err().code, ErrorCode::NotFound);
    assert!(h.desk.verify_personal_api_key(&created.secret).unwrap().is_some());
    h.desk.revoke_personal_api_key(&user, created.key.id).unwrap();
    assert!(h.desk.verify_personal_api_key(&created.secret).unwrap().is_none());
    assert!(h.desk.personal_api_keys(&user).unwrap().is_empty());
    assert_eq!(h.desk.revoke_personal_api_key(&user, created.key.id).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn keys_expire_and_follow_their_owners_membership() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let user = h.actor_of(member_email(Role::TenantUser));
    let short = h.desk.create_personal_api_key(&user, &key("One day", Some(1))).unwrap();
    let lasting = h.desk.create_personal_api_key(&user, &key("Lasting", None)).unwrap();
    assert_eq!(short.key.expires_on.as_deref(), Some("2 Mar 2026, 10:00"));

    h.clock.advance(Duration::days(1));
    assert!(h.desk.verify_personal_api_key(&short.secret).unwrap().is_none(), "expired");
    let listed = h.desk.personal_api_keys(&user).unwrap();
    assert!(listed.iter().any(|k| k.name == "One day" && k.expired));

    // The key acts with the role its owner has now, in its own tenant only.
    let users = h.desk.list_users(&admin, &tenant_desk_core::users::UserQuery::search("tomas")).unwrap();
    let row = &users.rows[0];
    h.desk
        .update_user(
            &admin,
            row.id,
            tenant_desk_core::users::UserChanges {
                name: row.name.clone(),
                role: Role::TenantViewer,
                tenant_id: tenant_id(&admin),
                schedule: None,
            },
        )
        .unwrap();
    assert_eq!(h.desk.verify_personal_api_key(&lasting.secret).unwrap().unwrap().role(), Some(Role::TenantViewer));
    h.desk.delete_user(&admin, row.id).unwrap();
    assert!(h.desk.verify_personal_api_key(&lasting.secret).unwrap().is_none(), "no longer in the tenant");
}

#[test]
fn names_and_expiry_are_checked() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let e = h.desk.create_personal_api_key(&admin, &key(" ", Some(0))).unwrap_err();
    assert_eq!(e.fields["name"], "Name is required.");
    assert!(e.fields.contains_key("expires_in_days"));
    assert!(h.desk.create_personal_api_key(&admin, &key("x", Some(366))).is_err());
    assert!(h.desk.create_personal_api_key(&admin, &key(&"n".repeat(101), None)).is_err());
    assert!(h.desk.create_personal_api_key(&admin, &key("Year", Some(365))).is_ok());
    assert!(h.desk.personal_api_keys(&admin).unwrap().len() == 1);
}
