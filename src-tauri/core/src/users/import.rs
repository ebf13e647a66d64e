//! Bringing many people in at once from a CSV file: Name, Email, Role and an
//! optional Schedule (with an optional Schedule Timezone). Every row is
//! checked first, and a file with any problem is refused whole, with a report
//! naming line, column and problem; a dry run stops there. Otherwise every new
//! user gets a temporary password (hashed on every core), and all rows are
//! written in one transaction: either everyone is added or no one is.
//! Columns are found by their heading, in any order; others (such as those of
//! the Users list's own CSV export) are ignored and named in the report.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::create::{is_constraint, tenant_permit};
use super::{audit_view, load, TemporaryPassword};
use crate::archives::Progress;
use crate::auth::password;
use crate::authz::{LocalAdministrator, Operation, Role};
use crate::error::{Error, ErrorCode, Result};
use crate::profile::check_name;
use crate::schedules::{self, store as schedule_store, HourRange, Schedule};
use crate::secrets::random;
use crate::store::sql::{params, OptionalExtension, Tx};
use crate::validate::{email, email_key, trimmed};
use crate::{audit, Desk};

/// More rows than this is a file for several imports.
pub const MAX_ROWS: usize = 200_000;
/// The largest CSV file the window takes (the command line reads any size
/// and counts rows instead).
pub const MAX_CSV_BYTES: usize = 64 << 20;
/// The report lists this many problems at most, and says there were more.
const MAX_PROBLEMS: usize = 500;
const TEMPORARY_PASSWORD_CHARS: usize = 16;

const COLUMNS: [&str; 5] = ["Name", "Email", "Role", "Schedule", "Schedule Timezone"];

/// "Import users from CSV": the file's text and whether only to check it.
#[derive(Clone, Serialize, Deserialize, Type)]
pub struct UserImport {
    pub tenant_id: i64,
    pub csv: String,
    /// Check every row and report, writing nothing.
    pub dry_run: bool,
}

/// The file's size, not its people: no log carries a whole team's addresses.
impl std::fmt::Debug for UserImport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserImport").field("tenant_id", &self.tenant_id).field("csv_bytes", &self.csv.len()).field("dry_run", &self.dry_run).finish()
    }
}

/// One thing wrong with the file: its line (1 is the heading), the column and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ImportProblem {
    pub line: u32,
    pub column: String,
    pub problem: String,
}

/// A row that passed its checks, as it is (or would be) added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ImportRow {
    pub line: u32,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub schedule: Option<Schedule>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct UserImportReport {
    pub tenant_name: String,
    /// The rows of the file, besides its heading.
    pub rows: u32,
    /// Every row when the file passed; empty when it was refused.
    pub users: Vec<ImportRow>,
    pub problems: Vec<ImportProblem>,
    /// There were more problems than listed.
    pub more_problems: bool,
    /// Headings of columns the import does not read.
    pub ignored_columns: Vec<String>,
    /// The users were added (not a dry run, and no problem).
    pub written: bool,
    /// One per user added, shown once: each replaces it at first sign-in.
    pub temporary_passwords: Vec<TemporaryPassword>,
}

/// Who imports: a person in the window (their permit is checked in each
/// transaction) or the local administrator on the command line.
enum Importer<'a> {
    Person(&'a crate::authz::Actor),
    Local(&'a LocalAdministrator),
}

impl Desk {
    /// Import users from CSV into a tenant the actor administers.
    /// Blocking: Argon2, once per user.
    pub fn import_users(&self, actor: &crate::authz::Actor, input: &UserImport) -> Result<UserImportReport> {
        crate::authz::authorize(actor, Operation::CreateUser)?;
        self.import_users_as(Importer::Person(actor), input, &Progress::new())
    }

    /// The same import from the command line, into any tenant; `progress`
    /// counts the passwords hashed and the rows written.
    pub fn import_users_locally(&self, local: &LocalAdministrator, input: &UserImport, progress: &Progress) -> Result<UserImportReport> {
        self.import_users_as(Importer::Local(local), input, progress)
    }

    fn import_users_as(&self, importer: Importer, input: &UserImport, progress: &Progress) -> Result<UserImportReport> {
        let (tenant_name, tenant_zone) = self.db.read(|tx| {
            if let Importer::Person(actor) = importer {
                tenant_permit(tx, actor, input.tenant_id, Operation::CreateUser)?;
            }
            tenant_of(tx, input.tenant_id)
        })?;
        let sheet = read_sheet(&input.csv, &tenant_zone);
        let mut report = UserImportReport {
            tenant_name,
            rows: sheet.rows,
            users: vec![],
            problems: vec![],
            more_problems: false,
            ignored_columns: sheet.ignored,
            written: false,
            temporary_passwords: vec![],
        };
        let mut problems = Problems(sheet.problems);
        self.db.read(|tx| already_known(tx, &sheet.users, &mut problems))?;
        if !problems.0.is_empty() {
            problems.0.sort_by_key(|p| p.line);
            report.more_problems = problems.0.len() > MAX_PROBLEMS;
            problems.0.truncate(MAX_PROBLEMS);
            report.problems = problems.0;
            return Ok(report);
        }
        if input.dry_run {
            report.users = sheet.users;
            return Ok(report);
        }
        progress.start(2 * sheet.users.len() as u64);
        let passwords = temporary_passwords(sheet.users.len(), progress)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let actor_account_id = match importer {
                Importer::Person(actor) => Some(tenant_permit(tx, actor, input.tenant_id, Operation::CreateUser)?.account_id()),
                Importer::Local(_) => None,
            };
            for (user, (_, hash)) in sheet.users.iter().zip(&passwords) {
                let id = add(tx, input.tenant_id, user, hash, now)?;
                let row = load(tx, id)?;
                let mut after = audit_view(&row);
                after["schedule"] = json!(user.schedule);
                after["imported"] = json!(true);
                let subject = format!("user:{id}");
                let entry = match importer {
                    Importer::Local(local) => audit::Entry::by_local_administrator(
                        local,
                        now,
                        Some(input.tenant_id),
                        "user.create",
                        subject,
                        Some(row.account_id),
                        after,
                    ),
                    Importer::Person(actor) => audit::Entry {
                        at: now,
                        actor_account_id,
                        tenant_id: Some(input.tenant_id),
                        action: "user.create",
                        subject,
                        subject_account_id: Some(row.account_id),
                        before: None,
                        after: Some(after),
                        via: audit::Via::of(actor),
                    },
                };
                audit::record(tx, entry)?;
                progress.advance(1);
            }
            Ok(())
        })?;
        report.temporary_passwords = sheet
            .users
            .iter()
            .zip(passwords)
            .map(|(user, (password, _))| TemporaryPassword { email: user.email.clone(), password })
            .collect();
        report.users = sheet.users;
        report.written = true;
        Ok(report)
    }
}

/// The tenant's name and timezone; a snapshot takes no new users.
fn tenant_of(tx: &Tx, tenant_id: i64) -> Result<(String, String)> {
    let found: Option<(String, String, bool)> = tx
        .query_row(
            "SELECT t.name, t.timezone, t.read_only, EXISTS (SELECT 1 FROM snapshots s WHERE s.tenant_id = t.id)
               FROM tenants t WHERE t.id = ?1",
            [tenant_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, bool>(2)? || r.get::<_, bool>(3)?)),
        )
        .optional()?;
    match found {
        Some((_, _, true)) => Err(crate::authz::read_only_refusal()),
        Some((name, zone, false)) => Ok((name, zone)),
        None => Err(Error::new(ErrorCode::NotFound, "No tenant has this ID.")),
    }
}

/// One account and its membership; the membership's id.
fn add(tx: &Tx, tenant_id: i64, user: &ImportRow, hash: &str, now: i64) -> Result<i64> {
    let inserted = tx.execute(
        "INSERT INTO accounts (email, email_key, name, password_hash, must_change_password, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)",
        params![user.email, email_key(&user.email), user.name, hash, now],
    );
    match inserted {
        Ok(_) => {}
        // Made meanwhile, since the check: nothing of the file is kept.
        Err(e) if is_constraint(&e) => {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!("Line {}: {} was given an account meanwhile; nothing was imported. Try again.", user.line, user.email),
            ))
        }
        Err(e) => return Err(e.into()),
    }
    let account_id = tx.last_insert_rowid()?;
    tx.execute(
        "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![account_id, tenant_id, user.role, now],
    )?;
    let id = tx.last_insert_rowid()?;
    schedule_store::save(tx, id, user.schedule.as_ref())?;
    Ok(id)
}

/// A fresh temporary password per user and its Argon2id hash, on every core.
fn temporary_passwords(n: usize, progress: &Progress) -> Result<Vec<(String, String)>> {
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(n.max(1));
    let per_worker = n.div_ceil(workers.max(1)).max(1);
    let chunks: Vec<Result<Vec<(String, String)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .step_by(per_worker)
            .map(|start| {
                let count = per_worker.min(n - start);
                scope.spawn(move || {
                    (0..count)
                        .map(|_| {
                            let temporary = random::password(TEMPORARY_PASSWORD_CHARS)?;
                            let hash = password::hash(&temporary)?;
                            progress.advance(1);
                            Ok((temporary, hash))
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(Error::internal("password hashing stopped")))).collect()
    });
    let mut all = Vec::with_capacity(n);
    for chunk in chunks {
        all.extend(chunk?);
    }
    Ok(all)
}

struct Problems(Vec<ImportProblem>);

impl Problems {
    fn add(&mut self, line: u32, column: &str, problem: impl Into<String>) {
        self.0.push(ImportProblem { line, column: column.to_owned(), problem: problem.into() });
    }
}

/// The file read and each row checked on its own and against the others.
struct Sheet {
    rows: u32,
    users: Vec<ImportRow>,
    problems: Vec<ImportProblem>,
    ignored: Vec<String>,
}

fn read_sheet(text: &str, tenant_zone: &str) -> Sheet {
    let mut sheet = Sheet { rows: 0, users: vec![], problems: vec![], ignored: vec![] };
    let mut problems = Problems(vec![]);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headings = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.add(1, "", format!("The file is not CSV text: {e}"));
            sheet.problems = problems.0;
            return sheet;
        }
    };
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (i, heading) in headings.iter().enumerate() {
        match COLUMNS.iter().find(|c| c.eq_ignore_ascii_case(heading)) {
            Some(column) if at.contains_key(column) => problems.add(1, column, format!("The column {column} appears twice.")),
            Some(column) => {
                at.insert(column, i);
            }
            None if heading.is_empty() => {}
            None => sheet.ignored.push(heading.to_owned()),
        }
    }
    for required in ["Name", "Email", "Role"] {
        if !at.contains_key(required) {
            problems.add(1, required, format!("The file has no {required} column: the first line names the columns (Name, Email, Role, and optionally Schedule)."));
        }
    }
    if !problems.0.is_empty() {
        sheet.problems = problems.0;
        return sheet;
    }
    let mut seen: HashMap<String, u32> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as u32).unwrap_or(0);
                problems.add(line, "", format!("This line is not valid CSV: {e}"));
                sheet.rows += 1;
                continue;
            }
        };
        sheet.rows += 1;
        let line = record.position().map(|p| p.line() as u32).unwrap_or(sheet.rows + 1);
        if sheet.rows as usize > MAX_ROWS {
            // The one thing to fix first, whatever else the rows hold.
            problems.0.clear();
            sheet.users.clear();
            problems.add(line, "", format!("A file holds at most {MAX_ROWS} users; split it in several."));
            break;
        }
        let cell = |column: &str| at.get(column).and_then(|i| record.get(*i)).unwrap_or("");
        if record.iter().all(str::is_empty) {
            continue;
        }
        let before = problems.0.len();
        let name = trimmed(cell("Name"));
        if let Err(m) = check_name(&name) {
            problems.add(line, "Name", m);
        }
        let address = trimmed(cell("Email"));
        if let Err(m) = email(&address) {
            problems.add(line, "Email", m);
        } else if let Some(first) = seen.insert(email_key(&address), line) {
            problems.add(line, "Email", format!("This address is on line {first} too."));
        }
        let role = Role::named(cell("Role"));
        if role.is_none() {
            problems.add(line, "Role", "Enter one of Tenant Admin, Tenant User, Tenant Viewer or Tenant Operator.");
        }
        let zone = match cell("Schedule Timezone") {
            "" => tenant_zone.to_owned(),
            named => named.to_owned(),
        };
        let schedule = match (cell("Schedule"), role) {
            ("", _) => None,
            (_, Some(r)) if r != Role::TenantOperator => {
                problems.add(line, "Schedule", "Only Tenant Operators have a schedule; leave it empty for this role.");
                None
            }
            (text, _) => match parse_schedule(text, &zone) {
                Ok(s) => {
                    let mut errors = crate::error::FieldErrors::new();
                    schedules::check(&s, &mut errors);
                    for (field, message) in errors.iter() {
                        let column = if field == "schedule_zone" { "Schedule Timezone" } else { "Schedule" };
                        problems.add(line, column, message.clone());
                    }
                    Some(s)
                }
                Err(m) => {
                    problems.add(line, "Schedule", m);
                    None
                }
            },
        };
        if problems.0.len() == before {
            if let Some(role) = role {
                sheet.users.push(ImportRow { line, name, email: address, role, schedule });
            }
        }
    }
    sheet.problems = problems.0;
    sheet
}

const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// A day by its name or its first three letters; 0 is Monday.
fn day(text: &str) -> Option<u8> {
    let text = text.trim().to_lowercase();
    DAYS.iter().position(|d| *d == text || (text.len() == 3 && d.starts_with(&text))).map(|i| i as u8)
}

/// `Mon-Fri 9-17; Sat 10:00-14:00`: days (one, or a span) and whole hours,
/// parts separated by semicolons, in `zone`.
pub fn parse_schedule(text: &str, zone: &str) -> std::result::Result<Schedule, String> {
    let shape = || format!("Write the hours as days and hours, like \"Mon-Fri 9-17; Sat 10-14\" (not \"{}\").", text.trim());
    let mut ranges = vec![];
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (days, hours) = part.split_once(char::is_whitespace).ok_or_else(shape)?;
        let (first, last) = match days.split_once('-') {
            Some((a, b)) => (day(a).ok_or_else(shape)?, day(b).ok_or_else(shape)?),
            None => (day(days).ok_or_else(shape)?, day(days).ok_or_else(shape)?),
        };
        let (start, end) = hours.trim().split_once('-').ok_or_else(shape)?;
        let (start_hour, end_hour) = (hour(start).ok_or_else(shape)?, hour(end).ok_or_else(shape)?);
        if last < first {
            return Err(format!("{days}: the days run from Monday to Sunday; write Sat-Sun, not Sun-Sat."));
        }
        for weekday in first..=last {
            ranges.push(HourRange { weekday, start_hour, end_hour });
        }
    }
    Ok(Schedule { zone: zone.to_owned(), ranges })
}

fn hour(text: &str) -> Option<u8> {
    let text = text.trim();
    let whole = text.strip_suffix(":00").unwrap_or(text);
    whole.parse::<u8>().ok()
}

/// Addresses asked about in one question: a file of 40,000 rows asked row by
/// row took seconds of round trips to a team's PostgreSQL server.
const ADDRESSES_PER_QUESTION: usize = 500;

/// Addresses that already have an account: such people keep their own name
/// and password, so they are invited from Add User instead.
fn already_known(tx: &Tx, users: &[ImportRow], problems: &mut Problems) -> Result<()> {
    for rows in users.chunks(ADDRESSES_PER_QUESTION) {
        let keys: Vec<String> = rows.iter().map(|user| email_key(&user.email)).collect();
        let marks: Vec<String> = (1..=keys.len()).map(|i| format!("?{i}")).collect();
        let known: HashSet<String> = tx
            .prepare_cached(&format!(
                "SELECT email_key FROM accounts WHERE deleted_at IS NULL AND email_key IN ({})",
                marks.join(", ")
            ))?
            .query_map(crate::store::sql::params_from_iter(keys.iter()), |r| r.get(0))?
            .collect::<crate::store::sql::Result<_>>()?;
        for (user, key) in rows.iter().zip(&keys) {
            if known.contains(key) {
                problems.add(user.line, "Email", "This person already has a Tenant Desk account: invite them with Add User instead.");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_read_as_days_and_hours() {
        let s = parse_schedule("Mon-Fri 9-17; Sat 10:00-14:00", "Europe/Berlin").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.ranges.len(), 6);
        assert_eq!(s.ranges[5], HourRange { weekday: 5, start_hour: 10, end_hour: 14 });
        assert!(parse_schedule("weekdays", "UTC").is_err());
        assert!(parse_schedule("Sun-Sat 9-17", "UTC").is_err());
        assert_eq!(parse_schedule("tuesday 8-12", "UTC").map(|s| s.ranges[0].weekday), Ok(1));
    }

    #[test]
    fn roles_are_read_by_the_words_people_see() {
        assert_eq!(Role::named("Tenant Operator"), Some(Role::TenantOperator));
        assert_eq!(Role::named("viewer"), Some(Role::TenantViewer));
        assert_eq!(Role::named("tenant_admin"), Some(Role::TenantAdmin));
        assert_eq!(Role::named("owner"), None);
    }
}
