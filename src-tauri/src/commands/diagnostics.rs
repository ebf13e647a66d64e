//! Diagnostics for support: the core gathers the facts and decides who gets
//! the log; the shell adds its version, the clipboard and the file manager.

use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_opener::OpenerExt;
use tenant_desk_core::diagnostics::Diagnostics;
use tenant_desk_core::{Error, ErrorCode, Result};

use crate::state::AppState;

fn app_version(app: &AppHandle) -> String {
    app.package_info().version.to_string()
}

#[tauri::command]
#[specta::specta]
pub async fn get_diagnostics(app: AppHandle, state: State<'_, AppState>) -> Result<Diagnostics> {
    let version = app_version(&app);
    state.as_actor(move |desk, actor| desk.diagnostics(actor, &version)).await
}

/// "Copy diagnostics": the summary goes to the clipboard from here, as the
/// window is granted no clipboard of its own.
#[tauri::command]
#[specta::specta]
pub async fn copy_diagnostics(app: AppHandle, state: State<'_, AppState>) -> Result<()> {
    let version = app_version(&app);
    let report = state.as_actor(move |desk, actor| desk.diagnostics_report(actor, &version)).await?;
    app.clipboard().write_text(report).map_err(|e| {
        tracing::warn!(error = %e, "clipboard not written");
        Error::new(ErrorCode::Desktop, "The clipboard of this desktop could not be written.")
    })
}

/// "Open log folder" in the desktop's file manager.
#[tauri::command]
#[specta::specta]
pub async fn open_log_folder(app: AppHandle, state: State<'_, AppState>) -> Result<()> {
    let folder = state.as_actor(|desk, actor| desk.log_folder(actor)).await?;
    app.opener().open_path(folder.display().to_string(), None::<&str>).map_err(|e| {
        tracing::warn!(error = %e, "log folder not opened");
        Error::new(ErrorCode::Desktop, format!("The file manager could not open the log folder: {e}"))
    })
}
