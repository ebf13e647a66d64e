//! The organization switcher: listing one's tenants, switching (menu and
//! role follow, and the next sign-in opens there), creating organizations up
//! to three owned, including parallel attempts.

use std::sync::Arc;

use tenant_desk_core::authz::Role;
use tenant_desk_core::menu::Section;
use tenant_desk_core::organizations::NewOrganization;
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn organization(name: &str) -> NewOrganization {
    NewOrganization { name: name.into(), billing_email: "billing@example.com".into(), timezone: "Europe/Paris".into() }
}

/// Makes `email` a member of `tenant_id` with `role`, as an administrator of that tenant would.
fn add_membership(h: &Harness, email: &str, tenant_id: i64, role: Role) {
    h.desk
        .db()
        .write(|tx| {
            Ok(tx.execute(
                "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at)
                 SELECT id, ?2, ?3, 0, 0 FROM accounts WHERE email = ?1",
                tenant_desk_core::params![email, tenant_id, role],
            )?)
        })
        .unwrap();
}

#[test]
fn anyone_creates_up_to_three_owned_organizations_and_becomes_their_tenant_admin() {
    let h = Harness::new();
    h.set_up(true);
    let viewer_email = member_email(Role::TenantViewer);
    let viewer = h.actor_of(viewer_email);
    let list = h.desk.organizations(&viewer).unwrap();
    assert_eq!((list.owned, list.max_owned), (0, 3));
    assert_eq!(list.organizations.len(), 1);
    assert_eq!(list.organizations[0].role, Role::TenantViewer);
    assert!(list.organizations[0].current && !list.organizations[0].owned);
    assert!(!list.can_edit_current, "a viewer gets no pencil");

    let e = h.desk.create_organization(&viewer, &NewOrganization::default()).unwrap_err();
    assert!(e.fields.contains_key("name") && e.fields.contains_key("billing_email") && e.fields.contains_key("timezone"));
    for name in ["Élodie One", "Élodie Two", "Élodie Three"] {
        let row = h.desk.create_organization(&viewer, &organization(name)).unwrap();
        assert_eq!(row.name, name);
        assert_eq!(row.timezone, "Europe/Paris");
    }
    let e = h.desk.create_organization(&viewer, &organization("Élodie Four")).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed);
    assert_eq!(e.message, "You already own 3 organizations, the most one account may own.");

    let list = h.desk.organizations(&viewer).unwrap();
    assert_eq!(list.owned, 3);
    assert_eq!(list.organizations.len(), 4);
    let owned: Vec<_> = list.organizations.iter().filter(|o| o.owned).collect();
    assert_eq!(owned.len(), 3);
    assert!(owned.iter().all(|o| o.role == Role::TenantAdmin));
    assert_eq!(h.audit("tenant.create").len(), 3);

    // Membership beyond three is fine: the limit is on owning.
    let platform_admin = h.actor_of(ADMIN_EMAIL);
    let extra = h.desk.add_tenant(&platform_admin, &valid_tenant("Someone else's")).unwrap();
    add_membership(&h, viewer_email, extra.id, Role::TenantUser);
    let list = h.desk.organizations(&viewer).unwrap();
    assert_eq!((list.organizations.len(), list.owned), (5, 3));
}

#[test]
fn parallel_creations_cannot_pass_the_limit() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    h.desk.create_organization(&admin, &organization("Second")).unwrap();
    // Two windows on the same database, each on its own connection, create the third at once.
    let other = Arc::new(h.reopen());
    let outcomes: Vec<bool> = std::thread::scope(|s| {
        let a = s.spawn(|| h.desk.create_organization(&admin, &organization("Third A")).is_ok());
        let b = s.spawn(|| other.create_organization(&admin, &organization("Third B")).is_ok());
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{outcomes:?}");
    assert_eq!(h.desk.organizations(&admin).unwrap().owned, 3);
}

#[test]
fn switching_moves_menu_role_and_data_and_the_next_sign_in_opens_there() {
    let h = Harness::new();
    h.set_up(true);
    let email = member_email(Role::TenantViewer);
    let viewer = h.actor_of(email);
    let own = h.desk.create_organization(&viewer, &organization("Élodie's Shop")).unwrap();
    let (token, before) = h.session_of(email);
    assert_eq!(before.role(), Some(Role::TenantViewer));
    assert!(!h.desk.signed_in(&token).unwrap().menu.sections.contains(&Section::Identity));

    let view = h.desk.switch_organization(&token, own.id).unwrap();
    assert_eq!(view.role, Some(Role::TenantAdmin));
    assert_eq!(view.tenant.as_ref().map(|t| t.name.as_str()), Some("Élodie's Shop"));
    assert!(view.menu.sections.contains(&Section::Identity));
    let actor = h.desk.actor(&token).unwrap();
    assert_eq!(tenant_id(&actor), own.id);
    assert_eq!(h.desk.organization(&actor).unwrap().unwrap().tenant.name, "Élodie's Shop");
    assert!(h.desk.organizations(&actor).unwrap().can_edit_current, "the pencil for its Tenant Admin");

    // The next sign-in opens in the organization chosen last.
    let (_, next) = sign_in(&h.desk, email, PASSWORD).unwrap();
    assert_eq!(next.tenant.map(|t| t.id), Some(own.id));

    // Only tenants one belongs to.
    let platform_admin = h.actor_of(ADMIN_EMAIL);
    let foreign = h.desk.add_tenant(&platform_admin, &valid_tenant("Not hers")).unwrap();
    let e = h.desk.switch_organization(&token, foreign.id).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed);
    assert_eq!(tenant_id(&h.desk.actor(&token).unwrap()), own.id);
}
