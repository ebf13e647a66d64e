//! Every operation, run for real by every role (and a platform administrator),
//! against the spec's table.

use tenant_desk_core::authz::{is_allowed, Actor, Operation, Role};
use tenant_desk_core::{Desk, ErrorCode};

use crate::support::*;

#[derive(Debug, Clone, Copy)]
enum Who {
    Member(Role),
    /// The install's first account: platform administrator and Tenant Admin of its tenant.
    PlatformAdmin,
}

/// The expected answer, written out from PRODUCT.md "Sections and who sees them"
/// and the Identity document (Add tenant: platform administrators only).
fn expected(who: Who, op: Operation) -> bool {
    use Operation::*;
    use Role::*;
    match (op, who) {
        (ViewOwnProfile | ViewOwnOrganization, _) => true,
        (UpdateOwnName, Who::Member(TenantViewer)) => false,
        (UpdateOwnName, _) => true,
        (AddTenant, Who::PlatformAdmin) => true,
        (AddTenant, Who::Member(_)) => false,
        (
            UpdateOwnOrganization | ListTenants | UpdateTenant | CopyTenantApiKey | RotateTenantApiKey,
            Who::PlatformAdmin | Who::Member(TenantAdmin),
        ) => true,
        (UpdateOwnOrganization | ListTenants | UpdateTenant | CopyTenantApiKey | RotateTenantApiKey, _) => false,
    }
}

fn run(desk: &Desk, actor: &Actor, op: Operation) -> Result<(), ErrorCode> {
    let tenant_id = actor.tenant.as_ref().map(|t| t.tenant_id).unwrap_or_default();
    match op {
        Operation::ViewOwnProfile => desk.profile(actor).map(drop),
        Operation::UpdateOwnName => desk.update_own_name(actor, "Renamed Person").map(drop),
        Operation::ViewOwnOrganization => desk.organization(actor).map(drop),
        Operation::UpdateOwnOrganization => desk.update_own_organization(actor, &valid_organization("Acme")).map(drop),
        Operation::ListTenants => desk.list_tenants(actor, "").map(drop),
        Operation::UpdateTenant => desk.update_tenant(actor, tenant_id, &valid_tenant("Acme")).map(drop),
        Operation::AddTenant => desk.add_tenant(actor, &valid_tenant("Another tenant")).map(drop),
        Operation::CopyTenantApiKey => desk.tenant_api_key(actor, tenant_id).map(drop),
        Operation::RotateTenantApiKey => desk.rotate_tenant_api_key(actor, tenant_id),
    }
    .map_err(|e| e.code)
}

#[test]
fn every_operation_for_every_role() {
    let h = Harness::new();
    h.set_up(true);
    let people = Role::ALL.into_iter().map(Who::Member).chain([Who::PlatformAdmin]);
    for who in people {
        let email = match who {
            Who::Member(role) => member_email(role),
            Who::PlatformAdmin => ADMIN_EMAIL,
        };
        let actor = h.actor_of(email);
        if let Who::Member(role) = who {
            assert_eq!(actor.role(), Some(role));
            assert!(!actor.is_platform_admin);
        }
        for op in Operation::ALL {
            let want = expected(who, op);
            assert_eq!(is_allowed(&actor, op), want, "policy table: {who:?} {op:?}");
            match run(&h.desk, &actor, op) {
                Ok(()) => assert!(want, "{who:?} was allowed {op:?}"),
                Err(code) => {
                    assert!(!want, "{who:?} was refused {op:?}: {code:?}");
                    assert_eq!(code, ErrorCode::NotAllowed);
                }
            }
        }
    }
}
