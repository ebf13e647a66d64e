//! The handle the app holds: the store, the clock, the secret store and the
//! desktop's notification service.
//! Operations are `impl Desk` blocks in the module that owns them
//! (`auth::sign_in`, `profile`, `setup`, …).

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use crate::store::sql::OptionalExtension;

use crate::clock::{to_millis, Clock};
use crate::error::Result;
use crate::notifications::DesktopNotifier;
use crate::secrets::{random, SecretStore};
use crate::error::Error;
use crate::store::Db;

pub struct DeskConfig {
    /// Folder of the database (and later exports, backups).
    pub data_dir: PathBuf,
    pub clock: Arc<dyn Clock>,
    pub secrets: Arc<dyn SecretStore>,
    pub notifier: Arc<dyn DesktopNotifier>,
}

pub struct Desk {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) secrets: Arc<dyn SecretStore>,
    pub(crate) notifier: Arc<dyn DesktopNotifier>,
    /// Names this install's keyring entries, so two data folders on one
    /// machine never share a remembered sign-in. Read again after a restore
    /// (the backup may come from another install).
    install_id: RwLock<String>,
    pub(crate) conversation_listeners: crate::conversations::Listeners,
    pub(crate) sign_in_listeners: crate::auth::SignInListeners,
    /// When this Desk opened: a login session started since then is a person
    /// signed in on this machine now (older ones belong to earlier runs).
    pub(crate) opened_at: i64,
    pub(crate) bursts: crate::conversations::Bursts,
    /// The data folder (the database, chart data exports).
    pub(crate) data_dir: PathBuf,
    pub(crate) archive_jobs: crate::archives::ArchiveJobs,
}

impl Desk {
    /// For a team server: a login session lives in its desktop, not in the
    /// server process, so one started before the server's last restart still
    /// counts as signed in (for notices and the list of places).
    pub fn with_sign_ins_from_earlier_runs(mut self) -> Self {
        self.opened_at = 0;
        self
    }

    /// Opens the SQLite store in the data folder.
    pub fn open(config: DeskConfig) -> Result<Self> {
        let db = Db::open(&config.data_dir)?;
        Self::open_on(config, db)
    }

    /// Opens the SQLite store in the data folder for the window: its start-up
    /// check runs beside it (`Db::open_checking_beside`).
    pub fn open_checking_beside(config: DeskConfig) -> Result<Self> {
        let db = Db::open_checking_beside(&config.data_dir)?;
        Self::open_on(config, db)
    }

    /// Opens on a store already opened (a team server's PostgreSQL); the
    /// data folder still holds the log and chart exports.
    pub fn open_on(config: DeskConfig, db: Db) -> Result<Self> {
        crate::store::private::private_dir(&config.data_dir)
            .map_err(|e| Error::file_system(format!("cannot create {}: {e}", config.data_dir.display())))?;
        let now = to_millis(config.clock.now());
        // Read first: a write would wait for a start-up check running beside.
        let install_id = match db.read(existing_install_id)? {
            Some(id) => id,
            None => db.write(|tx| install_id(tx, now))?,
        };
        let schema_version = db.read(crate::store::schema_version)?;
        tracing::info!(database = %db.describe(), schema_version, "store opened");
        Ok(Self {
            db,
            clock: config.clock,
            secrets: config.secrets,
            notifier: config.notifier,
            install_id: RwLock::new(install_id),
            conversation_listeners: Default::default(),
            sign_in_listeners: Default::default(),
            opened_at: now,
            bursts: Default::default(),
            data_dir: config.data_dir,
            archive_jobs: Default::default(),
        })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub(crate) fn now_millis(&self) -> i64 {
        to_millis(self.clock.now())
    }

    pub(crate) fn install_id(&self) -> String {
        self.install_id.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// After a restore: the install the restored store belongs to.
    pub(crate) fn reload_install_id(&self) -> Result<()> {
        let now = self.now_millis();
        let id = self.db.write(|tx| install_id(tx, now))?;
        *self.install_id.write().unwrap_or_else(|p| p.into_inner()) = id;
        Ok(())
    }
}

fn existing_install_id(tx: &crate::store::sql::Tx) -> Result<Option<String>> {
    Ok(tx.query_row("SELECT install_id FROM install WHERE id = 1", [], |r| r.get(0)).optional()?)
}

/// The install's ID, made on first open.
fn install_id(tx: &crate::store::sql::Tx, now: i64) -> Result<String> {
    match existing_install_id(tx)? {
        Some(id) => Ok(id),
        None => {
            let id = random::token(16)?;
            tx.execute("INSERT INTO install (id, install_id, created_at) VALUES (1, ?1, ?2)", crate::params![id, now])?;
            Ok(id)
        }
    }
}
