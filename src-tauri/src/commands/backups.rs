//! Settings > Backups (platform administrators; the core decides). The
//! window names a listed backup or has the open dialog choose one; the shell
//! keeps the file checked for the confirmation and restores exactly that
//! one, so the window never hands it a path.

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::Local;
use tauri::{AppHandle, State};
use tenant_desk_core::backups::{BackupFile, BackupSummary, Restored};
use tenant_desk_core::{Error, ErrorCode, Result};

use crate::file_dialogs;
use crate::state::AppState;

/// The backup last checked for a confirmation, waiting for "Restore".
#[derive(Default)]
pub struct PendingRestore(Mutex<Option<PathBuf>>);

impl PendingRestore {
    pub fn set(&self, path: Option<PathBuf>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = path;
    }

    pub fn take(&self) -> Result<PathBuf> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or_else(|| Error::new(ErrorCode::NotFound, "Choose the backup to restore again."))
    }
}

#[tauri::command]
#[specta::specta]
pub async fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupFile>> {
    state.as_actor(|desk, actor| desk.list_backups(actor)).await
}

/// Checks a backup of the backup folder (by its listed name) and says what it
/// holds, for the confirmation.
#[tauri::command]
#[specta::specta]
pub async fn inspect_backup(state: State<'_, AppState>, pending: State<'_, PendingRestore>, name: String) -> Result<BackupSummary> {
    let (path, summary) = state
        .as_actor(move |desk, actor| {
            let path = desk.backup_in_folder(actor, &name)?;
            let summary = desk.inspect_backup(actor, &path)?;
            Ok((path, summary))
        })
        .await?;
    pending.set(Some(path));
    Ok(summary)
}

/// Restore from a file: asks which in an open dialog, checks it and says what
/// it holds, for the confirmation. `None` when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_backup_to_restore(
    app: AppHandle,
    state: State<'_, AppState>,
    pending: State<'_, PendingRestore>,
) -> Result<Option<BackupSummary>> {
    let folder = state.as_actor(|desk, actor| desk.backup_folder(actor)).await?;
    let Some(path) =
        file_dialogs::choose_open_path_in(&app, "Restore Tenant Desk", &file_dialogs::BACKUPS, Some(&folder)).await
    else {
        return Ok(None);
    };
    let checked = path.clone();
    let summary = state.as_actor(move |desk, actor| desk.inspect_backup(actor, &checked)).await?;
    pending.set(Some(path));
    Ok(Some(summary))
}

/// Restores the backup just confirmed. Everyone is signed out, this window
/// too; the local API follows the restored settings.
#[tauri::command]
#[specta::specta]
pub async fn restore_store(state: State<'_, AppState>, pending: State<'_, PendingRestore>) -> Result<Restored> {
    let path = pending.take()?;
    let restored = state.as_actor(move |desk, actor| desk.restore_store(actor, &path)).await?;
    state
        .run(|_, session| {
            session.set(None);
            Ok(())
        })
        .await?;
    let settings = state.run(|desk, _| desk.local_api_config()).await?;
    // A port in use leaves the API off, as at start.
    let _ = state.apply_local_api(settings).await;
    Ok(restored)
}

/// Back up now: asks where in a save dialog (starting in the app's backup
/// folder, which the recovery screen lists), then writes the backup there.
/// `None` when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn back_up_store(app: AppHandle, state: State<'_, AppState>) -> Result<Option<BackupFile>> {
    let folder = state.as_actor(|desk, actor| desk.backup_folder(actor)).await?;
    let name = format!("tenant-desk-backup-{}.sqlite3", Local::now().format("%Y-%m-%d-%H%M"));
    let Some(dest) =
        file_dialogs::choose_save_path_in(&app, "Back up Tenant Desk", &name, &file_dialogs::BACKUPS, Some(&folder)).await
    else {
        return Ok(None);
    };
    state.as_actor(move |desk, actor| desk.back_up_store(actor, &dest)).await.map(Some)
}
