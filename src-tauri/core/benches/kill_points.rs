//! kill -9 at many moments of the store's long work — conversations written
//! one after another, an archive import, backups, exports — each followed
//! by the checks of `tests/kill/workloads.rs`: integrity_check ok, every
//! committed change there, nothing half done visible. Prints one JSON line.
//!
//! Run through `scripts/kill-points.sh`:
//!   KILL_POINTS=60 cargo bench -p tenant-desk-core --bench kill_points

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, Instant};

#[path = "../tests/kill/workloads.rs"]
mod workloads;

use workloads::{kill_and_check, prepare, work_if_asked, Moments, Workload};

fn main() {
    if work_if_asked() {
        return;
    }
    let points: usize = std::env::var("KILL_POINTS").ok().and_then(|n| n.parse().ok()).unwrap_or(60);
    let seed: u64 = std::env::var("KILL_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(20_261_130);
    let dir = tempfile::tempdir().unwrap();
    prepare(dir.path(), 200_000);
    let mut moments = Moments(seed);
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut committed = [0usize; 4];
    for i in 0..points {
        let workload = Workload::ALL[i % Workload::ALL.len()];
        // From the first milliseconds of the work to well into it.
        let after = Duration::from_millis(20 + moments.next_millis(3_000));
        match kill_and_check(Command::new(std::env::current_exe().unwrap()), dir.path(), workload, after) {
            Ok(checked) => committed[i % Workload::ALL.len()] += checked,
            Err(problem) => failures.push(format!("{workload:?} after {after:?}: {problem}")),
        }
    }
    println!(
        "{}",
        serde_json::json!({
            "bench": "kill_points",
            "points": points,
            "seed": seed,
            "failures": failures,
            "committed_changes_checked": {
                "writes": committed[0], "import": committed[1], "backup": committed[2], "export": committed[3],
            },
            "seconds": (started.elapsed().as_secs_f64() * 10.0).round() / 10.0,
        })
    );
    assert!(failures.is_empty(), "{} of {points} kill points broke the store", failures.len());
}
