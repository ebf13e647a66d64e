//! Whether a SQLite file is a sound Tenant Desk store.
//!
//! Start-up runs `PRAGMA quick_check`: it reads every page and record, so
//! torn pages, broken b-trees and malformed records are found, but it skips
//! comparing each index with its table. Measured on the 2-core development
//! machine (docs/guide/backups.md): 1.6 s against 2.4 s for `integrity_check` on
//! a 188 MB store of 1,000,000 messages, 0.3–0.5 s against 1.4–1.9 s on a
//! 52 MB store of 100,000 users (mostly its trigram search index). Every
//! write waits for it (`startup_check`), so start-up takes the quick one. A file offered for
//! restore, and every backup just written, get the full `integrity_check`:
//! that file replaces everything, so it is checked completely.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::migrations;
use crate::error::{Error, ErrorCode, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// `PRAGMA quick_check`: pages and records.
    Quick,
    /// `PRAGMA integrity_check`: also every index against its table.
    Full,
}

/// What is wrong with a database file, in words for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem(pub String);

/// Checks the pages and records of `conn`'s main database. A file that is not
/// SQLite at all fails here too (the first read finds no valid header).
pub fn check(conn: &Connection, depth: Depth) -> std::result::Result<(), Problem> {
    let pragma = match depth {
        Depth::Quick => "PRAGMA quick_check(5)",
        Depth::Full => "PRAGMA integrity_check(5)",
    };
    let answer = conn.prepare(pragma).and_then(|mut stmt| {
        stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()
    });
    match answer {
        Ok(lines) if lines == ["ok"] => Ok(()),
        Ok(lines) => Err(Problem(format!("SQLite's integrity check reports: {}", lines.join("; ")))),
        Err(e) => Err(Problem(describe_open_error(&e))),
    }
}

pub(super) fn describe_open_error(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => "it is not a SQLite database".into(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => "SQLite reports the file is malformed".into(),
        _ => format!("SQLite cannot read it ({e})"),
    }
}

/// Every table, index, trigger and view of `conn`'s main database: type,
/// name and SQL, in a stable order.
pub fn schema(conn: &Connection) -> rusqlite::Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// Whether the schema is exactly the one Tenant Desk makes at the file's
/// version: a trigger, view or table of anyone else's would run or be read
/// once the file became the store.
fn foreign_schema(conn: &Connection, version: i64) -> Result<Option<String>> {
    let mut known = migrations::schema_of_version(version)?;
    let found = schema(conn)?;
    if version >= migrations::SNAPSHOT_WORD_INDEXES_SINCE {
        for tenant_id in found.iter().filter_map(|(_, name, _)| snapshot_of_word_index(name)) {
            known.extend(migrations::schema_of_snapshot_words(tenant_id)?);
        }
    }
    if let Some((kind, name, _)) = found.iter().find(|item| !known.contains(item)) {
        return Ok(Some(format!("it holds a {kind} \"{name}\" that Tenant Desk did not make")));
    }
    if let Some((kind, name, _)) = known.iter().find(|item| !found.contains(item)) {
        return Ok(Some(format!("its {kind} \"{name}\" is missing")));
    }
    Ok(None)
}

/// The snapshot whose own word index `name` is (`message_search_<id>`), if it is one.
fn snapshot_of_word_index(name: &str) -> Option<i64> {
    let id = name.strip_prefix("message_search_")?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

/// A connection to a file that is not trusted yet: read-only, with SQLite's
/// defensive settings, so nothing it holds can run.
pub(super) fn open_untrusted(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    super::harden(&conn)?;
    Ok(conn)
}

/// The schema version (`user_version`) the file was migrated to.
pub fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// A backup candidate: a sound SQLite file that a Tenant Desk made (it has the
/// install row) at a schema version this build knows. Opened read-only, so a
/// refused file is left exactly as it was.
pub fn check_backup_file(path: &Path) -> Result<()> {
    let refuse = |why: &str| {
        Error::new(ErrorCode::NotABackup, format!("{} cannot be restored: {why}. Nothing was changed.", file_name(path)))
    };
    if !path.is_file() {
        return Err(refuse("the file does not exist"));
    }
    let conn = open_untrusted(path).map_err(|e| refuse(&describe_open_error(&e)))?;
    super::register_text_functions(&conn)?;
    check(&conn, Depth::Full).map_err(|p| refuse(&p.0))?;
    let version = schema_version(&conn).map_err(|e| refuse(&describe_open_error(&e)))?;
    if version > migrations::latest() {
        return Err(refuse("it was made by a newer version of Tenant Desk"));
    }
    let installs: rusqlite::Result<i64> = conn.query_row("SELECT count(*) FROM install WHERE id = 1", [], |r| r.get(0));
    if version < 1 || !matches!(installs, Ok(1)) {
        return Err(refuse("it is not a Tenant Desk backup"));
    }
    if let Some(why) = foreign_schema(&conn, version)? {
        return Err(refuse(&why));
    }
    Ok(())
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// What `check` found in a data folder's store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoreCheck {
    pub path: String,
    pub schema_version: i64,
    /// The version this build migrates to.
    pub expected_schema_version: i64,
    /// Everything wrong, in words for people; empty when the store is sound.
    pub problems: Vec<String>,
}

/// The full check of the store in `data_dir`: every page, record and index
/// (`integrity_check`), every foreign key, and the schema against the one
/// Tenant Desk makes at the store's version. Read-only, so it runs beside
/// the app. A store at an older version is sound: the app migrates it.
pub fn check_store(data_dir: &Path) -> Result<StoreCheck> {
    let path = data_dir.join(super::DATABASE_FILE);
    if !path.is_file() {
        return Err(Error::new(ErrorCode::NotFound, format!("There is no Tenant Desk store in {}.", data_dir.display())));
    }
    let mut report = StoreCheck {
        path: path.display().to_string(),
        schema_version: 0,
        expected_schema_version: migrations::latest(),
        problems: vec![],
    };
    let conn = match open_untrusted(&path) {
        Ok(conn) => conn,
        Err(e) => {
            report.problems.push(describe_open_error(&e));
            return Ok(report);
        }
    };
    super::register_text_functions(&conn)?;
    if let Err(Problem(why)) = check(&conn, Depth::Full) {
        report.problems.push(why);
        return Ok(report);
    }
    report.schema_version = schema_version(&conn)?;
    if report.schema_version > report.expected_schema_version {
        report.problems.push(format!(
            "it is at schema version {}, made by a newer Tenant Desk than this one (version {})",
            report.schema_version, report.expected_schema_version
        ));
        return Ok(report);
    }
    if let Some(why) = foreign_schema(&conn, report.schema_version)? {
        report.problems.push(why);
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let broken = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, String>(2)?)))?;
    for row in broken.take(20) {
        let (table, rowid, parent) = row?;
        let which = rowid.map(|id| format!(" {id}")).unwrap_or_default();
        report.problems.push(format!("row{which} of {table} refers to a row of {parent} that does not exist"));
    }
    Ok(report)
}
