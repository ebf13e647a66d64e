use tauri::{AppHandle, State};
use tenant_desk_core::archives::{ArchiveJob, ArchiveJobKind, Comparison, SnapshotRow};
use tenant_desk_core::authz::Operation;
use tenant_desk_core::Result;

use crate::file_dialogs;
use crate::state::AppState;

/// Export: the core says whether the actor may, the save dialog says where;
/// the export then runs in the background. `None` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn start_archive_export(app: AppHandle, state: State<'_, AppState>) -> Result<Option<u32>> {
    let (actor, name) = state
        .as_actor(|desk, actor| {
            desk.check(actor, Operation::ExportTenantArchive)?;
            let name = desk.organization(actor)?.map(|o| o.tenant.name).unwrap_or_default();
            Ok((actor.clone(), name))
        })
        .await?;
    let suggested = format!("{} archive.zip", file_name_part(&name));
    let Some(path) = file_dialogs::choose_save_path(&app, "Export tenant archive", &suggested, &file_dialogs::ARCHIVES).await
    else {
        return Ok(None);
    };
    Ok(Some(state.desk().start_archive_job(&actor, ArchiveJobKind::Export, path)?))
}

/// On a team server: the tenant's archive from the server (the Export
/// rule applies there), saved where the person chooses, for offline review
/// on this computer's own workspace. The path, or `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_team_archive(app: AppHandle, state: State<'_, AppState>) -> Result<Option<String>> {
    let server = state
        .team_server()
        .ok_or_else(|| tenant_desk_core::Error::new(tenant_desk_core::ErrorCode::NotAllowed, "The window works with this computer's own workspace."))?;
    let Some(path) = file_dialogs::choose_save_path(&app, "Save archive for offline review", "archive.zip", &file_dialogs::ARCHIVES).await
    else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    tauri::async_runtime::spawn_blocking(move || server.save_archive(&path))
        .await
        .map_err(|e| tenant_desk_core::Error::internal(format!("worker failed: {e}")))??;
    Ok(Some(shown))
}

/// Import: an archive chosen in the open dialog, loaded in the background.
#[tauri::command]
#[specta::specta]
pub async fn start_archive_import(app: AppHandle, state: State<'_, AppState>) -> Result<Option<u32>> {
    let actor = state
        .as_actor(|desk, actor| {
            desk.check(actor, Operation::ImportTenantArchive)?;
            Ok(actor.clone())
        })
        .await?;
    let Some(path) = file_dialogs::choose_open_path(&app, "Import tenant archive", &file_dialogs::ARCHIVES).await else {
        return Ok(None);
    };
    Ok(Some(state.desk().start_archive_job(&actor, ArchiveJobKind::Import, path)?))
}

#[tauri::command]
#[specta::specta]
pub async fn archive_job(state: State<'_, AppState>, id: u32) -> Result<ArchiveJob> {
    state.as_actor(move |desk, actor| desk.archive_job(actor, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_archive_job(state: State<'_, AppState>, id: u32) -> Result<()> {
    state.as_actor(move |desk, actor| desk.cancel_archive_job(actor, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_snapshots(state: State<'_, AppState>) -> Result<Vec<SnapshotRow>> {
    state.as_actor(|desk, actor| desk.list_snapshots(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn compare_snapshots(state: State<'_, AppState>, first: i64, second: i64) -> Result<Comparison> {
    state.as_actor(move |desk, actor| desk.compare_snapshots(actor, first, second)).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_snapshot(state: State<'_, AppState>, tenant_id: i64) -> Result<()> {
    state.as_actor(move |desk, actor| desk.remove_snapshot(actor, tenant_id)).await
}

/// A tenant name as part of a file name: letters, digits, spaces and dashes.
fn file_name_part(name: &str) -> String {
    let kept: String = name.chars().map(|c| if c.is_alphanumeric() || c == ' ' || c == '-' { c } else { ' ' }).collect();
    let kept = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    if kept.is_empty() { "Tenant".into() } else { kept }
}
