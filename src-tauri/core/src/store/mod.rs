//! The store: a SQLite file (the desktop's and a small team server's), or a
//! PostgreSQL database (a team server's, shared by several server
//! processes; the `postgres` feature). The core reads and writes both
//! through `sql::Tx`.

pub mod copy;
pub mod disk_space;
pub mod folder_lock;
pub mod integrity;
mod migrations;
#[cfg(feature = "postgres")]
pub mod moving;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod private;
pub mod sql;
mod startup_check;
pub(crate) mod swap;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{Error, ErrorCode, Result};
use integrity::Depth;
use startup_check::StartupCheck;
#[cfg(feature = "postgres")]
pub use postgres::{PgSettings, PgStore};
use sql::{Dialect, Tx};

pub const DATABASE_FILE: &str = "tenant-desk.sqlite3";

/// The store the core works on. Callers run on blocking threads.
pub enum Db {
    Sqlite(SqliteStore),
    #[cfg(feature = "postgres")]
    Postgres(PgStore),
}

impl Db {
    /// Opens (creating if needed) the SQLite store in `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        Ok(Db::Sqlite(SqliteStore::open(dir, Check::Before)?))
    }

    /// As [`Db::open`], for the window: when no migration is pending, the
    /// start-up check runs beside the app instead of before it, and every
    /// write waits for its verdict (`startup_check`).
    pub fn open_checking_beside(dir: &Path) -> Result<Self> {
        Ok(Db::Sqlite(SqliteStore::open(dir, Check::Beside)?))
    }

    /// Connects to a PostgreSQL store and brings its schema up to date.
    #[cfg(feature = "postgres")]
    pub fn open_postgres(settings: &PgSettings) -> Result<Self> {
        Ok(Db::Postgres(PgStore::open(settings)?))
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite store, for what only a file has (backups, restore, the
    /// file's size); refused on PostgreSQL, whose server keeps its own.
    pub fn sqlite(&self) -> Result<&SqliteStore> {
        match self {
            Db::Sqlite(store) => Ok(store),
            #[cfg(feature = "postgres")]
            Db::Postgres(_) => Err(Error::new(
                ErrorCode::Conflict,
                "This team's data is in PostgreSQL: back it up with pg_dump on the database's server (see the server guide).",
            )),
        }
    }

    /// Waits until the store can be written to: on SQLite, until it passed
    /// its start-up check or a backup replaced it (`SqliteStore::wait_until_sound`).
    pub fn wait_until_sound(&self) {
        match self {
            Db::Sqlite(store) => store.wait_until_sound(),
            #[cfg(feature = "postgres")]
            Db::Postgres(_) => {}
        }
    }

    /// Where the store is, for the log and Diagnostics: a file's path or the
    /// database's address without its password.
    pub fn describe(&self) -> String {
        match self {
            Db::Sqlite(store) => store.path().display().to_string(),
            #[cfg(feature = "postgres")]
            Db::Postgres(store) => store.describe(),
        }
    }

    /// Runs `f` in a read transaction that sees what was committed when it
    /// began, and does not wait for a writer.
    pub fn read<T>(&self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        match self {
            Db::Sqlite(store) => store.read(f),
            #[cfg(feature = "postgres")]
            Db::Postgres(store) => store.read(f),
        }
    }

    /// Runs `f` once for each of `parts` parts of one read, side by side on
    /// threads of their own where the store allows it, every part in a read
    /// transaction seeing the same moment of the store: a long read spread
    /// over the machine's cores. Answers each part's value in order.
    pub fn read_parts<T: Send>(&self, parts: usize, f: impl Fn(&Tx, usize) -> Result<T> + Sync) -> Result<Vec<T>> {
        match self {
            Db::Sqlite(store) => store.read_parts(parts, f),
            // One transaction holds one moment; PostgreSQL reads its parts in turn.
            #[cfg(feature = "postgres")]
            Db::Postgres(store) => store.read(|tx| (0..parts).map(|part| f(tx, part)).collect()),
        }
    }

    /// Runs `f` in a write transaction that no other writer interleaves with
    /// (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL a transaction-wide lock all
    /// server processes take), so a read-then-write rule ("the last admin",
    /// the sign-in throttle) holds. Commits when `f` succeeds; on any error
    /// nothing is written.
    pub fn write<T>(&self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        match self {
            Db::Sqlite(store) => store.write(f),
            #[cfg(feature = "postgres")]
            Db::Postgres(store) => store.write(f),
        }
    }
}

/// A connection of its own, for long work (an archive's export or import)
/// in transactions it begins and commits itself, beside the store's own.
pub enum Side {
    Sqlite(Connection),
    #[cfg(feature = "postgres")]
    Postgres(Box<r2d2::PooledConnection<postgres::Manager>>),
}

impl Side {
    /// The connection, between transactions (`Tx::begin` starts one).
    pub fn tx(&mut self) -> Tx<'_> {
        match self {
            Side::Sqlite(conn) => Tx::sqlite_connection(conn),
            #[cfg(feature = "postgres")]
            Side::Postgres(conn) => {
                let sql::PgConn { client, prepared } = &mut ***conn;
                Tx::postgres(client, prepared)
            }
        }
    }
}

impl Db {
    /// A connection of its own to the same store: with WAL (or PostgreSQL),
    /// the app keeps reading and writing while long work runs on it.
    pub fn side(&self) -> Result<Side> {
        match self {
            Db::Sqlite(store) => Ok(Side::Sqlite(store.side_connection()?)),
            #[cfg(feature = "postgres")]
            Db::Postgres(store) => Ok(Side::Postgres(Box::new(store.side()?))),
        }
    }

    /// Between two transactions of long work: lets a waiting writer of the
    /// app go first (SQLite; PostgreSQL's lock queue is fair already).
    pub(crate) fn give_way(&self) {
        match self {
            Db::Sqlite(store) => store.give_way(),
            #[cfg(feature = "postgres")]
            Db::Postgres(_) => {}
        }
    }
}

/// One writer connection behind a mutex, and a few read-only connections
/// that read beside it (WAL): a long write never holds up a read.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// Reads hold it shared; swapping in another database file holds it
    /// alone, so no read opens the path while the file is changing.
    swapping: RwLock<()>,
    /// Every write waits for it.
    check: std::sync::Arc<StartupCheck>,
    /// App writers waiting to begin: long work in short transactions (an
    /// archive import) gives way to them between two (`give_way`).
    waiting_writers: AtomicUsize,
    path: PathBuf,
}

/// How long long work waits for the app's writers at most between two of
/// its transactions.
const GIVE_WAY_AT_MOST: Duration = Duration::from_secs(1);

/// Read connections kept open between reads; more are opened when needed.
const READERS_KEPT: usize = 4;

/// When a store is checked as it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Before it opens: a store that fails is refused.
    Before,
    /// Beside the app, unless a migration is pending (that is checked
    /// before it runs): writes wait for the verdict.
    Beside,
}

impl SqliteStore {
    /// Opens (creating if needed) the database in `dir` and brings its schema
    /// up to date. A store that fails its check is refused with
    /// `StoreDamaged` before anything writes to it: at once, or (checked
    /// beside) at its first write.
    fn open(dir: &Path, when: Check) -> Result<Self> {
        private::private_dir(dir).map_err(|e| Error::file_system(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join(DATABASE_FILE);
        swap::resolve_interrupted(&path)?;
        make_database_private(&path)?;
        let (conn, check) = open_store(&path, when)?;
        Ok(Self {
            conn: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
            swapping: RwLock::new(()),
            check,
            waiting_writers: AtomicUsize::new(0),
            path,
        })
    }

    /// Waits for the store's start-up check: `StoreDamaged` if it failed.
    pub fn startup_check(&self) -> Result<()> {
        self.check.wait()
    }

    /// Waits until the store passed its check, or a backup replaced it
    /// after it failed: for work that runs once per store (the tidying of
    /// what a quit left half done) and would otherwise meet a damaged one.
    pub fn wait_until_sound(&self) {
        self.check.wait_until_sound()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A connection of its own to the same database, for long work (an
    /// archive's export or import) that must not hold up the app's
    /// connection: with WAL, the app keeps reading while it runs.
    pub fn side_connection(&self) -> Result<Connection> {
        self.check.wait()?;
        let conn = Connection::open(&self.path)?;
        configure(&conn)?;
        Ok(conn)
    }

    /// Between two transactions of long work on a side connection: waits
    /// while one of the app's writers waits to begin (at most a second), as
    /// the long work begins its next transaction sooner than a waiting
    /// writer's next try (`wait_for_writer`) would come.
    pub(crate) fn give_way(&self) {
        let since = std::time::Instant::now();
        while self.waiting_writers.load(Ordering::SeqCst) > 0 && since.elapsed() < GIVE_WAY_AT_MOST {
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Runs `f` in a read transaction on a read-only connection of its own:
    /// it sees what was committed when it began, and does not wait for a
    /// writer.
    pub fn read<T>(&self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let _shared = self.swapping.read().unwrap_or_else(|p| p.into_inner());
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut conn = match pooled {
            Some(conn) => conn,
            None => open_reader(&self.path)?,
        };
        let outcome = (|| {
            let tx = Tx::sqlite(conn.transaction_with_behavior(TransactionBehavior::Deferred)?);
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        })();
        let mut readers = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if readers.len() < READERS_KEPT {
            readers.push(conn);
        }
        outcome
    }

    /// As [`Db::read_parts`]. The parts' transactions all begin while the
    /// app's writer is held, so no write of the app's commits between them
    /// (long work on a side connection writes only a snapshot that nothing
    /// reads until it is finished). When a write is under way the parts are
    /// read in turn in one transaction instead of waiting for it.
    pub fn read_parts<T: Send>(&self, parts: usize, f: impl Fn(&Tx, usize) -> Result<T> + Sync) -> Result<Vec<T>> {
        let shared = self.swapping.read().unwrap_or_else(|p| p.into_inner());
        let Ok(writer) = self.conn.try_lock() else {
            // `read` takes the swap lock itself: taken twice by one thread it
            // would wait behind a swap waiting for it.
            drop(shared);
            return self.read(|tx| (0..parts).map(|part| f(tx, part)).collect());
        };
        let mut conns = Vec::with_capacity(parts);
        let began = (|| {
            for _ in 0..parts {
                let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
                let conn = match pooled {
                    Some(conn) => conn,
                    None => open_reader(&self.path)?,
                };
                conns.push(conn);
                let conn = conns.last().ok_or_else(|| Error::internal("no reader"))?;
                // A read transaction takes its moment at its first read.
                conn.execute_batch("BEGIN DEFERRED")?;
                conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
            }
            Ok::<_, Error>(())
        })();
        drop(writer);
        let outcome = began.and_then(|()| {
            let f = &f;
            std::thread::scope(|scope| {
                let mut conns = conns.iter_mut().enumerate();
                let first = conns.next();
                let others: Vec<_> =
                    conns.map(|(part, conn)| scope.spawn(move || f(&Tx::sqlite_connection(conn), part))).collect();
                let mut values = Vec::with_capacity(parts);
                if let Some((part, conn)) = first {
                    values.push(f(&Tx::sqlite_connection(conn), part));
                }
                for other in others {
                    values.push(other.join().unwrap_or_else(|_| Err(Error::internal("a part of a read panicked"))));
                }
                values.into_iter().collect::<Result<Vec<T>>>()
            })
        });
        let mut readers = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        for conn in conns {
            if (conn.execute_batch("COMMIT").is_ok() || conn.is_autocommit()) && readers.len() < READERS_KEPT {
                readers.push(conn);
            }
        }
        outcome
    }

    /// Runs `f` in a write transaction taken with `BEGIN IMMEDIATE`, so a
    /// read-then-write (throttle counter, "last admin") cannot interleave with
    /// another writer, even one on another connection. Commits when `f`
    /// succeeds; on any error nothing is written.
    pub fn write<T>(&self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        self.check.wait()?;
        self.waiting_writers.fetch_add(1, Ordering::SeqCst);
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate);
        self.waiting_writers.fetch_sub(1, Ordering::SeqCst);
        let tx = Tx::sqlite(tx?);
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// A read-only connection to the store (it never creates the file).
fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    configure(&conn)?;
    conn.pragma_update(None, "query_only", "ON")?;
    Ok(conn)
}

/// Opens the store at `path`: checks it (`quick_check`, and a schema version
/// this build knows) before anything writes to it, then configures and
/// migrates it. A file that fails is left exactly as it was.
pub(crate) fn open_checked(path: &Path) -> Result<Connection> {
    open_store(path, Check::Before).map(|(conn, _)| conn)
}

/// As [`open_checked`]; checked beside, the version and the schema are read
/// before it opens (a file that is not SQLite, or whose schema is damaged,
/// is refused at once) and the pages after.
fn open_store(path: &Path, when: Check) -> Result<(Connection, std::sync::Arc<StartupCheck>)> {
    let damaged = |why: String| Error::new(ErrorCode::StoreDamaged, startup_check::damaged_message(path, &why));
    let mut conn = Connection::open(path).map_err(|e| damaged(e.to_string()))?;
    harden(&conn)?;
    conn.busy_handler(Some(wait_for_writer))?;
    register_text_functions(&conn)?;
    let version = integrity::schema_version(&conn).map_err(|e| damaged(integrity::describe_open_error(&e)))?;
    if version > migrations::latest() {
        return Err(damaged("it was made by a newer version of Tenant Desk".into()));
    }
    let check = if when == Check::Beside && version == migrations::latest() {
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
            .map_err(|e| damaged(integrity::describe_open_error(&e)))?;
        StartupCheck::beside(path)?
    } else {
        integrity::check(&conn, Depth::Quick).map_err(|p| damaged(p.0))?;
        StartupCheck::passed()
    };
    configure(&conn)?;
    migrations::apply(&mut conn)?;
    Ok((conn, check))
}

/// SQLite's defensive settings: no writing the schema behind SQLite's back
/// (`DEFENSIVE`), and no function runs from a trigger, view or index unless
/// it is marked harmless (`trusted_schema = OFF`).
pub(crate) fn harden(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    Ok(())
}

/// While another connection writes, a statement that must wait for it asks
/// again every millisecond, for about ten seconds. SQLite's own busy wait
/// sleeps longer the longer it waits (up to 100 ms a time): its tries come
/// 18, 33 and 53 ms into the wait, so a write whose wait ended at 34 ms
/// began at 53.
fn wait_for_writer(tries: i32) -> bool {
    std::thread::sleep(Duration::from_millis(1));
    tries < 10_000
}

fn configure(conn: &Connection) -> Result<()> {
    harden(conn)?;
    conn.busy_handler(Some(wait_for_writer))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // SQLite's default page cache is 2 MiB a connection: a search that reads
    // a thousand rows of a large store then asks the operating system for
    // most pages again (a third of a Users search's time at 100,000 users).
    // The cache grows only as pages are read, so a small store costs no more.
    conn.pragma_update(None, "cache_size", -32_768)?;
    register_text_functions(conn)?;
    Ok(())
}

/// The database and its companions 0600; a new database starts as an empty
/// file of that mode, which SQLite takes as an empty database (its WAL and
/// shared-memory files are then made with the same mode).
fn make_database_private(path: &Path) -> Result<()> {
    let failed = |e: std::io::Error| Error::file_system(format!("cannot protect {}: {e}", path.display()));
    if !path.exists() {
        private::create_private(path).map_err(failed)?;
    }
    for file in database_files(path) {
        private::make_private(&file).map_err(failed)?;
    }
    Ok(())
}

/// `path` with `.suffix` added: `tenant-desk.sqlite3.previous`.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".");
    name.push(suffix);
    path.with_file_name(name)
}

/// The files of one database: the file itself and, in WAL mode, its `-wal`
/// and `-shm` companions.
pub(crate) fn database_files(path: &Path) -> [PathBuf; 3] {
    let with = |end: &str| {
        let mut name = path.as_os_str().to_os_string();
        name.push(end);
        PathBuf::from(name)
    };
    [path.to_owned(), with("-wal"), with("-shm")]
}

/// Renames a closed database with its companions.
pub(crate) fn move_database(from: &Path, to: &Path) -> Result<()> {
    for (from, to) in database_files(from).iter().zip(database_files(to).iter()) {
        let _ = std::fs::remove_file(to);
        if from.exists() {
            std::fs::rename(from, to)
                .map_err(|e| Error::file_system(format!("cannot move {} to {}: {e}", from.display(), to.display())))?;
        }
    }
    Ok(())
}

pub(crate) fn remove_database(path: &Path) {
    for file in database_files(path) {
        let _ = std::fs::remove_file(file);
    }
}

/// The schema version of the store a transaction is on.
pub fn schema_version(tx: &Tx) -> Result<i64> {
    match tx.as_sqlite() {
        Some(conn) => Ok(integrity::schema_version(conn)?),
        None => Ok(tx.query_row("SELECT version FROM desk_schema_version", [], |r| r.get(0))?),
    }
}

/// `fold_case(text)`: Unicode lower case (SQLite's own `lower` only knows
/// ASCII); the user search index is built with it. `sort_key(text)`: the key
/// names are sorted by.
pub(crate) fn register_text_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    // Innocuous: the triggers of the search index call them, and a hardened
    // connection runs only harmless functions from the schema.
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
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
    fn a_read_does_not_wait_for_a_writer() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::storage)?;
        let db = std::sync::Arc::new(Db::open(dir.path())?);
        let (in_write, wait_in_write) = std::sync::mpsc::channel();
        let (read_done, wait_read_done) = std::sync::mpsc::channel::<i64>();
        let writer = {
            let db = db.clone();
            std::thread::spawn(move || {
                db.write(|tx| {
                    tx.execute("INSERT INTO install (id, install_id, created_at) VALUES (1, 'x', 0)", [])?;
                    let _ = in_write.send(());
                    // Finishes only once the read finished: a read that
                    // waited for this writer would never come back.
                    let _ = wait_read_done.recv_timeout(std::time::Duration::from_secs(30));
                    Ok(())
                })
            })
        };
        wait_in_write.recv().map_err(Error::internal)?;
        let seen: i64 = db.read(|tx| Ok(tx.query_row("SELECT count(*) FROM install", [], |r| r.get(0))?))?;
        read_done.send(seen).map_err(Error::internal)?;
        writer.join().map_err(|_| Error::internal("writer panicked"))??;
        assert_eq!(seen, 0, "the read saw what was committed when it began");
        let after: i64 = db.read(|tx| Ok(tx.query_row("SELECT count(*) FROM install", [], |r| r.get(0))?))?;
        assert_eq!(after, 1);
        Ok(())
    }

    #[test]
    fn a_read_cannot_write() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::storage)?;
        let db = Db::open(dir.path())?;
        let outcome = db.read(|tx| Ok(tx.execute("INSERT INTO install (id, install_id, created_at) VALUES (1, 'x', 0)", [])?));
        assert!(outcome.is_err());
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
