//! Users search at scale: loads the users of a CSV (`id,name,email,role,created_at`,
//! written by the peer script `users_search_django.py --write-csv`) into one
//! tenant, then times the core's search (`Desk::list_users`, first page of 50)
//! for each term of a JSON list, several times, and prints one JSON line with
//! p50/p95. For comparison it also times, on the same database, a plain
//! `lower(...) LIKE '%term%' LIMIT 50` over the accounts table.
//!
//! With `STORE_URL=postgres://…` naming an empty database it runs the same
//! on PostgreSQL (the JSON line then says `"store":"postgresql"`).
//!
//! Run through `scripts/bench-users-search.sh` or `scripts/bench-postgres.sh`,
//! which prepare the inputs:
//!   USERS_CSV=… TERMS_JSON=… [STORE_URL=…] cargo bench -p tenant-desk-core --bench users_search

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use tenant_desk_core::params;
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::store::{Db, PgSettings};
use tenant_desk_core::users::{UserQuery, UserSort};
use tenant_desk_core::{Desk, DeskConfig};

const REPEATS: usize = 5;

fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let k = (s.len() - 1) as f64 * p / 100.0;
    let (lo, hi) = (k.floor() as usize, k.ceil() as usize);
    s[lo] + (s[hi] - s[lo]) * (k - lo as f64)
}

fn summary(samples: &[f64]) -> serde_json::Value {
    let max = samples.iter().copied().fold(0.0, f64::max);
    serde_json::json!({
        "p50": (percentile(samples, 50.0) * 1000.0).round() / 1000.0,
        "p95": (percentile(samples, 95.0) * 1000.0).round() / 1000.0,
        "max": (max * 1000.0).round() / 1000.0,
        "n": samples.len(),
    })
}

fn role_key(label: &str) -> &'static str {
    match label {
        "Tenant Admin" => "tenant_admin",
        "Tenant Operator" => "tenant_operator",
        "Tenant Viewer" => "tenant_viewer",
        _ => "tenant_user",
    }
}

/// The peer script writes plain fields (no commas or quotes in names or emails).
fn read_users(path: &str) -> Vec<(String, String, &'static str, i64)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(f.len(), 5, "unexpected CSV line: {line}");
            let created = chrono::DateTime::parse_from_rfc3339(f[4]).map(|t| t.timestamp_millis()).unwrap_or(0);
            (f[1].to_owned(), f[2].to_owned(), role_key(f[3]), created)
        })
        .collect()
}

fn time_ms(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is expected.
    let (Ok(csv), Ok(terms)) = (std::env::var("USERS_CSV"), std::env::var("TERMS_JSON")) else {
        eprintln!("users_search: set USERS_CSV and TERMS_JSON (scripts/bench-users-search.sh does)");
        return;
    };
    let terms: Vec<String> = serde_json::from_str(&std::fs::read_to_string(&terms).unwrap()).unwrap();
    let users = read_users(&csv);
    // BENCH_DB_DIR keeps the database for a look with the sqlite3 shell.
    let dir = tempfile::tempdir().unwrap();
    let data_dir = std::env::var("BENCH_DB_DIR").map(std::path::PathBuf::from).unwrap_or_else(|_| dir.path().to_owned());
    let store_url = std::env::var("STORE_URL").ok().filter(|u| !u.is_empty());
    let config = DeskConfig {
        data_dir,
        clock: Arc::new(SystemClock),
        secrets: Arc::new(MemoryStore::new()),
        notifier: Arc::new(tenant_desk_core::notifications::Recorder::new()),
    };
    let (desk, store) = match &store_url {
        Some(url) => (Desk::open_on(config, Db::open_postgres(&PgSettings::new(url.clone())).unwrap()).unwrap(), "postgresql"),
        None => (Desk::open(config).unwrap(), "sqlite"),
    };
    let (token, view) = desk
        .complete_setup(SetupInput {
            tenant_name: "Bench".into(),
            timezone: "UTC".into(),
            admin_name: "Bench Admin".into(),
            email: "bench.admin@tenant-desk.invalid".into(),
            password: "violet marble canyon drifts".into(),
            load_demo: false,
            load_demo_conversations: false,
        })
        .unwrap();
    let tenant_id = view.tenant.map(|t| t.id).unwrap();
    let actor = desk.actor(&token).unwrap();

    // Straight into the tables (the triggers build the search index); these
    // people never sign in, so they share one placeholder hash.
    let load_ms = time_ms(|| {
        desk.db()
            .write(|tx| {
                let mut account = tx.prepare(
                    "INSERT INTO accounts (email, email_key, name, password_hash, created_at, modified_at)
                     VALUES (?1, lower(?1), ?2, 'bench: no password', ?3, ?3)",
                )?;
                let mut member = tx.prepare(
                    "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                )?;
                for (name, email, role, created) in &users {
                    account.execute(params![email, name, created])?;
                    member.execute(params![tx.last_insert_rowid()?, tenant_id, role, created])?;
                }
                Ok(())
            })
            .unwrap();
    });
    // Fresh statistics on both, as a maintained database would have them.
    let analyze = if store_url.is_some() { "ANALYZE;" } else { "ANALYZE; PRAGMA optimize;" };
    desk.db().write(|tx| Ok(tx.execute_batch(analyze)?)).unwrap();

    let search = |term: &str, sort: UserSort| {
        let q = UserQuery { sort, ..UserQuery::search(term) };
        desk.list_users(&actor, &q).unwrap().rows.len()
    };
    let like = |term: &str| -> usize {
        let pattern = format!("%{}%", term.to_lowercase());
        desk.db()
            .read(|tx| {
                let mut stmt = tx.prepare_cached(
                    "SELECT id, name, email FROM accounts WHERE lower(name) LIKE ?1 OR lower(email) LIKE ?1 LIMIT 50",
                )?;
                let n = stmt.query_map([&pattern], |r| r.get::<_, i64>(0))?.count();
                Ok(n)
            })
            .unwrap()
    };

    for warm in ["warmup", "lee", "x"] {
        search(warm, UserSort::Id);
        like(warm);
    }
    let mut core = Vec::new();
    let mut core_by_name = Vec::new();
    let mut floor = Vec::new();
    let mut slowest: Vec<(f64, String)> = Vec::new();
    let mut slowest_by_name: Vec<(f64, String)> = Vec::new();
    let mut empty_terms = 0;
    // The first page must hold as many users as the plain query finds (up to
    // a page), or the figures would be for a wrong answer.
    let mismatches: Vec<&String> = terms.iter().filter(|t| search(t, UserSort::Id).min(50) != like(t).min(50)).collect();
    for _ in 0..REPEATS {
        for term in &terms {
            let mut found = 0;
            let ms = time_ms(|| found = search(term, UserSort::Id));
            core.push(ms);
            slowest.push((ms, term.clone()));
            let ms = time_ms(|| {
                search(term, UserSort::Name);
            });
            core_by_name.push(ms);
            slowest_by_name.push((ms, term.clone()));
            floor.push(time_ms(|| {
                like(term);
            }));
            if found == 0 {
                empty_terms += 1;
            }
        }
    }
    for list in [&mut slowest, &mut slowest_by_name] {
        list.sort_by(|a, b| b.0.total_cmp(&a.0));
        list.dedup_by(|a, b| a.1 == b.1);
    }
    println!(
        "{}",
        serde_json::json!({
            "bench": "users_search_core",
            "store": store,
            "users": users.len(),
            "terms": terms.len(),
            "terms_without_match": empty_terms / REPEATS,
            "repeats": REPEATS,
            "load_ms": load_ms.round(),
            "core_search_ms": summary(&core),
            "core_search_sorted_by_name_ms": summary(&core_by_name),
            "plain_like_ms": summary(&floor),
            "result_count_mismatches": mismatches,
            "slowest_terms_ms": slowest.iter().take(5).map(|(ms, t)| serde_json::json!([t, (ms * 1000.0).round() / 1000.0])).collect::<Vec<_>>(),
            "slowest_terms_sorted_by_name_ms": slowest_by_name.iter().take(8).map(|(ms, t)| serde_json::json!([t, (ms * 1000.0).round() / 1000.0])).collect::<Vec<_>>(),
        })
    );
}
