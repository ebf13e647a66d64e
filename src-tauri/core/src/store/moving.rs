//! Moving a store from SQLite into PostgreSQL, when a team outgrows one
//! server process. Only a copy of the SQLite file is read, so the folder's
//! own store stays exactly as it was; the PostgreSQL database is filled in
//! one transaction that commits only once every table's rows and every
//! tenant's archive are found the same on both sides. A refused or
//! interrupted move leaves the database as empty as it was.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::folder_lock::FolderLock;
use super::postgres::{self as pg_store, PgSettings, PgStore};
use super::sql::Tx;
use super::{copy, private, Db, DATABASE_FILE};
use crate::error::{Error, ErrorCode, Result};

/// What was moved, for the summary the operator reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveReport {
    /// Where the store went, without its password.
    pub target: String,
    /// Each table with the rows it holds, the same on both stores, in the
    /// order they were copied.
    pub tables: Vec<(String, i64)>,
    /// Each tenant (snapshots aside) with the SHA-256 of its archive's
    /// content, the same on both stores.
    pub tenants_verified: Vec<(i64, String)>,
    /// Entries of the folder's `secrets.json` (a SQLite team server's tenant
    /// API keys and MFA secrets) now in the database's `server_secrets`.
    pub secrets: usize,
}

/// Where a SQLite team server keeps the secrets it must read back; on
/// PostgreSQL they live in the database, for every server process.
const SECRETS_FILE: &str = "secrets.json";

/// Not copied: PostgreSQL's triggers fill them as the rows they follow
/// arrive (the users' search text from memberships and accounts, whose
/// SQLite twin feeds an FTS index PostgreSQL has not; the waiting count
/// from conversations). Their row counts are still compared.
const DERIVED: [&str; 2] = ["user_search_text", "conversation_counts"];

/// Moves the SQLite store of `source_dir` into the empty PostgreSQL database
/// of `target`. `report` hears each step as it starts.
pub fn move_to_postgres(source_dir: &Path, target: &PgSettings, report: &mut dyn FnMut(&str)) -> Result<MoveReport> {
    let database = source_dir.join(DATABASE_FILE);
    // Before the lock, which would create a mistyped folder.
    if !database.is_file() {
        return Err(Error::new(
            ErrorCode::Validation,
            format!("{} holds no Tenant Desk store (there is no {DATABASE_FILE} in it).", source_dir.display()),
        ));
    }
    // Held to the end: nothing changes the store between the copy and the
    // commit, so what PostgreSQL holds is the folder's last state.
    let _lock = FolderLock::acquire(source_dir)?;
    let secrets = read_secrets(&source_dir.join(SECRETS_FILE))?;
    let store = PgStore::open(target)?;
    let describe = store.describe();
    let mut client = store.listener()?;
    let mut into = Target { client: &mut client, describe: &describe };
    // Asked again inside the transaction; here it spares copying a large
    // store only to be refused.
    into.refuse_unless_empty()?;
    let scratch = Scratch::new()?;
    report(&format!("Copying {} …", database.display()));
    copy::copy_database(&database, &scratch.path.join(DATABASE_FILE))?;
    // An older store is brought to this build's schema here, in the copy.
    let source = Db::open(&scratch.path)?;
    let moved = source.read(|tx| {
        let (from, to) = (super::schema_version(tx)?, pg_store::latest());
        if from != to {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!("The store is at schema {from} and this build's PostgreSQL schema is {to}: move it with a build whose two schemas match."),
            ));
        }
        into.in_one_transaction(|target| fill_and_verify(tx, target, &secrets, &scratch.path, report))
    });
    drop(source);
    moved
}

/// The PostgreSQL connection the whole move runs on, in one transaction.
struct Target<'c> {
    client: &'c mut postgres::Client,
    describe: &'c str,
}

impl Target<'_> {
    /// A refusal of the database, with what was being done.
    fn failed(&self, doing: &str) -> impl Fn(postgres::Error) -> Error + '_ {
        let doing = doing.to_owned();
        move |e| {
            let why = match e.as_db_error() {
                Some(db) => db.message().to_owned(),
                None => e.to_string(),
            };
            Error::new(ErrorCode::Storage, format!("{doing} in {} failed: {why}. Nothing was moved.", self.describe))
        }
    }

    /// Refuses a database that holds a store already: a move never mixes
    /// two stores, nor replaces one.
    fn refuse_unless_empty(&mut self) -> Result<()> {
        let holds = self.client.query_one("SELECT EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM tenants)", &[]);
        let holds: bool = holds.map_err(self.failed("Looking for a store"))?.get(0);
        if holds {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!("The database {} already holds a Tenant Desk store; move into an empty database.", self.describe),
            ));
        }
        Ok(())
    }

    fn run(&mut self, sql: &str, doing: &str) -> Result<()> {
        let outcome = self.client.batch_execute(sql);
        outcome.map_err(self.failed(doing))
    }

    /// Commits only when `fill` succeeds; on any error, or if this process
    /// dies first, PostgreSQL rolls everything back.
    fn in_one_transaction<T>(mut self, fill: impl FnOnce(&mut Target) -> Result<T>) -> Result<T> {
        // A large store takes longer than the server's statement limit, and
        // the connection waits while the SQLite side is read.
        self.run(
            "BEGIN; SET LOCAL statement_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0",
            "Beginning the transaction",
        )?;
        match fill(&mut self) {
            Ok(value) => {
                self.run("COMMIT", "Committing")?;
                Ok(value)
            }
            Err(e) => {
                let _ = self.client.batch_execute("ROLLBACK");
                Err(e)
            }
        }
    }
}

/// A table of the SQLite store and its columns, as they are copied.
struct Table {
    name: String,
    columns: Vec<String>,
}

fn fill_and_verify(
    tx: &Tx,
    target: &mut Target,
    secrets: &BTreeMap<String, String>,
    scratch: &Path,
    report: &mut dyn FnMut(&str),
) -> Result<MoveReport> {
    let conn = tx.as_sqlite().ok_or_else(|| Error::internal("the store to move is not SQLite"))?;
    let tables = tables_in_order(conn)?;
    let names: Vec<String> = tables.iter().map(|t| t.name.clone()).chain(DERIVED.map(str::to_owned)).collect();
    let bytea = binary_columns(target, &tables)?;

    // Server processes already on this database wait until the commit.
    let list = names.iter().map(|n| ident(n)).collect::<Vec<_>>().join(", ");
    target.run(&format!("LOCK TABLE {list} IN ACCESS EXCLUSIVE MODE"), "Locking the tables")?;
    target.refuse_unless_empty()?;

    // Accounts and tenants refer to each other, so no table order satisfies
    // every reference while the rows arrive: the references are checked
    // once all rows are in, as the constraints are added back.
    let references = foreign_keys(target, &names)?;
    for (drop, _) in &references {
        target.run(drop, "Setting the references aside")?;
    }
    // The seeded rows (plans, the local API's settings) and whatever a server
    // wrote before a workspace was set up make way for the store's own.
    target.run(&format!("TRUNCATE {list}"), "Emptying the tables")?;
    report(&format!("Writing into {} in one transaction …", target.describe));
    for table in &tables {
        copy_table(conn, target, table, &bytea)?;
    }
    report("Checking every reference …");
    for (_, add) in &references {
        target.run(add, "Checking the references")?;
    }
    move_identities_past_copied_ids(target, &names)?;
    for (name, value) in secrets {
        let stored = target.client.execute(
            "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            &[name, value],
        );
        stored.map_err(target.failed("Storing the secrets"))?;
    }

    report("Counting the rows on both stores …");
    let mut counted = Vec::with_capacity(names.len());
    for name in &names {
        let sql = format!("SELECT count(*) FROM {}", ident(name));
        let here: i64 = conn.query_row(&sql, [], |r| r.get(0))?;
        let there = target.client.query_one(sql.as_str(), &[]).map_err(target.failed("Counting the rows"))?;
        let there: i64 = there.get(0);
        if here != there {
            return Err(Error::new(
                ErrorCode::Storage,
                format!("{name} holds {here} rows in the store but {there} in {} after the copy. Nothing was moved.", target.describe),
            ));
        }
        counted.push((name.clone(), here));
    }

    report("Comparing each tenant's archive on both stores …");
    let tenants: Vec<i64> = tx
        .prepare(
            "SELECT id FROM tenants WHERE id NOT IN (SELECT tenant_id FROM snapshots)
                AND id NOT IN (SELECT tenant_id FROM unfinished_snapshots) ORDER BY id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<Vec<i64>, _>>()?;
    let mut prepared = HashMap::new();
    // The same connection, inside the transaction: it reads what was copied.
    let there = Tx::postgres(&mut *target.client, &mut prepared);
    let mut verified = Vec::with_capacity(tenants.len());
    for tenant in tenants {
        let here_sha = crate::archives::content_digest(tx, tenant, scratch)?;
        let there_sha = crate::archives::content_digest(&there, tenant, scratch)?;
        if here_sha != there_sha {
            return Err(Error::new(
                ErrorCode::Storage,
                format!(
                    "Tenant {tenant}'s archive differs between the store ({here_sha}) and {} ({there_sha}). Nothing was moved.",
                    target.describe
                ),
            ));
        }
        verified.push((tenant, here_sha));
    }
    Ok(MoveReport { target: target.describe.to_owned(), tables: counted, tenants_verified: verified, secrets: secrets.len() })
}

/// The store's tables (virtual and shadow tables of its search indexes
/// aside) in the order of their references: a table after those it refers
/// to, so memberships arrive after the accounts their search text is made
/// from.
fn tables_in_order(conn: &Connection) -> Result<Vec<Table>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM pragma_table_list
              WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?
        .into_iter()
        .filter(|name| !DERIVED.contains(&name.as_str()))
        .collect();
    let mut refers: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for name in &names {
        let parents: BTreeSet<String> = conn
            .prepare("SELECT \"table\" FROM pragma_foreign_key_list(?1)")?
            .query_map([name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        refers.insert(name, parents.into_iter().filter(|p| p != name && names.contains(p)).collect());
    }
    let mut placed: Vec<&str> = Vec::with_capacity(names.len());
    let mut done: HashSet<&str> = HashSet::new();
    while placed.len() < names.len() {
        let ready = names
            .iter()
            .map(String::as_str)
            .find(|n| !done.contains(n) && refers.get(n).is_none_or(|p| p.iter().all(|p| done.contains(p.as_str()))));
        // In a cycle, its first table by name goes first.
        let Some(next) = ready.or_else(|| names.iter().map(String::as_str).find(|n| !done.contains(n))) else {
            break;
        };
        done.insert(next);
        placed.push(next);
    }
    placed
        .into_iter()
        .map(|name| {
            let columns = conn
                .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?
                .query_map([name], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(Table { name: name.to_owned(), columns })
        })
        .collect()
}

/// The columns PostgreSQL keeps as bytes; refuses a table or column the
/// database does not have.
fn binary_columns(target: &mut Target, tables: &[Table]) -> Result<HashSet<(String, String)>> {
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let rows = target.client.query(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name::text = ANY($1::text[])",
        &[&names],
    );
    let rows = rows.map_err(target.failed("Reading the schema"))?;
    let columns: HashMap<(String, String), String> = rows.iter().map(|r| ((r.get(0), r.get(1)), r.get(2))).collect();
    let mut binary = HashSet::new();
    for table in tables {
        for column in &table.columns {
            let key = (table.name.clone(), column.clone());
            match columns.get(&key).map(String::as_str) {
                Some("bytea") => {
                    binary.insert(key);
                }
                Some(_) => {}
                None => {
                    return Err(Error::new(
                        ErrorCode::Conflict,
                        format!("The database {} has no column {}.{column} for the store's. Nothing was moved.", target.describe, table.name),
                    ))
                }
            }
        }
    }
    Ok(binary)
}

/// Each foreign key on or to the moved tables, as the statement that drops
/// it and the one that adds it back unchanged.
fn foreign_keys(target: &mut Target, names: &[String]) -> Result<Vec<(String, String)>> {
    let rows = target.client.query(
        "WITH moved AS (SELECT oid FROM pg_class
                         WHERE relnamespace = to_regnamespace(current_schema()) AND relname::text = ANY($1::text[]))
         SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
                format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
           FROM pg_constraint
          WHERE contype = 'f' AND (conrelid IN (SELECT oid FROM moved) OR confrelid IN (SELECT oid FROM moved))
          ORDER BY conrelid::regclass::text, conname",
        &[&names],
    );
    Ok(rows.map_err(target.failed("Reading the references"))?.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Streams a table's rows into PostgreSQL with `COPY … FROM STDIN` (text
/// format), naming the store's columns, so a column PostgreSQL generates
/// itself (login_sessions' rowid) takes its own values.
fn copy_table(conn: &Connection, target: &mut Target, table: &Table, binary: &HashSet<(String, String)>) -> Result<()> {
    let columns = table.columns.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ");
    let bytes: Vec<bool> = table.columns.iter().map(|c| binary.contains(&(table.name.clone(), c.clone()))).collect();
    let mut select = conn.prepare(&format!("SELECT {columns} FROM {}", ident(&table.name)))?;
    let mut rows = select.query([])?;
    let doing = format!("Copying {}", table.name);
    let copy = target.client.copy_in(format!("COPY {} ({columns}) FROM STDIN", ident(&table.name)).as_str());
    let describe = target.describe;
    let failed = |why: String| Error::new(ErrorCode::Storage, format!("{doing} into {describe} failed: {why}. Nothing was moved."));
    let mut writer = copy.map_err(|e| failed(e.to_string()))?;
    let mut line = Vec::with_capacity(4096);
    let mut read: u64 = 0;
    while let Some(row) = rows.next()? {
        line.clear();
        for (i, binary) in bytes.iter().enumerate() {
            if i > 0 {
                line.push(b'\t');
            }
            field(&mut line, row.get_ref(i)?, *binary).map_err(|why| {
                Error::new(
                    ErrorCode::Validation,
                    format!("{}.{} of row {} holds {why}. Nothing was moved.", table.name, table.columns[i], read + 1),
                )
            })?;
        }
        line.push(b'\n');
        writer.write_all(&line).map_err(|e| failed(e.to_string()))?;
        read += 1;
    }
    let written = writer.finish().map_err(|e| failed(e.as_db_error().map_or_else(|| e.to_string(), |db| db.message().to_owned())))?;
    if written != read {
        return Err(failed(format!("{read} rows were sent and {written} arrived")));
    }
    Ok(())
}

/// One value in COPY's text format: `\N` for NULL, bytes as `\\x` and hex,
/// text with its backslashes, tabs and line ends escaped.
fn field(out: &mut Vec<u8>, value: ValueRef<'_>, binary: bool) -> std::result::Result<(), &'static str> {
    match value {
        ValueRef::Null => out.extend_from_slice(b"\\N"),
        ValueRef::Integer(_) | ValueRef::Real(_) if binary => return Err("a number where PostgreSQL keeps bytes"),
        ValueRef::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        ValueRef::Real(r) if r.is_nan() => out.extend_from_slice(b"NaN"),
        ValueRef::Real(r) if r.is_infinite() => out.extend_from_slice(if r > 0.0 { &b"Infinity"[..] } else { &b"-Infinity"[..] }),
        // Rust writes the shortest digits that read back as the same f64.
        ValueRef::Real(r) => out.extend_from_slice(r.to_string().as_bytes()),
        ValueRef::Text(b) | ValueRef::Blob(b) if binary => {
            out.extend_from_slice(b"\\\\x");
            for byte in b {
                out.extend_from_slice(format!("{byte:02x}").as_bytes());
            }
        }
        ValueRef::Text(b) | ValueRef::Blob(b) => {
            std::str::from_utf8(b).map_err(|_| "bytes that are not UTF-8 text")?;
            if b.contains(&0) {
                return Err("a NUL character, which PostgreSQL's text cannot hold");
            }
            for &byte in b {
                match byte {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    other => out.push(other),
                }
            }
        }
    }
    Ok(())
}

/// PostgreSQL does not take max(id) + 1 as SQLite does: each identity's
/// sequence is set to go on after the ids the rows came with.
fn move_identities_past_copied_ids(target: &mut Target, names: &[String]) -> Result<()> {
    let rows = target.client.query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
          WHERE table_schema = current_schema() AND is_identity = 'YES' AND table_name::text = ANY($1::text[])",
        &[&names],
    );
    let identities: Vec<(String, String)> = rows.map_err(target.failed("Reading the identities"))?.iter().map(|r| (r.get(0), r.get(1))).collect();
    for (table, column) in identities {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max({}), 0) + 1, false) FROM {}",
            ident(&column),
            ident(&table)
        );
        let moved = target.client.query_one(sql.as_str(), &[&ident(&table), &column]);
        moved.map_err(target.failed("Moving the ids on"))?;
    }
    Ok(())
}

/// The entries of a SQLite team server's secrets file, if the folder has one
/// (a desktop keeps its secrets in its OS keyring instead).
fn read_secrets(path: &Path) -> Result<BTreeMap<String, String>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| Error::new(ErrorCode::Validation, format!("{} is not a Tenant Desk secrets file: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(Error::file_system(format!("cannot read {}: {e}", path.display()))),
    }
}

/// A name as PostgreSQL and SQLite both read it quoted.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A private folder for the copy and the archives compared, removed with
/// everything in it however the move ends.
struct Scratch {
    path: PathBuf,
}

impl Scratch {
    fn new() -> Result<Self> {
        let path = std::env::temp_dir().join(format!("tenant-desk-move-{}-{}", std::process::id(), crate::secrets::random::token(6)?));
        private::private_dir(&path).map_err(|e| Error::file_system(format!("cannot create {}: {e}", path.display())))?;
        Ok(Self { path })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copied(value: ValueRef<'_>, binary: bool) -> String {
        let mut out = Vec::new();
        field(&mut out, value, binary).unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn values_are_written_as_copy_reads_them() {
        assert_eq!(copied(ValueRef::Null, false), "\\N");
        assert_eq!(copied(ValueRef::Integer(-42), false), "-42");
        assert_eq!(copied(ValueRef::Real(0.1), false), "0.1");
        assert_eq!(copied(ValueRef::Text(b"a\\b\tc\nd\re"), false), "a\\\\b\\tc\\nd\\re");
        assert_eq!(copied(ValueRef::Text("\\N".as_bytes()), false), "\\\\N");
        assert_eq!(copied(ValueRef::Blob(&[0x89, 0x50, 0x00]), true), "\\\\x895000");
        assert!(field(&mut Vec::new(), ValueRef::Text(b"a\0b"), false).is_err());
        assert!(field(&mut Vec::new(), ValueRef::Blob(&[0xff]), false).is_err());
    }

    #[test]
    fn an_archive_digest_changes_with_the_tenants_content_only() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::storage)?;
        let db = Db::open(&dir.path().join("store"))?;
        db.write(|tx| {
            tx.execute_batch(
                "INSERT INTO install (id, install_id, created_at) VALUES (1, 'install', 0);
                 INSERT INTO tenants (id, name, timezone, created_at, modified_at) VALUES (1, 'Acme', 'Europe/Berlin', 0, 0);
                 INSERT INTO conversations (id, tenant_id, channel, customer, status, created_at, last_activity_at)
                      VALUES (1, 1, 'web', 'Jane', 'open', 0, 0);
                 INSERT INTO messages (conversation_id, author, text, at) VALUES (1, 'customer', 'Hello', 0);",
            )?;
            Ok(())
        })?;
        let digest = || db.read(|tx| crate::archives::content_digest(tx, 1, dir.path()));
        let first = digest()?;
        assert_eq!(digest()?, first);
        db.write(|tx| Ok(tx.execute("UPDATE messages SET text = 'Hello!'", [])?))?;
        assert_ne!(digest()?, first);
        assert_eq!(std::fs::read_dir(dir.path()).map_err(Error::storage)?.count(), 1, "no archive left behind");
        Ok(())
    }

    #[test]
    fn tables_come_after_those_they_refer_to_and_the_search_index_stays_behind() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::storage)?;
        let db = Db::open(dir.path())?;
        let order = db.read(|tx| {
            let conn = tx.as_sqlite().ok_or_else(|| Error::internal("not SQLite"))?;
            Ok(tables_in_order(conn)?.into_iter().map(|t| t.name).collect::<Vec<_>>())
        })?;
        let at = |name: &str| order.iter().position(|n| n == name).unwrap_or_else(|| panic!("{name} is not copied: {order:?}"));
        assert!(at("accounts") < at("memberships") && at("tenants") < at("memberships"));
        assert!(at("conversations") < at("messages") && at("messages") < at("reply_deliveries"));
        assert!(at("plans") < at("subscriptions"));
        assert!(
            !order.iter().any(|n| n.starts_with("user_search") || n.starts_with("message_search") || n.starts_with("sqlite_") || n == "conversation_counts"),
            "{order:?}"
        );
        Ok(())
    }
}
