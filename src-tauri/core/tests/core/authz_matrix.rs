//! Every operation, run for real by every role, against the spec's table.

use tenant_desk_core::audit::AuditQuery;
use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::authz::{is_allowed, Actor, Operation, Role};
use tenant_desk_core::users::{UserChanges, UserQuery};
use tenant_desk_core::{Desk, ErrorCode};

use crate::support::*;

/// The expected answer, written out from PRODUCT.md "Sections and who sees them".
fn expected(role: Role, op: Operation) -> bool {
    match (op, role) {
        (Operation::ViewOwnProfile, _) => true,
        (Operation::UpdateOwnName, Role::TenantViewer) => false,
        (Operation::UpdateOwnName, _) => true,
        // Settings > Identity: Tenant Admin only (these members are not platform administrators).
        (
            Operation::ListUsers
            | Operation::CreateUser
            | Operation::UpdateUser
            | Operation::DeleteUser
            | Operation::ResetUserPassword
            | Operation::ViewAuditLog,
            role,
        ) => role == Role::TenantAdmin,
    }
}

/// Runs the operation for real. Operations on a user get a fresh target,
/// made by the platform administrator, so every role acts on a live user.
fn run(h: &Harness, platform_admin: &Actor, actor: &Actor, op: Operation, role: Role) -> Result<(), ErrorCode> {
    let desk: &Desk = &h.desk;
    let target = || new_user(desk, platform_admin, &format!("target-{op:?}-{role:?}@example.com"), Role::TenantUser).id;
    match op {
        Operation::ViewOwnProfile => desk.profile(actor).map(drop),
        Operation::UpdateOwnName => desk.update_own_name(actor, "Renamed Person").map(drop),
        Operation::ListUsers => desk.list_users(actor, &UserQuery::search("")).map(drop),
        Operation::CreateUser => desk
            .create_user(actor, new_user_input(&format!("made-by-{role:?}@example.com"), Role::TenantUser, tenant_id(platform_admin)))
            .map(drop),
        Operation::UpdateUser => desk
            .update_user(
                actor,
                target(),
                UserChanges { name: "Changed Name".into(), role: Role::TenantViewer, tenant_id: tenant_id(platform_admin), schedule: None },
            )
            .map(drop),
        Operation::DeleteUser => desk.delete_user(actor, target()),
        Operation::ResetUserPassword => desk.reset_user_password(actor, target()).map(drop),
        Operation::ViewAuditLog => desk.audit_log(actor, &AuditQuery::default()).map(drop),
    }
    .map_err(|e| e.code)
}

#[test]
fn every_operation_for_every_role() {
    let h = Harness::new();
    let (grace, _) = h.set_up(true);
    let platform_admin = h.desk.actor(&grace).unwrap();
    for role in Role::ALL {
        let (token, view) = h
            .desk
            .sign_in(SignInInput { email: member_email(role).into(), password: PASSWORD.into(), remember: false })
            .unwrap();
        assert_eq!(view.role, Some(role));
        let actor = h.desk.actor(&token).unwrap();
        for op in Operation::ALL {
            let want = expected(role, op);
            assert_eq!(is_allowed(&actor, op), want, "policy table: {role:?} {op:?}");
            match run(&h, &platform_admin, &actor, op, role) {
                Ok(()) => assert!(want, "{role:?} was allowed {op:?}"),
                Err(code) => {
                    assert!(!want, "{role:?} was refused {op:?}: {code:?}");
                    assert_eq!(code, ErrorCode::NotAllowed);
                }
            }
        }
    }
}
