//! Every operation, run for real by every role, against the spec's table.

use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::authz::{is_allowed, Actor, Operation, Role};
use tenant_desk_core::{Desk, ErrorCode};

use crate::support::*;

/// The expected answer, written out from PRODUCT.md "Sections and who sees them".
fn expected(role: Role, op: Operation) -> bool {
    match (op, role) {
        (Operation::ViewOwnProfile, _) => true,
        (Operation::UpdateOwnName, Role::TenantViewer) => false,
        (Operation::UpdateOwnName, _) => true,
    }
}

fn run(desk: &Desk, actor: &Actor, op: Operation) -> Result<(), ErrorCode> {
    match op {
        Operation::ViewOwnProfile => desk.profile(actor).map(drop),
        Operation::UpdateOwnName => desk.update_own_name(actor, "Renamed Person").map(drop),
    }
    .map_err(|e| e.code)
}

fn member_email(role: Role) -> &'static str {
    match role {
        Role::TenantAdmin => "ada.lovelace@demo.tenant-desk.example",
        Role::TenantUser => "tomas.munoz@demo.tenant-desk.example",
        Role::TenantViewer => "elodie.durand@demo.tenant-desk.example",
        Role::TenantOperator => "priya.raman@demo.tenant-desk.example",
    }
}

#[test]
fn every_operation_for_every_role() {
    let h = Harness::new();
    h.set_up(true);
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
            match run(&h.desk, &actor, op) {
                Ok(()) => assert!(want, "{role:?} was allowed {op:?}"),
                Err(code) => {
                    assert!(!want, "{role:?} was refused {op:?}: {code:?}");
                    assert_eq!(code, ErrorCode::NotAllowed);
                }
            }
        }
    }
}
