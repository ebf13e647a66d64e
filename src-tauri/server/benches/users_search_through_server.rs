//! The Users search through the team server beside the same operation on
//! this computer: loads the users of a CSV (written by the peer script
//! `users_search_django.py --write-csv`) into one tenant of a server's store,
//! starts the real server binary on it, signs in as a desktop does, and times
//! `POST /api/desk/v1/op/list_users` (first page of 50) for each term of a
//! JSON list over one kept-alive connection, and the same declared operation
//! run in process (`operations::run::list_users`) on the same store. One JSON
//! line; `scripts/bench-users-search.sh` runs it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tenant_desk_core::params;
use serde_json::{json, Value};
use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::operations;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::users::{UserQuery, UserSort};
use tenant_desk_core::{Desk, DeskConfig};

const SERVER: &str = env!("CARGO_BIN_EXE_tenant-desk-server");
const EMAIL: &str = "bench.admin@tenant-desk.invalid";
const PASSWORD: &str = "violet marble canyon drifts";
const REPEATS: usize = 5;

fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let k = (s.len() - 1) as f64 * p / 100.0;
    let (lo, hi) = (k.floor() as usize, k.ceil() as usize);
    s[lo] + (s[hi] - s[lo]) * (k - lo as f64)
}

fn summary(samples: &[f64]) -> Value {
    let round = |v: f64| (v * 1000.0).round() / 1000.0;
    json!({ "p50": round(percentile(samples, 50.0)), "p95": round(percentile(samples, 95.0)), "n": samples.len() })
}

fn open(dir: &std::path::Path) -> Desk {
    Desk::open(DeskConfig {
        data_dir: dir.to_owned(),
        clock: Arc::new(SystemClock),
        secrets: Arc::new(MemoryStore::new()),
        notifier: Arc::new(tenant_desk_core::notifications::Recorder::new()),
    })
    .unwrap()
}

/// The CSV's people in one tenant, straight into the tables (the triggers
/// build the search index), as the core's own benchmark loads them.
fn load(dir: &std::path::Path, csv: &str) -> usize {
    let desk = open(dir);
    let (_, view) = desk
        .complete_setup(SetupInput {
            tenant_name: "Bench".into(),
            timezone: "UTC".into(),
            admin_name: "Bench Admin".into(),
            email: EMAIL.into(),
            password: PASSWORD.into(),
            load_demo: false,
            load_demo_conversations: false,
        })
        .unwrap();
    let tenant_id = view.tenant.map(|t| t.id).unwrap();
    let text = std::fs::read_to_string(csv).unwrap_or_else(|e| panic!("{csv}: {e}"));
    let role = |label: &str| match label {
        "Tenant Admin" => "tenant_admin",
        "Tenant Operator" => "tenant_operator",
        "Tenant Viewer" => "tenant_viewer",
        _ => "tenant_user",
    };
    let mut count = 0;
    desk.db()
        .write(|tx| {
            let mut account = tx.prepare(
                "INSERT INTO accounts (email, email_key, name, password_hash, created_at, modified_at)
                 VALUES (?1, lower(?1), ?2, 'bench: no password', ?3, ?3)",
            )?;
            let mut member =
                tx.prepare("INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)")?;
            for line in text.lines().skip(1) {
                let f: Vec<&str> = line.split(',').collect();
                let created = chrono::DateTime::parse_from_rfc3339(f[4]).map(|t| t.timestamp_millis()).unwrap_or(0);
                account.execute(params![f[2], f[1], created])?;
                member.execute(params![tx.last_insert_rowid()?, tenant_id, role(f[3]), created])?;
                count += 1;
            }
            Ok(())
        })
        .unwrap();
    desk.db().write(|tx| Ok(tx.execute_batch("ANALYZE; PRAGMA optimize;")?)).unwrap();
    count
}

fn query(term: &str) -> UserQuery {
    UserQuery { sort: UserSort::Id, ..UserQuery::search(term) }
}

fn main() {
    let (Ok(csv), Ok(terms)) = (std::env::var("USERS_CSV"), std::env::var("TERMS_JSON")) else {
        eprintln!("users_search_through_server: set USERS_CSV and TERMS_JSON (scripts/bench-users-search.sh does)");
        return;
    };
    let terms: Vec<String> = serde_json::from_str(&std::fs::read_to_string(&terms).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let users = load(&data, &csv);

    let config = dir.path().join("server.toml");
    std::fs::write(&config, "listen = \"127.0.0.1:0\"\ndata_dir = \"data\"\n[limits]\nrequests_per_minute = 10000000\nburst = 1000000\n").unwrap();
    let mut server = Command::new(SERVER).args(["--config", config.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap();
    let mut log = BufReader::new(server.stderr.take().unwrap());
    let mut line = String::new();
    let address = loop {
        line.clear();
        assert!(log.read_line(&mut line).unwrap() > 0, "the server stopped before serving");
        let entry: Value = serde_json::from_str(&line).unwrap();
        if entry["fields"]["message"] == "serving" {
            break entry["fields"]["address"].as_str().unwrap().to_owned();
        }
    };
    let base = format!("http://{address}");
    let http: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(30))).build().into();
    let session: Value = http
        .post(&format!("{base}/api/desk/v1/sign-in"))
        .send_json(json!({ "email": EMAIL, "password": PASSWORD }))
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    let remote = |term: &str| -> usize {
        let page: Value = http
            .post(&format!("{base}/api/desk/v1/op/list_users"))
            .header("Authorization", &format!("Bearer {token}"))
            .send_json(json!({ "query": query(term) }))
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap();
        page["rows"].as_array().map(Vec::len).unwrap_or(0)
    };

    // The same declared operation on this computer, on the same store.
    let desk = open(&data);
    let (local_token, _) = desk.sign_in(SignInInput { email: EMAIL.into(), password: PASSWORD.into(), remember: false }).unwrap();
    let local = |term: &str| operations::run::list_users(&desk, &local_token, query(term)).unwrap().rows.len();

    for warm in ["warmup", "lee", "x"] {
        remote(warm);
        local(warm);
    }
    let mismatches: Vec<&String> = terms.iter().filter(|t| remote(t) != local(t)).collect();
    let (mut through_server, mut here) = (Vec::new(), Vec::new());
    for _ in 0..REPEATS {
        for term in &terms {
            let start = Instant::now();
            remote(term);
            through_server.push(start.elapsed().as_secs_f64() * 1000.0);
            let start = Instant::now();
            local(term);
            here.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let _ = Command::new("kill").args(["-TERM", &server.id().to_string()]).status();
    let _ = server.wait();
    let (server_p95, local_p95) = (percentile(&through_server, 95.0), percentile(&here, 95.0));
    println!(
        "{}",
        json!({
            "bench": "users_search_through_server",
            "users": users,
            "terms": terms.len(),
            "repeats": REPEATS,
            "through_server_ms": summary(&through_server),
            "on_this_computer_ms": summary(&here),
            "p95_ratio_server_to_local": (server_p95 / local_p95 * 100.0).round() / 100.0,
            "result_count_mismatches": mismatches,
        })
    );
}
