//! Writing the current tenant to an archive. The file is written beside the
//! target under a temporary name and renamed at the end, so a cancelled or
//! failed export leaves nothing behind.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::store::sql::{Begin, Dialect, Row, Tx};
use serde::Serialize;
use specta::Type;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::format::*;
use super::{ArchiveCounts, Progress};
use crate::authz::{authorize, permit, Actor, LocalAdministrator, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::audit::{self, Entry};
use crate::Desk;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExportOutcome {
    Exported { path: String, counts: ArchiveCounts },
    Cancelled,
}

/// Stops the export without a file: cancelled, not failed.
struct Cancelled;

enum Stop {
    Cancelled,
    Failed(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Failed(e)
    }
}
impl From<crate::store::sql::Error> for Stop {
    fn from(e: crate::store::sql::Error) -> Self {
        Stop::Failed(e.into())
    }
}
impl From<Cancelled> for Stop {
    fn from(_: Cancelled) -> Self {
        Stop::Cancelled
    }
}

fn io(e: impl std::fmt::Display) -> Stop {
    Stop::Failed(Error::file_system(format!("cannot write the archive: {e}")))
}

impl Desk {
    /// Writes the actor's current tenant to `target` (a Tenant Admin's, or
    /// any for a platform administrator). Snapshots are not exported again.
    pub fn export_tenant_archive(&self, actor: &Actor, target: &Path, progress: &Progress) -> Result<ExportOutcome> {
        authorize(actor, Operation::ExportTenantArchive)?;
        let tenant_id = actor.tenant.as_ref().map(|t| t.tenant_id).ok_or_else(Error::not_allowed)?;
        let outcome = self.export_tenant(tenant_id, target, progress, |tx| {
            permit(tx, actor, Operation::ExportTenantArchive).map(drop)
        })?;
        if let (ExportOutcome::Exported { .. }, Some(counts)) = &outcome {
            self.record_export(actor, tenant_id, target, counts)?;
        }
        Ok(outcome.0)
    }

    /// The command line's export of any tenant. It only reads the store, so
    /// it runs beside the app as well, and (like a backup) writes no audit
    /// entry: only the process holding the folder writes to the store.
    pub fn export_tenant_archive_locally(
        &self,
        _local: &LocalAdministrator,
        tenant_id: i64,
        target: &Path,
        progress: &Progress,
    ) -> Result<ExportOutcome> {
        Ok(self.export_tenant(tenant_id, target, progress, |tx| {
            let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = ?1)", [tenant_id], |r| r.get(0))?;
            if exists { Ok(()) } else { Err(Error::new(ErrorCode::NotFound, "No tenant has this ID.")) }
        })?
        .0)
    }

    /// Writes `tenant_id` to `target` in one read transaction, once `allowed`
    /// passed in it; the counts written, when it was.
    fn export_tenant(
        &self,
        tenant_id: i64,
        target: &Path,
        progress: &Progress,
        allowed: impl FnOnce(&Tx) -> Result<()>,
    ) -> Result<(ExportOutcome, Option<Counts>)> {
        let mut side = self.db.side()?;
        let tx = side.tx();
        tx.begin(Begin::Read)?;
        allowed(&tx)?;
        check_not_a_snapshot(&tx, tenant_id)?;
        let exported_at = self.now_millis();
        let part = temporary_path(target)?;
        let written = write_archive(&tx, &self.install_id(), tenant_id, exported_at, &part, progress);
        tx.rollback_now();
        drop(tx);
        match written {
            Ok(counts) => {
                std::fs::rename(&part, target).map_err(|e| {
                    let _ = std::fs::remove_file(&part);
                    Error::file_system(format!("cannot write {}: {e}", target.display()))
                })?;
                Ok((ExportOutcome::Exported { path: target.display().to_string(), counts: (&counts).into() }, Some(counts)))
            }
            Err(stop) => {
                let _ = std::fs::remove_file(&part);
                match stop {
                    Stop::Cancelled => Ok((ExportOutcome::Cancelled, None)),
                    Stop::Failed(e) => Err(e),
                }
            }
        }
    }

    fn record_export(&self, actor: &Actor, tenant_id: i64, target: &Path, counts: &Counts) -> Result<()> {
        let at = self.now_millis();
        let file = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.db.write(|tx| {
            audit::record(
                tx,
                Entry::tenant_change(
                    actor.account_id,
                    at,
                    tenant_id,
                    "archive.exported",
                    None,
                    Some(serde_json::json!({ "file": file, "conversations": counts.conversations, "messages": counts.messages })),
                ),
            )
        })
    }
}

/// A snapshot is not exported again.
fn check_not_a_snapshot(tx: &Tx, tenant_id: i64) -> Result<()> {
    let snapshot: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM snapshots WHERE tenant_id = ?1)", [tenant_id], |r| r.get(0))?;
    if snapshot {
        return Err(Error::new(ErrorCode::NotAllowed, "A snapshot is not exported again; export the tenant it was taken from."));
    }
    Ok(())
}

/// `.<name>.<random>.part` in the target's folder, so the final rename stays on one file system.
fn temporary_path(target: &Path) -> Result<PathBuf> {
    let name = target
        .file_name()
        .ok_or_else(|| Error::new(ErrorCode::Validation, "Choose a file to export to."))?
        .to_string_lossy()
        .into_owned();
    let suffix = crate::secrets::random::token(6)?;
    Ok(target.with_file_name(format!(".{name}.{suffix}.part")))
}

/// The SHA-256 of what a tenant's archive holds: each entry's name and
/// content, not the zip's bytes, which carry the time each entry was
/// written. The same rows give the same digest on either store (the archive
/// is written with `exported_at` 0 and the install id of the store read),
/// which is how a move to PostgreSQL is checked.
#[cfg(feature = "postgres")]
pub(crate) fn content_digest(tx: &Tx, tenant_id: i64, scratch: &Path) -> Result<String> {
    use crate::store::sql::OptionalExtension;
    use sha2::{Digest, Sha256};
    let install_id: String =
        tx.query_row("SELECT install_id FROM install WHERE id = 1", [], |r| r.get(0)).optional()?.unwrap_or_default();
    let part = scratch.join(format!("tenant-{tenant_id}.zip"));
    let digest = match write_archive(tx, &install_id, tenant_id, 0, &part, &Progress::new()) {
        Ok(_) => (|| -> Result<String> {
            let unreadable = |e: &dyn std::fmt::Display| Error::file_system(format!("cannot read {}: {e}", part.display()));
            let file = File::open(&part).map_err(|e| unreadable(&e))?;
            let mut zip = zip::ZipArchive::new(file).map_err(|e| unreadable(&e))?;
            let mut all = Sha256::new();
            for i in 0..zip.len() {
                let mut entry = zip.by_index(i).map_err(|e| unreadable(&e))?;
                let name = entry.name().map_err(|e| unreadable(&e))?.into_owned();
                let mut content = Sha256::new();
                std::io::copy(&mut entry, &mut content).map_err(|e| unreadable(&e))?;
                // Each name with its length, so no two entries run into one another.
                all.update((name.len() as u64).to_le_bytes());
                all.update(name.as_bytes());
                all.update(content.finalize());
            }
            Ok(all.finalize().iter().map(|b| format!("{b:02x}")).collect())
        })(),
        Err(Stop::Failed(e)) => Err(e),
        Err(Stop::Cancelled) => Err(Error::internal("an archive nobody cancelled was cancelled")),
    };
    let _ = std::fs::remove_file(&part);
    digest
}

fn write_archive(
    tx: &Tx,
    install_id: &str,
    tenant_id: i64,
    exported_at: i64,
    part: &Path,
    progress: &Progress,
) -> std::result::Result<Counts, Stop> {
    let counts = count(tx, tenant_id)?;
    progress.start(rows_in(&counts));
    let file = crate::store::private::create_private(part).map_err(io)?;
    let mut zip = ZipWriter::new(BufWriter::with_capacity(1 << 20, file));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).large_file(true);
    let mut out = JsonLines { zip: &mut zip, buf: Vec::with_capacity(1 << 20), progress, since_check: 0 };

    let tenant_name: String = tx.query_row("SELECT name FROM tenants WHERE id = ?1", [tenant_id], |r| r.get(0))?;
    let manifest = Manifest {
        format: FORMAT_NAME.into(),
        format_version: FORMAT_VERSION,
        source_install_id: install_id.into(),
        tenant_id,
        tenant_name,
        exported_at,
        counts: counts.clone(),
    };
    out.zip.start_file(MANIFEST, options).map_err(io)?;
    let manifest_json = serde_json::to_vec_pretty(&manifest).map_err(io)?;
    out.zip.write_all(&manifest_json).map_err(io)?;

    for file in EntityFile::ALL {
        out.zip.start_file(file.name(), options).map_err(io)?;
        let (sql, read): (&str, RowWriter) = query_of(file);
        let sql = match tx.dialect() {
            Dialect::Sqlite => sql.to_owned(),
            // The same JSON array of ranges, in PostgreSQL's words.
            Dialect::Postgres => sql.replace(
                "json_group_array(json_array(weekday, start_minute, end_minute))",
                "coalesce(json_agg(json_build_array(weekday, start_minute, end_minute))::text, '[]')",
            ),
        };
        let mut stmt = tx.prepare(&sql)?;
        for written in stmt.query_map([tenant_id], |row| Ok(read(row, &mut out)))? {
            written??;
        }
        out.flush()?;
    }
    let writer = zip.finish().map_err(io)?;
    let file = writer.into_inner().map_err(|e| io(e.error()))?;
    file.sync_all().map_err(io)?;
    Ok(counts)
}

fn rows_in(c: &Counts) -> u64 {
    c.tenant + c.users + c.memberships + c.schedules + c.conversations + c.messages + c.audit_log
}

/// Accounts the archive names: members, conversation operators, and the
/// audit log's actors and subjects (also deleted ones).
macro_rules! people {
    () => {
        "SELECT account_id FROM memberships WHERE tenant_id = ?1 AND snapshot_reader = 0
         UNION SELECT operator_account_id FROM conversations WHERE tenant_id = ?1 AND operator_account_id IS NOT NULL
         UNION SELECT actor_account_id FROM audit_log WHERE tenant_id = ?1 AND actor_account_id IS NOT NULL
         UNION SELECT subject_account_id FROM audit_log WHERE tenant_id = ?1 AND subject_account_id IS NOT NULL"
    };
}

fn count(tx: &Tx, tenant_id: i64) -> Result<Counts> {
    let n = |sql: &str| -> Result<u64> { Ok(tx.query_row(sql, [tenant_id], |r| r.get::<_, i64>(0))?.max(0) as u64) };
    Ok(Counts {
        tenant: 1,
        users: n(concat!("SELECT count(*) FROM (", people!(), ") AS people"))?,
        memberships: n("SELECT count(*) FROM memberships WHERE tenant_id = ?1 AND snapshot_reader = 0")?,
        schedules: n("SELECT count(*) FROM operator_schedules s JOIN memberships m ON m.id = s.membership_id
                       WHERE m.tenant_id = ?1 AND m.snapshot_reader = 0")?,
        conversations: n("SELECT count(*) FROM conversations WHERE tenant_id = ?1")?,
        messages: n("SELECT count(*) FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE tenant_id = ?1)")?,
        audit_log: n("SELECT count(*) FROM audit_log WHERE tenant_id = ?1")?,
    })
}

/// Serializes records into the current zip entry in large writes, counting
/// progress and noticing a request to cancel.
struct JsonLines<'a, W: Write + std::io::Seek> {
    zip: &'a mut ZipWriter<W>,
    buf: Vec<u8>,
    progress: &'a Progress,
    since_check: u64,
}

impl<W: Write + std::io::Seek> JsonLines<'_, W> {
    fn push(&mut self, record: &impl Serialize) -> std::result::Result<(), Stop> {
        serde_json::to_writer(&mut self.buf, record).map_err(io)?;
        self.buf.push(b'\n');
        self.since_check += 1;
        if self.buf.len() >= 1 << 20 || self.since_check >= 2048 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::result::Result<(), Stop> {
        self.zip.write_all(&self.buf).map_err(io)?;
        self.buf.clear();
        self.progress.advance(self.since_check);
        self.since_check = 0;
        if self.progress.is_cancelled() {
            return Err(Cancelled.into());
        }
        Ok(())
    }
}

type RowWriter = fn(&Row, &mut JsonLines<'_, BufWriter<File>>) -> std::result::Result<(), Stop>;

fn query_of(file: EntityFile) -> (&'static str, RowWriter) {
    match file {
        EntityFile::Tenant => (
            "SELECT id, name, description, billing_email, phone, website, country, street, zip_code, timezone,
                    labels, require_mfa, created_at, modified_at FROM tenants WHERE id = ?1",
            |r, out| {
                let labels: String = r.get(10)?;
                out.push(&TenantRecord {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    description: r.get(2)?,
                    billing_email: r.get(3)?,
                    phone: r.get(4)?,
                    website: r.get(5)?,
                    country: r.get(6)?,
                    street: r.get(7)?,
                    zip_code: r.get(8)?,
                    timezone: r.get(9)?,
                    labels: serde_json::from_str(&labels).unwrap_or_default(),
                    require_mfa: r.get(11)?,
                    created_at: r.get(12)?,
                    modified_at: r.get(13)?,
                })
            },
        ),
        EntityFile::Users => (
            concat!(
                "SELECT id, email, name, phone, company, created_at, modified_at, deleted_at FROM accounts WHERE id IN (",
                people!(),
                ") ORDER BY id"
            ),
            |r, out| {
                out.push(&UserRecord {
                    id: r.get(0)?,
                    email: r.get(1)?,
                    name: r.get(2)?,
                    phone: r.get(3)?,
                    company: r.get(4)?,
                    created_at: r.get(5)?,
                    modified_at: r.get(6)?,
                    deleted_at: r.get(7)?,
                })
            },
        ),
        EntityFile::Memberships => (
            "SELECT id, account_id, role, created_at, modified_at FROM memberships
              WHERE tenant_id = ?1 AND snapshot_reader = 0 ORDER BY id",
            |r, out| {
                out.push(&MembershipRecord {
                    id: r.get(0)?,
                    user_id: r.get(1)?,
                    role: r.get(2)?,
                    created_at: r.get(3)?,
                    modified_at: r.get(4)?,
                })
            },
        ),
        EntityFile::Schedules => (
            "SELECT s.membership_id, s.zone,
                    (SELECT json_group_array(json_array(weekday, start_minute, end_minute))
                       FROM (SELECT weekday, start_minute, end_minute FROM operator_schedule_ranges
                              WHERE membership_id = s.membership_id ORDER BY weekday, start_minute) AS r)
               FROM operator_schedules s JOIN memberships m ON m.id = s.membership_id
              WHERE m.tenant_id = ?1 AND m.snapshot_reader = 0 ORDER BY s.membership_id",
            |r, out| {
                let ranges: String = r.get(2)?;
                let ranges: Vec<(u8, u16, u16)> = serde_json::from_str(&ranges).map_err(io)?;
                out.push(&ScheduleRecord {
                    membership_id: r.get(0)?,
                    zone: r.get(1)?,
                    ranges: ranges
                        .into_iter()
                        .map(|(weekday, start_minute, end_minute)| RangeRecord { weekday, start_minute, end_minute })
                        .collect(),
                })
            },
        ),
        EntityFile::Conversations => (
            "SELECT id, channel, customer, operator_account_id, status, created_at, last_activity_at,
                    customer_replied, message_count FROM conversations WHERE tenant_id = ?1 ORDER BY id",
            |r, out| {
                out.push(&ConversationRecord {
                    id: r.get(0)?,
                    channel: r.get(1)?,
                    customer: r.get(2)?,
                    operator_user_id: r.get(3)?,
                    status: r.get(4)?,
                    created_at: r.get(5)?,
                    last_activity_at: r.get(6)?,
                    customer_replied: r.get(7)?,
                    message_count: r.get(8)?,
                })
            },
        ),
        EntityFile::Messages => (
            "SELECT id, conversation_id, author, text, at FROM messages
              WHERE conversation_id IN (SELECT id FROM conversations WHERE tenant_id = ?1) ORDER BY id",
            |r, out| {
                out.push(&MessageRecord {
                    id: r.get(0)?,
                    conversation_id: r.get(1)?,
                    author: r.get(2)?,
                    text: r.get(3)?,
                    at: r.get(4)?,
                })
            },
        ),
        EntityFile::AuditLog => (
            "SELECT id, at, actor_account_id, subject_account_id, action, subject, before, after
               FROM audit_log WHERE tenant_id = ?1 ORDER BY id",
            |r, out| {
                out.push(&AuditRecord {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor_user_id: r.get(2)?,
                    subject_user_id: r.get(3)?,
                    action: r.get(4)?,
                    subject: r.get(5)?,
                    before: r.get(6)?,
                    after: r.get(7)?,
                })
            },
        ),
    }
}
