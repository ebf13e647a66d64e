//! Consent and categories decide what reaches the desktop.

use std::sync::Arc;

use tenant_desk_core::authz::Role;
use tenant_desk_core::notifications::{Category, Consent, Notice, Recorder};
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn notice(text: &str) -> Notice {
    Notice { summary: "You have new session assigned.".into(), body: text.into(), conversation_id: Some(7), offers_accept: true }
}

#[test]
fn nothing_is_sent_before_the_person_decides() {
    let h = Harness::new();
    h.set_up(true);
    let operator = h.actor_of(member_email(Role::TenantOperator));
    let settings = h.desk.notification_settings(&operator).unwrap();
    assert_eq!(settings.consent, Consent::Undecided);
    assert!(settings.available);
    assert!(settings.categories.iter().all(|c| c.enabled), "every category starts on");
    assert_eq!(settings.categories.len(), Category::ALL.len());

    let shown = h.desk.notify(operator.account_id, Category::ConversationAssigned, &notice("first")).unwrap();
    assert!(!shown);
    assert!(h.notifier.shown().is_empty());
}

#[test]
fn enabling_shows_a_real_notice_then_senders_reach_the_desktop() {
    let h = Harness::new();
    h.set_up(true);
    let operator = h.actor_of(member_email(Role::TenantOperator));
    let settings = h.desk.enable_notifications(&operator).unwrap();
    assert_eq!(settings.consent, Consent::Enabled);
    assert_eq!(h.notifier.shown()[0].summary, "Notifications enabled");

    assert!(h.desk.notify(operator.account_id, Category::ConversationAssigned, &notice("to you")).unwrap());
    assert_eq!(h.notifier.shown().last().unwrap().body, "to you");
    // Saved in the store: a restart keeps the choice.
    assert_eq!(h.reopen().notification_settings(&operator).unwrap().consent, Consent::Enabled);
}

#[test]
fn a_category_turned_off_is_not_sent_and_others_are() {
    let h = Harness::new();
    h.set_up(true);
    let operator = h.actor_of(member_email(Role::TenantOperator));
    h.desk.enable_notifications(&operator).unwrap();
    let settings = h.desk.set_notification_category(&operator, Category::NewMessage, false).unwrap();
    let new_message = settings.categories.iter().find(|c| c.category == Category::NewMessage).unwrap();
    assert!(!new_message.enabled);
    assert_eq!(new_message.label, "New message in my sessions");

    let before = h.notifier.shown().len();
    assert!(!h.desk.notify(operator.account_id, Category::NewMessage, &notice("hello")).unwrap());
    assert!(h.desk.notify(operator.account_id, Category::ConversationAssigned, &notice("assigned")).unwrap());
    assert_eq!(h.notifier.shown().len(), before + 1);

    h.desk.set_notification_category(&operator, Category::NewMessage, true).unwrap();
    assert!(h.desk.notify(operator.account_id, Category::NewMessage, &notice("hello again")).unwrap());
}

#[test]
fn blocked_stops_everything_until_enabled_again() {
    let h = Harness::new();
    h.set_up(true);
    let viewer = h.actor_of(member_email(Role::TenantViewer));
    h.desk.enable_notifications(&viewer).unwrap();
    assert_eq!(h.desk.block_notifications(&viewer).unwrap().consent, Consent::Blocked);
    assert!(!h.desk.notify(viewer.account_id, Category::ProductNews, &notice("news")).unwrap());
    assert_eq!(h.desk.enable_notifications(&viewer).unwrap().consent, Consent::Enabled);
    assert!(h.desk.notify(viewer.account_id, Category::ProductNews, &notice("news")).unwrap());
}

#[test]
fn choices_belong_to_one_account() {
    let h = Harness::new();
    h.set_up(true);
    let operator = h.actor_of(member_email(Role::TenantOperator));
    let admin = h.actor_of(ADMIN_EMAIL);
    h.desk.enable_notifications(&operator).unwrap();
    assert_eq!(h.desk.notification_settings(&admin).unwrap().consent, Consent::Undecided);
    assert!(!h.desk.notify(admin.account_id, Category::BillingReminders, &notice("x")).unwrap());
}

#[test]
fn without_a_notification_service_enabling_is_refused_and_says_why() {
    let h = Harness::new();
    h.set_up(true);
    let desk = open_with(&h.dir, h.clock.clone(), h.secrets.clone(), Arc::new(Recorder::unavailable("no service")));
    let operator = h.actor_of(member_email(Role::TenantOperator));
    let settings = desk.notification_settings(&operator).unwrap();
    assert!(!settings.available);
    assert_eq!(settings.unavailable_reason.as_deref(), Some("no service"));
    let err = desk.enable_notifications(&operator).unwrap_err();
    assert_eq!(err.code, ErrorCode::Desktop);
    assert!(err.message.contains("unavailable on this desktop"));
    assert_eq!(desk.notification_settings(&operator).unwrap().consent, Consent::Undecided, "nothing changed");
}
