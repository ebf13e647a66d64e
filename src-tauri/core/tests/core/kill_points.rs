//! A handful of kill -9 points, one in each kind of long work; the
//! benchmark `scripts/kill-points.sh` runs sixty and more.

use std::process::Command;
use std::time::Duration;

#[path = "../kill/workloads.rs"]
mod workloads;

use workloads::{kill_and_check, prepare, work_if_asked, Moments, Workload};

#[test]
fn killed_during_writes_an_import_a_backup_or_an_export_the_store_keeps_every_committed_change() {
    const TEST: &str =
        "kill_points::killed_during_writes_an_import_a_backup_or_an_export_the_store_keeps_every_committed_change";
    if work_if_asked() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    prepare(dir.path(), 30_000);
    let mut moments = Moments(0x5eed_2026);
    for workload in Workload::ALL {
        let after = Duration::from_millis(400 + moments.next_millis(800));
        let mut worker = Command::new(std::env::current_exe().unwrap());
        worker.args(["--exact", TEST, "--nocapture", "--test-threads=1"]);
        let checked = kill_and_check(worker, dir.path(), workload, after)
            .unwrap_or_else(|e| panic!("{workload:?} killed after {after:?}: {e}"));
        eprintln!("{workload:?} killed after {after:?}: {checked} committed changes found whole");
    }
}
