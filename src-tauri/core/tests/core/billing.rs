//! Billing: billable sessions, periods, the trial and its reminders, payment
//! methods, credits. Time comes from the harness's ManualClock (which starts
//! on 2026-03-01 09:00 UTC; the tenant is in Europe/Berlin).

use chrono::{Duration, TimeZone, Utc};
use tenant_desk_core::authz::{Actor, Caller};
use tenant_desk_core::billing::{
    current_period, period_days, window_count, CardState, CreditKind, CreditQuery, NewPaymentMethod, Period, PlanChoice,
};
use tenant_desk_core::conversations::{Author, ImportedMessage, ImportedConversation, NewMessage, ConversationStatus};
use tenant_desk_core::ErrorCode;

use crate::support::*;

const HOUR: i64 = 60 * 60 * 1000;
const SECOND: i64 = 1000;

fn ms(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap().timestamp_millis()
}

/// A conversation from `start` to `start + length`; the customer writes
/// first when `answered`, else only the AI agent does.
fn conversation(start: i64, length: i64, answered: bool) -> ImportedConversation {
    let author = if answered { Author::Customer } else { Author::AiAgent };
    ImportedConversation {
        channel: "web".into(),
        customer: "Jane Customer".into(),
        operator_account_id: None,
        status: ConversationStatus::Open,
        created_at: start,
        messages: vec![
            ImportedMessage { author, text: "Hello".into(), at: start },
            ImportedMessage { author: Author::AiAgent, text: "How can I help?".into(), at: start + length },
        ],
    }
}

fn admin(h: &Harness) -> Actor {
    h.set_up(true);
    h.actor_of(ADMIN_EMAIL)
}

fn sme(extra: bool) -> PlanChoice {
    PlanChoice { plan_key: "sme".into(), extra_sessions: extra, ..Default::default() }
}

fn used(h: &Harness, actor: &Actor) -> i64 {
    h.desk.billing(actor).unwrap().unwrap().usage.used
}

#[test]
fn each_started_24_hour_window_is_one_billable_session() {
    let cases = [(0, 1), (24 * HOUR - SECOND, 1), (24 * HOUR, 2), (36 * HOUR, 2), (72 * HOUR + SECOND, 4)];
    for (length, want) in cases {
        assert_eq!(window_count(0, length), want, "length {length} ms");
        let h = Harness::new();
        let actor = admin(&h);
        h.desk.change_plan(&actor, &sme(false)).unwrap();
        let start = h.desk_now() + HOUR;
        h.desk.import_conversations(&Caller::from(&actor), &[conversation(start, length, true)]).unwrap();
        h.clock.advance(Duration::days(5));
        assert_eq!(used(&h, &actor), want, "length {length} ms through an import");
    }
}

#[test]
fn answered_only_plans_skip_conversations_the_customer_never_replied_to() {
    let h = Harness::new();
    let actor = admin(&h);
    let start = h.desk_now() + HOUR;
    let caller = Caller::from(&actor);
    let custom = |answered_only| PlanChoice {
        plan_key: "individual".into(),
        custom_sessions: Some(100),
        custom_answered_only: answered_only,
        ..Default::default()
    };
    h.desk.change_plan(&actor, &custom(false)).unwrap();
    h.desk.import_conversations(&caller, &[conversation(start, 36 * HOUR, false), conversation(start, 0, true)]).unwrap();
    assert_eq!(used(&h, &actor), 3);
    h.desk.change_plan(&actor, &custom(true)).unwrap();
    let billing = h.desk.billing(&actor).unwrap().unwrap();
    assert!(billing.usage.answered_only);
    assert_eq!(billing.usage.used, 1);
}

#[test]
fn a_conversation_across_a_period_boundary_counts_its_windows_where_they_start() {
    let h = Harness::new();
    let actor = admin(&h);
    // SME from 2026-03-01 (Berlin): periods start on the 1st at local midnight.
    h.desk.change_plan(&actor, &sme(false)).unwrap();
    // 31 March 20:00 Berlin (18:00 UTC, summer time), 36 hours.
    let start = ms(2026, 3, 31, 18, 0);
    h.desk.import_conversations(&Caller::from(&actor), &[conversation(start, 36 * HOUR, true)]).unwrap();
    h.clock.advance(Duration::days(30));
    let march = h.desk.billing(&actor).unwrap().unwrap().usage;
    assert_eq!(march.period_end, "2026-03-31T22:00:00.000Z");
    assert_eq!(march.used, 1);
    h.clock.advance(Duration::days(2));
    let april = h.desk.billing(&actor).unwrap().unwrap().usage;
    assert_eq!(april.period_start, "2026-03-31T22:00:00.000Z");
    assert_eq!(april.used, 1);
    assert_eq!(april.days.iter().find(|d| d.date == "2026-04-01").unwrap().sessions, 1);
}

#[test]
fn days_follow_the_tenant_timezone_across_a_dst_change() {
    let zone: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let span = current_period(zone, &Period::Month, ms(2026, 3, 1, 9, 0), ms(2026, 3, 29, 12, 0));
    assert_eq!(span.start, ms(2026, 2, 28, 23, 0));
    assert_eq!(span.end, ms(2026, 3, 31, 22, 0));
    let days = period_days(zone, span);
    assert_eq!(days.len(), 31);
    let dst = days.iter().find(|(d, _)| d.to_string() == "2026-03-29").unwrap().1;
    assert_eq!(dst.end - dst.start, 23 * HOUR);

    // A conversation at 23:30 local on the short day counts on that day.
    let h = Harness::new();
    let actor = admin(&h);
    h.desk.change_plan(&actor, &sme(false)).unwrap();
    let late = ms(2026, 3, 29, 21, 30);
    h.desk.import_conversations(&Caller::from(&actor), &[conversation(late, 0, true)]).unwrap();
    h.clock.advance(Duration::days(29));
    let usage = h.desk.billing(&actor).unwrap().unwrap().usage;
    let on = |date: &str| usage.days.iter().find(|d| d.date == date).unwrap().sessions;
    assert_eq!((on("2026-03-29"), on("2026-03-30")), (1, 0));
}

#[test]
fn counting_as_messages_arrive_equals_counting_an_import_of_the_same_conversations() {
    let live = Harness::new();
    let imported = Harness::new();
    let a = admin(&live);
    let b = admin(&imported);
    for (h, actor) in [(&live, &a), (&imported, &b)] {
        h.desk.change_plan(actor, &sme(false)).unwrap();
    }
    let caller = Caller::from(&a);
    // (id, created, last activity, length in hours)
    let mut conversations = Vec::new();
    for hours in [5, 30, 49, 80] {
        let id = live.desk.create_conversation(&caller, new_conversation(None)).unwrap().conversation.id;
        conversations.push((id, live.desk_now(), live.desk_now(), hours));
        live.clock.advance(Duration::hours(1));
    }
    // Messages arrive hour by hour, each conversation until its own length.
    for step in 1..=80 {
        live.clock.advance(Duration::hours(1));
        for (id, _, last, hours) in conversations.iter_mut() {
            if step <= *hours && (step % 7 == 0 || step == *hours) {
                let text = NewMessage { author: Author::Customer, text: "Still there?".into() };
                live.desk.append_message(&caller, *id, text).unwrap();
                *last = live.desk_now();
            }
        }
    }
    let same: Vec<_> = conversations.iter().map(|(_, created, last, _)| conversation(*created, last - created, true)).collect();
    imported.desk.import_conversations(&Caller::from(&b), &same).unwrap();
    imported.clock.advance(Duration::milliseconds(live.desk_now() - imported.desk_now()));
    let live_usage = live.desk.billing(&a).unwrap().unwrap().usage;
    let imported_usage = imported.desk.billing(&b).unwrap().unwrap().usage;
    assert_eq!(live_usage.days, imported_usage.days);
    let want: i64 = same.iter().map(|c| window_count(c.created_at, c.messages[1].at)).sum();
    assert_eq!((live_usage.used, want), (1 + 2 + 3 + 4, 1 + 2 + 3 + 4));
}

#[test]
fn the_trial_runs_once_and_its_card_follows_days_and_sessions() {
    let h = Harness::new();
    let actor = admin(&h);
    let card = |h: &Harness| h.desk.billing(&actor).unwrap().unwrap().card;
    assert!(card(&h).trial_available);
    assert_eq!(card(&h).title, "Playground");
    h.desk.start_trial(&actor).unwrap();
    let c = card(&h);
    assert_eq!((c.state, c.title.as_str()), (CardState::Trial, "Trial subscription"));
    assert_eq!((c.sessions_left, c.days_left), (Some(50), Some(14)));
    assert!(!c.trial_available);
    assert_eq!(h.desk.start_trial(&actor).unwrap_err().code, ErrorCode::Conflict);

    h.clock.advance(Duration::days(12));
    let c = card(&h);
    assert_eq!((c.state, c.title.as_str(), c.days_left), (CardState::TrialEndingSoon, "Trial ending soon", Some(2)));
    h.clock.advance(Duration::days(2));
    let c = card(&h);
    assert_eq!((c.state, c.title.as_str(), c.days_left), (CardState::Expired, "Expired subscription", Some(0)));
    // Still refused after it ended, also after a restart.
    assert_eq!(h.reopen().start_trial(&actor).unwrap_err().code, ErrorCode::Conflict);
    // Choosing a plan ends the trial's card.
    h.desk.change_plan(&actor, &sme(false)).unwrap();
    assert_eq!(card(&h).state, CardState::Active);
}

#[test]
fn a_trial_expires_when_its_sessions_run_out() {
    let h = Harness::new();
    let actor = admin(&h);
    h.desk.start_trial(&actor).unwrap();
    let start = h.desk_now();
    let fifty: Vec<_> = (0..50).map(|i| conversation(start + i * SECOND, 0, true)).collect();
    h.desk.import_conversations(&Caller::from(&actor), &fifty).unwrap();
    let billing = h.desk.billing(&actor).unwrap().unwrap();
    assert_eq!((billing.card.state, billing.card.sessions_left), (CardState::Expired, Some(0)));
    assert_eq!((billing.usage.used, billing.usage.limit), (50, Some(50)));
}

#[test]
fn each_reminder_goes_to_tenant_admins_once_also_across_restarts() {
    let h = Harness::new();
    let actor = admin(&h);
    h.desk.enable_notifications(&actor).unwrap();
    let shown = |h: &Harness| h.notifier.shown().into_iter().skip(1).map(|n| n.summary).collect::<Vec<_>>();
    h.desk.start_trial(&actor).unwrap();
    let tenant = tenant_id(&actor);
    assert!(h.desk.check_billing_reminders(tenant).unwrap().is_none());
    let start = h.desk_now();
    let caller = Caller::from(&actor);
    let batch = |from: i64, n: i64| (0..n).map(|i| conversation(start + (from + i) * SECOND, 0, true)).collect::<Vec<_>>();
    h.desk.import_conversations(&caller, &batch(0, 30)).unwrap();
    let sent = h.desk.check_billing_reminders(tenant).unwrap().unwrap();
    assert_eq!(sent.shown_to, vec![actor.account_id]);
    assert_eq!(shown(&h), ["Your trial has used 60% of its sessions"]);
    assert!(h.desk.check_billing_reminders(tenant).unwrap().is_none());
    let banner = h.desk.billing(&actor).unwrap().unwrap().banner.unwrap();
    assert_eq!(banner.summary, "Your trial has used 60% of its sessions");

    h.desk.import_conversations(&caller, &batch(30, 15)).unwrap();
    // The app restarts a minute later: nobody is signed in on it yet, so the 90 % reminder waits.
    h.clock.advance(Duration::minutes(1));
    let reopened = h.reopen();
    let waiting = reopened.check_all_billing_reminders().unwrap();
    assert_eq!((waiting.len(), waiting[0].shown_to.len()), (1, 0));
    assert_eq!(shown(&h).len(), 1);
    // Grace signs in: she sees it then, and never again.
    sign_in(&reopened, ADMIN_EMAIL, PASSWORD).unwrap();
    assert_eq!(reopened.deliver_waiting_billing_reminders(actor.account_id).unwrap()[0].shown_to, vec![actor.account_id]);
    assert!(reopened.deliver_waiting_billing_reminders(actor.account_id).unwrap().is_empty());
    assert!(reopened.check_all_billing_reminders().unwrap().is_empty());
    for days in [7, 5, 2] {
        h.clock.advance(Duration::days(days));
        let restarted = h.reopen();
        sign_in(&restarted, ADMIN_EMAIL, PASSWORD).unwrap();
        assert_eq!(restarted.check_all_billing_reminders().unwrap().len(), 1);
    }
    assert!(h.reopen().check_all_billing_reminders().unwrap().is_empty());
    assert_eq!(
        shown(&h),
        [
            "Your trial has used 60% of its sessions",
            "Your trial has used 90% of its sessions",
            "7 days left in your trial",
            "2 days left in your trial",
            "Your trial has ended",
        ]
    );
}

#[test]
fn a_member_who_turned_billing_reminders_off_is_not_shown_them() {
    let h = Harness::new();
    let actor = admin(&h);
    h.desk.enable_notifications(&actor).unwrap();
    h.desk.set_notification_category(&actor, tenant_desk_core::notifications::Category::BillingReminders, false).unwrap();
    h.desk.start_trial(&actor).unwrap();
    h.clock.advance(Duration::days(15));
    let sent = h.desk.check_all_billing_reminders().unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].reminder, tenant_desk_core::billing::Reminder::Ended);
    assert!(sent[0].shown_to.is_empty());
    assert_eq!(h.notifier.shown().len(), 1, "only the enabling notice");
}

#[test]
fn sme_extra_sessions_cost_half_a_euro_each_over_600_projected_to_period_end() {
    let h = Harness::new();
    let actor = admin(&h);
    h.desk.change_plan(&actor, &sme(true)).unwrap();
    let start = h.desk_now();
    let sessions: Vec<_> = (0..650).map(|i| conversation(start + i * SECOND, 0, true)).collect();
    h.desk.import_conversations(&Caller::from(&actor), &sessions).unwrap();
    // Ten days into the 31-day March period.
    h.clock.advance(Duration::days(10));
    let usage = h.desk.billing(&actor).unwrap().unwrap().usage;
    let overage = usage.overage.unwrap();
    assert_eq!((overage.price_cents, overage.sessions_over, overage.cost_cents), (50, 50, 2500));
    assert!(overage.projected_sessions > 650);
    assert_eq!(overage.projected_cost_cents, (overage.projected_sessions - 600) * 50);
    // Without the add-on there is no overage line.
    h.desk.change_plan(&actor, &sme(false)).unwrap();
    assert!(h.desk.billing(&actor).unwrap().unwrap().usage.overage.is_none());
}

#[test]
fn a_full_card_number_is_refused_anywhere() {
    let h = Harness::new();
    let actor = admin(&h);
    let card = |brand: &str, last4: &str| NewPaymentMethod { brand: brand.into(), last4: last4.into(), exp_month: 4, exp_year: 2029 };
    for (brand, last4, field) in [("Visa", "4242 4242 4242 4242", "last4"), ("4242424242424242", "4242", "brand"), ("Visa", "424242", "last4")] {
        let e = h.desk.add_payment_method(&actor, &card(brand, last4)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert_eq!(e.fields[field], "Enter only the last 4 digits: a full card number is never stored.");
        assert!(!e.message.contains("4242 4242"));
    }
    let saved = h.desk.add_payment_method(&actor, &card("Visa", "4242")).unwrap();
    let methods = h.desk.billing(&actor).unwrap().unwrap().payment_methods;
    assert_eq!(methods, vec![saved]);
    assert!(h.audit("billing.payment_method_add")[0].1.as_deref().unwrap().contains("04/2029"));
}

#[test]
fn the_ledger_never_goes_negative_under_parallel_spends_and_adds() {
    let h = Harness::new();
    let actor = admin(&h);
    assert!(h.desk.billing(&actor).unwrap().unwrap().credits.is_none(), "hidden until on credits");
    assert_eq!(h.desk.add_credits(&actor, 5).unwrap_err().code, ErrorCode::Conflict);
    h.desk.change_plan(&actor, &credit_plan()).unwrap();
    h.desk.add_credits(&actor, 5).unwrap();
    let caller = Caller::from(&actor);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..5 {
                    h.desk.create_conversation(&caller, new_conversation(None)).unwrap();
                }
            });
        }
        s.spawn(|| {
            for _ in 0..3 {
                h.desk.add_credits(&actor, 1).unwrap();
            }
        });
    });
    let credits = h.desk.billing(&actor).unwrap().unwrap().credits.unwrap();
    // 20 sessions and 8 credits in all: every credit added before the last
    // session paid for one; whatever the order, nothing went below zero.
    let paid = 20 - credits.uncovered_sessions;
    assert!(paid >= 5, "the first 5 credits were there from the start: {paid}");
    assert_eq!(credits.balance, 8 - paid);
    let all = h.desk.credit_transactions(&actor, &CreditQuery::default()).unwrap().transactions;
    assert_eq!(all.iter().map(|t| t.amount).sum::<i64>(), credits.balance);
    assert!(all.iter().all(|t| t.balance_after >= 0));
    let spent = h.desk.credit_transactions(&actor, &CreditQuery { kind: Some(CreditKind::Spent), page: 0 }).unwrap();
    assert_eq!(spent.transactions.len() as i64, paid);
    let csv = h.desk.credit_transactions_csv(&actor, None).unwrap();
    assert_eq!(csv.lines().count() as i64, 1 + 4 + paid);
    assert!(csv.starts_with("at,kind,amount,balance_after,note\n"));
    assert_eq!(h.audit("credits.add").len(), 4);
    assert_eq!(h.desk.add_credits(&actor, 0).unwrap_err().fields["amount"], "Enter a whole number of credits from 1 to 1000000.");
}

#[test]
fn billing_is_read_only_for_every_role_but_tenant_admin() {
    let h = Harness::new();
    h.set_up(true);
    for role in tenant_desk_core::authz::Role::ALL {
        let actor = h.actor_of(member_email(role));
        let billing = h.desk.billing(&actor).unwrap().unwrap();
        assert_eq!(billing.can_manage, role == tenant_desk_core::authz::Role::TenantAdmin, "{role:?}");
    }
}
