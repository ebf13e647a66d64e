//! Analytics at scale: 1,000,000 messages (100,000 conversations of 10
//! messages) spread over the last 90 days of one tenant, loaded through the
//! core's bulk path; then the charts of a 90-day and a 30-day range for a
//! Tenant Admin (whole tenant) and a Tenant Operator (own work), and a chart
//! data export of 90 days, timed 20 times each. Prints one JSON line.
//!
//!   scripts/bench-analytics.sh
//!   MESSAGES=200000 scripts/bench-analytics.sh

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use tenant_desk_core::analytics::{AnalyticsRange, RangePreset};
use tenant_desk_core::authz::{Actor, Caller};
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::notifications::Recorder;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::conversations::{Author, ImportedMessage, ImportedConversation, ConversationStatus};
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::{Desk, DeskConfig};

const REPEATS: usize = 20;
const PER_CONVERSATION: usize = 10;
const BATCH: usize = 1000;
const PASSWORD: &str = "violet marble canyon drifts";

fn summary(mut ms: Vec<f64>) -> serde_json::Value {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    serde_json::json!({ "p50_ms": (at(0.5) * 10.0).round() / 10.0, "p95_ms": (at(0.95) * 10.0).round() / 10.0 })
}

fn time(mut f: impl FnMut()) -> serde_json::Value {
    f();
    summary(
        (0..REPEATS)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

fn actor(desk: &Desk, email: &str) -> Actor {
    let (token, _) = desk
        .sign_in(tenant_desk_core::auth::SignInInput { email: email.into(), password: PASSWORD.into(), remember: false })
        .unwrap();
    desk.actor(&token).unwrap()
}

fn main() {
    let messages: usize = std::env::var("MESSAGES").ok().and_then(|m| m.parse().ok()).unwrap_or(1_000_000);
    let conversations = messages / PER_CONVERSATION;
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(DeskConfig {
        data_dir: dir.path().to_owned(),
        clock: Arc::new(SystemClock),
        secrets: Arc::new(MemoryStore::new()),
        notifier: Arc::new(Recorder::new()),
    })
    .unwrap();
    desk.complete_setup(SetupInput {
        tenant_name: "Bench".into(),
        timezone: "Europe/Berlin".into(),
        admin_name: "Bench Admin".into(),
        email: "bench@example.com".into(),
        password: PASSWORD.into(),
        load_demo: true,
        load_demo_conversations: false,
    })
    .unwrap();
    let admin = actor(&desk, "bench@example.com");
    let operator = actor(&desk, "priya.raman@demo.tenant-desk.example");
    let caller: Caller = (&admin).into();
    let handlers = [Some(operator.account_id), Some(admin.account_id), None];
    let channels = ["web", "email", "whatsapp", "messenger"];

    let now = chrono::Utc::now().timestamp_millis();
    let span = 90 * 86_400_000_i64;
    let started = Instant::now();
    let mut made = 0;
    while made < conversations {
        let batch: Vec<ImportedConversation> = (made..(made + BATCH).min(conversations))
            .map(|i| {
                let created_at = now - span + (i as i64 * span / conversations as i64);
                let messages = (0..PER_CONVERSATION)
                    .map(|m| ImportedMessage {
                        author: [Author::Customer, Author::AiAgent, Author::Operator][m % 3],
                        text: format!("Message {m} of conversation {i} about order {}", i * 7 % 10_000),
                        at: created_at + (m as i64) * (60_000 + (i as i64 % 17) * 30_000),
                    })
                    .collect();
                ImportedConversation {
                    channel: channels[i % channels.len()].into(),
                    customer: format!("Customer {}", i % 5000),
                    operator_account_id: handlers[i % handlers.len()],
                    status: if i % 5 == 0 { ConversationStatus::Open } else { ConversationStatus::Resolved },
                    created_at,
                    messages,
                }
            })
            .collect();
        made += batch.len();
        desk.import_conversations(&caller, &batch).unwrap();
    }
    let load_s = started.elapsed().as_secs_f64();

    let last_90 = AnalyticsRange::custom(
        &chrono::DateTime::from_timestamp_millis(now - span + 86_400_000).unwrap().format("%Y-%m-%d").to_string(),
        &chrono::DateTime::from_timestamp_millis(now).unwrap().format("%Y-%m-%d").to_string(),
    );
    let last_30 = AnalyticsRange::preset(RangePreset::Last30Days);
    let charts = desk.analytics(&admin, &last_90).unwrap();
    assert_eq!(charts.days.len(), 90);
    let result = serde_json::json!({
        "messages": messages,
        "conversations": conversations,
        "conversations_in_90_days": charts.totals.conversations,
        "load_s": (load_s * 10.0).round() / 10.0,
        "admin_90_days": time(|| { desk.analytics(&admin, &last_90).unwrap(); }),
        "admin_30_days": time(|| { desk.analytics(&admin, &last_30).unwrap(); }),
        "operator_90_days": time(|| { desk.analytics(&operator, &last_90).unwrap(); }),
        "export_90_days": time(|| {
            let export = desk.start_chart_export(&admin, &last_90).unwrap();
            desk.run_chart_export(export.id).unwrap();
        }),
    });
    println!("{result}");
}
