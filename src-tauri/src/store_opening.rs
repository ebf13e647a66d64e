//! Opening the store at start (and again after the recovery screen restored a
//! backup): a store that passes its check becomes the app's state with its
//! watchers; one that fails leaves the app on the recovery screen.

use std::path::PathBuf;
use std::sync::Mutex;

use tauri::{AppHandle, Manager};
use tenant_desk_core::store::folder_lock::FolderLock;
use tenant_desk_core::{Error, ErrorCode, Result};

use crate::commands::conversations::ConversationsChanged;
use crate::desktop::change_feed::ChangeFeed;
use crate::{billing_reminders, chart_exports, desktop, desktop_notifier, reply_delivery, state, upkeep};

/// Whether the store opened; always managed, so the window can ask first.
pub struct StoreHealth {
    pub data_dir: PathBuf,
    /// Why the store could not be used, while it cannot.
    damaged: Mutex<Option<String>>,
    /// Held for the app's life: no second process writes to the folder.
    /// `Err`: another process holds it, and this window only says so.
    lock: std::result::Result<FolderLock, String>,
}

impl StoreHealth {
    /// Why this window cannot use the data folder at all: another app has it.
    pub fn in_use(&self) -> Option<String> {
        self.lock.as_ref().err().cloned()
    }

    pub fn damaged(&self) -> Option<String> {
        self.damaged.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The store failed the check that ran beside the window: from now on
    /// the recovery screen takes over, as for a store refused at start.
    pub fn mark_damaged(&self, why: String) {
        *self.damaged.lock().unwrap_or_else(|p| p.into_inner()) = Some(why);
    }

    /// A backup took the damaged store's place.
    pub fn mark_recovered(&self) {
        *self.damaged.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// Opens the store of `data_dir`. A damaged store is not an error of the
/// app: the recovery screen takes over.
pub fn open(app: &AppHandle, data_dir: PathBuf) -> Result<()> {
    let lock = match FolderLock::acquire(&data_dir) {
        Ok(lock) => lock,
        Err(e) if e.code == ErrorCode::FolderInUse => {
            tracing::warn!(reason = %e.message, "data folder in use by another Tenant Desk: this one touches nothing");
            app.manage(StoreHealth { data_dir, damaged: Mutex::new(None), lock: Err(e.message) });
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let outcome = start(app, data_dir.clone());
    let damaged = match outcome {
        Ok(()) => None,
        Err(e) if e.code == ErrorCode::StoreDamaged => {
            tracing::error!(reason = %e.message, "store damaged: the recovery screen takes over");
            Some(e.message)
        }
        Err(e) => return Err(e),
    };
    app.manage(StoreHealth { data_dir, damaged: Mutex::new(damaged), lock: Ok(lock) });
    Ok(())
}

/// After the recovery screen put a backup in place of a store refused at
/// start: open it as at start.
pub fn reopen(app: &AppHandle, health: &StoreHealth) -> Result<()> {
    start(app, health.data_dir.clone())?;
    health.mark_recovered();
    Ok(())
}

fn start(app: &AppHandle, data_dir: PathBuf) -> Result<()> {
    let notifier = desktop_notifier::DesktopNotifications::new(app.clone());
    let state = state::AppState::open(data_dir, notifier)?;
    // Listeners run in order: reminders due are recorded before the window
    // hears of the change and reads the billing banner.
    billing_reminders::watch(state.desk());
    reply_delivery::run(state.desk());
    upkeep::run_periodically(state.desk());
    let handle = app.clone();
    state.desk().on_conversation_change(move |change| {
        if let Some(feed) = handle.try_state::<ChangeFeed>() {
            feed.tell(ConversationsChanged::from(change));
        }
    });
    chart_exports::recover_and_sweep(state.desk(), app.clone());
    let daily = state.desk().clone();
    std::thread::spawn(move || {
        daily.db().wait_until_sound();
        if let Err(e) = daily.daily_backup_if_due() {
            tracing::warn!(error = %e, "daily backup not written");
        }
    });
    let settings = state.desk().local_api_config()?;
    if !app.manage(state) {
        return Err(Error::internal("the store was opened twice"));
    }
    desktop::tray::install_in_background(app);
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = handle.state::<state::AppState>();
        // A port in use leaves the API off; the rest of the app works as before.
        let _ = state.apply_local_api(settings).await;
    });
    Ok(())
}
