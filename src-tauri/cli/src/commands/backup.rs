//! `backup create | list | verify | restore`: the app's own backups, and its
//! crash-safe restore (a store that fails its check is recovered the way the
//! recovery screen does it).

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use serde_json::json;
use tenant_desk_core::backups::{self, BackupFile};
use tenant_desk_core::store::folder_lock::FolderLock;
use tenant_desk_core::{Error, ErrorCode, Result};

use super::Done;
use crate::args::Backup;
use crate::folder;
use crate::output::{table, Output};

pub fn run(dir: &Path, command: Backup, out: Output) -> Result<Done> {
    match command {
        Backup::Create { to } => {
            let opened = folder::open_to_read(dir)?;
            let written = opened.desk.back_up_locally(&opened.local, to.as_deref())?;
            out.show(&written, || format!("Backed up to {} ({}).", written.path, size(written.size_bytes)));
        }
        Backup::List => {
            folder::owner(dir)?;
            let all = backups::list_backups_in(dir)?;
            out.show(&all, || listing(&all));
        }
        Backup::Verify { file } => {
            let summary = backups::backup_summary(&file)?;
            out.show(&summary, || {
                format!(
                    "{} is a sound Tenant Desk backup: {} tenants, {} users, {} conversations.",
                    summary.file.path, summary.tenants, summary.users, summary.conversations
                )
            });
        }
        Backup::Restore { file, yes } => return restore(dir, &file, yes, out),
    }
    Ok(Done::Ok)
}

fn restore(dir: &Path, file: &Path, yes: bool, out: Output) -> Result<Done> {
    let summary = backups::backup_summary(file)?;
    if !yes && !confirmed(&format!(
        "Replace the whole store of {} with {} ({} tenants, {} users)? Everyone signs in again. A copy of the \
         current store is kept in the backup folder. Type yes to restore: ",
        dir.display(),
        summary.file.name,
        summary.tenants,
        summary.users
    ))? {
        return Err(Error::new(ErrorCode::Validation, "Not restored: nothing was changed."));
    }
    match folder::open_to_change(dir) {
        Ok(opened) => {
            let restored = opened.desk.restore_store_locally(&opened.local, file)?;
            out.show(&restored, || {
                format!(
                    "Restored from {}. The store as it was is kept as {}. Everyone signs in again.",
                    restored.from.name, restored.previous_store.path
                )
            });
        }
        // The store fails its check: the recovery screen's way, which keeps
        // the damaged file aside.
        Err(e) if e.code == ErrorCode::StoreDamaged => {
            folder::owner(dir)?;
            let _lock = FolderLock::acquire(dir)?;
            let kept = backups::recover(dir, file, chrono::Utc::now())?;
            out.show(&json!({ "from": summary.file, "damaged_store": kept }), || {
                format!("The damaged store was replaced by {}; it is kept as {}.", summary.file.name, kept.path)
            });
        }
        Err(e) => return Err(e),
    }
    Ok(Done::Ok)
}

/// Asks on the terminal; with no terminal, `--yes` is the only answer.
fn confirmed(question: &str) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::new(ErrorCode::Validation, "Restoring replaces the whole store: add --yes to confirm. Nothing was changed."));
    }
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|e| Error::internal(format!("cannot read the answer: {e}")))?;
    Ok(answer.trim().eq_ignore_ascii_case("yes"))
}

fn listing(all: &[BackupFile]) -> String {
    if all.is_empty() {
        return "No backups yet.".into();
    }
    let mut rows = vec![vec!["Written (UTC)".into(), "Kind".into(), "Size".into(), "File".into()]];
    for b in all {
        let kind = serde_json::to_value(b.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        rows.push(vec![b.written_at.clone(), kind.replace('_', " "), size(b.size_bytes), b.name.clone()]);
    }
    table(&rows)
}

fn size(bytes: i64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
