//! Loading an archive as a read-only snapshot. Every record is checked as
//! it is loaded, inside one write transaction on a connection of its own:
//! any problem (format version, a missing file, bad JSON, a broken
//! reference, a duplicate id, a count that does not match, a truncated or
//! oversized entry) rolls the whole import back and comes back as a report
//! naming file, line and problem. Cancelling rolls back too; so does a
//! killed process, since nothing is committed before the end.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::Path;

use rusqlite::{params, Transaction, TransactionBehavior};
use serde::de::DeserializeOwned;
use serde::Serialize;
use specta::Type;
use zip::ZipArchive;

use super::format::*;
use super::limits::{LineError, Lines};
use super::snapshots::{self, SnapshotRow};
use super::{Limits, Progress};
use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{Error, Result};
use crate::store::audit::{self, Entry};
use crate::Desk;

/// One thing wrong with an archive: which file, which line (1-based, none
/// for the file as a whole) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Problem {
    pub file: String,
    pub line: Option<u32>,
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImportOutcome {
    Imported { snapshot: SnapshotRow },
    /// Nothing was written. `more`: there were more problems than listed.
    Rejected { problems: Vec<Problem>, more: bool },
    Cancelled,
}

impl Desk {
    /// Imports the archive at `source` as a snapshot the actor can open
    /// (a Tenant Admin of the tenant they work in, or a platform administrator).
    pub fn import_tenant_archive(
        &self,
        actor: &Actor,
        source: &Path,
        progress: &Progress,
        limits: Limits,
    ) -> Result<ImportOutcome> {
        authorize(actor, Operation::ImportTenantArchive)?;
        let archive_name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut report = Report::new(limits.max_problems);
        let Some((mut zip, manifest)) = open(source, &archive_name, limits, &mut report)? else {
            return Ok(report.rejected());
        };
        let mut conn = self.db.side_connection()?;
        conn.pragma_update(None, "cache_size", -131_072)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        permit(&tx, actor, Operation::ImportTenantArchive)?;
        let now = self.now_millis();
        progress.start(rows_in(&manifest.counts));
        let mut loader = Loader::new(&tx, &manifest, report, progress);
        for file in EntityFile::ALL {
            let entry = match zip.by_name(file.name()) {
                Ok(entry) => entry,
                Err(e) => return Err(Error::file_system(format!("cannot read {}: {e}", file.name()))),
            };
            loader.load(file, Lines::new(entry, limits))?;
            if loader.cancelled {
                return Ok(ImportOutcome::Cancelled);
            }
            if loader.report.full() {
                break;
            }
        }
        if !loader.report.problems.is_empty() {
            return Ok(loader.report.rejected());
        }
        let snapshot_id = loader.finish(actor, now)?;
        // Analytics reads per-conversation times; the archive holds the messages they come from.
        crate::analytics::derive_for_tenant(&tx, snapshot_id)?;
        let snapshot = snapshots::row(&tx, snapshot_id)?;
        audit::record(
            &tx,
            Entry {
                at: now,
                actor_account_id: Some(actor.account_id),
                tenant_id: actor.tenant.as_ref().map(|t| t.tenant_id),
                action: "archive.imported",
                subject: format!("tenant:{snapshot_id}"),
                subject_account_id: None,
                before: None,
                after: Some(serde_json::json!({
                    "file": archive_name,
                    "snapshot_of": manifest.tenant_name,
                    "data_as_of": manifest.exported_at,
                })),
                via: audit::Via::Window,
            },
        )?;
        if progress.is_cancelled() {
            return Ok(ImportOutcome::Cancelled);
        }
        tx.commit()?;
        Ok(ImportOutcome::Imported { snapshot })
    }
}

fn rows_in(c: &Counts) -> u64 {
    [c.tenant, c.users, c.memberships, c.schedules, c.conversations, c.messages, c.audit_log]
        .iter()
        .fold(0u64, |a, n| a.saturating_add(*n))
}

/// The zip and its manifest, or `None` with the problems in `report`.
fn open(
    source: &Path,
    archive_name: &str,
    limits: Limits,
    report: &mut Report,
) -> Result<Option<(ZipArchive<File>, Manifest)>> {
    let file = File::open(source).map_err(|e| Error::file_system(format!("cannot open {}: {e}", source.display())))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or_default();
    if size == 0 {
        report.add(archive_name, None, "the file is empty (0 bytes)".into());
        return Ok(None);
    }
    let mut zip = match ZipArchive::new(file) {
        Ok(zip) => zip,
        Err(e) => {
            report.add(archive_name, None, format!("not a Tenant Desk archive, or a truncated one ({e})"));
            return Ok(None);
        }
    };
    let manifest = match read_manifest(&mut zip, limits) {
        Ok(m) => m,
        Err(problem) => {
            report.add(MANIFEST, None, problem);
            return Ok(None);
        }
    };
    if manifest.format != FORMAT_NAME {
        report.add(MANIFEST, None, format!("format \"{}\" is not \"{FORMAT_NAME}\"", manifest.format));
    } else if manifest.format_version != FORMAT_VERSION {
        report.add(
            MANIFEST,
            None,
            format!("format version {} is not supported (this app reads version {FORMAT_VERSION})", manifest.format_version),
        );
    }
    for file in EntityFile::ALL {
        if zip.index_for_name(file.name()).is_none() {
            report.add(file.name(), None, "the file is missing from the archive".into());
        }
    }
    Ok(if report.problems.is_empty() { Some((zip, manifest)) } else { None })
}

fn read_manifest(zip: &mut ZipArchive<File>, limits: Limits) -> std::result::Result<Manifest, String> {
    let entry = zip.by_name(MANIFEST).map_err(|_| "the file is missing from the archive".to_string())?;
    let cap = limits.max_line_bytes as u64;
    let mut bytes = Vec::new();
    entry
        .take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LineError::Unreadable(e.to_string()).describe())?;
    if bytes.len() as u64 > cap {
        return Err(LineError::EntryTooLarge(cap).describe());
    }
    serde_json::from_slice(&bytes).map_err(|e| format!("bad JSON at line {}, column {}: {e}", e.line(), e.column()))
}

struct Report {
    problems: Vec<Problem>,
    max: usize,
    more: bool,
}

impl Report {
    fn new(max: usize) -> Self {
        Self { problems: Vec::new(), max: max.max(1), more: false }
    }

    fn add(&mut self, file: &str, line: Option<u32>, problem: String) {
        if self.problems.len() < self.max {
            self.problems.push(Problem { file: file.into(), line, problem });
        } else {
            self.more = true;
        }
    }

    fn full(&self) -> bool {
        self.more
    }

    fn rejected(self) -> ImportOutcome {
        ImportOutcome::Rejected { problems: self.problems, more: self.more }
    }
}

/// Loads records in file order, keeping the archive's ids mapped to the
/// new rows so later files can refer to earlier ones.
struct Loader<'a> {
    tx: &'a Transaction<'a>,
    manifest: &'a Manifest,
    report: Report,
    progress: &'a Progress,
    cancelled: bool,
    snapshot_id: Option<i64>,
    users: HashMap<i64, i64>,
    memberships: HashMap<i64, i64>,
    members: HashSet<i64>,
    schedules: HashSet<i64>,
    conversations: HashMap<i64, i64>,
    messages: HashSet<i64>,
    audit: HashSet<i64>,
}

/// Why a record was not loaded; the loader notes it against file and line.
type Check = std::result::Result<(), String>;

impl<'a> Loader<'a> {
    fn new(tx: &'a Transaction<'a>, manifest: &'a Manifest, report: Report, progress: &'a Progress) -> Self {
        // Room for what the manifest announces, within reason (it may lie).
        let room = |n: u64| usize::try_from(n.min(4_000_000)).unwrap_or_default();
        Self {
            tx,
            manifest,
            report,
            progress,
            cancelled: false,
            snapshot_id: None,
            users: HashMap::with_capacity(room(manifest.counts.users)),
            memberships: HashMap::with_capacity(room(manifest.counts.memberships)),
            members: HashSet::new(),
            schedules: HashSet::new(),
            conversations: HashMap::with_capacity(room(manifest.counts.conversations)),
            messages: HashSet::with_capacity(room(manifest.counts.messages)),
            audit: HashSet::with_capacity(room(manifest.counts.audit_log)),
        }
    }

    fn load<R: Read>(&mut self, file: EntityFile, mut lines: Lines<R>) -> Result<()> {
        let name = file.name();
        let mut line = Vec::with_capacity(4096);
        let mut number: u32 = 0;
        let mut records: u64 = 0;
        let mut since_check: u64 = 0;
        loop {
            match lines.next_into(&mut line) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    self.report.add(name, Some(number + 1), e.describe());
                    return Ok(());
                }
            }
            number = number.saturating_add(1);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            records += 1;
            let checked = match file {
                EntityFile::Tenant => self.parse(&line).and_then(|r| self.tenant(r, records)),
                EntityFile::Users => self.parse(&line).and_then(|r| self.user(r)),
                EntityFile::Memberships => self.parse(&line).and_then(|r| self.membership(r)),
                EntityFile::Schedules => self.parse(&line).and_then(|r| self.schedule(r)),
                EntityFile::Conversations => self.parse(&line).and_then(|r| self.conversation(r)),
                EntityFile::Messages => self.parse(&line).and_then(|r| self.message(r)),
                EntityFile::AuditLog => self.parse(&line).and_then(|r| self.audit(r)),
            };
            match checked {
                Ok(Ok(())) => {}
                Ok(Err(problem)) => {
                    self.report.add(name, Some(number), problem);
                    if self.report.full() {
                        return Ok(());
                    }
                }
                Err(e) => return Err(e),
            }
            since_check += 1;
            if since_check == 1024 {
                self.progress.advance(since_check);
                since_check = 0;
                if self.progress.is_cancelled() {
                    self.cancelled = true;
                    return Ok(());
                }
            }
        }
        self.progress.advance(since_check);
        let announced = file.count(&self.manifest.counts);
        if records != announced {
            self.report.add(name, None, format!("the manifest counts {announced} records, the file holds {records}"));
        }
        Ok(())
    }

    /// A record from one JSON line; a parse failure is a problem of the
    /// archive, not an error of the import.
    fn parse<T: DeserializeOwned>(&self, line: &[u8]) -> Result<std::result::Result<T, String>> {
        Ok(serde_json::from_slice(line).map_err(|e| format!("bad JSON at column {}: {e}", e.column())))
    }

    fn snapshot(&self) -> std::result::Result<i64, String> {
        self.snapshot_id.ok_or_else(|| "the tenant is missing (tenant.jsonl holds no record)".to_string())
    }

    fn tenant(&mut self, r: std::result::Result<TenantRecord, String>, nth: u64) -> Result<Check> {
        let r = match r {
            Ok(r) => r,
            Err(p) => return Ok(Err(p)),
        };
        if nth > 1 {
            return Ok(Err("a second tenant: the file holds exactly one".into()));
        }
        if r.id != self.manifest.tenant_id {
            return Ok(Err(format!("tenant id {} is not the manifest's tenant id {}", r.id, self.manifest.tenant_id)));
        }
        if r.name.trim().is_empty() {
            return Ok(Err("the tenant has no name".into()));
        }
        let labels = serde_json::to_string(&r.labels).map_err(Error::storage)?;
        self.tx.execute(
            "INSERT INTO tenants (name, description, billing_email, phone, website, country, street, zip_code,
                                  timezone, labels, read_only, require_mfa, created_at, modified_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12, ?13)",
            params![
                r.name, r.description, r.billing_email, r.phone, r.website, r.country, r.street, r.zip_code,
                r.timezone, labels, r.require_mfa, r.created_at, r.modified_at
            ],
        )?;
        self.snapshot_id = Some(self.tx.last_insert_rowid());
        Ok(Ok(()))
    }

    fn user(&mut self, r: std::result::Result<UserRecord, String>) -> Result<Check> {
        let (r, snapshot) = match (r, self.snapshot()) {
            (Ok(r), Ok(s)) => (r, s),
            (Err(p), _) | (_, Err(p)) => return Ok(Err(p)),
        };
        if self.users.contains_key(&r.id) {
            return Ok(Err(format!("duplicate user id {}", r.id)));
        }
        if r.email.trim().is_empty() {
            return Ok(Err(format!("user {} has no email", r.id)));
        }
        // Snapshot people never sign in and never stand for a real account:
        // their email key starts with a space (no email does once trimmed)
        // and their password hash is no hash at all.
        let key = format!(" snapshot:{snapshot}:{}", crate::validate::email_key(&r.email));
        let inserted = self.tx.prepare_cached(
            "INSERT INTO accounts (email, email_key, name, password_hash, is_platform_admin, deleted_at,
                                   created_at, modified_at, phone, company)
             VALUES (?1, ?2, ?3, '!', 0, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![r.email, key, r.name, r.deleted_at, r.created_at, r.modified_at, r.phone, r.company]);
        match inserted {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Ok(Err(format!("duplicate email {}", r.email))),
            Err(e) => return Err(e.into()),
        }
        self.users.insert(r.id, self.tx.last_insert_rowid());
        Ok(Ok(()))
    }

    fn membership(&mut self, r: std::result::Result<MembershipRecord, String>) -> Result<Check> {
        let (r, snapshot) = match (r, self.snapshot()) {
            (Ok(r), Ok(s)) => (r, s),
            (Err(p), _) | (_, Err(p)) => return Ok(Err(p)),
        };
        if self.memberships.contains_key(&r.id) {
            return Ok(Err(format!("duplicate membership id {}", r.id)));
        }
        let Some(&account) = self.users.get(&r.user_id) else {
            return Ok(Err(format!("user_id {} is not in users.jsonl", r.user_id)));
        };
        if !self.members.insert(r.user_id) {
            return Ok(Err(format!("user {} has a second membership", r.user_id)));
        }
        self.tx
            .prepare_cached(
                "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![account, snapshot, r.role, r.created_at, r.modified_at])?;
        self.memberships.insert(r.id, self.tx.last_insert_rowid());
        Ok(Ok(()))
    }

    fn schedule(&mut self, r: std::result::Result<ScheduleRecord, String>) -> Result<Check> {
        let r = match r {
            Ok(r) => r,
            Err(p) => return Ok(Err(p)),
        };
        let Some(&membership) = self.memberships.get(&r.membership_id) else {
            return Ok(Err(format!("membership_id {} is not in memberships.jsonl", r.membership_id)));
        };
        if !self.schedules.insert(r.membership_id) {
            return Ok(Err(format!("duplicate schedule of membership {}", r.membership_id)));
        }
        if crate::timezones::parse(&r.zone).is_none() {
            return Ok(Err(format!("\"{}\" is not an IANA timezone", r.zone)));
        }
        if let Some(bad) = r.ranges.iter().find(|g| g.weekday > 6 || g.end_minute > 1440 || g.end_minute <= g.start_minute) {
            return Ok(Err(format!(
                "range weekday {} {}–{} is not a weekday 0–6 with minutes 0–1440, end after start",
                bad.weekday, bad.start_minute, bad.end_minute
            )));
        }
        self.tx
            .prepare_cached("INSERT INTO operator_schedules (membership_id, zone) VALUES (?1, ?2)")?
            .execute(params![membership, r.zone])?;
        let mut range = self.tx.prepare_cached(
            "INSERT INTO operator_schedule_ranges (membership_id, weekday, start_minute, end_minute) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for g in &r.ranges {
            range.execute(params![membership, g.weekday, g.start_minute, g.end_minute])?;
        }
        Ok(Ok(()))
    }

    fn conversation(&mut self, r: std::result::Result<ConversationRecord, String>) -> Result<Check> {
        let (r, snapshot) = match (r, self.snapshot()) {
            (Ok(r), Ok(s)) => (r, s),
            (Err(p), _) | (_, Err(p)) => return Ok(Err(p)),
        };
        if self.conversations.contains_key(&r.id) {
            return Ok(Err(format!("duplicate conversation id {}", r.id)));
        }
        let operator = match r.operator_user_id {
            None => None,
            Some(id) => match self.users.get(&id) {
                Some(&account) => Some(account),
                None => return Ok(Err(format!("operator_user_id {id} is not in users.jsonl"))),
            },
        };
        self.tx
            .prepare_cached(
                "INSERT INTO conversations (tenant_id, channel, customer, operator_account_id, status, created_at,
                                            last_activity_at, customer_replied, message_count)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                snapshot,
                r.channel,
                r.customer,
                operator,
                r.status,
                r.created_at,
                r.last_activity_at,
                r.customer_replied,
                r.message_count
            ])?;
        self.conversations.insert(r.id, self.tx.last_insert_rowid());
        Ok(Ok(()))
    }

    fn message(&mut self, r: std::result::Result<MessageRecord, String>) -> Result<Check> {
        let r = match r {
            Ok(r) => r,
            Err(p) => return Ok(Err(p)),
        };
        let Some(&conversation) = self.conversations.get(&r.conversation_id) else {
            return Ok(Err(format!("conversation_id {} is not in conversations.jsonl", r.conversation_id)));
        };
        if !self.messages.insert(r.id) {
            return Ok(Err(format!("duplicate message id {}", r.id)));
        }
        self.tx
            .prepare_cached("INSERT INTO messages (conversation_id, author, text, at) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![conversation, r.author, r.text, r.at])?;
        Ok(Ok(()))
    }

    fn audit(&mut self, r: std::result::Result<AuditRecord, String>) -> Result<Check> {
        let (r, snapshot) = match (r, self.snapshot()) {
            (Ok(r), Ok(s)) => (r, s),
            (Err(p), _) | (_, Err(p)) => return Ok(Err(p)),
        };
        if !self.audit.insert(r.id) {
            return Ok(Err(format!("duplicate audit entry id {}", r.id)));
        }
        let person = |id: Option<i64>, field: &str| -> std::result::Result<Option<i64>, String> {
            match id {
                None => Ok(None),
                Some(id) => self.users.get(&id).copied().map(Some).ok_or_else(|| format!("{field} {id} is not in users.jsonl")),
            }
        };
        let (actor, subject) = match (person(r.actor_user_id, "actor_user_id"), person(r.subject_user_id, "subject_user_id")) {
            (Ok(a), Ok(s)) => (a, s),
            (Err(p), _) | (_, Err(p)) => return Ok(Err(p)),
        };
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log (at, actor_account_id, tenant_id, action, subject, before, after, subject_account_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![r.at, actor, snapshot, r.action, r.subject, r.before, r.after, subject])?;
        Ok(Ok(()))
    }

    /// Billable windows, the snapshot's provenance and the importer's way in.
    fn finish(&mut self, actor: &Actor, now: i64) -> Result<i64> {
        let snapshot = self.snapshot_id.ok_or_else(|| Error::storage("the snapshot has no tenant"))?;
        self.tx.execute(
            "INSERT INTO billable_windows (conversation_id, idx, tenant_id, starts_at)
             WITH RECURSIVE w(conversation_id, idx, tenant_id, created_at, last_at) AS (
                 SELECT id, 0, tenant_id, created_at, max(created_at, last_activity_at) FROM conversations WHERE tenant_id = ?1
                 UNION ALL
                 SELECT conversation_id, idx + 1, tenant_id, created_at, last_at FROM w
                  WHERE created_at + (idx + 1) * 86400000 <= last_at
             )
             SELECT conversation_id, idx, tenant_id, created_at + idx * 86400000 FROM w",
            [snapshot],
        )?;
        let m = self.manifest;
        self.tx.execute(
            "INSERT INTO snapshots (tenant_id, source_install_id, source_tenant_id, source_name, data_as_of,
                                    format_version, imported_at, imported_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![snapshot, m.source_install_id, m.tenant_id, m.tenant_name, m.exported_at, m.format_version, now, actor.account_id],
        )?;
        self.tx.execute(
            "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at, snapshot_reader)
             VALUES (?1, ?2, 'tenant_admin', ?3, ?3, 1)",
            params![actor.account_id, snapshot, now],
        )?;
        Ok(snapshot)
    }
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation)
}
