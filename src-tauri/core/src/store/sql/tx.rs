//! A transaction on either engine, with rusqlite's calls: `execute`,
//! `query_row`, `prepare_cached(..).query_map(..)`. The SQL is written once,
//! with `?N` placeholders; where the engines' SQL differs, the caller asks
//! `dialect()`.

#[cfg(feature = "postgres")]
use std::cell::{Cell, RefCell};
#[cfg(feature = "postgres")]
use std::collections::HashMap;
use std::marker::PhantomData;

use super::error::{Error, Result};
use super::params::Params;
#[cfg(feature = "postgres")]
use super::pg::{translate, Bound};
use super::row::Row;
use super::value::ToSql;
#[cfg(feature = "postgres")]
use super::value::ValueRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A PostgreSQL connection with the statements it has prepared, by their
/// SQL as the core writes it.
#[cfg(feature = "postgres")]
pub struct PgConn {
    pub(crate) client: postgres::Client,
    pub(crate) prepared: HashMap<String, postgres::Statement>,
}

#[cfg(feature = "postgres")]
impl PgConn {
    pub fn new(client: postgres::Client) -> Self {
        Self { client, prepared: HashMap::new() }
    }
}

pub struct Tx<'c> {
    inner: TxInner<'c>,
}

enum TxInner<'c> {
    Lite(rusqlite::Transaction<'c>),
    /// A connection of its own, whose transactions the caller begins and
    /// commits (long work in short transactions).
    LiteConn(&'c rusqlite::Connection),
    #[cfg(feature = "postgres")]
    Pg(PgTx<'c>),
}

/// Which engine a call goes to.
enum Engine<'t> {
    Lite(&'t rusqlite::Connection),
    #[cfg(feature = "postgres")]
    Pg,
}

/// A PostgreSQL connection in a transaction (`BEGIN` sent) or, for long
/// work, between two; rolled back when dropped unfinished.
#[cfg(feature = "postgres")]
struct PgTx<'c> {
    client: RefCell<&'c mut postgres::Client>,
    prepared: RefCell<&'c mut HashMap<String, postgres::Statement>>,
    open: Cell<bool>,
}

#[cfg(feature = "postgres")]
impl Drop for PgTx<'_> {
    fn drop(&mut self) {
        if self.open.get() {
            let _ = self.client.borrow_mut().batch_execute("ROLLBACK");
        }
    }
}

/// The advisory lock every PostgreSQL write transaction takes ("TDSK"): one
/// writer at a time across server processes, as on SQLite.
#[cfg(feature = "postgres")]
const WRITE_LOCK: i64 = 0x5444_534B;

/// How a transaction begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Begin {
    /// Sees what was committed when it began; writes nothing.
    Read,
    /// The one writer: no other writer interleaves.
    Write,
}

/// Binds parameters for rusqlite without copying them.
struct Lite<'a>(&'a dyn ToSql);

impl rusqlite::ToSql for Lite<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput as O, ValueRef as R};
        use super::value::ValueRef;
        let out = self.0.to_sql().map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(match out {
            super::value::ToSqlOutput::Borrowed(v) => O::Borrowed(match v {
                ValueRef::Null => R::Null,
                ValueRef::Integer(i) => R::Integer(i),
                ValueRef::Real(r) => R::Real(r),
                ValueRef::Text(t) => R::Text(t.as_bytes()),
                ValueRef::Blob(b) => R::Blob(b),
            }),
            super::value::ToSqlOutput::Owned(v) => O::Owned(match v {
                super::value::Value::Null => rusqlite::types::Value::Null,
                super::value::Value::Integer(i) => rusqlite::types::Value::Integer(i),
                super::value::Value::Real(r) => rusqlite::types::Value::Real(r),
                super::value::Value::Text(t) => rusqlite::types::Value::Text(t),
                super::value::Value::Blob(b) => rusqlite::types::Value::Blob(b),
            }),
        })
    }
}

fn lite_params<'a>(values: &'a [&'a dyn ToSql]) -> Vec<Lite<'a>> {
    values.iter().map(|v| Lite(*v)).collect()
}

fn lite_refs<'a>(values: &'a [Lite<'a>]) -> Vec<&'a dyn rusqlite::ToSql> {
    values.iter().map(|v| v as &dyn rusqlite::ToSql).collect()
}

/// A statement PostgreSQL would not prepare is a bug of this build: the log
/// gets the statement (never its values, which travel apart).
#[cfg(feature = "postgres")]
fn refused(e: &postgres::Error, sql: &str) {
    tracing::error!(error = %e.as_db_error().map_or_else(|| e.to_string(), |d| d.message().to_owned()), sql, "PostgreSQL refused a statement");
}

/// The type a value is declared as when a statement is prepared: what it
/// holds (a NULL leaves it to PostgreSQL), as SQLite would take it.
#[cfg(feature = "postgres")]
fn declared(value: ValueRef<'_>) -> postgres::types::Type {
    use postgres::types::{Kind, Type};
    match value {
        ValueRef::Integer(_) => Type::INT8,
        ValueRef::Real(_) => Type::FLOAT8,
        ValueRef::Text(_) => Type::TEXT,
        ValueRef::Blob(_) => Type::BYTEA,
        ValueRef::Null => Type::new("unspecified".into(), 0, Kind::Simple, "pg_catalog".into()),
    }
}

#[cfg(feature = "postgres")]
impl<'c> Tx<'c> {
    /// Runs `f` with the statement prepared for these values' types (cached
    /// per connection) and the values as PostgreSQL binds them.
    fn with_pg<R>(
        &self,
        sql: &str,
        values: &[&dyn ToSql],
        f: impl FnOnce(&mut postgres::Client, &postgres::Statement, &[&(dyn postgres::types::ToSql + Sync)]) -> Result<R>,
    ) -> Result<R> {
        let Some(pg) = self.pg() else {
            return Err(Error::Conversion("not a PostgreSQL transaction".into()));
        };
        let outputs = values.iter().map(|v| v.to_sql()).collect::<Result<Vec<_>>>()?;
        let types: Vec<postgres::types::Type> = outputs.iter().map(|o| declared(o.value_ref())).collect();
        let mut key = String::with_capacity(sql.len() + types.len() * 3);
        key.push_str(sql);
        for t in &types {
            key.push('|');
            key.push_str(&t.oid().to_string());
        }
        let cached = pg.prepared.borrow().get(&key).cloned();
        let stmt = match cached {
            Some(stmt) => stmt,
            None => {
                let stmt = pg.client.borrow_mut().prepare_typed(&translate(sql), &types).inspect_err(|e| refused(e, sql))?;
                pg.prepared.borrow_mut().insert(key, stmt.clone());
                stmt
            }
        };
        let bound: Vec<Bound<'_>> = outputs.iter().map(|o| Bound(o.value_ref())).collect();
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            bound.iter().map(|b| b as &(dyn postgres::types::ToSql + Sync)).collect();
        let mut client = pg.client.borrow_mut();
        f(&mut client, &stmt, &refs)
    }
}

/// rusqlite's row callbacks return its own error; ours travels inside it.
fn into_lite(e: Error) -> rusqlite::Error {
    match e {
        Error::Sqlite(e) => e,
        other => rusqlite::Error::UserFunctionError(Box::new(other)),
    }
}

fn from_lite(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::UserFunctionError(inner) => match inner.downcast::<Error>() {
            Ok(ours) => *ours,
            Err(other) => Error::Sqlite(rusqlite::Error::UserFunctionError(other)),
        },
        other => Error::from(other),
    }
}

impl<'c> Tx<'c> {
    pub(crate) fn sqlite(tx: rusqlite::Transaction<'c>) -> Self {
        Self { inner: TxInner::Lite(tx) }
    }

    pub(crate) fn sqlite_connection(conn: &'c rusqlite::Connection) -> Self {
        Self { inner: TxInner::LiteConn(conn) }
    }

    /// A PostgreSQL connection, between transactions until `begin`.
    #[cfg(feature = "postgres")]
    pub(crate) fn postgres(client: &'c mut postgres::Client, prepared: &'c mut HashMap<String, postgres::Statement>) -> Self {
        Self {
            inner: TxInner::Pg(PgTx { client: RefCell::new(client), prepared: RefCell::new(prepared), open: Cell::new(false) }),
        }
    }

    fn engine(&self) -> Engine<'_> {
        match &self.inner {
            TxInner::Lite(tx) => Engine::Lite(tx),
            TxInner::LiteConn(conn) => Engine::Lite(conn),
            #[cfg(feature = "postgres")]
            TxInner::Pg(_) => Engine::Pg,
        }
    }

    #[cfg(feature = "postgres")]
    fn pg(&self) -> Option<&PgTx<'c>> {
        match &self.inner {
            TxInner::Pg(pg) => Some(pg),
            _ => None,
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self.engine() {
            Engine::Lite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            Engine::Pg => Dialect::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (its pragmas).
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match self.engine() {
            Engine::Lite(conn) => Some(conn),
            #[cfg(feature = "postgres")]
            Engine::Pg => None,
        }
    }

    /// Begins a transaction on a connection of its own (or a PostgreSQL
    /// one given by the store).
    pub fn begin(&self, how: Begin) -> Result<()> {
        match &self.inner {
            TxInner::Lite(_) => Err(Error::Conversion("already in a transaction".into())),
            TxInner::LiteConn(conn) => Ok(conn.execute_batch(match how {
                Begin::Read => "BEGIN DEFERRED",
                Begin::Write => "BEGIN IMMEDIATE",
            })?),
            #[cfg(feature = "postgres")]
            TxInner::Pg(pg) => {
                let mut client = pg.client.borrow_mut();
                match how {
                    Begin::Read => client.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?,
                    Begin::Write => {
                        client.batch_execute("BEGIN")?;
                        pg.open.set(true);
                        client.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
                    }
                }
                pg.open.set(true);
                Ok(())
            }
        }
    }

    /// Commits the transaction `begin` began; the connection stays.
    pub fn commit_now(&self) -> Result<()> {
        match &self.inner {
            TxInner::Lite(_) => Err(Error::Conversion("commit the transaction itself".into())),
            TxInner::LiteConn(conn) => Ok(conn.execute_batch("COMMIT")?),
            #[cfg(feature = "postgres")]
            TxInner::Pg(pg) => {
                pg.client.borrow_mut().batch_execute("COMMIT")?;
                pg.open.set(false);
                Ok(())
            }
        }
    }

    /// Rolls back the transaction `begin` began, if one is open.
    pub fn rollback_now(&self) {
        match &self.inner {
            TxInner::Lite(_) => {}
            TxInner::LiteConn(conn) => {
                if !conn.is_autocommit() {
                    let _ = conn.execute_batch("ROLLBACK");
                }
            }
            #[cfg(feature = "postgres")]
            TxInner::Pg(pg) => {
                if pg.open.get() {
                    let _ = pg.client.borrow_mut().batch_execute("ROLLBACK");
                    pg.open.set(false);
                }
            }
        }
    }

    pub fn commit(self) -> Result<()> {
        match self.inner {
            TxInner::Lite(tx) => Ok(tx.commit()?),
            TxInner::LiteConn(conn) => Ok(conn.execute_batch("COMMIT")?),
            #[cfg(feature = "postgres")]
            TxInner::Pg(pg) => {
                pg.client.borrow_mut().batch_execute("COMMIT")?;
                pg.open.set(false);
                Ok(())
            }
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        match self.engine() {
            Engine::Lite(tx) => params.with_values(|values| {
                let bound = lite_params(values);
                Ok(tx.prepare_cached(sql)?.execute(lite_refs(&bound).as_slice())?)
            }),
            #[cfg(feature = "postgres")]
            Engine::Pg => params
                .with_values(|values| self.with_pg(sql, values, |client, stmt, refs| Ok(client.execute(stmt, refs)? as usize))),
        }
    }

    /// Runs statements with no parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.inner {
            TxInner::Lite(tx) => Ok(tx.execute_batch(sql)?),
            TxInner::LiteConn(conn) => Ok(conn.execute_batch(sql)?),
            #[cfg(feature = "postgres")]
            TxInner::Pg(pg) => Ok(pg.client.borrow_mut().batch_execute(sql)?),
        }
    }

    /// The first row's value; `Error::NoRows` when there is none.
    pub fn query_row<T, P: Params, F: FnOnce(&Row<'_>) -> Result<T>>(&self, sql: &str, params: P, f: F) -> Result<T> {
        match self.engine() {
            Engine::Lite(tx) => params.with_values(|values| {
                let bound = lite_params(values);
                let mut stmt = tx.prepare_cached(sql)?;
                let mut rows = stmt.query(lite_refs(&bound).as_slice())?;
                match rows.next()? {
                    Some(row) => f(&Row::lite(row)),
                    None => Err(Error::NoRows),
                }
            }),
            #[cfg(feature = "postgres")]
            Engine::Pg => {
                let rows =
                    params.with_values(|values| self.with_pg(sql, values, |client, stmt, refs| Ok(client.query(stmt, refs)?)))?;
                match rows.first() {
                    Some(row) => f(&Row::pg(row)),
                    None => Err(Error::NoRows),
                }
            }
        }
    }

    /// The id the last INSERT gave its row.
    pub fn last_insert_rowid(&self) -> Result<i64> {
        match self.engine() {
            Engine::Lite(tx) => Ok(tx.last_insert_rowid()),
            #[cfg(feature = "postgres")]
            Engine::Pg => self.query_row("SELECT lastval()", [], |r| r.get(0)),
        }
    }

    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_, 'c>> {
        match self.engine() {
            Engine::Lite(tx) => Ok(Statement { inner: StatementInner::Lite(tx.prepare_cached(sql)?, PhantomData) }),
            #[cfg(feature = "postgres")]
            Engine::Pg => Ok(Statement { inner: StatementInner::Pg { tx: self, sql: sql.to_owned() } }),
        }
    }

    pub fn prepare(&self, sql: &str) -> Result<Statement<'_, 'c>> {
        self.prepare_cached(sql)
    }
}

/// A prepared statement, run many times.
pub struct Statement<'t, 'c> {
    inner: StatementInner<'t, 'c>,
}

enum StatementInner<'t, 'c> {
    /// Borrowed from its transaction on either engine.
    Lite(rusqlite::CachedStatement<'t>, PhantomData<&'t Tx<'c>>),
    #[cfg(feature = "postgres")]
    Pg { tx: &'t Tx<'c>, sql: String },
}

/// The rows of a query, each read by the caller's function. On SQLite they
/// are read as they are iterated; on PostgreSQL they have all arrived.
pub type MappedRows<'s, T> = Box<dyn Iterator<Item = Result<T>> + 's>;

impl<'t, 'c> Statement<'t, 'c> {
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        match &mut self.inner {
            StatementInner::Lite(stmt, _) => params.with_values(|values| {
                let bound = lite_params(values);
                Ok(stmt.execute(lite_refs(&bound).as_slice())?)
            }),
            #[cfg(feature = "postgres")]
            StatementInner::Pg { tx, sql } => {
                params.with_values(|values| tx.with_pg(sql, values, |client, stmt, refs| Ok(client.execute(stmt, refs)? as usize)))
            }
        }
    }

    pub fn query_map<'s, T: 's, P: Params, F>(&'s mut self, params: P, mut f: F) -> Result<MappedRows<'s, T>>
    where
        F: FnMut(&Row<'_>) -> Result<T> + 's,
    {
        match &mut self.inner {
            StatementInner::Lite(stmt, _) => params.with_values(|values| {
                let bound = lite_params(values);
                let rows = stmt.query(lite_refs(&bound).as_slice())?;
                let mapped = rows.mapped(move |row| f(&Row::lite(row)).map_err(into_lite));
                Ok(Box::new(mapped.map(|r| r.map_err(from_lite))) as MappedRows<'s, T>)
            }),
            #[cfg(feature = "postgres")]
            StatementInner::Pg { tx, sql } => {
                let rows = params.with_values(|values| tx.with_pg(sql, values, |client, stmt, refs| Ok(client.query(stmt, refs)?)))?;
                let mapped: Vec<Result<T>> = rows.iter().map(|row| f(&Row::pg(row))).collect();
                Ok(Box::new(mapped.into_iter()))
            }
        }
    }

    pub fn query_row<T, P: Params, F: FnOnce(&Row<'_>) -> Result<T>>(&mut self, params: P, f: F) -> Result<T> {
        let mut f = Some(f);
        let first = self.query_map(params, |row| match f.take() {
            Some(f) => f(row).map(Some),
            None => Ok(None),
        })?
        .next();
        match first {
            Some(Ok(Some(v))) => Ok(v),
            Some(Err(e)) => Err(e),
            _ => Err(Error::NoRows),
        }
    }

    pub fn column_count(&self) -> usize {
        match &self.inner {
            StatementInner::Lite(stmt, _) => stmt.column_count(),
            #[cfg(feature = "postgres")]
            StatementInner::Pg { tx, sql } => {
                let Some(pg) = tx.pg() else { return 0 };
                let prepared = pg.client.borrow_mut().prepare(&translate(sql));
                prepared.map(|s| s.columns().len()).unwrap_or_default()
            }
        }
    }

    /// Whether the query gives at least one row.
    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        Ok(self.query_map(params, |_| Ok(()))?.next().transpose()?.is_some())
    }
}
