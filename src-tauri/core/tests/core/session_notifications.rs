//! Operators' notifications for their sessions, observed on the Recorder:
//! the exact words, who gets them and when, and burst folding.

use chrono::{Duration, TimeZone, Utc};
use tenant_desk_core::clock::Clock;
use tenant_desk_core::authz::{Caller, Role};
use tenant_desk_core::notifications::{Category, Notice};
use tenant_desk_core::sessions::{Author, NewMessage};

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
        self.h.desk.append_session_message(&self.admin, id, NewMessage { author: Author::Customer, text: text.into() }).unwrap();
    }
}

#[test]
fn the_operator_hears_of_assignments_and_customer_messages_in_the_portal_words() {
    let d = desk();
    let mut seen = d.h.notifier.shown().len();
    let id = session_of(&d.h.desk, &d.admin, None);
    assert_eq!(d.shown(&mut seen), vec![], "nobody handles it yet");
    d.h.desk.assign_session(&d.admin, id, Some(d.priya.account_id)).unwrap();
    assert_eq!(d.shown(&mut seen), vec![("You have new session assigned.".into(), "Jane Customer · web".into())]);
    assert_eq!(d.h.notifier.shown().last().unwrap().conversation_id, Some(id));

    d.customer_writes(id, "Is it shipped yet?");
    assert_eq!(d.shown(&mut seen), vec![("New message: Is it shipped yet?".into(), "Jane Customer · web".into())]);
    // Her own replies and the AI agent's are not news to her.
    d.h.desk
        .append_session_message(&(&d.priya).into(), id, NewMessage { author: Author::Operator, text: "Yes.".into() })
        .unwrap();
    d.h.desk.append_session_message(&d.admin, id, NewMessage { author: Author::AiAgent, text: "Bot".into() }).unwrap();
    assert_eq!(d.shown(&mut seen), vec![]);

    // A conversation created already assigned to her.
    session_of(&d.h.desk, &d.admin, Some(d.priya.account_id));
    assert_eq!(d.shown(&mut seen).len(), 1);
    // Accepting one herself tells her nothing.
    let waiting = session_of(&d.h.desk, &d.admin, None);
    d.h.desk.accept_session(&d.priya, waiting).unwrap();
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
    assert_eq!(d.h.desk.session(&d.admin, mine).unwrap().messages.last().unwrap().text, "After hours");

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
    let summaries: Vec<String> = d.shown(&mut seen).into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        summaries,
        vec!["New message: Message 1", "New message: Message 2", "New message: Message 3", "New messages in one of your sessions"]
    );
    // A minute later single messages are shown again.
    d.h.clock.advance(Duration::minutes(1));
    d.customer_writes(id, "Calm again");
    assert_eq!(d.shown(&mut seen), vec![("New message: Calm again".into(), "Jane Customer · web".into())]);
}
