//! The data folder the command line works on: the app's own (the same
//! variable and default), opened on the same core. Changing commands hold the
//! folder's lock as the app does; reading ones open it beside a running app.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tenant_desk_core::authz::LocalAdministrator;
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::notifications::{Availability, DesktopNotifier, Notice};
use tenant_desk_core::secrets::{FileStore, KeyringStore, SecretStore, TimeBound, KEYRING_SERVICE};
use tenant_desk_core::store::folder_lock::FolderLock;
use tenant_desk_core::store::DATABASE_FILE;
use tenant_desk_core::{Desk, DeskConfig, Error, ErrorCode, Result};

/// Tauri's app_data_dir on Linux: the platform's data folder and the app's identifier.
const APP_IDENTIFIER: &str = "app.tenantdesk.desktop";
/// A team server keeps its secrets in this file of its data folder, not a keyring.
const SERVER_SECRETS: &str = "secrets.json";
/// How long a keyring call may take (a Secret Service that never answers).
const KEYRING_DEADLINE: Duration = Duration::from_secs(5);

pub fn resolve(given: Option<PathBuf>) -> Result<PathBuf> {
    match given.filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => Ok(dir),
        None => dirs::data_dir()
            .map(|d| d.join(APP_IDENTIFIER))
            .ok_or_else(|| Error::new(ErrorCode::Validation, "No data folder: set TENANT_DESK_DATA_DIR or --data-dir.")),
    }
}

/// The store of a data folder, opened by its local administrator.
pub struct Opened {
    pub desk: Desk,
    pub local: LocalAdministrator,
    /// Held while a changing command runs.
    _lock: Option<FolderLock>,
}

/// For commands that change the store: refused while another process has the folder.
pub fn open_to_change(dir: &Path) -> Result<Opened> {
    let local = owner(dir)?;
    let lock = FolderLock::acquire(dir).map_err(|mut e| {
        if e.code == ErrorCode::FolderInUse {
            e.message.push_str(" This command changes the store, so it refuses meanwhile and changed nothing; commands that only read (check, list, export, verify) work beside it.");
        }
        e
    })?;
    let desk = desk(dir)?;
    Ok(Opened { desk, local, _lock: Some(lock) })
}

/// For commands that only read: beside the app too.
pub fn open_to_read(dir: &Path) -> Result<Opened> {
    let local = owner(dir)?;
    let desk = desk(dir)?;
    Ok(Opened { desk, local, _lock: None })
}

/// The local administrator of a folder that holds a store; never makes one.
pub fn owner(dir: &Path) -> Result<LocalAdministrator> {
    if !dir.join(DATABASE_FILE).is_file() {
        return Err(Error::new(
            ErrorCode::NotFound,
            format!(
                "There is no Tenant Desk store in {}. Open the app once to set it up, or name the folder with --data-dir.",
                dir.display()
            ),
        ));
    }
    LocalAdministrator::of_folder(dir)
}

fn desk(dir: &Path) -> Result<Desk> {
    let secrets: Arc<dyn SecretStore> = if dir.join(SERVER_SECRETS).is_file() {
        Arc::new(FileStore::new(dir.join(SERVER_SECRETS)))
    } else {
        Arc::new(TimeBound::new(KeyringStore::new(KEYRING_SERVICE), KEYRING_DEADLINE))
    };
    Desk::open(DeskConfig { data_dir: dir.to_owned(), clock: Arc::new(SystemClock), secrets, notifier: Arc::new(NoDesktop) })
}

/// The command line shows no desktop notifications.
struct NoDesktop;

impl DesktopNotifier for NoDesktop {
    fn availability(&self) -> Availability {
        Availability::Unavailable("the command line shows no notifications".into())
    }

    fn show(&self, _account_id: i64, _notice: &Notice) -> Result<()> {
        Ok(())
    }
}
