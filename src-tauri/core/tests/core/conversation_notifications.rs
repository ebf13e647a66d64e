//! Operators' notifications for their sessions, observed on the Recorder:
//! the exact words, who gets them and when, and burst folding.

use chrono::{Duration, TimeZone, Utc};
use tenant_desk_core::clock::Clock;
use tenant_desk_core::authz::{Caller, Role};
use tenant_desk_core::billing::Reminder;
use tenant_desk_core::notifications::{Category, Notice, PauseFor};
use tenant_desk_core::conversations::{Author, NewMessage};

use crate::support::*;

struct Desk {
    h: Harness,
    admin: Caller,
    priya: tenant_desk_core::authz::Actor,
    token: tenant_desk_core::auth::SessionToken,
}

/// Monday 2 March 2026, 10:00 in Berlin: Priya (weekdays 9–17) is on shift,
/// signed in, with notifications enabled.
fn desk() -> Desk {
    let h = Harness::new();
    h.set_up(true);
    h.clock.advance(Duration::days(1));
    let admin: Caller = (&h.actor_of(ADMIN_EMAIL)).into();
    let (token, _) = sign_in(&h.desk, member_email(Role::TenantOperator), PASSWORD).unwrap();
    let priya = h.desk.actor(&token).unwrap();
    h.desk.enable_notifications(&priya).unwrap();
    Desk { h, admin, priya, token }
}

impl Desk {
    /// Notices shown since the last call (the consent's own test notice aside).
    fn shown(&self, since: &mut usize) -> Vec<(String, String)> {
        let all = self.h.notifier.shown();
        let new = all[*since..].iter().map(|n: &Notice| (n.summary.clone(), n.body.clone())).collect();
        *since = all.len();
        new
    }

    fn customer_writes(&self, id: i64, text: &str) {
        self.h.desk.append_message(&self.admin, id, NewMessage { author: Author::Customer, text: text.into() }).unwrap();
    }
}

#[test]
fn the_operator_hears_of_assignments_and_customer_messages_in_the_portal_words() {
    let d = desk();
    let mut seen = d.h.notifier.shown().len();
    let id = session_of(&d.h.desk, &d.admin, None);
    assert_eq!(d.shown(&mut seen), vec![], "nobody handles it yet");
    d.h.desk.assign_conversation(&d.admin, id, Some(d.priya.account_id)).unwrap();
    assert_eq!(d.shown(&mut seen), vec![("You have new session assigned.".into(), "Jane Customer · web".into())]);
    assert_eq!(d.h.notifier.shown().last().unwrap().conversation_id, Some(id));

    d.customer_writes(id, "Is it shipped yet?");
    assert_eq!(d.shown(&mut seen), vec![("Jane Customer · web".into(), "New message: Is it shipped yet?".into())]);
    // Her own replies and the AI agent's are not news to her.
    d.h.desk
        .append_message(&(&d.priya).into(), id, NewMessage { author: Author::Operator, text: "Yes.".into() })
        .unwrap();
    d.h.desk.append_message(&d.admin, id, NewMessage { author: Author::AiAgent, text: "Bot".into() }).unwrap();
    assert_eq!(d.shown(&mut seen), vec![]);

    // A conversation created already assigned to her.
    session_of(&d.h.desk, &d.admin, Some(d.priya.account_id));
    assert_eq!(d.shown(&mut seen).len(), 1);
    // Accepting one herself tells her nothing.
    let waiting = session_of(&d.h.desk, &d.admin, None);
    d.h.desk.accept_conversation(&d.priya, waiting).unwrap();
    assert_eq!(d.shown(&mut seen), vec![]);
}

#[test]
fn nothing_for_other_operators_conversations_off_shift_category_off_or_signed_out() {
    let d = desk();
    let mut seen = d.h.notifier.shown().len();
    let kenji = d.h.actor_of("kenji.watanabe@demo.tenant-desk.example");
    let theirs = session_of(&d.h.desk, &d.admin, Some(kenji.account_id));
    d.customer_writes(theirs, "Hello Kenji");
    let waiting = session_of(&d.h.desk, &d.admin, None);
    d.customer_writes(waiting, "Anyone?");
    assert_eq!(d.shown(&mut seen), vec![], "Kenji is off shift on Mondays; nothing reaches Priya");

    let mine = session_of(&d.h.desk, &d.admin, Some(d.priya.account_id));
    assert_eq!(d.shown(&mut seen).len(), 1);
    d.h.desk.set_notification_category(&d.priya, Category::NewMessage, false).unwrap();
    d.customer_writes(mine, "Category off");
    assert_eq!(d.shown(&mut seen), vec![]);
    d.h.desk.set_notification_category(&d.priya, Category::NewMessage, true).unwrap();

    // 18:00 in Berlin: off shift. The message is kept, without a notice.
    d.h.clock.advance(Duration::hours(8));
    d.customer_writes(mine, "After hours");
    assert_eq!(d.shown(&mut seen), vec![]);
    assert_eq!(d.h.desk.conversation(&d.admin, mine).unwrap().messages.last().unwrap().text, "After hours");

    // 9:00 in Berlin the next morning: on shift again; then signed out.
    d.h.clock.advance(Duration::hours(15));
    assert_eq!(d.h.clock.now(), Utc.with_ymd_and_hms(2026, 3, 3, 8, 0, 0).unwrap());
    d.customer_writes(mine, "Morning!");
    assert_eq!(d.shown(&mut seen).len(), 1);
    d.h.desk.sign_out(&d.token).unwrap();
    d.customer_writes(mine, "Signed out");
    assert_eq!(d.shown(&mut seen), vec![]);
}

#[test]
fn a_burst_folds_into_one_summary_per_minute() {
    let d = desk();
    let id = session_of(&d.h.desk, &d.admin, Some(d.priya.account_id));
    let mut seen = d.h.notifier.shown().len();
    for i in 1..=6 {
        d.customer_writes(id, &format!("Message {i}"));
        d.h.clock.advance(Duration::seconds(5));
    }
    let bodies: Vec<String> = d.shown(&mut seen).into_iter().map(|(_, body)| body).collect();
    assert_eq!(
        bodies,
        vec![
            "New message: Message 1",
            "New message: Message 2",
            "New message: Message 3",
            "More messages arrived; open the session to read them all."
        ]
    );
    // A minute later single messages are shown again.
    d.h.clock.advance(Duration::minutes(1));
    d.customer_writes(id, "Calm again");
    assert_eq!(d.shown(&mut seen), vec![("Jane Customer · web".into(), "New message: Calm again".into())]);
}

#[test]
fn whoever_handles_it_hears_of_it_whatever_their_role_and_may_accept_it() {
    let d = desk();
    let (_, ada) = d.h.session_of(member_email(Role::TenantAdmin));
    d.h.desk.enable_notifications(&ada).unwrap();
    let mut seen = d.h.notifier.shown().len();
    // 03:00 in Berlin: Ada has no schedule, so no shift limits her notices.
    d.h.clock.advance(Duration::hours(17));
    let id = session_of(&d.h.desk, &d.admin, Some(ada.account_id));
    assert_eq!(d.shown(&mut seen), vec![("You have new session assigned.".into(), "Jane Customer · web".into())]);
    let notice = d.h.notifier.shown().pop().unwrap();
    assert!(notice.offers_accept, "a new assignment offers Accept");
    d.customer_writes(id, "Hello?");
    assert_eq!(d.shown(&mut seen), vec![("Jane Customer · web".into(), "New message: Hello?".into())]);
    assert!(!d.h.notifier.shown().pop().unwrap().offers_accept);

    // Assigned by someone else, it is offered until she accepts it.
    assert!(!d.h.desk.conversation(&d.admin, id).unwrap().conversation.accepted);
    assert!(d.h.desk.accept_conversation(&ada, id).unwrap().accepted);
    assert!(d.h.desk.conversation(&d.admin, id).unwrap().conversation.accepted);
    // Reassigned to Priya: hers to accept now.
    d.h.desk.assign_conversation(&d.admin, id, Some(d.priya.account_id)).unwrap();
    assert!(!d.h.desk.conversation(&d.admin, id).unwrap().conversation.accepted);
    let refused = d.h.desk.accept_conversation(&ada, id).unwrap_err();
    assert_eq!(refused.message, "Another operator accepted this session first.");
}

#[test]
fn only_during_my_shift_is_on_by_default_for_a_scheduled_operator_and_can_be_turned_off() {
    let d = desk();
    let settings = d.h.desk.notification_settings(&d.priya).unwrap();
    assert!(settings.has_schedule && settings.only_during_shift);
    let mine = session_of(&d.h.desk, &d.admin, Some(d.priya.account_id));
    let mut seen = d.h.notifier.shown().len();
    // 18:00 in Berlin: off shift.
    d.h.clock.advance(Duration::hours(8));
    d.customer_writes(mine, "After hours");
    assert_eq!(d.shown(&mut seen), vec![]);
    let settings = d.h.desk.set_only_during_shift(&d.priya, false).unwrap();
    assert!(!settings.only_during_shift);
    d.customer_writes(mine, "Still there?");
    assert_eq!(d.shown(&mut seen), vec![("Jane Customer · web".into(), "New message: Still there?".into())]);
    // Someone without a schedule has no shift to keep to.
    let (_, ada) = d.h.session_of(member_email(Role::TenantAdmin));
    assert!(!d.h.desk.notification_settings(&ada).unwrap().has_schedule);
}

#[test]
fn a_pause_silences_everything_until_it_ends_or_is_lifted() {
    let d = desk();
    let mine = session_of(&d.h.desk, &d.admin, Some(d.priya.account_id));
    let mut seen = d.h.notifier.shown().len();
    let settings = d.h.desk.pause_notifications(&d.priya, PauseFor::OneHour).unwrap();
    assert_eq!(settings.paused_until.as_deref(), Some("2026-03-02T10:00:00.000Z"));
    d.customer_writes(mine, "During the pause");
    session_of(&d.h.desk, &d.admin, Some(d.priya.account_id));
    assert_eq!(d.shown(&mut seen), vec![], "neither messages nor assignments during a pause");
    d.h.clock.advance(Duration::minutes(61));
    assert_eq!(d.h.desk.notification_settings(&d.priya).unwrap().paused_until, None, "the pause is over");
    d.customer_writes(mine, "After the pause");
    assert_eq!(d.shown(&mut seen).len(), 1);

    // Until tomorrow: 08:00 the next day in her schedule's zone (Berlin, UTC+1 in March).
    let settings = d.h.desk.pause_notifications(&d.priya, PauseFor::UntilTomorrow).unwrap();
    assert_eq!(settings.paused_until.as_deref(), Some("2026-03-03T07:00:00.000Z"));
    d.customer_writes(mine, "Paused again");
    assert_eq!(d.shown(&mut seen), vec![]);
    d.h.desk.resume_notifications(&d.priya).unwrap();
    d.customer_writes(mine, "Resumed");
    assert_eq!(d.shown(&mut seen), vec![("Jane Customer · web".into(), "New message: Resumed".into())]);
}

#[test]
fn billing_reminders_reach_only_signed_in_admins_of_their_tenant_and_wait_for_one() {
    let h = Harness::new();
    h.set_up(true);
    let grace = h.actor_of(ADMIN_EMAIL);
    h.desk.start_trial(&grace).unwrap();
    let tenant = grace.tenant.as_ref().unwrap().tenant_id;
    // The app restarts a minute later with only Priya (an operator) signed in.
    h.clock.advance(Duration::minutes(1));
    let desk = h.reopen();
    let (priya_token, _) = sign_in(&desk, member_email(Role::TenantOperator), PASSWORD).unwrap();
    desk.enable_notifications(&desk.actor(&priya_token).unwrap()).unwrap();
    let before = h.notifier.shown().len();
    h.clock.advance(Duration::days(8));
    let sent = desk.check_billing_reminders(tenant).unwrap().unwrap();
    assert_eq!((sent.reminder, sent.shown_to.len()), (Reminder::Days7, 0));
    // Days pass: the later reminder supersedes the one nobody saw.
    h.clock.advance(Duration::days(7));
    assert_eq!(desk.check_billing_reminders(tenant).unwrap().unwrap().reminder, Reminder::Ended);
    assert_eq!(h.notifier.shown().len(), before, "an operator is never shown billing reminders");

    // Ada, a Tenant Admin, signs in: she gets the latest, once.
    let (ada_token, _) = sign_in(&desk, member_email(Role::TenantAdmin), PASSWORD).unwrap();
    let ada = desk.actor(&ada_token).unwrap();
    desk.enable_notifications(&ada).unwrap();
    let sent = desk.deliver_waiting_billing_reminders(ada.account_id).unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].shown_to, vec![ada.account_id]);
    assert_eq!(h.notifier.shown().last().unwrap().summary, "Your trial has ended");
    assert!(desk.deliver_waiting_billing_reminders(ada.account_id).unwrap().is_empty());
    assert!(desk.check_all_billing_reminders().unwrap().is_empty(), "never repeated");
}
