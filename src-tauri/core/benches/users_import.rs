//! Import users from CSV at scale: the users of the peer script
//! `users_search_django.py --write-csv` (`id,name,email,role,created_at`; the
//! import reads Name, Email and Role and names the other columns ignored),
//! imported into one tenant by the core as the command line does it. Times
//! the check alone (a dry run) and the whole import, whose every row gets a
//! temporary password hashed with Argon2id on every core, and, for the
//! ceiling, Argon2id hashes alone on every core. Prints one JSON line.
//!
//! Run through `scripts/bench-users-import.sh`, which writes the CSV:
//!   USERS_CSV=… cargo bench -p tenant-desk-core --bench users_import

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use tenant_desk_core::archives::Progress;
use tenant_desk_core::auth::password;
use tenant_desk_core::authz::LocalAdministrator;
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::notifications::Recorder;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::users::UserImport;
use tenant_desk_core::{Desk, DeskConfig};

/// Hashes per core for the ceiling: enough for a steady rate (a few seconds).
const CEILING_HASHES_PER_CORE: usize = 200;

fn main() {
    let path = std::env::var("USERS_CSV").expect("USERS_CSV names the peer script's users CSV");
    let csv = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(DeskConfig {
        data_dir: dir.path().to_owned(),
        clock: Arc::new(SystemClock),
        secrets: Arc::new(MemoryStore::new()),
        notifier: Arc::new(Recorder::new()),
    })
    .unwrap();
    desk.complete_setup(SetupInput {
        tenant_name: "Acme Support".into(),
        timezone: "Europe/Berlin".into(),
        admin_name: "Grace Hopper".into(),
        email: "grace@admin.example".into(),
        password: "violet marble canyon drifts".into(),
        load_demo: false,
        load_demo_conversations: false,
    })
    .unwrap();
    let local = LocalAdministrator::of_folder(dir.path()).unwrap();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);

    let started = Instant::now();
    let n = cores * CEILING_HASHES_PER_CORE;
    std::thread::scope(|s| {
        for _ in 0..cores {
            s.spawn(|| {
                for _ in 0..CEILING_HASHES_PER_CORE {
                    password::hash("a temporary password").unwrap();
                }
            });
        }
    });
    let ceiling = n as f64 / started.elapsed().as_secs_f64();

    let started = Instant::now();
    let checked = desk.import_users_locally(&local, &UserImport { tenant_id: 1, csv: csv.clone(), dry_run: true }, &Progress::new()).unwrap();
    let check_secs = started.elapsed().as_secs_f64();
    assert!(checked.problems.is_empty(), "the peer's users are valid: {:?}", &checked.problems[..checked.problems.len().min(5)]);

    // The import counts each password hashed, then each row written: the
    // moment the first half is done splits hashing from writing.
    let progress = Progress::new();
    let expected = checked.users.len() as u64;
    let started = Instant::now();
    let (report, hashed_secs) = std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            while progress.total() == 0 || progress.done() < expected {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            started.elapsed().as_secs_f64()
        });
        let report = desk.import_users_locally(&local, &UserImport { tenant_id: 1, csv, dry_run: false }, &progress).unwrap();
        (report, watcher.join().unwrap())
    });
    let import_secs = started.elapsed().as_secs_f64();
    assert!(report.written);
    let rows = report.users.len();
    let stored: i64 = desk.db().read(|tx| Ok(tx.query_row("SELECT count(*) FROM memberships WHERE tenant_id = 1", [], |r| r.get(0))?)).unwrap();
    assert_eq!(stored as usize, rows + 1, "every row is a user of the tenant");

    let round = |x: f64| (x * 10.0).round() / 10.0;
    println!(
        "{}",
        serde_json::json!({
            "benchmark": "users_import",
            "rows": rows,
            "cores": cores,
            "check_seconds": round(check_secs),
            "check_rows_per_s": round(rows as f64 / check_secs),
            "import_seconds": round(import_secs),
            "import_rows_per_s": round(rows as f64 / import_secs),
            "hashing_seconds": round(hashed_secs),
            "writing_seconds": round(import_secs - hashed_secs),
            "writing_rows_per_s": round(rows as f64 / (import_secs - hashed_secs)),
            "argon2id_hashes_per_s_on_every_core": round(ceiling),
            "import_vs_hashing_ceiling": (rows as f64 / import_secs / ceiling * 1000.0).round() / 1000.0,
            "ignored_columns": report.ignored_columns,
        })
    );
}
