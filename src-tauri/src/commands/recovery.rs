//! The recovery screen: the store failed its start-up check, so nobody can
//! sign in. Whoever sits at this computer may put a backup in its place (they
//! already hold the files) or quit; the damaged store is kept, never deleted.

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tenant_desk_core::backups::{self, BackupFile, BackupSummary};
use tenant_desk_core::clock::{Clock, SystemClock};
use tenant_desk_core::{Error, Result};

use crate::commands::backups::PendingRestore;
use crate::file_dialogs;
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
    let dir = health.data_dir.clone();
    let kept = blocking(move || backups::recover(&dir, &path, SystemClock.now())).await?;
    store_opening::reopen(&app, &health)?;
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
