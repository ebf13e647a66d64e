//! The PostgreSQL store: a pool of connections, each write under one lock
//! every server process takes, so the rules hold exactly as on SQLite.

use std::time::Duration;

use super::sql::{Begin, PgConn, Tx};
use crate::error::{Error, ErrorCode, Result};
use crate::secrets::{SecretAvailability, SecretError, SecretStore};

/// The key of the lock migrations hold, so two servers starting together
/// migrate one after the other.
const MIGRATION_LOCK: i64 = 0x5444_534D;

/// How a server reaches its PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgSettings {
    /// `postgres://user:password@host:port/database`.
    pub url: String,
    /// Connections kept open at most.
    pub pool_size: u32,
    /// How long opening a connection may take.
    pub connect_timeout: Duration,
    /// How long an operation waits for a free connection.
    pub acquire_timeout: Duration,
    /// The longest one statement may run.
    pub statement_timeout: Duration,
}

impl PgSettings {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            pool_size: 16,
            connect_timeout: Duration::from_secs(5),
            acquire_timeout: Duration::from_secs(10),
            statement_timeout: Duration::from_secs(60),
        }
    }
}

pub struct PgStore {
    pool: r2d2::Pool<Manager>,
    config: postgres::Config,
    describe: String,
}

pub struct Manager {
    config: postgres::Config,
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<PgConn, postgres::Error> {
        Ok(PgConn::new(self.config.connect(postgres::NoTls)?))
    }

    fn is_valid(&self, conn: &mut PgConn) -> std::result::Result<(), postgres::Error> {
        conn.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        conn.client.is_closed()
    }
}

/// Where a database is, without its password: `postgres://desk@db:5432/team`.
fn describe(config: &postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_default();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgres://{}@{host}:{port}/{}",
        config.get_user().unwrap_or_default(),
        config.get_dbname().unwrap_or_default()
    )
}

/// The message when the database does not answer.
fn unreachable(describe: &str, why: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::StoreUnreachable, format!("The team's database {describe} cannot be reached: {why}."))
}

impl PgStore {
    /// Connects, checks the schema version and migrates.
    pub fn open(settings: &PgSettings) -> Result<Self> {
        let mut config: postgres::Config = settings
            .url
            .parse()
            .map_err(|e| Error::new(ErrorCode::Validation, format!("The database address is not a postgres:// URL: {e}")))?;
        config.connect_timeout(settings.connect_timeout);
        config.application_name("tenant-desk-server");
        config.options(&format!("-c statement_timeout={} -c TimeZone=UTC", settings.statement_timeout.as_millis()));
        let describe = describe(&config);
        let pool = r2d2::Pool::builder()
            .max_size(settings.pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(settings.acquire_timeout)
            .test_on_check_out(false)
            .build(Manager { config: config.clone() })
            .map_err(|e| unreachable(&describe, e))?;
        let store = Self { pool, config, describe };
        store.migrate()?;
        Ok(store)
    }

    pub fn describe(&self) -> String {
        self.describe.clone()
    }

    fn connection(&self) -> Result<r2d2::PooledConnection<Manager>> {
        self.pool.get().map_err(|e| unreachable(&self.describe, e))
    }

    /// Connections open and idle, for the health endpoint.
    pub fn pool_state(&self) -> (u32, u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections, self.pool.max_size())
    }

    /// Whether the database answers now.
    pub fn ping(&self) -> Result<()> {
        let mut conn = self.connection()?;
        conn.client.simple_query("SELECT 1").map(|_| ()).map_err(|e| unreachable(&self.describe, e))
    }

    pub fn read<T>(&self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let mut conn = self.connection()?;
        let PgConn { client, prepared } = &mut *conn;
        let tx = Tx::postgres(client, prepared);
        tx.begin(Begin::Read)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    pub fn write<T>(&self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let mut conn = self.connection()?;
        let PgConn { client, prepared } = &mut *conn;
        let tx = Tx::postgres(client, prepared);
        tx.begin(Begin::Write)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// A pooled connection for long work in short transactions.
    pub(crate) fn side(&self) -> Result<r2d2::PooledConnection<Manager>> {
        self.connection()
    }

    /// A connection of its own, outside the pool (LISTEN holds one).
    pub fn listener(&self) -> Result<postgres::Client> {
        self.config.connect(postgres::NoTls).map_err(|e| unreachable(&self.describe, e))
    }

    /// Opens such connections again later, from another thread.
    pub fn listener_factory(&self) -> std::sync::Arc<dyn Fn() -> Result<postgres::Client> + Send + Sync> {
        let (config, describe) = (self.config.clone(), self.describe.clone());
        std::sync::Arc::new(move || config.connect(postgres::NoTls).map_err(|e| unreachable(&describe, e)))
    }

    /// Applies the migrations this build has and the database lacks, in one
    /// transaction; refuses a database a newer version made.
    fn migrate(&self) -> Result<()> {
        let mut conn = self.connection()?;
        let mut tx = conn.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        let known: bool = tx.query_one("SELECT to_regclass('desk_schema_version') IS NOT NULL", &[])?.get(0);
        if !known {
            tx.batch_execute("CREATE TABLE desk_schema_version (version BIGINT NOT NULL)")?;
        }
        let version: i64 = match tx.query_opt("SELECT version FROM desk_schema_version", &[])? {
            Some(row) => row.get(0),
            None => {
                tx.execute("INSERT INTO desk_schema_version (version) VALUES (0)", &[])?;
                0
            }
        };
        let latest = latest();
        if version > latest {
            return Err(Error::new(
                ErrorCode::StoreDamaged,
                format!(
                    "The team's database {} was made by a newer version of Tenant Desk (schema {version}; this server knows {latest}). It has not been changed.",
                    self.describe
                ),
            ));
        }
        for (brings_to, sql) in MIGRATIONS.iter().filter(|(brings_to, _)| *brings_to > version) {
            tx.batch_execute(sql).map_err(|e| Error::storage(format!("PostgreSQL migration to {brings_to} failed: {e}")))?;
        }
        tx.execute("UPDATE desk_schema_version SET version = $1", &[&latest])?;
        tx.commit()?;
        Ok(())
    }
}

/// Each migration with the schema version it brings a database to: the
/// same numbers as SQLite's (`PRAGMA user_version`), so a version means one
/// schema on either store. A PostgreSQL store starts at SQLite's 14.
const MIGRATIONS: &[(i64, &str)] = &[
    (14, include_str!("../../migrations/postgres/0014_schema.sql")),
    (15, include_str!("../../migrations/postgres/0015_sessions_at_scale.sql")),
    (16, include_str!("../../migrations/postgres/0016_word_index_by_hand.sql")),
    (17, include_str!("../../migrations/postgres/0017_word_index_by_conversation.sql")),
    (18, include_str!("../../migrations/postgres/0018_snapshot_word_indexes.sql")),
];

/// The schema version of this build on PostgreSQL.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |(version, _)| *version)
}

/// A team server's secrets (tenant API keys, MFA secrets) in its PostgreSQL
/// database, so every server process of the team reads the same ones. They
/// are as readable as the database: its access and its dumps are guarded like
/// a single server's owner-only secrets file.
pub struct PgSecrets {
    pool: r2d2::Pool<Manager>,
}

impl PgStore {
    pub fn secrets(&self) -> PgSecrets {
        PgSecrets { pool: self.pool.clone() }
    }
}

impl PgSecrets {
    fn run<T>(&self, f: impl FnOnce(&mut postgres::Client) -> std::result::Result<T, postgres::Error>) -> std::result::Result<T, SecretError> {
        let mut conn = self.pool.get().map_err(|e| SecretError(format!("the team's database cannot be reached: {e}")))?;
        f(&mut conn.client).map_err(|e| SecretError(format!("the team's database refused: {e}")))
    }
}

impl SecretStore for PgSecrets {
    fn availability(&self) -> SecretAvailability {
        SecretAvailability::Available
    }

    fn put(&self, key: &str, secret: &str) -> std::result::Result<(), SecretError> {
        self.run(|c| {
            c.execute(
                "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                &[&key, &secret],
            )
            .map(drop)
        })
    }

    fn get(&self, key: &str) -> std::result::Result<Option<String>, SecretError> {
        self.run(|c| Ok(c.query_opt("SELECT value FROM server_secrets WHERE name = $1", &[&key])?.map(|r| r.get(0))))
    }

    fn delete(&self, key: &str) -> std::result::Result<(), SecretError> {
        self.run(|c| c.execute("DELETE FROM server_secrets WHERE name = $1", &[&key]).map(drop))
    }
}
