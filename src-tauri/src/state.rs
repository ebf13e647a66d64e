//! What the window holds: this computer's core, the token of the signed-in
//! session (in memory only), and the team server when the desktop works
//! with one.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tenant_desk_core::auth::SessionToken;
use tenant_desk_core::authz::Actor;
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::notifications::DesktopNotifier;
use tenant_desk_core::secrets::{AskedEarly, KeyringStore, SecretStore, TimeBound, KEYRING_SERVICE};
use tenant_desk_core::local_api::LocalApiSettings;
use tenant_desk_core::{Desk, DeskConfig, Error, ErrorCode, Result};

use crate::connection::{ServerAddress, TeamServer};

/// How long a keyring call may take before the app gives up on it.
const KEYRING_DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);

pub struct AppState {
    desk: Arc<Desk>,
    session: Arc<Mutex<Option<SessionToken>>>,
    /// Bumped when the window's sign-in or organization changes, so the tray
    /// follows who is signed in.
    session_changes: Arc<tokio::sync::watch::Sender<u64>>,
    /// The local tenant API, while it is on.
    api: tokio::sync::Mutex<Option<tenant_desk_api::RunningApi>>,
    data_dir: PathBuf,
    /// Where the window's data lives when it is not this computer's store.
    team_server: Mutex<Option<Arc<TeamServer>>>,
    /// This desktop's keyring: a team server's sign-in, when kept.
    keyring: Arc<dyn SecretStore>,
    /// "Keep running when closed" of the person signed in on the team server,
    /// read at sign-in: closing the window must not wait on the network.
    keeps_running_on_server: std::sync::atomic::AtomicBool,
}

impl AppState {
    pub fn open(data_dir: PathBuf, notifier: impl DesktopNotifier + 'static) -> Result<Self> {
        // A Secret Service that never answers must not freeze the window.
        let keyring = Arc::new(AskedEarly::new(TimeBound::new(KeyringStore::new(KEYRING_SERVICE), KEYRING_DEADLINE)));
        // The window shows its first screen while the store's pages are checked.
        let desk = Desk::open_checking_beside(DeskConfig {
            data_dir: data_dir.clone(),
            clock: Arc::new(SystemClock),
            secrets: keyring.clone(),
            notifier: Arc::new(notifier),
        })?;
        // What the first screen will ask, while WebKit starts.
        keyring.ask(desk.remembered_sign_in_key());
        let team_server = ServerAddress::load(&data_dir).map(TeamServer::new);
        let (session_changes, _) = tokio::sync::watch::channel(0);
        Ok(Self {
            desk: Arc::new(desk),
            session: Arc::default(),
            session_changes: Arc::new(session_changes),
            api: Default::default(),
            data_dir,
            team_server: Mutex::new(team_server),
            keyring,
            keeps_running_on_server: Default::default(),
        })
    }

    /// The team server the window works with, if it is not this computer.
    pub fn team_server(&self) -> Option<Arc<TeamServer>> {
        self.team_server.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// From now on the window works with `address` (`None`: this computer).
    /// The previous server's stream ends; this computer's store is kept as it is.
    pub fn work_with(&self, address: Option<ServerAddress>) -> Result<Option<Arc<TeamServer>>> {
        match &address {
            Some(address) => address.save(&self.data_dir)?,
            None => ServerAddress::forget(&self.data_dir)?,
        }
        let next = address.map(TeamServer::new);
        let previous = std::mem::replace(&mut *self.team_server.lock().unwrap_or_else(|p| p.into_inner()), next.clone());
        if let Some(previous) = previous {
            previous.close();
        }
        self.session().set(None);
        Ok(next)
    }

    /// This computer's own parts (its backups, local API, snapshots, desktop
    /// settings) belong to its own workspace: while the window works with a
    /// team server, nobody is signed in to that one.
    fn here_only(&self) -> Result<()> {
        match self.team_server() {
            None => Ok(()),
            Some(server) => Err(Error::new(
                ErrorCode::NotAllowed,
                format!("This belongs to this computer's own workspace; the window works with the team server {}.", server.base()),
            )),
        }
    }

    /// Whether closing the window keeps the app in the tray, for the person
    /// signed in in it: asked of this computer's store, or as last read from
    /// the team server (blocking, briefly, on this computer's store).
    pub fn keeps_running_when_closed(&self) -> bool {
        use std::sync::atomic::Ordering;
        match self.team_server() {
            Some(_) => self.keeps_running_on_server.load(Ordering::SeqCst),
            None => self.signed_in_actor().is_some_and(|actor| self.desk.preferences(&actor).is_ok_and(|p| p.keep_running_when_closed)),
        }
    }

    pub fn note_keeps_running_on_server(&self, keep: bool) {
        self.keeps_running_on_server.store(keep, std::sync::atomic::Ordering::SeqCst);
    }

    /// Someone is signed in in the window, here or on the team server.
    pub async fn require_sign_in(&self) -> Result<()> {
        match self.team_server() {
            Some(server) => server.token().map(drop).ok_or_else(Error::not_signed_in),
            None => self.as_actor(|_, _| Ok(())).await,
        }
    }

    pub fn keyring(&self) -> &Arc<dyn SecretStore> {
        &self.keyring
    }

    /// The same sign-in now works elsewhere (another organization).
    pub fn session_changed(&self) {
        self.session().changed();
    }

    pub fn desk(&self) -> &Arc<Desk> {
        &self.desk
    }

    /// Told whenever the window's sign-in or organization changes.
    pub fn watch_session(&self) -> tokio::sync::watch::Receiver<u64> {
        self.session_changes.subscribe()
    }

    /// The person signed in in the window, if anyone is (blocking: SQLite).
    pub fn signed_in_actor(&self) -> Option<Actor> {
        let token = self.session().current()?;
        self.desk.actor(&token).ok()
    }

    fn session(&self) -> Session {
        Session { slot: self.session.clone(), changes: self.session_changes.clone() }
    }

    /// Serves the local tenant API as `settings` say: stops the running
    /// server, then starts one on the port when it is on.
    pub async fn apply_local_api(&self, settings: LocalApiSettings) -> Result<()> {
        let mut api = self.api.lock().await;
        if let Some(running) = api.take() {
            running.stop().await;
        }
        if !settings.enabled {
            return Ok(());
        }
        let running = tenant_desk_api::start(self.desk.clone(), settings.port).await.map_err(|e| {
            tracing::warn!(port = settings.port, error = %e, "local API cannot listen, left off");
            let mut error = Error::new(
                ErrorCode::Desktop,
                format!("The local API cannot listen on port {}: it is in use or not allowed.", settings.port),
            );
            error.fields.insert("port".into(), "This port is in use or not allowed; choose another.".into());
            error
        })?;
        *api = Some(running);
        Ok(())
    }

    /// Runs blocking core work (SQLite, Argon2, keyring over D-Bus) on a
    /// worker thread so the window never waits on it.
    pub async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Desk, &Session) -> Result<T> + Send + 'static,
    {
        let desk = self.desk.clone();
        let session = self.session();
        tauri::async_runtime::spawn_blocking(move || work(&desk, &session))
            .await
            .map_err(|e| Error::internal(format!("worker failed: {e}")))?
    }

    /// Like [`run`](Self::run), for operations on the window's own sign-in
    /// on this computer's store.
    pub async fn as_session<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Desk, &SessionToken) -> Result<T> + Send + 'static,
    {
        self.here_only()?;
        self.run(move |desk, session| work(desk, &session.current().ok_or_else(Error::not_signed_in)?)).await
    }

    /// Like [`run`](Self::run), for operations of a signed-in person on this
    /// computer's store.
    pub async fn as_actor<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Desk, &Actor) -> Result<T> + Send + 'static,
    {
        self.here_only()?;
        self.run(move |desk, session| {
            let token = session.current().ok_or_else(Error::not_signed_in)?;
            work(desk, &desk.actor(&token)?)
        })
        .await
    }
}

/// The window's session slot.
pub struct Session {
    slot: Arc<Mutex<Option<SessionToken>>>,
    changes: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Session {
    pub fn current(&self) -> Option<SessionToken> {
        self.lock().clone()
    }

    pub fn set(&self, token: Option<SessionToken>) {
        *self.lock() = token;
        self.changed();
    }

    /// The same sign-in now works elsewhere (another organization).
    pub fn changed(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<SessionToken>> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }
}
