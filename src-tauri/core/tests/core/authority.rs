//! Nobody gains a power they were not given: actions on a whole account need
//! authority over every tenant it belongs to, a platform administrator's
//! account answers to platform administrators only, settings of the whole
//! install belong to platform administrators, and a key or a job carries no
//! more than its owner's powers.

use std::sync::{Arc, Barrier};

use tenant_desk_core::archives::ArchiveJobKind;
use tenant_desk_core::audit::AuditQuery;
use tenant_desk_core::auth::NewPasswordInput;
use tenant_desk_core::authz::{Actor, Caller, Role};
use tenant_desk_core::local_api::LocalApiSettings;
use tenant_desk_core::organizations::NewOrganization;
use tenant_desk_core::personal_api_keys::NewPersonalApiKey;
use tenant_desk_core::users::{Deletion, ExistingUser, UserChanges, UserQuery, UserRow};
use tenant_desk_core::{Desk, ErrorCode};

use crate::support::*;

const ADA: &str = "ada.lovelace@demo.tenant-desk.example";
const SAM: &str = "sam.carter@demo.tenant-desk.example";
const TOMAS: &str = "tomas.munoz@demo.tenant-desk.example";
const ELODIE: &str = "elodie.durand@demo.tenant-desk.example";

/// The row of `email` in the actor's current tenant, as the actor sees it.
fn row(desk: &Desk, actor: &Actor, email: &str) -> UserRow {
    let page = desk.list_users(actor, &UserQuery::search(email)).unwrap();
    page.rows.into_iter().find(|r| r.email == email).unwrap_or_else(|| panic!("{email} not listed"))
}

fn rename(name: &str, row: &UserRow) -> UserChanges {
    UserChanges { name: name.into(), role: row.role, tenant_id: row.tenant_id, schedule: None }
}

/// `email` creates an organization of their own and works in it.
fn own_organization(h: &Harness, email: &str, name: &str) -> (tenant_desk_core::auth::SessionToken, Actor) {
    let (token, actor) = h.session_of(email);
    let org = h
        .desk
        .create_organization(&actor, &NewOrganization { name: name.into(), billing_email: "b@example.com".into(), timezone: "UTC".into() })
        .unwrap();
    h.desk.switch_organization(&token, org.id).unwrap();
    let actor = h.desk.actor(&token).unwrap();
    assert_eq!(actor.role(), Some(Role::TenantAdmin));
    (token, actor)
}

fn turn_mfa_on(h: &Harness, email: &str) {
    let id = account_id(&h.desk, email);
    h.desk
        .db()
        .write(|tx| Ok(tx.execute("INSERT INTO account_mfa (account_id, enabled_at, last_step) VALUES (?1, 0, 0)", [id])?))
        .unwrap();
}

fn still_signs_in(h: &Harness, email: &str) {
    assert!(sign_in(&h.desk, email, PASSWORD).is_ok(), "{email} keeps their password");
}

#[test]
fn a_tenant_admin_cannot_take_over_the_platform_administrator() {
    let h = Harness::new();
    h.set_up(true);
    let (_, ada) = h.session_of(ADA);
    turn_mfa_on(&h, ADMIN_EMAIL);
    let grace = row(&h.desk, &ada, ADMIN_EMAIL);
    assert!(grace.platform_admin);
    let why = grace.account_limit.clone().expect("the window is told why not");
    assert!(why.contains("Grace Hopper is a platform administrator"), "{why}");

    let refusals = [
        h.desk.reset_user_password(&ada, grace.id).map(drop),
        h.desk.reset_user_mfa(&ada, grace.id),
        h.desk.update_user(&ada, grace.id, rename("Not Grace", &grace)).map(drop),
        // Her only membership: removing it would delete the install's only platform administrator.
        h.desk.delete_user(&ada, grace.id).map(drop),
    ];
    for (refusal, doing) in refusals.into_iter().zip(["reset their password", "reset their MFA", "rename them", "delete their account"]) {
        let e = refusal.unwrap_err();
        assert_eq!(e.code, ErrorCode::NotAllowed);
        assert_eq!(e.message, format!("Grace Hopper is a platform administrator: only a platform administrator can {doing}."));
    }
    // Nothing changed: she signs in as before, with MFA, and is still there.
    let (_, view) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    assert!(view.second_factor_required);
    assert_eq!(row(&h.desk, &ada, ADMIN_EMAIL).name, "Grace Hopper");
    assert!(h.audit("user.password_reset").is_empty());
}

#[test]
fn an_admin_of_one_tenant_cannot_reach_a_member_who_belongs_to_another() {
    let h = Harness::new();
    h.set_up(true);
    let (_, ada) = h.session_of(ADA);
    let (sam_own_token, _) = own_organization(&h, SAM, "Sam's Shop");
    let (sam_acme_token, _) = h.session_of(SAM);
    h.desk.switch_organization(&sam_acme_token, tenant_id(&ada)).unwrap();
    turn_mfa_on(&h, SAM);
    let sam = row(&h.desk, &ada, SAM);
    assert!(sam.other_tenants && !sam.platform_admin);
    assert!(sam.account_limit.as_deref().unwrap_or_default().contains("also belongs to an organization you don't administer"));

    for refusal in [
        h.desk.reset_user_password(&ada, sam.id).map(drop),
        h.desk.reset_user_mfa(&ada, sam.id),
        h.desk.update_user(&ada, sam.id, rename("Not Sam", &sam)).map(drop),
    ] {
        let e = refusal.unwrap_err();
        assert_eq!(e.code, ErrorCode::NotAllowed);
        assert!(e.message.contains("only a platform administrator, or someone who administers every organization"), "{}", e.message);
        assert!(e.message.ends_with("You can remove them from this tenant."), "{}", e.message);
    }
    // The role is the tenant's own business.
    h.desk.update_user(&ada, sam.id, UserChanges { role: Role::TenantViewer, ..rename("Sam Carter", &sam) }).unwrap();

    // Removing him from this tenant touches nothing of his account.
    assert_eq!(h.desk.delete_user(&ada, sam.id).unwrap(), Deletion::RemovedFromTenant);
    assert_eq!(h.desk.actor(&sam_acme_token).unwrap_err().code, ErrorCode::NotSignedIn, "his window in Acme ends");
    assert_eq!(h.desk.actor(&sam_own_token).unwrap().role(), Some(Role::TenantAdmin), "his own organization goes on");
    let (_, view) = sign_in(&h.desk, SAM, PASSWORD).unwrap();
    assert!(view.second_factor_required, "password and MFA as they were");
    assert_eq!(h.audit("user.remove_from_tenant").len(), 1);
    assert!(h.audit("user.delete").is_empty());
}

/// Who may do what to whom: each identity's answer for an account that
/// belongs to Acme only, one that also belongs to another organization, and
/// the platform administrator's.
#[test]
fn account_wide_actions_for_identities_that_cross_tenants() {
    let h = Harness::new();
    h.set_up(true);
    own_organization(&h, SAM, "Sam's Shop");
    let (_, grace) = h.session_of(ADMIN_EMAIL);
    let (_, ada) = h.session_of(ADA);
    // Kenji administers Acme and Sam's Shop (Sam made him its Tenant Admin).
    let kenji_email = "kenji.watanabe@demo.tenant-desk.example";
    let kenji_row = row(&h.desk, &grace, kenji_email);
    h.desk.update_user(&grace, kenji_row.id, UserChanges { role: Role::TenantAdmin, ..rename("Kenji Watanabe", &kenji_row) }).unwrap();
    let (_, sam_in_shop) = h.session_of(SAM);
    let shop = h.desk.organizations(&sam_in_shop).unwrap().organizations.into_iter().find(|o| o.name == "Sam's Shop").unwrap();
    let (sam_token, _) = h.session_of(SAM);
    h.desk.switch_organization(&sam_token, shop.tenant_id).unwrap();
    let sam_admin = h.desk.actor(&sam_token).unwrap();
    let invited = h
        .desk
        .invite_existing_user(&sam_admin, ExistingUser { email: kenji_email.into(), role: Role::TenantAdmin, tenant_id: shop.tenant_id, schedule: None })
        .unwrap();
    let (_, kenji) = h.session_of(kenji_email);
    h.desk.answer_invitation(&kenji, invited.id, true).unwrap();

    // (identity, target, may act on the whole account)
    let cases: [(&str, &Actor, &str, bool); 7] = [
        ("Tenant Admin of Acme", &ada, TOMAS, true),
        ("Tenant Admin of Acme", &ada, SAM, false),
        ("Tenant Admin of Acme", &ada, ADMIN_EMAIL, false),
        ("Tenant Admin of both", &kenji, SAM, true),
        ("Tenant Admin of both", &kenji, ADMIN_EMAIL, false),
        ("platform administrator", &grace, SAM, true),
        ("platform administrator", &grace, TOMAS, true),
    ];
    for (who, actor, target, allowed) in cases {
        let listed = row(&h.desk, actor, target);
        assert_eq!(listed.account_limit.is_none(), allowed, "{who} → {target}: the window's hint");
        let outcome = h.desk.reset_user_password(actor, listed.id);
        assert_eq!(outcome.is_ok(), allowed, "{who} → {target}: {:?}", outcome.map(drop));
        if let Err(e) = outcome {
            assert_eq!(e.code, ErrorCode::NotAllowed);
        }
    }
}

#[test]
fn a_viewer_who_owns_an_organization_cannot_touch_the_install() {
    let h = Harness::new();
    h.set_up(true);
    let (_, elodie) = own_organization(&h, ELODIE, "Élodie's Studio");
    let not_allowed = |outcome: tenant_desk_core::Result<()>, what: &str| {
        assert_eq!(outcome.unwrap_err().code, ErrorCode::NotAllowed, "{what}");
    };
    not_allowed(h.desk.update_local_api_settings(&elodie, LocalApiSettings { enabled: true, port: 8787 }).map(drop), "local API on");
    not_allowed(h.desk.local_api_settings(&elodie).map(drop), "local API settings");
    not_allowed(h.desk.back_up_store(&elodie, &h.dir.path().join("b.sqlite3")).map(drop), "backup");
    not_allowed(h.desk.list_backups(&elodie).map(drop), "backups");
    not_allowed(h.desk.audit_log(&elodie, &AuditQuery { install: true, ..AuditQuery::default() }).map(drop), "install audit");
    let me = row(&h.desk, &elodie, ELODIE);
    not_allowed(h.desk.set_platform_admin(&elodie, me.id, true).map(drop), "platform flag");
    let view = h.desk.signed_in(&h.session_of(ELODIE).0).unwrap();
    assert!(!view.menu.identity_tabs.contains(&tenant_desk_core::menu::IdentityTab::LocalApi));
    assert!(h.audit("local_api.update").is_empty());

    // A platform administrator changes it; every platform administrator reads it.
    let (_, grace) = h.session_of(ADMIN_EMAIL);
    h.desk.update_local_api_settings(&grace, LocalApiSettings { enabled: false, port: 9000 }).unwrap();
    let (_, ada) = h.session_of(ADA);
    let ada_row = row(&h.desk, &grace, ADA);
    h.desk.set_platform_admin(&grace, ada_row.id, true).unwrap();
    let install = h.desk.audit_log(&ada, &AuditQuery { install: true, ..AuditQuery::default() }).unwrap();
    let change = install.entries.iter().find(|e| e.action == "local_api.update").expect("in the install's log");
    assert_eq!(change.actor.as_deref(), Some("Grace Hopper <grace@example.com>"));
    assert!(change.after.as_deref().unwrap_or_default().contains("9000"));
    assert!(install.entries.iter().any(|e| e.action == "account.platform_admin_grant"));
}

#[test]
fn the_platform_flag_is_granted_and_revoked_by_platform_administrators_and_never_lost() {
    let h = Harness::new();
    h.set_up(true);
    let (_, grace) = h.session_of(ADMIN_EMAIL);
    let (ada_token, ada) = h.session_of(ADA);
    let grace_row = row(&h.desk, &grace, ADMIN_EMAIL);
    let ada_row = row(&h.desk, &grace, ADA);
    assert!(h.desk.user_detail(&grace, ada_row.id).unwrap().can_set_platform_admin);
    assert!(!h.desk.user_detail(&ada, ada_row.id).unwrap().can_set_platform_admin);
    assert_eq!(h.desk.set_platform_admin(&ada, ada_row.id, true).unwrap_err().code, ErrorCode::NotAllowed);

    let e = h.desk.set_platform_admin(&grace, grace_row.id, false).unwrap_err();
    assert!(e.message.contains("last platform administrator"), "{}", e.message);

    let detail = h.desk.set_platform_admin(&grace, ada_row.id, true).unwrap();
    assert!(detail.user.platform_admin);
    // Ada's open window has the power at once: it is read in each operation.
    let ada = h.desk.actor(&ada_token).unwrap();
    assert!(ada.is_platform_admin);
    h.desk.set_platform_admin(&ada, grace_row.id, false).unwrap();
    assert_eq!(h.desk.set_platform_admin(&grace, ada_row.id, false).unwrap_err().code, ErrorCode::NotAllowed);
    let e = h.desk.set_platform_admin(&ada, ada_row.id, false).unwrap_err();
    assert!(e.message.contains("last platform administrator"));
    let changes = h.audit("account.platform_admin_grant");
    assert_eq!(changes, [(Some(r#"{"platform_admin":false}"#.into()), Some(r#"{"platform_admin":true}"#.into()))]);
    assert_eq!(h.audit("account.platform_admin_revoke").len(), 1);
}

#[test]
fn two_platform_administrators_revoking_each_other_at_once_leave_one() {
    let h = Harness::new();
    h.set_up(true);
    let (_, grace) = h.session_of(ADMIN_EMAIL);
    let grace_id = row(&h.desk, &grace, ADMIN_EMAIL).id;
    let ada_id = row(&h.desk, &grace, ADA).id;
    let first = Arc::new(h.reopen());
    let second = Arc::new(h.reopen());
    for round in 0..10 {
        h.desk.db().write(|tx| Ok(tx.execute("UPDATE accounts SET is_platform_admin = 1 WHERE email IN (?1, ?2)", [ADMIN_EMAIL, ADA])?)).unwrap();
        let barrier = Arc::new(Barrier::new(2));
        let run = |desk: Arc<Desk>, email: &'static str, target: i64| {
            let barrier = barrier.clone();
            let actor = {
                let (token, _) = sign_in(&desk, email, PASSWORD).unwrap();
                desk.actor(&token).unwrap()
            };
            std::thread::spawn(move || {
                barrier.wait();
                desk.set_platform_admin(&actor, target, false).map(drop).map_err(|e| e.code)
            })
        };
        let a = run(first.clone(), ADMIN_EMAIL, ada_id);
        let b = run(second.clone(), ADA, grace_id);
        let outcomes = [a.join().unwrap(), b.join().unwrap()];
        assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "round {round}: {outcomes:?}");
        let left: i64 = h
            .desk
            .db()
            .read(|tx| Ok(tx.query_row("SELECT count(*) FROM accounts WHERE is_platform_admin = 1 AND deleted_at IS NULL", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(left, 1, "round {round}");
    }
}

#[test]
fn add_user_with_an_existing_address_invites_that_person_and_reveals_nothing_else() {
    let h = Harness::new();
    h.set_up(true);
    let (_, grace) = h.session_of(ADMIN_EMAIL);
    let other = h.desk.add_tenant(&grace, &valid_tenant("Northwind Secret Project")).unwrap();
    h.desk.create_user(&grace, new_user_input("olga@example.com", Role::TenantUser, other.id)).unwrap();
    h.desk.db().write(|tx| Ok(tx.execute("UPDATE accounts SET must_change_password = 0 WHERE email = 'olga@example.com'", [])?)).unwrap();
    let (_, ada) = h.session_of(ADA);
    let acme = tenant_id(&ada);

    let mut typed = new_user_input("OLGA@example.com", Role::TenantOperator, acme);
    typed.name = "Whatever Ada Typed".into();
    typed.password = "weak".into();
    let e = h.desk.create_user(&ada, typed).unwrap_err();
    assert_eq!(e.code, ErrorCode::AccountExists);
    assert!(e.message.contains("will be invited to your tenant"), "{}", e.message);
    for secret in ["Olga", "Northwind", "Person olga"] {
        assert!(!e.message.contains(secret) && !e.fields.values().any(|m| m.contains(secret)), "{secret} revealed");
    }

    let invited = h
        .desk
        .invite_existing_user(&ada, ExistingUser { email: "olga@example.com".into(), role: Role::TenantOperator, tenant_id: acme, schedule: None })
        .unwrap();
    assert_eq!((invited.email.as_str(), invited.role), ("olga@example.com", Role::TenantOperator));
    assert_eq!(h.desk.sent_invitations(&ada).unwrap(), std::slice::from_ref(&invited));
    let again = h.desk.create_user(&ada, new_user_input("olga@example.com", Role::TenantUser, acme)).unwrap_err();
    assert_eq!(again.fields["email"], "This person is already invited to this tenant.");
    // Not a member yet: Acme's rules do not reach her, and she is not listed.
    assert!(h.desk.list_users(&ada, &UserQuery::search("olga")).unwrap().rows.is_empty());
    h.enable_mfa(&grace);
    h.desk.update_tenant(&grace, acme, &tenant_desk_core::tenants::TenantFields { require_mfa: true, ..valid_tenant("Acme Support") }).unwrap();
    let (_, view) = sign_in(&h.desk, "olga@example.com", PASSWORD).unwrap();
    assert!(!view.mfa_enrollment_required, "an invitation imposes nothing");
    h.desk.update_tenant(&grace, acme, &valid_tenant("Acme Support")).unwrap();

    // She sees where she is invited and by whom, and answers.
    let (_, olga) = h.session_of("olga@example.com");
    let received = h.desk.received_invitations(&olga).unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!((received[0].tenant_name.as_str(), received[0].role, received[0].invited_by.as_deref()), ("Acme Support", Role::TenantOperator, Some("Ada Lovelace")));
    let (_, tomas) = h.session_of(TOMAS);
    assert_eq!(h.desk.answer_invitation(&tomas, invited.id, true).unwrap_err().code, ErrorCode::NotFound, "only hers to answer");
    assert_eq!(h.desk.answer_invitation(&olga, invited.id, true).unwrap(), acme);
    assert!(h.desk.received_invitations(&olga).unwrap().is_empty());
    assert!(h.desk.sent_invitations(&ada).unwrap().is_empty());
    let joined = row(&h.desk, &ada, "olga@example.com");
    assert_eq!((joined.name.as_str(), joined.role), ("Person olga", Role::TenantOperator));
    assert!(joined.other_tenants);
    assert!(joined.account_limit.is_some(), "Ada does not administer Northwind");
    still_signs_in(&h, "olga@example.com");
    for action in ["user.invite", "user.invitation_accept"] {
        assert_eq!(h.audit(action).len(), 1, "{action}");
    }
    let again = h.desk.create_user(&ada, new_user_input("olga@example.com", Role::TenantUser, acme)).unwrap_err();
    assert_eq!(again.fields["email"], "This person is already a user of this tenant.");

    // Declined and cancelled invitations leave no membership.
    let second = h
        .desk
        .invite_existing_user(&grace, ExistingUser { email: "olga@example.com".into(), role: Role::TenantUser, tenant_id: h.desk.add_tenant(&grace, &valid_tenant("Third")).unwrap().id, schedule: None })
        .unwrap();
    h.desk.answer_invitation(&olga, second.id, false).unwrap();
    assert_eq!(h.desk.organizations(&olga).unwrap().organizations.len(), 2);
    let third = h.desk.invite_existing_user(&ada, ExistingUser { email: TOMAS.into(), role: Role::TenantUser, tenant_id: acme, schedule: None });
    assert_eq!(third.unwrap_err().fields["email"], "This person is already a user of this tenant.");
    let fourth = h
        .desk
        .invite_existing_user(&ada, ExistingUser { email: "grace@example.com".into(), role: Role::TenantUser, tenant_id: acme, schedule: None })
        .unwrap_err();
    assert_eq!(fourth.fields["email"], "This person is already a user of this tenant.");
    let sam_shop = own_organization(&h, SAM, "Sam's Shop").1;
    let to_cancel = h
        .desk
        .invite_existing_user(&sam_shop, ExistingUser { email: "olga@example.com".into(), role: Role::TenantUser, tenant_id: tenant_id(&sam_shop), schedule: None })
        .unwrap();
    assert_eq!(h.desk.cancel_invitation(&ada, to_cancel.id).unwrap_err().code, ErrorCode::NotFound, "another tenant's");
    h.desk.cancel_invitation(&sam_shop, to_cancel.id).unwrap();
    assert_eq!(h.desk.answer_invitation(&olga, to_cancel.id, true).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(h.audit("user.invitation_decline").len(), 1);
    assert_eq!(h.audit("user.invitation_cancel").len(), 1);
    // Nobody invites into a tenant they do not administer.
    let e = h
        .desk
        .invite_existing_user(&ada, ExistingUser { email: TOMAS.into(), role: Role::TenantAdmin, tenant_id: other.id, schedule: None })
        .unwrap_err();
    assert_eq!(e.fields["tenant_id"], "Pick a tenant you administer.");
}

#[test]
fn a_personal_key_carries_its_owners_role_in_its_tenant_and_no_more() {
    let h = Harness::new();
    h.set_up(true);
    let (_, grace) = h.session_of(ADMIN_EMAIL);
    let made = h.desk.create_personal_api_key(&grace, &NewPersonalApiKey { name: "ci".into(), expires_in_days: None }).unwrap();
    let by_key = h.desk.verify_personal_api_key(&made.secret).unwrap().unwrap();
    assert!(!by_key.is_platform_admin && by_key.through_key);
    let refused = |outcome: tenant_desk_core::Result<()>, what: &str| assert_eq!(outcome.unwrap_err().code, ErrorCode::NotAllowed, "{what}");
    refused(h.desk.add_tenant(&by_key, &valid_tenant("By key")).map(drop), "add tenant");
    refused(h.desk.back_up_store(&by_key, &h.dir.path().join("k.sqlite3")).map(drop), "backup");
    refused(h.desk.update_local_api_settings(&by_key, LocalApiSettings { enabled: true, port: 8787 }).map(drop), "local API");
    let other = h.desk.add_tenant(&grace, &valid_tenant("Elsewhere")).unwrap();
    refused(h.desk.update_tenant(&by_key, other.id, &valid_tenant("Taken")).map(drop), "another tenant, though Grace administers it");
    assert_eq!(h.desk.list_tenants(&by_key, "").unwrap().len(), 1, "only the key's tenant");
}

#[test]
fn personal_keys_stop_when_their_owner_could_not_sign_in() {
    let h = Harness::new();
    h.set_up(true);
    let (_, grace) = h.session_of(ADMIN_EMAIL);
    let (_, ada) = h.session_of(ADA);
    let key = |actor: &Actor, name: &str| {
        h.desk.create_personal_api_key(actor, &NewPersonalApiKey { name: name.into(), expires_in_days: None }).unwrap().secret
    };
    let works = |secret: &str| h.desk.verify_personal_api_key(secret).unwrap().is_some();
    let ada_id = account_id(&h.desk, ADA);
    let set_must_change = |on: bool| {
        h.desk
            .db()
            .write(|tx| Ok(tx.execute("UPDATE accounts SET must_change_password = ?2 WHERE id = ?1", tenant_desk_core::params![ada_id, on])?))
            .unwrap();
    };

    // While a new password is owed.
    let first = key(&ada, "first");
    set_must_change(true);
    assert!(!works(&first));
    set_must_change(false);
    assert!(works(&first));

    // While a tenant of hers requires MFA she has not set up.
    let (grace_token, _) = h.session_of(ADMIN_EMAIL);
    h.enable_mfa(&h.desk.actor(&grace_token).unwrap());
    let acme = tenant_id(&grace);
    h.desk.update_tenant(&grace, acme, &tenant_desk_core::tenants::TenantFields { require_mfa: true, ..valid_tenant("Acme Support") }).unwrap();
    assert!(!works(&first));
    h.desk.update_tenant(&grace, acme, &valid_tenant("Acme Support")).unwrap();
    assert!(works(&first));

    // After an administrator reset her password or MFA: for good.
    let ada_row = row(&h.desk, &grace, ADA);
    let temporary = h.desk.reset_user_password(&grace, ada_row.id).unwrap();
    assert!(!works(&first));
    let (token, _) = sign_in(&h.desk, ADA, &temporary.password).unwrap();
    h.desk.set_new_password(&token, NewPasswordInput { password: PASSWORD.into(), confirm: PASSWORD.into() }).unwrap();
    assert!(!works(&first), "revoked, not just paused");
    let (_, ada) = h.session_of(ADA);
    let second = key(&ada, "second");
    turn_mfa_on(&h, ADA);
    h.desk.reset_user_mfa(&grace, ada_row.id).unwrap();
    assert!(!works(&second));
    let resets = h.audit("user.mfa_reset");
    assert!(resets[0].1.as_deref().unwrap_or_default().contains(r#""api_keys_revoked":1"#));
}

#[test]
fn tenant_admins_list_and_revoke_their_members_keys() {
    let h = Harness::new();
    h.set_up(true);
    let (_, ada) = h.session_of(ADA);
    let (_, priya) = h.session_of(member_email(Role::TenantOperator));
    let made = h.desk.create_personal_api_key(&priya, &NewPersonalApiKey { name: "Zapier".into(), expires_in_days: Some(30) }).unwrap();
    let keys = h.desk.member_api_keys(&ada).unwrap();
    let listed = keys.iter().find(|k| k.key.id == made.key.id).expect("Priya's key is listed");
    assert_eq!((listed.owner_email.as_str(), listed.key.name.as_str()), (member_email(Role::TenantOperator), "Zapier"));

    let (_, tomas) = h.session_of(TOMAS);
    assert_eq!(h.desk.member_api_keys(&tomas).unwrap_err().code, ErrorCode::NotAllowed);
    assert_eq!(h.desk.revoke_member_api_key(&tomas, made.key.id).unwrap_err().code, ErrorCode::NotAllowed);
    // The admin of another organization reaches nothing here.
    let (_, sam_owner) = own_organization(&h, SAM, "Sam's Shop");
    assert_eq!(h.desk.revoke_member_api_key(&sam_owner, made.key.id).unwrap_err().code, ErrorCode::NotFound);

    h.desk.revoke_member_api_key(&ada, made.key.id).unwrap();
    assert!(h.desk.verify_personal_api_key(&made.secret).unwrap().is_none());
    assert!(h.desk.member_api_keys(&ada).unwrap().iter().all(|k| k.key.id != made.key.id));
    assert_eq!(h.audit("personal_api_key.revoke").len(), 1);
}

#[test]
fn an_archive_job_is_followed_and_cancelled_by_its_starter_only() {
    let h = Harness::new();
    h.set_up(true);
    let desk = Arc::new(h.reopen());
    let (token, _) = sign_in(&desk, ADMIN_EMAIL, PASSWORD).unwrap();
    let grace = desk.actor(&token).unwrap();
    let (ada_token, _) = sign_in(&desk, ADA, PASSWORD).unwrap();
    let ada = desk.actor(&ada_token).unwrap();
    let id = desk.start_archive_job(&grace, ArchiveJobKind::Export, h.dir.path().join("acme.zip")).unwrap();
    assert_eq!(desk.archive_job(&ada, id).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(desk.cancel_archive_job(&ada, id).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(desk.archive_job(&grace, id).unwrap().id, id);
    let (_, tomas) = h.session_of(TOMAS);
    assert_eq!(desk.start_archive_job(&tomas, ArchiveJobKind::Export, h.dir.path().join("t.zip")).unwrap_err().code, ErrorCode::NotAllowed);
}

#[test]
fn conversations_and_the_tenant_key_leave_their_trace_in_the_audit_log() {
    let h = Harness::new();
    h.set_up(true);
    let (_, grace) = h.session_of(ADMIN_EMAIL);
    let (_, priya) = h.session_of(member_email(Role::TenantOperator));
    let key = h.desk.tenant_api_key(&grace, tenant_id(&grace)).unwrap();
    let by_key = h.desk.tenant_key_caller(key.expose()).unwrap().unwrap();
    let waiting = session_of(&h.desk, &by_key, None);
    h.desk.accept_conversation(&priya, waiting).unwrap();
    h.desk.resolve_conversation(&Caller::from(&priya), waiting).unwrap();
    let other = session_of(&h.desk, &by_key, None);
    h.desk.assign_conversation(&by_key, other, Some(priya.account_id)).unwrap();
    h.desk.resolve_conversation(&by_key, other).unwrap();

    let log = h.desk.audit_log(&grace, &AuditQuery::default()).unwrap();
    let who = |action: &str| -> Vec<String> {
        log.entries.iter().filter(|e| e.action == action).map(|e| e.actor.clone().unwrap_or_default()).collect()
    };
    assert_eq!(who("session.create"), ["Tenant API key", "Tenant API key"]);
    assert_eq!(who("session.accept"), ["Priya Raman <priya.raman@demo.tenant-desk.example>"]);
    assert_eq!(who("session.assign"), ["Tenant API key"]);
    assert_eq!(who("session.resolve"), ["Tenant API key", "Priya Raman <priya.raman@demo.tenant-desk.example>"]);
}
