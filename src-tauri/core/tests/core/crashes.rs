//! A crash at each step of a restore and of a recovery (the core's
//! `fault-injection` points: the process aborts there, no destructor runs):
//! the store opens afterwards with all its data, either as it was or as
//! restored, and nothing is left half done.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use tenant_desk_core::authz::Role;
use tenant_desk_core::backups;
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::faults::CRASH_AT;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::store::DATABASE_FILE;
use tenant_desk_core::{Desk, DeskConfig, ErrorCode};

use crate::support::*;

const IN_BACKUP: &str = "in.backup@example.com";
const AFTER_BACKUP: &str = "after.backup@example.com";

fn open(dir: &Path) -> tenant_desk_core::Result<Desk> {
    Desk::open(DeskConfig {
        data_dir: dir.to_owned(),
        clock: Arc::new(SystemClock),
        secrets: Arc::new(MemoryStore::new()),
        notifier: Arc::new(tenant_desk_core::notifications::Recorder::new()),
    })
}

fn has_account(desk: &Desk, email: &str) -> bool {
    desk.db()
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM accounts WHERE email = ?1", [email], |r| r.get::<_, i64>(0))?))
        .unwrap_or_else(|e| panic!("{e:?}"))
        == 1
}

fn integrity_ok(desk: &Desk) -> bool {
    desk.db()
        .read(|tx| Ok(tx.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))?))
        .is_ok_and(|answer| answer == "ok")
}

/// A set-up store with `IN_BACKUP`, a backup of it outside the data folder,
/// then `AFTER_BACKUP` added; the folder is closed when this returns.
fn store_and_backup() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let backup = elsewhere.path().join("monday.tdbackup");
    let desk = open(data.path()).unwrap_or_else(|e| panic!("{e:?}"));
    let (token, _) = desk.complete_setup(setup_input(true)).unwrap_or_else(|e| panic!("{e:?}"));
    let admin = desk.actor(&token).unwrap_or_else(|e| panic!("{e:?}"));
    new_user(&desk, &admin, IN_BACKUP, Role::TenantUser);
    desk.back_up_store(&admin, &backup).unwrap_or_else(|e| panic!("{e:?}"));
    new_user(&desk, &admin, AFTER_BACKUP, Role::TenantUser);
    (data, elsewhere, backup)
}

/// Runs this test binary's `test` again as a child that does `TD_CRASH_DO`
/// with the crash point set, and waits for it to die there.
fn crash_child(test: &str, data: &Path, backup: &Path, point: &str) {
    let status = Command::new(std::env::current_exe().unwrap_or_else(|e| panic!("{e}")))
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env("TD_CRASH_DIR", data)
        .env("TD_CRASH_BACKUP", backup)
        .env(CRASH_AT, point)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!status.success(), "the child did not crash at {point}");
}

/// In the child: the folder and backup to work on.
fn child_args() -> Option<(PathBuf, PathBuf)> {
    let dir = std::env::var_os("TD_CRASH_DIR")?;
    let backup = std::env::var_os("TD_CRASH_BACKUP")?;
    Some((dir.into(), backup.into()))
}

fn leftovers(data: &Path) -> Vec<String> {
    std::fs::read_dir(data)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".previous") || n.contains(".restoring") || n.contains(".partial"))
        .collect()
}

#[test]
fn a_restore_that_crashes_at_any_step_leaves_the_store_whole() {
    const TEST: &str = "crashes::a_restore_that_crashes_at_any_step_leaves_the_store_whole";
    if let Some((dir, backup)) = child_args() {
        let desk = open(&dir).unwrap_or_else(|e| panic!("{e:?}"));
        let (token, _) = sign_in(&desk, ADMIN_EMAIL, PASSWORD).unwrap_or_else(|e| panic!("{e:?}"));
        let admin = desk.actor(&token).unwrap_or_else(|e| panic!("{e:?}"));
        desk.restore_store(&admin, &backup).unwrap_or_else(|e| panic!("{e:?}"));
        return;
    }
    // Up to its first transaction in the restored store, a restore is undone;
    // after it, it stands.
    for (point, restored) in [
        ("restore.staged", false),
        ("swap.closed", false),
        ("swap.moved_aside", false),
        ("swap.moved_in", false),
        ("swap.first_written", false),
        ("swap.done", true),
    ] {
        let (data, _elsewhere, backup) = store_and_backup();
        crash_child(TEST, data.path(), &backup, point);
        let desk = open(data.path()).unwrap_or_else(|e| panic!("after a crash at {point}: {e:?}"));
        assert!(integrity_ok(&desk), "{point}");
        assert!(has_account(&desk, IN_BACKUP), "{point}");
        assert_eq!(has_account(&desk, AFTER_BACKUP), !restored, "after a crash at {point}");
        assert!(leftovers(data.path()).is_empty(), "{point}: {:?}", leftovers(data.path()));
        let audited: i64 = desk
            .db()
            .read(|tx| Ok(tx.query_row("SELECT count(*) FROM audit_log WHERE action = 'store.restore'", [], |r| r.get(0))?))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(audited > 0, restored, "{point}: a restore that stands is in the audit log");
        sign_in(&desk, ADMIN_EMAIL, PASSWORD).unwrap_or_else(|e| panic!("{point}: {e:?}"));
    }
}

/// Overwrites pages in the middle of the file: the store fails its check.
fn damage(store: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(store).unwrap_or_else(|e| panic!("{e}"));
    let from = bytes.len() / 2;
    for (i, b) in bytes[from..from + 3 * 4096].iter_mut().enumerate() {
        *b = (i * 7 % 251) as u8;
    }
    std::fs::write(store, &bytes).unwrap_or_else(|e| panic!("{e}"));
    bytes
}

#[test]
fn a_recovery_that_crashes_at_any_step_leaves_the_damaged_store_or_the_backup() {
    const TEST: &str = "crashes::a_recovery_that_crashes_at_any_step_leaves_the_damaged_store_or_the_backup";
    if let Some((dir, backup)) = child_args() {
        backups::recover(&dir, &backup, chrono::Utc::now()).unwrap_or_else(|e| panic!("{e:?}"));
        return;
    }
    // Until the damaged file is removed it stays as it was (a copy is kept
    // first); from then on the backup is in place.
    for (point, recovered) in
        [("recover.staged", false), ("recover.kept", false), ("recover.removed", true), ("recover.moved_in", true)]
    {
        let (data, _elsewhere, backup) = store_and_backup();
        let store = data.path().join(DATABASE_FILE);
        let damaged = damage(&store);
        crash_child(TEST, data.path(), &backup, point);
        match open(data.path()) {
            Ok(desk) => {
                assert!(recovered, "{point}: the damaged store opened");
                assert!(integrity_ok(&desk), "{point}");
                assert!(has_account(&desk, IN_BACKUP), "{point}");
                assert!(!has_account(&desk, AFTER_BACKUP), "{point}");
                let kept = backups::list_backups_in(data.path())
                    .unwrap_or_else(|e| panic!("{e:?}"))
                    .into_iter()
                    .find(|b| b.kind == backups::BackupKind::Damaged)
                    .unwrap_or_else(|| panic!("{point}: no copy of the damaged store was kept"));
                assert!(std::fs::read(&kept.path).unwrap_or_default() == damaged, "{point}: the kept copy is the damaged store");
            }
            Err(e) => {
                assert!(!recovered, "{point}: {e:?}");
                assert_eq!(e.code, ErrorCode::StoreDamaged, "{point}");
                assert!(std::fs::read(&store).unwrap_or_default() == damaged, "{point}: the damaged store changed");
            }
        }
        assert!(leftovers(data.path()).is_empty(), "{point}: {:?}", leftovers(data.path()));
    }
}
