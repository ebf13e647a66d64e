//! Backups of the whole store: made while another connection writes,
//! restored with a safety copy, refused when the file is not a sound Tenant
//! Desk store, and the start-up check that never touches a damaged store.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::Duration;
use rusqlite::Connection;
use tenant_desk_core::authz::Role;
use tenant_desk_core::backups::{self, BackupKind};
use tenant_desk_core::store::{Db, DATABASE_FILE};
use tenant_desk_core::{Desk, DeskConfig, ErrorCode};

use crate::support::*;

fn count(path: &Path, sql: &str) -> i64 {
    let conn = Connection::open(path).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn emails(desk: &Desk) -> Vec<String> {
    desk.db()
        .read(|tx| {
            let mut stmt = tx.prepare("SELECT email FROM accounts ORDER BY id")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<tenant_desk_core::store::sql::Result<Vec<String>>>()?)
        })
        .unwrap()
}

/// Overwrites bytes in the middle of a database file: b-tree pages become garbage.
fn corrupt(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    assert!(bytes.len() > 16 * 4096, "a store of more than a few pages");
    let from = bytes.len() / 2;
    for (i, b) in bytes[from..from + 3 * 4096].iter_mut().enumerate() {
        *b = (i * 7 % 251) as u8;
    }
    std::fs::write(path, bytes).unwrap();
}

/// A store with enough rows to span many pages.
fn busy_store(h: &Harness) {
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    for n in 0..150 {
        new_user(&h.desk, &admin, &format!("person{n}@example.com"), Role::TenantUser);
    }
}

fn backup_path(h: &Harness, name: &str) -> PathBuf {
    h.dir.path().join("elsewhere").join(name)
}

#[test]
fn a_backup_is_consistent_while_another_connection_writes() {
    let h = Harness::new();
    busy_store(&h);
    let admin = h.actor_of(ADMIN_EMAIL);
    let other = Db::open(h.dir.path()).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut written = 0_i64;
            while !stop.load(Ordering::Relaxed) {
                other
                    .write(|tx| {
                        tx.execute(
                            "INSERT INTO audit_log (at, action, subject) VALUES (?1, 'test.write', 'x')",
                            [written],
                        )?;
                        Ok(())
                    })
                    .unwrap();
                written += 1;
            }
            written
        })
    };
    let mut files = Vec::new();
    for n in 0..3 {
        files.push(h.desk.back_up_store(&admin, &backup_path(&h, &format!("b{n}.sqlite3"))).unwrap());
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written > 0);
    let mut seen = Vec::new();
    for file in &files {
        let path = Path::new(&file.path);
        assert_eq!(file.kind, BackupKind::Manual);
        assert_eq!(count(path, "SELECT count(*) FROM accounts WHERE email LIKE 'person%'"), 150);
        let conn = Connection::open(path).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "delete", "a backup is one self-contained file");
        // A snapshot of one moment: the writer's rows are a gapless prefix.
        let (n, max): (i64, Option<i64>) = conn
            .query_row("SELECT count(*), max(at) FROM audit_log WHERE action = 'test.write'", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert_eq!(max.map_or(0, |m| m + 1), n);
        seen.push(n);
        assert!(!Path::new(&format!("{}.partial", file.path)).exists());
    }
    assert!(seen.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn restore_brings_the_backup_back_keeps_the_previous_store_and_signs_everyone_out() {
    let h = Harness::new();
    busy_store(&h);
    let (token, admin) = h.session_of(ADMIN_EMAIL);
    let (viewer_token, _) = h.session_of(member_email(Role::TenantViewer));
    let backup = h.desk.back_up_store(&admin, &backup_path(&h, "monday.sqlite3")).unwrap();
    let before = emails(&h.desk);

    new_user(&h.desk, &admin, "added.after@example.com", Role::TenantUser);
    let summary = h.desk.inspect_backup(&admin, Path::new(&backup.path)).unwrap();
    assert_eq!(summary.tenants, 1);
    assert_eq!(summary.users, before.len() as i64);

    h.clock.advance(Duration::minutes(5));
    let restored = h.desk.restore_store(&admin, Path::new(&backup.path)).unwrap();
    assert_eq!(emails(&h.desk), before);
    assert_eq!(restored.previous_store.kind, BackupKind::BeforeRestore);
    assert_eq!(count(Path::new(&restored.previous_store.path), "SELECT count(*) FROM accounts WHERE email = 'added.after@example.com'"), 1);
    for t in [&token, &viewer_token] {
        assert_eq!(h.desk.actor(t).map(drop).unwrap_err().code, ErrorCode::NotSignedIn);
    }
    // One for the tenant, one among the install's own entries.
    assert_eq!(h.audit("store.restore").len(), 2);
    assert!(h.desk.list_backups(&admin).unwrap().iter().any(|b| b.name == restored.previous_store.name));
    assert!(!h.dir.path().join(format!("{DATABASE_FILE}.previous")).exists());
    assert!(!h.dir.path().join(format!("{DATABASE_FILE}.restoring")).exists());

    // Undo: the safety copy, named as listed, restores the store as it was.
    let (_, admin) = h.session_of(ADMIN_EMAIL);
    for outside in ["../tenant-desk.sqlite3", "/etc/passwd", "", "missing.sqlite3"] {
        assert_eq!(h.desk.backup_in_folder(&admin, outside).unwrap_err().code, ErrorCode::NotFound, "{outside}");
    }
    let listed = h.desk.backup_in_folder(&admin, &restored.previous_store.name).unwrap();
    h.desk.restore_store(&admin, &listed).unwrap();
    assert!(emails(&h.desk).contains(&"added.after@example.com".to_owned()));
    // And the store still opens after an app restart.
    drop(h.reopen());
}

#[test]
fn a_file_that_is_not_a_sound_store_is_refused_and_nothing_changes() {
    let h = Harness::new();
    busy_store(&h);
    let (token, admin) = h.session_of(ADMIN_EMAIL);
    let good = h.desk.back_up_store(&admin, &backup_path(&h, "good.sqlite3")).unwrap();

    let not_sqlite = backup_path(&h, "notes.sqlite3");
    std::fs::write(&not_sqlite, "these are not the pages you are looking for".repeat(200)).unwrap();
    let empty = backup_path(&h, "empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    let other_app = backup_path(&h, "other.sqlite3");
    Connection::open(&other_app).unwrap().execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);").unwrap();
    let damaged = backup_path(&h, "damaged.sqlite3");
    std::fs::copy(&good.path, &damaged).unwrap();
    corrupt(&damaged);
    let newer = backup_path(&h, "newer.sqlite3");
    std::fs::copy(&good.path, &newer).unwrap();
    Connection::open(&newer).unwrap().execute_batch("PRAGMA user_version = 999").unwrap();
    let missing = backup_path(&h, "missing.sqlite3");

    let before = emails(&h.desk);
    let damaged_bytes = std::fs::read(&damaged).unwrap();
    for file in [&not_sqlite, &empty, &other_app, &damaged, &newer, &missing] {
        let refused = h.desk.restore_store(&admin, file).map(drop).unwrap_err();
        assert_eq!(refused.code, ErrorCode::NotABackup, "{}: {}", file.display(), refused.message);
        assert!(refused.message.contains("Nothing was changed"), "{}", refused.message);
        assert_eq!(h.desk.inspect_backup(&admin, file).map(drop).unwrap_err().code, ErrorCode::NotABackup);
    }
    assert_eq!(std::fs::read(&damaged).unwrap(), damaged_bytes, "the offered file is only read");
    assert_eq!(emails(&h.desk), before);
    assert!(h.desk.actor(&token).is_ok(), "nobody was signed out");
    assert!(h.desk.list_backups(&admin).unwrap().is_empty(), "no safety copy for a refused file");
    assert!(h.audit("store.restore").is_empty());
}

/// A busy store with today's daily backup, closed, then damaged.
struct DamagedStore {
    dir: tempfile::TempDir,
    clock: Arc<tenant_desk_core::clock::ManualClock>,
    secrets: Arc<tenant_desk_core::secrets::MemoryStore>,
    /// The accounts it held before.
    before: Vec<String>,
    /// The store's file once damaged.
    bytes: Vec<u8>,
}

fn damaged_store(damage: impl FnOnce(&Path)) -> DamagedStore {
    let h = Harness::new();
    busy_store(&h);
    h.desk.daily_backup_if_due().unwrap().unwrap();
    let before = emails(&h.desk);
    let Harness { dir, clock, secrets, desk, .. } = h;
    drop(desk);
    let store = dir.path().join(DATABASE_FILE);
    damage(&store);
    let bytes = std::fs::read(&store).unwrap();
    DamagedStore { dir, clock, secrets, before, bytes }
}

#[test]
fn a_damaged_store_is_refused_at_open_untouched_and_recovered_from_a_backup() {
    let DamagedStore { dir, clock, secrets, before, bytes: damaged_bytes } = damaged_store(corrupt);
    let store = dir.path().join(DATABASE_FILE);

    let open = || Desk::open(config_of(dir.path(), &clock, &secrets));
    let refused = open().map(drop).unwrap_err();
    assert_eq!(refused.code, ErrorCode::StoreDamaged, "{}", refused.message);
    assert!(refused.message.contains("has not been changed"), "{}", refused.message);
    assert_eq!(std::fs::read(&store).unwrap(), damaged_bytes, "never migrated or written");
    assert_eq!(open().map(drop).unwrap_err().code, ErrorCode::StoreDamaged, "and again at the next start");

    let listed = backups::list_backups_in(dir.path()).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].kind, BackupKind::Daily);
    let kept = backups::recover(dir.path(), Path::new(&listed[0].path), clock_now(&clock)).unwrap();
    assert_eq!(kept.kind, BackupKind::Damaged);
    assert_eq!(std::fs::read(&kept.path).unwrap(), damaged_bytes, "the damaged store is kept as it was");
    let desk = open().unwrap();
    assert_eq!(emails(&desk), before);
}

/// Garbage over the first page of `table`'s b-tree: the schema still reads,
/// so only the check of every page finds the damage.
fn corrupt_table(store: &Path, table: &str) {
    let (page_size, root): (i64, i64) = {
        let conn = Connection::open(store).unwrap();
        let page_size = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
        let root = conn.query_row("SELECT rootpage FROM sqlite_schema WHERE name = ?1", [table], |r| r.get(0)).unwrap();
        (page_size, root)
    };
    let mut bytes = std::fs::read(store).unwrap();
    let from = ((root - 1) * page_size) as usize;
    for (i, b) in bytes[from..from + page_size as usize].iter_mut().enumerate() {
        *b = (i * 13 % 241) as u8;
    }
    std::fs::write(store, bytes).unwrap();
}

fn config_of(dir: &Path, clock: &Arc<tenant_desk_core::clock::ManualClock>, secrets: &Arc<tenant_desk_core::secrets::MemoryStore>) -> DeskConfig {
    DeskConfig {
        data_dir: dir.to_owned(),
        clock: clock.clone(),
        secrets: secrets.clone(),
        notifier: Arc::new(tenant_desk_core::notifications::Recorder::new()),
    }
}

/// A store damaged past its schema, opened as the window opens it: the
/// check of every page runs beside, and the open does not wait for it.
fn damaged_past_its_schema_opened_beside() -> (DamagedStore, Desk) {
    let damaged = damaged_store(|store| corrupt_table(store, "memberships"));
    let desk = Desk::open_checking_beside(config_of(damaged.dir.path(), &damaged.clock, &damaged.secrets)).unwrap();
    (damaged, desk)
}

#[test]
fn a_store_damaged_past_its_schema_opens_for_the_window_writes_nothing_and_is_recovered_in_place() {
    let (DamagedStore { dir, clock, before, bytes: damaged_bytes, .. }, desk) = damaged_past_its_schema_opened_beside();
    let store = dir.path().join(DATABASE_FILE);
    let verdict = desk.db().sqlite().unwrap().startup_check().unwrap_err();
    assert_eq!(verdict.code, ErrorCode::StoreDamaged, "{}", verdict.message);
    assert!(verdict.message.contains("has not been changed"), "{}", verdict.message);
    let write = desk.db().write(|tx| Ok(tx.execute("DELETE FROM install", [])?)).unwrap_err();
    assert_eq!(write.code, ErrorCode::StoreDamaged, "a write is refused");
    assert_eq!(desk.db().side().map(drop).unwrap_err().code, ErrorCode::StoreDamaged, "so is long work");
    clock.advance(Duration::hours(25));
    assert_eq!(desk.daily_backup_if_due().map(drop).unwrap_err().code, ErrorCode::StoreDamaged, "and a backup of it");
    assert_eq!(std::fs::read(&store).unwrap(), damaged_bytes, "nothing was written to it");

    let listed = backups::list_backups_in(dir.path()).unwrap();
    assert_eq!(listed.len(), 1, "no backup of the damaged store was kept: {listed:?}");
    let kept = desk.recover_damaged_store(Path::new(&listed[0].path)).unwrap();
    assert_eq!(kept.kind, BackupKind::Damaged);
    assert_eq!(std::fs::read(&kept.path).unwrap(), damaged_bytes, "the damaged store is kept as it was");
    assert_eq!(emails(&desk), before, "the same Desk reads the backup");
    let memberships = desk.db().read(|tx| Ok(tx.query_row("SELECT count(*) FROM memberships", [], |r| r.get::<_, i64>(0))?));
    assert!(memberships.unwrap() > 150, "the damaged table reads whole again");
    desk.db().sqlite().unwrap().startup_check().unwrap();
    desk.db().write(|tx| Ok(tx.execute("UPDATE install SET created_at = created_at", [])?)).unwrap();
    let refused = desk.recover_damaged_store(Path::new(&listed[0].path)).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed, "a sound store is only restored by an administrator");
}

#[test]
fn a_damaged_backup_leaves_the_open_store_as_it_was_and_a_sound_one_then_recovers_it() {
    let (DamagedStore { dir, before, bytes: damaged_bytes, .. }, desk) = damaged_past_its_schema_opened_beside();
    let store = dir.path().join(DATABASE_FILE);
    desk.db().sqlite().unwrap().startup_check().unwrap_err();
    let listed = backups::list_backups_in(dir.path()).unwrap();
    let sound = PathBuf::from(&listed[0].path);
    let elsewhere = tempfile::tempdir().unwrap();
    let damaged_backup = elsewhere.path().join("damaged-backup.sqlite");
    std::fs::copy(&sound, &damaged_backup).unwrap();
    corrupt_table(&damaged_backup, "accounts");

    let refused = desk.recover_damaged_store(&damaged_backup).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotABackup, "{}", refused.message);
    assert!(refused.message.contains("Nothing was changed"), "{}", refused.message);
    assert_eq!(std::fs::read(&store).unwrap(), damaged_bytes, "the damaged store is as it was");
    let write = desk.db().write(|tx| Ok(tx.execute("DELETE FROM install", [])?)).unwrap_err();
    assert_eq!(write.code, ErrorCode::StoreDamaged, "still nothing is written");
    let after_refusal = backups::list_backups_in(dir.path()).unwrap();
    assert_eq!(after_refusal.len(), 1, "no copy of the damaged store is left from the refused attempt: {after_refusal:?}");

    let kept = desk.recover_damaged_store(&sound).unwrap();
    assert_eq!(std::fs::read(&kept.path).unwrap(), damaged_bytes);
    assert_eq!(emails(&desk), before);
    desk.db().write(|tx| Ok(tx.execute("UPDATE install SET created_at = created_at", [])?)).unwrap();
}

#[test]
fn a_sound_store_checked_beside_takes_writes_once_checked_and_refuses_a_recovery() {
    let h = Harness::new();
    busy_store(&h);
    let Harness { dir, clock, secrets, desk, .. } = h;
    let backup = desk.daily_backup_if_due().unwrap().unwrap();
    let before = emails(&desk);
    drop(desk);
    let desk = Desk::open_checking_beside(config_of(dir.path(), &clock, &secrets)).unwrap();
    assert_eq!(emails(&desk), before);
    desk.db().write(|tx| Ok(tx.execute("UPDATE install SET created_at = created_at", [])?)).unwrap();
    desk.db().sqlite().unwrap().startup_check().unwrap();
    let refused = desk.recover_damaged_store(Path::new(&backup.path)).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert_eq!(emails(&desk), before, "nothing was replaced");
}

#[test]
fn a_store_whose_schema_is_damaged_is_refused_at_the_windows_open() {
    let h = Harness::new();
    busy_store(&h);
    let Harness { dir, clock, secrets, desk, .. } = h;
    drop(desk);
    let store = dir.path().join(DATABASE_FILE);
    let mut bytes = std::fs::read(&store).unwrap();
    for (i, b) in bytes[4096..].iter_mut().enumerate() {
        *b = (i * 31 % 253) as u8;
    }
    std::fs::write(&store, &bytes).unwrap();
    let refused = Desk::open_checking_beside(config_of(dir.path(), &clock, &secrets)).map(drop).unwrap_err();
    assert_eq!(refused.code, ErrorCode::StoreDamaged, "{}", refused.message);
    assert_eq!(std::fs::read(&store).unwrap(), bytes, "never migrated or written");
}

#[test]
fn a_file_that_is_not_sqlite_at_all_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join(DATABASE_FILE);
    std::fs::write(&store, "not a database, just text ".repeat(300)).unwrap();
    let refused = Db::open(dir.path()).map(drop).unwrap_err();
    assert_eq!(refused.code, ErrorCode::StoreDamaged);
    assert!(refused.message.contains("not a SQLite database"), "{}", refused.message);
    assert_eq!(std::fs::read_to_string(&store).unwrap(), "not a database, just text ".repeat(300));
    // A backup that is itself no store cannot replace it either.
    let refused = backups::recover(dir.path(), &store, chrono::Utc::now()).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotABackup);
}

#[test]
fn one_daily_backup_a_day_and_the_last_seven_are_kept() {
    let h = Harness::new();
    assert!(h.desk.daily_backup_if_due().unwrap().is_none(), "nothing to keep before setup");
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    assert!(h.desk.daily_backup_if_due().unwrap().is_some());
    assert!(h.desk.daily_backup_if_due().unwrap().is_none(), "not twice in one day");
    for _ in 0..9 {
        h.clock.advance(Duration::hours(25));
        assert!(h.desk.daily_backup_if_due().unwrap().is_some());
    }
    let dailies: Vec<_> =
        h.desk.list_backups(&admin).unwrap().into_iter().filter(|b| b.kind == BackupKind::Daily).collect();
    assert_eq!(dailies.len(), 7);
}

fn clock_now(clock: &tenant_desk_core::clock::ManualClock) -> chrono::DateTime<chrono::Utc> {
    tenant_desk_core::clock::Clock::now(clock)
}

/// A file of the backup folder written at `at` (its modification time).
fn backup_written(dir: &Path, name: &str, at: chrono::DateTime<chrono::Utc>) {
    let path = dir.join(name);
    std::fs::write(&path, b"").unwrap();
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(std::time::SystemTime::from(at)).unwrap();
}

#[test]
fn a_backup_dated_ahead_never_stops_daily_backups_and_is_pruned_first() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let dir = h.desk.backup_folder(&admin).unwrap();
    // Written while the clock said 2099, and named so.
    backup_written(&dir, "daily-20991231-120000.sqlite3", clock_now(&h.clock) + Duration::days(26_000));
    assert!(h.desk.daily_backup_if_due().unwrap().is_some(), "the future one is not recent");
    assert!(h.desk.daily_backup_if_due().unwrap().is_none(), "today's is");
    for _ in 0..7 {
        h.clock.advance(Duration::hours(25));
        assert!(h.desk.daily_backup_if_due().unwrap().is_some());
    }
    let dailies: Vec<String> =
        h.desk.list_backups(&admin).unwrap().into_iter().filter(|b| b.kind == BackupKind::Daily).map(|b| b.name).collect();
    assert_eq!(dailies.len(), 7);
    assert!(!dailies.iter().any(|n| n.starts_with("daily-2099")), "dated ahead: pruned first");
}

#[test]
fn every_kind_of_backup_is_pruned_by_its_rule() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let dir = h.desk.backup_folder(&admin).unwrap();
    let long_ago = clock_now(&h.clock) - Duration::days(400);
    for i in 0..25 {
        backup_written(&dir, &format!("manual-{i:02}.sqlite3"), long_ago + Duration::hours(i));
    }
    for i in 0..5 {
        backup_written(&dir, &format!("before-restore-{i}.sqlite3"), long_ago + Duration::hours(i));
        backup_written(&dir, &format!("damaged-{i}.sqlite3"), long_ago + Duration::hours(i));
    }
    // Back up now, into the app's folder: the folder is pruned after it.
    h.desk.back_up_store(&admin, &dir.join("manual-new.sqlite3")).unwrap();
    let listed = h.desk.list_backups(&admin).unwrap();
    let of = |kind: BackupKind| listed.iter().filter(|b| b.kind == kind).map(|b| b.name.clone()).collect::<Vec<_>>();
    let manual = of(BackupKind::Manual);
    assert_eq!(manual.len(), 20);
    assert!(manual.contains(&"manual-new.sqlite3".to_owned()));
    assert!(!manual.contains(&"manual-05.sqlite3".to_owned()), "the oldest go: {manual:?}");
    assert!(manual.contains(&"manual-06.sqlite3".to_owned()));
    assert_eq!(of(BackupKind::BeforeRestore), ["before-restore-4.sqlite3", "before-restore-3.sqlite3", "before-restore-2.sqlite3"]);
    assert_eq!(of(BackupKind::Damaged).len(), 3);
}

#[test]
fn a_full_disk_says_so_writes_nothing_and_the_store_works_once_there_is_room() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let pages: i64 = h.desk.db().read(|tx| Ok(tx.query_row("PRAGMA page_count", [], |r| r.get(0))?)).unwrap();
    // The store may not grow: as if the disk were full.
    h.desk.db().write(|tx| Ok(tx.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| r.get::<_, i64>(0))?)).unwrap();
    let mut full = None;
    for i in 0..2000 {
        match h.desk.create_user(&admin, new_user_input(&format!("filler-{i}@example.com"), Role::TenantUser, tenant_id(&admin))) {
            Ok(_) => {}
            Err(e) => {
                full = Some(e);
                break;
            }
        }
    }
    let e = full.expect("the store filled up");
    assert_eq!(e.code, ErrorCode::DiskFull);
    assert_eq!(e.message, "The disk is full: the change was not saved. Free some space and try again.");
    let ok: String = h.desk.db().read(|tx| Ok(tx.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)).unwrap();
    assert_eq!(ok, "ok");
    h.desk.db().write(|tx| Ok(tx.query_row("PRAGMA max_page_count = 1073741823", [], |r| r.get::<_, i64>(0))?)).unwrap();
    assert!(h.desk.create_user(&admin, new_user_input("after@example.com", Role::TenantUser, tenant_id(&admin))).is_ok());
}

#[test]
fn a_write_that_would_not_fit_is_refused_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let e = tenant_desk_core::store::disk_space::ensure_room(dir.path(), u64::MAX / 4, "a backup").unwrap_err();
    assert_eq!(e.code, ErrorCode::DiskFull);
    assert!(e.message.starts_with("There is not enough free disk space for a backup: it needs "), "{}", e.message);
    assert!(tenant_desk_core::store::disk_space::ensure_room(dir.path(), 1, "a backup").is_ok());
}

#[test]
fn a_backup_with_a_trigger_or_view_tenant_desk_did_not_make_is_refused() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let dir = h.desk.backup_folder(&admin).unwrap();
    for (name, extra) in [
        ("trigger", "CREATE TRIGGER steal AFTER INSERT ON accounts BEGIN UPDATE accounts SET is_platform_admin = 1; END;"),
        ("view", "CREATE VIEW everyone AS SELECT email, password_hash FROM accounts;"),
        ("table", "CREATE TABLE notes (text TEXT);"),
        // Named as a snapshot's own word index is, but not one.
        ("word index", "CREATE TABLE message_search_9 (text TEXT);"),
    ] {
        let path = dir.join(format!("tampered-{name}.sqlite3"));
        h.desk.back_up_store(&admin, &path).unwrap();
        Connection::open(&path).unwrap().execute_batch(extra).unwrap();
        let before = std::fs::read(&path).unwrap();
        let e = h.desk.inspect_backup(&admin, &path).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotABackup, "{name}");
        assert!(e.message.contains("that Tenant Desk did not make"), "{name}: {}", e.message);
        assert_eq!(h.desk.restore_store(&admin, &path).unwrap_err().code, ErrorCode::NotABackup);
        assert_eq!(std::fs::read(&path).unwrap(), before, "left as it was");
    }
    assert_eq!(emails(&h.desk).len(), 1, "the store is untouched");
}
