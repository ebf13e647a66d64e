//! The recovery screen: the store failed its start-up check (before it
//! opened, or beside the window's first screen), so nobody can sign in.
//! Whoever sits at this computer may put a backup in its place (they already
//! hold the files) or quit; the damaged store is kept, never deleted.

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager, State};
use tenant_desk_core::backups::{self, BackupFile, BackupSummary};
use tenant_desk_core::clock::{Clock, SystemClock};
use tenant_desk_core::{Error, ErrorCode, Result};

use crate::commands::backups::PendingRestore;
use crate::file_dialogs;
use crate::state::AppState;
use crate::store_opening::{self, StoreHealth};

#[derive(Serialize, Type)]
pub struct StoreStatus {
    /// Another Tenant Desk has the data folder open: this window says so
    /// and touches nothing.
    pub in_use: Option<String>,
    /// Why the store cannot be used; `None` when it opened.
    pub damaged: Option<String>,
    /// The backups in the app's backup folder, while the store is damaged.
    pub backups: Vec<BackupFile>,
    pub backup_folder: String,
}

/// What the window asks first: the app, or the recovery screen.
#[tauri::command]
#[specta::specta]
pub async fn get_store_status(health: State<'_, StoreHealth>) -> Result<StoreStatus> {
    status_of(&health)
}

/// What the window asks once its first screen shows: the store's pages are
/// checked beside it (a moment; 1.6 s at a million messages), and a store
/// that fails turns the window to the recovery screen. Answers the status
/// once the check is over.
#[tauri::command]
#[specta::specta]
pub async fn wait_for_store_check(app: AppHandle, health: State<'_, StoreHealth>) -> Result<StoreStatus> {
    if let Some(state) = app.try_state::<AppState>() {
        let desk = state.desk().clone();
        match blocking(move || desk.db().sqlite()?.startup_check()).await {
            Ok(()) => {}
            Err(e) if e.code == ErrorCode::StoreDamaged => health.mark_damaged(e.message),
            Err(e) => return Err(e),
        }
    }
    status_of(&health)
}

fn status_of(health: &StoreHealth) -> Result<StoreStatus> {
    let damaged = health.damaged();
    let backups = match damaged {
        Some(_) => backups::list_backups_in(&health.data_dir)?,
        None => Vec::new(),
    };
    let backup_folder = health.data_dir.join(backups::FOLDER).display().to_string();
    Ok(StoreStatus { in_use: health.in_use(), damaged, backups, backup_folder })
}

fn while_damaged(health: &StoreHealth) -> Result<()> {
    match health.damaged() {
        Some(_) => Ok(()),
        None => Err(Error::not_allowed()),
    }
}

/// Checks a backup of the backup folder (by its listed name) and says what
/// it holds, for the confirmation.
#[tauri::command]
#[specta::specta]
pub async fn inspect_recovery_backup(
    health: State<'_, StoreHealth>,
    pending: State<'_, PendingRestore>,
    name: String,
) -> Result<BackupSummary> {
    while_damaged(&health)?;
    let dir = health.data_dir.clone();
    let (path, summary) = blocking(move || {
        let path = backups::backup_in_folder(&dir, &name)?;
        let summary = backups::backup_summary(&path)?;
        Ok((path, summary))
    })
    .await?;
    pending.set(Some(path));
    Ok(summary)
}

/// Puts the backup just confirmed in place of the damaged store and opens
/// it; the window then shows Sign in.
#[tauri::command]
#[specta::specta]
pub async fn recover_from_backup(
    app: AppHandle,
    health: State<'_, StoreHealth>,
    pending: State<'_, PendingRestore>,
) -> Result<BackupFile> {
    while_damaged(&health)?;
    let path = pending.take()?;
    let kept = match app.try_state::<AppState>() {
        // The store failed its check after it opened: the open store lets go
        // of its files and opens the backup in their place.
        Some(state) => {
            let desk = state.desk().clone();
            let kept = blocking(move || desk.recover_damaged_store(&path)).await?;
            health.mark_recovered();
            kept
        }
        None => {
            let dir = health.data_dir.clone();
            let kept = blocking(move || backups::recover(&dir, &path, SystemClock.now())).await?;
            store_opening::reopen(&app, &health)?;
            kept
        }
    };
    Ok(kept)
}

/// Choose a file…: an open dialog starting in the backup folder, then the check.
#[tauri::command]
#[specta::specta]
pub async fn choose_recovery_backup(
    app: AppHandle,
    health: State<'_, StoreHealth>,
    pending: State<'_, PendingRestore>,
) -> Result<Option<BackupSummary>> {
    while_damaged(&health)?;
    let folder = health.data_dir.join(backups::FOLDER);
    let Some(path) =
        file_dialogs::choose_open_path_in(&app, "Restore Tenant Desk", &file_dialogs::BACKUPS, Some(&folder)).await
    else {
        return Ok(None);
    };
    let checked = path.clone();
    let summary = blocking(move || backups::backup_summary(&checked)).await?;
    pending.set(Some(path));
    Ok(Some(summary))
}

#[tauri::command]
#[specta::specta]
pub async fn quit_app(app: AppHandle) -> Result<()> {
    app.exit(0);
    Ok(())
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tauri::async_runtime::spawn_blocking(work).await.map_err(|e| Error::internal(format!("worker failed: {e}")))?
}
