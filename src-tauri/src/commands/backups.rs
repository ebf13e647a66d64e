//! Settings > Backups (platform administrators; the core decides).

use std::path::PathBuf;

use chrono::Local;
use tauri::{AppHandle, State};
use tenant_desk_core::backups::{BackupFile, BackupSummary, Restored};
use tenant_desk_core::Result;

use crate::file_dialogs;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupFile>> {
    state.as_actor(|desk, actor| desk.list_backups(actor)).await
}

/// Checks a backup and says what it holds, for the confirmation.
#[tauri::command]
#[specta::specta]
pub async fn inspect_backup(state: State<'_, AppState>, path: String) -> Result<BackupSummary> {
    state.as_actor(move |desk, actor| desk.inspect_backup(actor, &PathBuf::from(path))).await
}

/// Restores the backup (confirmed in the window). Everyone is signed out,
/// this window too; the local API follows the restored settings.
#[tauri::command]
#[specta::specta]
pub async fn restore_store(state: State<'_, AppState>, path: String) -> Result<Restored> {
    let restored = state.as_actor(move |desk, actor| desk.restore_store(actor, &PathBuf::from(path))).await?;
    state.run(|_, session| {
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

/// Restore from a file: asks which in an open dialog, checks it and says what
/// it holds, for the confirmation. `None` when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_backup_to_restore(app: AppHandle, state: State<'_, AppState>) -> Result<Option<BackupSummary>> {
    let folder = state.as_actor(|desk, actor| desk.backup_folder(actor)).await?;
    let Some(path) =
        file_dialogs::choose_open_path_in(&app, "Restore Tenant Desk", &file_dialogs::BACKUPS, Some(&folder)).await
    else {
        return Ok(None);
    };
    state.as_actor(move |desk, actor| desk.inspect_backup(actor, &path)).await.map(Some)
}
