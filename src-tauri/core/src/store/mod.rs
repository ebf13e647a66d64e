//! The local SQLite store: one `open()` for the app and the tests.

pub mod audit;
mod migrations;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::{Error, Result};

pub const DATABASE_FILE: &str = "tenant-desk.sqlite3";

/// One writer connection behind a mutex. Callers run on blocking threads.
pub struct Db {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Db {
    /// Opens (creating if needed) the database in `dir` and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::storage(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join(DATABASE_FILE);
        let mut conn = Connection::open(&path)?;
        configure(&conn)?;
        migrations::apply(&mut conn)?;
        Ok(Self { conn: Mutex::new(conn), path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A connection of its own to the same database, for long work (an
    /// archive's export or import) that must not hold up the app's
    /// connection: with WAL, the app keeps reading while it runs.
    pub fn side_connection(&self) -> Result<Connection> {
        let conn = Connection::open(&self.path)?;
        configure(&conn)?;
        Ok(conn)
    }

    /// Runs `f` in a read transaction.
    pub fn read<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.with_tx(TransactionBehavior::Deferred, f)
    }

    /// Runs `f` in a write transaction taken with `BEGIN IMMEDIATE`, so a
    /// read-then-write (throttle counter, "last admin") cannot interleave with
    /// another writer, even one on another connection. Commits when `f`
    /// succeeds; on any error nothing is written.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.with_tx(TransactionBehavior::Immediate, f)
    }

    fn with_tx<T>(
        &self,
        behavior: TransactionBehavior,
        f: impl FnOnce(&Transaction) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction_with_behavior(behavior)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    register_text_functions(conn)?;
    Ok(())
}

/// `fold_case(text)`: Unicode lower case (SQLite's own `lower` only knows
/// ASCII); the user search index is built with it. `sort_key(text)`: the key
/// names are sorted by.
fn register_text_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("fold_case", 1, flags, |ctx| {
        Ok(ctx.get::<Option<String>>(0)?.map(|s| fold_case(&s)))
    })?;
    conn.create_scalar_function("sort_key", 1, flags, |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|s| sort_key(&s))))?;
    Ok(())
}

/// Lower case without accents: "Élodie" sorts with "elodie", before "Tomás".
pub fn sort_key(s: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    s.nfd().filter(|c| !is_combining_mark(*c)).collect::<String>().to_lowercase()
}

/// The case folding of search text and search terms.
pub fn fold_case(s: &str) -> String {
    s.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_with_wal_and_foreign_keys() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::storage)?;
        let db = Db::open(dir.path())?;
        let (mode, fk): (String, i64) = db.read(|tx| {
            let mode = tx.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            let fk = tx.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
            Ok((mode, fk))
        })?;
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
        Ok(())
    }

    #[test]
    fn reopening_keeps_data_and_schema_version() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::storage)?;
        {
            let db = Db::open(dir.path())?;
            db.write(|tx| {
                tx.execute("INSERT INTO install (id, install_id, created_at) VALUES (1, 'x', 0)", [])?;
                Ok(())
            })?;
        }
        let db = Db::open(dir.path())?;
        let id: String = db.read(|tx| Ok(tx.query_row("SELECT install_id FROM install", [], |r| r.get(0))?))?;
        assert_eq!(id, "x");
        Ok(())
    }

    #[test]
    fn failed_write_leaves_nothing() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::storage)?;
        let db = Db::open(dir.path())?;
        let outcome: Result<()> = db.write(|tx| {
            tx.execute("INSERT INTO install (id, install_id, created_at) VALUES (1, 'x', 0)", [])?;
            Err(Error::not_allowed())
        });
        assert!(outcome.is_err());
        let n: i64 = db.read(|tx| Ok(tx.query_row("SELECT count(*) FROM install", [], |r| r.get(0))?))?;
        assert_eq!(n, 0);
        Ok(())
    }
}
