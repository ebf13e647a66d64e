//! Settings > Backups (platform administrators; the core decides).

use std::path::PathBuf;

use tauri::State;
use tenant_desk_core::backups::{BackupFile, BackupSummary, Restored};
use tenant_desk_core::Result;

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
