//! The archive reader on generated archives, one store for all cases: a
//! valid archive imports with every record as written and its snapshot opens
//! on every screen; a damaged one (any entry, line, field or byte of the zip
//! changed) is refused with a report and writes nothing, or imports; any
//! bytes at all are refused; conversation times import only within the
//! rules; an over-long line is reported on its line wherever it falls.

use proptest::prelude::*;
use serde_json::Value;
use tenant_desk_core::analytics::{AnalyticsRange, RangePreset};
use tenant_desk_core::archives::format::{EntityFile, MANIFEST};
use tenant_desk_core::archives::{ImportOutcome, Limits, Progress};
use tenant_desk_core::audit::AuditQuery;
use tenant_desk_core::auth::SessionToken;
use tenant_desk_core::authz::{Actor, Caller};
use tenant_desk_core::conversations::ConversationQuery;
use tenant_desk_core::users::UserQuery;
use tenant_desk_core::Error;

use super::archive_model::{model, small_archive, snapshot_rows, zip, Model, DAY, NOW, TWENTY_YEARS};
use super::{any_text, check, config};
use crate::support::*;

const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/archive_import.txt");
const ARCHIVE: &str = "case.tdarchive";

/// A store set up once, with its administrator signed in.
struct Store {
    h: Harness,
    token: SessionToken,
    admin: Actor,
}

impl Store {
    fn new() -> Self {
        let h = Harness::new();
        h.set_up(false);
        let (token, admin) = h.session_of(ADMIN_EMAIL);
        Self { h, token, admin }
    }

    fn import(&self, bytes: &[u8], limits: Limits) -> Result<ImportOutcome, Error> {
        let path = self.h.dir.path().join(ARCHIVE);
        std::fs::write(&path, bytes).unwrap();
        self.h.desk.import_tenant_archive(&self.admin, &path, &Progress::new(), limits)
    }

    /// Rows of the tables an import writes to, counted.
    fn counts(&self) -> Vec<i64> {
        let tables = ["tenants", "accounts", "memberships", "operator_schedules", "conversations", "messages", "audit_log", "billable_windows"];
        self.h
            .desk
            .db()
            .read(|tx| tables.iter().map(|t| Ok(tx.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?)).collect())
            .unwrap()
    }

    /// Opens the snapshot on every screen it has, as its importer; then removes it.
    fn browse_and_remove(&self, snapshot: i64) -> Result<(), TestCaseError> {
        let failed = |what: &str, e: Error| TestCaseError::fail(format!("{what} of the snapshot: {e:?}"));
        let home = tenant_id(&self.admin);
        self.h.desk.switch_organization(&self.token, snapshot).map_err(|e| failed("switching", e))?;
        let reader = self.h.desk.actor(&self.token).map_err(|e| failed("the actor", e))?;
        let caller = Caller::from(&reader);
        let browsed = (|| -> Result<(), TestCaseError> {
            self.h.desk.list_users(&reader, &UserQuery::search("")).map_err(|e| failed("Users", e))?;
            self.h.desk.list_users(&reader, &UserQuery::search("exa")).map_err(|e| failed("Users search", e))?;
            let page = self
                .h
                .desk
                .list_conversations(&caller, &ConversationQuery { page_size: 200, ..ConversationQuery::default() })
                .map_err(|e| failed("Sessions", e))?;
            for row in &page.rows {
                self.h.desk.conversation(&caller, row.id).map_err(|e| failed("a session", e))?;
            }
            self.h.desk.audit_log(&reader, &AuditQuery::default()).map_err(|e| failed("the audit log", e))?;
            for preset in [RangePreset::Last30Days, RangePreset::LastMonth] {
                self.h.desk.analytics(&reader, &AnalyticsRange::preset(preset)).map_err(|e| failed("Analytics", e))?;
            }
            self.h.desk.organization(&reader).map_err(|e| failed("the organization", e))?;
            self.h.desk.organizations(&reader).map_err(|e| failed("the switcher", e))?;
            Ok(())
        })();
        self.h.desk.switch_organization(&self.token, home).map_err(|e| failed("switching back", e))?;
        let listed = self.h.desk.list_snapshots(&self.admin).map_err(|e| failed("the list", e));
        // Removed whatever failed, so that no case sees another's snapshot.
        self.h.desk.remove_snapshot(&self.admin, snapshot).map_err(|e| failed("removing", e))?;
        browsed?;
        listed.map(|_| ())
    }

    /// The outcome of importing `bytes`: refused with problems about the
    /// archive's own files and nothing written, or imported and browsable.
    fn refused_or_imported(&self, bytes: &[u8]) -> Result<ImportOutcome, TestCaseError> {
        let before = self.counts();
        let outcome = self.import(bytes, Limits::default()).map_err(|e| TestCaseError::fail(format!("an error, not a report: {e:?}")))?;
        match &outcome {
            ImportOutcome::Rejected { problems, .. } => {
                prop_assert!(!problems.is_empty(), "refused without a problem");
                let files: Vec<&str> = [ARCHIVE, MANIFEST].into_iter().chain(EntityFile::ALL.iter().map(|f| f.name())).collect();
                for p in problems {
                    prop_assert!(files.contains(&p.file.as_str()), "a problem about no file of the archive: {p:?}");
                }
                prop_assert_eq!(self.counts(), before, "a refused archive wrote rows");
            }
            ImportOutcome::Imported { snapshot } => self.browse_and_remove(snapshot.tenant_id)?,
            ImportOutcome::Cancelled => prop_assert!(false, "cancelled without being asked"),
        }
        Ok(outcome)
    }
}

/// Any JSON value: what a damaged or hostile record may hold in a field.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        proptest::sample::select(vec![i64::MIN, i64::MAX, -1, 0, 1, 6, 7, 1440, 1441, NOW, NOW + 2 * DAY]).prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any_text(12).prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::vec((any_text(6), inner), 0..3).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// One way an archive can be damaged; positions are taken modulo what there is.
#[derive(Debug, Clone)]
enum Damage {
    /// An entry's bytes replaced.
    Entry { entry: usize, bytes: Vec<u8> },
    /// A line of an entry replaced (or added past the end).
    Line { entry: usize, line: usize, bytes: Vec<u8> },
    /// A field of a record given another value.
    Field { entry: usize, line: usize, field: usize, value: Value },
    /// An entry left out.
    Missing { entry: usize },
    /// Bytes of the zip itself changed (headers, sizes, compressed data).
    Flipped { at: Vec<(usize, u8)> },
    /// The zip cut short.
    Cut { at: usize },
}

fn damage() -> impl Strategy<Value = Damage> {
    let bytes = proptest::collection::vec(any::<u8>(), 0..64);
    prop_oneof![
        1 => (any::<usize>(), bytes.clone()).prop_map(|(entry, bytes)| Damage::Entry { entry, bytes }),
        1 => (any::<usize>(), 0usize..4, bytes).prop_map(|(entry, line, bytes)| Damage::Line { entry, line, bytes }),
        3 => (any::<usize>(), 0usize..4, any::<usize>(), json_value()).prop_map(|(entry, line, field, value)| Damage::Field { entry, line, field, value }),
        1 => any::<usize>().prop_map(|entry| Damage::Missing { entry }),
        2 => proptest::collection::vec((any::<usize>(), 1u8..=255), 1..4).prop_map(|at| Damage::Flipped { at }),
        1 => any::<usize>().prop_map(|at| Damage::Cut { at }),
    ]
}

/// The lines of `bytes` with line `n` (0-based) passed through `change`.
fn with_line(bytes: &[u8], n: usize, change: impl FnOnce(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    if lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    let n = n.min(lines.len());
    if n == lines.len() {
        lines.push(Vec::new());
    }
    lines[n] = change(&lines[n]);
    let mut out = lines.join(&b'\n');
    out.push(b'\n');
    out
}

fn damaged(model: &Model, damage: &Damage) -> Vec<u8> {
    let mut entries = model.entries();
    let n = entries.len();
    match damage {
        Damage::Entry { entry, bytes } => entries[entry % n].1 = bytes.clone(),
        Damage::Line { entry, line, bytes } => {
            let e = &mut entries[entry % n].1;
            *e = with_line(e, *line, |_| bytes.clone());
        }
        Damage::Field { entry, line, field, value } => {
            let e = &mut entries[entry % n].1;
            *e = with_line(e, *line, |old| {
                let mut record: serde_json::Map<String, Value> = serde_json::from_slice(old).unwrap_or_default();
                let key = record.keys().nth(field % record.len().max(1)).cloned().unwrap_or_else(|| "id".into());
                record.insert(key, value.clone());
                serde_json::to_vec(&record).unwrap_or_default()
            });
        }
        Damage::Missing { entry } => {
            entries.remove(entry % n);
        }
        Damage::Flipped { .. } | Damage::Cut { .. } => {}
    }
    let mut bytes = zip(&entries, model.deflate);
    match damage {
        Damage::Flipped { at } => {
            let len = bytes.len();
            for (i, mask) in at {
                bytes[i % len] ^= mask;
            }
        }
        Damage::Cut { at } => bytes.truncate(at % bytes.len()),
        _ => {}
    }
    bytes
}

#[test]
fn a_valid_archive_imports_with_every_record_as_written_and_opens_on_every_screen() {
    let store = Store::new();
    check(config(REGRESSIONS, 12), model(), |model| {
        let outcome = store.import(&zip(&model.entries(), model.deflate), Limits::default());
        let snapshot = match outcome {
            Ok(ImportOutcome::Imported { snapshot }) => snapshot,
            other => return Err(TestCaseError::fail(format!("a valid archive was not imported: {other:?}"))),
        };
        prop_assert_eq!(snapshot_rows(&store.h.desk, snapshot.tenant_id), model.rows());
        store.browse_and_remove(snapshot.tenant_id)
    });
}

#[test]
fn a_damaged_archive_is_refused_with_a_report_or_imported_never_an_error() {
    let store = Store::new();
    check(config(REGRESSIONS, 48), (model(), damage()), |(model, damage)| {
        store.refused_or_imported(&damaged(&model, &damage)).map(|_| ())
    });
}

#[test]
fn any_bytes_are_refused_as_no_archive() {
    let store = Store::new();
    check(config(REGRESSIONS, 24), proptest::collection::vec(any::<u8>(), 0..512), |bytes| {
        let outcome = store.refused_or_imported(&bytes)?;
        let ImportOutcome::Rejected { problems, .. } = outcome else { return Err(TestCaseError::fail("random bytes imported")) };
        prop_assert_eq!(problems[0].file.as_str(), ARCHIVE);
        Ok(())
    });
}

/// Whether a conversation from `created_at` to `last_activity_at` is within
/// the rules of an archive exported at `exported_at`.
fn within_the_rules(exported_at: i64, created_at: i64, last_activity_at: i64) -> bool {
    let (oldest, newest) = (exported_at.saturating_sub(20 * 366 * DAY), exported_at.saturating_add(5 * 60 * 1000));
    let in_span = |t: i64| (oldest..=newest).contains(&t);
    in_span(created_at) && in_span(last_activity_at) && last_activity_at >= created_at && (last_activity_at - created_at) / DAY < 366
}

#[test]
fn conversation_times_import_only_within_the_rules() {
    let store = Store::new();
    let exported_at = small_archive().manifest.exported_at;
    let time = prop_oneof![
        2 => (exported_at - TWENTY_YEARS - 400 * DAY)..=(exported_at + DAY),
        1 => any::<i64>(),
        1 => proptest::sample::select(vec![i64::MIN, i64::MAX, exported_at, exported_at + 5 * 60 * 1000, exported_at + 5 * 60 * 1000 + 1]),
    ];
    check(config(REGRESSIONS, 32), (time.clone(), time), |(created_at, last_activity_at)| {
        let mut model = small_archive();
        model.conversations[0].created_at = created_at;
        model.conversations[0].last_activity_at = last_activity_at;
        let outcome = store.refused_or_imported(&zip(&model.entries(), true))?;
        if within_the_rules(exported_at, created_at, last_activity_at) {
            prop_assert!(matches!(outcome, ImportOutcome::Imported { .. }), "within the rules, refused: {:?}", outcome);
        } else {
            let ImportOutcome::Rejected { problems, .. } = outcome else { return Err(TestCaseError::fail("outside the rules, imported")) };
            let conversations = EntityFile::Conversations.name();
            let named = problems.iter().any(|p| p.file == conversations && p.line == Some(1)
                && (p.problem.contains("created_at") || p.problem.contains("last_activity_at") || p.problem.contains("lasts")));
            prop_assert!(named, "not reported on the conversation's line and field: {:?}", problems);
        }
        Ok(())
    });
}

#[test]
fn an_over_long_line_is_reported_on_its_line_wherever_it_falls() {
    let store = Store::new();
    // Blank lines before the audit entry move it across the reader's
    // 256 KiB buffer; the entry is padded with spaces to its length.
    let case = (0usize..400_000, any::<bool>(), 600usize..2000, 0usize..2400);
    check(config(REGRESSIONS, 10), case, |(blank_lines, crlf, max_line_bytes, length)| {
        let model = small_archive();
        let mut entries = model.entries();
        let end: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        let audit = &mut entries.last_mut().unwrap().1;
        let record = audit.split(|b| *b == b'\n').next().unwrap().to_vec();
        let mut line = record.clone();
        line.resize(length.max(record.len()), b' ');
        let mut bytes = end.repeat(blank_lines);
        bytes.extend_from_slice(&line);
        bytes.extend_from_slice(end);
        *audit = bytes;
        let limits = Limits { max_line_bytes, ..Limits::default() };
        let outcome = store.import(&zip(&entries, true), limits).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        // The line as the reader measures it: up to its line feed.
        let measured = line.len() + usize::from(crlf);
        match outcome {
            ImportOutcome::Imported { snapshot } => {
                prop_assert!(measured <= max_line_bytes, "a line of {} bytes passed a limit of {}", measured, max_line_bytes);
                store.browse_and_remove(snapshot.tenant_id)?;
            }
            ImportOutcome::Rejected { problems, .. } => {
                prop_assert!(measured > max_line_bytes, "a line within the limit was refused: {:?}", problems);
                let expected = (EntityFile::AuditLog.name().to_owned(), Some(blank_lines as u32 + 1));
                prop_assert_eq!((problems[0].file.clone(), problems[0].line), expected);
                prop_assert!(problems[0].problem.contains("longer than"), "{:?}", problems);
            }
            ImportOutcome::Cancelled => prop_assert!(false, "cancelled without being asked"),
        }
        Ok(())
    });
}
