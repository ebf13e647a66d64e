//! Analytics: every chart against a brute-force count of generated
//! conversations (with Berlin's spring DST change inside the range), the
//! range presets, times kept by live writes, each role's scope, the demo data.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use tenant_desk_core::analytics::{nearest_rank, Analytics, AnalyticsRange, RangePreset};
use tenant_desk_core::authz::{Caller, Role};
use tenant_desk_core::billing::{window_count, WINDOW_MILLIS};
use tenant_desk_core::conversations::{Author, ImportedMessage, ImportedConversation, NewMessage, ConversationStatus};
use tenant_desk_core::ErrorCode;

use crate::support::*;

const KENJI: &str = "kenji.watanabe@demo.tenant-desk.example";
const CHANNELS: [&str; 3] = ["web", "email", "whatsapp"];

/// A small deterministic generator for test data.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn millis(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().timestamp_millis()
}

/// Conversations from 2026-03-15 to 2026-04-08 UTC, many around local
/// midnight, some with messages out of order, some lasting days.
fn generated(operators: &[Option<i64>]) -> Vec<ImportedConversation> {
    let mut dice = Lcg(42);
    let start = millis(2026, 3, 15, 0, 0);
    (0..700)
        .map(|_| {
            let created_at = if dice.below(4) == 0 {
                // Just around a local midnight (22:00–24:00 UTC is 23:00–02:00 in Berlin).
                start + i64::try_from(dice.below(24)).unwrap() * 86_400_000 + 22 * 3_600_000 + i64::try_from(dice.below(7_200_000)).unwrap()
            } else {
                start + i64::try_from(dice.below(24 * 86_400_000)).unwrap()
            };
            let mut messages = Vec::new();
            let mut at = created_at;
            for _ in 0..1 + dice.below(6) {
                let author = match dice.below(3) {
                    0 => Author::Customer,
                    1 => Author::Operator,
                    _ => Author::AiAgent,
                };
                messages.push(ImportedMessage { author, text: "Hello".into(), at });
                let longest = if dice.below(10) == 0 { 3 * 86_400_000 } else { 3_600_000 };
                at += i64::try_from(dice.below(longest)).unwrap();
            }
            if dice.below(5) == 0 {
                messages.reverse();
            }
            ImportedConversation {
                channel: CHANNELS[usize::try_from(dice.below(3)).unwrap()].into(),
                customer: "Customer".into(),
                operator_account_id: operators[usize::try_from(dice.below(operators.len() as u64)).unwrap()],
                status: if dice.below(3) == 0 { ConversationStatus::Open } else { ConversationStatus::Resolved },
                created_at,
                messages,
            }
        })
        .collect()
}

/// The charts computed the slow way, from the generated conversations alone.
struct Expected {
    by_channel: BTreeMap<String, Vec<i64>>,
    billable: Vec<i64>,
    first_response: Vec<Vec<i64>>,
    resolution: Vec<Vec<i64>>,
    open: Vec<i64>,
    resolved: Vec<i64>,
}

fn brute_force(conversations: &[ImportedConversation], days: &[NaiveDate], operator: Option<i64>) -> Expected {
    let n = days.len();
    let day_of = |at: i64| {
        let date = Berlin.timestamp_millis_opt(at).unwrap().date_naive();
        days.iter().position(|d| *d == date)
    };
    let mut e = Expected {
        by_channel: BTreeMap::new(),
        billable: vec![0; n],
        first_response: vec![Vec::new(); n],
        resolution: vec![Vec::new(); n],
        open: vec![0; n],
        resolved: vec![0; n],
    };
    for s in conversations.iter().filter(|s| operator.is_none() || s.operator_account_id == operator) {
        let last = s.messages.iter().map(|m| m.at).max().unwrap_or(s.created_at).max(s.created_at);
        for k in 0..window_count(s.created_at, last) {
            if let Some(d) = day_of(s.created_at + k * WINDOW_MILLIS) {
                e.billable[d] += 1;
            }
        }
        let Some(d) = day_of(s.created_at) else { continue };
        e.by_channel.entry(s.channel.clone()).or_insert_with(|| vec![0; n])[d] += 1;
        let first_customer = s.messages.iter().filter(|m| m.author == Author::Customer).map(|m| m.at).min();
        if let Some(fc) = first_customer {
            let reply = s.messages.iter().filter(|m| m.author == Author::Operator && m.at >= fc).map(|m| m.at).min();
            if let Some(r) = reply {
                e.first_response[d].push((r - fc) / 1000);
            }
        }
        if s.status == ConversationStatus::Resolved {
            e.resolved[d] += 1;
            e.resolution[d].push((last - s.created_at) / 1000);
        } else {
            e.open[d] += 1;
        }
    }
    e
}

fn check(got: &Analytics, want: &mut Expected) {
    let channels: BTreeMap<String, Vec<i64>> =
        got.conversations_by_channel.iter().map(|c| (c.channel.clone(), c.counts.clone())).collect();
    assert_eq!(channels, want.by_channel);
    assert_eq!(got.billable_sessions, want.billable);
    assert_eq!(got.open, want.open);
    assert_eq!(got.resolved, want.resolved);
    for (i, day) in got.days.iter().enumerate() {
        for (series, values) in [(&got.first_response[i], &mut want.first_response[i]), (&got.resolution[i], &mut want.resolution[i])] {
            values.sort_unstable();
            assert_eq!(series.count, values.len() as i64, "{day}");
            assert_eq!(series.median_seconds, nearest_rank(values, 50), "{day}");
            assert_eq!(series.p90_seconds, nearest_rank(values, 90), "{day}");
        }
    }
    assert_eq!(got.totals.conversations, want.open.iter().sum::<i64>() + want.resolved.iter().sum::<i64>());
    assert_eq!(got.totals.billable_sessions, want.billable.iter().sum::<i64>());
}

#[test]
fn charts_equal_a_brute_force_count_across_a_dst_change() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let priya = account_id(&h.desk, member_email(Role::TenantOperator));
    let kenji = account_id(&h.desk, KENJI);
    let conversations = generated(&[None, Some(priya), Some(kenji), Some(admin.account_id)]);
    h.desk.import_conversations(&(&admin).into(), &conversations).unwrap();

    // Berlin springs forward on 29 March 2026: that day has 23 hours. The
    // 17 days are read in two parts, side by side, and added up.
    let range = AnalyticsRange::custom("2026-03-20", "2026-04-05");
    let days: Vec<NaiveDate> =
        NaiveDate::from_ymd_opt(2026, 3, 20).unwrap().iter_days().take_while(|d| *d <= NaiveDate::from_ymd_opt(2026, 4, 5).unwrap()).collect();

    let whole = h.desk.analytics(&admin, &range).unwrap();
    assert!(whole.whole_tenant);
    assert_eq!(whole.days.len(), 17);
    assert_eq!(whole.days[9], "2026-03-29");
    assert_eq!(whole.timezone, "Europe/Berlin");
    check(&whole, &mut brute_force(&conversations, &days, None));
    assert!(whole.totals.conversations > 300, "the range holds most of the data");

    let load = whole.operator_load.clone().unwrap();
    let priya_load = load.iter().find(|l| l.account_id == priya).unwrap();
    let own = h.desk.analytics(&h.actor_of(member_email(Role::TenantOperator)), &range).unwrap();
    assert!(!own.whole_tenant);
    assert!(own.operator_load.is_none(), "operators do not see the others' load");
    check(&own, &mut brute_force(&conversations, &days, Some(priya)));
    assert_eq!(priya_load.conversations, own.totals.conversations);
    assert_eq!(priya_load.resolved, own.totals.resolved);
    assert_eq!(priya_load.open, own.totals.open);
    assert!(own.totals.conversations < whole.totals.conversations);
}

#[test]
fn presets_are_local_days_of_the_tenant() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    // The clock reads 2026-03-01 09:00 UTC, 10:00 in Berlin.
    let range = |preset| {
        let a = h.desk.analytics(&admin, &AnalyticsRange::preset(preset)).unwrap();
        (a.from, a.to, a.days.len())
    };
    assert_eq!(range(RangePreset::Last7Days), ("2026-02-23".into(), "2026-03-01".into(), 7));
    assert_eq!(range(RangePreset::Last30Days), ("2026-01-31".into(), "2026-03-01".into(), 30));
    assert_eq!(range(RangePreset::ThisMonth), ("2026-03-01".into(), "2026-03-01".into(), 1));
    assert_eq!(range(RangePreset::LastMonth), ("2026-02-01".into(), "2026-02-28".into(), 28));

    let refused = |from: &str, to: &str| h.desk.analytics(&admin, &AnalyticsRange::custom(from, to)).unwrap_err();
    let backwards = refused("2026-03-10", "2026-03-01");
    assert_eq!(backwards.code, ErrorCode::Validation);
    assert_eq!(backwards.fields["to"], "The last day must not be before the first.");
    assert_eq!(refused("2025-01-01", "2026-01-02").fields["to"], "Choose at most 366 days.");
    assert_eq!(refused("1 March", "2026-03-01").fields["from"], "Enter a date like 2026-11-26.");
    assert_eq!(refused("", "").fields["from"], "Choose the first day.");
    assert_eq!(h.desk.analytics(&admin, &AnalyticsRange::custom("2025-01-01", "2026-01-01")).unwrap().days.len(), 366);
}

#[test]
fn live_writes_keep_first_response_and_resolution() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let caller: Caller = (&admin).into();
    let id = session_of(&h.desk, &caller, Some(admin.account_id));
    let write = |author, text: &str| {
        h.desk.append_message(&caller, id, NewMessage { author, text: text.into() }).unwrap();
    };
    h.clock.advance(Duration::seconds(20));
    write(Author::AiAgent, "An agent will join shortly.");
    h.clock.advance(Duration::seconds(280));
    write(Author::Operator, "Hello, let me check.");
    h.clock.advance(Duration::minutes(10));
    write(Author::Operator, "Done.");
    h.clock.advance(Duration::minutes(50));
    h.desk.resolve_conversation(&caller, id).unwrap();

    let today = AnalyticsRange::preset(RangePreset::Last7Days);
    let totals = h.desk.analytics(&admin, &today).unwrap().totals;
    // The AI agent's reply does not count as a response; the operator's at 5 minutes does.
    assert_eq!(totals.first_response.median_seconds, Some(300));
    assert_eq!(totals.resolution.median_seconds, Some(3900));
    assert_eq!((totals.open, totals.resolved), (0, 1));

    // The customer writes again: open again, no resolution time.
    write(Author::Customer, "One more question.");
    let totals = h.desk.analytics(&admin, &today).unwrap().totals;
    assert_eq!((totals.open, totals.resolved, totals.resolution.count), (1, 0, 0));
    assert_eq!(totals.first_response.median_seconds, Some(300));
}

#[test]
fn operators_see_their_own_work_and_users_and_viewers_nothing() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let caller: Caller = (&admin).into();
    let priya = account_id(&h.desk, member_email(Role::TenantOperator));
    session_of(&h.desk, &caller, Some(priya));
    session_of(&h.desk, &caller, Some(account_id(&h.desk, KENJI)));
    session_of(&h.desk, &caller, None);
    let range = AnalyticsRange::preset(RangePreset::Last7Days);
    assert_eq!(h.desk.analytics(&admin, &range).unwrap().totals.conversations, 3);
    let operator = h.actor_of(member_email(Role::TenantOperator));
    assert_eq!(h.desk.analytics(&operator, &range).unwrap().totals.conversations, 1);
    for role in [Role::TenantUser, Role::TenantViewer] {
        let refused = h.desk.analytics(&h.actor_of(member_email(role)), &range).unwrap_err();
        assert_eq!(refused.code, ErrorCode::NotAllowed, "{role:?}");
        assert_eq!(refused.message, "You are not allowed to do this with your role.");
    }

    // Demoted to Tenant User after signing in: refused at once.
    let changes = tenant_desk_core::users::UserChanges {
        name: "Priya Raman".into(),
        role: Role::TenantUser,
        tenant_id: tenant_id(&admin),
        schedule: None,
    };
    h.desk.update_user(&admin, priya, changes).unwrap();
    assert_eq!(h.desk.analytics(&operator, &range).unwrap_err().code, ErrorCode::NotAllowed);
}

#[test]
fn the_demo_tenant_has_90_days_of_conversations() {
    let h = Harness::new();
    h.set_up_with_demo_conversations();
    let admin = h.actor_of(ADMIN_EMAIL);
    let whole = h.desk.analytics(&admin, &AnalyticsRange::custom("2025-12-01", "2026-03-01")).unwrap();
    let stored: (i64, i64) = h
        .desk
        .db()
        .read(|tx| Ok(tx.query_row("SELECT count(*), sum(message_count) FROM conversations", [], |r| Ok((r.get(0)?, r.get(1)?)))?))
        .unwrap();
    assert!((450..800).contains(&stored.0) && stored.1 > 4 * stored.0, "a realistic spread, kept small: {stored:?}");
    let busy_days = whole.days.iter().enumerate().filter(|(i, _)| whole.open[*i] + whole.resolved[*i] > 0).count();
    assert!(busy_days >= 88, "conversations on {busy_days} days");
    assert!(whole.conversations_by_channel.len() >= 4);
    assert!(whole.totals.first_response.count > 300);
    assert!(whole.totals.resolution.count > 300);
    assert!(whole.totals.open > 0, "the last days still have open conversations");
    let load = whole.operator_load.unwrap();
    let busy: Vec<&str> = load.iter().filter(|l| l.conversations > 50).map(|l| l.name.as_str()).collect();
    assert!(busy.contains(&"Priya Raman") && busy.contains(&"Kenji Watanabe"), "{busy:?}");
    assert!(h.desk.conversations_waiting(&(&admin).into()).unwrap() > 0, "some wait for an operator");
    let priya = h.desk.analytics(&h.actor_of(member_email(Role::TenantOperator)), &AnalyticsRange::custom("2025-12-01", "2026-03-01")).unwrap();
    assert!(priya.totals.conversations > 100 && priya.totals.conversations < whole.totals.conversations);
}
