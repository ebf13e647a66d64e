//! Sessions at 1,000,000 messages in one tenant (a benchmark, not a test):
//! loads them through the core's bulk path (`Desk::import_conversations`) and,
//! into a second install, through the local HTTP API (`POST /api/v1/sessions`,
//! 100 messages each); then times the Sessions list, each filter and the
//! message search at that size, in the core and over HTTP. Prints one JSON line.
//!
//!   scripts/bench-conversations.sh       (MESSAGES=200000 for a smaller run)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};
use tenant_desk_core::authz::Caller;
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::notifications::Recorder;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::conversations::{Author, ImportedMessage, ImportedConversation, ConversationQuery, ConversationStatus};
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::{Desk, DeskConfig};

const PER_CONVERSATION: usize = 10;
const REPEATS: usize = 20;
const WORDS: [&str; 24] = [
    "order", "parcel", "refund", "invoice", "delivery", "address", "password", "account", "payment", "card",
    "tracking", "return", "exchange", "size", "colour", "discount", "coupon", "warehouse", "courier", "late",
    "damaged", "missing", "subscription", "cancel",
];
const CHANNELS: [&str; 4] = ["web", "whatsapp", "email", "messenger"];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

fn text(rng: &mut Lcg, i: usize) -> String {
    let mut words: Vec<&str> = (0..12).map(|_| WORDS[rng.next() % WORDS.len()]).collect();
    // One message in 100,000 carries a rare word.
    if i % 100_000 == 7 {
        words.push("zeppelin");
    }
    format!("Hello, {} please.", words.join(" "))
}

fn open(dir: &std::path::Path) -> (Arc<Desk>, Caller, Vec<i64>) {
    let desk = Desk::open(DeskConfig {
        data_dir: dir.to_owned(),
        clock: Arc::new(SystemClock),
        secrets: Arc::new(MemoryStore::new()),
        notifier: Arc::new(Recorder::new()),
    })
    .unwrap();
    let (token, _) = desk
        .complete_setup(SetupInput {
            tenant_name: "Bench".into(),
            timezone: "Europe/Berlin".into(),
            admin_name: "Bench Admin".into(),
            email: "bench@example.com".into(),
            password: "violet marble canyon drifts".into(),
            load_demo: true,
            load_demo_conversations: false,
        })
        .unwrap();
    let admin: Caller = (&desk.actor(&token).unwrap()).into();
    let operators = desk.conversation_filters(&admin).unwrap().operators.iter().map(|o| o.account_id).collect();
    (Arc::new(desk), admin, operators)
}

fn percentiles(mut samples: Vec<f64>) -> Value {
    samples.sort_by(f64::total_cmp);
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    json!({ "p50": (at(0.5) * 100.0).round() / 100.0, "p95": (at(0.95) * 100.0).round() / 100.0 })
}

fn time_ms(mut f: impl FnMut()) -> Vec<f64> {
    (0..REPEATS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

fn queries(operator: i64) -> Vec<(&'static str, ConversationQuery, String)> {
    let q = ConversationQuery { page_size: 50, ..ConversationQuery::default() };
    vec![
        ("list", q.clone(), String::new()),
        ("status_resolved", ConversationQuery { status: Some(ConversationStatus::Resolved), ..q.clone() }, "status=resolved".into()),
        ("channel", ConversationQuery { channel: "email".into(), ..q.clone() }, "channel=email".into()),
        ("operator", ConversationQuery { operator_account_id: Some(operator), ..q.clone() }, format!("operator_account_id={operator}")),
        ("unassigned", ConversationQuery { unassigned: true, ..q.clone() }, "unassigned=true".into()),
        ("date_range", ConversationQuery { from: "2025-01-01".into(), to: "2025-01-31".into(), ..q.clone() }, "from=2025-01-01&to=2025-01-31".into()),
        ("page_100", ConversationQuery { page: 100, ..q.clone() }, "page=100".into()),
        ("search_rare", ConversationQuery { text: "zeppelin".into(), ..q.clone() }, "text=zeppelin".into()),
        ("search_common", ConversationQuery { text: "refund".into(), ..q.clone() }, "text=refund".into()),
        ("search_two_words", ConversationQuery { text: "damaged courier".into(), ..q.clone() }, "text=damaged%20courier".into()),
    ]
}

fn main() {
    let messages: usize = std::env::var("MESSAGES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let conversations = messages / PER_CONVERSATION;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut out = serde_json::Map::new();
    out.insert("messages".into(), json!(messages));

    // 1. The core's bulk path, in batches of 1,000 conversations, made
    // before the clock starts: the floor times loading a file already written.
    let core_dir = tempfile::tempdir().unwrap();
    let (desk, admin, operators) = open(core_dir.path());
    let mut rng = Lcg(42);
    let start_ms: i64 = 1_735_689_600_000; // 2025-01-01
    let mut n = 0;
    let batches: Vec<Vec<ImportedConversation>> = (0..conversations.div_ceil(1000))
        .map(|batch| {
            (0..1000.min(conversations - batch * 1000))
                .map(|k| {
                    let c = batch * 1000 + k;
                    let created = start_ms + c as i64 * 300_000;
                    let messages = (0..PER_CONVERSATION)
                        .map(|m| {
                            n += 1;
                            ImportedMessage {
                                author: if m % 2 == 0 { Author::Customer } else { Author::AiAgent },
                                text: text(&mut rng, n),
                                at: created + m as i64 * 20_000,
                            }
                        })
                        .collect();
                    ImportedConversation {
                        channel: CHANNELS[c % CHANNELS.len()].into(),
                        customer: format!("Customer {c}"),
                        operator_account_id: (c % 5 != 0).then(|| operators[c % operators.len()]),
                        status: if c % 3 == 0 { ConversationStatus::Open } else { ConversationStatus::Resolved },
                        created_at: created,
                        messages,
                    }
                })
                .collect()
        })
        .collect();
    let t = Instant::now();
    for batch in &batches {
        desk.import_conversations(&admin, batch).unwrap();
    }
    let secs = t.elapsed().as_secs_f64();
    drop(batches);
    out.insert("core_bulk_load".into(), json!({ "seconds": (secs * 10.0).round() / 10.0, "messages_per_second": (messages as f64 / secs).round() }));

    let operator = operators[0];
    let mut core = serde_json::Map::new();
    for (name, query, _) in queries(operator) {
        core.insert(name.into(), percentiles(time_ms(|| {
            desk.list_conversations(&admin, &query).unwrap();
        })));
    }
    let some = desk.list_conversations(&admin, &ConversationQuery { page_size: 1, ..ConversationQuery::default() }).unwrap().rows[0].id;
    core.insert("get_one".into(), percentiles(time_ms(|| {
        desk.conversation(&admin, some).unwrap();
    })));
    core.insert("waiting_badge".into(), percentiles(time_ms(|| {
        desk.conversations_waiting(&admin).unwrap();
    })));
    out.insert("core_ms".into(), Value::Object(core));

    // 2. The same through the local HTTP API, into a second install.
    let api_dir = tempfile::tempdir().unwrap();
    let (api_desk, api_admin, _) = open(api_dir.path());
    let Caller::Person(actor) = &api_admin else { unreachable!() };
    let tenant = actor.tenant.as_ref().unwrap().tenant_id;
    let key = api_desk.tenant_api_key(actor, tenant).unwrap().expose().to_owned();
    runtime.block_on(async {
        let api = tenant_desk_api::start(api_desk.clone(), 0).await.unwrap();
        let base = format!("http://{}/api/v1", api.addr);
        let http = reqwest::Client::new();
        let per_request = 100;
        let mut rng = Lcg(7);
        let t = Instant::now();
        // Four clients at once, as integrations would send.
        let mut n = 0;
        let bodies: Vec<Value> = (0..messages / per_request)
            .map(|c| {
                let msgs: Vec<Value> = (0..per_request)
                    .map(|m| {
                        n += 1;
                        json!({"author": if m % 2 == 0 { "customer" } else { "ai_agent" }, "text": text(&mut rng, n)})
                    })
                    .collect();
                json!({"channel": CHANNELS[c % CHANNELS.len()], "customer": format!("Customer {c}"), "messages": msgs})
            })
            .collect();
        let chunks: Vec<Vec<Value>> = bodies.chunks(bodies.len().div_ceil(4)).map(|c| c.to_vec()).collect();
        let tasks: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let (http, base, key) = (http.clone(), base.clone(), key.clone());
                tokio::spawn(async move {
                    for body in chunk {
                        let r = http.post(format!("{base}/sessions")).bearer_auth(&key).json(&body).send().await.unwrap();
                        assert_eq!(r.status(), 201);
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        let secs = t.elapsed().as_secs_f64();
        out.insert("api_load".into(), json!({
            "seconds": (secs * 10.0).round() / 10.0,
            "messages_per_second": (messages as f64 / secs).round(),
            "requests": messages / per_request,
        }));
        let mut over_http = serde_json::Map::new();
        for (name, _, params) in queries(operator) {
            let url = format!("{base}/sessions?{params}");
            let mut samples = Vec::new();
            for _ in 0..REPEATS {
                let t = Instant::now();
                let r = http.get(&url).bearer_auth(&key).send().await.unwrap();
                assert_eq!(r.status(), 200, "{url}");
                r.bytes().await.unwrap();
                samples.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            over_http.insert(name.into(), percentiles(samples));
        }
        out.insert("api_ms".into(), Value::Object(over_http));
        api.stop().await;
    });
    println!("{}", Value::Object(out));
}
