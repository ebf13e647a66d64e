//! Loading an archive as a read-only snapshot, in two passes over it.
//!
//! - The check pass reads every record and checks it (format version,
//!   missing files, bad JSON, broken references, duplicate ids, counts that
//!   do not match, truncated or oversized entries, and timestamps: ordered,
//!   within the archive's own export time and a sane span, so that derived
//!   rows such as billable windows stay bounded), writing nothing. Any
//!   problem comes back as a report naming file, line and problem.
//! - The load pass writes the records in short transactions of a few
//!   milliseconds each (`Writer`), so sign-in, the tenant API and the
//!   window's edits go on beside it, into a snapshot hidden in
//!   `unfinished_snapshots` until its last transaction makes it visible.
//!   Cancel is honoured between any two transactions; a cancelled or failed
//!   load removes what it wrote (`discard`), and one cut short by a stopped
//!   app is removed at the next start.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::store::sql::{params, Begin, Dialect, Params, Tx};
use serde::de::DeserializeOwned;
use serde::Serialize;
use specta::Type;
use zip::ZipArchive;

use super::discard::{discard, hide};
use super::format::*;
use super::id_set::IdSet;
use super::limits::{LineError, Lines};
use super::snapshot_words::SnapshotWords;
use super::snapshots::{self, SnapshotRow};
use super::{Limits, Progress};
use crate::authz::{authorize, permit, Actor, LocalAdministrator, Operation};
use crate::error::{Error, Result};
use crate::analytics::FirstTimes;
use crate::conversations::ConversationStatus;
use crate::audit::{self, Entry};
use crate::conversations::word_index;
use crate::store::Db;
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

/// What `archive verify` finds, writing nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verification {
    /// Every record passed the checks an import makes.
    Valid { tenant_name: String, exported_at: String, counts: super::ArchiveCounts },
    Rejected { problems: Vec<Problem>, more: bool },
    Cancelled,
}

const DAY_MILLIS: i64 = 86_400_000;
/// How far before its export an archive's times may go.
const OLDEST_BEFORE_EXPORT_MILLIS: i64 = 20 * 366 * DAY_MILLIS;
/// How long one conversation may last: its billable windows are bounded by it.
const LONGEST_CONVERSATION_DAYS: i64 = 366;
/// A clock a little ahead on the exporting machine is no problem.
const CLOCK_SLACK_MILLIS: i64 = 5 * 60 * 1000;
/// An archive dated further ahead of this machine's clock is refused.
const EXPORTED_AHEAD_MILLIS: i64 = DAY_MILLIS;
/// What the rows of a snapshot take on disk, at most, per byte of archive text
/// (the rows, their indexes and the word index).
const DISK_PER_ARCHIVE_BYTE: u64 = 3;

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
        self.import_archive_as(Importer::Person(actor), source, progress, limits)
    }

    /// The command line's import: the snapshot is given to the account with
    /// `reader_email` (who opens it in the window); audited as the local
    /// administrator.
    pub fn import_tenant_archive_locally(
        &self,
        local: &LocalAdministrator,
        reader_email: &str,
        source: &Path,
        progress: &Progress,
        limits: Limits,
    ) -> Result<ImportOutcome> {
        let (reader, _) = self.db.read(|tx| crate::users::live_account(tx, reader_email))?;
        self.import_archive_as(Importer::Local { local, reader }, source, progress, limits)
    }

    fn import_archive_as(&self, importer: Importer, source: &Path, progress: &Progress, limits: Limits) -> Result<ImportOutcome> {
        let archive_name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut report = Report::new(limits.max_problems);
        let now = self.now_millis();
        let Some((mut zip, manifest)) = open(source, &archive_name, limits, now, &mut report)? else {
            return Ok(report.rejected());
        };
        let mut side = self.db.side()?;
        let conn = side.tx();
        if let Some(lite) = conn.as_sqlite() {
            lite.pragma_update(None, "cache_size", -131_072)?;
        }
        self.db.read(|tx| match importer {
            Importer::Person(actor) => {
                let permit = permit(tx, actor, Operation::ImportTenantArchive)?;
                within_snapshot_allowance(tx, &permit)
            }
            Importer::Local { .. } => Ok(()),
        })?;
        progress.start(rows_in(&manifest.counts).saturating_mul(2));

        let Some(check) = check_all(&mut zip, &manifest, report, progress, limits)? else {
            return Ok(ImportOutcome::Cancelled);
        };
        if !check.report.problems.is_empty() {
            return Ok(check.report.rejected());
        }
        crate::store::disk_space::ensure_room(
            self.data_dir(),
            check.bytes.saturating_mul(DISK_PER_ARCHIVE_BYTE),
            "this snapshot",
        )?;

        let mut load = Loader::new(&manifest, Report::new(limits.max_problems), progress, Some(Writer::begin(&self.db, &conn)?));
        load.first_times = check.first_times;
        let loaded = (|| -> Result<Option<i64>> {
            for file in EntityFile::ALL {
                load.load(file, entry_lines(&mut zip, file, limits)?)?;
                if load.cancelled {
                    return Ok(None);
                }
                if !load.report.problems.is_empty() {
                    return Err(Error::internal(format!("the archive changed while it was read: {:?}", load.report.problems)));
                }
            }
            load.finish(importer, &archive_name, now)
        })();
        let snapshot_id = load.snapshot_id;
        drop(load);
        match loaded {
            Ok(Some(id)) => Ok(ImportOutcome::Imported { snapshot: self.db.read(|tx| snapshots::row(tx, id))? }),
            outcome => {
                if let Some(id) = snapshot_id {
                    discard(&self.db, &conn, id)?;
                }
                outcome.map(|_| ImportOutcome::Cancelled)
            }
        }
    }
}

/// The check pass alone: the report an import would give, writing nothing.
/// It reads the archive only, not the store; `now` (UTC milliseconds) bounds
/// its times as an import's would.
pub fn verify(source: &Path, now: i64, progress: &Progress, limits: Limits) -> Result<Verification> {
    let archive_name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut report = Report::new(limits.max_problems);
    let Some((mut zip, manifest)) = open(source, &archive_name, limits, now, &mut report)? else {
        return Ok(Verification::Rejected { problems: report.problems, more: report.more });
    };
    progress.start(rows_in(&manifest.counts));
    let Some(check) = check_all(&mut zip, &manifest, report, progress, limits)? else {
        return Ok(Verification::Cancelled);
    };
    let Report { problems, more, .. } = check.report;
    if !problems.is_empty() {
        return Ok(Verification::Rejected { problems, more });
    }
    Ok(Verification::Valid {
        tenant_name: manifest.tenant_name.clone(),
        exported_at: crate::clock::to_wire(manifest.exported_at),
        counts: (&manifest.counts).into(),
    })
}

/// The check pass: every record of every file read and checked, nothing
/// written, until the report is full. `None` when cancelled.
fn check_all<'a, 't>(
    zip: &mut ZipArchive<File>,
    manifest: &'a Manifest,
    report: Report,
    progress: &'a Progress,
    limits: Limits,
) -> Result<Option<Loader<'a, 't>>> {
    let mut check = Loader::new(manifest, report, progress, None);
    for file in EntityFile::ALL {
        check.load(file, entry_lines(zip, file, limits)?)?;
        if check.cancelled {
            return Ok(None);
        }
        if check.report.full() {
            break;
        }
    }
    Ok(Some(check))
}

/// Who imports: a person in the window, who reads the snapshot, or the
/// local administrator, for the account named on the command line.
#[derive(Clone, Copy)]
enum Importer<'a> {
    Person(&'a Actor),
    Local { local: &'a LocalAdministrator, reader: i64 },
}

impl Importer<'_> {
    /// The account the snapshot is given to.
    fn reader(self) -> i64 {
        match self {
            Importer::Person(actor) => actor.account_id,
            Importer::Local { reader, .. } => reader,
        }
    }
}

/// Snapshots one account may hold, unless a platform administrator: anyone
/// may create an organization and so import into it, and each snapshot
/// takes disk space of the install.
pub const SNAPSHOTS_PER_ACCOUNT: i64 = 10;

fn within_snapshot_allowance(tx: &crate::store::sql::Tx, permit: &crate::authz::Permit) -> Result<()> {
    if permit.is_platform_admin() {
        return Ok(());
    }
    let held: i64 =
        tx.query_row("SELECT count(*) FROM snapshots WHERE imported_by = ?1", [permit.account_id()], |r| r.get(0))?;
    if held >= SNAPSHOTS_PER_ACCOUNT {
        return Err(Error::new(
            crate::error::ErrorCode::NotAllowed,
            format!(
                "You have imported {held} snapshots, the most one person may keep. Remove one before importing another, or ask a platform administrator."
            ),
        ));
    }
    Ok(())
}

fn entry_lines<'z>(zip: &'z mut ZipArchive<File>, file: EntityFile, limits: Limits) -> Result<Lines<zip::read::ZipFile<'z, File>>> {
    match zip.by_name(file.name()) {
        Ok(entry) => Ok(Lines::new(entry, limits)),
        Err(e) => Err(Error::file_system(format!("cannot read {}: {e}", file.name()))),
    }
}

/// Short write transactions on the import's own connection: one commits
/// once it holds this many rows or is this old, and the next begins, so
/// other writers get the store in between. The messages' words go to the
/// snapshot's own word index, built beside the store (`snapshot_words`).
const ROWS_PER_TRANSACTION: u32 = 2_000;
const TRANSACTION_AT_MOST: Duration = Duration::from_millis(25);

struct Writer<'c, 't> {
    db: &'c Db,
    conn: &'c Tx<'t>,
    rows: u32,
    began: Instant,
    /// SQLite's word index of the snapshot; none on PostgreSQL.
    words: Option<SnapshotWords>,
}

impl<'c, 't> Writer<'c, 't> {
    fn begin(db: &'c Db, conn: &'c Tx<'t>) -> Result<Self> {
        let words = match conn.dialect() {
            Dialect::Sqlite => Some(SnapshotWords::start()?),
            Dialect::Postgres => None,
        };
        conn.begin(Begin::Write)?;
        Ok(Self { db, conn, rows: 0, began: Instant::now(), words })
    }

    /// After `rows` rows written: commits and begins anew when the
    /// transaction is full or old enough.
    fn wrote(&mut self, rows: u32) -> Result<()> {
        self.rows = self.rows.saturating_add(rows);
        if self.rows >= ROWS_PER_TRANSACTION || self.began.elapsed() >= TRANSACTION_AT_MOST {
            self.conn.commit_now()?;
            self.db.give_way();
            self.conn.begin(Begin::Write)?;
            self.rows = 0;
            self.began = Instant::now();
        }
        Ok(())
    }

    /// Copies the snapshot's word index into the store, in transactions
    /// like the rows', once its builder is done; the store is not held while
    /// it finishes.
    fn copy_words(&mut self, snapshot: i64) -> Result<()> {
        let Some(words) = self.words.take() else { return Ok(()) };
        self.conn.commit_now()?;
        let built = words.finish();
        self.db.give_way();
        self.conn.begin(Begin::Write)?;
        self.rows = 0;
        self.began = Instant::now();
        let conn = self.conn;
        built?.copy_into(conn, &word_index::Index::of_snapshot(snapshot), |rows| self.wrote(rows))
    }

    fn commit(self) -> Result<()> {
        Ok(self.conn.commit_now()?)
    }
}

impl Drop for Writer<'_, '_> {
    fn drop(&mut self) {
        self.conn.rollback_now();
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
    now: i64,
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
    if manifest.exported_at > now + EXPORTED_AHEAD_MILLIS {
        report.add(MANIFEST, None, "exported_at is in the future of this computer's clock".into());
    }
    if let Err(problem) =
        without_nul([("source_install_id", manifest.source_install_id.as_str()), ("tenant_name", manifest.tenant_name.as_str())])
    {
        report.add(MANIFEST, None, problem);
    }
    for file in EntityFile::ALL {
        // Opening an entry reads its local header, which may be damaged
        // even when the directory at the end of the zip names it.
        match zip.by_name(file.name()) {
            Ok(_) => {}
            Err(zip::result::ZipError::FileNotFound) => report.add(file.name(), None, "the file is missing from the archive".into()),
            Err(e) => report.add(file.name(), None, LineError::Unreadable(e.to_string()).describe()),
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


/// A conversation as its messages need it: its new id and when it ended.
#[derive(Clone, Copy)]
struct Span {
    id: i64,
    last_activity_at: i64,
}

/// Reads records in file order, keeping the archive's ids mapped to the new
/// rows so later files can refer to earlier ones. Without a writer it only
/// checks (the ids it maps to are counters); with one it writes as well.
struct Loader<'a, 't> {
    writer: Option<Writer<'a, 't>>,
    manifest: &'a Manifest,
    report: Report,
    progress: &'a Progress,
    cancelled: bool,
    /// Bytes of record text read, for the room the snapshot will take.
    bytes: u64,
    snapshot_id: Option<i64>,
    next_id: i64,
    users: HashMap<i64, i64>,
    emails: HashSet<String>,
    memberships: HashMap<i64, i64>,
    members: HashSet<i64>,
    schedules: HashSet<i64>,
    conversations: HashMap<i64, Span>,
    /// The chart times of each conversation of the archive, gathered from its
    /// messages by the check pass and written with it by the next.
    first_times: HashMap<i64, FirstTimes>,
    messages: IdSet,
    audit: IdSet,
}

/// Why a record was not loaded; the loader notes it against file and line.
type Check = std::result::Result<(), String>;

impl<'a, 't> Loader<'a, 't> {
    fn new(manifest: &'a Manifest, report: Report, progress: &'a Progress, writer: Option<Writer<'a, 't>>) -> Self {
        // Room for what the manifest announces, within reason (it may lie).
        let room = |n: u64| usize::try_from(n.min(4_000_000)).unwrap_or_default();
        Self {
            writer,
            manifest,
            report,
            progress,
            cancelled: false,
            bytes: 0,
            snapshot_id: None,
            next_id: 0,
            users: HashMap::with_capacity(room(manifest.counts.users)),
            emails: HashSet::with_capacity(room(manifest.counts.users)),
            memberships: HashMap::with_capacity(room(manifest.counts.memberships)),
            members: HashSet::new(),
            schedules: HashSet::new(),
            conversations: HashMap::with_capacity(room(manifest.counts.conversations)),
            first_times: HashMap::new(),
            messages: IdSet::with_capacity(room(manifest.counts.messages)),
            audit: IdSet::with_capacity(room(manifest.counts.audit_log)),
        }
    }

    /// Runs `sql` when writing (answering the new row's id); when only
    /// checking, answers a counter in its place.
    fn insert<P: Params>(&mut self, sql: &str, params: P) -> Result<i64> {
        match &self.writer {
            Some(w) => {
                w.conn.prepare_cached(sql)?.execute(params)?;
                Ok(w.conn.last_insert_rowid()?)
            }
            None => {
                self.next_id += 1;
                Ok(self.next_id)
            }
        }
    }

    /// After a record's rows: lets the writer commit when its transaction is full.
    fn wrote(&mut self, rows: u32) -> Result<()> {
        match &mut self.writer {
            Some(w) => w.wrote(rows),
            None => Ok(()),
        }
    }

    fn load<R: Read>(&mut self, file: EntityFile, mut lines: Lines<R>) -> Result<()> {
        if self.progress.is_cancelled() {
            self.cancelled = true;
            return Ok(());
        }
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
            self.bytes = self.bytes.saturating_add(line.len() as u64);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            records += 1;
            let checked = match file {
                EntityFile::Tenant => parse(&line).map_or_else(|p| Ok(Err(p)), |r| self.tenant(r, records)),
                EntityFile::Users => parse(&line).map_or_else(|p| Ok(Err(p)), |r| self.user(r)),
                EntityFile::Memberships => parse(&line).map_or_else(|p| Ok(Err(p)), |r| self.membership(r)),
                EntityFile::Schedules => parse(&line).map_or_else(|p| Ok(Err(p)), |r| self.schedule(r)),
                EntityFile::Conversations => parse(&line).map_or_else(|p| Ok(Err(p)), |r| self.conversation(r)),
                EntityFile::Messages => parse(&line).map_or_else(|p| Ok(Err(p)), |r| self.message(r)),
                EntityFile::AuditLog => parse(&line).map_or_else(|p| Ok(Err(p)), |r| self.audit(r)),
            };
            match checked? {
                Ok(()) => {}
                Err(problem) => {
                    self.report.add(name, Some(number), problem);
                    if self.report.full() {
                        return Ok(());
                    }
                }
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

    fn snapshot(&self) -> std::result::Result<i64, String> {
        self.snapshot_id.ok_or_else(|| "the tenant is missing (tenant.jsonl holds no record)".to_string())
    }

    /// Times before this are refused: no real tenant's data goes back further.
    fn oldest(&self) -> i64 {
        self.manifest.exported_at.saturating_sub(OLDEST_BEFORE_EXPORT_MILLIS)
    }

    /// Times after this are refused: the data is as of the export.
    fn newest(&self) -> i64 {
        self.manifest.exported_at.saturating_add(CLOCK_SLACK_MILLIS)
    }

    /// `at` within the archive's span, or what is wrong with it.
    fn in_span(&self, field: &str, at: i64) -> Check {
        if at < self.oldest() {
            Err(format!("{field} {at} is more than 20 years before the export"))
        } else if at > self.newest() {
            Err(format!("{field} {at} is after the export (exported_at {})", self.manifest.exported_at))
        } else {
            Ok(())
        }
    }

    fn tenant(&mut self, r: TenantRecord, nth: u64) -> Result<Check> {
        if nth > 1 {
            return Ok(Err("a second tenant: the file holds exactly one".into()));
        }
        if r.id != self.manifest.tenant_id {
            return Ok(Err(format!("tenant id {} is not the manifest's tenant id {}", r.id, self.manifest.tenant_id)));
        }
        if r.name.trim().is_empty() {
            return Ok(Err("the tenant has no name".into()));
        }
        let texts = [
            ("name", r.name.as_str()),
            ("description", &r.description),
            ("billing_email", &r.billing_email),
            ("phone", &r.phone),
            ("website", &r.website),
            ("country", &r.country),
            ("street", &r.street),
            ("zip_code", &r.zip_code),
            ("timezone", &r.timezone),
        ];
        if let Err(p) = without_nul(texts.into_iter().chain(r.labels.iter().map(|l| ("labels", l.as_str())))) {
            return Ok(Err(p));
        }
        let labels = serde_json::to_string(&r.labels).map_err(Error::storage)?;
        let id = self.insert(
            "INSERT INTO tenants (name, description, billing_email, phone, website, country, street, zip_code,
                                  timezone, labels, read_only, require_mfa, created_at, modified_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12, ?13)",
            params![
                r.name, r.description, r.billing_email, r.phone, r.website, r.country, r.street, r.zip_code,
                r.timezone, labels, r.require_mfa, r.created_at, r.modified_at
            ],
        )?;
        if let Some(w) = &self.writer {
            // Hidden from every list until the last transaction.
            hide(w.conn, id)?;
        }
        self.snapshot_id = Some(id);
        self.wrote(2)?;
        Ok(Ok(()))
    }

    fn user(&mut self, r: UserRecord) -> Result<Check> {
        let snapshot = match self.snapshot() {
            Ok(s) => s,
            Err(p) => return Ok(Err(p)),
        };
        if self.users.contains_key(&r.id) {
            return Ok(Err(format!("duplicate user id {}", r.id)));
        }
        if let Err(p) = without_nul([("email", r.email.as_str()), ("name", &r.name), ("phone", &r.phone), ("company", &r.company)]) {
            return Ok(Err(p));
        }
        if r.email.trim().is_empty() {
            return Ok(Err(format!("user {} has no email", r.id)));
        }
        if !self.emails.insert(crate::validate::email_key(&r.email)) {
            return Ok(Err(format!("duplicate email {}", r.email)));
        }
        // Snapshot people never sign in and never stand for a real account:
        // their email key starts with a space (no email does once trimmed)
        // and their password hash is no hash at all.
        let key = format!(" snapshot:{snapshot}:{}", crate::validate::email_key(&r.email));
        let id = self.insert(
            "INSERT INTO accounts (email, email_key, name, password_hash, is_platform_admin, deleted_at,
                                   created_at, modified_at, phone, company)
             VALUES (?1, ?2, ?3, '!', 0, ?4, ?5, ?6, ?7, ?8)",
            params![r.email, key, r.name, r.deleted_at, r.created_at, r.modified_at, r.phone, r.company],
        )?;
        self.users.insert(r.id, id);
        self.wrote(1)?;
        Ok(Ok(()))
    }

    fn membership(&mut self, r: MembershipRecord) -> Result<Check> {
        let snapshot = match self.snapshot() {
            Ok(s) => s,
            Err(p) => return Ok(Err(p)),
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
        let id = self.insert(
            "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![account, snapshot, r.role, r.created_at, r.modified_at],
        )?;
        self.memberships.insert(r.id, id);
        self.wrote(1)?;
        Ok(Ok(()))
    }

    fn schedule(&mut self, r: ScheduleRecord) -> Result<Check> {
        let Some(&membership) = self.memberships.get(&r.membership_id) else {
            return Ok(Err(format!("membership_id {} is not in memberships.jsonl", r.membership_id)));
        };
        if !self.schedules.insert(r.membership_id) {
            return Ok(Err(format!("duplicate schedule of membership {}", r.membership_id)));
        }
        if let Err(p) = without_nul([("zone", r.zone.as_str())]) {
            return Ok(Err(p));
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
        if r.ranges.len() > 7 * 1440 {
            return Ok(Err(format!("{} ranges: a week holds no more than one per minute", r.ranges.len())));
        }
        self.insert("INSERT INTO operator_schedules (membership_id, zone) VALUES (?1, ?2)", params![membership, r.zone])?;
        for g in &r.ranges {
            self.insert(
                "INSERT INTO operator_schedule_ranges (membership_id, weekday, start_minute, end_minute) VALUES (?1, ?2, ?3, ?4)",
                params![membership, g.weekday, g.start_minute, g.end_minute],
            )?;
        }
        self.wrote(1 + r.ranges.len() as u32)?;
        Ok(Ok(()))
    }

    fn conversation(&mut self, r: ConversationRecord) -> Result<Check> {
        let snapshot = match self.snapshot() {
            Ok(s) => s,
            Err(p) => return Ok(Err(p)),
        };
        if self.conversations.contains_key(&r.id) {
            return Ok(Err(format!("duplicate conversation id {}", r.id)));
        }
        if let Err(p) = without_nul([("channel", r.channel.as_str()), ("customer", &r.customer)]) {
            return Ok(Err(p));
        }
        if let Err(p) = self.in_span("created_at", r.created_at).and_then(|()| self.in_span("last_activity_at", r.last_activity_at)) {
            return Ok(Err(p));
        }
        // Summed over a snapshot's conversations, so bounded by the messages the archive holds.
        if u64::try_from(r.message_count).ok().is_none_or(|n| n > self.manifest.counts.messages) {
            return Ok(Err(format!(
                "message_count {} is not between 0 and the archive's {} messages",
                r.message_count, self.manifest.counts.messages
            )));
        }
        if r.last_activity_at < r.created_at {
            return Ok(Err(format!("last_activity_at {} is before created_at {}", r.last_activity_at, r.created_at)));
        }
        let windows = crate::billing::window_count(r.created_at, r.last_activity_at);
        if windows > LONGEST_CONVERSATION_DAYS {
            return Ok(Err(format!("the conversation lasts {} days; one lasts {LONGEST_CONVERSATION_DAYS} at most", windows - 1)));
        }
        let operator = match r.operator_user_id {
            None => None,
            Some(id) => match self.users.get(&id) {
                Some(&account) => Some(account),
                None => return Ok(Err(format!("operator_user_id {id} is not in users.jsonl"))),
            },
        };
        // The chart times, from its messages as the check pass read them.
        let (first_customer_at, first_response_at) = self.first_times.get(&r.id).map_or((None, None), FirstTimes::times);
        let resolved_at = (r.status == ConversationStatus::Resolved).then_some(r.last_activity_at);
        let id = self.insert(
            "INSERT INTO conversations (tenant_id, channel, customer, operator_account_id, status, created_at,
                                        last_activity_at, customer_replied, message_count, accepted_at,
                                        first_customer_at, first_response_at, resolved_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, CASE WHEN CAST(?4 AS BIGINT) IS NOT NULL THEN ?6 END, ?10, ?11, ?12)",
            params![
                snapshot,
                r.channel,
                r.customer,
                operator,
                r.status,
                r.created_at,
                r.last_activity_at,
                r.customer_replied,
                r.message_count,
                first_customer_at,
                first_response_at,
                resolved_at
            ],
        )?;
        if self.writer.is_some() {
            for idx in 0..windows {
                self.insert(
                    "INSERT INTO billable_windows (conversation_id, idx, tenant_id, starts_at) VALUES (?1, ?2, ?3, ?4)",
                    params![id, idx, snapshot, r.created_at + idx * crate::billing::WINDOW_MILLIS],
                )?;
            }
        }
        self.conversations.insert(r.id, Span { id, last_activity_at: r.last_activity_at });
        self.wrote(1 + windows as u32)?;
        Ok(Ok(()))
    }

    fn message(&mut self, r: MessageRecord) -> Result<Check> {
        let Some(&conversation) = self.conversations.get(&r.conversation_id) else {
            return Ok(Err(format!("conversation_id {} is not in conversations.jsonl", r.conversation_id)));
        };
        if !self.messages.insert(r.id) {
            return Ok(Err(format!("duplicate message id {}", r.id)));
        }
        if let Err(p) = without_nul([("text", r.text.as_str())]) {
            return Ok(Err(p));
        }
        if r.at < self.oldest() {
            return Ok(Err(format!("at {} is more than 20 years before the export", r.at)));
        }
        if r.at > conversation.last_activity_at {
            return Ok(Err(format!(
                "at {} is after its conversation's last_activity_at {}",
                r.at, conversation.last_activity_at
            )));
        }
        if self.writer.is_none() {
            self.first_times.entry(r.conversation_id).or_default().add(r.author, r.at);
        }
        let id = self.insert(
            "INSERT INTO messages (conversation_id, author, text, at) VALUES (?1, ?2, ?3, ?4)",
            params![conversation.id, r.author, r.text, r.at],
        )?;
        if let Some(words) = self.writer.as_mut().and_then(|w| w.words.as_mut()) {
            words.add(word_index::key(conversation.id, id), r.text)?;
        }
        self.wrote(1)?;
        Ok(Ok(()))
    }

    fn audit(&mut self, r: AuditRecord) -> Result<Check> {
        let snapshot = match self.snapshot() {
            Ok(s) => s,
            Err(p) => return Ok(Err(p)),
        };
        if !self.audit.insert(r.id) {
            return Ok(Err(format!("duplicate audit entry id {}", r.id)));
        }
        let texts = [
            ("action", r.action.as_str()),
            ("subject", &r.subject),
            ("before", r.before.as_deref().unwrap_or_default()),
            ("after", r.after.as_deref().unwrap_or_default()),
        ];
        if let Err(p) = without_nul(texts) {
            return Ok(Err(p));
        }
        if let Err(p) = self.in_span("at", r.at) {
            return Ok(Err(p));
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
        self.insert(
            "INSERT INTO audit_log (at, actor_account_id, tenant_id, action, subject, before, after, subject_account_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![r.at, actor, snapshot, r.action, r.subject, r.before, r.after, subject],
        )?;
        self.wrote(1)?;
        Ok(Ok(()))
    }

    /// In the last transaction: the snapshot's provenance, the importer's way
    /// in and the audit entry, which make it visible. Answers the snapshot's
    /// id, or none when cancelled.
    fn finish(&mut self, importer: Importer, archive_name: &str, now: i64) -> Result<Option<i64>> {
        let snapshot = self.snapshot_id.ok_or_else(|| Error::internal("the snapshot has no tenant"))?;
        let mut writer = self.writer.take().ok_or_else(|| Error::internal("a check pass cannot finish"))?;
        if self.progress.is_cancelled() {
            self.cancelled = true;
            return Ok(None);
        }
        writer.copy_words(snapshot)?;
        let m = self.manifest;
        let conn = writer.conn;
        conn.execute(
            "INSERT INTO snapshots (tenant_id, source_install_id, source_tenant_id, source_name, data_as_of,
                                    format_version, imported_at, imported_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![snapshot, m.source_install_id, m.tenant_id, m.tenant_name, m.exported_at, m.format_version, now, importer.reader()],
        )?;
        conn.execute(
            "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at, snapshot_reader)
             VALUES (?1, ?2, 'tenant_admin', ?3, ?3, 1)",
            params![importer.reader(), snapshot, now],
        )?;
        let after = serde_json::json!({
            "file": archive_name,
            "snapshot_of": m.tenant_name,
            "data_as_of": m.exported_at,
        });
        let entry = match importer {
            Importer::Person(actor) => Entry {
                at: now,
                actor_account_id: Some(actor.account_id),
                tenant_id: actor.tenant.as_ref().map(|t| t.tenant_id),
                action: "archive.imported",
                subject: format!("tenant:{snapshot}"),
                subject_account_id: None,
                before: None,
                after: Some(after),
                via: audit::Via::Window,
            },
            Importer::Local { local, reader } => Entry::by_local_administrator(
                local,
                now,
                None,
                "archive.imported",
                format!("tenant:{snapshot}"),
                Some(reader),
                after,
            ),
        };
        audit::record(conn, entry)?;
        conn.execute("DELETE FROM unfinished_snapshots WHERE tenant_id = ?1", [snapshot])?;
        writer.commit()?;
        Ok(Some(snapshot))
    }
}

/// A record from one JSON line, or what is wrong with the line.
fn parse<T: DeserializeOwned>(line: &[u8]) -> std::result::Result<T, String> {
    serde_json::from_slice(line).map_err(|e| format!("bad JSON at column {}: {e}", e.column()))
}

/// The first of `fields` (name, value) holding U+0000, which PostgreSQL text
/// cannot: an archive either store would refuse is refused by both.
fn without_nul<'v>(fields: impl IntoIterator<Item = (&'static str, &'v str)>) -> Check {
    match fields.into_iter().find(|(_, value)| value.contains('\0')) {
        Some((field, _)) => Err(format!("{field} cannot contain the character U+0000")),
        None => Ok(()),
    }
}
