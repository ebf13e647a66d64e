//! The command line's authority: the data folder's owner resets passwords
//! and MFA, restores the platform flag, names tenants and lists users, each
//! change audited as the local administrator.

use tenant_desk_core::authz::{LocalAdministrator, Role};
use tenant_desk_core::users::UserFilter;
use tenant_desk_core::ErrorCode;

use crate::support::*;

#[test]
fn the_local_administrator_resets_a_password_and_restores_the_platform_flag() {
    let h = Harness::new();
    h.set_up(true);
    let local = LocalAdministrator::of_folder(h.dir.path()).unwrap();
    let temporary = h.desk.reset_password_locally(&local, "  GRACE@example.com ").unwrap();
    assert_eq!(temporary.email, ADMIN_EMAIL);
    assert_eq!(sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap_err().code, ErrorCode::WrongCredentials);
    assert!(sign_in(&h.desk, ADMIN_EMAIL, &temporary.password).unwrap().1.must_change_password);
    assert_eq!(h.desk.reset_password_locally(&local, "nobody@example.com").unwrap_err().code, ErrorCode::NotFound);

    let viewer = member_email(Role::TenantViewer);
    assert_eq!(h.desk.grant_platform_locally(&local, viewer).unwrap(), (viewer.to_owned(), false));
    assert_eq!(h.desk.grant_platform_locally(&local, viewer).unwrap(), (viewer.to_owned(), true), "granted once");
    assert!(h.actor_of(viewer).is_platform_admin);
    assert_eq!(h.audit("account.platform_admin_grant").len(), 1);
}

#[test]
fn the_local_administrator_names_tenants_and_lists_users_across_them() {
    let h = Harness::new();
    h.set_up(true);
    let local = LocalAdministrator::of_folder(h.dir.path()).unwrap();
    let admin = h.actor_of(ADMIN_EMAIL);
    let (id, name) = h.desk.tenant_named(&local, &setup_input(true).tenant_name.to_uppercase()).unwrap();
    assert_eq!((id, name), (tenant_id(&admin), setup_input(true).tenant_name));
    assert_eq!(h.desk.tenant_named(&local, &id.to_string()).unwrap().0, id);
    assert_eq!(h.desk.tenant_named(&local, "No such tenant").unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(h.desk.snapshot_named(&local, &id.to_string()).unwrap_err().code, ErrorCode::NotFound, "a tenant is no snapshot");

    let operators = h.desk.all_users(&local, &UserFilter { role: Some(Role::TenantOperator), ..UserFilter::default() }).unwrap();
    assert!(!operators.is_empty() && operators.iter().all(|u| u.role == Role::TenantOperator));
    let found = h.desk.all_users(&local, &UserFilter { search: "ÉLODIE".into(), ..UserFilter::default() }).unwrap();
    assert_eq!(found.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(), [member_email(Role::TenantViewer)]);
    let platform = h.desk.all_users(&local, &UserFilter { platform_admins_only: true, ..UserFilter::default() }).unwrap();
    assert_eq!(platform.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(), [ADMIN_EMAIL]);
    assert!(h.desk.all_snapshots(&local).unwrap().is_empty());
}


#[test]
fn the_local_administrator_turns_off_mfa_for_a_lost_phone() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    h.enable_mfa(&admin);
    let local = LocalAdministrator::of_folder(h.dir.path()).unwrap();
    assert_eq!(h.desk.reset_mfa_locally(&local, ADMIN_EMAIL).unwrap(), ADMIN_EMAIL);
    let (_, signed_in) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    assert!(!signed_in.second_factor_required, "the password alone signs in again");
    let refused = h.desk.reset_mfa_locally(&local, ADMIN_EMAIL).unwrap_err();
    assert!(refused.message.contains("MFA is not on"), "{refused:?}");
    let entries = h.audit("account.mfa_reset");
    assert_eq!(entries.len(), 1);
    assert!(entries[0].1.as_deref().is_some_and(|a| a.contains("os_user")));
}

#[test]
fn only_the_folders_owner_is_its_local_administrator() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    assert!(LocalAdministrator::of_folder(dir.path()).is_ok(), "the owner is");
    let me = std::fs::metadata(dir.path()).unwrap().uid();
    if me == 0 {
        // Root is sent to the owner: what it wrote there would be root's.
        std::os::unix::fs::chown(dir.path(), Some(65534), None).unwrap();
        let refused = LocalAdministrator::of_folder(dir.path()).unwrap_err();
        assert_eq!(refused.code, ErrorCode::NotAllowed);
        assert!(refused.message.contains("sudo -u '#65534'"), "{}", refused.message);
    } else {
        let refused = LocalAdministrator::of_folder(std::path::Path::new("/")).unwrap_err();
        assert!(refused.message.starts_with("Only the owner of the data folder /"), "{}", refused.message);
    }
}
