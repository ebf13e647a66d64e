//! The store is its owner's alone: folders 0700, the database, its WAL,
//! backups, archives and chart data exports 0600.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tenant_desk_core::analytics::{AnalyticsRange, RangePreset};
use tenant_desk_core::archives::{ExportOutcome, Progress};
use tenant_desk_core::store::DATABASE_FILE;

use crate::support::*;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

#[test]
fn nothing_the_store_writes_is_readable_by_other_users() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let dir = h.dir.path();
    assert_eq!(mode(dir), 0o700, "the data folder");
    assert_eq!(mode(&dir.join(DATABASE_FILE)), 0o600, "the database");
    assert_eq!(mode(&dir.join(format!("{DATABASE_FILE}-wal"))), 0o600, "its WAL");

    let backup = h.desk.back_up_store(&admin, &h.desk.backup_folder(&admin).unwrap().join("b.sqlite3")).unwrap();
    assert_eq!(mode(Path::new(&backup.path)), 0o600, "a backup");
    assert_eq!(mode(&h.desk.backup_folder(&admin).unwrap()), 0o700, "the backup folder");

    let archive = dir.join("acme.zip");
    match h.desk.export_tenant_archive(&admin, &archive, &Progress::new()).unwrap() {
        ExportOutcome::Exported { .. } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(mode(&archive), 0o600, "an archive");

    let export = h.desk.start_chart_export(&admin, &AnalyticsRange::preset(RangePreset::Last7Days)).unwrap();
    h.desk.run_chart_export(export.id).unwrap();
    let exports = dir.join("exports");
    assert_eq!(mode(&exports), 0o700, "the exports folder");
    for file in std::fs::read_dir(&exports).unwrap() {
        assert_eq!(mode(&file.unwrap().path()), 0o600, "a chart data export");
    }
}

#[test]
fn a_store_made_readable_by_others_is_made_private_again_at_open() {
    let h = Harness::new();
    h.set_up(false);
    let dir = h.dir.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(dir.join(DATABASE_FILE), std::fs::Permissions::from_mode(0o644)).unwrap();
    let _reopened = h.reopen();
    assert_eq!(mode(dir), 0o700);
    assert_eq!(mode(&dir.join(DATABASE_FILE)), 0o600);
}
