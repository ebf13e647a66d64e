//! Importing an archive of 1,000,000 messages: turns the CSV the peer script
//! `import_floor.py --write-csv` writes (`conversation_id, message_id, author,
//! text, created_at`) into an archive of ours (conversations derived from the
//! messages; the peer's "agent" is our "ai_agent"), then times
//! `Desk::import_tenant_archive` into a fresh install: unzip, parse and check
//! every record (ids, references, counts, times; timed alone too, as
//! `archives::verify`), then load in short
//! transactions, maintaining the indexes, the message word index, billable
//! windows and chart times. Then imports it again while another thread
//! writes as people and integrations do — a sign-in, a conversation through
//! the tenant API key, an edit of one's profile, in turn — and times each
//! write (p50, p95, max), and the same writes with no import running.
//! Prints one JSON line per phase.
//!
//! Run through `scripts/bench-archive-import.sh`:
//!   MESSAGES_CSV=… cargo bench -p tenant-desk-core --bench archive_import

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tenant_desk_core::archives::{ImportOutcome, Limits, Progress};
use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::authz::Caller;
use tenant_desk_core::profile::PersonalDetails;
use tenant_desk_core::conversations::{Author, NewMessage, NewConversation};
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::{Desk, DeskConfig};

fn millis(iso: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(iso).unwrap().timestamp_millis()
}

struct Conversation {
    id: i64,
    first: i64,
    last: i64,
    count: i64,
    customer_replied: bool,
}

/// Writes the archive and returns the number of messages.
fn write_archive(csv_path: &Path, out: &Path) -> u64 {
    let mut reader = csv::Reader::from_path(csv_path).unwrap();
    let mut conversations: Vec<Conversation> = Vec::new();
    let mut messages = Vec::with_capacity(256 << 20);
    let mut n = 0u64;
    for record in reader.records() {
        let r = record.unwrap();
        let (cid, mid, author, text, at): (i64, i64, &str, &str, i64) =
            (r[0].parse().unwrap(), r[1].parse().unwrap(), &r[2], &r[3], millis(&r[4]));
        let author = if author == "agent" { "ai_agent" } else { author };
        match conversations.last_mut() {
            Some(c) if c.id == cid => {
                c.last = c.last.max(at);
                c.count += 1;
                c.customer_replied |= author == "customer";
            }
            _ => conversations.push(Conversation { id: cid, first: at, last: at, count: 1, customer_replied: author == "customer" }),
        }
        serde_json::to_writer(
            &mut messages,
            &serde_json::json!({"id": mid, "conversation_id": cid, "author": author, "text": text, "at": at}),
        )
        .unwrap();
        messages.push(b'\n');
        n += 1;
    }
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(std::fs::File::create(out).unwrap()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    let manifest = serde_json::json!({
        "format": "tenant-desk-archive", "format_version": 1, "source_install_id": "import-floor",
        "tenant_id": 1, "tenant_name": "Import floor", "exported_at": 1_792_972_800_000i64,
        "counts": {"tenant": 1, "users": 0, "memberships": 0, "schedules": 0,
                   "conversations": conversations.len(), "messages": n, "audit_log": 0}
    });
    zip.start_file("manifest.json", options).unwrap();
    zip.write_all(manifest.to_string().as_bytes()).unwrap();
    zip.start_file("tenant.jsonl", options).unwrap();
    zip.write_all(br#"{"id":1,"name":"Import floor","description":"","billing_email":"","phone":"","website":"","country":"","street":"","zip_code":"","timezone":"UTC","labels":[],"require_mfa":false,"created_at":0,"modified_at":0}"#).unwrap();
    for empty in ["users.jsonl", "memberships.jsonl", "schedules.jsonl", "audit_log.jsonl"] {
        zip.start_file(empty, options).unwrap();
    }
    zip.start_file("conversations.jsonl", options).unwrap();
    for c in &conversations {
        writeln!(
            zip,
            r#"{{"id":{},"channel":"web","customer":"Customer {}","operator_user_id":null,"status":"resolved","created_at":{},"last_activity_at":{},"customer_replied":{},"message_count":{}}}"#,
            c.id, c.id, c.first, c.last, c.customer_replied, c.count
        )
        .unwrap();
    }
    zip.start_file("messages.jsonl", options).unwrap();
    zip.write_all(&messages).unwrap();
    zip.finish().unwrap();
    n
}

fn main() {
    let csv_path = std::env::var("MESSAGES_CSV").expect("MESSAGES_CSV: the CSV of import_floor.py --write-csv");
    let work = tempfile::tempdir().unwrap();
    let archive = work.path().join("messages.zip");
    let t = Instant::now();
    let messages = write_archive(Path::new(&csv_path), &archive);
    let convert_s = t.elapsed().as_secs_f64();

    let desk = Desk::open(DeskConfig {
        data_dir: work.path().join("data"),
        clock: Arc::new(SystemClock),
        secrets: Arc::new(MemoryStore::new()),
        notifier: Arc::new(tenant_desk_core::notifications::Recorder::new()),
    })
    .unwrap();
    let (token, _) = desk
        .complete_setup(SetupInput {
            tenant_name: "Bench".into(),
            timezone: "UTC".into(),
            admin_name: "Bench Admin".into(),
            email: "bench@example.com".into(),
            password: PROFILE_PASSWORD.into(),
            load_demo: false,
            load_demo_conversations: false,
        })
        .unwrap();
    let actor = desk.actor(&token).unwrap();
    // The check pass alone (what an import does before it writes anything).
    let t = Instant::now();
    let verified = tenant_desk_core::archives::verify(&archive, chrono::Utc::now().timestamp_millis(), &Progress::new(), Limits::default()).unwrap();
    let check_s = t.elapsed().as_secs_f64();
    assert!(matches!(verified, tenant_desk_core::archives::Verification::Valid { .. }), "{verified:?}");
    let t = Instant::now();
    let outcome = desk.import_tenant_archive(&actor, &archive, &Progress::new(), Limits::default()).unwrap();
    let import_s = t.elapsed().as_secs_f64();
    let ImportOutcome::Imported { snapshot } = outcome else { panic!("not imported: {outcome:?}") };
    assert_eq!(u64::from(snapshot.messages), messages);
    // The snapshot's own word index answers for the imported messages.
    let index = format!("message_search_{}", snapshot.tenant_id);
    let found: i64 = desk
        .db()
        .read(|tx| Ok(tx.query_row(&format!("SELECT count(*) FROM {index} WHERE {index} MATCH 'refund'"), [], |r| r.get(0))?))
        .unwrap();
    assert!(found > 0);
    println!(
        "{}",
        serde_json::json!({
            "bench": "archive_import",
            "messages": messages,
            "conversations": snapshot.conversations,
            "archive_mib": (std::fs::metadata(&archive).unwrap().len() as f64 / 1048576.0 * 10.0).round() / 10.0,
            "convert_s": (convert_s * 100.0).round() / 100.0,
            "import_s": (import_s * 100.0).round() / 100.0,
            "of_which_check_s": (check_s * 100.0).round() / 100.0,
            "messages_per_s": (messages as f64 / import_s).round(),
            "search_refund_hits": found,
        })
    );

    let quiet = writes_beside(&desk, &actor, || false, Duration::from_secs(10));
    let importing = AtomicBool::new(true);
    let (outcome, busy, import_s) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| writes_beside(&desk, &actor, || !importing.load(Ordering::SeqCst), Duration::MAX));
        let t = Instant::now();
        let outcome = desk.import_tenant_archive(&actor, &archive, &Progress::new(), Limits::default()).unwrap();
        let import_s = t.elapsed().as_secs_f64();
        importing.store(false, Ordering::SeqCst);
        (outcome, writer.join().unwrap(), import_s)
    });
    assert!(matches!(outcome, ImportOutcome::Imported { .. }), "not imported: {outcome:?}");
    let t = Instant::now();
    desk.remove_snapshot(&actor, snapshot.tenant_id).unwrap();
    let remove_s = t.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "bench": "writes_during_archive_import",
            "messages": messages,
            "import_s": (import_s * 100.0).round() / 100.0,
            "during_import": busy.summary(),
            "no_import": quiet.summary(),
            "remove_first_snapshot_s": (remove_s * 100.0).round() / 100.0,
        })
    );
}

const PROFILE_PASSWORD: &str = "violet marble canyon drifts";

/// Latencies in milliseconds of each kind of write.
#[derive(Default)]
struct Latencies {
    sign_in: Vec<f64>,
    api_write: Vec<f64>,
    window_edit: Vec<f64>,
}

impl Latencies {
    fn summary(&self) -> serde_json::Value {
        let stats = |v: &[f64]| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            let at = |q: f64| v.get(((v.len() as f64 * q).ceil() as usize).saturating_sub(1)).copied().unwrap_or(0.0);
            let round = |x: f64| (x * 10.0).round() / 10.0;
            serde_json::json!({"n": v.len(), "p50_ms": round(at(0.50)), "p95_ms": round(at(0.95)), "max_ms": round(at(1.0))})
        };
        serde_json::json!({
            "sign_in": stats(&self.sign_in),
            "api_write": stats(&self.api_write),
            "window_edit": stats(&self.window_edit),
        })
    }
}

/// Writes in turn until `done` says so or `at_most` has passed, timing each.
fn writes_beside(
    desk: &Desk,
    actor: &tenant_desk_core::authz::Actor,
    done: impl Fn() -> bool,
    at_most: Duration,
) -> Latencies {
    let tenant_id = actor.tenant.as_ref().unwrap().tenant_id;
    let key = desk.tenant_api_key(actor, tenant_id).unwrap();
    let api: Caller = desk.tenant_key_caller(key.expose()).unwrap().unwrap();
    let mut times = Latencies::default();
    let started = Instant::now();
    let mut n = 0u64;
    while !done() && started.elapsed() < at_most {
        n += 1;
        let t = Instant::now();
        let (token, _) = desk
            .sign_in(SignInInput { email: "bench@example.com".into(), password: PROFILE_PASSWORD.into(), remember: false })
            .unwrap();
        times.sign_in.push(t.elapsed().as_secs_f64() * 1000.0);
        desk.sign_out(&token).unwrap();

        let t = Instant::now();
        desk.create_conversation(
            &api,
            NewConversation {
                channel: "web".into(),
                customer: format!("Customer {n}"),
                operator_account_id: None,
                messages: vec![NewMessage { author: Author::Customer, text: "Where is my order?".into() }],
            },
        )
        .unwrap();
        times.api_write.push(t.elapsed().as_secs_f64() * 1000.0);

        let t = Instant::now();
        desk.update_own_details(
            actor,
            &PersonalDetails { name: format!("Bench Admin {}", n % 2), phone: String::new(), company: String::new() },
        )
        .unwrap();
        times.window_edit.push(t.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(20));
    }
    times
}
