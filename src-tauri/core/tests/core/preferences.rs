use tenant_desk_core::authz::Role;
use tenant_desk_core::menu::Section;
use tenant_desk_core::preferences::{Preferences, Theme};
use tenant_desk_core::ErrorCode;

use crate::support::*;

#[test]
fn defaults_are_toasts_on_system_theme_nothing_pinned_and_closing_keeps_running() {
    let h = Harness::new();
    h.set_up(true);
    for role in Role::ALL {
        let actor = h.actor_of(member_email(role));
        let p = h.desk.preferences(&actor).unwrap();
        assert_eq!(
            p,
            Preferences { show_toasts: true, theme: Theme::System, pinned: None, keep_running_when_closed: true },
            "{role:?}"
        );
    }
}

#[test]
fn changes_are_saved_per_account_and_survive_a_restart() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let user = h.actor_of(member_email(Role::TenantUser));
    h.desk.set_theme(&admin, Theme::Dark).unwrap();
    h.desk.set_show_toasts(&admin, false).unwrap();
    h.desk.pin_home_page(&admin, Section::Profile).unwrap();
    let saved = h.desk.set_keep_running_when_closed(&admin, false).unwrap();
    assert_eq!(
        saved,
        Preferences {
            show_toasts: false,
            theme: Theme::Dark,
            pinned: Some(Section::Profile),
            keep_running_when_closed: false
        }
    );
    assert_eq!(h.desk.preferences(&user).unwrap(), Preferences::default(), "another account keeps its own");

    let reopened = h.reopen();
    assert_eq!(reopened.preferences(&admin).unwrap(), saved);
    let light = reopened.set_theme(&admin, Theme::Light).unwrap();
    assert_eq!(light, Preferences { theme: Theme::Light, ..saved }, "one change leaves the others");
}

#[test]
fn viewers_edit_their_own_preferences() {
    let h = Harness::new();
    h.set_up(true);
    let viewer = h.actor_of(member_email(Role::TenantViewer));
    assert_eq!(h.desk.set_theme(&viewer, Theme::Dark).unwrap().theme, Theme::Dark);
    assert!(!h.desk.set_show_toasts(&viewer, false).unwrap().show_toasts);
}

#[test]
fn sign_in_lands_on_the_pinned_section_until_unpinned() {
    let h = Harness::new();
    h.set_up(false);
    let (_, first) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    assert_eq!(first.menu.landing, Section::Identity, "administrators land on Identity");
    let admin = h.actor_of(ADMIN_EMAIL);
    h.desk.pin_home_page(&admin, Section::Profile).unwrap();
    let (_, pinned) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    assert_eq!(pinned.menu.landing, Section::Profile);
    assert!(h.desk.unpin_home_page(&admin).unwrap().pinned.is_none());
    let (_, unpinned) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap();
    assert_eq!(unpinned.menu.landing, Section::Identity);
}

#[test]
fn only_a_section_of_ones_menu_can_be_pinned() {
    let h = Harness::new();
    h.set_up(true);
    let user = h.actor_of(member_email(Role::TenantUser));
    let e = h.desk.pin_home_page(&user, Section::Identity).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.fields.contains_key("pinned"));
    assert_eq!(h.desk.preferences(&user).unwrap().pinned, None);
}

#[test]
fn a_pin_the_role_no_longer_sees_falls_back_to_the_default_landing() {
    let h = Harness::new();
    h.set_up(true);
    let platform_admin = h.actor_of(ADMIN_EMAIL);
    let ada = h.actor_of(member_email(Role::TenantAdmin));
    h.desk.pin_home_page(&ada, Section::Identity).unwrap();
    let (_, view) = sign_in(&h.desk, member_email(Role::TenantAdmin), PASSWORD).unwrap();
    assert_eq!(view.menu.landing, Section::Identity);

    let ada_id = h
        .desk
        .list_users(&platform_admin, &tenant_desk_core::users::UserQuery::search("ada.lovelace"))
        .unwrap()
        .rows[0]
        .id;
    h.desk
        .update_user(
            &platform_admin,
            ada_id,
            tenant_desk_core::users::UserChanges {
                name: "Ada Lovelace".into(),
                role: Role::TenantViewer,
                tenant_id: tenant_id(&platform_admin),
                schedule: None,
            },
        )
        .unwrap();
    let (_, demoted) = sign_in(&h.desk, member_email(Role::TenantAdmin), PASSWORD).unwrap();
    assert_eq!(demoted.menu.landing, Section::Profile);
}

#[test]
fn every_role_sees_settings_notifications_and_can_pin_it() {
    let h = Harness::new();
    h.set_up(true);
    for role in Role::ALL {
        let (_, view) = sign_in(&h.desk, member_email(role), PASSWORD).unwrap();
        assert!(view.menu.sections.contains(&Section::Notifications), "{role:?}");
        let actor = h.actor_of(member_email(role));
        h.desk.pin_home_page(&actor, Section::Notifications).unwrap();
        let (_, pinned) = sign_in(&h.desk, member_email(role), PASSWORD).unwrap();
        // Operators always open on Sessions, their desk.
        let landing = if role == Role::TenantOperator { Section::Sessions } else { Section::Notifications };
        assert_eq!(pinned.menu.landing, landing, "{role:?}");
    }
}

#[test]
fn the_tray_notice_is_for_the_first_close_of_each_person_only() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let viewer = h.actor_of(member_email(Role::TenantViewer));
    assert!(h.desk.first_close_to_tray(&admin).unwrap());
    assert!(!h.desk.first_close_to_tray(&admin).unwrap());
    assert!(!h.reopen().first_close_to_tray(&admin).unwrap(), "also after a restart");
    assert!(h.desk.first_close_to_tray(&viewer).unwrap(), "each person is told once");
    // Telling leaves the preferences as they were.
    assert_eq!(h.desk.preferences(&admin).unwrap(), Preferences::default());
}
